"""The banner across a window that shows a session read-only: who has the session and how
long ago it last showed signs of life, with Reload (see what the other window did since)
and Take over (enabled once that window has stopped or closed the session)."""
from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

# dark text on amber, the same in both palettes: it must stand out from the console
BANNER_STYLE = ("#readOnlyBanner { background: #FFD27A; border-bottom: 1px solid #B07A00; }"
                " #readOnlyBanner QLabel { color: #1A1A1A; }")


def holder_text(holder, now: datetime) -> str:
    """'console (ann@laptop) on laptop, process 4242, last sign of life 12 s ago'."""
    from wargame.store.errors import describe_age

    if holder is None:
        return "nobody holds it now (the other window has closed it): take it over to play"
    return (f"{holder.describe()}, last sign of life "
            f"{describe_age(holder.age_seconds(now))} ago")


class ReadOnlyBanner(QFrame):
    """Hidden unless ``show_for(holder, now)``; emits ``reloadRequested`` and
    ``takeOverRequested``."""

    reloadRequested = Signal()
    takeOverRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName("Read-only")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.text = QLabel()
        self.text.setObjectName("readOnlyText")
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Read-only: who has the session")
        row.addWidget(self.text, 1)
        self.reload_button = QPushButton("Re&load")
        self.reload_button.setAccessibleName("Reload the session")
        self.reload_button.setToolTip("Show the session as it is now (the other window may "
                                      "have played on)")
        self.reload_button.clicked.connect(self.reloadRequested)
        row.addWidget(self.reload_button)
        self.take_over_button = QPushButton("&Take over…")
        self.take_over_button.setAccessibleName("Take the session over")
        self.take_over_button.clicked.connect(self.takeOverRequested)
        row.addWidget(self.take_over_button)
        self.hide()

    def show_for(self, holder, now: datetime) -> None:
        """Say who has the session; Take over is enabled only once that window seems gone
        (no sign of life for ``STALE_AFTER_SECONDS``) or has closed the session. The window
        calls this again every heartbeat, so the button wakes when the holder stops."""
        from wargame.session.lock import STALE_AFTER_SECONDS, holder_seems_gone

        gone = holder is None or holder_seems_gone(holder, now)
        self.take_over_button.setEnabled(gone)
        if gone:
            tip = "Play the session in this window: the other window has stopped or closed it"
        else:
            tip = (f"The other window is still running, so it keeps the session. Taking over "
                   f"becomes possible when it closes the session or shows no sign of life "
                   f"for {STALE_AFTER_SECONDS:.0f} seconds.")
        self.take_over_button.setToolTip(tip)
        self.text.setText(f"<b>Read-only.</b> This session is open in another window or "
                          f"program: {html.escape(holder_text(holder, now))}. You see "
                          f"everything and can change nothing here.")
        self.show()
