"""One session, one writer, at the store level: conditional writes (expected turn and last
event, checked inside the transaction), no double commit, and the session lock (holder,
heartbeat, take-over, writes refused once the lock is lost). States are hand-made dicts."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from wargame.store import (
    AlreadyCommitted,
    Expected,
    LockHeld,
    LockLost,
    SessionStore,
    StaleSession,
    StoreError,
    TeamSetup,
)


@pytest.fixture
def store(tmp_path: Path):
    with SessionStore(tmp_path / "sessions.sqlite") as s:
        yield s


def make_session(store: SessionStore):
    return store.create_session({"id": "demo", "title": "Demo"}, "e" * 64, 5,
                                [TeamSetup("beijing", "bot"), TeamSetup("brussels")],
                                {"turn": 1}, "a" * 64)


def commit(store: SessionStore, sid: str, expect: Expected | None = None, **kw):
    turn = store.session(sid).turn
    return store.commit_turn(sid, [(turn, "turn_resolved", {"result": {"turn": turn}})],
                             {"turn": turn + 1}, f"{turn + 1:064x}", turn + 1,
                             update={"phase": "debrief"}, expect=expect, **kw)


def next_turn(store: SessionStore, sid: str, expect: Expected | None = None) -> None:
    turn = store.session(sid).turn + 1
    store.append_event(sid, turn, "phase", {"phase": "briefing"},
                       update={"phase": "briefing", "turn": turn}, expect=expect)


# ---------------------------------------------------------------- conditional writes


def test_expected_names_the_turn_and_the_last_event(store):
    record = make_session(store)
    assert store.expected(record.id) == Expected(1, 1)
    store.append_event(record.id, 1, "note", {"text": "hi"})
    assert store.expected(record.id) == Expected(1, 2)


def test_a_stale_writer_is_refused_and_told_which_turn_was_committed(store):
    record = make_session(store)
    window_a = store.expected(record.id)
    window_b = store.expected(record.id)
    commit(store, record.id, expect=window_b)  # window B commits turn 1 first
    before = store.events(record.id)
    with pytest.raises(StaleSession) as info:
        store.append_event(record.id, 1, "orders_submitted", {"team": "brussels",
                                                              "orders": []}, expect=window_a)
    message = str(info.value)
    assert "this session changed since you opened it" in message
    assert "turn 1 was committed by another window" in message
    assert info.value.current_turn == 1 and info.value.expected_seq == window_a.last_seq
    assert [e.kind for e in info.value.events_since] == ["turn_resolved"]
    assert store.events(record.id) == before  # nothing written


def test_a_stale_commit_is_refused_and_the_log_stays_strictly_increasing(store):
    record = make_session(store)
    stale = store.expected(record.id)
    commit(store, record.id, expect=stale)
    next_turn(store, record.id, expect=store.expected(record.id))
    with pytest.raises(StaleSession):
        commit(store, record.id, expect=stale)
    turns = [e.turn for e in store.events(record.id, kinds=["turn_resolved"])]
    assert turns == [1]
    assert store.snapshot_hashes(record.id) == {1: "a" * 64, 2: f"{2:064x}"}


def test_a_second_commit_of_a_turn_never_overwrites_its_snapshot(store):
    """Even a writer that skips the expectation check cannot commit a turn twice."""
    record = make_session(store)
    commit(store, record.id)
    snapshot = store.snapshot(record.id, 2)
    with pytest.raises(AlreadyCommitted, match="turn 1 is already committed"):
        store.commit_turn(record.id, [(1, "turn_resolved", {"result": {}})], {"turn": 2,
                          "forged": True}, "f" * 64, 2)
    assert store.snapshot(record.id, 2) == snapshot
    assert [e.turn for e in store.events(record.id, kinds=["turn_resolved"])] == [1]


def test_a_stale_rewind_is_refused(store):
    record = make_session(store)
    stale = store.expected(record.id)
    commit(store, record.id)
    with pytest.raises(StaleSession, match="turn 1 was committed"):
        store.rewind(record.id, 1, expect=stale)
    assert store.branches(record.id) == []


def test_a_rewind_by_another_window_is_named(store):
    record = make_session(store)
    commit(store, record.id)
    next_turn(store, record.id)
    seen = store.expected(record.id)
    store.rewind(record.id, 1, reason="redo")
    with pytest.raises(StaleSession, match="rewound to turn 1 by another window"):
        store.append_event(record.id, 2, "note", {"text": "x"}, expect=seen)


# ---------------------------------------------------------------- the lock


def test_a_second_opener_is_told_who_holds_the_session(store):
    record = make_session(store)
    holder = store.locks.acquire(record.id, owner="facilitator console")
    assert store.locks.holder(record.id) == holder
    with pytest.raises(LockHeld) as info:
        store.locks.acquire(record.id, owner="second window")
    error = info.value
    assert error.holder.owner == "facilitator console" and error.holder.pid == os.getpid()
    assert 0 <= error.age_seconds < 3600
    assert "facilitator console on" in str(error) and "last heartbeat" in str(error)


def test_release_lets_the_next_app_in_and_is_idempotent(store):
    record = make_session(store)
    first = store.locks.acquire(record.id, owner="a")
    store.locks.release(first)
    store.locks.release(first)
    second = store.locks.acquire(record.id, owner="b")
    assert store.locks.holder(record.id) == second


def test_take_over_needs_the_holder_named_in_the_question(store):
    record = make_session(store)
    crashed = store.locks.acquire(record.id, owner="crashed app", pid=999_999)
    with pytest.raises(LockHeld) as info:
        store.locks.acquire(record.id, owner="new app")
    new = store.locks.acquire(record.id, owner="new app", replacing=info.value.holder)
    assert store.locks.holder(record.id) == new
    # the old holder's writes and heartbeats are refused from now on
    with pytest.raises(LockLost, match="taken over by new app"):
        store.append_event(record.id, 1, "note", {"text": "late"}, lock_token=crashed.token)
    with pytest.raises(LockLost):
        store.locks.heartbeat(crashed)
    # a take-over naming a holder that is no longer the holder is refused
    with pytest.raises(LockHeld):
        store.locks.acquire(record.id, owner="third", replacing=crashed)


def test_heartbeat_moves_the_holders_sign_of_life(store):
    record = make_session(store)
    holder = store.locks.acquire(record.id, owner="app")
    later = store.locks.heartbeat(holder)
    assert later.heartbeat_at >= holder.heartbeat_at
    assert store.locks.holder(record.id).heartbeat_at == later.heartbeat_at


def test_writes_with_the_holders_token_pass(store):
    record = make_session(store)
    holder = store.locks.acquire(record.id, owner="app")
    store.append_event(record.id, 1, "note", {"text": "ok"}, lock_token=holder.token,
                       expect=store.expected(record.id))
    commit(store, record.id, expect=store.expected(record.id), lock_token=holder.token)
    assert store.session(record.id).phase == "debrief"


def test_at_most_one_holder_even_for_a_careless_writer(store):
    """The partial unique index holds the rule whatever the code does."""
    record = make_session(store)
    store.locks.acquire(record.id, owner="a")
    with pytest.raises(StoreError):
        with store.transaction() as db:
            db["session_locks"].insert({"session_id": record.id, "token": "x", "owner": "b",
                                        "host": "h", "pid": 1, "acquired_at": "t",
                                        "heartbeat_at": "t"})


def test_process_is_gone_only_on_the_same_host(store):
    record = make_session(store)
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(proc.stdout)
    holder = store.locks.acquire(record.id, owner="gone", pid=dead_pid)
    here = holder.host
    assert holder.process_is_gone(here)
    assert not holder.process_is_gone("another-host")
    alive = store.locks.acquire(record.id, owner="me", replacing=holder)
    assert not alive.process_is_gone(here)


def test_presence_records_when_an_app_had_the_session_open(store):
    record = make_session(store)
    first = store.locks.acquire(record.id, owner="a")
    store.locks.release(first)
    crashed = store.locks.acquire(record.id, owner="b")
    store.locks.heartbeat(crashed)
    taker = store.locks.acquire(record.id, owner="c", replacing=store.locks.holder(record.id))
    stretches = store.locks.presence(record.id)
    assert [p.owner for p in stretches] == ["a", "b", "c"]
    assert stretches[0].closed_at is not None
    # the crashed holder's stretch ends at its last heartbeat, not at the take-over
    assert stretches[1].closed_at == stretches[1].seen_at
    assert stretches[2].closed_at is None
    del taker


def test_lock_age_is_measured_from_the_heartbeat(store):
    record = make_session(store)
    holder = store.locks.acquire(record.id, owner="a")
    beat = datetime.fromisoformat(holder.heartbeat_at)
    assert holder.age_seconds(beat + timedelta(seconds=90)) == pytest.approx(90)
    assert holder.age_seconds(datetime.now(timezone.utc)) >= 0
