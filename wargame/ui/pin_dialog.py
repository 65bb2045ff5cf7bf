"""PIN entry that shows the wait after repeated wrong PINs.

The session layer makes a door (the facilitator, or one team) wait longer after each run of
wrong PINs (``wargame.session.pin_guard``). ``PinWaitNotice`` says so where the PIN is typed
("Too many wrong PINs: try again in 8 s"), counts down and keeps OK disabled until the wait
is over; the curtain and ``PinDialog`` (the facilitator's prompts, resume, reports) use it.
``PinDialog`` stays open on a wrong PIN (the person types again) and returns only a PIN that
was checked right.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

WRONG_PIN = "Wrong PIN. Try again."


def wait_text(seconds: float) -> str:
    """'Too many wrong PINs: try again in 8 s' (whole seconds, rounded up, at least 1)."""
    return f"Too many wrong PINs: try again in {max(1, math.ceil(seconds))} s"


class PinWaitNotice(QObject):
    """While ``wait_seconds()`` is above 0: ``message`` says how long, ``widgets`` are
    disabled, and a quarter-second timer counts down; then they are enabled again."""

    TICK_MS = 250

    def __init__(self, message: QLabel, widgets: Sequence[QWidget],
                 wait_seconds: Callable[[], float] | None, parent: QObject) -> None:
        super().__init__(parent)
        self.message = message
        self.widgets = list(widgets)
        self.wait_seconds = wait_seconds
        self.timer = QTimer(self)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self.update)

    def set_wait(self, wait_seconds: Callable[[], float] | None) -> None:
        self.wait_seconds = wait_seconds
        self.update()

    def update(self) -> bool:
        """Show the wait (True) or, when there is none, enable the widgets (False)."""
        wait = self.wait_seconds() if self.wait_seconds is not None else 0.0
        waiting = wait > 0
        for widget in self.widgets:
            widget.setEnabled(not waiting)
        if waiting:
            self.message.setText(wait_text(wait))
            if not self.timer.isActive():
                self.timer.start()
        else:
            if self.timer.isActive():
                self.timer.stop()
            if self.message.text().startswith("Too many wrong PINs"):
                self.message.setText("The wait is over: type the PIN again.")
        return waiting


class PinDialog(QDialog):
    """A masked PIN prompt that checks the PIN itself: ``check(pin)`` True closes it
    (``pin`` is then the PIN), False says "Wrong PIN" and stays open; while the door must
    wait (``wait_seconds()``), OK is disabled and the wait is shown."""

    def __init__(self, parent: QWidget | None, title: str, label: str,
                 check: Callable[[str], bool],
                 wait_seconds: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("PinDialog")
        self.check = check
        self.pin: str | None = None
        layout = QVBoxLayout(self)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(label)
        self.label.setBuddy(self.edit)
        layout.addWidget(self.edit)
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setAccessibleName("PIN message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.try_pin)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.notice = PinWaitNotice(self.message, [self.ok_button], wait_seconds, self)
        self.notice.update()  # a door may still be waiting from an earlier attempt
        self.setMinimumWidth(360)

    def try_pin(self) -> bool:
        """OK: check the typed PIN (nothing while the door must wait)."""
        if self.notice.update():
            return False
        pin = self.edit.text()
        if self.check(pin):
            self.pin = pin
            self.accept()
            return True
        self.message.setText(WRONG_PIN)
        self.edit.selectAll()
        self.edit.setFocus()
        self.notice.update()
        return False


def ask_checked_pin(parent: QWidget | None, title: str, label: str,
                    check: Callable[[str], bool],
                    wait_seconds: Callable[[], float] | None = None) -> str | None:
    """The right PIN, or None when the person cancelled."""
    dialog = PinDialog(parent, title, label, check, wait_seconds)
    try:
        return dialog.pin if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
