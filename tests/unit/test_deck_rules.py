"""Rule tables for the inject deck (conditional injects, follow-up chains) and coalition
moves (``requires``): set up the engine-rules fixture with a deck or a move added, give
orders and hand-fired injects by turn, resolve, and check. Each case states its rule."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import pytest

from engine_rule_cases import FIXTURE, order
from wargame.engine import (
    GameState, OUTCOME_ACCEPTED, OUTCOME_NO_QUORUM, Order, TurnResult, initial_state,
    resolve_turn, upcoming_deck,
)
from wargame.scenario.loader import load_scenario
from wargame.scenario.model import Scenario

Results = list[TurnResult]


@pytest.fixture(scope="module")
def base() -> Scenario:
    return load_scenario(FIXTURE)


def with_deck(base: Scenario, injects: list[dict], moves: list[dict] = ()) -> Scenario:
    raw = base.model_dump(by_alias=True)
    raw["injects"] = injects
    raw["moves"] = list(raw["moves"]) + list(moves)
    return Scenario.model_validate(raw)


def play(scenario: Scenario, turns: int, orders: Mapping[int, Sequence[Order]] = {},
         by_hand: Mapping[int, Sequence[str]] = {}, seed: int = 3) -> Results:
    state = initial_state(scenario, seed)
    results = []
    for turn in range(1, turns + 1):
        result = resolve_turn(scenario, state, orders.get(turn, []),
                              injects=by_hand.get(turn, []), explain=False)
        results.append(result)
        state = result.state
    return results


def fired(results: Results, inject_id: str) -> list[tuple[int, str]]:
    """(turn, how) of every firing of ``inject_id``."""
    return [(r.turn, f.how) for r in results for f in r.injects_fired if f.inject_id == inject_id]


FREEZE = {n: [order(n, "beijing", "restrict", n=1, target="USA", stage="magnet",
                    level="freeze", turns=1)] for n in (1, 2, 3)}


@dataclass(frozen=True)
class DeckCase:
    name: str
    rule: str
    injects: list[dict]
    expected: Mapping[str, list[tuple[int, str]]]
    turns: int = 6
    orders: Mapping[int, Sequence[Order]] = field(default_factory=dict)
    by_hand: Mapping[int, Sequence[str]] = field(default_factory=dict)


def inj(id: str, **fields: Any) -> dict:
    return {"id": id, "title": id.replace("_", " "), **fields}


DECK_CASES = [
    DeckCase(
        "conditional fires when it holds",
        "A conditional inject is checked at the start of each turn against the figures at the "
        "end of the last one: the freeze of turn 1 is seen at turn 2.",
        [inj("alarm", condition="supply_met(USA, ev) < 80 %")],
        {"alarm": [(2, "condition")]}, orders=FREEZE),
    DeckCase(
        "conditional stays quiet in a quiet world",
        "A condition that never holds never fires its inject.",
        [inj("alarm", condition="supply_met(USA, ev) < 80 %")], {"alarm": []}),
    DeckCase(
        "for N turns waits N turns of figures",
        "'for 2 turns' needs the figure at the end of each of the last two turns.",
        [inj("alarm", condition="supply_met(USA, ev) < 80 % for 2 turns")],
        {"alarm": [(3, "condition")]}, orders=FREEZE),
    DeckCase(
        "a conditional fires once",
        "Without 'repeat' a conditional inject fires at most once in a game.",
        [inj("alarm", condition="supply_met(USA, ev) < 80 %")],
        {"alarm": [(2, "condition")]}, orders={**FREEZE, 5: FREEZE[1]}, turns=7),
    DeckCase(
        "repeat re-arms after a break",
        "With 'repeat' it fires again when the condition holds after a check where it did "
        "not, not on every turn it holds.",
        [inj("alarm", condition="supply_met(USA, ev) < 80 %", repeat=True)],
        # (the second freeze was on turn 6, the refire on 7: since issue 8 prices stay high
        # for a while after the first freezes, users priced out count as short, and US EV
        # supply is back above 80 % only from turn 6; so the second freeze is on turn 8)
        {"alarm": [(2, "condition"), (9, "condition")]},
        orders={**FREEZE, 8: [order(8, "beijing", "restrict", target="USA", stage="magnet",
                                    level="freeze", turns=1)]}, turns=9),
    DeckCase(
        "figures are not read before they exist",
        "At turn 1 no turn has ended, so a condition reading figures is not checked (even "
        "one that any value would satisfy); one reading only the turn is.",
        [inj("any", condition="supply_met(USA, ev) <= 1 or supply_met(USA, ev) > 1"),
         inj("first", condition="turn >= 1")],
        {"any": [(2, "condition")], "first": [(1, "condition")]}),
    DeckCase(
        "scheduled with a condition",
        "A scheduled inject with a condition fires at its turn only if the condition holds.",
        [inj("held", turn=2, condition="supply_met(USA, ev) < 80 %"),
         inj("not_held", turn=2, condition="supply_met(USA, ev) > 1.5")],
        {"held": [(2, "scheduled")], "not_held": []}, orders=FREEZE),
    DeckCase(
        "random with a condition",
        "A random inject with a condition is drawn only while the condition holds, and fires "
        "once unless 'repeat'.",
        [inj("sure", probability=1.0, condition="turn >= 3")], {"sure": [(3, "drawn")]}),
    DeckCase(
        "random without a condition is as before",
        "A random inject without a condition is drawn every turn of its window.",
        [inj("sure", probability=1.0, from_turn=2, until_turn=4)],
        {"sure": [(2, "drawn"), (3, "drawn"), (4, "drawn")]}),
    DeckCase(
        "follow-up chain",
        "When an inject fires it schedules its follow-ups after_turns later; a chain goes on.",
        [inj("crisis", turn=1, follow_ups=[{"inject": "talks", "after_turns": 2}]),
         inj("talks", follow_ups=[{"inject": "deal", "after_turns": 1}]), inj("deal")],
        {"crisis": [(1, "scheduled")], "talks": [(3, "follow-up")], "deal": [(4, "follow-up")]}),
    DeckCase(
        "follow-up of a hand-fired inject",
        "A facilitator's firing schedules follow-ups too.",
        [inj("crisis", follow_ups=[{"inject": "talks", "after_turns": 1}]), inj("talks")],
        {"crisis": [(2, "by hand")], "talks": [(3, "follow-up")]}, by_hand={2: ["crisis"]}),
    DeckCase(
        "follow-up probability 0 and 1",
        "A follow-up's probability is drawn when it is due: 0 never fires, 1 always.",
        [inj("crisis", turn=1, follow_ups=[{"inject": "never", "probability": 0.0},
                                           {"inject": "always", "probability": 1.0}]),
         inj("never"), inj("always")],
        {"never": [], "always": [(2, "follow-up")]}),
    DeckCase(
        "follow-up gated by its own condition",
        "A follow-up whose inject has a condition fires only if that holds when it is due.",
        [inj("crisis", turn=1, follow_ups=[{"inject": "escalate", "after_turns": 1}]),
         inj("escalate", condition="supply_met(USA, ev) < 80 %", turn=12)],
        {"escalate": []}),
    DeckCase(
        "fired counts every route",
        "fired(x) counts the injects fired so far, so a chain can wait on another inject.",
        [inj("crisis", turn=2), inj("after_crisis", condition="fired(crisis) >= 1")],
        {"after_crisis": [(3, "condition")]}),
]


@pytest.mark.parametrize("case", DECK_CASES, ids=[c.name for c in DECK_CASES])
def test_deck_rule_table(base, case):
    scenario = with_deck(base, case.injects)
    results = play(scenario, case.turns, case.orders, case.by_hand)
    for inject_id, expected in case.expected.items():
        assert fired(results, inject_id) == expected, case.rule


def test_random_follow_ups_are_seeded(base):
    """Rule: a follow-up's draw is keyed on its parent, itself and the turn: the same seed
    gives the same chain, and across seeds a 50 % follow-up fires about half the time
    (the crisis fires every turn, so its follow-up has 5 chances in turns 2-6: 60 over 12
    seeds; 30-70 % is more than 3 standard deviations either side of 50 %)."""
    scenario = with_deck(base, [
        inj("crisis", probability=1.0, follow_ups=[{"inject": "maybe", "probability": 0.5}]),
        inj("maybe")])
    runs = [fired(play(scenario, 6, seed=seed), "maybe") for seed in range(12)]
    assert runs == [fired(play(scenario, 6, seed=seed), "maybe") for seed in range(12)]
    counts = [len(run) for run in runs]
    assert len(set(counts)) > 1 and 0.3 <= sum(counts) / (5 * len(runs)) <= 0.7


def test_the_deck_state_round_trips_and_changes_the_hash(base):
    """Rule: what the deck remembers is in the state, serialisable; a state saved and read
    back plays on identically."""
    scenario = with_deck(base, [
        inj("alarm", condition="supply_met(USA, ev) < 80 % for 2 turns", repeat=True),
        inj("crisis", turn=2, follow_ups=[{"inject": "talks", "after_turns": 3}]),
        inj("talks")])
    results = play(scenario, 3, FREEZE)
    state = results[-1].state
    assert len(state.deck.history) == 2 and state.deck.pending[0].due_turn == 5
    again = GameState.from_dict(state.to_dict())
    assert again == state and again.deck == state.deck
    a = resolve_turn(scenario, state, explain=False)
    b = resolve_turn(scenario, again, explain=False)
    assert a.state.content_hash() == b.state.content_hash()


def test_a_deck_without_conditions_keeps_no_state(base):
    """Rule: a deck with no condition and no follow-up keeps an empty deck state, so states
    of older scenarios hash as before."""
    scenario = with_deck(base, [inj("plain", turn=1), inj("random", probability=0.5)])
    assert all(r.state.deck.empty for r in play(scenario, 3))
    assert "deck" not in play(scenario, 1)[0].state.to_dict()


def test_the_facilitator_sees_what_may_still_fire(base):
    scenario = with_deck(base, [
        inj("crisis", turn=2, follow_ups=[{"inject": "talks", "after_turns": 2}]),
        inj("talks"), inj("alarm", condition="supply_met(USA, ev) < 80 %"),
        inj("storm", probability=0.2, until_turn=3), inj("old_news", turn=1)])
    state = play(scenario, 2)[-1].state  # turn 3 next: crisis fired at 2, talks due at 4
    upcoming = {(u.inject_id, u.trigger): u for u in upcoming_deck(scenario, state)}
    assert ("old_news", "scheduled") not in upcoming and ("crisis", "scheduled") not in upcoming
    talks = upcoming[("talks", "follow-up")]
    assert talks.due_turn == 4 and talks.after == "crisis"
    alarm = upcoming[("alarm", "conditional")]
    assert alarm.condition == "supply_met(USA, ev) < 0.8" and alarm.holds_now is False
    assert upcoming[("storm", "random")].until_turn == 3
    assert ("talks", "hand") in upcoming  # it can also be fired by hand


# ----------------------------------------------------------------- coalition moves

PACT = {"id": "pact", "name": "Stockpile transparency pact", "teams": "all", "duration": 2,
        "cost": {"budget": 100},
        "effects": [{"primitive": "stockpile", "material": "ree", "stage": "magnet",
                     "action": "build", "tonnes": 5}]}


@pytest.mark.parametrize("requires, teams, takes_effect", [
    (2, ["washington"], False),
    (2, ["washington", "brussels"], True),
    (3, ["washington", "brussels"], False),
    ({"teams": 2, "including": ["beijing"]}, ["washington", "brussels"], False),
    ({"teams": 2, "including": ["beijing"]}, ["washington", "beijing"], True),
])
def test_a_coalition_move_needs_its_quorum_in_the_same_turn(base, requires, teams, takes_effect):
    """Rule: a move with `requires` takes effect only when enough teams (including any
    named) order it in the same turn; otherwise none of its orders does, nothing is charged,
    and each outcome says who committed and what was needed."""
    scenario = with_deck(base, [], [{**PACT, "requires": requires}])
    orders = {1: [order(1, team, "pact") for team in teams]}
    result = play(scenario, 1, orders)[0]
    statuses = {o.team: o.status for o in result.outcomes}
    assert set(statuses.values()) == {OUTCOME_ACCEPTED if takes_effect else OUTCOME_NO_QUORUM}
    budgets = result.indicators.budget_usd_m
    for team in teams:
        start = scenario.team(team).budget.value
        assert budgets[team] == pytest.approx(start - 100 if takes_effect else start)
    if not takes_effect:
        detail = result.outcomes[0].detail
        assert "did not take effect" in detail and "nothing was charged" in detail
        # the move as the team would say it, not the catalogue's name
        assert "purchase of 5 t a turn into the rare earths magnet stockpile" in detail
        assert "Stockpile transparency pact" not in detail
    made = [m for m in result.state.measures if m.group.startswith("order:")]
    assert len(made) == (len(teams) if takes_effect else 0)


def test_a_coalition_short_of_its_quorum_frees_the_budget_for_other_orders(base):
    """Rule: the orders are taken again without the failed coalition, so a team's other
    order that its pledge would have made unaffordable goes through."""
    pact = {**PACT, "requires": 2, "cost": {"budget": 950}}
    scenario = with_deck(base, [], [pact])
    orders = {1: [order(1, "washington", "pact", n=1),
                  order(1, "washington", "invest", n=2, stage="magnet", tonnes=40)]}
    result = play(scenario, 1, orders)[0]
    assert [o.status for o in result.outcomes] == [OUTCOME_NO_QUORUM, OUTCOME_ACCEPTED]


def test_several_orders_of_one_team_are_charged_once_each(base):
    """Rule: a team's orders are checked against the budget the turn started with, each
    order's cost counted once (three orders of 300 fit a budget of 1,000)."""
    orders = {1: [order(1, "washington", "invest", n=k, stage="magnet", tonnes=290)
                  for k in (1, 2, 3)]}
    result = play(base, 1, orders)[0]
    assert [o.status for o in result.outcomes] == [OUTCOME_ACCEPTED] * 3
    assert result.indicators.budget_usd_m["washington"] == pytest.approx(100)


