"""Property: over random legal orders, material is conserved at every stage (sources =
sinks + stock change), and no stock, capacity, flow or price goes negative or non-finite."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from random_orders import SCENARIOS, random_order
from wargame.engine import initial_state, resolve_turn


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), which=st.sampled_from(sorted(SCENARIOS)), seed=st.integers(0, 2**32 - 1))
def test_material_is_conserved_and_nothing_goes_negative(data, which, seed):
    sc = SCENARIOS[which]
    state = initial_state(sc, seed)
    for turn in range(1, 5):
        orders = [random_order(sc, data, turn) for _ in range(data.draw(st.integers(0, 4)))]
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
