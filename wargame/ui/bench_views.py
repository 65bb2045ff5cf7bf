"""Benchmarks and demo data for the debrief charts and the flow map.

Usage::

    from wargame.ui.bench_views import bench, demo_scenario, demo_history
    bench()   # -> [("debrief charts update (12 turns)", 8.1, "ms"), ...]
    scenario = demo_scenario(); history = demo_history(scenario, turns=12)

``demo_scenario()`` is a small hand-made Scenario (8 actors, 2 materials, 5 sectors) and
``demo_history()`` makes deterministic indicator dicts in the contract's format (prices,
supply_met, dependency, budget, scores, flows ...). They feed the GUI tests, screenshots and
this benchmark, so none of them depends on the engine being finished. ``bench()`` needs a
QApplication; it creates an offscreen one when there is none.
"""
from __future__ import annotations

import math
import os
import time
from typing import Any

__all__ = ["bench", "demo_scenario", "demo_history"]


def demo_scenario():
    """A small but realistic Scenario for the views (no file I/O, no loader needed)."""
    from wargame.scenario.model import Scenario

    src = {
        "USGS-MCS25": "U.S. Geological Survey, Mineral Commodity Summaries 2025.",
        "IEA25b": "IEA, Global Critical Minerals Outlook 2025.",
        "U-GA": "USGS, Gallium statistics and information, 2025.",
    }
    actors = [
        ("CN", "China", "China", (104.0, 35.0), "beijing"),
        ("US", "United States", "West", (-98.0, 39.0), "washington"),
        ("EU", "European Union", "West", (10.0, 50.0), "brussels"),
        ("JP", "Japan", "West", (138.0, 36.0), None),
        ("AU", "Australia", "Producers", (134.0, -25.0), None),
        ("MY", "Malaysia", "Producers", (102.0, 4.0), None),
        ("MM", "Myanmar", "Producers", (96.0, 21.0), None),
        ("KR", "South Korea", "West", (128.0, 36.5), None),
    ]
    return Scenario.model_validate({
        "id": "demo", "title": "Demo for the views", "turn_length_months": 3, "turns": 12,
        "sources": src,
        "restriction_levels": [{"id": "licence", "name": "Licences", "mean": 0.5}],
        "actors": [{"id": i, "name": n, "bloc": b, "position": p, "team": t}
                   for i, n, b, p, t in actors],
        "teams": [
            {"id": "beijing", "name": "Beijing", "budget": 5000},
            {"id": "washington", "name": "Washington", "budget": 4000},
            {"id": "brussels", "name": "Brussels", "budget": 3000},
        ],
        "materials": [
            {"id": "ree", "name": "Rare earths (NdPr)", "stages": [
                {"id": "mine", "name": "Mine", "price": 20},
                {"id": "oxide", "name": "Separated oxide", "yield": 0.9, "price": 60},
                {"id": "magnet", "name": "NdFeB magnet", "yield": 0.8, "price": 90}]},
            {"id": "gallium", "name": "Gallium", "stages": [
                {"id": "primary", "name": "Primary Ga", "price": 220},
                {"id": "refined", "name": "High-purity Ga", "yield": 0.9, "price": 500}]},
        ],
        "sectors": [
            {"id": "defence", "name": "Defence", "priority": 1},
            {"id": "ev", "name": "Electric vehicles"},
            {"id": "wind", "name": "Wind turbines"},
            {"id": "electronics", "name": "Consumer electronics"},
            {"id": "semis", "name": "Semiconductors"},
        ],
        "capacities": [
            {"actor": "CN", "material": "ree", "stage": "mine",
             "capacity": {"value": 270000, "source": "USGS-MCS25"}},
            {"actor": "US", "material": "ree", "stage": "mine",
             "capacity": {"value": 45000, "source": "USGS-MCS25"}},
            {"actor": "AU", "material": "ree", "stage": "mine",
             "capacity": {"value": 13000, "source": "USGS-MCS25"}},
            {"actor": "MM", "material": "ree", "stage": "mine",
             "capacity": {"value": 31000, "source": "USGS-MCS25"}},
            {"actor": "CN", "material": "ree", "stage": "oxide",
             "capacity": {"value": 300000, "source": "IEA25b", "note": "91 % of world"}},
            {"actor": "MY", "material": "ree", "stage": "oxide",
             "capacity": {"value": 16000, "source": "IEA25b"}},
            {"actor": "CN", "material": "ree", "stage": "magnet",
             "capacity": {"value": 250000, "source": "IEA25b"}},
            {"actor": "JP", "material": "ree", "stage": "magnet",
             "capacity": {"value": 12000, "source": "IEA25b"}},
            {"actor": "CN", "material": "gallium", "stage": "primary",
             "capacity": {"value": 750, "source": "U-GA"}},
            {"actor": "CN", "material": "gallium", "stage": "refined",
             "capacity": {"value": 300, "source": "U-GA"}},
            {"actor": "JP", "material": "gallium", "stage": "refined",
             "capacity": {"value": 20, "source": "U-GA"}},
        ],
        "demand": [
            {"actor": a, "sector": s, "material": "ree",
             "tonnes_per_year": {"value": v, "source": "IEA25b"}}
            for a, s, v in [
                ("CN", "ev", 90000), ("CN", "wind", 40000), ("CN", "electronics", 50000),
                ("CN", "defence", 5000), ("US", "defence", 3000), ("US", "ev", 15000),
                ("US", "electronics", 8000), ("EU", "ev", 12000), ("EU", "wind", 6000),
                ("EU", "defence", 1500), ("JP", "ev", 9000), ("JP", "electronics", 6000),
                ("KR", "electronics", 7000), ("KR", "ev", 5000)]
        ] + [
            {"actor": a, "sector": "semis", "material": "gallium",
             "tonnes_per_year": {"value": v, "source": "U-GA"}}
            for a, v in [("CN", 150), ("US", 60), ("EU", 30), ("JP", 50), ("KR", 30)]
        ],
    })


