"""The signature dynamic of "Reluctant multilateralism" (scenarios/reluctant-multilateralism.yaml).

Rule: a coalition move takes effect only when its quorum of teams commits it in the same
turn. With three members, the joint financing facility is accepted for each of them, each is
charged, and the separation capacity they finance at Lynas in Malaysia arrives and ramps up,
so the members' dependence on Chinese-origin NdPr falls below the quiet game's; with two it
is NO_QUORUM for both, nothing is charged and the world is the quiet game's. The same for the
pooled stockpile: with its quorum the members' strategic stocks grow, without it they do not.
Asserted on several seeds, on directions and thresholds with margins, not on exact draws."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.engine import OUTCOME_ACCEPTED, OUTCOME_NO_QUORUM, Order, run_game
from wargame.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "reluctant-multilateralism.yaml"
SEEDS = (1, 7, 2026)
FINANCING = {"material": "ndpr", "stage": "separate", "host": "MYS", "tonnes_per_year": 1500,
             "reserved_share": 0.3}


@pytest.fixture(scope="module")
def sc():
    return load_scenario(SCENARIO)


def _play(sc, seed: int, first_turn: list[Order], turns: int):
    return run_game(sc, seed=seed, turns=turns, orders=[(1, o) for o in first_turn],
                    explain=False, deck=False)


def _financing(teams):
    return [Order(team, "joint_financing", dict(FINANCING)) for team in teams]


def _separation_capacity_t_per_year(sc, result, actor: str) -> float:
    m, a = sc.material_index["ndpr"], sc.actor_index[actor]
    per_turn = float(result.state.capacity[m, sc.material("ndpr").stage_index("separate"), a])
    return per_turn * 12 / sc.turn_length_months


@pytest.mark.parametrize("seed", SEEDS)
def test_joint_financing_takes_effect_with_its_quorum_and_shows_in_the_indicators(sc, seed):
    members = ("washington", "brussels", "tokyo")
    quiet = _play(sc, seed, [], 12)
    club = _play(sc, seed, _financing(members), 12)
    assert {o.team: o.status for o in club[0].outcomes} == {t: OUTCOME_ACCEPTED for t in members}
    for team in members:  # each member paid its share (100 + 0.25 x 1,500 = USD 475 m)
        spent = quiet[0].indicators.budget_usd_m[team] - club[0].indicators.budget_usd_m[team]
        assert spent == pytest.approx(475, rel=0.01)
    # the capacity arrives at the host (3 x 1,500 t/yr, allowing for permitting slips)
    added = _separation_capacity_t_per_year(sc, club[-1], "MYS") - \
        _separation_capacity_t_per_year(sc, quiet[-1], "MYS")
    assert added == pytest.approx(4500, rel=0.01)
    # ... and, as it ramps up (35 % of nameplate in its first year), the members depend less
    # on Chinese-origin NdPr by the end: a point or two, the honest size of USD 1.4 bn
    for actor, margin in (("USA", 0.008), ("EU", 0.008), ("JPN", 0.003)):
        with_club = club[-1].indicators.dependency_share_by_material["ndpr"][actor]["CHN"]
        without = quiet[-1].indicators.dependency_share_by_material["ndpr"][actor]["CHN"]
        assert with_club < without - margin, actor


@pytest.mark.parametrize("seed", SEEDS)
def test_joint_financing_short_of_its_quorum_does_nothing(sc, seed):
    quiet = _play(sc, seed, [], 12)
    short = _play(sc, seed, _financing(("washington", "brussels")), 12)
    assert [o.status for o in short[0].outcomes] == [OUTCOME_NO_QUORUM, OUTCOME_NO_QUORUM]
    assert "needs 3 teams" in short[0].outcomes[0].detail
    assert short[0].indicators.budget_usd_m == quiet[0].indicators.budget_usd_m  # nothing charged
    assert np.array_equal(short[-1].state.capacity, quiet[-1].state.capacity)
    assert short[-1].indicators.dependency_share_by_material == \
        quiet[-1].indicators.dependency_share_by_material


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("teams, grows", [(("washington", "brussels", "tokyo"), True),
                                          (("washington", "tokyo"), False)])
def test_a_pooled_stockpile_grows_strategic_stocks_only_with_its_quorum(sc, seed, teams, grows):
    orders = [Order(t, "pooled_stockpile", {"material": "ndpr", "tonnes": 60}) for t in teams]
    quiet, pooled = _play(sc, seed, [], 4), _play(sc, seed, orders, 4)
    for team, actor in zip(teams, ("USA", "EU", "JPN")):
        a = sc.actor_index[sc.team_actors(team)[0]]
        m = sc.material_index["ndpr"]
        extra = float(pooled[-1].state.strategic[m, :, a].sum() - quiet[-1].state.strategic[m, :, a].sum())
        if grows:
            assert extra > 0.4 * 4 * 60, team  # up to 60 t a turn for four turns, as supply allows
        else:
            assert extra == pytest.approx(0.0, abs=1e-6), team
