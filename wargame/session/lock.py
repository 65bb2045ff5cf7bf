"""``SessionLock``: the app's hold on a session (one writer per session).

The app (or a writing CLI command) acquires the lock when it opens a session for writing,
calls ``heartbeat()`` every ``HEARTBEAT_SECONDS`` while it runs (a QTimer in the app), and
releases it on close. A second opener gets ``LockHeld`` naming the holder and the age of its
heartbeat: it may open the session read-only, or, when the holder has crashed, take the lock
over after a clear question (``take_over_question`` words it). Once taken over, the old
holder's writes and heartbeats are refused with ``LockLost`` and it should fall back to a
read-only view.

The lock records also drive the orders clock (``wargame.session.clock``).
"""
from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone

from wargame.store import LockHeld, LockHolder, LockLost, SessionStore
from wargame.store.errors import describe_age
from wargame.store.locks import HEARTBEAT_SECONDS, STALE_AFTER_SECONDS

__all__ = ["HEARTBEAT_SECONDS", "STALE_AFTER_SECONDS", "LockHeld", "LockLost", "SessionLock",
           "default_owner", "holder_seems_gone", "take_over_question"]


def default_owner(role: str = "wargame") -> str:
    """``<role> (<user>)``: who holds a lock, as another window will read it."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system: the role alone
        return role
    return f"{role} ({user})"


def holder_seems_gone(holder: LockHolder, now: datetime | None = None) -> bool:
    """True when the holder has most likely crashed: its process is gone (same host) or its
    heartbeat is older than ``STALE_AFTER_SECONDS``."""
    now = now or datetime.now(timezone.utc)
    return holder.process_is_gone(socket.gethostname()) \
        or holder.age_seconds(now) > STALE_AFTER_SECONDS


def take_over_question(error: LockHeld, now: datetime | None = None) -> str:
    """The question to ask before taking a lock over, with what the user needs to decide."""
    holder = error.holder
    age = describe_age(holder.age_seconds(now or datetime.now(timezone.utc)))
    gone = holder_seems_gone(holder, now)
    state = ("It seems to have stopped (crashed or closed without saying so)." if gone else
             "It still seems to be running.")
    return (f"This session is open in another window or program: {holder.describe()}, "
            f"last sign of life {age} ago. {state} If you take the session over, that "
            f"window can no longer change it (its next change is refused). Take it over?")


@dataclass
class SessionLock:
    """This app's hold on one session. Make one with ``acquire`` or ``take_over``."""

    store: SessionStore
    holder: LockHolder
    released: bool = field(default=False)

    @classmethod
    def acquire(cls, store: SessionStore, session_id: str, owner: str | None = None
                ) -> "SessionLock":
        """Hold the session; ``LockHeld`` when another app holds it."""
        return cls(store, store.locks.acquire(session_id, owner=owner or default_owner()))

    @classmethod
    def take_over(cls, store: SessionStore, held: LockHeld, owner: str | None = None
                  ) -> "SessionLock":
        """Take the lock from the holder ``held`` named (after the user agreed); if another
        app took it meanwhile, ``LockHeld`` again (ask again)."""
        return cls(store, store.locks.acquire(held.holder.session_id,
                                              owner=owner or default_owner(),
                                              replacing=held.holder))

    @property
    def session_id(self) -> str:
        return self.holder.session_id

    @property
    def token(self) -> str:
        return self.holder.token

    def heartbeat(self) -> None:
        """Tell other openers this app is alive; ``LockLost`` if it was taken over."""
        self.holder = self.store.locks.heartbeat(self.holder)

    def release(self) -> None:
        """Let the session go (idempotent)."""
        if not self.released:
            self.store.locks.release(self.holder)
            self.released = True
