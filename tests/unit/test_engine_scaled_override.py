"""The engine's hook for a scaled override: ``scaled_order`` multiplies one numeric
parameter, kept within the parameter's bounds (an integer rounded); ``plan_turn`` checks
and binds the scaled order and says so in the outcome."""
from __future__ import annotations

import pytest

from engine_rule_cases import FIXTURE
from wargame.engine import Order, Override, initial_state, resolve_turn, scaled_order
from wargame.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def sc():
    return load_scenario(FIXTURE)


@pytest.mark.parametrize("move, params, param, factor, value", [
    ("invest", {"stage": "magnet", "tonnes": 400}, "tonnes", 0.5, 200.0),
    ("invest", {"stage": "magnet", "tonnes": 400}, "tonnes", 10, 1000.0),  # capped at max
    ("invest", {"stage": "magnet", "tonnes": 4}, "tonnes", 0.1, 1.0),  # floored at min
    ("restrict", {"target": "USA", "stage": "magnet", "level": "freeze", "turns": 3},
     "turns", 0.5, 2),  # an integer is rounded
])
def test_scaled_order_stays_in_bounds(sc, move, params, param, factor, value):
    order = Order("beijing", move, params, "t1-beijing-1")
    scaled, before, after = scaled_order(sc.move_index[move], order, param, factor)
    assert scaled.params[param] == value and after == value and before == params[param]
    assert type(scaled.params[param]) is type(value)
    assert scaled.id == order.id


def test_only_numeric_parameters_scale(sc):
    order = Order("beijing", "restrict", {"target": "USA", "stage": "magnet"}, "t1-beijing-1")
    with pytest.raises(ValueError, match="no numeric parameter 'stage'"):
        scaled_order(sc.move_index["restrict"], order, "stage", 0.5)


def test_the_outcome_says_the_order_was_scaled(sc):
    order = Order("washington", "invest", {"stage": "magnet", "tonnes": 400}, "t1-washington-1")
    result = resolve_turn(sc, initial_state(sc, 1), [order], explain=False, overrides=[
        Override(order_id=order.id, status="scaled", reason="too big", param="tonnes",
                 factor=0.25)])
    [outcome] = result.outcomes
    assert outcome.status == "overridden"
    assert outcome.detail == "scaled by the facilitator (Tonnes from 400 to 100): too big"
