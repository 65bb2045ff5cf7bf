"""The batched engine (many games stacked in one pass) equals the one-game engine, game for
game: the same state hashes every turn, the same outcomes, draws and injects, the same
scores; and the scores read from ``score_inputs`` equal those of the full indicators."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.engine import Order, rules_for, run_game
from wargame.engine.game import play_games
from wargame.engine.indicators import score_values
from wargame.engine.resolve import quiet_reference
from wargame.scenario.loader import load_scenario

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml"
DEFAULT = REPO / "scenarios" / "rare-earth-shock-2025.yaml"

# orders that move money at the market (a price floor, a tariff) and restrict licences,
# on top of every team's bot: the batch must settle each game's budget on its own
MINI_ORDERS = (
    (1, Order("washington", "price_floor", {}, id="floor")),
    (2, Order("washington", "chip_controls", {}, id="chips")),
    (2, Order("beijing", "export_licences",
              {"material": "ree", "targets": "USA", "level": "freeze"}, id="freeze")),
)


def _record(result):
    return (result.state.content_hash(), [o.model_dump() for o in result.outcomes],
            [d.model_dump() for d in result.draws], [i.inject_id for i in result.injects_fired],
            [e.text for e in result.explanations])


@pytest.mark.parametrize("path,orders,seeds,turns", [
    (MINI, MINI_ORDERS, (1, 2, 3, 4, 5, 6, 7), 8),
    (DEFAULT, (), (2025, 7, 11, 12, 13), 12),
])
def test_batched_games_equal_one_game_at_a_time(path, orders, seeds, turns):
    scenario = load_scenario(path)
    bots = [t.id for t in scenario.teams]
    alone = [run_game(scenario, seed=seed, turns=turns, orders=orders, bots=bots,
                      explain=False) for seed in seeds]
    batched = list(play_games(scenario, seeds, turns, orders, bots))
    assert len(batched) == turns
    reference = quiet_reference(rules_for(scenario))
    for t, results in enumerate(batched):
        assert len(results) == len(seeds)
        for g, result in enumerate(results):
            single = alone[g][t]
            assert _record(result) == _record(single), (seeds[g], t + 1)
            totals = {team: s.total for team, s in single.indicators.scores.items()}
            fast = score_values(scenario, result.score_inputs, reference)
            assert {team: total for team, (total, _raws) in fast.items()} == totals
            assert result.indicators.scores == single.indicators.scores
    # the orders did bite: money moved at the market, and games differ by seed
    assert any(o.move == "price_floor" and o.status == "accepted"
               for o in alone[0][0].outcomes) or not orders
    assert len({r.state.content_hash() for r in batched[-1]}) == len(seeds)


def test_score_inputs_read_as_the_full_indicators():
    """Rule: every objective's raw value is the same from ``score_inputs`` as from the
    full indicators (same names, same rounding)."""
    scenario = load_scenario(DEFAULT)
    reference = quiet_reference(rules_for(scenario))
    results = run_game(scenario, seed=3, turns=6, bots=[t.id for t in scenario.teams],
                       explain=False)
    kinds = {obj.indicator for team in scenario.teams for obj in team.objectives}
    assert {"supply_met", "dependency", "revenue", "value_added", "political_capital"} <= kinds
    for result in results:
        assert score_values(scenario, result.score_inputs, reference) == \
            score_values(scenario, result.indicators, reference)


def test_policy_from_its_shared_drawless_part_equals_every_measure_applied_in_turn():
    """Rule: the measures that draw nothing make a policy shared between games
    (``policy.drawless_policy``); the licence draws are applied on a copy of it. That is
    the policy of applying every measure in its order, and changing one game's policy
    changes no other game's: what it owns it may change, the arrays it shares refuse
    writes."""
    import numpy as np

    from wargame.engine.planning import plan_turn
    from wargame.engine.policy import (
        DRAWING, apply_compiled, build_policy, compiled, empty_policy, turn_draws,
    )

    scenario = load_scenario(MINI)
    rules = rules_for(scenario)
    state = play_games(scenario, [4], 1, MINI_ORDERS, [t.id for t in scenario.teams])
    state = next(iter(state))[0].state
    plan = plan_turn(rules, state, [o for turn, o in MINI_ORDERS if turn == 2])
    kinds = {compiled(rules, m)[0] for m in plan.measures}
    assert kinds & set(DRAWING) and kinds - set(DRAWING) - {"skip"}
    reference = empty_policy(rules.baseline)
    for measure in plan.measures:
        apply_compiled(rules.baseline, reference, compiled(rules, measure), measure,
                       plan.state.turn, plan.turn_seed, True)
    first = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                         plan.state.origin)
    first.allow[:, :, np.arange(first.allow.shape[2]), np.arange(first.allow.shape[2])] = 0.5
    with pytest.raises(ValueError, match="read-only"):
        first.reserved += 1.0
    first.quotas.clear()
    again = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                         plan.state.origin)
    A = rules.baseline.n_actors
    reference.allow[:, :, np.arange(A), np.arange(A)] = 1.0
    reference.status[:, :, np.arange(A), np.arange(A)] = 0
    assert turn_draws(again) == reference.draws  # the licence records, made when read
    for name, value in vars(reference).items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(getattr(again, name), value, equal_nan=True), name
        elif name not in ("extraterritorial", "licence_draws"):
            assert getattr(again, name) == value, name


def test_a_turn_resolved_without_explaining_narrates_it_when_read():
    """Rule: without explanations a turn still tells its news (each licence draw, each
    inject fired), narrated when first read (sweeps never read it), from the turn as it
    was even after later turns were resolved."""
    scenario = load_scenario(MINI)
    results = run_game(scenario, seed=3, turns=3, orders=MINI_ORDERS, explain=False)
    for result in results:
        news = [e for e in result.explanations if e.kind == "news"]
        assert len(news) == len(result.draws)
        assert [e.groups for e in news][:1] == [("standing:0",)]
        assert sum(e.kind == "event" for e in result.explanations) == len(result.injects_fired)
    assert ("order:freeze",) in [e.groups for e in results[1].explanations]


def test_a_batch_mixing_games_with_and_without_extra_stock_cover_equals_each_alone():
    """Rule: a batch completes every game's market inputs in one stacked pass; a game with
    a ``stock_cover_days`` measure (stockpile transparency: 15 days less cover) and games
    without any (zero days added) each get exactly what they get alone."""
    from wargame.engine.batch import resolve_turns
    from wargame.engine.resolve import resolve_turn
    from wargame.engine.setup import initial_state

    scenario = load_scenario(REPO / "scenarios" / "reluctant-multilateralism.yaml")
    rules = rules_for(scenario)
    members = ("washington", "brussels", "tokyo", "canberra")
    transparency = [Order(team, "stockpile_transparency", {}, id=f"t-{team}")
                    for team in members]
    states = [initial_state(scenario, seed, rules) for seed in (5, 6, 7)]
    orders = [[], transparency, []]
    for _turn in range(3):
        batched = resolve_turns(rules, states, orders)
        alone = [resolve_turn(scenario, state, given, explain=False, rules=rules)
                 for state, given in zip(states, orders)]
        for fast, single in zip(batched, alone):
            assert _record(fast) == _record(single)
        states, orders = [r.state for r in batched], [[], [], []]
    first = resolve_turns(rules, [initial_state(scenario, 6, rules)], [transparency])[0]
    assert [str(o.status) for o in first.outcomes] == ["accepted"] * len(members)
    # the measure did change the stock target: the game with it differs from its seed alone
    quiet = resolve_turns(rules, [initial_state(scenario, 6, rules)], [[]])[0]
    assert not np.array_equal(first.state.stock_target, quiet.state.stock_target)


def test_a_batch_mixing_licensed_taxed_and_plain_games_gives_each_its_own_branches(
        monkeypatch):
    """Rule: a stacked flow takes each game's own branches, as the game alone takes them:
    licensed trade (with leakage and a queue of refused applications), trade deterred by
    a tariff, or plain contracts and spot. A game with no licence or tariff on a stage is
    not allocated as licensed because another game of its batch is (it once was, and
    differed from the game alone in the last bits)."""
    import wargame.engine.flow as flow_module
    from wargame.engine.batch import resolve_turns
    from wargame.engine.resolve import resolve_turn
    from wargame.engine.setup import initial_state

    keys: list[list[tuple]] = []
    allocate_group = flow_module._allocate_group

    def spy(key, *args):
        if keys:  # (setting up the games resolves a quiet turn first)
            keys[-1].append(tuple(bool(k) for k in key[:2]))  # (branch, licensed)
        return allocate_group(key, *args)

    monkeypatch.setattr(flow_module, "_allocate_group", spy)
    scenario = load_scenario(MINI).model_copy(update={"in_force": ()})  # no standing licence
    rules = rules_for(scenario)
    states = [initial_state(scenario, seed, rules) for seed in (1, 2, 3)]
    given = [
        [],
        [Order("washington", "chip_controls", {}, id="tariff")],
        [Order("beijing", "export_licences",
               {"material": "ga", "targets": "USA", "level": "freeze", "turns": 3},
               id="freeze")],
    ]
    for turn in range(1, 9):
        orders = given if turn == 2 else [[], [], []]
        keys.append([])
        batched = resolve_turns(rules, states, orders)
        alone = [resolve_turn(scenario, state, given, explain=False, rules=rules)
                 for state, given in zip(states, orders)]
        for fast, single in zip(batched, alone):
            assert _record(fast) == _record(single), turn
        states = [r.state for r in batched]
    # the batch did mix branches within one stacked pass: plain next to licensed or taxed
    mixed = [turn_keys for turn_keys in keys if len(set(turn_keys)) > 1]
    assert mixed and any((False, False) in k and (True, True) in k for k in mixed)
    assert any((True, False) in k for k in mixed)  # taxed only


def _bot_batch_cases():
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        for posture in (None, "hawkish", "dovish"):
            yield pytest.param(path, posture, id=f"{path.stem}-{posture}")


@pytest.mark.parametrize("path,posture", list(_bot_batch_cases()))
def test_every_game_of_a_bot_batch_equals_the_game_played_alone(path, posture):
    """Rule: a game's numbers never depend on which other games share its batch. Bots give
    each game its own orders, so the games of a batch differ (one has unsold output that
    moves contracts, another none); each must still equal the game alone, to the hash."""
    scenario = load_scenario(path)
    bots = [t.id for t in scenario.teams]
    postures = {team: posture for team in bots} if posture else None
    seeds, turns = (100, 101, 102, 103), 8
    batched = list(play_games(scenario, seeds, turns, (), bots, postures=postures))
    for g, seed in enumerate(seeds):
        alone = run_game(scenario, seed=seed, turns=turns, bots=bots, explain=False,
                         postures=postures)
        for t in range(turns):
            assert batched[t][g].state.content_hash() == alone[t].state.content_hash(), \
                (seed, t + 1)


def test_a_batch_changes_no_state_it_was_given_and_copies_what_a_turn_changes():
    """Rule: a batch prepares each game on read-only views of its state and copies an array
    only when the turn changes it (a price shock, capacity arriving or ordered): each game
    equals the game alone, and the states the batch was given are unchanged."""
    from wargame.engine.batch import resolve_turns
    from wargame.engine.resolve import resolve_turn
    from wargame.engine.setup import initial_state

    scenario = load_scenario(DEFAULT)
    rules = rules_for(scenario)
    shocks = [
        [Order("facilitator", "white_cell_price",
               {"material": "lithium", "stage": "chemical", "factor": 1.5}, id="shock")],
        [Order("facilitator", "white_cell_capacity",
               {"actor": "MMR", "material": "dytb", "stage": "mine", "factor": 0.5,
                "duration": 0}, id="cut")],
        [],
    ]
    states = [initial_state(scenario, seed, rules) for seed in (3, 4, 5)]
    for _turn in range(2):
        before = [s.content_hash() for s in states]
        given = [[Order(o.team, o.move, o.params, id=f"{o.id}-{s.turn}") for o in orders]
                 for s, orders in zip(states, shocks)]
        batched = resolve_turns(rules, states, given)
        alone = [resolve_turn(scenario, s, o, explain=False, rules=rules)
                 for s, o in zip(states, given)]
        assert [s.content_hash() for s in states] == before
        for fast, single in zip(batched, alone):
            assert _record(fast) == _record(single)
        assert all(str(o.status) == "accepted" for r in batched for o in r.outcomes)
        states = [r.state for r in batched]
    # a permanent capacity change (an inject fired by hand: MP's magnet plant commissioned)
    scenario = load_scenario(REPO / "scenarios" / "confrontation-overshoots.yaml")
    rules = rules_for(scenario)
    states = [initial_state(scenario, seed, rules) for seed in (3, 4)]
    before = [s.content_hash() for s in states]
    batched = resolve_turns(rules, states, [[], []], injects=["mp_10x_commissioned"])
    alone = [resolve_turn(scenario, s, (), injects=["mp_10x_commissioned"], explain=False,
                          rules=rules) for s in states]
    assert [s.content_hash() for s in states] == before
    assert [_record(r) for r in batched] == [_record(r) for r in alone]
    usa, ndpr = scenario.actor_index["USA"], scenario.material_index["ndpr"]
    assert (batched[0].state.capacity[ndpr, :, usa] > states[0].capacity[ndpr, :, usa]).any()