def test_bots_of_builders_and_diplomats_make_a_coalition_together(base):
    """Rule: builder and diplomat bots commit coalition moves on the same turns (1, 5, 9),
    so a quorum of bots forms; a hawk does not join."""
    from wargame.engine import run_game

    raw = base.model_dump(by_alias=True)
    raw["moves"] = list(raw["moves"]) + [{**PACT, "requires": 2}]
    bots = {"washington": "builder", "brussels": "diplomat", "beijing": "hawk"}
    raw["teams"] = [{**t, "bot": bots.get(t["id"], "passive")} for t in raw["teams"]]
    scenario = Scenario.model_validate(raw)
    results = run_game(scenario, seed=3, turns=5, bots=list(bots), explain=False)
    pact = [(r.turn, o.team, o.status) for r in results for o in r.outcomes
            if o.move == "pact"]
    assert pact == [(1, "washington", OUTCOME_ACCEPTED), (1, "brussels", OUTCOME_ACCEPTED),
                    (5, "washington", OUTCOME_ACCEPTED), (5, "brussels", OUTCOME_ACCEPTED)]


@pytest.mark.parametrize("path", sorted((FIXTURE.parents[2] / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_a_deck_without_conditions_fires_what_each_inject_alone_would(path):
    """Rule: a deck without conditions works out once per turn which injects may fire on
    their own; what fires is what ``_automatic`` says of each inject with no condition,
    turn after turn and seed after seed (scheduled, drawn within the window, or not)."""
    from wargame.engine.conditions import DeckState, _automatic, compile_deck, fire_deck

    scenario = load_scenario(path)
    deck = compile_deck(scenario)
    if deck.conditions:
        pytest.skip("a deck with conditions checks them inject by inject")
    fired_any = set()
    for turn in range(1, scenario.turns + 3):
        for seed in (1, 2, 3, 2 ** 40 + 7):
            fired, _ = fire_deck(deck, scenario, DeckState(), turn, seed)
            expected = [(i, how) for i in scenario.injects
                        if (how := _automatic(i, None, DeckState(), turn, seed)) is not None]
            assert fired == expected, (turn, seed)
            fired_any.update(how for _, how in fired)
    assert deck.by_turn  # kept per turn
    assert fired_any <= {"scheduled", "drawn"}
