"""What planning, the bots and the state hash work out once and share (by content, or by
the very immutable object) gives the same answers as working it out afresh: the same
problems for an order, the same plan, the same records, the same hash text."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from engine_rule_cases import FIXTURE
from wargame.engine import FACILITATOR, Order, initial_state, validate_order
from wargame.engine.game import play_batches
from wargame.engine.indicators import last_headlines
from wargame.engine.orders import params_key
from wargame.engine.bots import _BOT_ORDERS, bot_orders, shared_bot_orders
from wargame.engine.planning import KnownOrders, known_order, order_problems, plan_turn
from wargame.engine.rules import compile_rules
from wargame.engine import state as state_module
from wargame.engine.state import _entry_json
from wargame.resources import shipped_scenarios_dir
from wargame.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def sc():
    return load_scenario(FIXTURE)


# (team, move, params, already given this turn by the same team): legal, illegal in every
# way validate_order knows, unaffordable alone and with the team's other orders, white cell
ORDER_CASES = [
    ("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"}, []),
    ("washington", "restrict", {}, []),
    ("beijing", "restrict", {"target": "ZZZ", "stage": "magnet", "level": "freeze"}, []),
    ("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze",
                             "extra": 1}, []),
    ("washington", "invest", {"stage": "magnet", "tonnes": 5000}, []),
    ("washington", "invest", {"stage": "magnet", "tonnes": 1000}, []),
    ("washington", "invest", {"stage": "magnet", "tonnes": 300},
     [("invest", {"stage": "magnet", "tonnes": 300}), ("stake", {"host": "AUS", "share": 0.5})]),
    ("washington", "invest", {"stage": "magnet", "tonnes": True}, []),
    ("washington", "nope", {}, []),
    ("nobody", "invest", {}, []),
    (FACILITATOR, "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"}, []),
]


@pytest.mark.parametrize("team, move, params, already", ORDER_CASES)
def test_an_order_checked_by_content_has_the_problems_validate_order_gives(
        sc, team, move, params, already):
    """Rule: the bots and planning look up what an order's content decides and check the
    budgets each time; the problems are validate_order's, asked once or twice."""
    rules = compile_rules(sc)
    state = initial_state(sc, 1, rules)
    order = Order(team, move, params)
    others = [Order(team, m, p) for m, p in already]
    expected = validate_order(sc, state, order, others)
    charged = [(o.team, known_order(rules, o)) for o in others]
    assert order_problems(rules, state, order, charged) == expected
    assert order_problems(rules, state, order, charged) == expected  # from the cache


def test_content_keys_tell_apart_what_the_rules_tell_apart():
    """Rule: parameters equal to Python but not to the rules (1, 1.0 and True; 0.0 and
    -0.0; a list and a tuple) have different keys; a value that is not plain has none."""
    values = [1, 1.0, True, 0.0, -0.0, [1, 2], (1, 2), "1", None]
    keys = [params_key({"x": v}) for v in values]
    assert len(set(keys)) == len(values)
    assert params_key({"b": 1, "a": 2}) == params_key({"a": 2, "b": 1})
    assert params_key({"x": {"nested": 1}}) is None


def _plan_content(plan):
    return (plan.measures, plan.fired, plan.outcomes, plan.turn_seed, plan.endings,
            plan.undone, plan.state.content_hash())


def test_a_plan_from_shared_records_equals_one_made_afresh():
    """Rule: a plan made with every record already kept (another game made them) equals
    the plan fresh rules make, for a turn with orders, injects and standing orders."""
    sc = load_scenario(shipped_scenarios_dir() / "rare-earth-shock-2025.yaml")
    teams = [t.id for t in sc.teams]
    states = []
    for batch in play_batches(sc, [3], 5, bots=teams):
        states.append(batch.results[0].state)
    warm = compile_rules(sc)
    for state in [initial_state(sc, 3, warm)] + states:
        orders = [o for t in teams for o in bot_orders(sc, state, t)]
        plan_turn(warm, state, orders)  # fills the caches
        kept = plan_turn(warm, state, orders)
        fresh = plan_turn(compile_rules(sc), state, orders)
        assert _plan_content(kept) == _plan_content(fresh)


