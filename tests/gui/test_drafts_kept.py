"""Drafts survive a quit or a crash (issue 9, item 3): a team's unsubmitted orders are kept,
sealed (only the team reads them back, with its PIN), and come back when it opens its
screen again in a new window; the console says who has a kept draft, never what. The
orders clock counts only while an app has the session open (the session's clock, fed by
the window's heartbeat)."""
from __future__ import annotations

import pytest

from wargame.ui.scripted import draft_first_legal


def washington_with_pin(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "bot")
    dialog.pin_edits["washington"].setText("1234")


def test_a_draft_comes_back_after_a_quit_and_stays_sealed(make_window):
    window = make_window(setup=washington_with_pin)
    window.start.new_button.click()
    ctl = window.controller
    session = ctl.session_id
    window.console.handover_button.click()
    window.curtain.pin_edit.setText("1234")
    window.curtain.button.click()
    screen = window.team_screen
    assert draft_first_legal(screen) and draft_first_legal(screen)
    drafted = screen.draft.entries()
    assert ctl.teams_with_drafts() == {"washington"}
    # the quit question says the draft is kept
    window.prompts.confirm_answer = True
    window.ask_before_quit = True
    window.close()
    assert ("confirm", "Quit while a team is drafting?") in window.prompts.asked

    again = make_window(setup=washington_with_pin)
    again.resume_session(session)
    ctl2 = again.controller
    assert ctl2.phase == "orders" and ctl2.teams_with_drafts() == {"washington"}
    rows = [again.console.submissions.item(r, 2).text()
            for r in range(again.console.submissions.rowCount())]
    assert "waiting (a draft is kept)" in rows
    assert all(e["move"] not in " ".join(rows) for e in drafted)  # who, never what
    from wargame.session.errors import PinRequired

    with pytest.raises(PinRequired):
        ctl2.saved_draft("washington")  # sealed: not without the team's PIN
    again.console.next_team_button.click()
    again.curtain.pin_edit.setText("1234")
    again.curtain.button.click()
    assert again.team_screen.draft.entries() == drafted
    assert not again.team_screen.undo_stack.canUndo()  # where the team left off
    again.team_screen.confirm_submit = False
    again.team_screen.submit_button.click()
    assert ctl2.teams_with_drafts() == set()  # gone on submit


def test_the_window_keeps_the_session_alive_and_goes_read_only_when_taken_over(make_window):
    """Rule: the window beats the session's heartbeat; once another app took the session
    over, the next beat says so and the window shows the session read-only."""
    from wargame.session.exercise import Exercise
    from wargame.store import LockHeld
    from wargame.store.locks import HEARTBEAT_SECONDS
    from wargame.ui import dialogs

    window = make_window(setup=washington_with_pin)
    window.start.new_button.click()
    assert window._heartbeat.isActive()
    assert window._heartbeat.interval() == int(HEARTBEAT_SECONDS * 1000)
    ctl = window.controller
    assert ctl.exercise.holds_lock()
    window._beat()
    assert window.controller is ctl and ctl.exercise.holds_lock()
    try:
        Exercise.open(window.database_path(), ctl.session_id, owner="console (bob)")
    except LockHeld as held:
        taker = Exercise.open(window.database_path(), ctl.session_id, owner="console (bob)",
                              take_over=held)
    window._beat()
    assert window.controller is ctl and ctl.read_only
    assert "taken over" in dialogs._shown_errors[-1]
    assert window.read_only_banner.isVisible()
    assert "console (bob)" in window.read_only_banner.text.text()
    taker.close()
