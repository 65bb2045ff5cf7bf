"""One session, one writer, in the app (issue 10, item 9): two main windows on one
database file. The window that has the session holds its lock; a second window is told who
has it and how long ago it last showed signs of life, and may cancel, look read-only (every
write action disabled, a banner) or, once the holder seems gone, take it over after a
clear question. The window that lost it is refused with a clear message and shows the
session read-only; the log stays intact (``wargame replay --verify`` passes).

And the orders clock counts only while a window holds the session: closed for an hour
mid-orders, the time left is unchanged when it is opened again (a fake clock stamps the
lock records and events, and is the windows' "now": nothing sleeps)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from wargame.ui.scripted import draft_first_legal, play_hot_seat_turn, wait_until

PIN = "246810"
WRITE_ACTIONS = ("act_handover", "act_resolve", "act_close_orders", "act_override",
                 "act_commit", "act_next", "act_note", "act_pause", "act_rewind",
                 "act_rename", "act_end", "act_inject", "act_white_cell", "act_hot_wash")
WRITE_BUTTONS = ("handover_button", "next_team_button", "close_orders_button", "fire_button",
                 "free_button", "white_cell_button", "resolve_button", "commit_button",
                 "override_button", "next_turn_button", "note_button", "retract_button",
                 "edit_note_button", "delete_note_button")


def washington_and_brussels(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "human")
    dialog.facilitator_pin.setText(PIN)
    dialog.timer.setValue(5)


def log_is_intact(db, session_id: str, capsys) -> None:
    from wargame.cli import main
    from wargame.session.exercise import Exercise

    turns = Exercise.open(db, session_id, read_only=True).committed_turns()
    assert turns == sorted(set(turns)), turns
    capsys.readouterr()
    assert main(["replay", session_id, "--db", str(db), "--verify"]) == 0, \
        capsys.readouterr()


def test_a_second_window_is_refused_or_read_only_and_the_stale_writer_is_refused(
        make_window, db_path, capsys):
    from wargame.session.errors import ReadOnlySession
    from wargame.session.lock import STALE_AFTER_SECONDS
    from wargame.ui import dialogs

    first = make_window(setup=washington_and_brussels)
    first.start.new_button.click()
    session = first.controller.session_id
    play_hot_seat_turn(first, facilitator_pin=PIN)
    first.console.commit_button.click()
    first.console.next_turn_button.click()
    first.console.handover_button.click()  # turn 2: orders open, Washington's curtain
    assert first.stack.currentWidget() is first.curtain

    # ---- a second window: told who has the session; cancelling opens nothing
    second = make_window()
    assert not second.resume_session(session) and second.controller is None
    kind, question = second.prompts.asked[-1]
    assert kind == "lock_held"
    assert "console (" in question and "last sign of life" in question and "s ago" in question
    assert "still seems to be running" in question

    # ---- read-only: the banner, the title, every write disabled, the session refuses
    second.prompts.lock_answers.append("read_only")
    second.prompts.pins.append(PIN)
    assert second.resume_session(session)
    viewer = second.controller
    assert viewer.read_only and viewer.turn == 2 and viewer.phase == "orders"
    assert second.read_only_banner.isVisible()
    assert "Read-only" in second.read_only_banner.text.text()
    assert "last sign of life" in second.read_only_banner.text.text()
    assert "read-only" in second.windowTitle()
    for name in WRITE_ACTIONS:
        assert not getattr(second, name).isEnabled(), name
    for name in WRITE_BUTTONS:
        assert not getattr(second.console, name).isEnabled(), name
    assert second.act_export.isEnabled() and second.act_replay.isEnabled()  # reads only
    with pytest.raises(ReadOnlySession):
        viewer.add_note("from the second window")

    # ---- taking over is not offered while the first window lives: the button is off,
    # and its tooltip says when it will be possible
    button = second.read_only_banner.take_over_button
    assert not button.isEnabled() and "still running" in button.toolTip()
    second.prompts.lock_answers.append("take_over")
    button.click()
    second.take_over_session()  # even asked directly, the live window keeps the session
    assert second.controller is viewer and viewer.read_only

    # ---- the first window stops showing signs of life: at the next heartbeat the button
    # wakes, and the session may be taken over
    later = datetime.now(timezone.utc) + timedelta(seconds=STALE_AFTER_SECONDS + 30)
    second.now = lambda: later
    second._heartbeat.timeout.emit()
    assert button.isEnabled() and "stopped or closed" in button.toolTip()
    second.prompts.lock_answers.append("take_over")
    second.read_only_banner.take_over_button.click()
    assert ("confirm", "Take the session over?") in second.prompts.asked
    taker = second.controller
    assert taker is not viewer and not taker.read_only and taker.exercise.holds_lock()
    assert not second.read_only_banner.isVisible()

    # ---- the stale writer: Washington submits in the first window; refused, read-only
    first.curtain.button.click()
    assert draft_first_legal(first.team_screen)
    first.team_screen.confirm_submit = False
    first.team_screen.submit_button.click()
    message = dialogs._shown_errors[-1]
    assert "taken over" in message and "Nothing was saved by this window" in message
    stale = first.controller
    assert stale.read_only and first.read_only_banner.isVisible()
    assert first.stack.currentWidget() is first.console
    assert "washington" not in stale.submitted_teams()  # nothing it tried was written
    for name in WRITE_ACTIONS:
        assert not getattr(first, name).isEnabled(), name

    # ---- the second window plays on; the first follows it on Reload
    second.hand_over()
    for _team in ("washington", "brussels"):
        second.curtain.button.click()
        draft_first_legal(second.team_screen)
        second.team_screen.confirm_submit = False
        second.team_screen.submit_button.click()
    second.curtain.pin_edit.setText(PIN)
    second.curtain.button.click()
    assert wait_until(lambda: not taker.busy and taker.has_proposal)
    second.console.commit_button.click()
    assert taker.committed_turns() == [1, 2]
    first.read_only_banner.reload_button.click()
    assert stale.committed_turns() == [1, 2] and stale.phase == "debrief"
    log_is_intact(db_path, session, capsys)


def test_a_window_whose_view_is_out_of_date_is_refused_and_reloads(make_window, db_path,
                                                                   capsys):
    """Rule: a write from a window whose view is out of date (a program that takes no lock,
    a script say, changed the session meanwhile) is refused with a clear message, nothing
    is saved, and the window then shows the session as it is, still holding it."""
    from wargame.session.exercise import Exercise
    from wargame.ui import dialogs

    window = make_window(setup=washington_and_brussels)
    window.start.new_button.click()
    ctl = window.controller
    session = ctl.session_id
    script = Exercise.open(db_path, session)  # no owner: holds no lock, as a script
    script.add_note("written elsewhere", script.unlock("facilitator", PIN))
    script.close()
    window.prompts.texts.append("a note from the stale window")
    window.act_note.trigger()
    message = dialogs._shown_errors[-1]
    assert "changed since you opened it" in message
    assert "Nothing was saved by this window" in message and "as it is" in message
    assert window.controller is ctl and not ctl.read_only and ctl.exercise.holds_lock()
    notes = [text for _seq, text in ctl.notes()]
    assert any("written elsewhere" in text for text in notes)
    assert not any("stale window" in text for text in notes)
    window.prompts.texts.append("now in step")  # after the reload it may write again
    window.act_note.trigger()
    assert any("now in step" in text for _seq, text in ctl.notes())
    log_is_intact(db_path, session, capsys)


class FakeClock:
    """One clock for the store's stamps and the windows' "now"."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def now(self) -> datetime:
        return self.at

    def iso(self) -> str:
        return self.at.isoformat(timespec="microseconds")

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def test_the_orders_clock_stops_while_no_window_has_the_session(make_window, monkeypatch):
    """Rule: the orders clock counts only while an app holds the session: an hour with the
    window closed mid-orders leaves the time left unchanged."""
    from wargame.store import drafts, locks, store

    clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc))
    for module in (locks, store, drafts):
        monkeypatch.setattr(module, "now_iso", clock.iso)
    window = make_window(setup=washington_and_brussels)  # a 5-minute timer
    window.now = clock.now
    window.start.new_button.click()
    window.console.handover_button.click()  # the orders open at 9:00
    ctl = window.controller
    clock.advance(100)
    window._tick()
    assert ctl.timer_remaining() == pytest.approx(200)
    assert window.timer_label.text() == "03:20 left"
    session = ctl.session_id
    window.ask_before_quit = False
    window.close()  # mid-orders: the lock is released at 9:01:40

    clock.advance(3600)  # nobody has the session open for an hour
    again = make_window()
    again.now = clock.now
    again.prompts.pins.append(PIN)
    assert again.resume_session(session)
    resumed = again.controller
    assert resumed.phase == "orders" and resumed.exercise.holds_lock()
    assert resumed.timer_remaining() == pytest.approx(200)
    again._tick()
    assert again.timer_label.text() == "03:20 left"
    clock.advance(50)  # and it counts again while this window has it
    assert resumed.timer_remaining() == pytest.approx(150)
