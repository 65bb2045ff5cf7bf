"""The full-window hand-over curtain of the hot-seat turn.

It names who should take the laptop next ("Pass the laptop to Washington") and shows
nothing of any team. The named team unlocks it (with its PIN if one was set); a wrong PIN
says so and the curtain stays down; after repeated wrong PINs the curtain says how long to
wait ("Too many wrong PINs: try again in 8 s") and takes no PIN until then. The facilitator
has a way in of their own (a small button; the window then asks for the facilitator PIN),
for instance to close the orders once time is up.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from wargame.ui.fonts import prominent, set_type
from wargame.ui.pin_dialog import WRONG_PIN, PinWaitNotice

# white on vermillion, as on the team screen (kept here: the curtain loads nothing heavy)
TIME_UP_STYLE = ("#curtainBanner { background: #B03A00; color: #FFFFFF; font-size: 14pt; "
                 "font-weight: bold; padding: 10px; border-radius: 4px; }")


class Curtain(QWidget):
    """Emits ``unlocked(who)`` when the named team (or "facilitator") opens it, and
    ``facilitatorRequested`` when the facilitator asks to come in while a team's name is
    up."""

    unlocked = Signal(str)
    facilitatorRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Curtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # fixed colours, the same in both palettes: the curtain must look like a curtain
        self.setStyleSheet("#Curtain { background: #1f2a36; } #Curtain QLabel { color: #f2f2f2; }"
                           " #Curtain QLabel#curtainMessage { color: #ffb4a8; }")
        self._who = ""
        self._check: Callable[[str], bool] | None = None
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setObjectName("curtainBanner")
        self.banner.setAccessibleName("Time is up")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(TIME_UP_STYLE.replace("14pt", "18pt"))
        self.banner.hide()
        layout.addWidget(self.banner)
        layout.addStretch(2)
        self.title = QLabel()
        self.title.setObjectName("curtainTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        set_type(self.title, 30, bold=True)
        layout.addWidget(self.title)
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        set_type(self.subtitle, 14)
        layout.addWidget(self.subtitle)
        layout.addSpacing(24)
        self.pin_label = QLabel()
        self.pin_label.setObjectName("curtainPinLabel")
        self.pin_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_type(self.pin_label, 13)
        layout.addWidget(self.pin_label)
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("PIN")
        self.pin_edit.setAccessibleName("PIN")
        self.pin_edit.setMaximumWidth(240)
        self.pin_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_edit.returnPressed.connect(self.try_unlock)
        self.pin_label.setBuddy(self.pin_edit)
        layout.addWidget(self.pin_edit, 0, Qt.AlignmentFlag.AlignHCenter)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setObjectName("curtainMessage")
        set_type(self.message, 12)
        layout.addWidget(self.message)
        self.button = QPushButton()
        self.button.setAccessibleName("Unlock")
        prominent(self.button, 16, padding=12)
        self.button.setMinimumWidth(self.button.sizeHint().width() + 64)
        self.button.setShortcut(QKeySequence("Ctrl+U"))
        self.button.clicked.connect(self.try_unlock)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pin_wait = PinWaitNotice(self.message, [self.pin_edit, self.button], None, self)
        layout.addStretch(3)
        corner = QHBoxLayout()
        corner.addStretch(1)
        self.facilitator_button = QPushButton("Facilitator…")
        self.facilitator_button.setObjectName("curtainFacilitator")
        self.facilitator_button.setAccessibleName("Facilitator: open the console")
        self.facilitator_button.setToolTip("For the facilitator: the console (close the "
                                           "orders, pause, notes), with the facilitator PIN")
        self.facilitator_button.clicked.connect(self.facilitatorRequested)
        corner.addWidget(self.facilitator_button)
        layout.addLayout(corner)

    @property
    def who(self) -> str:
        return self._who

    def lower_for(self, who: str, display_name: str,
                  check_pin: Callable[[str], bool] | None = None, subtitle: str = "",
                  wait_seconds: Callable[[], float] | None = None) -> None:
        """Drop the curtain: the next to take the laptop is ``display_name``. When
        ``check_pin`` is given, a PIN is asked for and must satisfy it; ``wait_seconds``
        says how long that door must wait after repeated wrong PINs."""
        self._who, self._check = who, check_pin
        self.title.setText(f"Pass the laptop to {display_name}")
        self.subtitle.setText(subtitle or "Everyone else, please look away from the screen.")
        self.pin_edit.clear()
        self.pin_edit.setVisible(self._check is not None)
        self.pin_label.setText(f"&PIN for {display_name}:")
        self.pin_label.setVisible(self._check is not None)
        self.pin_edit.setAccessibleName(f"PIN for {display_name}")
        # the facilitator's own curtain needs no second way in
        self.facilitator_button.setVisible(who != "facilitator")
        self.message.clear()
        self.button.setText(f"I am {display_name} — open")
        self.button.setToolTip(f"Open the screen for {display_name} (Ctrl+U)")
        self.pin_wait.set_wait(wait_seconds if check_pin is not None else None)
        (self.pin_edit if self._check else self.button).setFocus()

    def set_clock(self, time_up: bool, paused: bool = False) -> None:
        """A banner for the whole room: the orders time has run out, or the clock is paused."""
        if paused:
            self.banner.setText("The exercise is paused: the clock has stopped.")
        elif time_up:
            self.banner.setText("Time is up for orders. Submit at once; the facilitator may "
                                "close the orders now (Facilitator…, bottom right).")
        self.banner.setVisible(paused or time_up)

    def try_unlock(self) -> bool:
        if self._check is not None and self.pin_wait.update():
            return False  # too many wrong PINs: the wait is shown, the PIN not even read
        if self._check is not None and not self._check(self.pin_edit.text()):
            self.message.setText(WRONG_PIN)
            self.pin_edit.selectAll()
            self.pin_wait.update()
            return False
        self.pin_edit.clear()
        self.message.clear()
        self.unlocked.emit(self._who)
        return True
