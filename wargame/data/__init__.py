"""Data shipped inside the package: ``wargame.data.scenarios`` (the repository's
``scenarios/`` folder) and ``wargame.data.world`` (``assets/world/``), mapped there by
pyproject.toml's ``package-dir``. Read them through ``wargame.resources``."""
