"""Bots with postures: over 50 seeds a bot-only game is not degenerate (several move kinds,
not one move every turn) and hawkish, balanced and dovish bots differ measurably; a bot
reacts to a rival's coercive order of last turn."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from wargame.engine import Order, initial_state, resolve_turn
from wargame.engine.bots import bot_orders
from wargame.engine.game import play_games
from wargame.engine.posture_bots import POSTURES, move_kind, provokers
from wargame.scenario.loader import load_scenario

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"
SEEDS = list(range(50))
TURNS = 8


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(MINI)


@pytest.fixture(scope="module")
def games(scenario):
    """Per posture: every team's bot with it, 50 seeds x 8 turns; (orders per game as
    (turn, team, move) of accepted orders, final results)."""
    teams = [t.id for t in scenario.teams]
    out = {}
    for posture in POSTURES:
        orders = [[] for _ in SEEDS]
        last = None
        for results in play_games(scenario, SEEDS, TURNS, (), teams,
                                  postures={t: posture for t in teams}):
            for g, result in enumerate(results):
                orders[g] += [(result.turn, o.team, o.move) for o in result.outcomes
                              if str(o.status) == "accepted"]
            last = results
        out[posture] = (orders, last)
    return out


@pytest.mark.parametrize("posture", POSTURES)
def test_bots_use_several_moves_and_not_one_every_turn(scenario, games, posture):
    orders, _ = games[posture]
    used = {move for game in orders for _turn, _team, move in game}
    assert len(used) >= 4, used
    for game in orders:
        by_team: dict[str, list[str]] = {}
        for _turn, team, move in game:
            by_team.setdefault(team, []).append(move)
        for team, moves in by_team.items():
            if len(moves) >= 3:
                assert len(set(moves)) >= 2, (posture, team, moves)
    if posture == "hawkish":
        kinds = {move_kind(scenario.move_index[m]) for game in orders for _t, _team, m in game}
        assert kinds >= {"coercive", "resilient"}


def _mean_and_error(values: list[float]) -> tuple[float, float]:
    array = np.array(values)
    return float(array.mean()), float(array.std(ddof=1) / np.sqrt(len(array)))


def test_postures_differ_measurably(scenario, games):
    coercive = {p: sum(move_kind(scenario.move_index[m]) == "coercive"
                       for game in games[p][0] for _t, _team, m in game) / len(SEEDS)
                for p in POSTURES}
    assert coercive["hawkish"] > coercive["balanced"] > coercive["dovish"] == 0
    for indicator in ("washington", "brussels"):
        hawk = _mean_and_error([r.indicators.scores[indicator].total for r in games["hawkish"][1]])
        dove = _mean_and_error([r.indicators.scores[indicator].total for r in games["dovish"][1]])
        # dovish play leaves the importers better off, far beyond the seeds' noise
        assert dove[0] - hawk[0] > 5 * np.hypot(hawk[1], dove[1]), (indicator, hawk, dove)
    price = {p: _mean_and_error([r.indicators.price_index_vs_baseline["ree"]
                                 for r in games[p][1]]) for p in POSTURES}
    assert price["hawkish"][0] - price["dovish"][0] > 5 * np.hypot(price["hawkish"][1],
                                                                  price["dovish"][1])


@pytest.mark.parametrize("posture,retaliates", [("hawkish", True), ("dovish", False)])
def test_a_bot_reacts_to_last_turns_coercion(scenario, posture, retaliates):
    """Rule: Beijing freezes licences to the United States on turn 1; on turn 2 a hawkish
    Washington bot answers with a coercive move, a dovish one does not (a balanced one
    weighs retaliation against how short it is)."""
    state = initial_state(scenario, 3)
    freeze = Order("beijing", "export_licences",
                   {"material": "ree", "targets": "USA", "level": "freeze"}, id="f")
    after = resolve_turn(scenario, state, [freeze], explain=False).state
    assert provokers(scenario, after, "washington") == ["beijing"]
    assert provokers(scenario, after, "brussels") == []  # the freeze names only the USA
    orders = bot_orders(scenario, after, "washington", posture)
    kinds = [move_kind(scenario.move_index[o.move]) for o in orders]
    assert ("coercive" in kinds) == retaliates
    assert bot_orders(scenario, after, "washington", posture) == orders  # deterministic


def test_unknown_posture_is_refused(scenario):
    with pytest.raises(ValueError, match="unknown bot posture 'reckless'"):
        bot_orders(scenario, initial_state(scenario, 1), "beijing", "reckless")


def test_without_a_posture_the_scenarios_bot_style_plays(scenario):
    """The rule-based style bots (the golden master's games) are unchanged."""
    state = initial_state(scenario, 1)
    moves = Counter(o.move for t in scenario.teams for o in bot_orders(scenario, state, t.id))
    assert moves and all(o.id.endswith("-bot") for t in scenario.teams
                         for o in bot_orders(scenario, state, t.id))
