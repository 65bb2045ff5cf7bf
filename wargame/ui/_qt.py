"""Qt bootstrap shared by every UI module: PySide6 first, pyqtgraph only when needed.

Usage::

    from wargame.ui._qt import QtCore, QtGui, QtWidgets, pg
    plot = pg().PlotWidget()          # pyqtgraph is imported on the first call only

Importing pyqtgraph costs ~0.3-0.4 s, so the app imports it lazily (when the first chart is
built). pyqtgraph picks the first Qt binding it finds, so this module imports PySide6 before
it and sets ``PYQTGRAPH_QT_LIB=PySide6`` (DESIGN.md, "Known pitfalls on Linux").
"""
from __future__ import annotations

import os
import types

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402  (must precede pyqtgraph)

__all__ = ["QtCore", "QtGui", "QtWidgets", "pg", "pyqtgraph_loaded"]

_PG: types.ModuleType | None = None


def pg() -> types.ModuleType:
    """Return the pyqtgraph module, importing and configuring it on first use."""
    global _PG
    if _PG is None:
        import pyqtgraph

        pyqtgraph.setConfigOptions(antialias=True, useOpenGL=False, leftButtonPan=False)
        _PG = pyqtgraph
    return _PG


def pyqtgraph_loaded() -> bool:
    """True once :func:`pg` has imported pyqtgraph (tests check startup stays lazy)."""
    return _PG is not None
