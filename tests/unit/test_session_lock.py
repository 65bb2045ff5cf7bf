"""``SessionLock``, the session layer's wrapper the app uses: acquire, heartbeat, the
take-over question, take over, release."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from wargame.session.lock import (
    LockHeld,
    LockLost,
    SessionLock,
    holder_seems_gone,
    take_over_question,
)
from wargame.store import SessionStore, TeamSetup


@pytest.fixture
def store(tmp_path):
    with SessionStore(tmp_path / "s.sqlite") as s:
        yield s


@pytest.fixture
def session_id(store):
    return store.create_session({"id": "demo", "title": "Demo"}, "e" * 64, 1,
                                [TeamSetup("beijing")], {"turn": 1}, "a" * 64).id


def test_acquire_heartbeat_release(store, session_id):
    lock = SessionLock.acquire(store, session_id, owner="console")
    lock.heartbeat()
    assert store.locks.holder(session_id).token == lock.token
    lock.release()
    lock.release()
    assert store.locks.holder(session_id) is None


def test_the_question_names_the_holder_and_its_age_and_take_over_works(store, session_id):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    crashed = store.locks.acquire(session_id, owner="console (ann)", pid=int(dead.stdout))
    with pytest.raises(LockHeld) as info:
        SessionLock.acquire(store, session_id, owner="console (bob)")
    later = datetime.fromisoformat(crashed.heartbeat_at) + timedelta(minutes=12)
    question = take_over_question(info.value, now=later)
    assert "console (ann)" in question and "12 min ago" in question
    assert "stopped" in question and "Take it over?" in question
    assert holder_seems_gone(info.value.holder)
    mine = SessionLock.take_over(store, info.value, owner="console (bob)")
    assert store.locks.holder(session_id).owner == "console (bob)"
    with pytest.raises(LockLost):
        store.locks.heartbeat(crashed)
    mine.heartbeat()


def test_a_live_holder_is_described_as_running(store, session_id):
    SessionLock.acquire(store, session_id, owner="console")
    with pytest.raises(LockHeld) as info:
        SessionLock.acquire(store, session_id)
    assert not holder_seems_gone(info.value.holder)
    assert "still seems to be running" in take_over_question(info.value)
