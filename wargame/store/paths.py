"""Where sessions live: ONE function, used by the CLI and the desktop app alike (they once
computed it two ways and, on Windows, read different files). Light to import (no sqlite)."""
from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """``$WARGAME_DB`` if set, else ``sessions.sqlite`` in the user data folder
    (platformdirs; on Linux ``~/.local/share/wargame/``). The folder is created when the
    database is first opened, not here."""
    env = os.environ.get("WARGAME_DB")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path("wargame", appauthor=False) / "sessions.sqlite"
