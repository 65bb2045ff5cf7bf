"""Start the desktop app: ``wargame app [SCENARIO] [--db FILE]`` or ``make run``.

Only PySide6 widgets are imported before the start screen is shown; the loader, the
engine, the store and pyqtgraph are imported afterwards (see ``benchmarks/bench_shell.py``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def make_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("wargame")
    app.setApplicationName("wargame")
    app.setApplicationDisplayName("wargame")
    app.setDesktopFileName("wargame")  # matches packaging/wargame.desktop (Wayland icon)
    from wargame.ui.icon import install_app_icon

    install_app_icon(app)
    return app


def apply_saved_theme(app) -> None:
    from wargame.ui import settings
    from wargame.ui.palette import apply_app_palette

    apply_app_palette(app, "dark" if settings.get("view/theme") == "dark" else "light")


def run(scenario: str | None = None, db: str | None = None, quit_after_start: bool = False
        ) -> int:
    app = make_application()
    from wargame.ui.dialogs import install_excepthook

    install_excepthook()
    from wargame.ui.main_window import MainWindow

    window = MainWindow(db_path=Path(db) if db else None, scenario_path=scenario,
                        populate=not quit_after_start)
    window.show()
    if quit_after_start:  # the cold-start benchmark: stop once the start screen is painted
        app.processEvents()
        window.repaint()
        heavy = [name for name in ("pyqtgraph", "wargame.engine", "wargame.store",
                                   "wargame.scenario.loader", "numpy") if name in sys.modules]
        print("shown; heavy modules loaded:", ",".join(heavy) or "none", flush=True)
        window.close()
        return 0
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: apply_saved_theme(app))
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(*(sys.argv[1:2] or [None])))
