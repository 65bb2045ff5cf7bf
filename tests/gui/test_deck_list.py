"""The facilitator's deck list on the console (``ExerciseController.injects_due``): what
may fire this turn, conditional injects with their conditions and whether they hold, and
what is due later, from the engine's ``upcoming_deck`` on a real game."""
from __future__ import annotations

from types import SimpleNamespace

from wargame.engine import initial_state, resolve_turn
from wargame.scenario.loader import load_scenario_text
from wargame.ui.controller import ExerciseController

from pathlib import Path

TINY = (Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "tiny.yaml"
        ).read_text()
DECK = """injects:
  - {id: crisis, title: Crisis, turn: 1, follow_ups: [{inject: talks, after_turns: 2, probability: 0.5}]}
  - {id: talks, title: Talks}
  - {id: alarm, title: Alarm, condition: 'supply_met(USA, ev) < 80 %'}
  - {id: storm, title: Storm, probability: 0.25}
  - {id: later, title: Later, turn: 4}
"""


def deck_lines(scenario, state, fired=()):
    controller = SimpleNamespace(scenario=scenario, turn=state.turn,
                                 exercise=SimpleNamespace(state=state,
                                                          fired_injects=lambda: list(fired)))
    controller._inject_title = lambda inject: ExerciseController._inject_title(
        controller, inject)
    return ExerciseController.injects_due(controller)


def test_the_console_lists_the_deck_with_conditions_and_what_is_due_later():
    scenario = load_scenario_text(TINY + DECK)
    state = initial_state(scenario)
    assert deck_lines(scenario, state) == [
        "Scheduled: Crisis", "If supply_met(USA, ev) < 0.8: Alarm", "May happen (25%): Storm",
        "Turn 4: Later"]
    state = resolve_turn(scenario, state, explain=False).state  # the crisis fired
    assert deck_lines(scenario, state, ["alarm"]) == [
        "If supply_met(USA, ev) < 0.8: Alarm", "May happen (25%): Storm",
        "Fired by the facilitator: Alarm", "Turn 3 (follow-up of 'Crisis' (50%)): Talks",
        "Turn 4: Later"]
