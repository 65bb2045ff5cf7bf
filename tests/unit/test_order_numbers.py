"""Rule: an order parameter must be a finite number: NaN would pass every later check
(``nan < min`` is false) and make a team's budget NaN for the rest of the game."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import Order, initial_state, validate_order
from wargame.scenario.loader import load_scenario

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"


@pytest.mark.parametrize("tonnes", [float("nan"), float("inf"), float("-inf"), "nan"])
def test_non_finite_order_parameters_are_rejected(tonnes):
    scenario = load_scenario(MINI)
    state = initial_state(scenario, 1)
    order = Order("washington", "build_capacity",
                  {"material": "ree", "stage": "mine", "tonnes": tonnes})
    problems = validate_order(scenario, state, order)
    assert any("must be a finite number" in p for p in problems), problems


def test_a_finite_order_parameter_is_accepted():
    scenario = load_scenario(MINI)
    order = Order("washington", "build_capacity",
                  {"material": "ree", "stage": "mine", "tonnes": 500})
    assert validate_order(scenario, initial_state(scenario, 1), order) == []
