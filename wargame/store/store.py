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

Safety of the file:
- a file that is not SQLite (or is corrupt) is refused before anything is written to it;
- a file written by a newer schema is refused, checked through a read-only connection, so its
  bytes are left exactly as they were;
- a read-only file opens read-only: reading works, writing raises ``StoreError``;
- every sqlite error (disk full, locked, malformed) becomes a ``StoreError`` naming the file and
  the problem; the transaction in progress is rolled back.

Threads: sqlite-utils opens connections with ``check_same_thread=True``, so a ``Database`` may
only be used by the thread that made it. ``SessionStore.db`` hands each thread its own
connection (thread-local), so one ``SessionStore`` can be shared by a UI thread and workers.

This module knows nothing about the rules engine: states and results are stored as the JSON
dictionaries their ``to_dict()`` methods produce. ``wargame.store.exercise`` drives the engine.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from wargame.store.paths import default_db_path  # noqa: F401 (re-exported)
from wargame.store.schema import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
EXPORT_FORMAT = "wargame-session"
EXPORT_VERSION = 1
LIVE = 0  # branch number of the live line of play; archived branches are 1, 2, ...

HUMAN = "human"
BOT = "bot"
CONTROLLERS = (HUMAN, BOT)


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


# --------------------------------------------------------------------------- helpers


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"cannot store {type(obj).__name__} as JSON")


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), default=_json_default)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# PINs: scrypt with a random salt; only "scrypt$n$r$p$salt$hash" is ever stored.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN, safe to store."""
    if not isinstance(pin, str) or not pin:
        raise ValueError("a PIN must be a non-empty string")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """True when ``pin`` matches ``stored`` (a ``hash_pin`` result); no PIN set = any PIN."""
    if stored is None:
        return True
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(str(pin).encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(digest) // 2)
    return hmac.compare_digest(candidate.hex(), digest)


# --------------------------------------------------------------------------- records


@dataclasses.dataclass(frozen=True)
class TeamSetup:
    """Who plays a team: a human (optionally behind a PIN, stored hashed) or a bot."""

    team: str
    controller: str = HUMAN
    pin_hash: str | None = None

    def __post_init__(self) -> None:
        if self.controller not in CONTROLLERS:
            raise ValueError(f"team {self.team!r}: controller must be one of {CONTROLLERS}")

    @classmethod
    def make(cls, team: str, controller: str = HUMAN, pin: str | None = None) -> "TeamSetup":
        return cls(team, controller, hash_pin(pin) if pin else None)

    @property
    def is_bot(self) -> bool:
        return self.controller == BOT

    def check_pin(self, pin: str | None) -> bool:
        return verify_pin(pin or "", self.pin_hash)


@dataclasses.dataclass(frozen=True)
class SessionRecord:
    id: str
    scenario_id: str
    scenario_hash: str
    seed: int
    turn_limit: int | None
    timer_seconds: int | None
    facilitator_pin_hash: str | None
    created_at: str
    updated_at: str
    status: str  # "active", "paused", "ended"
    phase: str  # "briefing", "orders", "adjudication", "debrief", "ended"
    turn: int  # the turn being played (state.turn)
    parent_session: str | None = None
    parent_turn: int | None = None
    teams: tuple[TeamSetup, ...] = ()

    def team(self, team_id: str) -> TeamSetup:
        for setup in self.teams:
            if setup.team == team_id:
                return setup
        raise KeyError(team_id)


@dataclasses.dataclass(frozen=True)
class Event:
    session_id: str
    seq: int
    turn: int
    kind: str
    payload: Any
    created_at: str
    branch: int = LIVE


@dataclasses.dataclass(frozen=True)
class Snapshot:
    session_id: str
    turn: int
    state: dict
    state_hash: str
    created_at: str
    branch: int = LIVE


@dataclasses.dataclass(frozen=True)
class Branch:
    """An archived line of play: what a rewind set aside (turns ``from_turn``..``to_turn``)."""

    session_id: str
    branch: int
    from_turn: int
    to_turn: int
    archived_at: str
    reason: str = ""


_SESSION_COLUMNS = ("id", "scenario_id", "scenario_hash", "seed", "turn_limit", "timer_seconds",
                    "facilitator_pin", "created_at", "updated_at", "status", "phase", "turn",
                    "parent_session", "parent_turn")

_FILE_SIZE_LIMIT = ("file size limit reached (the shell's 'ulimit -f'); the change was not "
                    "saved: raise the limit and try again")
_ERRORS = (
    ("disk is full", "the disk is full (or the database hit its size limit); the change was "
                     "not saved"),
    ("readonly", "the file is read-only; nothing can be saved to it"),
    ("read-only", "the file is read-only; nothing can be saved to it"),
    ("not a database", "not a SQLite database (corrupt, or another kind of file)"),
    ("malformed", "the database file is corrupt (malformed)"),
    ("locked", "the database is locked by another program; try again"),
    ("unable to open", "cannot open the database file"),
    ("disk i/o error", "disk I/O error while reading or writing the database"),
    ("file too large", _FILE_SIZE_LIMIT),
)


def _file_size_limited() -> bool:
    """True when this process may not write files beyond a size (the shell's ``ulimit -f``):
    SQLite then reports a plain "disk I/O error" or "database or disk is full"."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def _left_untouched(message: str) -> str:
    """Say once that the file was not changed (some messages already say so)."""
    return message if "unchanged" in message or "not saved" in message \
        else message + "; it was left untouched"


def _describe(exc: BaseException) -> str:
    text = str(exc).lower()
    if ("disk i/o error" in text or "disk is full" in text) and _file_size_limited():
        return _FILE_SIZE_LIMIT
    for needle, message in _ERRORS:
        if needle in text:
            return message
    return f"database error: {exc}"


# --------------------------------------------------------------------------- the store


class SessionStore:
    """Sessions, their event logs and snapshots in one SQLite file.

    ``SessionStore(path)`` opens (creating or upgrading) the file; ``SessionStore()`` uses
    ``default_db_path()``. Use as a context manager or call ``close()``.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self.readonly = False
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open()

    # ---- opening, checks and migrations

    def _fail(self, problem: str, cls: type[StoreError] = StoreError) -> StoreError:
        return cls(self.path, problem)

    def _open(self) -> None:
        path = self.path
        exists = path.exists()
        if exists:
            if path.is_dir():
                raise self._fail("is a directory, not a session database")
            try:
                with open(path, "rb") as fh:
                    header = fh.read(len(SQLITE_HEADER))
            except OSError as exc:
                raise self._fail(f"cannot read the file ({exc.strerror})") from exc
            if header and header != SQLITE_HEADER:
                raise self._fail("not a SQLite database (corrupt, or another kind of file); "
                                 "it was left untouched")
            mode = path.stat().st_mode
            writable = os.access(path, os.W_OK) and bool(
                mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
            self.readonly = not writable
            if header:
                self._check_version_read_only()
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._fail(f"cannot create its folder ({exc.strerror})") from exc
        if self.readonly:
            if self._pending_names():
                raise self._fail(
                    f"the file is read-only and uses an older schema that must be upgraded "
                    f"to version {SCHEMA_VERSION} first; make it writable")
            return
        db = self.db
        try:
            applied = [m.name for m in MIGRATIONS.applied(db)]
            unknown = [name for name in applied if name not in MIGRATION_NAMES]
            if unknown:  # only possible if the version check read a stale file
                raise self._fail(f"written by a newer version of wargame (migration "
                                 f"{unknown[0]}); upgrade wargame to open it")
            if MIGRATIONS.pending(db):
                MIGRATIONS.apply(db)
        except sqlite3.Error as exc:
            raise self._fail(_describe(exc)) from exc

    def _ro_connect(self) -> sqlite3.Connection:
        """A read-only connection. Without a WAL file beside the database it is also
        ``immutable``, so SQLite creates no ``-wal``/``-shm`` files either; with one (a
        session not yet checkpointed) the WAL must be read, so it is not."""
        uri = self.path.resolve().as_uri() + "?mode=ro"
        if not Path(f"{self.path}-wal").exists():
            uri += "&immutable=1"
        return sqlite3.connect(uri, uri=True)

    def _check_version_read_only(self) -> None:
        """Refuse a newer or foreign database before any write (not even the WAL switch)."""
        try:
            conn = self._ro_connect()
        except sqlite3.Error as exc:
            raise self._fail(_describe(exc)) from exc
        try:
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute(
                "select name from sqlite_master where type = 'table'")}
            applied: list[str] = []
            if "_sqlite_migrations" in tables:
                applied = [row[0] for row in conn.execute(
                    "select name from _sqlite_migrations where migration_set = ? "
                    "order by rowid", [MIGRATION_SET])]
        except sqlite3.Error as exc:
            raise self._fail(_left_untouched(_describe(exc))) from exc
        finally:
            conn.close()
        unknown = [name for name in applied if name not in MIGRATION_NAMES]
        if unknown or user_version > SCHEMA_VERSION:
            version = max(user_version, len(applied))
            raise self._fail(
                f"written by a newer version of wargame (schema version {version}; this "
                f"version reads up to {SCHEMA_VERSION}). Upgrade wargame to open it; the file "
                f"was left untouched.")
        own = {"_sqlite_migrations"}
        if tables - own and not applied:
            raise self._fail("is a SQLite database but not a wargame session database; "
                             "it was left untouched")
        self._applied_cache = applied

    def _pending_names(self) -> list[str]:
        applied = getattr(self, "_applied_cache", [])
        return [name for name in MIGRATION_NAMES if name not in applied]

    @property
    def schema_version(self) -> int:
        with self._guard():
            return self.db.execute("PRAGMA user_version").fetchone()[0]

    @property
    def db(self) -> Database:
        """This thread's ``Database`` (one per thread: sqlite's same-thread rule)."""
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                if self.readonly:
                    db = Database(self._ro_connect(), execute_plugins=False)
                else:
                    db = Database(self.path, execute_plugins=False)
                    db.execute("PRAGMA journal_mode = WAL")
                    db.execute("PRAGMA synchronous = FULL")
                db.execute("PRAGMA foreign_keys = ON")
                db.execute("PRAGMA busy_timeout = 5000")
            except sqlite3.Error as exc:
                raise self._fail(_describe(exc)) from exc
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection (others close when their thread's store goes)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def __enter__(self) -> "SessionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._fail(_describe(exc)) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic write: all of it is saved, or (on any error) none of it."""
        if self.readonly:
            raise self._fail("the file is read-only; nothing can be saved to it")
        db = self.db
        with self._guard():
            if db.conn.in_transaction:  # nested: a savepoint, as sqlite-utils does
                with db.atomic():
                    yield db
                return
            # Like Database.atomic(), but BEGIN IMMEDIATE: a deferred transaction that reads
            # (max seq) and then writes cannot wait for another writer (SQLITE_BUSY at once,
            # busy_timeout ignored); taking the write lock up front makes writers queue.
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.rollback()
                raise
            try:
                db.conn.execute("COMMIT")
            except BaseException:
                db.rollback()
                raise

    def integrity_check(self) -> str:
        with self._guard():
            return self.db.execute("PRAGMA integrity_check").fetchone()[0]

    # ---- sessions

    def _new_session_id(self, db: Database) -> str:
        while True:
            candidate = secrets.token_hex(4)
            if not db.execute("select 1 from sessions where id = ?", [candidate]).fetchone():
                return candidate

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
        session_id: str | None = None,
        parent: tuple[str, int] | None = None,
    ) -> SessionRecord:
        """Write a whole new session (scenario, teams, first snapshot, 'session_created'
        event) in one transaction and return it."""
        stamp = now_iso()
        with self.transaction() as db:
            sid = session_id or self._new_session_id(db)
            self._put_scenario(db, scenario_content, scenario_hash)
            db["sessions"].insert({
                "id": sid, "scenario_hash": scenario_hash,
                "scenario_id": str(scenario_content.get("id", "")), "seed": int(seed),
                "turn_limit": turn_limit, "timer_seconds": timer_seconds,
                "facilitator_pin": facilitator_pin_hash, "created_at": stamp,
                "updated_at": stamp, "status": "active", "phase": phase, "turn": turn,
                "parent_session": parent[0] if parent else None,
                "parent_turn": parent[1] if parent else None,
            })
            db["teams"].insert_all([
                {"session_id": sid, "team_id": t.team, "position": i,
                 "controller": t.controller, "pin_hash": t.pin_hash}
                for i, t in enumerate(teams)
            ])
            db["snapshots"].insert({
                "session_id": sid, "branch": LIVE, "turn": turn,
                "state": dumps(initial_state), "state_hash": state_hash, "created_at": stamp,
            })
            self._insert_events(db, sid, [(0 if parent is None else turn, "session_created",
                                           dict(created_payload or {}))], stamp)
        return self.session(sid)

    def _put_scenario(self, db: Database, content: Mapping[str, Any], digest: str) -> None:
        if not db.execute("select 1 from scenarios where hash = ?", [digest]).fetchone():
            db["scenarios"].insert({"hash": digest, "scenario_id": str(content.get("id", "")),
                                    "title": str(content.get("title", "")),
                                    "content": dumps(content)})

    def resolve_id(self, session_id: str) -> str:
        """The full id of a session given its id or a unique prefix of it."""
        with self._guard():
            rows = self.db.execute("select id from sessions where id = ? or id like ? "
                                   "order by id", [session_id, f"{session_id}%"]).fetchall()
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

    def _session_from_row(self, row: Mapping[str, Any], teams: tuple[TeamSetup, ...]
                          ) -> SessionRecord:
        return SessionRecord(
            id=row["id"], scenario_id=row["scenario_id"], scenario_hash=row["scenario_hash"],
            seed=row["seed"], turn_limit=row["turn_limit"], timer_seconds=row["timer_seconds"],
            facilitator_pin_hash=row["facilitator_pin"], created_at=row["created_at"],
            updated_at=row["updated_at"], status=row["status"], phase=row["phase"],
            turn=row["turn"], parent_session=row["parent_session"],
            parent_turn=row["parent_turn"], teams=teams)

    def session(self, session_id: str) -> SessionRecord:
        with self._guard():
            rows = list(self.db["sessions"].rows_where("id = ?", [session_id]))
            if not rows:
                raise self._fail(f"no session {session_id!r} (see `wargame sessions`)",
                                 SessionNotFound)
            teams = tuple(
                TeamSetup(r["team_id"], r["controller"], r["pin_hash"])
                for r in self.db["teams"].rows_where("session_id = ?", [session_id],
                                                     order_by="position"))
        return self._session_from_row(rows[0], teams)

    def list_sessions(self) -> list[SessionRecord]:
        """All sessions, most recently updated first."""
        with self._guard():
            teams: dict[str, list[TeamSetup]] = {}
            for r in self.db["teams"].rows_where(order_by="session_id, position"):
                teams.setdefault(r["session_id"], []).append(
                    TeamSetup(r["team_id"], r["controller"], r["pin_hash"]))
            rows = list(self.db["sessions"].rows_where(order_by="updated_at desc, id"))
        return [self._session_from_row(r, tuple(teams.get(r["id"], ()))) for r in rows]

    def update_session(self, session_id: str, **fields: Any) -> None:
        """Change session row fields (phase, status, turn...); bumps ``updated_at``."""
        with self.transaction() as db:
            self._touch(db, session_id, fields)

    def _touch(self, db: Database, session_id: str, fields: Mapping[str, Any]) -> None:
        values = {"updated_at": now_iso()}
        for key, value in fields.items():
            column = "facilitator_pin" if key == "facilitator_pin_hash" else key
            if column not in _SESSION_COLUMNS or column == "id":
                raise ValueError(f"unknown session field {key!r}")
            values[column] = value
        db["sessions"].update(session_id, values)

    def scenario_content(self, scenario_hash: str) -> dict:
        with self._guard():
            row = self.db.execute("select content from scenarios where hash = ?",
                                  [scenario_hash]).fetchone()
        if row is None:
            raise self._fail(f"scenario {scenario_hash[:12]} is missing from the database")
        return loads(row[0])

    # ---- events

    def _insert_events(self, db: Database, session_id: str,
                       items: Iterable[tuple[int, str, Any]], stamp: str) -> list[Event]:
        row = db.execute("select coalesce(max(seq), 0) from events where session_id = ?",
                         [session_id]).fetchone()
        seq = row[0]
        events = []
        for turn, kind, payload in items:
            seq += 1
            events.append(Event(session_id, seq, int(turn), kind, payload, stamp, LIVE))
        db["events"].insert_all([
            {"session_id": e.session_id, "seq": e.seq, "branch": e.branch, "turn": e.turn,
             "kind": e.kind, "payload": dumps(e.payload), "created_at": e.created_at}
            for e in events])
        return events

    def append_events(self, session_id: str, items: Iterable[tuple[int, str, Any]], *,
                      update: Mapping[str, Any] | None = None) -> list[Event]:
        """Append ``(turn, kind, payload)`` events (and update the session row) in one
        transaction; returns the stored events."""
        stamp = now_iso()
        with self.transaction() as db:
            events = self._insert_events(db, session_id, list(items), stamp)
            self._touch(db, session_id, update or {})
        return events

    def append_event(self, session_id: str, turn: int, kind: str, payload: Any, *,
                     update: Mapping[str, Any] | None = None) -> Event:
        """Append one event; ``update`` = session row fields to change with it."""
        return self.append_events(session_id, [(turn, kind, payload)], update=update)[0]

    def events(self, session_id: str, *, branch: int = LIVE, turn: int | None = None,
               kinds: Sequence[str] | None = None, before_turn: int | None = None
               ) -> list[Event]:
        """Events of one branch (default: live) in log order, optionally filtered."""
        where = ["session_id = ?", "branch = ?"]
        params: list[Any] = [session_id, branch]
        if turn is not None:
            where.append("turn = ?")
            params.append(turn)
        if before_turn is not None:
            where.append("turn < ?")
            params.append(before_turn)
        if kinds:
            where.append(f"kind in ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        with self._guard():
            rows = self.db.execute(
                "select session_id, seq, turn, kind, payload, created_at, branch from events "
                f"where {' and '.join(where)} order by seq", params).fetchall()
        return [Event(r[0], r[1], r[2], r[3], loads(r[4]), r[5], r[6]) for r in rows]

    # ---- turns and snapshots

    def commit_turn(self, session_id: str, events: Iterable[tuple[int, str, Any]],
                    state: Mapping[str, Any], state_hash: str, snapshot_turn: int, *,
                    update: Mapping[str, Any] | None = None) -> list[Event]:
        """A resolved turn: its events, the snapshot of the next turn's state and the session
        row, in one transaction."""
        stamp = now_iso()
        state_json = dumps(state)
        with self.transaction() as db:
            stored = self._insert_events(db, session_id, list(events), stamp)
            db.execute(
                "insert or replace into snapshots (session_id, turn, state, state_hash, "
                "created_at, branch) values (?, ?, ?, ?, ?, ?)",
                [session_id, snapshot_turn, state_json, state_hash, stamp, LIVE])
            self._touch(db, session_id, update or {})
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
        with self._guard():
            rows = list(self.db["branches"].rows_where("session_id = ?", [session_id],
                                                       order_by="branch"))
        return [Branch(r["session_id"], r["branch"], r["from_turn"], r["to_turn"],
                       r["archived_at"], r["reason"] or "") for r in rows]

    def rewind(self, session_id: str, to_turn: int, *, reason: str = "",
               phase: str = "briefing") -> Branch:
        """Go back to the start of ``to_turn``: the events of that turn and later and the
        snapshots after it move to a new archived branch (kept, never deleted)."""
        record = self.session(session_id)
        hashes = self.snapshot_hashes(session_id)
        if to_turn not in hashes:
            known = f"{min(hashes)}..{max(hashes)}" if hashes else "none"
            raise self._fail(f"session {session_id}: cannot rewind to turn {to_turn} "
                             f"(stored turns: {known})")
        stamp = now_iso()
        with self.transaction() as db:
            number = db.execute("select coalesce(max(branch), 0) + 1 from branches where "
                                "session_id = ?", [session_id]).fetchone()[0]
            last = max(record.turn, max(hashes))
            db.execute("update events set branch = ? where session_id = ? and branch = ? and "
                       "turn >= ?", [number, session_id, LIVE, to_turn])
            db.execute("update snapshots set branch = ? where session_id = ? and branch = ? "
                       "and turn > ?", [number, session_id, LIVE, to_turn])
            db["branches"].insert({"session_id": session_id, "branch": number,
                                   "from_turn": to_turn, "to_turn": last,
                                   "archived_at": stamp, "reason": reason})
            self._insert_events(db, session_id, [(to_turn, "rewound", {
                "to_turn": to_turn, "archived_branch": number, "reason": reason,
                "phase": phase})], stamp)
            self._touch(db, session_id, {"turn": to_turn, "phase": phase, "status": "active"})
        return self.branches(session_id)[-1]

    def fork(self, session_id: str, from_turn: int, *, phase: str = "briefing"
             ) -> SessionRecord:
        """A new session that starts where ``session_id`` stood at the start of
        ``from_turn``: same scenario, seed and teams; the log before that turn is copied."""
        record = self.session(session_id)
        snap = self.snapshot(session_id, from_turn)
        stamp = now_iso()
        with self.transaction() as db:
            new_id = self._new_session_id(db)
            db["sessions"].insert({
                "id": new_id, "scenario_hash": record.scenario_hash,
                "scenario_id": record.scenario_id, "seed": record.seed,
                "turn_limit": record.turn_limit, "timer_seconds": record.timer_seconds,
                "facilitator_pin": record.facilitator_pin_hash, "created_at": stamp,
                "updated_at": stamp, "status": "active", "phase": phase, "turn": from_turn,
                "parent_session": session_id, "parent_turn": from_turn})
            db["teams"].insert_all([
                {"session_id": new_id, "team_id": t.team, "position": i,
                 "controller": t.controller, "pin_hash": t.pin_hash}
                for i, t in enumerate(record.teams)])
            db.execute(
                "insert into events (session_id, seq, branch, turn, kind, payload, created_at) "
                "select ?, seq, 0, turn, kind, payload, created_at from events "
                "where session_id = ? and branch = 0 and turn < ?",
                [new_id, session_id, from_turn])
            db.execute(
                "insert into snapshots (session_id, branch, turn, state, state_hash, "
                "created_at) select ?, 0, turn, state, state_hash, created_at from snapshots "
                "where session_id = ? and branch = 0 and turn <= ?",
                [new_id, session_id, from_turn])
            self._insert_events(db, new_id, [(from_turn, "forked", {
                "from_session": session_id, "from_turn": from_turn, "phase": phase,
                "state_hash": snap.state_hash})], stamp)
        return self.session(new_id)

    # ---- export / import

    def export_session(self, session_id: str) -> dict:
        """Everything about one session (all branches) as a JSON-safe dict."""
        record = self.session(session_id)
        with self._guard():
            events = [
                {"seq": r["seq"], "branch": r["branch"], "turn": r["turn"], "kind": r["kind"],
                 "payload": loads(r["payload"]), "created_at": r["created_at"]}
                for r in self.db["events"].rows_where("session_id = ?", [session_id],
                                                      order_by="seq")]
            snapshots = [
                {"branch": r["branch"], "turn": r["turn"], "state": loads(r["state"]),
                 "state_hash": r["state_hash"], "created_at": r["created_at"]}
                for r in self.db["snapshots"].rows_where("session_id = ?", [session_id],
                                                         order_by="branch, turn")]
        session = dataclasses.asdict(record)
        session["teams"] = [dataclasses.asdict(t) for t in record.teams]
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema_version": SCHEMA_VERSION,
            "session": session,
            "scenario": {"hash": record.scenario_hash,
                         "content": self.scenario_content(record.scenario_hash)},
            "events": events,
            "snapshots": snapshots,
            "branches": [dataclasses.asdict(b) for b in self.branches(session_id)],
        }

    def import_session(self, data: Mapping[str, Any]) -> SessionRecord:
        """Add an exported session; it keeps its id unless that id is taken here."""
        if not isinstance(data, Mapping) or data.get("format") != EXPORT_FORMAT:
            raise self._fail("not a wargame session export", ImportFileError)
        version = data.get("version", 0)
        if isinstance(version, bool) or not isinstance(version, int):
            raise self._fail("the export version is not a whole number", ImportFileError)
        if version > EXPORT_VERSION:
            raise self._fail(f"written by a newer wargame (export version {version}); "
                             "upgrade wargame", ImportFileError)
        try:
            s = data["session"]
            scenario = data["scenario"]
            with self.transaction() as db:
                sid = s["id"]
                if db.execute("select 1 from sessions where id = ?", [sid]).fetchone():
                    sid = self._new_session_id(db)
                self._put_scenario(db, scenario["content"], scenario["hash"])
                db["sessions"].insert({
                    "id": sid, "scenario_hash": scenario["hash"],
                    "scenario_id": s["scenario_id"], "seed": int(s["seed"]),
                    "turn_limit": s.get("turn_limit"), "timer_seconds": s.get("timer_seconds"),
                    "facilitator_pin": s.get("facilitator_pin_hash"),
                    "created_at": s["created_at"], "updated_at": s["updated_at"],
                    "status": s["status"], "phase": s["phase"], "turn": int(s["turn"]),
                    "parent_session": s.get("parent_session"),
                    "parent_turn": s.get("parent_turn")})
                db["teams"].insert_all([
                    {"session_id": sid, "team_id": t["team"], "position": i,
                     "controller": t["controller"], "pin_hash": t.get("pin_hash")}
                    for i, t in enumerate(s["teams"])])
                db["events"].insert_all([
                    {"session_id": sid, "seq": e["seq"], "branch": e.get("branch", LIVE),
                     "turn": e["turn"], "kind": e["kind"], "payload": dumps(e["payload"]),
                     "created_at": e["created_at"]} for e in data["events"]])
                db["snapshots"].insert_all([
                    {"session_id": sid, "branch": sn.get("branch", LIVE), "turn": sn["turn"],
                     "state": dumps(sn["state"]), "state_hash": sn["state_hash"],
                     "created_at": sn["created_at"]} for sn in data["snapshots"]])
                if data.get("branches"):
                    db["branches"].insert_all([
                        {"session_id": sid, "branch": b["branch"], "from_turn": b["from_turn"],
                         "to_turn": b["to_turn"], "archived_at": b["archived_at"],
                         "reason": b.get("reason", "")} for b in data["branches"]])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self._fail(f"incomplete or damaged ({type(exc).__name__}: "
                             f"{str(exc)[:80]!r})", ImportFileError) from exc
        return self.session(sid)
