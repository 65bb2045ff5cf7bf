"""The one phase table: what may be done when, and by whom (issue 7). The table is data;
these cases pin it, and ``Exercise`` is tested to obey it in test_exercise*.py."""
from __future__ import annotations

import pytest

from wargame.session.phases import (
    ADJUDICATION,
    BRIEFING,
    COMMANDS,
    DEBRIEF,
    ENDED,
    ORDERS,
    PHASE_TABLE,
    Command,
    CommandNotAllowed,
    Phase,
    allowed_commands,
    check_command,
    next_phase,
)
from wargame.session.visibility import Viewer

FAC = Viewer.facilitator()
TEAM = Viewer.of_team("beijing")
PUBLIC = Viewer.public()


def test_every_phase_has_a_row_and_every_command_a_rule():
    assert set(PHASE_TABLE) == set(Phase)
    assert set(COMMANDS) == set(Command)
    for row in PHASE_TABLE.values():
        assert set(row) <= set(Command)


@pytest.mark.parametrize("phase, command, after", [
    (BRIEFING, Command.BEGIN_ORDERS, ORDERS),
    (BRIEFING, Command.SUBMIT_ORDERS, ORDERS),
    (BRIEFING, Command.CLOSE_ORDERS, ADJUDICATION),
    (ORDERS, Command.SUBMIT_ORDERS, ORDERS),
    (ORDERS, Command.CLOSE_ORDERS, ADJUDICATION),
    (ADJUDICATION, Command.OVERRIDE, ADJUDICATION),
    (ADJUDICATION, Command.COMMIT, DEBRIEF),
    (DEBRIEF, Command.NEXT_TURN, BRIEFING),
    (BRIEFING, Command.END, ENDED),
    (DEBRIEF, Command.PAUSE, DEBRIEF),
    (ENDED, Command.FORK, ENDED),
])
def test_a_command_leads_to_its_next_phase(phase, command, after):
    assert next_phase(phase, command) == after


@pytest.mark.parametrize("phase, paused, viewer, expected", [
    (BRIEFING, False, TEAM, {Command.SUBMIT_ORDERS, Command.SAVE_DRAFT}),
    (ORDERS, True, TEAM, {Command.SUBMIT_ORDERS, Command.SAVE_DRAFT}),
    (ADJUDICATION, False, TEAM, set()),
    (DEBRIEF, False, TEAM, set()),
    (ORDERS, False, PUBLIC, set()),
    (ENDED, False, FAC, {Command.PAUSE, Command.ADD_NOTE, Command.EDIT_NOTE,
                         Command.DELETE_NOTE, Command.REWIND, Command.FORK, Command.EXPORT,
                         Command.RENAME, Command.RECORD_HOT_WASH,
                         Command.VIEW_SEALED_ORDERS}),
])
def test_allowed_commands_per_phase_pause_and_viewer(phase, paused, viewer, expected):
    assert allowed_commands(phase, paused, viewer) == expected


@pytest.mark.parametrize("phase, paused, viewer, command, why", [
    (ORDERS, False, FAC, Command.RETRACT_INJECT, "in the orders phase (possible in: briefing)"),
    (ORDERS, False, FAC, Command.COMMIT, "possible in: adjudication"),
    (BRIEFING, True, FAC, Command.BEGIN_ORDERS, "paused: resume it first"),
    (ADJUDICATION, True, FAC, Command.COMMIT, "paused"),
    (DEBRIEF, True, FAC, Command.NEXT_TURN, "paused"),
    (ORDERS, True, FAC, Command.CLOSE_ORDERS, "paused"),
    (ORDERS, True, FAC, Command.PAUSE, "already paused"),
    (ORDERS, False, FAC, Command.RESUME, "not paused"),
    (ORDERS, False, TEAM, Command.CLOSE_ORDERS, "only the facilitator"),
    (BRIEFING, False, TEAM, Command.REWIND, "only the facilitator"),
    (BRIEFING, False, FAC, Command.SUBMIT_ORDERS, "only a team"),
    (ENDED, False, FAC, Command.END, "in the ended phase"),
    (ENDED, False, TEAM, Command.SUBMIT_ORDERS, "ended phase"),
])
def test_refusals_say_why(phase, paused, viewer, command, why):
    assert command not in allowed_commands(phase, paused, viewer)
    with pytest.raises(CommandNotAllowed, match=why.replace("(", r"\(").replace(")", r"\)")):
        check_command(phase, paused, viewer, command)


def test_facilitator_tools_work_while_paused_and_the_turn_does_not_move():
    paused = allowed_commands(ORDERS, True, FAC)
    assert {Command.FIRE_INJECT, Command.ADD_NOTE, Command.RESUME, Command.REWIND} <= paused
    assert not {Command.CLOSE_ORDERS, Command.BEGIN_ORDERS, Command.COMMIT,
                Command.NEXT_TURN} & paused


def test_phase_names_are_the_stored_strings():
    assert [p.value for p in Phase] == ["briefing", "orders", "adjudication", "debrief",
                                        "ended"]
    assert Phase("orders") is ORDERS and ORDERS == "orders"
