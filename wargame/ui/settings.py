"""Remembered preferences (window layout, recent files, palette) via QSettings.

Tests and screenshots must never touch the user's settings: set ``WARGAME_SETTINGS_DIR`` (or
call :func:`use_settings_dir`) and an INI file in that directory is used instead.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "wargame"
APPLICATION = "wargame"
MAX_RECENT = 8

_override_dir: Path | None = None


def use_settings_dir(path: str | Path | None) -> None:
    """Store settings in ``path/wargame.ini`` (None = back to the platform default)."""
    global _override_dir
    _override_dir = Path(path) if path is not None else None


def app_settings() -> QSettings:
    directory = _override_dir or (Path(os.environ["WARGAME_SETTINGS_DIR"])
                                  if os.environ.get("WARGAME_SETTINGS_DIR") else None)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        return QSettings(str(directory / "wargame.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def _string_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def recent_files(kind: str = "scenarios") -> list[str]:
    return _string_list(app_settings().value(f"recent/{kind}"))


def add_recent_file(path: str | Path, kind: str = "scenarios") -> None:
    settings = app_settings()
    items = [p for p in recent_files(kind) if p != str(path)]
    items.insert(0, str(path))
    settings.setValue(f"recent/{kind}", items[:MAX_RECENT])
    settings.sync()


def get(key: str, default=None):
    return app_settings().value(key, default)


def put(key: str, value) -> None:
    settings = app_settings()
    settings.setValue(key, value)
    settings.sync()


def default_database_path() -> Path:
    """Where sessions are saved unless ``--db`` says otherwise: the store's one answer."""
    from wargame.store.paths import default_db_path

    return default_db_path()
