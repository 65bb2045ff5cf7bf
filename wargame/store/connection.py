"""The session database file: opening it safely, migrating it, one connection per thread,
and atomic transactions. ``SessionStore`` (``wargame.store.store``) builds on this.

- A file that is not SQLite (or is corrupt) is refused before anything is written to it.
- A file written by a newer schema is refused, checked through a read-only connection, so
  its bytes are left exactly as they were.
- A read-only file opens read-only: reading works, writing raises ``StoreError``.
- Every sqlite error (disk full, locked, malformed) becomes a ``StoreError`` naming the file
  and the problem; the transaction in progress is rolled back.
- First open and migrations are serialised: the busy timeout is set before the switch to
  WAL (which needs the write lock), pending migrations are applied inside one
  ``BEGIN IMMEDIATE`` transaction and re-checked there, and opening is retried with a
  growing, jittered pause while another process holds the lock. Many processes may open
  one new file at once (tests/unit/test_store_concurrency.py starts eight).

Threads: sqlite-utils opens connections with ``check_same_thread=True``, so a ``Database``
may only be used by the thread that made it. ``StoreFile.db`` hands each thread its own
connection (thread-local), so one store can be shared by a UI thread and workers.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from wargame.store.errors import StoreError
from wargame.store.paths import default_db_path
from wargame.store.schema import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
OPEN_RETRY_SECONDS = 60.0  # first open and migrations wait this long for other openers



# --------------------------------------------------------------------------- helpers


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    if hasattr(obj, "model_dump"):  # pydantic models (typed payloads)
        return obj.model_dump(mode="json")
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"cannot store {type(obj).__name__} as JSON")


def dumps(obj: Any) -> str:
    """Compact JSON; a number that is not finite (NaN, infinity) is refused with
    ``ValueError``: it would be invalid JSON and poison every later check."""
    return json.dumps(obj, separators=(",", ":"), default=_json_default, allow_nan=False)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


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


def _is_busy(exc: BaseException) -> bool:
    """SQLite's "another connection holds the lock" (SQLITE_BUSY / SQLITE_LOCKED)."""
    cause = exc.__cause__ if isinstance(exc, StoreError) else exc
    if not isinstance(cause, sqlite3.OperationalError):
        return False
    text = str(cause).lower()
    return "locked" in text or "busy" in text




class StoreFile:
    """One SQLite session database, opened (created or upgraded) safely."""

    def __init__(self, path: str | os.PathLike | None = None, *, memory: bool = False):
        """``memory=True``: a database in memory, for one thread, gone when closed (a
        headless run that keeps nothing: no file, no disk writes)."""
        self.memory = memory
        self.path = Path(":memory:") if memory else (
            Path(path) if path is not None else default_db_path())
        self.readonly = False
        self._local = threading.local()
        self._memory_thread = threading.get_ident()
        self._open_with_retry()

    # ---- opening, checks and migrations

    def _fail(self, problem: str, cls: type[StoreError] = StoreError) -> StoreError:
        return cls(self.path, problem)

    def _open_with_retry(self) -> None:
        """``_open``, retried with a growing, jittered pause while another process holds
        the database's write lock (it is creating or migrating the same file)."""
        deadline = time.monotonic() + OPEN_RETRY_SECONDS
        pause = 0.01
        while True:
            try:
                self._open()
                return
            except StoreError as exc:
                self.close()
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 0.5)

    def _open(self) -> None:
        if self.memory:
            self._migrate()
            return
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
        self._migrate()

    def _migrate(self) -> None:
        """Apply pending migrations inside one ``BEGIN IMMEDIATE`` transaction: other
        openers wait for it (or retry), then find nothing pending."""
        db = self.db
        try:
            if not self._unknown_or_pending(db):
                return
            with self.transaction():
                if self._unknown_or_pending(db):
                    MIGRATIONS.apply(db)
        except sqlite3.Error as exc:
            raise self._fail(_describe(exc)) from exc

    def _unknown_or_pending(self, db: Database) -> bool:
        applied = [m.name for m in MIGRATIONS.applied(db)]
        unknown = [name for name in applied if name not in MIGRATION_NAMES]
        if unknown:  # only possible if the version check read a stale file
            raise self._fail(f"written by a newer version of wargame (migration "
                             f"{unknown[0]}); upgrade wargame to open it")
        return bool(MIGRATIONS.pending(db))

    def _ro_connect(self) -> sqlite3.Connection:
        """A read-only connection. Without a WAL file beside the database it is also
        ``immutable``, so SQLite creates no ``-wal``/``-shm`` files either; with one (a
        session not yet checkpointed) the WAL must be read, so it is not."""
        uri = self.path.resolve().as_uri() + "?mode=ro"
        if not Path(f"{self.path}-wal").exists():
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn

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
            if _is_busy(exc):
                raise self._fail(_describe(exc)) from exc
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
                if self.memory:
                    if threading.get_ident() != self._memory_thread:
                        raise self._fail("a database in memory belongs to the thread that "
                                         "made it")
                    db = Database(memory=True, execute_plugins=False)
                elif self.readonly:
                    db = Database(self._ro_connect(), execute_plugins=False)
                else:
                    db = Database(self.path, execute_plugins=False)
                    # the busy timeout first: switching to WAL needs the write lock
                    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                    db.execute("PRAGMA journal_mode = WAL")
                    db.execute("PRAGMA synchronous = FULL")
                db.execute("PRAGMA foreign_keys = ON")
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

    def __enter__(self) -> Self:
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

