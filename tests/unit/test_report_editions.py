"""Each edition of the after-action report (the facilitator's, a team's, the public one)
holds exactly what the session layer's ``view_for`` lets that reader see, and never the
sealed orders of a turn in progress.

Two checks, each run as a table per reader at two moments (turn 1 committed with turn 2
open and a sealed order in it; the exercise then ended):

- facts: which of the things that could leak (each team's orders, the white cell's, the
  explanation naming a covert order, the note, the seed, the override's reason, the random
  draws, each team's score (public once committed), the budgets, the sealed order) are found in the report's HTML,
  its tables and its numbers, against a table of what each reader may see;
- structure: every order, explanation, inject, note, log line and number of the report is
  the one ``view_for`` gave that reader, and nothing more.

A leak planted in the data (an event stored with the wrong visibility) or in the report's
reading (a report made from another reader's view) makes the checks fail.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from engine_rule_cases import FIXTURE
from wargame.engine import Order
from wargame.engine.phrases import describe_move
from wargame.report.gather import build_report
from wargame.report.html_report import render_html
from wargame.report.model import AfterActionReport
from wargame.report.tables import report_tables
from wargame.report.timeline import visible_indicators
from wargame.scenario.loader import load_scenario
from wargame.scenario.model import Scenario
from wargame.session.events import Note, OverrideRuling, SessionCreated
from wargame.session.exercise import Exercise
from wargame.session.views import SessionView
from wargame.session.visibility import Viewer

PINS = {"facilitator": "246810", "beijing": "1111", "washington": "2222"}
READERS = {"facilitator": Viewer.facilitator(), "beijing": Viewer.of_team("beijing"),
           "washington": Viewer.of_team("washington"), "public": Viewer.public()}

COVERT = Order("beijing", "restrict", {"target": "USA", "stage": "magnet",
                                        "level": "slow_walk"})
PUBLIC_ORDER = Order("washington", "invest", {"stage": "magnet", "tonnes": 100})
WHITE_CELL = Order("facilitator", "stockpile", {"action": "build", "tonnes": 10})
SEALED = Order("washington", "invest", {"stage": "magnet", "tonnes": 777})
NOTE = "Beijing will slow-walk the USA: keep it quiet"
REASON = "the room wants it halved"

FACTS = {"beijing order", "washington order", "white cell order", "covert explanation",
         "note", "seed", "override", "draws", "beijing score", "washington score",
         "budgets", "sealed order"}
# scores are public once a turn is committed (the room sees them on the projector)
REVEALED = {"washington order", "white cell order", "override", "beijing score",
            "washington score"}
EXPECTED = {
    ("committed", "facilitator"): FACTS - {"sealed order"},
    ("committed", "beijing"): REVEALED | {"beijing order", "covert explanation"},
    ("committed", "washington"): REVEALED,
    ("committed", "public"): REVEALED,
    ("ended", "facilitator"): FACTS - {"sealed order"},
    ("ended", "beijing"): REVEALED | {"beijing order", "covert explanation"},
    ("ended", "washington"): REVEALED | {"beijing order", "covert explanation"},
    ("ended", "public"): REVEALED | {"beijing order", "covert explanation"},
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The rule fixture with ``restrict`` made covert."""
    raw = load_scenario(FIXTURE).model_dump(by_alias=True)
    moves = [{**m, "public": False} if m["id"] == "restrict" else m for m in raw["moves"]]
    return Scenario.model_validate({**raw, "moves": moves})


