"""Fonts exist (else every glyph is a box and tests still pass) and charts survive thousands
of repaints (PySide6 6.12.0 on CPython 3.11 corrupted None's refcount: DESIGN.md)."""
from __future__ import annotations

from PySide6 import QtGui


def test_font_database_has_families(qtbot):
    families = QtGui.QFontDatabase.families()
    assert families, "no fonts: install fonts-dejavu-core (see Makefile)"
    metrics = QtGui.QFontMetrics(QtGui.QFont())
    assert metrics.horizontalAdvance("Rare earths") > metrics.horizontalAdvance("R")


def test_chart_survives_thousands_of_repaints(qtbot, engine_history):
    from wargame.ui.charts import PriceChart

    scenario, history = engine_history.scenario, engine_history.indicators
    chart = PriceChart()
    qtbot.addWidget(chart)
    chart.resize(320, 200)
    chart.show()
    chart.update_history(scenario, history)
    for i in range(3000):
        if i % 500 == 0:
            chart.update_history(scenario, history[: 1 + i // 500])
        image = chart.graphics.grab()
    assert not image.isNull()


def test_flow_map_and_heatmap_survive_many_repaints(qtbot, engine_history):
    from wargame.ui.charts import SupplyMetHeatmap
    from wargame.ui.flowmap import FlowMapWidget

    scenario, history = engine_history.scenario, engine_history.indicators[:3]
    fmap = FlowMapWidget()
    heat = SupplyMetHeatmap()
    for w in (fmap, heat):
        qtbot.addWidget(w)
        w.resize(400, 250)
        w.show()
    fmap.set_data(scenario, history[2], history[1])
    heat.update_history(scenario, history)
    for _ in range(500):
        fmap.canvas.repaint()
        heat.canvas.repaint()
    assert not fmap.canvas.grab().isNull()