def _bot_states(sc, seed, turns):
    """Each turn's starting state of a bot game, and each again with no money left (a bot
    then gives a cheaper move, or none)."""
    teams = [t.id for t in sc.teams]
    states = [initial_state(sc, seed, compile_rules(sc))]
    for batch in play_batches(sc, [seed], turns, bots=teams):
        states.append(batch.results[0].state)
    broke = []
    for state in states:
        poor = state.copy()
        poor.budget = np.zeros_like(state.budget)
        broke.append(poor)
    return states + broke


@pytest.mark.parametrize("name", ["rare-earth-shock-2025", "resource-states-gambit"])
def test_a_bot_gives_the_same_orders_from_its_kept_candidates(name):
    """Rule: a bot's candidate orders of a turn are made once (shared by every game that
    gives them); the orders it gives are those fresh rules give, rich or broke, and
    ``bot_orders`` hands out copies whose parameters are the caller's own."""
    sc = load_scenario(shipped_scenarios_dir() / f"{name}.yaml")
    rules = compile_rules(sc)
    states = _bot_states(sc, 4, 6)
    # the rich states fill the cache, the broke ones read the candidates the rich made
    kept = [shared_bot_orders(sc, state, team.id) for state in states for team in sc.teams]
    given = 0
    for (state, team), from_cache in zip([(s, t) for s in states for t in sc.teams], kept):
        _BOT_ORDERS.clear()
        shared = shared_bot_orders(sc, state, team.id)  # worked out afresh
        assert from_cache == shared
        own = bot_orders(sc, state, team.id)
        assert own == shared
        for mine, theirs in zip(own, shared):
            assert mine.params is not theirs.params
            assert order_problems(rules, state, mine) == []
        given += len(own)
    assert given  # the bots gave orders
    # broke, some bot gives a cheaper move or none: the kept candidates were checked again
    rich, broke = kept[:len(kept) // 2], kept[len(kept) // 2:]
    assert rich != broke


def test_orders_known_by_object_are_known_as_by_content():
    """Rule: a batch looks each order object up once (``KnownOrders``); the plans of its
    games equal the plans made looking every order up by content."""
    sc = load_scenario(shipped_scenarios_dir() / "rare-earth-shock-2025.yaml")
    teams = [t.id for t in sc.teams]
    rules = compile_rules(sc)
    known = KnownOrders()
    for state in _bot_states(sc, 8, 5):
        orders = [o for t in teams for o in shared_bot_orders(sc, state, t)]
        for order in orders:
            assert known.of(rules, order) == known_order(rules, order)
        assert _plan_content(plan_turn(rules, state, orders, known=known)) == \
            _plan_content(plan_turn(compile_rules(sc), state, orders))


@pytest.mark.parametrize("name", ["rare-earth-shock-2025", "resource-states-gambit"])
def test_the_hash_text_is_the_canonical_json_of_the_state(name):
    """Rule: the state hash reads the canonical JSON of the state's rest (measures and
    pipeline entries written once per object, entries without deep copies): the same
    text as dumping ``_rest()`` whole, with what is kept and after it is dropped, and
    pipeline entries as ``to_json`` gives them; what is kept is bounded."""
    sc = load_scenario(shipped_scenarios_dir() / f"{name}.yaml")
    teams = [t.id for t in sc.teams]
    pipelines, entries = 0, []
    for batch in play_batches(sc, [5, 6], 8, bots=teams):
        for result in batch.results:
            state = result.state
            rest = {"turn": state.turn, "seed": state.seed, **state._rest()}
            text = json.dumps(rest, sort_keys=True, separators=(",", ":"))
            assert state._rest_json() == text
            assert state._rest_json() == text  # measures' and entries' JSON kept
            state_module._OBJECT_JSON.clear()
            assert state._rest_json() == text
            assert [_entry_json(e) for e in state.pipeline] == \
                [e.to_json() for e in state.pipeline]
            pipelines += len(state.pipeline)
            entries = state.pipeline or entries
    assert pipelines  # the games built capacity: entries were written
    for n in range(state_module._OBJECT_JSON_LIMIT + 3):
        state_module._kept_json(dataclasses.replace(entries[0], id=f"e{n}"))
    assert len(state_module._OBJECT_JSON) <= state_module._OBJECT_JSON_LIMIT


def test_stage_prices_kept_are_rounded_as_python_rounds_each_float():
    """Rule: the stage price indices a state keeps are Python's ``round(x, 6)`` of each
    figure (not NumPy's, which differs in the last digit now and then)."""
    sc = load_scenario(FIXTURE)
    rng = np.random.default_rng(7)
    M = len(sc.materials)
    S = max(len(m.stages) for m in sc.materials)
    stage_index = rng.random((M, S)) * 3
    kept = last_headlines(sc, np.ones((len(sc.actors), len(sc.sectors))),
                          np.ones((len(sc.actors), len(sc.sectors)), bool), np.ones(M),
                          stage_index)["stage_price_index"]
    assert kept == {mat.id: {stage.id: round(float(stage_index[m, s]), 6)
                             for s, stage in enumerate(mat.stages)}
                    for m, mat in enumerate(sc.materials)}


def test_orders_sorted_by_object_are_sorted_as_canonical_orders_sorts_them():
    """Rule: a batch sorts each list of order objects once (``KnownOrders.canonical``):
    the same orders as ``canonical_orders``, ids given to id-less and repeated orders
    alike, the same objects for the same objects given, in a list of the caller's own."""
    from wargame.engine.planning import canonical_orders

    sc = load_scenario(FIXTURE)
    given = [Order("washington", "invest", {"stage": "magnet", "tonnes": 300}),
             Order("beijing", "restrict", {"target": "USA", "stage": "magnet",
                                           "level": "freeze"}, id="x"),
             Order("beijing", "restrict", {"target": "USA", "stage": "magnet",
                                           "level": "quota"}, id="x")]
    known = KnownOrders()
    first = known.canonical(sc, given, 3)
    assert first == canonical_orders(sc, given, 3)
    again = known.canonical(sc, list(given), 3)
    assert again == first and again is not first
    assert all(a is b for a, b in zip(again, first))  # id-less one named once
    assert known.canonical(sc, given[::-1], 3) == first  # another list: sorted again
    assert known.canonical(sc, given, 4) == canonical_orders(sc, given, 4)


def test_kept_demand_tables_are_shared_and_equal_to_each_games_own():
    """Rule: the states keep which sectors have demand as a table shared by every game
    with the same one (one object for the collector to scan), equal to the game's own
    ``tolist``; another table is its own; the shared tables are bounded."""
    from wargame.engine import indicators

    sc = load_scenario(FIXTURE)
    A, K, M = len(sc.actors), len(sc.sectors), len(sc.materials)
    rng = np.random.default_rng(3)
    has = rng.random((4, A, K)) > 0.3
    has[1] = has[0]
    met = rng.random((4, A, K))
    kept = indicators._kept_headlines(sc, met, has, np.ones((4, M)), None)
    for game, own in zip(kept, has):
        assert game["has_demand"] == own.tolist()
    assert kept[1]["has_demand"] is kept[0]["has_demand"]
    assert kept[2]["has_demand"] is not kept[0]["has_demand"]
    for n in range(indicators._HAS_TABLES_LIMIT + 5):
        indicators._has_table(np.array([[n % 2 == 0] * (n + 1)]))
    assert len(indicators._HAS_TABLES) <= indicators._HAS_TABLES_LIMIT


@pytest.mark.parametrize("posture", [None, "hawkish"])
def test_a_batchs_bots_give_each_game_what_its_bot_gives_alone(posture):
    """Rule: a batch asks each team's bot for every game at once (what a style bot tries
    worked out once per turn); each game gets the orders its bot gives it alone, rich or
    broke, on turns of different cadences."""
    from wargame.engine.bots import batch_bot_orders

    sc = load_scenario(shipped_scenarios_dir() / "rare-earth-shock-2025.yaml")
    rules = compile_rules(sc)
    states = _bot_states(sc, 9, 5)
    given = 0
    for team in sc.teams:
        together = batch_bot_orders(rules, states, team.id, posture)
        alone = [shared_bot_orders(sc, state, team.id, posture) for state in states]
        assert together == alone
        given += sum(map(len, together))
    assert given
