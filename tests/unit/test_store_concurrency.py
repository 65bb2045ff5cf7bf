"""Many processes on one database file at once: first open, migrations and writes serialise
and retry instead of failing with "locked" (issue 10, item 9: four ``simulate --db`` started
together on a new file failed 8 times in 20).

Real processes, released together by a start file so they collide on purpose."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wargame.store import SCHEMA_VERSION, SessionStore
from wargame.store.schema import MIGRATION_NAMES

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml"
FIXTURES = REPO / "tests" / "fixtures"

# each worker waits for the start file, then opens the store, creates a session and
# appends a few events, each in its own transaction
WORKER = r"""
import sys, time
from pathlib import Path
db, go, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
from wargame.store import SessionStore, TeamSetup
with SessionStore(db) as store:
    record = store.create_session({"id": "demo", "title": "Demo"}, "e" * 64, n,
                                  [TeamSetup("beijing", "bot")], {"turn": 1}, "a" * 64)
    for i in range(5):
        store.append_event(record.id, 1, "note", {"text": f"worker {n} note {i}"},
                           expect=store.expected(record.id))
print(record.id)
"""


def start_together(commands: list[list[str]], tmp_path: Path) -> list[subprocess.CompletedProcess]:
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [subprocess.Popen([c.replace("{go}", str(go)) for c in command], cwd=REPO,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for command in commands]
    time.sleep(0.3)  # let every interpreter start and wait for the start file
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


@pytest.mark.slow
def test_eight_processes_create_sessions_on_one_new_file(tmp_path):
    db = tmp_path / "new.sqlite"
    commands = [[sys.executable, "-c", WORKER, str(db), "{go}", str(n)] for n in range(8)]
    results = start_together(commands, tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr
    with SessionStore(db) as store:
        assert store.integrity_check() == "ok"
        assert store.schema_version == SCHEMA_VERSION
        sessions = store.list_sessions()
        assert sorted(r.seed for r in sessions) == list(range(8))
        for record in sessions:
            notes = [e.payload["text"] for e in store.events(record.id, kinds=["note"])]
            assert notes == [f"worker {record.seed} note {i}" for i in range(5)]
        applied = [r[0] for r in store.db.execute("select name from _sqlite_migrations")]
    assert applied == list(MIGRATION_NAMES)  # each migration applied exactly once


@pytest.mark.slow
def test_six_processes_upgrade_one_old_file_once(tmp_path):
    db = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "store_v1.sqlite", db)
    script = ("import sys, time\nfrom pathlib import Path\n"
              "while not Path(sys.argv[2]).exists(): time.sleep(0.001)\n"
              "from wargame.store import SessionStore\n"
              "with SessionStore(sys.argv[1]) as s: print(len(s.list_sessions()))\n")
    results = start_together([[sys.executable, "-c", script, str(db), "{go}"]
                              for _ in range(6)], tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "1"
    with sqlite3.connect(db) as conn:
        applied = [r[0] for r in conn.execute("select name from _sqlite_migrations")]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert applied == list(MIGRATION_NAMES)


@pytest.mark.slow
def test_four_simulations_started_at_once_on_a_new_file_all_succeed(tmp_path):
    db = tmp_path / "sim.sqlite"
    launcher = ("import sys, time\nfrom pathlib import Path\n"
                "while not Path(sys.argv[1]).exists(): time.sleep(0.001)\n"
                "from wargame.cli import main\nsys.exit(main(sys.argv[2:]))\n")
    commands = [[sys.executable, "-c", launcher, "{go}", "simulate", str(MINI), "--bots",
                 "all", "--turns", "3", "--no-explain", "--quiet", "--seed", str(n),
                 "--db", str(db)] for n in range(4)]
    results = start_together(commands, tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "saved as session" in result.stdout
    with SessionStore(db) as store:
        assert store.integrity_check() == "ok"
        assert sorted(r.seed for r in store.list_sessions()) == [0, 1, 2, 3]
