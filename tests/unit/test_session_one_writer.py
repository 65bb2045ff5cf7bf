"""One session, one writer (issue 10, item 9), with two ``Exercise`` objects on one file as
two app windows (or an app and a CLI) would have: the stale window is refused with a clear
message, nothing it tried is written, and the log stays intact (``replay --verify`` passes,
``committed_turns()`` strictly increasing). And the lock: a second opener is told who holds
the session, may open it read-only or take it over; the window that lost it can no longer
write."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.cli import main
from wargame.engine import Order
from wargame.session.errors import ReadOnlySession, SessionChanged
from wargame.session.exercise import Exercise
from wargame.session.lock import LockHeld
from wargame.session.phases import Command
from wargame.session.visibility import Viewer
from wargame.session.replay import replay_session

ONE_HUMAN = {"beijing": "bot", "washington": "bot", "brussels": "human"}




def offtake(share: float = 0.2) -> Order:
    return Order("brussels", "offtake_deal", {"seller": "CHN", "material": "ree",
                                              "stage": "separation", "share": share})


def log_is_intact(db: Path, session_id: str) -> None:
    again = Exercise.open(db, session_id, read_only=True)
    turns = again.committed_turns()
    assert turns == sorted(set(turns)), turns  # strictly increasing: no double commit
    report = replay_session(again.store, session_id)
    assert report.ok, report.summary()
    assert main(["replay", session_id, "--db", str(db), "--verify"]) == 0


def test_a_stale_window_cannot_commit_a_turn_twice(db, scenario, capsys):
    window_a = Exercise.create(db, scenario, seed=3, teams=ONE_HUMAN)
    window_b = Exercise.open(db, window_a.id)
    window_a.begin_orders()
    window_a.submit_orders("brussels", [offtake()])
    window_a.resolve()
    window_b.reload()  # both in adjudication, both with a proposal
    window_a.commit()
    with pytest.raises(SessionChanged, match=r"changed since you opened it \(turn 1 was "
                                             r"committed by another window"):
        window_b.commit()
    assert window_a.committed_turns() == [1]
    capsys.readouterr()
    log_is_intact(db, window_a.id)


def test_a_stale_window_cannot_submit_or_override_after_the_commit(db, scenario, capsys):
    window_a = Exercise.create(db, scenario, seed=4, teams=ONE_HUMAN)
    window_a.begin_orders()
    window_a.submit_orders("brussels", [offtake()])
    window_b = Exercise.open(db, window_a.id)
    window_a.resolve()
    window_a.commit()
    window_a.next_turn()
    before = window_a.log()
    with pytest.raises(SessionChanged, match="turn 1 was committed"):
        window_b.submit_orders("brussels", [offtake(0.4)])
    with pytest.raises(SessionChanged):
        window_b.add_note("too late")
    assert window_a.log() == before  # nothing the stale window tried was written
    window_b.reload()  # after a reload it sees the new turn and may write again
    assert (window_b.turn, window_b.phase) == (2, "briefing")
    window_b.add_note("back in step")
    capsys.readouterr()
    log_is_intact(db, window_a.id)


def test_a_second_opener_is_told_who_holds_the_session(db, scenario):
    app = Exercise.create(db, scenario, seed=5, teams=ONE_HUMAN, owner="console (ann)")
    with pytest.raises(LockHeld) as info:
        Exercise.open(db, app.id, owner="console (bob)")
    assert "console (ann)" in str(info.value) and "last heartbeat" in str(info.value)
    viewer = Exercise.open(db, app.id, read_only=True)
    with pytest.raises(ReadOnlySession, match="read-only"):
        viewer.begin_orders()
    fork = viewer.fork(1, owner="console (bob)")  # a read-only window may fork: its own
    assert fork.holds_lock() and not fork.read_only
    fork.close()
    assert viewer.allowed_commands(Viewer.facilitator()) == {
        Command.FORK, Command.EXPORT, Command.VIEW_SEALED_ORDERS}
    assert Command.BEGIN_ORDERS in app.allowed_commands(Viewer.facilitator())
    assert viewer.phase == "briefing"
    app.close()  # releases the lock
    second = Exercise.open(db, app.id, owner="console (bob)")
    second.begin_orders()
    second.close()


def test_taking_over_a_crashed_window_locks_the_old_one_out(db, scenario, capsys):
    crashed = Exercise.create(db, scenario, seed=6, teams=ONE_HUMAN, owner="console (ann)")
    crashed.begin_orders()
    with pytest.raises(LockHeld) as info:
        Exercise.open(db, crashed.id, owner="console (bob)")
    taker = Exercise.open(db, crashed.id, owner="console (bob)", take_over=info.value)
    taker.submit_orders("brussels", [offtake()])
    with pytest.raises(SessionChanged, match="taken over by console \\(bob\\)"):
        crashed.add_note("I am back")
    with pytest.raises(SessionChanged):
        crashed.heartbeat()
    taker.resolve()
    taker.commit()
    assert taker.holds_lock() and not crashed.holds_lock()
    crashed.become_read_only()  # what the app does once it learns it lost the session
    crashed.reload()
    assert crashed.read_only and crashed.committed_turns() == [1]
    assert crashed.allowed_commands(Viewer.facilitator()) == {
        Command.FORK, Command.EXPORT, Command.VIEW_SEALED_ORDERS}
    with pytest.raises(ReadOnlySession):
        crashed.next_turn()
    crashed.close()  # releases nothing: the lock is the taker's
    assert taker.holds_lock()
    taker.close()
    capsys.readouterr()
    log_is_intact(db, crashed.id)


def test_the_cli_will_not_rewind_a_session_an_app_has_open(db, scenario, capsys):
    app = Exercise.create(db, scenario, seed=7, teams={t.id: "bot" for t in scenario.teams},
                          owner="console (ann)")
    app.play_turn()
    app.play_turn()
    capsys.readouterr()
    code = main(["rewind", app.id, "--to-turn", "1", "--reason", "x", "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2 and "open in another window or program" in err and "console (ann)" in err
    assert app.committed_turns() == [1, 2]
    app.close()
    assert main(["rewind", app.id, "--to-turn", "1", "--reason", "x", "--db", str(db)]) == 0
