"""Clear dialogs instead of tracebacks, and small shared dialogs.

:func:`install_excepthook` replaces ``sys.excepthook`` so an unexpected error inside a Qt
slot is logged (with its traceback, to the log file) and shown to the user as a readable
message box, and the app keeps running.
"""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wargame import logfile  # Qt-free: the command line writes the same log

log = logging.getLogger("wargame.ui")

_shown_errors: list[str] = []  # for tests: messages shown by the hook
_hook_quiet = False  # tests/screenshots: log only, no modal box


def log_file_path() -> Path:
    """The log file (``$WARGAME_LOG_DIR`` overrides the folder): ``wargame.logfile``."""
    return logfile.log_file_path()


def setup_logging() -> None:
    logfile.setup_file_logging()


def friendly_message(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc) or name
    if isinstance(exc, FileNotFoundError):
        return f"A file could not be found: {exc.filename or text}"
    if isinstance(exc, PermissionError):
        return f"The app is not allowed to read or write: {exc.filename or text}"
    problems = getattr(exc, "problems", None)
    if problems:
        lines = "\n".join(str(p) for p in list(problems)[:12])
        return f"The scenario file has problems:\n{lines}"
    return f"{text}\n\n({name})"


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    message = exc if isinstance(exc, str) else friendly_message(exc)
    _shown_errors.append(message)
    if _hook_quiet or QApplication.instance() is None:
        log.error("%s: %s", title, message)
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setAccessibleName(title)
    box.exec()


def _hook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    detail = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("Unexpected error:\n%s", detail)
    try:
        where = log_file_path()
    except Exception:  # pragma: no cover
        where = "the log"
    show_error(QApplication.activeWindow(), "Something went wrong",
               f"{friendly_message(exc)}\n\nThe details were written to {where}. "
               "Your session has been saved up to the last completed step.")


def install_excepthook(quiet: bool = False) -> None:
    global _hook_quiet
    _hook_quiet = quiet
    setup_logging()
    sys.excepthook = _hook


def ask_text(parent: QWidget | None, title: str, label: str, multiline: bool = False,
             text: str = "") -> str | None:
    """A small text prompt; returns None when cancelled."""
    if not multiline:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(label))
    edit = QPlainTextEdit(text)
    edit.setAccessibleName(label)
    layout.addWidget(edit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(480, 260)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return edit.toPlainText()
    return None


def ask_pin(parent: QWidget | None, title: str, label: str, check=None,
            wait_seconds=None) -> str | None:
    """A PIN prompt whose input is masked; returns None when cancelled. With ``check``
    (``PinDialog``) it returns only a PIN that passed it, shows a wrong PIN and the wait
    after repeated wrong ones (``wait_seconds``)."""
    if check is not None:
        from wargame.ui.pin_dialog import ask_checked_pin

        return ask_checked_pin(parent, title, label, check, wait_seconds)
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return value if ok else None
