"""Type sizes and emphasis set as fonts, not style sheets.

A widget with a style sheet keeps the palette it was polished with: after View > Dark
palette its text stayed black on the new dark background until the app was restarted.
Fonts carry no colour, so headers and prominent buttons follow the palette as it changes.
"""
from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QWidget


def set_type(widget: QWidget, point_size: float | None = None, bold: bool = False,
             italic: bool = False) -> None:
    """Give ``widget`` a point size and weight of its own (colour still from the palette)."""
    font = QFont(widget.font())
    if point_size is not None:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setItalic(italic)
    widget.setFont(font)


def prominent(button: QAbstractButton, point_size: float | None = None,
              padding: int = 8) -> None:
    """A button that moves the exercise on: bold, and taller than the others."""
    set_type(button, point_size, bold=True)
    button.setMinimumHeight(button.sizeHint().height() + 2 * padding)
