"""The facilitator's view of the inject deck: what may still fire, and on what condition.

``upcoming_deck(scenario, state)`` lists scheduled injects not yet due, random and
conditional ones whose window is open (with their conditions in canonical form and whether
each holds on the latest figures), follow-ups waiting on a fired inject, and the hand-fired
rest of the deck. Secret by nature: a facilitator's view, never a team's.
"""
from __future__ import annotations

from wargame.engine.conditions import UpcomingInject, upcoming_injects
from wargame.engine.rules import CompiledRules, rules_for
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario


def upcoming_deck(scenario: Scenario, state: GameState, rules: CompiledRules | None = None,
                  ) -> list[UpcomingInject]:
    """What the deck may fire from the start of ``state.turn`` on (see the module)."""
    rules = rules or rules_for(scenario)
    rules.check(scenario)
    return upcoming_injects(rules.deck, scenario, state.deck, state.turn)
