"""Speed of the debrief charts and the flow map on real engine output: a seeded 12-turn
all-bot game of the default scenario.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_views.py [--repeats N]

``bench()`` returns (name, value, unit) rows (median milliseconds); it needs a
QApplication and creates an offscreen one when there is none. Timings are never asserted
in tests.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import timing  # noqa: E402
from timing import Row, median_ms  # noqa: E402

DEFAULT_SCENARIO = REPO / "scenarios" / "rare-earth-shock-2025.yaml"


def engine_history(turns: int = 12, seed: int = 2025) -> tuple[Any, list]:
    """(scenario, typed indicators per turn) of an all-bot game of the default scenario."""
    from wargame.engine import run_game
    from wargame.scenario.loader import load_scenario

    scenario = load_scenario(DEFAULT_SCENARIO)
    results = run_game(scenario, seed=seed, turns=turns,
                       bots=[t.id for t in scenario.teams], explain=False)
    return scenario, [r.indicators for r in results]


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from wargame.ui._qt import QtWidgets

    return QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


def bench(repeats: int = 20) -> list[Row]:
    app = _app()
    from wargame.ui.charts import DebriefCharts
    from wargame.ui.flowmap import FlowMapWidget

    scenario, history = engine_history()
    start = time.perf_counter()
    charts = DebriefCharts()
    build_ms = (time.perf_counter() - start) * 1000.0
    charts.resize(1366, 700)
    charts.show()
    charts.update_history(scenario, history)
    app.processEvents()
    update_ms = median_ms(lambda: charts.update_history(scenario, history), repeats)

    def update_and_paint() -> None:
        charts.update_history(scenario, history)
        charts.grab()

    paint_ms = median_ms(update_and_paint, repeats)
    charts.close()

    fmap = FlowMapWidget()
    fmap.resize(1366, 700)
    fmap.show()
    fmap.set_data(scenario, history[-1], history[-2])
    app.processEvents()

    def map_update() -> None:
        fmap.set_data(scenario, history[-1], history[-2])
        fmap.canvas.grab()

    map_ms = median_ms(map_update, repeats)
    fmap.close()
    turns = len(history)
    return [
        ("debrief charts build (first, incl. pyqtgraph import)", build_ms, "ms"),
        (f"debrief charts update ({turns} engine turns)", update_ms, "ms"),
        (f"debrief charts update + repaint ({turns} engine turns)", paint_ms, "ms"),
        ("flow map update + repaint (engine turn)", map_ms, "ms"),
    ]


if __name__ == "__main__":
    sys.exit(timing.main(bench, __doc__.splitlines()[0], 20))
