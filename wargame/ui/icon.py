"""The application icon, drawn from ``packaging/wargame.svg``.

Rendered with QtSvg at the usual sizes (sharp at every scale, no image-format plugin
needed); without QtSvg Qt's own SVG plugin is tried, and without the file or either of
those the app simply keeps the platform's default icon.
"""
from __future__ import annotations

import sys
from pathlib import Path

ICON_NAME = "wargame.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_path() -> Path | None:
    """The SVG in a checkout (packaging/) or beside a frozen bundle's data."""
    here = Path(__file__).resolve()
    candidates = [here.parents[2] / "packaging" / ICON_NAME]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates += [Path(bundle) / "packaging" / ICON_NAME, Path(bundle) / ICON_NAME]
    return next((path for path in candidates if path.is_file()), None)


def app_icon(path: Path | None = None):
    """A ``QIcon`` (null when no icon could be made)."""
    from PySide6.QtGui import QIcon

    path = path or icon_path()
    if path is None:
        return QIcon()
    try:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter, QPixmap
        from PySide6.QtSvg import QSvgRenderer
    except ImportError:
        return QIcon(str(path))  # Qt's SVG image-format plugin, if present
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        return QIcon()
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def install_app_icon(app) -> bool:
    """Set the icon on the application (every window inherits it); False if none."""
    icon = app_icon()
    if icon.isNull():
        return False
    app.setWindowIcon(icon)
    return True
