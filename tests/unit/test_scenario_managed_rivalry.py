""""Managed rivalry" (scenarios/managed-rivalry.yaml), its signature dynamic. Rule, checked
on several seeds in games where bots play every team: Beijing's licences work as valves -
case-by-case and partial approvals, never a freeze - so every Western importer (the United
States, the EU, Japan) gets most of its NdPr and Dy/Tb magnet need every turn, while the
Dy/Tb price stays well above its baseline in the second half of the game (the cost of a
managed rivalry) and the US defence build-out (the 10X plant on turn 10, defence lines)
arrives before the end.

Thresholds have wide margins (the games give at least 0.64 of need met in the worst turn and
0.99 on average over the game, a Dy/Tb price index
of 3-5 and about 3,900 t/yr of new US magnet capacity) so that a change of the engine's
random draws does not flip them."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import rules_for, run_game
from wargame.engine.indicators import capacity_reader
from wargame.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "managed-rivalry.yaml"
SEEDS = (2025, 7, 11, 99)
WEST = ("USA", "EU", "JPN")
# share of need met that valves, unlike a freeze (about half of need: confrontation), never
# go below in any turn: over 34 seeds under model 6 the worst turn was 0.64 (a narrowed
# valve on the United States' NdPr in turn 4), and the game's mean never under 0.99
FLOOR = 0.6
MEAN_FLOOR = 0.95
TEN_X = 3000  # t/yr REO of magnets: MP's 10X plant (MP)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def games(scenario):
    return {seed: run_game(scenario, seed=seed, bots=[t.id for t in scenario.teams],
                           explain=False) for seed in SEEDS}


def test_beijing_has_no_freeze_to_order(scenario):
    """The valve only narrows: no move of Beijing's offers the freeze level."""
    for move in scenario.moves:
        if move.allowed_for("beijing"):
            for spec in move.params:
                assert "freeze" not in spec.choices, move.id


@pytest.mark.parametrize("seed", SEEDS)
def test_valves_keep_western_supply_above_a_floor(games, seed):
    shares = []
    for result in games[seed]:
        for actor in WEST:
            for material in ("ndpr", "dytb"):
                met = result.indicators.material_met_share[actor][material]
                assert met >= FLOOR, (result.turn, actor, material, met)
                shares.append(met)
    assert sum(shares) / len(shares) >= MEAN_FLOOR


@pytest.mark.parametrize("seed", SEEDS)
def test_prices_stay_elevated(games, seed):
    second_half = games[seed][6:]
    dytb = [r.indicators.price_index_vs_baseline["dytb"] for r in second_half]
    assert sum(dytb) / len(dytb) >= 2.0
    assert max(dytb) <= 10.0  # below the tenfold of the 2010-11 episode
    ndpr = [r.indicators.price_index_vs_baseline["ndpr"] for r in games[seed]]
    assert max(ndpr) >= 1.3  # the narrowed valves show in the NdPr price too


@pytest.mark.parametrize("seed", SEEDS)
def test_the_defence_build_out_arrives(scenario, games, seed):
    rules = rules_for(scenario)
    first = capacity_reader(rules, games[seed][0].state)("USA", "ndpr", "magnet")
    last = capacity_reader(rules, games[seed][-1].state)("USA", "ndpr", "magnet")
    assert last >= first + 0.9 * TEN_X
