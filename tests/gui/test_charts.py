"""Debrief charts on real engine output: they render, show the engine's numbers, keep the
user's choices, and pyqtgraph is imported only when a chart is built."""
from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHOTS = Path("/tmp/uiviews")


def _save(widget, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def test_importing_views_does_not_import_pyqtgraph():
    code = ("import sys, wargame.ui.charts, wargame.ui.flowmap, wargame.ui.palette;"
            "assert 'pyqtgraph' not in sys.modules, 'pyqtgraph imported eagerly'")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_debrief_charts_render_an_engine_game(qtbot, engine_history):
    from wargame.ui.charts import DebriefCharts

    scenario, history = engine_history.scenario, engine_history.indicators
    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.resize(1366, 720)
    charts.show()
    charts.update_history(scenario, history)
    assert len(charts.prices._curves) == len(scenario.materials)
    assert len(charts.scores._curves) == len(scenario.teams)
    assert len(charts.budgets._curves) == len(scenario.teams)
    # China is found as the default origin and not plotted against itself
    assert charts.dependency.origin_combo.currentData() == "CHN"
    assert "China" not in charts.dependency._curves
    assert charts.dependency.title_label.text() == "Dependency on China: Rare earths (NdPr)"
    assert charts.supply_met.selected_turn() == history[-1].turn
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


def test_scores_and_budgets_are_the_engines(qtbot, engine_history):
    from wargame.ui.charts import DebriefCharts

    scenario, history = engine_history.scenario, engine_history.indicators
    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.update_history(scenario, history)
    team = scenario.teams[0]
    _, ys = charts.scores._curves[team.name].getData()
    assert list(ys) == pytest.approx([ind.scores[team.id].total for ind in history])
    _, ys = charts.budgets._curves[team.name].getData()
    assert list(ys) == pytest.approx([ind.budget_usd_m[team.id] for ind in history])


def test_price_chart_index_usd_and_log(qtbot, engine_history):
    from wargame.ui.charts import PriceChart

    scenario, history = engine_history.scenario, engine_history.indicators
    chart = PriceChart()
    qtbot.addWidget(chart)
    chart.update_history(scenario, history)
    material = scenario.material("ree")
    stage = material.stages[-1]
    xs, ys = chart._curves[material.name].getData()
    assert list(xs) == [0] + [ind.turn for ind in history]
    assert ys[0] == pytest.approx(100.0)  # turn 0 = baseline
    world = [ind.world_price_usd_per_kg["ree"][stage.id] for ind in history]
    assert list(ys[1:]) == pytest.approx([100 * p / stage.price.value for p in world])
    chart.set_mode("usd")
    xs, ys = chart._curves[material.name].getData()
    assert list(ys[1:]) == pytest.approx(world)
    assert "USD/kg" in chart.plot.getAxis("left").labelText
    chart.set_log_scale(True)
    assert chart.plot.getAxis("left").logMode
    chart.stage_combo.setCurrentIndex(chart.stage_combo.findData("first"))
    assert any(material.stages[0].name in k for k in chart._curves)


def test_heatmap_values_and_turn_choice(qtbot, engine_history):
    from wargame.ui.charts import SupplyMetHeatmap

    scenario, history = engine_history.scenario, engine_history.indicators
    heat = SupplyMetHeatmap()
    qtbot.addWidget(heat)
    heat.resize(600, 300)
    heat.update_history(scenario, history[:3])
    rows, cols, values = heat.matrix()
    shown = history[2].supply_met_share
    assert rows == [a.name for a in scenario.actors if a.id in shown]  # scenario order
    sector_ids = [s.id for s in scenario.sectors if any(s.id in r for r in shown.values())]
    assert cols == [scenario.sector(s).name for s in sector_ids]
    for row, actor in zip(values, (a.id for a in scenario.actors if a.id in shown)):
        for value, sector in zip(row, sector_ids):
            expected = shown[actor].get(sector)
            assert math.isnan(value) if expected is None else value == expected
    heat.select_turn(1)
    assert heat.matrix()[2][0][0] == history[0].supply_met_share[scenario.actors[0].id][sector_ids[0]]
    # a new turn arrives: a user who looks at an older turn keeps it
    heat.update_history(scenario, history[:4])
    assert heat.selected_turn() == 1
    _save(heat, "test_heatmap_small.png")


def test_dependency_by_bloc_is_demand_weighted(qtbot, engine_history):
    from wargame.ui.charts import DependencyChart

    scenario, history = engine_history.scenario, engine_history.indicators
    chart = DependencyChart()
    qtbot.addWidget(chart)
    chart.update_history(scenario, history)
    chart.set_origin("CHN")
    chart.set_material(DependencyChart.ALL)
    chart.set_grouping("bloc")
    data = {label: ys for label, _, ys in chart._series}
    weight = {a: sum(d.tonnes_per_year.value for d in scenario.demand if d.actor == a)
              for a in ("USA", "EU")}
    shares = history[-1].dependency_share_all_materials_by_value
    expected = sum(100 * shares[a].get("CHN", 0.0) * w for a, w in weight.items()) \
        / sum(weight.values())
    assert data["West"][-1] == pytest.approx(expected)
    assert "China" not in data  # the origin is not plotted against itself


def test_dependency_is_per_material_and_the_aggregate_says_so(qtbot, engine_history):
    """Issue 9, item 8: dependency per material (the engine computes it); the all-
    materials figure is offered labelled as the value-weighted aggregate it is."""
    from wargame.ui.charts import DependencyChart

    scenario, history = engine_history.scenario, engine_history.indicators
    chart = DependencyChart()
    qtbot.addWidget(chart)
    chart.update_history(scenario, history)
    chart.set_origin("CHN")
    entries = [chart.material_combo.itemText(i) for i in range(chart.material_combo.count())]
    assert entries == [m.name for m in scenario.materials] + [
        "All materials (aggregate, by value)"]
    chart.material_combo.setCurrentIndex(chart.material_combo.findData("ga"))
    data = {label: ys for label, _, ys in chart._series}
    shares = history[-1].dependency_share_by_material["ga"]
    assert data["United States"][-1] == pytest.approx(100 * shares["USA"].get("CHN", 0.0))
    assert chart.title_label.text() == "Dependency on China: Gallium"
    chart.material_combo.setCurrentIndex(chart.material_combo.findData(DependencyChart.ALL))
    assert "aggregate" in chart.title_label.text()


def test_y_axis_titles_are_never_cut(qtbot, engine_history):
    """A price chart in the debrief pane at 1024x640 read 'Price index (baseline = 10': the
    y-axis title is the longest of its wordings that fits the axis."""
    from PySide6.QtGui import QFontMetricsF

    from wargame.ui.charts import PriceChart

    chart = PriceChart()
    qtbot.addWidget(chart)
    chart.resize(470, 230)
    chart.show()
    chart.update_history(engine_history.scenario, engine_history.indicators)
    qtbot.wait(20)
    axis = chart.plot.getAxis("left")
    fm = QFontMetricsF(chart.font_for(1.0))
    assert chart.y_label_shown in chart.y_labels()
    assert fm.horizontalAdvance(chart.y_label_shown) <= axis.height()
    assert chart.y_label_shown != chart.y_labels()[0]  # too small for the long one
    chart.resize(900, 700)
    qtbot.wait(20)
    assert chart.y_label_shown == chart.y_labels()[0]


def test_empty_history_renders_placeholder(qtbot, engine_history):
    from wargame.ui.charts import DebriefCharts

    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.update_history(engine_history.scenario, [])
    assert charts.prices._curves == {}
    assert charts.supply_met.matrix() == ([], [], [])
    assert not charts.grab().isNull()
