"""Start the desktop app: ``wargame app [SCENARIO] [--db FILE]`` or ``make run``.

Only PySide6 widgets are imported before the start screen is shown; the loader, the
engine, the store and pyqtgraph are imported afterwards, and the scenarios are read on a
background thread (see ``benchmarks/bench_ui_startup.py``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def make_application(argv: list[str] | None = None, icon: bool = True):
    """The QApplication with the app's names; ``icon=False`` leaves the icon for later
    (rendering it from SVG takes ~40 ms that the first paint should not wait for)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("wargame")
    app.setApplicationName("wargame")
    app.setApplicationDisplayName("wargame")
    app.setDesktopFileName("wargame")  # matches packaging/wargame.desktop (Wayland icon)
    if icon:
        from wargame.ui.icon import install_app_icon

        install_app_icon(app)
    return app


def apply_saved_theme(app) -> None:
    from wargame.ui import settings
    from wargame.ui.palette import apply_app_palette

    apply_app_palette(app, "dark" if settings.get("view/theme") == "dark" else "light")


def run(scenario: str | None = None, db: str | None = None, quit_after_start: bool = False,
        quit_after_ready: bool = False) -> int:
    """Open the app. The two ``quit_after_*`` flags serve the start-up benchmark
    (``benchmarks/bench_ui_startup.py``): stop once the start screen is painted, or once
    its background read (scenarios, saved sessions) is on screen."""
    app = make_application(icon=False)  # the icon comes just after the first paint
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

    from wargame.ui.icon import install_app_icon

    QTimer.singleShot(0, lambda: apply_saved_theme(app))
    QTimer.singleShot(0, lambda: install_app_icon(app))
    if quit_after_ready:
        def stop_when_ready() -> None:
            if window.start_ready:
                print("ready; scenarios listed:", window.start.scenario_list.count(),
                      flush=True)
                window.close()
                app.quit()
            else:
                QTimer.singleShot(5, stop_when_ready)

        QTimer.singleShot(0, stop_when_ready)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(*(sys.argv[1:2] or [None])))
