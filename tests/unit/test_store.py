"""SessionStore on its own (no engine): round trips, migrations, refusals, bad files, PINs,
rewind/fork bookkeeping, threads. States here are hand-made dicts."""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from wargame.store import (
    SCHEMA_VERSION,
    SessionNotFound,
    SessionStore,
    StoreError,
    TeamSetup,
    hash_pin,
    verify_pin,
)
from wargame.store.schema import MIGRATION_NAMES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sessions.sqlite"


@pytest.fixture
def store(db_path: Path):
    with SessionStore(db_path) as s:
        yield s


def make_session(store: SessionStore, **kw):
    content = {"id": "demo", "title": "Demo", "turns": 6}
    teams = kw.pop("teams", [TeamSetup("beijing", "bot"), TeamSetup("brussels", "human")])
    return store.create_session(content, "e" * 64, kw.pop("seed", 5), teams,
                                {"turn": 1, "x": [1.5, 2.0]}, "51" * 32, **kw)


def play(store: SessionStore, sid: str, turns: int) -> None:
    """Append a fake turn's worth of events and snapshots, ``turns`` times."""
    for _ in range(turns):
        turn = store.session(sid).turn
        store.append_event(sid, turn, "orders_submitted",
                           {"team": "brussels", "orders": [{"move": "m", "turn": turn}]},
                           update={"phase": "orders"})
        store.commit_turn(sid, [(turn, "turn_resolved", {"result": {"turn": turn}})],
                          {"turn": turn + 1}, f"{turn + 1:064d}", turn + 1,
                          update={"phase": "debrief"})
        store.append_event(sid, turn + 1, "phase", {"phase": "briefing"},
                           update={"phase": "briefing", "turn": turn + 1})


# ---------------------------------------------------------------- basics and round trips


def test_new_database_is_at_the_current_schema_in_wal_mode(store):
    assert store.schema_version == SCHEMA_VERSION >= 2
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    applied = [r[0] for r in store.db.execute("select name from _sqlite_migrations")]
    assert applied == list(MIGRATION_NAMES)


def test_session_record_round_trips(store):
    record = make_session(store, turn_limit=6, timer_seconds=300,
                          facilitator_pin_hash=hash_pin("fac-pin"))
    again = store.session(record.id)
    assert again == record
    assert store.list_sessions() == [record]
    assert dataclasses.replace(again) == record


def test_events_and_snapshots_round_trip(store):
    record = make_session(store)
    payload = {"team": "brussels", "orders": [{"id": "t1-brussels-1", "move": "offtake",
                                                "params": {"share": 0.25, "actor": "CHN"}}],
               "nested": {"nan_free": [1, 2.5, None, True, "é"]}}
    event = store.append_event(record.id, 1, "orders_submitted", payload)
    assert store.events(record.id)[-1] == event
    assert event.payload == payload
    state = {"turn": 2, "array": {"shape": [2], "data": [0.1, 1e-300]}, "rng": {"s": 2**120}}
    store.commit_turn(record.id, [(1, "turn_resolved", {"result": {}})], state, "ab" * 32, 2)
    snap = store.snapshot(record.id, 2)
    assert snap.state == state and snap.state_hash == "ab" * 32
    assert store.latest_snapshot(record.id) == snap


def test_scenario_content_is_stored_whole_and_shared_by_hash(store):
    a = make_session(store)
    b = make_session(store)
    assert a.scenario_hash == b.scenario_hash
    assert store.scenario_content(a.scenario_hash) == {"id": "demo", "title": "Demo",
                                                       "turns": 6}
    assert store.db["scenarios"].count == 1


def test_unknown_session_and_prefixes(store):
    record = make_session(store)
    assert store.resolve_id(record.id[:4]) == record.id
    with pytest.raises(SessionNotFound, match="no session 'nope'"):
        store.resolve_id("nope")
    with pytest.raises(SessionNotFound):
        store.session("nope")


def test_create_is_all_or_nothing(store):
    # two set-ups for the same team break the teams primary key mid-transaction
    with pytest.raises(StoreError):
        make_session(store, teams=[TeamSetup("beijing"), TeamSetup("beijing")])
    assert store.list_sessions() == []
    assert store.db["snapshots"].count == 0 and store.db["events"].count == 0


# ---------------------------------------------------------------- PINs


def test_pin_is_salted_and_never_stored_in_clear(db_path):
    team_pin, fac_pin = "zebra-4711", "walrus-0815"
    with SessionStore(db_path) as store:
        record = make_session(store, teams=[TeamSetup.make("beijing", "human", team_pin),
                                            TeamSetup.make("brussels", "human", team_pin)],
                              facilitator_pin_hash=hash_pin(fac_pin))
        exported = repr(store.export_session(record.id))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("sessions.sqlite*"))
    for pin in (team_pin, fac_pin):
        assert pin.encode() not in raw
        assert pin not in exported
    with SessionStore(db_path) as store:
        record = store.session(record.id)
    a, b = (t.pin_hash for t in record.teams)
    assert a != b  # salted: same PIN, different hashes
    assert record.team("beijing").check_pin(team_pin)
    assert not record.team("beijing").check_pin("zebra-4712")
    assert verify_pin(fac_pin, record.facilitator_pin_hash)
    assert not verify_pin("", record.facilitator_pin_hash)
    assert verify_pin("anything", None)  # no PIN set


