"""Session management (issue 9, item 12): the saved-session list tells a session and its
fork apart (name or short id, "fork of ... at turn N", created and last played, teams); the
facilitator renames a session and the title says which session is open; a rewind asks for
a reason, says what was archived and notes it; notes can be edited and deleted (the log
keeps every version). Driven through the real window."""
from __future__ import annotations

from wargame.ui.scripted import play_hot_seat_turn


def bots(dialog):
    for team in dialog.controller_boxes:
        dialog.set_controller(team, "bot")


def test_rename_fork_and_the_list_that_tells_them_apart(make_window):
    window = make_window(setup=bots)
    window.start.new_button.click()
    ctl = window.controller
    window.prompts.texts.append("Tuesday group")
    window.act_rename.trigger()
    assert ctl.session_name == "Tuesday group"
    assert window.windowTitle() == f"{ctl.scenario.title} — Tuesday group"
    play_hot_seat_turn(window)
    window.console.commit_button.click()
    window.console.next_turn_button.click()
    window.prompts.choices.append("2")
    window.act_fork.trigger()
    fork = window.controller
    assert fork is not ctl and "(fork of Tuesday group at turn 2)" in window.windowTitle()
    window.go_home()
    table = window.start.sessions
    cells = {table.item(r, 0).text(): table.item(r, 0).toolTip()
             for r in range(table.rowCount())}
    assert "Tuesday group" in cells
    assert len(cells) == table.rowCount() == 2  # never two identical rows
    [forked] = [text for text in cells if text != "Tuesday group"]
    assert "fork" in forked and "fork of Tuesday group at turn 2" in cells[forked]
    tip = cells["Tuesday group"]
    assert "Created " in tip and "last played" in tip and "Teams: beijing" in tip


def test_rewind_needs_a_reason_says_what_was_archived_and_notes_it(make_window):
    window = make_window(setup=bots)
    window.start.new_button.click()
    ctl = window.controller
    for _ in range(2):
        play_hot_seat_turn(window)
        window.console.commit_button.click()
        window.console.next_turn_button.click()
    assert ctl.turn == 3
    window.prompts.choices.append("2")
    window.prompts.texts.append("   ")  # no reason: nothing happens
    window.act_rewind.trigger()
    assert ctl.turn == 3
    window.prompts.choices.append("2")
    window.prompts.texts.append("Brussels misread the brief.")
    window.act_rewind.trigger()
    assert ctl.turn == 2 and ("info", "Rewound") in window.prompts.asked
    notes = [window.console.notes.item(r).text() for r in range(window.console.notes.count())]
    assert any("Rewound to the start of turn 2" in n and "Brussels misread the brief." in n
               for n in notes)


def test_notes_can_be_edited_and_deleted_and_the_log_keeps_them(make_window):
    window = make_window(setup=bots)
    window.start.new_button.click()
    ctl, console = window.controller, window.console
    window.prompts.texts.append("Washington hesitates.")
    window.act_note.trigger()
    console.tabs.setCurrentIndex(4)
    console.notes.setCurrentRow(0)
    assert console.edit_note_button.isEnabled()
    window.prompts.texts.append("Washington hesitates over the offtake.")
    console.edit_note_button.click()
    assert console.notes.item(0).text().endswith("Washington hesitates over the offtake. (edited)")
    console.notes.setCurrentRow(0)
    console.delete_note_button.click()
    assert console.notes.count() == 0
    kept = [n for n in ctl.exercise.notes(include_deleted=True)]
    assert kept and kept[0].deleted and kept[0].versions == 2
