"""World flow map: the right arrows with the right status styles, change labels and ghosts,
clicks on actors and flows, details with sources, selectors, outline and fallback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6 import QtCore

from wargame.ui.bench_views import demo_history, demo_scenario

Qt = QtCore.Qt
SHOTS = Path("/tmp/uiviews")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scenario():
    return demo_scenario()


def _indicators(turn, rows, material="ree", stage="magnet"):
    return {"turn": turn, "flows": {material: {stage: rows}}}


@pytest.fixture
def fmap(qtbot, scenario):
    from wargame.ui.flowmap import FlowMapWidget

    widget = FlowMapWidget()
    qtbot.addWidget(widget)
    widget.resize(1200, 650)
    widget.show()
    return widget


def test_draws_one_arrow_per_flow_with_status_styles(fmap, scenario):
    rows = [["CN", "US", 6000.0, "open"], ["CN", "EU", 3000.0, "slowed"],
            ["CN", "JP", 1000.0, "frozen"], ["CN", "KR", 0.0, "banned"],
            ["JP", "JP", 50.0, "open"]]  # a domestic row is not a cross-border arrow
    fmap.set_data(scenario, _indicators(5, rows))
    assert fmap.selection() == ("ree", "magnet")
    flows = {(f.exporter, f.importer): f for f in fmap.canvas.drawn_flows()}
    assert set(flows) == {("CN", "US"), ("CN", "EU"), ("CN", "JP"), ("CN", "KR")}
    assert flows["CN", "US"].pen_style == Qt.PenStyle.SolidLine
    assert flows["CN", "EU"].pen_style == Qt.PenStyle.DashLine
    assert flows["CN", "JP"].pen_style == Qt.PenStyle.DotLine
    assert flows["CN", "KR"].pen_style == Qt.PenStyle.DashDotLine
    assert len({f.colour for f in flows.values()}) == 4  # distinct colours as well
    assert flows["CN", "US"].width > flows["CN", "EU"].width > flows["CN", "KR"].width
    assert all(f.change_label is None and not f.ghost for f in flows.values())
    fmap.canvas.grab()
    assert all(f.path is not None for f in fmap.canvas.drawn_flows())
    SHOTS.mkdir(parents=True, exist_ok=True)
    fmap.grab().save(str(SHOTS / "test_flowmap_statuses.png"))


def test_change_labels_and_ghosts(fmap, scenario):
    before = _indicators(4, [["CN", "US", 1000.0, "open"], ["CN", "EU", 2000.0, "open"],
                             ["AU", "JP", 500.0, "open"]])
    now = _indicators(5, [["CN", "US", 1120.0, "open"], ["CN", "EU", 1200.0, "slowed"],
                          ["JP", "US", 300.0, "open"]])
    fmap.set_data(scenario, now, before)
    flows = {(f.exporter, f.importer): f for f in fmap.canvas.drawn_flows()}
    assert flows["CN", "US"].change_label == "+12 %"
    assert flows["CN", "EU"].change_label == "−40 %"
    assert flows["JP", "US"].change_label == "new"
    ghost = flows["AU", "JP"]
    assert ghost.ghost and ghost.previous == 500.0 and ghost.change_label == "stopped"
    kinds = [kind for kind, _ in fmap.canvas.legend_rows()]
    assert kinds[:4] == ["open", "slowed", "frozen", "banned"] and "ghost" in kinds
    fmap.grab().save(str(SHOTS / "test_flowmap_changes.png"))


def test_click_on_actor_emits_and_shows_sources(fmap, scenario, qtbot):
    fmap.set_data(scenario, _indicators(5, [["CN", "US", 6000.0, "open"]]))
    fmap.canvas.grab()
    point = fmap.canvas.actor_point("CN")
    with qtbot.waitSignal(fmap.actorClicked, timeout=1000) as blocker:
        qtbot.mouseClick(fmap.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["CN"]
    text = fmap.details_text()
    assert "China" in text and "250,000 t" in text  # NdFeB capacity from the scenario
    assert "IEA, Global Critical Minerals Outlook 2025." in text  # the source's citation
    assert fmap.canvas.selected_actor == "CN"


def test_projection_puts_actors_where_they_are(fmap, scenario):
    fmap.set_data(scenario, _indicators(1, []))
    us, cn, au = (fmap.canvas.actor_point(a) for a in ("US", "CN", "AU"))
    assert us.x() < cn.x() and cn.y() < au.y()
    proj = fmap.canvas.project(104.0, 35.0)
    assert abs(proj.x() - cn.x()) <= 1 and abs(proj.y() - cn.y()) <= 1


def test_click_on_flow_emits_exporter_and_importer(fmap, scenario, qtbot):
    fmap.set_data(scenario, _indicators(5, [["CN", "US", 6000.0, "slowed"]]))
    fmap.canvas.grab()
    flow = fmap.canvas.drawn_flows()[0]
    fmap.canvas.grab()
    path = next(f.path for f in fmap.canvas._flows if f.exporter == "CN")
    point = path.pointAtPercent(0.5).toPoint()
    with qtbot.waitSignal(fmap.flowClicked, timeout=1000) as blocker:
        qtbot.mouseClick(fmap.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["CN", "US"]
    assert flow.status == "slowed"
    text = fmap.details_text()
    assert "6.0 kt" in text and "slowed" in text


def test_selectors_are_accessible_and_switch_material_and_stage(fmap, scenario):
    history = demo_history(scenario, 6)
    fmap.set_data(scenario, history[5], history[4])
    assert fmap.material_combo.accessibleName() == "Material shown on the map"
    assert fmap.stage_combo.accessibleName() == "Stage shown on the map"
    assert fmap.material_combo.count() == len(scenario.materials)
    fmap.set_selection("gallium", "refined")
    assert fmap.stage_combo.count() == 2
    flows = {(f.exporter, f.importer): f for f in fmap.canvas.drawn_flows()}
    assert flows["CN", "US"].status == "banned" and flows["CN", "US"].tonnes == 0.0
    fmap.stage_combo.setCurrentIndex(fmap.stage_combo.findData("primary"))
    assert fmap.canvas.drawn_flows() == []
    assert "no cross-border flows" in fmap.canvas.accessibleDescription()
    fmap.material_combo.setCurrentIndex(fmap.material_combo.findData("ree"))
    assert fmap.selection()[0] == "ree" and fmap.canvas.drawn_flows()


def test_large_type_dark_theme_and_schematic_fallback(fmap, scenario, tmp_path):
    history = demo_history(scenario, 4)
    fmap.set_data(scenario, history[3], history[2])
    fmap.apply_theme("dark")
    fmap.set_large_type(True)
    fmap.grab().save(str(SHOTS / "test_flowmap_dark_large.png"))
    fmap.canvas.world_file = str(tmp_path / "missing.json")
    image = fmap.canvas.grab().toImage()
    assert not image.isNull()


def test_world_outline_is_small_and_documented():
    from wargame.ui.flowmap import WORLD_FILE, load_world_rings

    assert WORLD_FILE.stat().st_size < 300_000
    data = json.loads(WORLD_FILE.read_text())
    assert len(data["countries"]) > 150
    assert len(load_world_rings()) > 200
    origin = (REPO / "assets" / "world" / "ORIGIN.md").read_text()
    assert "Natural Earth" in origin and "public domain" in origin and "world-atlas" in origin


def test_flow_map_with_real_engine_result(fmap, mini_path):
    engine = pytest.importorskip("wargame.engine")
    from wargame.scenario.loader import load_scenario

    scenario = load_scenario(mini_path)
    state = engine.initial_state(scenario, scenario.default_seed)
    first = engine.resolve_turn(scenario, state, [])
    second = engine.resolve_turn(scenario, first.state, [])
    fmap.set_data(scenario, second.indicators, first.indicators)
    material, stage = fmap.selection()
    expected = [r for r in second.indicators["flows"][material][stage] if r[0] != r[1]]
    assert len([f for f in fmap.canvas.drawn_flows() if not f.ghost]) == len(expected)
    fmap.grab().save(str(SHOTS / "test_flowmap_engine_mini.png"))


def test_default_scenario_map_and_charts(qtbot):
    engine = pytest.importorskip("wargame.engine")
    from wargame.scenario.loader import default_scenario_path, load_scenario
    from wargame.ui.charts import DebriefCharts
    from wargame.ui.flowmap import FlowMapWidget

    scenario = load_scenario(default_scenario_path())
    state = engine.initial_state(scenario, scenario.default_seed)
    history = []
    for _ in range(3):
        result = engine.resolve_turn(scenario, state, [])
        history.append(result.indicators)
        state = result.state
    fmap = FlowMapWidget()
    qtbot.addWidget(fmap)
    fmap.resize(1366, 700)
    fmap.show()
    fmap.set_data(scenario, history[-1], history[-2])
    fmap.canvas.grab()
    rect = fmap.canvas.map_rect()
    for actor in scenario.actors:  # every actor lands on the map
        assert rect.contains(QtCore.QPointF(fmap.canvas.actor_point(actor.id)))
    assert all(f.path is not None for f in fmap.canvas.drawn_flows())
    charts = DebriefCharts()
    qtbot.addWidget(charts)
    charts.update_history(scenario, history)
    assert len(charts.prices._curves) == len(scenario.materials)
    fmap.grab().save(str(SHOTS / "test_flowmap_default.png"))
