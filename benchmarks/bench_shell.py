"""Cold start of the desktop app to its start screen, against a bare PySide6 window.

Each figure is the best of a few runs of a fresh interpreter (a subprocess), so it includes
importing Python, PySide6 and our modules. The app imports only Qt widgets before the start
screen is painted; the loader, the engine, the store and pyqtgraph come afterwards.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

BARE = ("from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication([])\nw = QWidget()\nw.resize(800, 600)\nw.show()\n"
        "app.processEvents()\nw.repaint()\nprint('shown')\n")
APP = ("import sys\nfrom wargame.ui.app import run\n"
       "sys.exit(run(None, sys.argv[1], quit_after_start=True))\n")


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
    return {"bare": bare, "app": app, "ratio": app / bare if bare else float("nan"),
            "output": out}


def bench() -> list[tuple[str, float, str]]:
    result = cold_start()
    return [
        ("ui: bare PySide6 window, cold start", result["bare"], "s"),
        ("ui: app to start screen, cold start", result["app"], "s"),
        ("ui: app / bare window cold start (target <= 2)", result["ratio"], "x"),
    ]


if __name__ == "__main__":  # pragma: no cover
    for name, value, unit in bench():
        print(f"{name:55s} {value:8.3f} {unit}")
