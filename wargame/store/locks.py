"""The session lock: one writing app per session.

An app that opens a session for writing holds its lock: a row in ``session_locks`` with
who (owner, host, pid), a secret token and a heartbeat the holder refreshes while it runs.
At most one row per session is unreleased (a partial unique index says so, whatever the
code does). A second opener is told who holds it and how old the holder's heartbeat is
(``LockHeld``); when the holder has crashed, the user may take the lock over after a clear
question (``acquire(..., replacing=holder)``). Writes carrying the holder's token are
refused with ``LockLost`` once the lock was taken over, so a window that lost it cannot
damage the session.

The rows are kept after release: they record when an app had the session open, which is
what the orders clock counts (``presence``).

Access: ``SessionStore.locks`` (a ``SessionLocks``).
"""
from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime
from typing import TYPE_CHECKING

from sqlite_utils import Database

from wargame.store.connection import now_iso
from wargame.store.errors import LockHeld, LockLost
from wargame.store.records import LockHolder, Presence

if TYPE_CHECKING:
    from wargame.store.store import SessionStore

STALE_AFTER_SECONDS = 60.0  # a holder silent this long has most likely crashed
HEARTBEAT_SECONDS = 15.0  # how often a holder should call ``heartbeat``


def current_holder(db: Database, session_id: str) -> LockHolder | None:
    """The unreleased lock row of ``session_id`` (inside the caller's transaction)."""
    row = db.execute(
        "select session_id, token, owner, host, pid, acquired_at, heartbeat_at from "
        "session_locks where session_id = ? and released_at is null",
        [session_id]).fetchone()
    return None if row is None else LockHolder(*row)


def released_how(db: Database, token: str) -> str | None:
    """'released', 'taken over', or None (still held, or no such token)."""
    row = db.execute("select released_how from session_locks where token = ?",
                     [token]).fetchone()
    return None if row is None else row[0]


class SessionLocks:
    """Acquire, refresh, release and inspect session locks of one store."""

    def __init__(self, store: "SessionStore"):
        self._store = store

    def holder(self, session_id: str) -> LockHolder | None:
        """Who holds the session open for writing now (None: nobody)."""
        with self._store._guard():
            return current_holder(self._store.db, session_id)

    def acquire(self, session_id: str, *, owner: str, host: str | None = None,
                pid: int | None = None, replacing: LockHolder | None = None) -> LockHolder:
        """Hold ``session_id`` open for writing. Raises ``LockHeld`` when another holder
        has it; with ``replacing`` = that holder (as ``LockHeld.holder`` named it, after the
        user agreed to take over), its lock is closed and this one takes its place; if yet
        another holder has it by then, ``LockHeld`` again."""
        store = self._store
        host = host or socket.gethostname()
        pid = os.getpid() if pid is None else pid
        stamp = now_iso()
        with store.transaction() as db:
            store._current(db, session_id)  # the session exists
            current = current_holder(db, session_id)
            if current is not None:
                if replacing is None or replacing.token != current.token:
                    raise LockHeld(store.path, current,
                                   current.age_seconds(datetime.fromisoformat(stamp)))
                db.execute("update session_locks set released_at = ?, released_how = "
                           "'taken over' where token = ?", [stamp, current.token])
            holder = LockHolder(session_id, secrets.token_hex(16), owner, host, pid, stamp,
                                stamp)
            db["session_locks"].insert({
                "session_id": session_id, "token": holder.token, "owner": owner,
                "host": host, "pid": pid, "acquired_at": stamp, "heartbeat_at": stamp})
        return holder

    def heartbeat(self, holder: LockHolder) -> LockHolder:
        """Tell others this holder is alive. ``LockLost`` once the lock was taken over."""
        store = self._store
        stamp = now_iso()
        with store.transaction() as db:
            cursor = db.execute("update session_locks set heartbeat_at = ? where token = ? "
                                "and released_at is null", [stamp, holder.token])
            if cursor.rowcount != 1:
                raise lock_lost(store, db, holder.session_id, holder.token)
        return LockHolder(holder.session_id, holder.token, holder.owner, holder.host,
                          holder.pid, holder.acquired_at, stamp)

    def release(self, holder: LockHolder) -> None:
        """Let go of the session (idempotent; a lock already taken over stays with its new
        holder)."""
        stamp = now_iso()
        with self._store.transaction() as db:
            db.execute("update session_locks set released_at = ?, heartbeat_at = ?, "
                       "released_how = 'released' where token = ? and released_at is null",
                       [stamp, stamp, holder.token])

    def presence(self, session_id: str) -> list[Presence]:
        """Every stretch of time an app held the session open, oldest first. A stretch
        that ended by a crash (taken over later) ends at its last heartbeat."""
        with self._store._guard():
            rows = self._store.db.execute(
                "select acquired_at, heartbeat_at, released_at, released_how, owner from "
                "session_locks where session_id = ? order by id", [session_id]).fetchall()
        out = []
        for acquired, heartbeat, released, how, owner in rows:
            closed = None if released is None else (heartbeat if how == "taken over"
                                                    else released)
            out.append(Presence(acquired, heartbeat, closed, owner))
        return out


def lock_lost(store: "SessionStore", db: Database, session_id: str, token: str) -> LockLost:
    """The ``LockLost`` error for a writer whose token is no longer the holder's."""
    how = released_how(db, token)
    holder = current_holder(db, session_id)
    what = "was taken over" if how == "taken over" else (
        "was released" if how == "released" else "is not held by it")
    who = f" by {holder.describe()}" if holder is not None else ""
    return LockLost(store.path, f"session {session_id}: this window's hold on the session "
                                f"{what}{who}; it may no longer change it (reopen it)")
