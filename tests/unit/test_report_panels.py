"""The Qt-free panels of the debrief, briefing, team screen, map and projector
(``wargame.report``): what the room reads, on real engine output and typed inputs, as tables
of cases, without Qt."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.engine import (
    Explanation, Order, baseline_preview, initial_state, resolve_turn, team_view,
)
from wargame.report import briefing, map_panels, panels, team_panel
from wargame.report.revealed import RevealedOrder, RevealedOverride, RevealedTurn
from wargame.scenario.loader import load_scenario

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"

REVEALED = RevealedTurn(
    turn=3,
    orders=(RevealedOrder(team="Beijing", text="NdPr licence freeze on the United States",
                          status="accepted"),
            RevealedOrder(team="Washington", text="Price floor <USD 110/kg>",
                          status="rejected")),
    explanations=(
        Explanation(text="Event: Port strike at Tianjin. Its effect: ...", kind="event"),
        Explanation(text="Beijing's NdPr licence freeze on the United States: 5 % of "
                         "licence requests approved.", kind="order"),
        Explanation(text="The NdPr magnet price rose to 2.1x its baseline.", kind="change"),
        Explanation(text="Licences for gallium from China: 40 % approved.", kind="news")),
    events=("Port strike at Tianjin",),
    overrides=(RevealedOverride(order="Washington: Offtake of 30 % of Australia's NdPr "
                                      "mining output", status="rejected",
                                reason="not credible this quarter"),),
)


@pytest.fixture(scope="module")
def mini():
    """Three turns of mini.yaml: a gallium licence freeze on the EU from turn 1."""
    scenario = load_scenario(MINI)
    state = initial_state(scenario, 7)
    freeze = Order("beijing", "export_licences",
                   {"material": "ga", "targets": "EU", "level": "freeze", "turns": 3},
                   id="t1-beijing-1")
    results = []
    for turn in (1, 2, 3):
        result = resolve_turn(scenario, state, [freeze] if turn == 1 else [])
        results.append(result)
        state = result.state
    return scenario, results


@pytest.mark.parametrize("phase,waiting,paused,expected", [
    ("briefing", [], False, "Briefing: orders open when the facilitator hands the laptop over."),
    ("orders", ["Washington"], False, "Waiting for Washington."),
    ("orders", ["Washington", "Brussels"], False, "Waiting for Washington and Brussels."),
    ("orders", ["Beijing", "Washington", "Brussels"], False,
     "Waiting for Beijing, Washington and Brussels."),
    ("orders", [], False, "All orders are in: the facilitator resolves the turn."),
    ("adjudication", [], False, "All orders are in: the facilitator is reviewing the outcomes."),
    ("orders", ["Washington"], True, "Paused: the clock has stopped."),
    ("ended", [], False, "The exercise has ended."),
])
def test_waiting_text(phase, waiting, paused, expected):
    """Rule: the room reads whom it waits for, by name, in one sentence."""
    assert panels.waiting_text(phase, waiting, paused) == expected


def test_debrief_names_turn_events_explanations_orders_and_overrides():
    text = panels.debrief_html(REVEALED)
    assert "<h3>Turn 3: what happened and why</h3>" in text
    assert text.index("Events and orders") < text.index("What changed") \
        < text.index("Also this turn") < text.index("Orders of every team")
    assert "Port strike at Tianjin" in text and "rose to 2.1x" in text
    assert "NdPr licence freeze on the United States" in text
    # an override names the order, never its internal id
    assert "Washington: Offtake of 30\u00a0% of Australia&#x27;s NdPr mining output: rejected" \
        in text and "not credible this quarter" in text
    assert "Price floor &lt;USD 110/kg&gt;" in text  # escaped, never raw markup


@pytest.mark.parametrize("revealed,expected", [
    (None, "The debrief appears here once a turn has been committed."),
    (REVEALED.model_copy(update={"explanations": ()}),
     "No order or event changed anything measurable"),
    (REVEALED.model_copy(update={"orders": ()}), "No team gave an order this turn."),
    (REVEALED.model_copy(update={"explanations": ()}), "<p><b>Events</b></p>"),
])
def test_debrief_says_when_there_is_nothing(revealed, expected):
    assert expected in panels.debrief_html(revealed)


def test_covert_explanations_are_marked_for_the_facilitator():
    covert = Explanation(text="Beijing's offtake ...", public=False, kind="order")
    assert panels.COVERT_NOTE in panels.explanation_list_html([covert])


def test_projector_versions_shorten_from_the_complete_one():
    many = REVEALED.model_copy(update={"explanations": REVEALED.explanations + tuple(
        Explanation(text=f"Figure {n} moved.", kind="change") for n in range(12))})
    versions = panels.projector_debrief_versions(many)
    assert "Orders of every team" in versions[0] and "Orders of every team" not in versions[1]
    assert all(len(a) > len(b) for a, b in zip(versions[1:], versions[2:]))
    # every version keeps every order's and event's line
    assert all("5\u00a0% of licence requests approved" in v and "Port strike" in v
               for v in versions)
    assert "13 more figures moved" in versions[-1]  # every change left out is counted


def test_events_html():
    assert "No events this turn so far." in panels.events_html([])
    assert "<li>Typhoon</li>" in panels.events_html(["Typhoon"])


# ----------------------------------------------------------------- the briefing

def test_briefing_names_the_stage_whose_price_moved_most(mini):
    """Issue 9, item 7: a table saying '+0 %' for a material whose refined price rose is
    wrong; each material shows the stage that moved most, named."""
    scenario, results = mini
    indicators = results[0].indicators
    text = briefing.world_html(scenario, indicators)
    for material in scenario.materials:
        rows = briefing.stage_prices(scenario, indicators, material)
        top = briefing.moved_most(rows)
        assert abs(top.change) == max(abs(r.change) for r in rows) or \
            abs(top.change) < briefing.UNCHANGED
        assert f"<td>{top.stage_name}</td>" in text
    gallium = briefing.moved_most(briefing.stage_prices(scenario, indicators,
                                                        scenario.material("ga")))
    assert abs(gallium.change) > 0.05  # the freeze moved a gallium price
    assert briefing.change_text(gallium.change) in text


@pytest.mark.parametrize("change,expected", [
    (0.0, "no change"), (0.004, "no change"), (1.8, "+180\u00a0%"), (-0.12, "−12\u00a0%")])
def test_change_text(change, expected):
    assert briefing.change_text(change) == expected


def test_briefing_supply_names_only_sectors_short_of_demand(mini):
    """Item 18: a 'worst-served sector' at 100 % named nothing; fully supplied says so."""
    scenario, results = mini
    indicators = results[0].indicators
    text = briefing.world_html(scenario, indicators)
    for actor in ("CHN", "USA", "EU"):
        short = briefing.short_sectors(scenario, indicators, actor)
        assert all(share < 0.995 for _, share in short)
    assert "every sector fully supplied" in text or "Supply met" in text
    full = indicators.model_copy(update={"supply_met_share": {
        a: {k: 1.0 for k in ks} for a, ks in indicators.supply_met_share.items()}})
    assert briefing.world_html(scenario, full).count("every sector fully supplied") == 3


def test_scores_are_broken_down_by_objective_on_a_stated_scale(mini):
    """Item 11: each team's score with every objective's value, weight and contribution,
    and the scale said in words."""
    scenario, results = mini
    indicators = results[0].indicators
    text = briefing.world_html(scenario, indicators)
    washington = indicators.scores["washington"]
    assert len(washington.terms) == 2
    for term in washington.terms:
        weight = f"{term.weight:g}".replace("-", "−")  # a minus sign, not a hyphen
        contribution = f"{term.contribution:+.2f}".replace("-", "−")
        said = f"{term.label}: {briefing.term_value(term)} × {weight} = {contribution}"
        assert said in text.replace("&#x27;", "'")
    assert briefing.SCORE_SCALE in text.replace("&#x27;", "'")


def test_numbers_carry_their_sources_on_hover(mini):
    """Item 18: the About box promises hover-over sources: prices and budgets have them."""
    scenario, results = mini
    text = briefing.world_html(scenario, results[0].indicators)
    assert re.search(r'<span title="[^"]*Baseline [^"]*USD/kg — source: Round illustrative', text) \
        or re.search(r'<span title="[^"]*no source given', text)
    assert 'title="Started with USD 1,500 m — source: Round illustrative numbers for tests' \
        in text


def test_baseline_world_before_any_turn():
    """Item 9: before any turn the briefing shows the baseline world (the engine's quiet
    preview), flows included, and says so."""
    scenario = load_scenario(MINI)
    preview = baseline_preview(scenario)
    assert preview.flows and preview.world_price_usd_per_kg
    text = briefing.world_html(scenario, preview, baseline=True)
    assert "This is the baseline world" in text and "USD/kg" in text


# ----------------------------------------------------------------- the team screen

def test_team_view_dependency_is_per_material_and_the_aggregate_says_so(mini):
    """Item 8: dependency per material; the all-materials figure labelled an aggregate."""
    scenario, results = mini
    view = team_view(scenario, results[0].state, "washington", results[0].indicators)
    text = team_panel.team_view_html(scenario, "washington", view, last_turn=8)
    assert "per material" in text
    for material in ("Rare earths (NdPr)", "Gallium"):
        assert f"<li>{material}:" in text
    assert "All materials together (aggregate, weighted by value)" in text


def test_team_view_world_prices_name_their_stages(mini):
    scenario, results = mini
    view = team_view(scenario, results[0].state, "brussels", results[0].indicators)
    text = team_panel.team_view_html(scenario, "brussels", view)
    assert "Separated oxide" in text and "High-purity gallium" in text
    assert "separation 45" not in text  # no raw stage ids


def test_team_view_before_any_turn_shows_the_baseline():
    scenario = load_scenario(MINI)
    state = initial_state(scenario, 7)
    view = team_view(scenario, state, "washington", baseline_preview(scenario))
    text = team_panel.team_view_html(scenario, "washington", view, baseline=True)
    assert "baseline world" in text and "Your supply met" in text and "World prices" in text
    assert "Score:" not in text  # no turn scored yet


# ----------------------------------------------------------------- the map's details

@pytest.mark.parametrize("now,before,expected", [
    (100.0, None, "new"), (100.0, 0.0, "new"),
    (1568967.0, 1.0, "new"),  # grew from almost nothing: not '+156896600 %'
    (100.0, 4.0, "new"), (100.0, 90.0, "+11 %"), (60.0, 100.0, "−40 %"),
    (100.0, 99.5, None), (0.0, 10.0, None)])
def test_flow_change(now, before, expected):
    assert map_panels.flow_change(now, before) == expected


def test_map_details_show_tonnes_in_the_turn_and_sources(mini):
    scenario, results = mini
    now, before = results[1].indicators, results[0].indicators
    flows = map_panels.map_flows(now, before, "ree", "magnet")
    assert flows and flows == sorted(flows, key=lambda f: (f.stopped, -f.tonnes_per_turn))
    largest = map_panels.largest_flows_html(scenario, flows, "caption")
    assert f"{map_panels.tonnes(flows[0].tonnes_per_turn)} this turn" in largest
    actor = map_panels.actor_html(scenario, "CHN", now, flows, "ree", "flows of turn 2")
    assert "70,000 t" in actor and "Round illustrative numbers for tests" in actor
    assert 'title="source: Round illustrative' in actor  # the source on hover too
    first = flows[0]
    flow = map_panels.flow_html(scenario, first.exporter, first.importer, flows, "ree",
                                "magnet", "flows of turn 2")
    assert f"In the turn: <b>{map_panels.tonnes(first.tonnes_per_turn)}</b>" in flow


def test_panels_import_no_qt():
    """The report and the after-action report build these without a display."""
    code = ("import sys, wargame.report.panels, wargame.report.briefing, "
            "wargame.report.team_panel, wargame.report.map_panels, wargame.report.revealed; "
            "print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "False", out.stderr
