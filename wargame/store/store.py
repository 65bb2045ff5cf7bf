"""``SessionStore``: many exercise sessions in one SQLite file, via sqlite-utils.

A session is its scenario (the full validated content, stored by hash so the session still
opens after the scenario file changes or disappears), its seed, its team set-up and an
append-only event log; a snapshot of the state at the start of every turn (with its hash) makes
opening fast and lets ``replay --verify`` prove the log reproduces the game.

Durability: WAL journal with ``synchronous=FULL``; every append is its own transaction and a
turn's events, snapshot and session row are written in one (``SessionStore.transaction``:
``Database.atomic`` semantics, but ``BEGIN IMMEDIATE`` so concurrent writers queue on the busy
timeout instead of failing), so a crash or power cut loses at most the change being written,
never half of it.

One session, one writer:
- every write that changes the game can be made conditional (``expect=Expected(turn,
  last_seq)``): inside its transaction the store checks the session still stands at that
  turn with that last event, and otherwise refuses with ``StaleSession`` (naming what changed,
  e.g. "turn 3 was committed by another window or program") and writes nothing. A turn's
  snapshot is never overwritten: a second commit of a turn is ``AlreadyCommitted``;
- an app holds a per-session lock (``SessionStore.locks``, ``wargame.store.locks``); writes
  given its ``lock_token`` are refused with ``LockLost`` once another app took it over.

Opening the file safely (refusing foreign, corrupt or newer files untouched, read-only
files, serialised first open and migrations, one connection per thread) is
``wargame.store.connection.StoreFile``'s job; drafts are ``wargame.store.drafts``; export
and import ``wargame.store.transfer``.

This module knows nothing about the rules engine: states and payloads are stored as JSON
values, event visibility as the opaque text the session layer writes. The session layer
(``wargame.session``) drives the engine.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from wargame.store.connection import StoreFile, dumps, loads, now_iso
from wargame.store.drafts import Drafts
from wargame.store.errors import (
    AlreadyCommitted,
    ImportFileError,
    LockHeld,
    LockLost,
    SessionNotFound,
    StaleSession,
    StoreError,
)
from wargame.store.export_format import EXPORT_FORMAT, EXPORT_VERSION, SessionExport
from wargame.store.locks import SessionLocks, current_holder, lock_lost
from wargame.store.paths import default_db_path
from wargame.store.pins import hash_pin, is_valid_pin_hash, verify_pin
from wargame.store.records import (
    BOT,
    BOT_POSTURES,
    CONTROLLERS,
    HUMAN,
    LIVE,
    Branch,
    Draft,
    Event,
    Expected,
    LockHolder,
    Presence,
    SessionRecord,
    SessionSummary,
    Snapshot,
    TeamSetup,
    TeamSummary,
)
from wargame.store.text import MAX_NAME_LENGTH, clean_name, default_session_name

__all__ = [
    "BOT", "CONTROLLERS", "EXPORT_FORMAT", "EXPORT_VERSION", "HUMAN", "LIVE",
    "AlreadyCommitted", "Branch", "Draft", "Event", "Expected", "ImportFileError", "LockHeld",
    "LockHolder", "LockLost", "Presence", "SessionNotFound", "SessionRecord", "SessionStore",
    "SessionSummary", "Snapshot", "StaleSession", "StoreError", "TeamSetup", "TeamSummary",
    "default_db_path", "dumps", "hash_pin", "is_valid_pin_hash", "loads", "verify_pin",
]

# an event written with (turn, kind, payload) or (turn, kind, payload, visibility)
NewEvent = tuple[int, str, Any] | tuple[int, str, Any, str | None]


def describe_change(events: Sequence[Event]) -> str:
    """What other writers did, in words: "turn 3 was committed by another window or
    program", "it was rewound to turn 2 ...", or how many changes were saved."""
    committed = [e.turn for e in events if e.kind == "turn_resolved"]
    rewound = [e for e in events if e.kind == "rewound"]
    if rewound:
        return f"it was rewound to turn {rewound[-1].turn} by another window or program"
    if committed:
        turns = ", ".join(map(str, committed))
        return (f"turn {turns} {'was' if len(committed) == 1 else 'were'} committed by "
                f"another window or program")
    if events:
        return f"{len(events)} change(s) were saved by another window or program"
    return "another window or program changed it"


