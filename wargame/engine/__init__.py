"""The rules engine: pure Python + NumPy, no Qt, no database, no YAML, no file I/O.

``resolve_turn(scenario, state, orders, injects, rng)`` is the heart; see ``resolve.py`` for
the turn, ``flow.py`` for the supply network, ``policy.py`` for how effect primitives act.
"""
from wargame.engine.bots import bot_orders
from wargame.engine.game import run_game
from wargame.engine.orders import FACILITATOR, Order, describe_order, order_cost, validate_order
from wargame.engine.resolve import (
    OUTCOME_ACCEPTED, OUTCOME_OVERRIDDEN, OUTCOME_REJECTED, OrderOutcome, TurnResult,
    resolve_turn,
)
from wargame.engine.state import GameState, baseline, initial_state
from wargame.engine.view import TeamView, team_view

__all__ = [
    "FACILITATOR", "GameState", "Order", "OrderOutcome", "TeamView", "TurnResult", "OUTCOME_ACCEPTED",
    "OUTCOME_OVERRIDDEN", "OUTCOME_REJECTED", "baseline", "bot_orders", "describe_order",
    "initial_state", "order_cost", "resolve_turn", "run_game", "team_view", "validate_order",
]