def play_to(path: Path, scenario: Scenario, moment: str) -> Exercise:
    teams = {"beijing": {"controller": "human", "pin": PINS["beijing"]},
             "washington": {"controller": "human", "pin": PINS["washington"]},
             "brussels": "bot", "jakarta": "bot"}
    ex = Exercise.create(path, scenario, seed=1, teams=teams,
                         facilitator_pin=PINS["facilitator"])
    key = ex.unlock("facilitator", PINS["facilitator"])
    ex.add_note(NOTE, key)
    ex.begin_orders(key)
    ex.submit_orders("beijing", [COVERT], PINS["beijing"])
    ex.submit_orders("washington", [PUBLIC_ORDER], PINS["washington"])
    ex.submit_facilitator_orders([WHITE_CELL], key)
    ex.resolve(key, force=True)
    ex.override("t1-washington-1", REASON, "scaled", key, param="tonnes", factor=0.5)
    ex.commit(key)
    ex.next_turn(key)  # turn 2: open, with a sealed order no report may show
    ex.begin_orders(key)
    ex.submit_orders("washington", [SEALED], PINS["washington"])
    if moment == "ended":
        ex.end(key)
    return ex


def pin_of(viewer: Viewer) -> str | None:
    return PINS.get("facilitator" if viewer.is_facilitator else str(viewer.team))


def covert_explanations(ex: Exercise) -> list[str]:
    return [e.text for r in ex.view_for(Viewer.facilitator(), PINS["facilitator"]).results
            for e in r.explanations if "order:t1-beijing-1" in e.groups]


def facts(report: AfterActionReport, ex: Exercise) -> set[str]:
    """Every fact of ``FACTS`` found in the report: its HTML, its tables, its numbers."""
    text = render_html(report, charts=[]) + "\n".join(
        str(cell) for table in report_tables(report) for row in table.rows for cell in row)
    said = {name: describe_move(ex.scenario, order.move, order.params, order.team)
            for name, order in [("beijing order", COVERT), ("washington order", PUBLIC_ORDER),
                                ("white cell order", WHITE_CELL), ("sealed order", SEALED)]}
    found = {name for name, words in said.items() if words in text}
    found |= {"covert explanation" for words in covert_explanations(ex) if words in text}
    found |= {name for name, words in [("note", NOTE), ("override", REASON)] if words in text}
    if report.facts.seed is not None:
        found.add("seed")
    if any(e.kind == "random_draws" for e in report.log):
        found.add("draws")
    for team in ("beijing", "washington"):
        if any(team in i.scores for i in report.indicators) or any(
                s.team == team for s in report.standings):
            found.add(f"{team} score")
    if any(i.budget_usd_m or i.political_capital for i in report.indicators):
        found.add("budgets")
    return found


def fact_leaks(ex: Exercise, moment: str, reports: dict[str, AfterActionReport]) -> list[str]:
    problems = []
    for name, report in reports.items():
        expected = EXPECTED[(moment, name)]
        seen = facts(report, ex)
        problems += [f"{name} sees {fact}" for fact in sorted(seen - expected)]
        problems += [f"{name} misses {fact}" for fact in sorted(expected - seen)]
    return problems


def beyond_view(report: AfterActionReport, view: SessionView) -> list[str]:
    """Where the report differs from what ``view_for`` gave its reader (empty: nowhere).
    Committed turns only: a turn in progress shows no order at all."""
    problems = []
    results = {r.turn: r for r in view.results}
    if {t.turn for t in report.committed_turns} != set(results):
        problems.append("committed turns differ")
    rulings = {(e.turn, e.payload.order_id) for e in view.log
               if isinstance(e.payload, OverrideRuling)}
    notes = {e.seq for e in view.log if isinstance(e.payload, Note)}
    for turn in report.turns:
        where = f"turn {turn.turn}"
        if not turn.committed:
            if turn.orders or turn.overrides or turn.explanations or turn.indicators:
                problems.append(f"{where} (in progress) shows orders, rulings or results")
            continue
        result = results[turn.turn]
        given = [o.id for orders in view.orders.get(turn.turn, {}).values() for o in orders]
        if [o.order_id for o in turn.orders] != given:
            problems.append(f"{where}: orders {[o.order_id for o in turn.orders]} != {given}")
        if [e.text for e in turn.explanations] != [e.text for e in result.explanations]:
            problems.append(f"{where}: explanations differ")
        if [i.title for i in turn.injects] != [i.title for i in result.injects_fired]:
            problems.append(f"{where}: injects differ")
        if turn.indicators != visible_indicators(result, view.viewer):
            problems.append(f"{where}: indicators differ")
        problems += [f"{where}: a ruling on {o.order_id} the reader may not see"
                     for o in turn.overrides if (turn.turn, o.order_id) not in rulings]
        problems += [f"{where}: note {n.seq} the reader may not see"
                     for n in turn.notes if n.seq not in notes]
    if [e.seq for e in report.log] != [e.seq for e in view.log]:
        problems.append("the events table is not the reader's log")
    if report.facts.seed is not None and not any(isinstance(e.payload, SessionCreated)
                                                 for e in view.log):
        problems.append("the seed, which the reader may not see")
    return problems


