""""Confrontation overshoots" (scenarios/confrontation-overshoots.yaml), its signature
dynamic. Rules, each checked on several seeds in games where bots play every team:

* the crisis freeze (an inject on turn 3: licences for NdPr and Dy/Tb magnets and oxides
  frozen for the United States, the EU and Japan) cuts the West's NdPr magnet supply well
  below what it had before the crisis;
* a climb-down move ends the measures it names in the turn it is given, and restores what
  they cut from that turn on: Beijing's general licences restore the West's magnet supply,
  Washington's suspension of its chip controls restores China's chip supply; neither is
  restored in the same game without the climb-down.

Thresholds have wide margins (the games give ~0.5 of need met under the freeze and ~1 after
the climb-down) so that a change of the engine's random draws does not flip them."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import run_game
from wargame.engine.orders import Order
from wargame.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "confrontation-overshoots.yaml"
SEEDS = (2025, 7, 11, 99)
WEST = ("USA", "EU", "JPN")
CLIMB_DOWN_TURN = 4  # the second quarter of the freeze, before the deck's truce can come


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


def west_magnets(result) -> float:
    """Share of the West's NdPr magnet need met (mean of the United States, EU and Japan)."""
    return sum(result.indicators.material_met_share[a]["ndpr"] for a in WEST) / len(WEST)


def china_chips(result) -> float:
    return result.indicators.supply_met_share["CHN"]["semiconductors"]


def play(scenario, seed, orders=()):
    return run_game(scenario, seed=seed, bots=[t.id for t in scenario.teams], explain=False,
                    orders=orders)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_freeze_cuts_western_magnet_supply(scenario, seed):
    games = play(scenario, seed)
    before = west_magnets(games[1])  # turn 2: the crisis, before the freeze
    worst = min(west_magnets(r) for r in games[2:4])  # turns 3-4: the freeze
    assert before >= 0.95
    assert worst <= before - 0.25


# (team, climb-down move, what it restores, the rule)
CLIMB_DOWNS = [
    ("beijing", "general_licences", west_magnets,
     "general licences end the freeze: the West's magnet supply is restored"),
    ("washington", "suspend_chip_controls", china_chips,
     "suspending the chip controls restores China's chip supply"),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("team, move, restored, rule", CLIMB_DOWNS,
                         ids=[c[1] for c in CLIMB_DOWNS])
def test_a_climb_down_restores_what_the_measures_cut(scenario, seed, team, move, restored,
                                                     rule):
    order = Order(team=team, move=move, params={}, id="climb-down")
    without = play(scenario, seed)
    with_it = play(scenario, seed, [(CLIMB_DOWN_TURN, order)])
    given = with_it[CLIMB_DOWN_TURN - 1]
    assert [o.status for o in given.outcomes if o.order_id == "climb-down"] == ["accepted"]
    cut = restored(without[CLIMB_DOWN_TURN - 1])
    assert cut <= 0.9, f"the measures cut nothing to restore ({rule})"
    assert restored(given) >= 0.95, rule
    assert restored(given) >= cut + 0.1, rule
    # and it stays restored over the following turns
    assert min(restored(r) for r in with_it[CLIMB_DOWN_TURN:CLIMB_DOWN_TURN + 4]) >= 0.9, rule


def test_the_climb_down_says_what_it_ended(scenario):
    """The room hears which measures the climb-down ended or turned back to licensing."""
    order = Order(team="beijing", move="general_licences", params={}, id="climb-down")
    games = run_game(scenario, seed=2025, turns=CLIMB_DOWN_TURN, explain=True,
                     bots=[t.id for t in scenario.teams], orders=[(CLIMB_DOWN_TURN, order)])
    told = [e.text for e in games[-1].explanations if e.kind == "order"
            and e.text.startswith("Beijing's climb down: general licences")]
    assert len(told) == 1
    assert "amends the event 'Beijing freezes magnet" in told[0]
    assert "ends the event 'Separation technology" in told[0]
    # and what it restored is measured against the freeze it amended, not "too small"
    assert "no measurable effect" not in told[0] and "without it" in told[0]
    recovered = [e.text for e in games[-1].explanations if e.kind == "change"
                 and "United States' wind power supply rose" in e.text]
    assert recovered and "without Beijing's climb down" in recovered[0]
