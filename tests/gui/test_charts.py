"""Debrief charts: they render hand-made and engine histories, show the right numbers, stay
fast, and pyqtgraph is imported only when a chart is built."""
from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wargame.ui.bench_views import demo_history, demo_scenario

SHOTS = Path("/tmp/uiviews")


@pytest.fixture(scope="module")
def scenario():
    return demo_scenario()


@pytest.fixture(scope="module")
def history(scenario):
    return demo_history(scenario, 12)


def _save(widget, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def test_importing_views_does_not_import_pyqtgraph():
    code = ("import sys, wargame.ui.charts, wargame.ui.flowmap, wargame.ui.palette;"
            "assert 'pyqtgraph' not in sys.modules, 'pyqtgraph imported eagerly'")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_debrief_charts_render_hand_made_history(qtbot, scenario, history):
    from wargame.ui.charts import DebriefCharts

    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.resize(1366, 720)
    charts.show()
    charts.update_history(scenario, history)
    assert len(charts.prices._curves) == len(scenario.materials)
    assert len(charts.scores._curves) == len(scenario.teams)
    assert len(charts.budgets._curves) == len(scenario.teams)
    # China is found as the default origin and not plotted against itself
    assert charts.dependency.origin_combo.currentData() == "CN"
    assert "China" not in charts.dependency._curves
    assert charts.dependency.title_label.text() == "Dependency on China"
    assert charts.supply_met.selected_turn() == 12
    image = charts.grab().toImage()
    assert not image.isNull() and image.width() >= 1300
    _save(charts, "test_debrief_light.png")
    charts.apply_theme("dark")
    _save(charts, "test_debrief_dark.png")
    charts.set_large_type(True)  # large type switches to one chart per tab
    assert charts.is_tabbed()
    charts.show_chart("supply_met")
    _save(charts, "test_debrief_dark_large_heatmap.png")
    charts.set_large_type(False)
    assert not charts.is_tabbed()


def test_price_chart_index_usd_and_log(qtbot, scenario, history):
    from wargame.ui.charts import PriceChart

    chart = PriceChart()
    qtbot.addWidget(chart)
    chart.update_history(scenario, history)
    label = scenario.material("ree").name
    xs, ys = chart._curves[label].getData()
    assert list(xs[:2]) == [0, 1]
    assert ys[0] == pytest.approx(100.0)  # turn 0 = baseline
    magnet = history[4]["prices"]["ree"]["magnet"]
    assert ys[5] == pytest.approx(100 * magnet / 90.0)
    chart.set_mode("usd")
    xs, ys = chart._curves[label].getData()
    assert ys[5] == pytest.approx(magnet)
    assert "USD/kg" in chart.plot.getAxis("left").labelText
    chart.set_log_scale(True)
    assert chart.plot.getAxis("left").logMode
    chart.stage_combo.setCurrentIndex(chart.stage_combo.findData("first"))
    assert any("Mine" in k for k in chart._curves)


def test_heatmap_values_and_turn_choice(qtbot, scenario):
    from wargame.ui.charts import SupplyMetHeatmap

    history = [
        {"turn": 1, "supply_met": {"US": {"defence": 1.0, "ev": 0.5}, "EU": {"ev": 0.25}}},
        {"turn": 2, "supply_met": {"US": {"defence": 0.8, "ev": 0.1}, "EU": {"ev": 0.0}}},
    ]
    heat = SupplyMetHeatmap()
    qtbot.addWidget(heat)
    heat.resize(600, 300)
    heat.update_history(scenario, history)
    rows, cols, values = heat.matrix()
    assert rows == ["United States", "European Union"]  # scenario order
    assert cols == ["Defence", "Electric vehicles"]
    assert values[0] == [0.8, 0.1]
    assert math.isnan(values[1][0]) and values[1][1] == 0.0
    heat.select_turn(1)
    assert heat.matrix()[2][0] == [1.0, 0.5]
    # a new turn arrives: a user who looks at an older turn keeps it
    heat.update_history(scenario, history + [{"turn": 3, "supply_met": {"US": {"ev": 1}}}])
    assert heat.selected_turn() == 1
    _save(heat, "test_heatmap_small.png")


def test_dependency_by_bloc_is_demand_weighted(qtbot, scenario):
    from wargame.ui.charts import DependencyChart

    history = [{"turn": 1, "dependency": {"US": {"CN": 0.8}, "EU": {"CN": 0.2},
                                          "AU": {"CN": 0.5}}}]
    chart = DependencyChart()
    qtbot.addWidget(chart)
    chart.update_history(scenario, history)
    chart.set_grouping("bloc")
    data = {label: ys for label, _, ys in chart._series}
    us = sum(d.tonnes_per_year.value for d in scenario.demand if d.actor == "US")
    eu = sum(d.tonnes_per_year.value for d in scenario.demand if d.actor == "EU")
    assert data["West"][0] == pytest.approx(100 * (0.8 * us + 0.2 * eu) / (us + eu))
    assert data["Producers"][0] == pytest.approx(50.0)  # no demand -> plain mean


def test_empty_history_renders_placeholder(qtbot, scenario):
    from wargame.ui.charts import DebriefCharts

    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.update_history(scenario, [])
    assert charts.prices._curves == {}
    assert charts.supply_met.matrix() == ([], [], [])
    assert not charts.grab().isNull()


def test_update_of_twelve_turns_is_fast(qtbot, scenario, history):
    from wargame.ui.charts import DebriefCharts

    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.resize(1366, 720)
    charts.show()
    charts.update_history(scenario, history)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        charts.update_history(scenario, history)
        times.append(time.perf_counter() - t0)
    assert sorted(times)[2] < 0.1


def test_charts_with_real_engine_results(qtbot, mini_path):
    engine = pytest.importorskip("wargame.engine")
    from wargame.scenario.loader import load_scenario
    from wargame.ui.charts import DebriefCharts

    scenario = load_scenario(mini_path)
    state = engine.initial_state(scenario, scenario.default_seed)
    history = []
    for _ in range(4):
        result = engine.resolve_turn(scenario, state, [])
        history.append(result.indicators)
        state = result.state
    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.resize(1366, 720)
    charts.show()
    charts.update_history(scenario, history)
    assert len(charts.prices._curves) == len(scenario.materials)
    rows, cols, values = charts.supply_met.matrix()
    assert rows and cols
    _save(charts, "test_debrief_engine_mini.png")
