"""Rule tables: set up, give orders, resolve, assert. The cases are data in
``engine_rule_cases.py`` (each states its rule); here they run through ``resolve_turn``
directly, with explanations on and off (explanations must never change an outcome).
Below the table: rules that are not a game played (validation, pure functions, bots)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine_rule_cases import CASES, FIXTURE, RuleCase
from wargame.engine import (
    FACILITATOR, GameState, Order, TurnResult, baseline, initial_state, resolve_turn,
    validate_order,
)
from wargame.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def sc():
    return load_scenario(FIXTURE)


def play(scenario, case: RuleCase, orders, explain: bool, overrides=None, injects=None):
    state = initial_state(scenario, case.seed)
    results = []
    for turn in range(1, case.turns + 1):
        result = resolve_turn(scenario, state, orders.get(turn, []),
                              injects=(injects or {}).get(turn, []),
                              overrides=(overrides or {}).get(turn, []), explain=explain)
        if not case.rejections_expected:
            assert all(o.status != "rejected" for o in result.outcomes), result.outcomes
        results.append(result)
        state = result.state
    return results


@pytest.mark.parametrize("explain", [True, False], ids=["explained", "unexplained"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_table(sc, case, explain):
    if case.needs_explanations and not explain:
        pytest.skip("the rule is about explanations")
    scenario = case.scenario(sc)
    results = play(scenario, case, case.orders, explain, case.overrides, case.injects)
    compare = play(scenario, case, case.compare_orders, explain)
    assert case.check(results, compare), case.rule
    assert all(r.ledger_gap < 1e-6 for r in results)


def test_explanations_never_change_outcomes(sc):
    """Rule: explanations re-resolve copies; the turn's state is the same without them."""
    for case in CASES:
        scenario = case.scenario(sc)
        on = play(scenario, case, case.orders, True, case.overrides, case.injects)
        off = play(scenario, case, case.orders, False, case.overrides, case.injects)
        assert [r.state.content_hash() for r in on] == [r.state.content_hash() for r in off], \
            case.name


def test_illegal_orders_are_rejected_with_a_reason(sc):
    """Rule: an order of another team's move, an unknown actor or an unaffordable order is
    rejected with a reason before it is submitted."""
    state = initial_state(sc, 1)
    assert "may not use" in validate_order(sc, state, Order("washington", "restrict", {}))[0]
    assert any("unknown actor" in p for p in validate_order(
        sc, state, Order("beijing", "restrict", {"target": "ZZZ", "stage": "magnet",
                                                 "level": "freeze"})))
    assert any("not affordable" in p for p in validate_order(
        sc, state, Order("washington", "invest", {"stage": "magnet", "tonnes": 1000})))
    assert any("at most" in p for p in validate_order(
        sc, state, Order("washington", "invest", {"stage": "magnet", "tonnes": 5000})))
    assert "unknown move" in validate_order(sc, state, Order("washington", "nope", {}))[0]


def test_white_cell_is_not_bound_by_actor_scopes(sc):
    """Rule: the white cell owns no actors, so 'own'/'other' scopes do not restrict it; a
    team's order for a move it may not use is refused."""
    order = Order(FACILITATOR, "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"})
    assert validate_order(sc, initial_state(sc, 1), order) == []


def test_state_and_result_round_trip(sc):
    """Every stored thing loads back equal: the state (hash too) and the result payload."""
    case = next(c for c in CASES if c.name == "restriction lapses")
    results = play(sc, case, case.orders, True)
    state = results[1].state
    again = GameState.from_dict(state.to_dict())
    assert again.content_hash() == state.content_hash()
    assert np.array_equal(again.origin, state.origin)
    assert again.measures == state.measures and again.pipeline == state.pipeline
    assert TurnResult.from_dict(results[1].to_dict()).to_dict() == results[1].to_dict()


def test_baseline_converts_annual_figures_to_turns(sc):
    base = baseline(sc)
    assert base.turn_fraction == 0.25
    assert base.capacity[0, 0, 0] == pytest.approx(50.0)


def test_priority_rationing_serves_defence_more_fully():
    """Rule: short supply is rationed by demand x priority ** -strength; nobody gets more
    than demand, and the whole supply is used."""
    from wargame.engine.flow import ration_by_priority

    demand = np.array([[[10.0], [30.0], [60.0]]])  # one actor, sectors of priority 1, 3, 3
    met_ = ration_by_priority(np.array([[40.0]]), demand, np.array([1, 3, 3]), 1.0)
    given = (met_ * demand).sum()
    assert given == pytest.approx(40.0, rel=1e-6)
    assert met_[0, 0, 0] == pytest.approx(3 * met_[0, 1, 0], rel=1e-6)
    strict = ration_by_priority(np.array([[40.0]]), demand, np.array([1, 3, 3]), 20.0)
    assert strict[0, 0, 0] == pytest.approx(1.0, abs=1e-3)


def test_bots_aim_at_their_interests():
    """Rule: bots give legal orders that fit their role: a producer bans exports of its own
    main ore, a builder invests where its team imports most, a hawk restricts a material it
    dominates; and a whole game runs with bots only."""
    from wargame.engine import bot_orders, run_game

    default = load_scenario(Path(__file__).resolve().parents[2] / "scenarios"
                            / "rare-earth-shock-2025.yaml")
    state = initial_state(default)
    orders = {t.id: bot_orders(default, state, t.id) for t in default.teams}
    assert all(not validate_order(default, state, o) for os in orders.values() for o in os)
    assert orders["jakarta"][0].params.get("material") == "nickel"  # Indonesia's ore
    assert orders["kinshasa"][0].params.get("material") == "cobalt"  # the DRC's ore
    assert orders["washington"][0].params.get("material") in ("ndpr", "dytb", "gallium",
                                                              "germanium")
    results = run_game(default, bots=[t.id for t in default.teams], explain=False)
    assert len(results) == default.turns
    assert all(o.status == "accepted" for r in results for o in r.outcomes)