def demo_history(scenario: Any, turns: int = 12) -> list[dict]:
    """Deterministic indicator dicts (contract format) for ``turns`` turns: China freezes
    magnet licences from turn 3, bans gallium from turn 5, eases from turn 9."""
    actors = [a.id for a in scenario.actors]
    history = []
    teams = [t.id for t in scenario.teams]
    budget = {t.id: float(t.budget.value) for t in scenario.teams}
    for turn in range(1, turns + 1):
        shock = 0.0 if turn < 3 else (1.0 if turn < 9 else max(0.2, 1.0 - 0.25 * (turn - 8)))
        prices = {}
        for m in scenario.materials:
            prices[m.id] = {}
            for k, st in enumerate(m.stages):
                wobble = 1.0 + 0.03 * math.sin(turn * 1.3 + k)
                factor = (1 + shock * (1.5 + k)) if m.id == "ree" else (1 + shock * 2.4 * (k + 1))
                prices[m.id][st.id] = round(float(st.price.value) * factor * wobble, 2)
        supply_met: dict[str, dict[str, float]] = {}
        for d in scenario.demand:
            base = 1.0 if d.actor == "CN" else 1.0 - shock * (0.55 if d.sector != "defence"
                                                               else 0.25)
            if d.material == "gallium":
                base = 1.0 if d.actor == "CN" else 1.0 - 0.7 * shock
            base -= 0.04 * ((hash(d.actor + d.sector) % 5) / 5.0) * shock
            supply_met.setdefault(d.actor, {})[d.sector] = round(max(0.0, min(1.0, base)), 4)
        dependency = {}
        for i, a in enumerate(actors):
            cn = 0.9 - 0.02 * i - 0.25 * shock * (0.4 if a != "CN" else 0) - 0.01 * turn
            cn = max(0.05, min(1.0, cn))
            dependency[a] = {"CN": round(cn, 4), "AU": round((1 - cn) * 0.6, 4),
                             "MY": round((1 - cn) * 0.4, 4)}
        for t in teams:
            budget[t] -= 80.0 + 40.0 * (teams.index(t) + 1) * (1 if turn % 2 else 0.5)
        scores = {t: round(50 + (j - 1) * 8 * shock + 3 * math.sin(turn + j), 2)
                  for j, t in enumerate(teams)}
        flows = {
            "ree": {
                "mine": [["MM", "CN", 7000.0 * (1 - 0.3 * shock), "open"],
                         ["US", "CN", 9000.0 * (1 - 0.8 * shock),
                          "slowed" if shock else "open"],
                         ["AU", "MY", 3000.0, "open"]],
                "oxide": [["CN", "JP", 3000.0 * (1 - 0.6 * shock), "slowed" if shock else "open"],
                          ["MY", "JP", 2000.0, "open"], ["MY", "US", 1500.0, "open"],
                          ["CN", "EU", 2500.0 * (1 - shock), "frozen" if shock else "open"]],
                "magnet": [["CN", "US", 6000.0 * (1 - 0.7 * shock), "slowed" if shock else "open"],
                           ["CN", "EU", 5000.0 * (1 - 0.5 * shock), "slowed" if shock else "open"],
                           ["CN", "JP", 2000.0 * (1 - shock), "frozen" if shock else "open"],
                           ["JP", "US", 1200.0 * (1 + 0.4 * shock), "open"],
                           ["CN", "KR", 2500.0, "open"]],
            },
            "gallium": {
                "primary": [],
                "refined": [["CN", "US", 0.0 if turn >= 5 else 15.0,
                             "banned" if turn >= 5 else "open"],
                            ["CN", "JP", 10.0 * (1 - 0.5 * shock), "slowed" if shock else "open"],
                            ["JP", "KR", 5.0, "open"], ["CN", "EU", 8.0, "open"]],
            },
        }
        history.append({
            "turn": turn,
            "prices": prices,
            "supply_met": supply_met,
            "dependency": dependency,
            "budget": {t: round(v, 1) for t, v in budget.items()},
            "political_capital": {t: 100.0 - 2 * turn for t in teams},
            "scores": scores,
            "import_bill": {a: round(100 + 30 * shock * (i + 1), 1) for i, a in enumerate(actors)},
            "revenue": {a: round(200 - 10 * i + 50 * shock, 1) for i, a in enumerate(actors)},
            "flows": flows,
            "stocks": {a: {"ree": 1000.0 * (i + 1) * (1 - 0.3 * shock)} for i, a in
                       enumerate(actors)},
            "shortfall_tonnes": {a: {s: round((1 - v) * 1000, 1) for s, v in row.items()}
                                 for a, row in supply_met.items()},
        })
    return history


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from wargame.ui._qt import QtWidgets

    return QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


