"""The window enables its actions from the session's phase table
(``Exercise.allowed_commands``), not from phase names typed in the UI: every action and
button agrees with the table in every phase of a turn, paused or not (a table test)."""
from __future__ import annotations

import pytest

from wargame.session.phases import allowed_commands
from wargame.session.visibility import Viewer
from wargame.ui.scripted import play_hot_seat_turn

# action (or console button) -> the command it gives; closing the orders is also offered
# only while there is no proposal yet (an override re-proposes by itself)
ACTIONS = {"act_next": "next_turn", "act_end": "end",
           "act_rewind": "rewind", "act_fork": "fork", "act_rename": "rename",
           "act_note": "add_note", "act_inject": "fire_inject",
           "act_white_cell": "submit_facilitator_orders"}
BUTTONS = {"handover_button": "begin_orders", "fire_button": "fire_inject",
           "white_cell_button": "submit_facilitator_orders", "next_turn_button": "next_turn",
           "note_button": "add_note"}


def bots(dialog):
    for team in dialog.controller_boxes:
        dialog.set_controller(team, "bot")


def _agrees(window) -> None:
    ctl = window.controller
    table = {str(c) for c in allowed_commands(ctl.phase, ctl.paused, Viewer.facilitator())}
    assert ctl.allowed() == table
    for name, command in ACTIONS.items():
        assert getattr(window, name).isEnabled() == (command in table), (ctl.phase, name)
    assert window.act_close_orders.isEnabled() == ("close_orders" in table
                                                   and not ctl.has_proposal)
    for name, command in BUTTONS.items():
        assert getattr(window.console, name).isEnabled() == (command in table), \
            (ctl.phase, ctl.paused, name)


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
def test_actions_follow_the_phase_table_through_a_turn(make_window, paused):
    window = make_window(setup=bots)
    window.start.new_button.click()
    ctl = window.controller

    def check() -> None:
        if paused:
            window.act_pause.trigger()
            assert ctl.paused
        window.refresh()
        _agrees(window)
        if paused:
            window.act_pause.trigger()
            window.refresh()

    check()  # briefing
    play_hot_seat_turn(window)  # bots only: straight to the proposal
    check()  # adjudication
    window.console.commit_button.click()
    check()  # debrief
