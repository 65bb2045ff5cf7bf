"""A rich-text panel whose numbers say where they come from: resting the pointer on a
number written with a source (``report.sources.sourced``: an HTML ``title``, kept by Qt as
the text's tooltip) shows that source. ``QTextBrowser`` keeps such tooltips but never shows
them by itself."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget


class SourcedTextBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.viewport().setMouseTracking(True)

    def tooltip_at(self, pos: QPoint) -> str:
        """The source of the text under ``pos`` (viewport coordinates), or ''."""
        layout = self.document().documentLayout()
        scrolled = pos + QPoint(self.horizontalScrollBar().value(),
                                self.verticalScrollBar().value())
        at = layout.hitTest(scrolled.toPointF(), Qt.HitTestAccuracy.ExactHit)
        if at < 0:
            return ""
        cursor = QTextCursor(self.document())
        cursor.setPosition(at)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter,
                            QTextCursor.MoveMode.KeepAnchor)
        return cursor.charFormat().toolTip()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


__all__ = ["SourcedTextBrowser"]