# --------------------------------------------------------------------------- the store


class SessionStore(StoreFile):
    """Sessions, their event logs and snapshots in one SQLite file.

    ``SessionStore(path)`` opens (creating or upgrading) the file; ``SessionStore()`` uses
    ``default_db_path()``. Use as a context manager or call ``close()``. ``locks`` and
    ``drafts`` hold the session locks and the teams' drafts.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, memory: bool = False):
        super().__init__(path, memory=memory)
        self.locks = SessionLocks(self)
        self.drafts = Drafts(self)

    # ---- the one-writer protocol

    def expected(self, session_id: str) -> Expected:
        """Where the session stands now (its turn and last event): what a writer that has
        just read it passes as ``expect`` to its next write."""
        with self._guard():
            return self._current(self.db, session_id)

    def _current(self, db: Database, session_id: str) -> Expected:
        row = db.execute("select turn from sessions where id = ?", [session_id]).fetchone()
        if row is None:
            raise self._fail(f"no session {session_id!r} (see `wargame sessions`)",
                             SessionNotFound)
        last = db.execute("select coalesce(max(seq), 0) from events where session_id = ?",
                          [session_id]).fetchone()[0]
        return Expected(int(row[0]), int(last))

    def _check_writer(self, db: Database, session_id: str, expect: Expected | None,
                      lock_token: str | None) -> None:
        """Inside a write transaction: refuse a writer that lost its lock or whose view of
        the session is out of date."""
        current = self._current(db, session_id)
        if lock_token is not None:
            holder = current_holder(db, session_id)
            if holder is None or holder.token != lock_token:
                raise lock_lost(self, db, session_id, lock_token)
        if expect is not None and current != expect:
            events = self._events_where(db, "session_id = ? and seq > ?",
                                        [session_id, expect.last_seq])
            raise StaleSession(
                self.path, f"session {session_id}: this session changed since you opened it "
                           f"({describe_change(events)}); nothing was saved, reopen it",
                expected_turn=expect.turn, expected_seq=expect.last_seq,
                current_turn=current.turn, current_seq=current.last_seq, events_since=events)

    # ---- sessions

    def _new_session_id(self, db: Database) -> str:
        while True:
            candidate = secrets.token_hex(4)
            if not db.execute("select 1 from sessions where id = ?", [candidate]).fetchone():
                return candidate

    default_name = staticmethod(default_session_name)

    def create_session(
        self,
        scenario_content: Mapping[str, Any],
        scenario_hash: str,
        seed: int,
        teams: Sequence[TeamSetup],
        initial_state: Mapping[str, Any],
        state_hash: str,
        *,
        turn: int = 1,
        facilitator_pin_hash: str | None = None,
        turn_limit: int | None = None,
        timer_seconds: int | None = None,
        phase: str = "briefing",
        created_payload: Mapping[str, Any] | None = None,
        created_visibility: str | None = None,
        session_id: str | None = None,
        parent: tuple[str, int] | None = None,
        name: str | None = None,
    ) -> SessionRecord:
        """Write a whole new session (scenario, teams, first snapshot, 'session_created'
        event) in one transaction and return it. ``name`` defaults to the scenario's title
        and the date (``default_name``)."""
        stamp = now_iso()
        try:
            name = clean_name(name, "a session name") if name is not None else \
                self.default_name(str(scenario_content.get("title") or
                                      scenario_content.get("id") or ""))
            state_json = self._json(initial_state, "the initial state")
        except ValueError as exc:
            raise self._fail(str(exc)) from None
        with self.transaction() as db:
            sid = session_id or self._new_session_id(db)
            self._put_scenario(db, scenario_content, scenario_hash)
            db["sessions"].insert({
                "id": sid, "name": name, "scenario_hash": scenario_hash,
                "scenario_id": str(scenario_content.get("id", "")), "seed": int(seed),
                "turn_limit": turn_limit, "timer_seconds": timer_seconds,
                "facilitator_pin": facilitator_pin_hash, "created_at": stamp,
                "updated_at": stamp, "status": "active", "phase": phase, "turn": turn,
                "parent_session": parent[0] if parent else None,
                "parent_turn": parent[1] if parent else None,
            })
            db["teams"].insert_all([t.row(sid, i) for i, t in enumerate(teams)])
            db["snapshots"].insert({
                "session_id": sid, "branch": LIVE, "turn": turn,
                "state": state_json, "state_hash": state_hash, "created_at": stamp,
            })
            self._insert_events(db, sid, [(0 if parent is None else turn, "session_created",
                                           dict(created_payload or {}), created_visibility)],
                                stamp)
        return self.session(sid)

    def _json(self, value: Any, what: str) -> str:
        try:
            return dumps(value)
        except ValueError as exc:
            raise ValueError(f"{what} contains a number that is not finite (NaN or "
                             f"infinity); nothing was saved") from exc

    def _put_scenario(self, db: Database, content: Mapping[str, Any], digest: str) -> None:
        """Store a scenario's content under its hash once. Content that differs from what
        is stored under the same hash is refused: it would silently replace the scenario
        of every later session made from the genuine file."""
        text = self._json(dict(content), "the scenario")
        row = db.execute("select content from scenarios where hash = ?", [digest]).fetchone()
        if row is None:
            db["scenarios"].insert({"hash": digest, "scenario_id": str(content.get("id", "")),
                                    "title": str(content.get("title", "")),
                                    "content": text})
        elif loads(row[0]) != loads(text):
            raise self._fail(f"a different scenario is already stored under hash "
                             f"{digest[:12]}; nothing was saved")

    def resolve_id(self, session_id: str) -> str:
        """The full id of a session given its id or a unique prefix of it."""
        with self._guard():
            rows = self.db.execute("select id from sessions where id = ? or "
                                   "substr(id, 1, length(?)) = ? order by id",
                                   [session_id, session_id, session_id]).fetchall()
        ids = [row[0] for row in rows]
        if session_id in ids:
            return session_id
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise self._fail(f"no session {session_id!r} (see `wargame sessions`)",
                             SessionNotFound)
        raise self._fail(f"{session_id!r} matches several sessions: {', '.join(ids)}",
                         SessionNotFound)

    @staticmethod
    def _whole(value: Any, what: str, *, optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{what} is {value!r}, not a whole number")
        return value

    @staticmethod
    def _text(value: Any, what: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise ValueError(f"{what} is {value!r}, not text")
        return value

    def _session_from_row(self, row: Mapping[str, Any], teams: tuple[TeamSetup, ...]
                          ) -> SessionRecord:
        """A session row as a record; ``ValueError`` naming the field when a value has the
        wrong type (a damaged or crafted row)."""
        w, t = self._whole, self._text
        return SessionRecord(
            id=t(row["id"], "id"), scenario_id=t(row["scenario_id"], "scenario id"),
            scenario_hash=t(row["scenario_hash"], "scenario hash"),
            seed=w(row["seed"], "seed"),
            turn_limit=w(row["turn_limit"], "turn limit", optional=True),
            timer_seconds=w(row["timer_seconds"], "timer", optional=True),
            facilitator_pin_hash=t(row["facilitator_pin"], "facilitator PIN hash",
                                   optional=True),
            created_at=t(row["created_at"], "created_at"),
            updated_at=t(row["updated_at"], "updated_at"), status=t(row["status"], "status"),
            phase=t(row["phase"], "phase"), turn=w(row["turn"], "turn"),
            parent_session=t(row["parent_session"], "parent session", optional=True),
            parent_turn=w(row["parent_turn"], "parent turn", optional=True), teams=teams,
            name=t(row.get("name") or "", "name"))

    @staticmethod
    def _team_from_row(row: Mapping[str, Any]) -> TeamSetup:
        team = row["team_id"]
        if not isinstance(team, str):
            raise ValueError(f"a team id is {team!r}, not text")
        if row["controller"] not in CONTROLLERS:
            raise ValueError(f"team {team!r} has an unknown controller {row['controller']!r}")
        posture = row.get("posture")
        if posture is not None and (row["controller"] != BOT or posture not in BOT_POSTURES):
            raise ValueError(f"team {team!r} has an unknown bot posture {posture!r}")
        return TeamSetup(team, row["controller"], row["pin_hash"], posture)

    def _record(self, row: Mapping[str, Any], team_rows: Sequence[Mapping[str, Any]]
                ) -> SessionRecord:
        """A session row and its team rows as a record; ``ValueError`` saying what is wrong
        with a damaged or crafted row."""
        if not team_rows:
            raise ValueError("it has no teams")
        return self._session_from_row(row, tuple(self._team_from_row(t) for t in team_rows))

    def session(self, session_id: str) -> SessionRecord:
        with self._guard():
            rows = list(self.db["sessions"].rows_where("id = ?", [session_id]))
            if not rows:
                raise self._fail(f"no session {session_id!r} (see `wargame sessions`)",
                                 SessionNotFound)
            team_rows = list(self.db["teams"].rows_where("session_id = ?", [session_id],
                                                         order_by="position"))
        try:
            return self._record(rows[0], team_rows)
        except (ValueError, TypeError) as exc:
            raise self._fail(f"session {session_id} is damaged: {exc}") from None

    def _rows_by_session(self) -> tuple[list[dict], dict[Any, list[dict]]]:
        with self._guard():
            teams: dict[Any, list[dict]] = {}
            for r in self.db["teams"].rows_where(order_by="session_id, position"):
                teams.setdefault(r["session_id"], []).append(r)
            rows = list(self.db["sessions"].rows_where(order_by="updated_at desc, id"))
        return rows, teams

    def list_sessions(self) -> list[SessionRecord]:
        """All sessions that can be read, most recently updated first. A damaged row is left
        out here; ``summaries()`` lists it, marked as damaged."""
        rows, teams = self._rows_by_session()
        records = []
        for row in rows:
            try:
                records.append(self._record(row, teams.get(row["id"], [])))
            except (ValueError, TypeError):
                continue
        return records

    def summaries(self) -> list[SessionSummary]:
        """One ``SessionSummary`` per session, most recently played first: the rows of
        ``wargame sessions`` and the start screen. One bad row never hides the others: it is
        listed with ``problem`` saying what is wrong."""
        rows, teams = self._rows_by_session()
        with self._guard():
            titles = {r[0]: r[1] for r in self.db.execute("select hash, title from scenarios")}
        names = {row["id"]: row.get("name") for row in rows}
        out = []
        for row in rows:
            sid = row["id"]
            team_summaries = tuple(
                TeamSummary(str(t["team_id"]), str(t["controller"]), t["pin_hash"] is not None,
                            t.get("posture") if isinstance(t.get("posture"), str) else None)
                for t in teams.get(sid, ()))
            try:
                record = self._record(row, teams.get(sid, []))
            except (ValueError, TypeError) as exc:
                out.append(SessionSummary(
                    id=str(sid), name=str(row.get("name") or ""),
                    scenario_id=str(row.get("scenario_id") or ""),
                    scenario_title=str(titles.get(row.get("scenario_hash")) or ""),
                    turn=row["turn"] if isinstance(row.get("turn"), int) else None,
                    phase=str(row.get("phase") or ""), status="damaged",
                    created_at=str(row.get("created_at") or ""),
                    last_played_at=str(row.get("updated_at") or ""),
                    teams=team_summaries, problem=str(exc)))
                continue
            parent = record.parent_session
            out.append(SessionSummary(
                id=record.id, name=record.name, scenario_id=record.scenario_id,
                scenario_title=str(titles.get(record.scenario_hash) or record.scenario_id),
                turn=record.turn, phase=record.phase, status=record.status,
                created_at=record.created_at, last_played_at=record.updated_at,
                teams=team_summaries, parent_session=parent,
                parent_name=str(names[parent]) if parent in names else None,
                parent_turn=record.parent_turn))
        return out

    def update_session(self, session_id: str, *, expect: Expected | None = None,
                       lock_token: str | None = None, **fields: Any) -> None:
        """Change session row fields (phase, status, turn...); bumps ``updated_at``."""
        with self.transaction() as db:
            self._check_writer(db, session_id, expect, lock_token)
            self._touch(db, session_id, fields)

    def rename(self, session_id: str, name: str, *, lock_token: str | None = None) -> str:
        """Give a session another name (checked: 1..120 characters, no control or bidi
        characters); returns the name as stored. Not a change to the game: no event, the
        last-played time stays."""
        try:
            name = clean_name(name, "a session name")
        except ValueError as exc:
            raise self._fail(str(exc)) from None
        with self.transaction() as db:
            self._check_writer(db, session_id, None, lock_token)
            db.execute("update sessions set name = ? where id = ?", [name, session_id])
        return name

    _SESSION_COLUMNS = ("scenario_id", "scenario_hash", "seed", "turn_limit", "timer_seconds",
                        "facilitator_pin", "status", "phase", "turn", "parent_session",
                        "parent_turn")

    def _touch(self, db: Database, session_id: str, fields: Mapping[str, Any]) -> None:
        values = {"updated_at": now_iso()}
        for key, value in fields.items():
            column = "facilitator_pin" if key == "facilitator_pin_hash" else key
            if column not in self._SESSION_COLUMNS:
                raise ValueError(f"unknown session field {key!r}")
            values[column] = value
        # plain SQL: sqlite-utils' update reads the table's schema first, on every write
        columns = ", ".join(f"{column} = ?" for column in values)
        db.execute(f"update sessions set {columns} where id = ?", [*values.values(), session_id])

    def scenario_content(self, scenario_hash: str) -> dict:
        with self._guard():
            row = self.db.execute("select content from scenarios where hash = ?",
                                  [scenario_hash]).fetchone()
        if row is None:
            raise self._fail(f"scenario {scenario_hash[:12]} is missing from the database")
        return loads(row[0])

    # ---- events

    def _insert_events(self, db: Database, session_id: str, items: Iterable[NewEvent],
                       stamp: str) -> list[Event]:
        row = db.execute("select coalesce(max(seq), 0) from events where session_id = ?",
                         [session_id]).fetchone()
        seq = row[0]
        events, rows = [], []
        for item in items:
            turn, kind, payload = item[0], item[1], item[2]
            visibility = item[3] if len(item) > 3 else None
            seq += 1
            try:
                text = self._json(payload, f"the {kind} event")
            except ValueError as exc:
                raise self._fail(str(exc)) from None
            # the payload as given (JSON types: what the session layer writes), not parsed
            # back: a turn's result is large
            events.append(Event(session_id, seq, int(turn), kind, payload, stamp, LIVE,
                                visibility))
            rows.append((session_id, seq, LIVE, int(turn), kind, text, stamp, visibility))
        db.conn.executemany(
            "insert into events (session_id, seq, branch, turn, kind, payload, created_at, "
            "visibility) values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return events

    def append_events(self, session_id: str, items: Iterable[NewEvent], *,
                      update: Mapping[str, Any] | None = None,
                      expect: Expected | None = None, lock_token: str | None = None,
                      clear_drafts: Sequence[str] = ()) -> list[Event]:
        """Append events (and update the session row) in one transaction; returns the
        stored events. With ``expect``/``lock_token`` the write is conditional (see the
        module docstring); ``clear_drafts`` = teams whose draft goes in the same
        transaction (their orders were just submitted)."""
        stamp = now_iso()
        items = list(items)
        with self.transaction() as db:
            self._check_writer(db, session_id, expect, lock_token)
            events = self._insert_events(db, session_id, items, stamp)
            self._touch(db, session_id, update or {})
            for team in clear_drafts:
                db.execute("delete from drafts where session_id = ? and team = ?",
                           [session_id, team])
        return events

    def append_event(self, session_id: str, turn: int, kind: str, payload: Any, *,
                     update: Mapping[str, Any] | None = None,
                     expect: Expected | None = None, lock_token: str | None = None,
                     visibility: str | None = None) -> Event:
        """Append one event; ``update`` = session row fields to change with it."""
        return self.append_events(session_id, [(turn, kind, payload, visibility)],
                                  update=update, expect=expect, lock_token=lock_token)[0]

    _EVENT_COLUMNS = "session_id, seq, turn, kind, payload, created_at, branch, visibility"

    def _events_where(self, db: Database, where: str, params: Sequence[Any]) -> list[Event]:
        rows = db.execute(f"select {self._EVENT_COLUMNS} from events where {where} "
                          "order by seq", list(params)).fetchall()
        return [Event(r[0], r[1], r[2], r[3], loads(r[4]), r[5], r[6], r[7]) for r in rows]

    def events(self, session_id: str, *, branch: int | None = LIVE, turn: int | None = None,
               kinds: Sequence[str] | None = None, before_turn: int | None = None,
               after_seq: int | None = None) -> list[Event]:
        """Events of one branch (default: live; ``None``: every branch) in log order,
        optionally filtered."""
        where = ["session_id = ?"]
        params: list[Any] = [session_id]
        if branch is not None:
            where.append("branch = ?")
            params.append(branch)
        if turn is not None:
            where.append("turn = ?")
            params.append(turn)
        if before_turn is not None:
            where.append("turn < ?")
            params.append(before_turn)
        if after_seq is not None:
            where.append("seq > ?")
            params.append(after_seq)
        if kinds:
            where.append(f"kind in ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        with self._guard():
            return self._events_where(self.db, " and ".join(where), params)

    # ---- turns and snapshots

    def commit_turn(self, session_id: str, events: Iterable[NewEvent],
                    state: Mapping[str, Any], state_hash: str, snapshot_turn: int, *,
                    update: Mapping[str, Any] | None = None,
                    expect: Expected | None = None, lock_token: str | None = None
                    ) -> list[Event]:
        """A resolved turn: its events, the snapshot of the next turn's state and the session
        row, in one transaction; every team's draft goes with it. A snapshot is never
        overwritten: committing a turn whose next snapshot exists is ``AlreadyCommitted``."""
        stamp = now_iso()
        try:
            state_json = self._json(state, f"the state of turn {snapshot_turn}")
        except ValueError as exc:
            raise self._fail(str(exc)) from None
        items = list(events)
        with self.transaction() as db:
            self._check_writer(db, session_id, expect, lock_token)
            if db.execute("select 1 from snapshots where session_id = ? and branch = ? and "
                          "turn = ?", [session_id, LIVE, snapshot_turn]).fetchone():
                current = self._current(db, session_id)
                raise AlreadyCommitted(
                    self.path, f"session {session_id}: turn {snapshot_turn - 1} is already "
                               f"committed (by another window or program); nothing was saved",
                    expected_turn=expect.turn if expect else current.turn,
                    expected_seq=expect.last_seq if expect else current.last_seq,
                    current_turn=current.turn, current_seq=current.last_seq)
            stored = self._insert_events(db, session_id, items, stamp)
            db.execute(
                "insert into snapshots (session_id, turn, state, state_hash, created_at, "
                "branch) values (?, ?, ?, ?, ?, ?)",
                [session_id, snapshot_turn, state_json, state_hash, stamp, LIVE])
            self._touch(db, session_id, update or {})
            db.execute("delete from drafts where session_id = ?", [session_id])
        return stored

    def snapshot(self, session_id: str, turn: int, *, branch: int = LIVE) -> Snapshot:
        with self._guard():
            row = self.db.execute(
                "select session_id, turn, state, state_hash, created_at, branch from snapshots "
                "where session_id = ? and branch = ? and turn = ?",
                [session_id, branch, turn]).fetchone()
        if row is None:
            raise self._fail(f"session {session_id}: no snapshot of turn {turn}")
        return Snapshot(row[0], row[1], loads(row[2]), row[3], row[4], row[5])

    def snapshots(self, session_id: str, *, branch: int = LIVE) -> Iterator[Snapshot]:
        """Every snapshot of a branch, in turn order, one at a time (states are large)."""
        for turn in self.snapshot_hashes(session_id, branch=branch):
            yield self.snapshot(session_id, turn, branch=branch)

    def latest_snapshot(self, session_id: str, *, branch: int = LIVE) -> Snapshot:
        with self._guard():
            row = self.db.execute(
                "select max(turn) from snapshots where session_id = ? and branch = ?",
                [session_id, branch]).fetchone()
        if row is None or row[0] is None:
            raise self._fail(f"session {session_id} has no snapshot (damaged session)")
        return self.snapshot(session_id, row[0], branch=branch)

    def snapshot_hashes(self, session_id: str, *, branch: int = LIVE) -> dict[int, str]:
        with self._guard():
            rows = self.db.execute(
                "select turn, state_hash from snapshots where session_id = ? and branch = ? "
                "order by turn", [session_id, branch]).fetchall()
        return {r[0]: r[1] for r in rows}

    # ---- rewind, fork, branches

    def branches(self, session_id: str) -> list[Branch]:
        """Archived branches, oldest first, each with what it holds."""
        with self._guard():
            rows = list(self.db["branches"].rows_where("session_id = ?", [session_id],
                                                       order_by="branch"))
            counts = dict(self.db.execute(
                "select branch, count(*) from events where session_id = ? and branch > 0 "
                "group by branch", [session_id]).fetchall())
            turns: dict[int, list[int]] = {}
            for branch, turn in self.db.execute(
                    "select branch, turn from snapshots where session_id = ? and branch > 0 "
                    "order by branch, turn", [session_id]).fetchall():
                turns.setdefault(branch, []).append(turn)
        return [Branch(r["session_id"], r["branch"], r["from_turn"], r["to_turn"],
                       r["archived_at"], r["reason"] or "", counts.get(r["branch"], 0),
                       tuple(turns.get(r["branch"], ()))) for r in rows]

    def rewind(self, session_id: str, to_turn: int, *, reason: str = "",
               phase: str = "briefing", expect: Expected | None = None,
               lock_token: str | None = None,
               rewound_visibility: str | None = None,
               also: Sequence[tuple[str, Any, str | None]] = ()) -> Branch:
        """Go back to the start of ``to_turn``: the events of that turn and later and the
        snapshots after it move to a new archived branch (kept, never deleted); drafts are
        dropped. ``also`` = (kind, payload, visibility) events to append after the
        'rewound' event in the same transaction (the session layer's note). Returns the
        archived branch, with what it holds."""
        stamp = now_iso()
        with self.transaction() as db:
            self._check_writer(db, session_id, expect, lock_token)
            turns = [r[0] for r in db.execute(
                "select turn from snapshots where session_id = ? and branch = ? order by turn",
                [session_id, LIVE]).fetchall()]
            if to_turn not in turns:
                known = f"{min(turns)}..{max(turns)}" if turns else "none"
                raise self._fail(f"session {session_id}: cannot rewind to turn {to_turn} "
                                 f"(stored turns: {known})")
            current_turn = self._current(db, session_id).turn
            number = db.execute("select coalesce(max(branch), 0) + 1 from branches where "
                                "session_id = ?", [session_id]).fetchone()[0]
            last = max(current_turn, max(turns))
            db.execute("update events set branch = ? where session_id = ? and branch = ? and "
                       "turn >= ?", [number, session_id, LIVE, to_turn])
            db.execute("update snapshots set branch = ? where session_id = ? and branch = ? "
                       "and turn > ?", [number, session_id, LIVE, to_turn])
            db["branches"].insert({"session_id": session_id, "branch": number,
                                   "from_turn": to_turn, "to_turn": last,
                                   "archived_at": stamp, "reason": reason})
            self._insert_events(db, session_id, [(to_turn, "rewound", {
                "to_turn": to_turn, "archived_branch": number, "reason": reason,
                "phase": phase}, rewound_visibility)] + [
                (to_turn, kind, payload, visibility) for kind, payload, visibility in also],
                stamp)
            self._touch(db, session_id, {"turn": to_turn, "phase": phase, "status": "active"})
            db.execute("delete from drafts where session_id = ?", [session_id])
        return next(b for b in self.branches(session_id) if b.branch == number)

    def fork(self, session_id: str, from_turn: int, *, phase: str = "briefing",
             name: str | None = None, forked_visibility: str | None = None
             ) -> SessionRecord:
        """A new session that starts where ``session_id`` stood at the start of
        ``from_turn``: same scenario, seed and teams; the log before that turn is copied.
        ``name`` defaults to the original's name with "(fork at turn N)"."""
        record = self.session(session_id)
        snap = self.snapshot(session_id, from_turn)
        suffix = f" (fork at turn {from_turn})"
        try:
            name = clean_name(name, "a session name") if name is not None else \
                (record.name or record.scenario_id)[:MAX_NAME_LENGTH - len(suffix)] + suffix
        except ValueError as exc:
            raise self._fail(str(exc)) from None
        stamp = now_iso()
        with self.transaction() as db:
            new_id = self._new_session_id(db)
            db["sessions"].insert({
                "id": new_id, "name": name, "scenario_hash": record.scenario_hash,
                "scenario_id": record.scenario_id, "seed": record.seed,
                "turn_limit": record.turn_limit, "timer_seconds": record.timer_seconds,
                "facilitator_pin": record.facilitator_pin_hash, "created_at": stamp,
                "updated_at": stamp, "status": "active", "phase": phase, "turn": from_turn,
                "parent_session": session_id, "parent_turn": from_turn})
            db["teams"].insert_all([t.row(new_id, i) for i, t in enumerate(record.teams)])
            db.execute(
                "insert into events (session_id, seq, branch, turn, kind, payload, created_at, "
                "visibility) select ?, seq, 0, turn, kind, payload, created_at, visibility "
                "from events where session_id = ? and branch = 0 and turn < ?",
                [new_id, session_id, from_turn])
            db.execute(
                "insert into snapshots (session_id, branch, turn, state, state_hash, "
                "created_at) select ?, 0, turn, state, state_hash, created_at from snapshots "
                "where session_id = ? and branch = 0 and turn <= ?",
                [new_id, session_id, from_turn])
            self._insert_events(db, new_id, [(from_turn, "forked", {
                "from_session": session_id, "from_turn": from_turn, "phase": phase,
                "state_hash": snap.state_hash}, forked_visibility)], stamp)
        return self.session(new_id)


    # ---- export / import (wargame.store.transfer)

    def export_session(self, session_id: str, *, include_drafts: bool = False,
                       keep_event: Any = None) -> dict:
        """See ``wargame.store.transfer.export_session``."""
        from wargame.store.transfer import export_session

        return export_session(self, session_id, include_drafts=include_drafts,
                              keep_event=keep_event)

    def import_session(self, data: SessionExport | Mapping[str, Any]) -> SessionRecord:
        """See ``wargame.store.transfer.import_session``."""
        from wargame.store.transfer import import_session

        return import_session(self, data)
