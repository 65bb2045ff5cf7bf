"""Where the shipped data lives: the scenarios, the world outline, the facilitator's guide
and the screenshots it shows.

In the repository they are the top-level ``scenarios/`` and ``assets/world/`` folders; an
installed wheel carries them inside the package as ``wargame.data.scenarios`` and
``wargame.data.world`` (pyproject.toml maps those package names onto the folders), so
``importlib.resources`` finds them in a checkout, an editable install, a plain
``pip install .`` and the PyInstaller bundle alike. Qt-free and cheap to import.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_SCENARIO_NAME = "rare-earth-shock-2025.yaml"
WORLD_OUTLINE_NAME = "countries-110m.rings.json"
GUIDE_NAME = "how-to-run-an-exercise.md"

_REPOSITORY = Path(__file__).resolve().parent.parent


def _data_dir(name: str, checkout_folder: Path) -> Path:
    """``wargame/data/<name>`` as installed from a wheel (or bundled), else the checkout's
    own folder (a source tree or an editable install, where the data stays at the top).
    The data is read with ordinary file APIs: wheels install it as plain files."""
    installed = Path(str(resources.files("wargame").joinpath("data", name)))
    return installed if installed.is_dir() else checkout_folder


def shipped_scenarios_dir() -> Path:
    """The folder of the scenarios that ship with this version."""
    return _data_dir("scenarios", _REPOSITORY / "scenarios")


def default_scenario_path() -> Path:
    """The scenario the app and ``make run`` open by default."""
    return shipped_scenarios_dir() / DEFAULT_SCENARIO_NAME


def world_outline_path() -> Path:
    """Natural Earth 1:110m country outlines (public domain; see ORIGIN.md beside it)."""
    return _data_dir("world", _REPOSITORY / "assets" / "world") / WORLD_OUTLINE_NAME


def guide_path() -> Path:
    """The facilitator's guide, "How to run an exercise" (Markdown; Help menu)."""
    return _data_dir("guide", _REPOSITORY / "assets" / "guide") / GUIDE_NAME


def screenshots_dir() -> Path:
    """The screenshots the README and the guide show."""
    return _data_dir("screenshots", _REPOSITORY / "assets" / "screenshots")


def package_version() -> str:
    """The installed distribution's version (``unknown`` when run from a bare checkout)."""
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - always there on 3.11
        return "unknown"
    try:
        return version("wargame")
    except PackageNotFoundError:
        return "unknown"
