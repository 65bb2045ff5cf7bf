"""Drafts: a team's unsubmitted orders, saved as they are edited so a crash or a quit loses
nothing. One row per session and team; the payload is whatever the session layer stores.

Drafts are sealed: the store hands a draft to whoever asks, and the session layer decides
who may ask (only that team's screen, behind its PIN; never the facilitator, other teams
or the public). They are not part of the game: not events, not replayed, never exported
unless asked for. A draft goes when its team submits (in the same transaction as the
submission), when the turn is committed and when the session is rewound.

Access: ``SessionStore.drafts`` (a ``Drafts``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wargame.store.connection import loads, now_iso
from wargame.store.errors import StaleSession
from wargame.store.records import Draft

if TYPE_CHECKING:
    from wargame.store.store import SessionStore


class Drafts:
    """Save, read and clear the drafts of one store."""

    def __init__(self, store: "SessionStore"):
        self._store = store

    def save(self, session_id: str, team: str, turn: int, payload: Any, *,
             lock_token: str | None = None) -> Draft:
        """Keep ``team``'s draft for ``turn`` (replacing its previous one). Refused with
        ``StaleSession`` when the session is no longer at ``turn``, with ``LockLost`` when
        ``lock_token`` no longer holds the session."""
        store = self._store
        stamp = now_iso()
        try:
            text = store._json(payload, "the draft")
        except ValueError as exc:
            raise store._fail(str(exc)) from None
        with store.transaction() as db:
            store._check_writer(db, session_id, None, lock_token)
            current = store._current(db, session_id)
            if current.turn != turn:
                raise StaleSession(
                    store.path, f"session {session_id}: the draft is for turn {turn} but the "
                                f"session is at turn {current.turn}; it was not saved",
                    expected_turn=turn, expected_seq=current.last_seq,
                    current_turn=current.turn, current_seq=current.last_seq)
            if not db.execute("select 1 from teams where session_id = ? and team_id = ?",
                              [session_id, team]).fetchone():
                raise store._fail(f"session {session_id} has no team {team!r}")
            db.execute("insert or replace into drafts (session_id, team, turn, payload, "
                       "saved_at) values (?, ?, ?, ?, ?)",
                       [session_id, team, turn, text, stamp])
        return Draft(session_id, team, turn, loads(text), stamp)

    def get(self, session_id: str, team: str) -> Draft | None:
        """``team``'s saved draft, or None."""
        with self._store._guard():
            row = self._store.db.execute(
                "select turn, payload, saved_at from drafts where session_id = ? and team = ?",
                [session_id, team]).fetchone()
        return None if row is None else Draft(session_id, team, row[0], loads(row[1]), row[2])

    def teams(self, session_id: str) -> list[str]:
        """Teams with a saved draft (who, never what)."""
        with self._store._guard():
            return [r[0] for r in self._store.db.execute(
                "select team from drafts where session_id = ? order by team", [session_id])]

    def clear(self, session_id: str, teams: Sequence[str] | None = None, *,
              lock_token: str | None = None) -> int:
        """Drop the drafts of ``teams`` (all teams when None); returns how many went."""
        store = self._store
        with store.transaction() as db:
            store._check_writer(db, session_id, None, lock_token)
            if teams is None:
                cursor = db.execute("delete from drafts where session_id = ?", [session_id])
            else:
                cursor = db.execute(
                    f"delete from drafts where session_id = ? and team in "
                    f"({','.join('?' * len(teams))})", [session_id, *teams])
            return cursor.rowcount