def editions(ex: Exercise) -> dict[str, AfterActionReport]:
    return {name: build_report(ex.store, ex.id, viewer, key=pin_of(viewer))
            for name, viewer in READERS.items()}


@pytest.mark.parametrize("moment", ["committed", "ended"])
def test_each_edition_holds_exactly_what_its_reader_may_see(tmp_path, scenario, moment):
    ex = play_to(tmp_path / "s.sqlite", scenario, moment)
    reports = editions(ex)
    assert fact_leaks(ex, moment, reports) == []
    for name, viewer in READERS.items():
        assert beyond_view(reports[name], ex.view_for(viewer, pin_of(viewer))) == [], name


def test_no_edition_shows_the_open_turns_sealed_order(tmp_path, scenario):
    """Washington may see its own sealed order in the app, but a report is a record of
    what happened: turn 2 is in progress, so no edition shows any of its orders."""
    ex = play_to(tmp_path / "s.sqlite", scenario, "committed")
    for name, report in editions(ex).items():
        open_turn = report.turns[-1]
        assert (open_turn.turn, open_turn.committed, open_turn.orders) == (2, False, ()), name
        assert "t2-washington" not in render_html(report, charts=[]), name


@pytest.mark.parametrize("plant, leak", [
    # a facilitator's note stored as public: the public edition prints it
    (lambda ex: ex.store.append_event(ex.id, 2, "note", {"text": NOTE, "phase": "orders"},
                                      visibility="public"), "public sees note"),
    # the random draws stored as public: the public edition's log lists them
    (lambda ex: ex.store.append_event(ex.id, 1, "random_draws", {"draws": []},
                                      visibility="public"), "public sees draws"),
])
def test_a_leak_planted_in_the_data_makes_the_table_fail(tmp_path, scenario, plant, leak):
    ex = play_to(tmp_path / "s.sqlite", scenario, "committed")
    plant(ex)
    assert leak in fact_leaks(ex, "committed", editions(ex))


def test_a_report_made_from_another_readers_view_is_caught(tmp_path, scenario, monkeypatch):
    """A report that read the facilitator's view for the public edition (the leak a report
    keeping its own visibility rules would make) fails both checks."""
    ex = play_to(tmp_path / "s.sqlite", scenario, "committed")
    honest = ex.view_for(Viewer.public())
    real_view_for = Exercise.view_for
    monkeypatch.setattr(Exercise, "view_for", lambda self, viewer, key=None: real_view_for(
        self, Viewer.facilitator(), PINS["facilitator"]))
    leaky = build_report(ex.store, ex.id, Viewer.public())
    monkeypatch.undo()
    problems = beyond_view(leaky, honest)
    assert "the events table is not the reader's log" in problems
    assert any("orders" in p for p in problems) and any("indicators" in p for p in problems)
    assert "public sees note" in fact_leaks(ex, "committed", {"public": leaky})


def test_each_edition_needs_its_readers_pin(tmp_path, scenario):
    from wargame.session.errors import PinRequired

    ex = play_to(tmp_path / "s.sqlite", scenario, "committed")
    with pytest.raises(PinRequired):
        build_report(ex.store, ex.id, Viewer.facilitator())
    with pytest.raises(PinRequired):
        build_report(ex.store, ex.id, Viewer.of_team("beijing"), key=PINS["washington"])
    assert build_report(ex.store, ex.id, Viewer.public()).audience == "public"