# ---------------------------------------------------------------- migrations


def test_version_1_fixture_opens_and_upgrades(tmp_path):
    source = FIXTURES / "store_v1.sqlite"
    path = tmp_path / "old.sqlite"
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    with SessionStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [record] = store.list_sessions()
        assert (record.id, record.turn, record.seed) == ("v1sessn", 3, 11)
        assert [t.team for t in record.teams] == ["beijing", "brussels"]
        events = store.events(record.id)
        assert [e.seq for e in events] == list(range(1, 9))
        assert all(e.branch == 0 for e in events)
        assert events[5].payload == {"text": "written by schema version 1"}
        assert store.snapshot_hashes(record.id) == {1: "a" * 64, 2: "b" * 64, 3: "c" * 64}
        # the version-2 feature works on the upgraded file
        branch = store.rewind(record.id, 2, reason="after upgrade")
        assert branch.branch == 1 and store.snapshot_hashes(record.id, branch=1) == {
            3: "c" * 64}
        assert store.integrity_check() == "ok"
    with SessionStore(path) as store:  # and opens again without re-migrating
        assert store.schema_version == SCHEMA_VERSION


def test_fixture_script_reproduces_a_version_1_file(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_store_v1",
                                                  FIXTURES / "make_store_v1.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.make(tmp_path / "v1.sqlite")
    with sqlite3.connect(made) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        cols = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
        assert "branch" not in cols


@pytest.mark.parametrize("journal", ["wal", "delete"])
@pytest.mark.parametrize("how", ["user_version", "migration_name"])
def test_newer_database_is_refused_and_left_untouched(db_path, how, journal):
    with SessionStore(db_path) as store:
        make_session(store)
        if how == "user_version":
            store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        else:
            store.db["_sqlite_migrations"].insert(
                {"migration_set": "wargame", "name": "m099_from_the_future",
                 "applied_at": "2030-01-01"})
        store.db.execute(f"PRAGMA journal_mode = {journal}")
    before = file_digest(db_path)
    with pytest.raises(StoreError, match="newer version of wargame") as info:
        SessionStore(db_path)
    assert str(db_path) in str(info.value)
    assert file_digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize("content", [
    b"this is a text file, not a database\n" * 50,
    b"\x00\x01\x02garbage" * 400,
    b"SQLite format 3\x00" + b"\xff" * 4000,  # right header, corrupt body
])
def test_corrupt_or_foreign_file_gives_clear_error_and_is_untouched(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        with SessionStore(db_path) as store:
            store.list_sessions()
    message = str(info.value)
    assert str(db_path) in message
    assert "corrupt" in message or "not a SQLite" in message or "malformed" in message
    assert db_path.read_bytes() == content


def test_other_sqlite_database_is_refused(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("create table photos (id integer primary key)")
    before = file_digest(db_path)
    with pytest.raises(StoreError, match="not a wargame session database"):
        SessionStore(db_path)
    assert file_digest(db_path) == before


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        SessionStore(tmp_path)


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_read_only_file_reads_but_refuses_writes(db_path, journal):
    with SessionStore(db_path) as store:
        record = make_session(store)
        store.db.execute(f"PRAGMA journal_mode = {journal}")
    db_path.chmod(0o444)
    before = file_digest(db_path)
    try:
        with SessionStore(db_path) as store:
            assert store.readonly
            assert [r.id for r in store.list_sessions()] == [record.id]
            with pytest.raises(StoreError, match="read-only") as info:
                store.append_event(record.id, 1, "note", {"text": "hi"})
            assert str(db_path) in str(info.value)
            with pytest.raises(StoreError, match="read-only"):
                make_session(store)
    finally:
        db_path.chmod(0o644)
    assert file_digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_full_disk_gives_clear_error_and_keeps_what_was_saved(store):
    record = make_session(store)
    play(store, record.id, 1)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 1}")  # the disk is now "full"
    huge = {"turn": 3, "blob": "x" * 200_000}
    with pytest.raises(StoreError, match="disk is full") as info:
        store.commit_turn(record.id, [(2, "turn_resolved", {"result": {}})], huge, "f" * 64, 3)
    assert str(store.path) in str(info.value)
    assert store.db.execute("PRAGMA max_page_count = 1000000").fetchone()
    assert store.snapshot_hashes(record.id) == {1: "51" * 32, 2: f"{2:064d}"}
    assert [e.kind for e in store.events(record.id, turn=2)] == ["phase"]
    assert store.integrity_check() == "ok"


def test_missing_folder_is_created(tmp_path):
    path = tmp_path / "a" / "b" / "s.sqlite"
    with SessionStore(path) as store:
        make_session(store)
    assert path.exists()


# ---------------------------------------------------------------- rewind, fork, export


def test_rewind_archives_later_turns_instead_of_deleting(store):
    record = make_session(store)
    play(store, record.id, 4)  # now at turn 5
    total = store.db["events"].count
    branch = store.rewind(record.id, 2, reason="what if")
    assert (branch.branch, branch.from_turn, branch.to_turn, branch.reason) == (
        1, 2, 5, "what if")
    after = store.session(record.id)
    assert (after.turn, after.phase, after.status) == (2, "briefing", "active")
    assert sorted(store.snapshot_hashes(record.id)) == [1, 2]
    assert sorted(store.snapshot_hashes(record.id, branch=1)) == [3, 4, 5]
    live = store.events(record.id)
    assert max(e.turn for e in live) == 2 and live[-1].kind == "rewound"
    archived = store.events(record.id, branch=1)
    assert {e.turn for e in archived} == {2, 3, 4, 5}
    assert store.db["events"].count == total + 1  # nothing deleted
    # play on, rewind again: a second branch, the first one untouched
    play(store, record.id, 2)
    store.rewind(record.id, 1)
    assert [b.branch for b in store.branches(record.id)] == [1, 2]
    assert sorted(store.snapshot_hashes(record.id, branch=1)) == [3, 4, 5]
    with pytest.raises(StoreError, match="cannot rewind to turn 9"):
        store.rewind(record.id, 9)


def test_fork_copies_the_log_up_to_the_turn(store):
    record = make_session(store, turn_limit=6)
    play(store, record.id, 3)
    fork = store.fork(record.id, 2)
    assert fork.id != record.id
    assert (fork.parent_session, fork.parent_turn, fork.turn, fork.phase) == (
        record.id, 2, 2, "briefing")
    assert fork.teams == record.teams and fork.seed == record.seed
    assert store.snapshot_hashes(fork.id) == {t: h for t, h in
                                              store.snapshot_hashes(record.id).items() if t <= 2}
    copied = [(e.seq, e.kind, e.payload) for e in store.events(fork.id) if e.kind != "forked"]
    original = [(e.seq, e.kind, e.payload) for e in store.events(record.id) if e.turn < 2]
    assert copied == original
    assert store.session(record.id).turn == 4  # the original is untouched


def test_export_import_round_trip_with_new_id_on_collision(tmp_path, store):
    record = make_session(store, facilitator_pin_hash=hash_pin("f-pin"))
    play(store, record.id, 3)
    store.rewind(record.id, 2)
    data = store.export_session(record.id)
    with SessionStore(tmp_path / "other.sqlite") as other:
        imported = other.import_session(data)
        assert imported == store.session(record.id)  # same id: no collision there
        assert other.export_session(imported.id) == data
    again = store.import_session(data)  # collides here: new id, same content
    assert again.id != record.id
    assert dataclasses.replace(again, id=record.id) == store.session(record.id)
    exported = store.export_session(again.id)
    assert exported["events"] == data["events"] and exported["snapshots"] == data["snapshots"]
    assert exported["branches"] == data["branches"]
    with pytest.raises(StoreError, match="not a wargame session export"):
        store.import_session({"hello": 1})


def test_threads_each_get_their_own_connection(store):
    record = make_session(store)
    seen: list = []
    errors: list = []

    def worker(n: int) -> None:
        try:
            store.append_event(record.id, 1, "note", {"text": f"from thread {n}"})
            seen.append(id(store.db))
            store.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert id(store.db) not in seen
    notes = [e.payload["text"] for e in store.events(record.id, kinds=["note"])]
    assert sorted(notes) == [f"from thread {n}" for n in range(4)]


def test_newer_version_only_in_an_uncheckpointed_wal_is_still_refused(db_path):
    with SessionStore(db_path) as store:
        make_session(store)
    writer = sqlite3.connect(db_path)  # another program, still running
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        writer.commit()
        assert Path(f"{db_path}-wal").stat().st_size > 0
        with pytest.raises(StoreError, match="newer version of wargame"):
            SessionStore(db_path)
    finally:
        writer.close()


def test_default_location_is_the_user_data_directory(monkeypatch):
    import platformdirs

    from wargame.store import default_db_path

    monkeypatch.delenv("WARGAME_DB", raising=False)
    path = default_db_path()
    assert path.parent == platformdirs.user_data_path("wargame", appauthor=False)
    assert path.name == "sessions.sqlite"
    monkeypatch.setenv("WARGAME_DB", "/somewhere/else.sqlite")
    assert default_db_path() == Path("/somewhere/else.sqlite")


def test_team_setup_rejects_unknown_controllers():
    with pytest.raises(ValueError, match="controller"):
        TeamSetup("beijing", "robot")
    assert TeamSetup.make("beijing", "bot").is_bot
