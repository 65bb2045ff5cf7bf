"""Where the log file lives, and recording an unexpected error there (Qt-free: used by the
``wargame`` command's boundary and by the app's error dialog alike).

``$WARGAME_LOG_DIR`` overrides the folder (tests point it at a temporary folder, so they
write nothing in the user's home); otherwise it is the platform's user log folder
(``~/.local/state/wargame/log`` on Linux).
"""
from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

LOG_DIR_ENV = "WARGAME_LOG_DIR"
LOG_NAME = "wargame.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

__all__ = ["LOG_DIR_ENV", "log_dir", "log_file_path", "setup_file_logging", "log_unexpected"]


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir("wargame", "wargame"))


def log_file_path() -> Path:
    return log_dir() / LOG_NAME


def setup_file_logging() -> Path | None:
    """Send the ``wargame`` loggers to the log file (once); None when it cannot be written
    (the messages then go to stderr)."""
    root = logging.getLogger("wargame")
    path: Path | None = log_file_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler, path = logging.StreamHandler(), None
    handler.setFormatter(logging.Formatter(_FORMAT))
    if not root.handlers:
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    else:
        handler.close()
    return path


def log_unexpected(exc: BaseException, context: str = "") -> Path | None:
    """Append ``exc`` with its traceback to the log file; the file's path, or None when it
    could not be written."""
    path = log_file_path()
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(logging.Formatter(_FORMAT).format(logging.LogRecord(
                "wargame", logging.ERROR, __file__, 0,
                "Unexpected error%s:\n%s", (f" in {context}" if context else "", detail),
                None)) + "\n")
    except OSError:
        return None
    return path
