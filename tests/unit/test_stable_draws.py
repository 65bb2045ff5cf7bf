"""Stable random keys: every draw is keyed by the turn seed and a stable id of what draws
(order id + effect index, inject id + turn, standing order index), so setting an order
aside changes only that order's draws, and the order of the orders list changes nothing.
Also: the compiled rules are one explicit object per scenario content, and turns resolve
identically on any thread."""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from wargame.engine import (
    LicenceDraw, Order, Override, bot_orders, compile_rules, initial_state, resolve_turn,
    rules_for,
)
from wargame.scenario.loader import load_scenario

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "rare-earth-shock-2025.yaml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(DEFAULT)


@pytest.fixture(scope="module")
def turn_one(sc):
    """Turn 1 of the default scenario: standing licences, every bot's order, and two
    more licence regimes of Beijing's (so several orders draw approvals)."""
    state = initial_state(sc, 11)
    orders = [o for t in sc.teams for o in bot_orders(sc, state, t.id)]
    orders += [Order("beijing", "export_licence_regime",
                     {"target": target, "material": "gallium", "level": "slow_walk"},
                     id=f"t1-beijing-{n}") for n, target in ((7, "USA"), (8, "JPN"))]
    return state, orders


def _licence_draws(result) -> dict[str, dict[str, float]]:
    return {d.measure_id: d.approved_share_by_importer for d in result.draws
            if isinstance(d, LicenceDraw)}


def test_measure_ids_come_from_order_ids(sc, turn_one):
    state, orders = turn_one
    result = resolve_turn(sc, state, orders, explain=False)
    ids = {m.id for m in result.state.measures}
    assert "t1-beijing-7/0" in ids and "t1-beijing-8/0" in ids
    assert "standing:0/0" in ids
    assert {m.group for m in result.state.measures if m.id == "t1-beijing-7/0"} == {"order:t1-beijing-7"}


@pytest.mark.parametrize("how", ["overridden", "left out"])
def test_setting_one_order_aside_changes_only_its_own_draws(sc, turn_one, how):
    state, orders = turn_one
    full = resolve_turn(sc, state, orders, explain=False)
    if how == "overridden":
        fewer = resolve_turn(sc, state, orders, explain=False, overrides=[Override(
            order_id="t1-beijing-7", status="rejected", reason="set aside")])
    else:
        fewer = resolve_turn(sc, state, [o for o in orders if o.id != "t1-beijing-7"],
                             explain=False)
    before, after = _licence_draws(full), _licence_draws(fewer)
    assert "t1-beijing-7/0" in before and "t1-beijing-7/0" not in after
    assert len(before) >= 4
    assert {k: v for k, v in before.items() if k != "t1-beijing-7/0"} == after
    assert full.injects_fired == fewer.injects_fired


def test_the_order_of_the_orders_list_does_not_matter(sc, turn_one):
    state, orders = turn_one
    first = resolve_turn(sc, state, orders)
    shuffled = list(orders)
    random.Random(3).shuffle(shuffled)
    assert shuffled != orders
    again = resolve_turn(sc, state, list(reversed(shuffled)))
    assert again.state.content_hash() == first.state.content_hash()
    assert again.outcomes == first.outcomes and again.draws == first.draws
    assert again.explanations == first.explanations
    assert [o.team for o in first.outcomes] == sorted(
        (o.team for o in first.outcomes), key=[t.id for t in sc.teams].index)


def test_orders_without_ids_get_ids_from_their_content(sc):
    state = initial_state(sc, 5)
    a = Order("beijing", "export_licence_regime", {"target": "USA", "material": "ndpr",
                                                   "level": "freeze"})
    b = Order("beijing", "export_licence_regime", {"target": "JPN", "material": "ndpr",
                                                   "level": "freeze"})
    one, two = resolve_turn(sc, state, [a, b]), resolve_turn(sc, state, [b, a])
    assert one.state.content_hash() == two.state.content_hash()
    assert len({o.order_id for o in one.outcomes}) == 2
    same = resolve_turn(sc, state, [a, a])  # identical orders stay two orders
    assert len({o.order_id for o in same.outcomes}) == 2


def test_affordability_does_not_depend_on_the_list_order():
    """Two orders that are affordable one at a time but not together: the one with the
    lower id is accepted, whichever comes first in the list."""
    sc = load_scenario(Path(__file__).resolve().parent.parent / "fixtures" / "engine_rules.yaml")
    state = initial_state(sc, 1)
    big = [Order("washington", "invest", {"stage": "magnet", "tonnes": 600}, id=f"t1-washington-{n}")
           for n in (2, 10)]
    for given in (big, big[::-1]):
        result = resolve_turn(sc, state, given, explain=False)
        status = {o.order_id: o.status for o in result.outcomes}
        assert status == {"t1-washington-2": "accepted", "t1-washington-10": "rejected"}


def test_compiled_rules_are_one_object_per_scenario_content(sc):
    copy = load_scenario(DEFAULT)
    assert copy is not sc and rules_for(copy) is rules_for(sc)
    state = initial_state(sc, 2)
    resolve_turn(sc, state, [])
    assert not [k for k in sc.__dict__ if k.startswith("_wargame")]
    other = load_scenario(Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
                          / "mini.yaml")
    with pytest.raises(ValueError, match="compiled for scenario"):
        resolve_turn(other, initial_state(other), [], rules=rules_for(sc))
    fresh = compile_rules(sc)
    assert resolve_turn(sc, state, [], rules=fresh).state == resolve_turn(sc, state, []).state


def test_turns_resolve_identically_on_any_thread(sc, turn_one):
    state, orders = turn_one
    expected = resolve_turn(sc, state, orders, explain=False).state.content_hash()
    seeds = list(range(8))
    alone = [resolve_turn(sc, initial_state(sc, s), orders, explain=False).state.content_hash()
             for s in seeds]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda s: resolve_turn(
            sc, initial_state(sc, s), orders, explain=False).state.content_hash(), seeds))
        again = list(pool.map(lambda _: resolve_turn(sc, state, orders, explain=False)
                              .state.content_hash(), range(8)))
    assert threaded == alone and set(again) == {expected}
