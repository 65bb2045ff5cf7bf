"""What the store refuses, as typed errors the CLI and the app turn into one clear line.

Every one is a ``StoreError`` (``path: problem``), so a caller that only wants a message
catches that; a caller that can do better (offer a read-only view, reload, ask before taking
a lock over) catches the subclass and reads its fields.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wargame.store.records import Event, LockHolder


class StoreError(Exception):
    """A problem with the session database the user can understand: ``path: problem``."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class SessionNotFound(StoreError):
    """No session with that id (or id prefix) in the database."""


class ImportFileError(StoreError):
    """The file given to ``import_session`` is at fault (not the database): the CLI names
    the file, not the database."""


class StaleSession(StoreError):
    """A write based on an out-of-date view: the session changed since the writer last read
    it (another window or program wrote to it). Nothing was written.

    ``expected_turn``/``expected_seq``: what the writer believed; ``current_turn``/
    ``current_seq``: what the database holds; ``events_since``: the events written in
    between (so the caller can say "turn 3 was committed by another window")."""

    def __init__(self, path: Path | str, problem: str, *, expected_turn: int,
                 expected_seq: int, current_turn: int, current_seq: int,
                 events_since: Sequence["Event"] = ()):
        super().__init__(path, problem)
        self.expected_turn = expected_turn
        self.expected_seq = expected_seq
        self.current_turn = current_turn
        self.current_seq = current_seq
        self.events_since = tuple(events_since)


class AlreadyCommitted(StaleSession):
    """A second commit of a turn that is already committed (a stale window's double commit)."""


class LockHeld(StoreError):
    """Another app holds this session. ``holder`` says who (owner, host, pid) and
    ``age_seconds`` how long ago it last showed signs of life (its heartbeat). When the
    holder is gone (crashed, killed), the user may take the lock over, after a clear
    question."""

    def __init__(self, path: Path | str, holder: "LockHolder", age_seconds: float):
        self.holder = holder
        self.age_seconds = age_seconds
        super().__init__(path, f"session {holder.session_id} is open in another window or "
                               f"program ({holder.describe()}; last heartbeat "
                               f"{describe_age(age_seconds)} ago)")


class LockLost(StoreError):
    """This app's lock on a session was taken over by another app: it may no longer write."""


def describe_age(seconds: float) -> str:
    """``42 s``, ``5 min``, ``3 h``, ``2 days``: how long ago, for people."""
    seconds = max(0.0, float(seconds))
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
