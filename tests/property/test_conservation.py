"""Property: over random legal orders, material is conserved at every stage (sources =
sinks + stock change), and no stock, capacity, flow or price goes negative or non-finite."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.engine import Order, initial_state, resolve_turn, validate_order
from wargame.engine.bots import _fill
from wargame.scenario.loader import load_scenario

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCENARIOS = {
    "rules": load_scenario(FIXTURES / "engine_rules.yaml"),
    "mini": load_scenario(FIXTURES / "scenarios" / "mini.yaml"),
    "default": load_scenario(FIXTURES.parent.parent / "scenarios" / "rare-earth-shock-2025.yaml"),
}


def _random_order(sc, data, turn):
    move = data.draw(st.sampled_from(sc.moves))
    team = data.draw(st.sampled_from([t.id for t in sc.teams if move.allowed_for(t.id)] or [sc.teams[0].id]))
    params = _fill(sc, team, move, data.draw(st.integers(0, 20)))
    for spec in move.params:
        if spec.type in ("number", "integer"):
            low = spec.min if spec.min is not None else 0.0
            high = spec.max if spec.max is not None else 100.0
            value = data.draw(st.floats(low, high, allow_nan=False))
            params[spec.name] = int(round(value)) if spec.type == "integer" else value
        elif spec.type == "choice":
            params[spec.name] = data.draw(st.sampled_from(spec.choices))
        elif spec.type == "actor":
            options = [a.id for a in sc.actors
                       if (spec.scope != "own" or a.team == team) and (spec.scope != "other" or a.team != team)]
            if options:
                params[spec.name] = data.draw(st.sampled_from(options))
    return Order(team=team, move=move.id, params=params, id=f"t{turn}-{data.draw(st.integers(0, 10**6))}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), which=st.sampled_from(sorted(SCENARIOS)), seed=st.integers(0, 2**32 - 1))
def test_material_is_conserved_and_nothing_goes_negative(data, which, seed):
    sc = SCENARIOS[which]
    state = initial_state(sc, seed)
    for turn in range(1, 5):
        orders = [_random_order(sc, data, turn) for _ in range(data.draw(st.integers(0, 4)))]
        result = resolve_turn(sc, state, orders, explain=False)
        state = result.state
        scale = max(1.0, float(state.capacity.sum()))
        assert result.ledger_gap <= 1e-6 * scale, f"material not conserved: gap {result.ledger_gap}"
        for name in ("stock", "strategic", "capacity", "recycle_capacity", "utilisation", "price"):
            array = getattr(state, name)
            assert np.all(np.isfinite(array)), name
            assert array.min() >= -1e-9, f"negative {name}: {array.min()}"
        assert np.all(state.utilisation <= 1.0 + 1e-9)
        assert all(row.tonnes_per_turn >= 0 for row in result.indicators.flows)
        for sectors in result.indicators.supply_met_share.values():
            assert all(0.0 <= v <= 1.0 + 1e-9 for v in sectors.values())
        # every rejected order has a reason, every legal one is accepted
        for order, outcome in zip(orders, result.outcomes):
            if outcome.status == "rejected":
                assert outcome.detail
