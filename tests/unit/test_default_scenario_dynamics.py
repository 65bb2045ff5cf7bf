"""The default scenario under the engine: a quiet baseline is stable, and a Beijing magnet
freeze on Washington produces a US defence and EV shortfall and a price rise that recede
after the freeze lapses."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import Order, initial_state, resolve_turn
from wargame.scenario.loader import load_scenario

DEFAULT = Path(__file__).resolve().parent.parent.parent / "scenarios" / "rare-earth-shock-2025.yaml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(DEFAULT)


def _run(sc, first_turn_orders, turns):
    state = initial_state(sc)
    results = []
    for turn in range(turns):
        result = resolve_turn(sc, state, first_turn_orders if turn == 0 else [], explain=turn < 3,
                              deck=False)
        results.append(result)
        state = result.state
    return results


def test_twenty_quiet_turns_stay_at_baseline(sc):
    for result in _run(sc, [], 20):
        lowest = min(v for ks in result.indicators.supply_met_share.values() for v in ks.values())
        assert lowest > 0.99, f"turn {result.turn}: a shortfall appeared from nothing"
        for material, index in result.indicators.price_index_vs_baseline.items():
            assert index == pytest.approx(1.0, abs=0.05), f"turn {result.turn}: {material} drifted"
        assert result.ledger_gap < 1e-3


def test_magnet_freeze_on_washington_bites_then_recedes(sc):
    freeze = [Order("beijing", "export_licence_regime",
                    {"target": "USA", "material": material, "level": "freeze", "duration": 2})
              for material in ("ndpr", "dytb")]
    results = _run(sc, freeze, 8)
    us = [r.indicators.supply_met_share["USA"] for r in results]
    assert min(t["defence"] for t in us[:2]) < 0.9
    assert min(t["ev"] for t in us[:2]) < 0.5
    assert min(t["defence"] for t in us[:2]) > min(t["ev"] for t in us[:2])  # defence first
    us_magnet_price = [r.indicators.price_by_actor_usd_per_kg["ndpr"]["magnet"]["USA"]
                       for r in results]
    china_magnet_price = [r.indicators.price_by_actor_usd_per_kg["ndpr"]["magnet"]["CHN"]
                          for r in results]
    assert max(us_magnet_price[:3]) > 3 * us_magnet_price[-1]  # a several-fold spike outside China
    assert min(china_magnet_price[:2]) < china_magnet_price[-1]  # and a glut inside it
    # the freeze lapses after turn 2: supply recovers, prices come back down with a lag
    assert all(v > 0.99 for v in us[4].values())
    assert us_magnet_price[3] > us_magnet_price[6] and us_magnet_price[-1] < 1.2 * 164
    text = " ".join(results[1].explanation_texts())
    assert "without Beijing's NdPr licensing freeze on the United States" in text
