"""A text panel that never scrolls: it picks the largest type size at which its whole text
fits (the projector: nobody in the room can scroll it).

Usage::

    panel = FitTextBrowser(min_point_size=9, max_point_size=28)
    panel.set_fitted_html("<h3>...</h3>...")
    panel.set_fitted_versions([complete, shorter, shortest])  # the first that fits
    panel.fits()          # True when the text fits at the chosen size
    panel.point_size()    # the size chosen
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextBrowser, QWidget


class FitTextBrowser(QTextBrowser):
    resized = Signal()  # after a resize and refit (panels kept alike listen to it)

    def __init__(self, min_point_size: float = 9.0, max_point_size: float = 28.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_point_size = float(min_point_size)
        self.max_point_size = float(max_point_size)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._html = ""
        self._versions = [""]
        self._version = 0
        self._size = self.max_point_size

    def set_fitted_html(self, html: str) -> None:
        self.set_fitted_versions([html])

    def set_fitted_versions(self, versions: list[str]) -> None:
        """Several versions of the text, the most complete first: the panel shows the first
        that fits at no less than the smallest size (the last one when none does), and
        chooses again when resized."""
        self._versions = list(versions) or [""]
        self._version = -1
        self._fit_a_version()

    def _fit_a_version(self) -> None:
        """The most complete version that fits, at the largest size that fits."""
        for index, text in enumerate(self._versions):
            if index != self._version:
                self._version, self._html = index, text
                self.setHtml(text)
            self.refit()
            if self._height_at(self.min_point_size) <= self.viewport().height():
                break
        self._height_at(self._size)

    def version(self) -> int:
        """Index of the version shown (0: the most complete)."""
        return self._version

    def point_size(self) -> float:
        return self._size

    def _height_at(self, size: float) -> float:
        document = self.document()
        font = QFont(self.font())
        font.setPointSizeF(size)
        document.setDefaultFont(font)
        document.setTextWidth(max(1, self.viewport().width()))
        return document.size().height()

    def fits(self) -> bool:
        """The whole text is visible at the size chosen."""
        return self._height_at(self._size) <= self.viewport().height()

    def refit(self) -> None:
        """The largest size (to a quarter point) at which the text fits the viewport."""
        available = self.viewport().height()
        low, high = self.min_point_size, self.max_point_size
        if available <= 0 or self._height_at(low) > available:
            best = low
        elif self._height_at(high) <= available:
            best = high
        else:
            while high - low > 0.25:
                middle = (low + high) / 2
                if self._height_at(middle) <= available:
                    low = middle
                else:
                    high = middle
            best = low
        self._size = best
        self._height_at(best)  # leave the document at the chosen size
        self.verticalScrollBar().setValue(0)

    def fix_point_size(self, size: float) -> None:
        """Show the text at ``size`` (no larger than fits; the caller keeps panels alike)."""
        self._size = max(self.min_point_size, min(size, self._size))
        self._height_at(self._size)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_a_version()
        self.resized.emit()
