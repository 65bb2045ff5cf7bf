"""What a facilitator waits for when the app starts (issue 9, item 14).

- Cold start to a painted start screen, against a bare PySide6 window (target: within 2x).
  Each figure is the best of a few runs of a fresh interpreter (a subprocess), so it
  includes importing Python, PySide6 and our modules. Only Qt widgets are imported before
  the start screen is painted.
- Cold start until the start screen is filled in: the scenarios are parsed and validated
  and the saved sessions read on a background thread while the screen already shows
  "Loading scenarios…".
- The set-up dialog: from a click on "Set up exercise…" to the dialog on screen, with the
  start screen loaded (target: under 200 ms). The scenario parsed by the start screen is
  reused, so the dialog does not parse the file again.
- The start screen's background read of the default scenario (parse + validate).

Run: ``python -m benchmarks.bench_ui_startup`` (or ``make bench``).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = ("from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication([])\nw = QWidget()\nw.resize(800, 600)\nw.show()\n"
        "app.processEvents()\nw.repaint()\nprint('shown')\n")
APP = ("import sys\nfrom wargame.ui.app import run\n"
       "sys.exit(run(None, sys.argv[1], quit_after_start=True))\n")
APP_READY = ("import sys\nfrom wargame.ui.app import run\n"
             "sys.exit(run(None, sys.argv[1], quit_after_ready=True))\n")


def _time(code: str, *args: str, runs: int = 3) -> tuple[float, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    best = float("inf")
    out = ""
    with tempfile.TemporaryDirectory() as tmp:
        env["WARGAME_SETTINGS_DIR"] = os.path.join(tmp, "settings")
        for _ in range(runs):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", code, *args], env=env,
                                  capture_output=True, text=True, timeout=120)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise RuntimeError(f"start-up failed: {proc.stderr.strip()[-400:]}")
            out = proc.stdout.strip()
            best = min(best, elapsed)
    return best, out


def cold_start(runs: int = 3) -> dict:
    bare, _ = _time(BARE, runs=runs)
    with tempfile.TemporaryDirectory() as tmp:
        app, out = _time(APP, os.path.join(tmp, "s.sqlite"), runs=runs)
        ready, _ = _time(APP_READY, os.path.join(tmp, "s.sqlite"), runs=runs)
    return {"bare": bare, "app": app, "ratio": app / bare if bare else float("nan"),
            "ready": ready, "output": out}


def setup_dialog_ms(repeats: int = 7) -> tuple[float, float]:
    """(median ms from the click to the set-up dialog on screen, ms of the start screen's
    background read), in this process, offscreen, on the default scenario."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pathlib import Path

    from wargame.ui.app import make_application

    app = make_application()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from wargame.resources import default_scenario_path
    from wargame.ui import dialogs, settings
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import wait_until

    with tempfile.TemporaryDirectory() as tmp:
        settings.use_settings_dir(Path(tmp) / "settings")
        dialogs.install_excepthook(quiet=True)
        window = MainWindow(db_path=Path(tmp) / "s.sqlite",
                            scenario_path=str(default_scenario_path()), populate=False)
        window.show()
        start = time.perf_counter()
        window.populate_start()
        if not wait_until(lambda: window.start_ready, timeout=60):
            raise RuntimeError("the start screen never finished loading")
        read_ms = (time.perf_counter() - start) * 1000
        times: list[float] = []
        for _ in range(repeats):
            clicked = time.perf_counter()

            def on_screen() -> None:
                dialog = QApplication.activeModalWidget()
                if dialog is None or not dialog.isVisible():
                    QTimer.singleShot(1, on_screen)
                    return
                times.append((time.perf_counter() - clicked) * 1000)
                dialog.reject()

            QTimer.singleShot(0, on_screen)
            window.start.new_button.click()  # the real dialog, modal: returns on reject
        window.ask_before_quit = False
        window.close()
        settings.use_settings_dir(None)
        app.processEvents()
    return statistics.median(times), read_ms


def bench() -> list[tuple[str, float, str]]:
    result = cold_start()
    dialog_ms, read_ms = setup_dialog_ms()
    return [
        ("ui: bare PySide6 window, cold start", result["bare"], "s"),
        ("ui: app start screen painted, cold start", result["app"], "s"),
        ("ui: start screen painted / bare window (target <= 2)", result["ratio"], "x"),
        ("ui: start screen filled in (scenarios, sessions), cold start", result["ready"], "s"),
        ("ui: start screen's background read of the default scenario", read_ms, "ms"),
        ("ui: set-up dialog on screen after the click (median, target < 200)", dialog_ms,
         "ms"),
    ]


if __name__ == "__main__":  # pragma: no cover
    for name, value, unit in bench():
        print(f"{name:70s} {value:8.3f} {unit}")
