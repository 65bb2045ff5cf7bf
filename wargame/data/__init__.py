"""Data shipped inside the package: ``wargame.data.scenarios`` (the repository's
``scenarios/`` folder), ``wargame.data.world`` (``assets/world/``), ``wargame.data.guide``
(``assets/guide/``, the Help menu's guide) and ``wargame.data.screenshots``
(``assets/screenshots/``, the pictures the guide shows), mapped there by pyproject.toml's
``package-dir``. Read them through ``wargame.resources``."""