def bench(repeats: int = 20) -> list[tuple[str, float, str]]:
    """Time the views on the demo data: median ms per call."""
    app = _app()
    from wargame.ui.charts import DebriefCharts
    from wargame.ui.flowmap import FlowMapWidget

    scenario = demo_scenario()
    history = demo_history(scenario, 12)

    def median_ms(fn) -> float:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000.0)
        times.sort()
        return times[len(times) // 2]

    t0 = time.perf_counter()
    charts = DebriefCharts()
    build_ms = (time.perf_counter() - t0) * 1000.0
    charts.resize(1366, 700)
    charts.show()
    charts.update_history(scenario, history)
    app.processEvents()
    update_ms = median_ms(lambda: charts.update_history(scenario, history))

    def update_and_paint() -> None:
        charts.update_history(scenario, history)
        charts.grab()

    paint_ms = median_ms(update_and_paint)
    charts.close()

    fmap = FlowMapWidget()
    fmap.resize(1366, 700)
    fmap.show()
    fmap.set_data(scenario, history[-1], history[-2])
    app.processEvents()

    def map_update() -> None:
        fmap.set_data(scenario, history[-1], history[-2])
        fmap.canvas.grab()

    map_ms = median_ms(map_update)
    fmap.close()
    return [
        ("debrief charts build (first, incl. pyqtgraph import)", round(build_ms, 1), "ms"),
        ("debrief charts update (12 turns)", round(update_ms, 2), "ms"),
        ("debrief charts update + repaint (12 turns)", round(paint_ms, 2), "ms"),
        ("flow map update + repaint", round(map_ms, 2), "ms"),
    ]


if __name__ == "__main__":  # pragma: no cover
    for name, value, unit in bench():
        print(f"{name:55s} {value:10.2f} {unit}")
