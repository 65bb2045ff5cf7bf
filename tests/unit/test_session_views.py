"""``view_for(viewer)``: one visibility function for state, log and results, checked as a
table per viewer at three moments (orders open, turn committed, exercise ended); and a
planted leak (an event stored with the wrong visibility) that the same table check catches.

Facts are what could leak: each team's orders, the white cell's orders, a covert order's
outcome and the explanation naming it, the facilitator's note, the random draws, the
session's seed, an override's reason, every team's score with its breakdown (public once the
turn is committed: the room sees the standings), every team's budget and political capital
(the facilitator's only). For each (moment, viewer) the table lists exactly the facts the
viewer may see; every other fact must be absent from state, log and results."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine_rule_cases import FIXTURE
from wargame.engine import Order
from wargame.scenario.loader import load_scenario
from wargame.scenario.model import Scenario
from wargame.session.events import (
    FacilitatorOrders,
    Note,
    OrdersSubmitted,
    OverrideRuling,
    RandomDraws,
    SessionCreated,
    TurnResolved,
)
from wargame.session.exercise import Exercise
from wargame.session.views import FacilitatorState, PublicState
from wargame.session.visibility import Viewer

FAC, PUBLIC = Viewer.facilitator(), Viewer.public()
BEIJING, WASHINGTON = Viewer.of_team("beijing"), Viewer.of_team("washington")
VIEWERS = {"facilitator": FAC, "beijing": BEIJING, "washington": WASHINGTON, "public": PUBLIC}
PINS = {"facilitator": "246810", "beijing": "1111", "washington": "2222"}

COVERT = Order("beijing", "restrict", {"target": "USA", "stage": "magnet",
                                        "level": "slow_walk"})
PUBLIC_ORDER = Order("washington", "invest", {"stage": "magnet", "tonnes": 100})
WHITE_CELL = Order("facilitator", "stockpile", {"action": "build", "tonnes": 10})

ALL_FACTS = {"beijing order", "washington order", "white cell order", "beijing outcome",
             "washington outcome", "covert explanation", "note", "draws", "seed",
             "override", "every score", "every budget"}
SCORES = {"every score"}  # public once a turn is committed
EXPECTED = {
    ("orders", "facilitator"): {"beijing order", "washington order", "white cell order",
                                "note", "seed", "every budget"},
    ("orders", "beijing"): {"beijing order"},
    ("orders", "washington"): {"washington order"},
    ("orders", "public"): set(),
    ("committed", "facilitator"): ALL_FACTS,
    ("committed", "beijing"): {"beijing order", "washington order", "white cell order",
                               "beijing outcome", "washington outcome", "covert explanation",
                               "override"} | SCORES,
    ("committed", "washington"): {"washington order", "white cell order",
                                  "washington outcome", "override"} | SCORES,
    ("committed", "public"): {"washington order", "white cell order", "washington outcome",
                              "override"} | SCORES,
    ("ended", "washington"): {"beijing order", "washington order", "white cell order",
                              "beijing outcome", "washington outcome", "covert explanation",
                              "override"} | SCORES,
    ("ended", "public"): {"beijing order", "washington order", "white cell order",
                          "beijing outcome", "washington outcome", "covert explanation",
                          "override"} | SCORES,
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    base = load_scenario(FIXTURE)
    raw = base.model_dump(by_alias=True)
    moves = [{**m, "public": False} if m["id"] == "restrict" else m for m in raw["moves"]]
    return Scenario.model_validate({**raw, "moves": moves})


def facts(view) -> set[str]:
    """Every fact of ``ALL_FACTS`` found anywhere in the view: state, log, results, orders."""
    found: set[str] = set()
    for by_team in view.orders.values():
        for team, orders in by_team.items():
            if orders:
                found.add("white cell order" if team == "facilitator" else f"{team} order")
    for event in view.log:
        payload = event.payload
        if isinstance(payload, OrdersSubmitted) and payload.orders:
            found.add(f"{payload.team} order")
        elif isinstance(payload, FacilitatorOrders) and payload.orders:
            found.add("white cell order")
        elif isinstance(payload, Note):
            found.add("note")
        elif isinstance(payload, RandomDraws):
            found.add("draws")
        elif isinstance(payload, SessionCreated):
            found.add("seed")
        elif isinstance(payload, OverrideRuling):
            found.add("override")
        elif isinstance(payload, TurnResolved):
            found |= _result_facts(payload.result.get("outcomes", []),
                                   payload.result.get("explanations", []))
            scores = payload.result.get("scores") or payload.result.get(
                "indicators", {}).get("scores", {})
            if _every_score(scores):
                found.add("every score")
            if "indicators" in payload.result:
                found.add("every budget")
    for result in view.results:
        found |= _result_facts([o.model_dump() for o in result.outcomes],
                               [e.model_dump() for e in result.explanations])
        if _every_score({t: s.model_dump() for t, s in result.scores.items()}):
            found.add("every score")
        if result.indicators is not None and result.indicators.budget_usd_m:
            found.add("every budget")
    if isinstance(view.state, FacilitatorState):
        found |= {"seed", "every budget"}  # the full state carries the RNG and the budgets
    if isinstance(view.state, PublicState) and _every_score(
            {t: s.model_dump() for t, s in view.state.scores.items()}):
        found.add("every score")
    return found


def _every_score(scores: dict[str, Any]) -> bool:
    """Every team's score, with the breakdown by objective of the one that has objectives
    in the rule fixture (Washington)."""
    return {"beijing", "washington", "brussels", "jakarta"} <= set(scores) \
        and bool(scores["washington"].get("terms"))


def _result_facts(outcomes: list[dict[str, Any]], explanations: list[dict[str, Any]]) -> set[str]:
    found = {f"{o['team']} outcome" for o in outcomes if o["team"] in ("beijing", "washington")}
    if any("order:t1-beijing-1" in e["groups"] for e in explanations):
        found.add("covert explanation")
    return found


def table_leaks(ex: Exercise, moment: str) -> list[str]:
    """Every (viewer, fact) where the view differs from the table: the check both tests
    use."""
    problems = []
    for name, viewer in VIEWERS.items():
        expected = EXPECTED.get((moment, name))
        if expected is None:
            continue
        door = "facilitator" if viewer.is_facilitator else viewer.team
        view = ex.view_for(viewer, PINS.get(door))
        seen = facts(view) & ALL_FACTS
        problems += [f"{name} sees {fact}" for fact in sorted(seen - expected)]
        problems += [f"{name} misses {fact}" for fact in sorted(expected - seen)]
    return problems


def play_to(ex: Exercise, moment: str) -> None:
    key = ex.unlock("facilitator", PINS["facilitator"])
    ex.add_note("Beijing will slow-walk the USA: keep it quiet", key)
    ex.begin_orders(key)
    ex.submit_orders("beijing", [COVERT], PINS["beijing"])
    ex.submit_orders("washington", [PUBLIC_ORDER], PINS["washington"])
    ex.submit_facilitator_orders([WHITE_CELL], key)
    if moment == "orders":
        return
    ex.resolve(key, force=True)
    ex.override("t1-washington-1", "the room wants it halved", "scaled", key, param="tonnes",
                factor=0.5)
    ex.commit(key)
    if moment == "ended":
        ex.end(key)


def make(tmp_path: Path, scenario: Scenario) -> Exercise:
    teams = {"beijing": {"controller": "human", "pin": PINS["beijing"]},
             "washington": {"controller": "human", "pin": PINS["washington"]},
             "brussels": "bot", "jakarta": "bot"}
    return Exercise.create(tmp_path / "s.sqlite", scenario, seed=1, teams=teams,
                           facilitator_pin=PINS["facilitator"])


@pytest.mark.parametrize("moment", ["orders", "committed", "ended"])
def test_each_viewer_sees_exactly_its_share(tmp_path, scenario, moment):
    ex = make(tmp_path, scenario)
    play_to(ex, moment)
    assert table_leaks(ex, moment) == []


def test_state_follows_the_engines_fog_of_war(tmp_path, scenario):
    ex = make(tmp_path, scenario)
    play_to(ex, "committed")
    team = ex.view_for(WASHINGTON, PINS["washington"]).state
    assert team.team == "washington" and team.own is not None
    assert all(not m.label.startswith("Beijing") for m in team.measures)  # covert: hidden
    public = ex.view_for(PUBLIC).state
    assert isinstance(public, PublicState) and public.public is not None
    assert all(m.public for m in public.measures)
    facilitator = ex.view_for(FAC, PINS["facilitator"]).state
    assert isinstance(facilitator, FacilitatorState) and facilitator.indicators is not None
    [result] = ex.view_for(PUBLIC).results
    assert result.indicators is None and result.own is None  # budgets are not public
    # the scores are: every team's, with its breakdown, the same the facilitator reads
    assert dict(result.scores) == facilitator.indicators.scores
    assert public.scores == facilitator.indicators.scores


def test_a_view_needs_its_pin(tmp_path, scenario):
    from wargame.session.errors import PinRequired

    ex = make(tmp_path, scenario)
    with pytest.raises(PinRequired):
        ex.view_for(FAC)
    with pytest.raises(PinRequired):
        ex.view_for(BEIJING, PINS["washington"])
    assert ex.view_for(PUBLIC).turn == 1  # the public needs no PIN


@pytest.mark.parametrize("plant, leak", [
    # a team's sealed (public-move) orders stored as public: another team would read them
    (lambda ex: ex.store.append_event(
        ex.id, 1, "orders_submitted",
        {"team": "beijing", "orders": [dict(PUBLIC_ORDER.to_dict(), team="beijing",
                                            id="t1-beijing-1")]},
        visibility="public"), "washington sees beijing order"),
    # a facilitator's note stored as public
    (lambda ex: ex.store.append_event(ex.id, 1, "note", {"text": "secret", "phase": "orders"},
                                      visibility="public"), "public sees note"),
])
def test_a_planted_leak_makes_the_table_fail(tmp_path, scenario, plant, leak):
    ex = make(tmp_path, scenario)
    play_to(ex, "orders")
    plant(ex)
    assert leak in table_leaks(ex, "orders")
