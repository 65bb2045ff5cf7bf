"""The engine's rule table (``engine_rule_cases.py``) played again through the session:
orders submitted to an ``Exercise``, injects fired and overrides given by the facilitator,
each turn resolved and committed to SQLite, the session reopened and replayed from its log,
with explanations on and off (as the DATC cases of the Diplomacy adjudicator run under
several harnesses). Each case's rule must hold on what the session committed, the replay
must pass every check, and the reopened session must give back the same results.

One rule reads differently through the session: an illegal order is refused when it is
submitted (the session validates orders once, at submission) with the reason the engine
gives, instead of being rejected at resolution.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from engine_rule_cases import CASES, FIXTURE, RuleCase
from wargame.engine import FACILITATOR, Order, TurnResult, initial_state, resolve_turn
from wargame.scenario.loader import load_scenario
from wargame.session.errors import OrdersRejected
from wargame.session.exercise import Exercise
from wargame.session.replay import replay_session


@pytest.fixture(scope="module")
def sc():
    return load_scenario(FIXTURE)


def play_session(db: Path, scenario, case: RuleCase, orders: Mapping[int, Sequence[Order]],
                 explain: bool, with_extras: bool) -> tuple[list[TurnResult], Exercise]:
    ex = Exercise.create(db, scenario, seed=case.seed, explain=explain)
    results = []
    for turn in range(1, case.turns + 1):
        if turn > 1:
            ex.next_turn()
        if with_extras:
            for inject in case.injects.get(turn, []):
                ex.fire_inject(inject, force=True)
        ex.begin_orders()
        by_team: dict[str, list[Order]] = {}
        for order in orders.get(turn, []):
            by_team.setdefault(order.team, []).append(order)
        ids: dict[str, str] = {}
        for team, team_orders in by_team.items():
            if team == FACILITATOR:
                stored = ex.submit_facilitator_orders(team_orders)
            else:
                stored = ex.submit_orders(team, team_orders)
            ids.update({given.id: kept.id for given, kept in zip(team_orders, stored)})
        ex.resolve(force=True)
        if with_extras:
            for ruling in case.overrides.get(turn, []):
                ex.override(ids[ruling.order_id], ruling.reason, ruling.status)
        results.append(ex.commit())
    return results, ex


@pytest.mark.parametrize("explain", [True, False], ids=["explained", "unexplained"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_table_through_the_session(tmp_path, sc, case, explain):
    if case.needs_explanations and not explain:
        pytest.skip("the rule is about explanations")
    scenario = case.scenario(sc)
    if case.rejections_expected:
        direct = resolve_turn(scenario, initial_state(scenario, case.seed), case.orders[1])
        reasons = [o.detail for o in direct.outcomes if o.status == "rejected"]
        ex = Exercise.create(tmp_path / "s.sqlite", scenario, seed=case.seed)
        ex.begin_orders()
        [order] = case.orders[1]
        with pytest.raises(OrdersRejected) as info:
            ex.submit_orders(order.team, [order])
        assert "; ".join(info.value.problems[0]) == reasons[0], case.rule
        assert ex.submitted_teams() == []
        return
    results, ex = play_session(tmp_path / "s.sqlite", scenario, case, case.orders, explain,
                               with_extras=True)
    compare, _ = play_session(tmp_path / "q.sqlite", scenario, case, case.compare_orders,
                              explain, with_extras=False)
    assert case.check(results, compare), case.rule
    report = replay_session(ex.store, ex.id)
    assert report.ok, report.summary()
    ex.close()
    again = Exercise.open(tmp_path / "s.sqlite", ex.id)
    assert again.last_result.to_dict() == results[-1].to_dict()
    assert [t for t, _ in again.indicators()] == list(range(1, case.turns + 1))
