"""Crash safety: ``wargame simulate --db`` killed with SIGKILL at random points, repeatedly.

Afterwards the file passes ``PRAGMA integrity_check``, every session opens at its last
committed turn (every turn the run reported is committed; at most one more may be), and
``replay --verify`` passes. Seeded, so a failure can be reproduced."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.store import SessionStore
from wargame.session.exercise import Exercise
from wargame.session.replay import replay_session

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml"


def start_simulation(db: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "wargame.cli", "simulate", str(MINI), "--bots", "all",
         "--turns", "150", "--no-explain", "--db", str(db)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_at_random_points_never_damages_a_session(tmp_path, capsys):
    db = tmp_path / "crash.sqlite"
    rng = random.Random(20251201)
    seen: set[str] = set()
    committed_somewhere = 0
    for attempt in range(5):
        proc = start_simulation(db)
        if attempt == 0:
            # early: most likely while importing or creating the session
            time.sleep(rng.uniform(0.0, 0.6))
            head = ""
        else:
            # wait for the first reported turn, then kill at a random later point
            head = proc.stdout.readline()
            while head and not head.startswith("turn"):
                head = proc.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        out = head + out
        assert proc.returncode == -signal.SIGKILL, "the game finished before the kill"
        printed = len(re.findall(r"^turn\s+\d+:", out, flags=re.M))

        with SessionStore(db) as store:
            assert store.integrity_check() == "ok"
            new = [r for r in store.list_sessions() if r.id not in seen]
        assert len(new) <= 1  # a kill during create leaves no session at all
        if printed:
            assert new, "turns were reported but no session was saved"
        for record in new:
            seen.add(record.id)
            ex = Exercise.open(db, record.id)
            committed = ex.committed_turns()
            assert committed == list(range(1, len(committed) + 1))
            # every reported turn was durable before it was reported; one more may be
            assert printed <= len(committed) <= printed + 1
            # it opens at its last committed turn, with that turn's state
            snap = ex.store.latest_snapshot(record.id)
            assert snap.turn == len(committed) + 1
            assert ex.state.content_hash() == snap.state_hash
            report = replay_session(ex.store, record.id)
            assert report.ok, report.summary()
            ex.close()
            assert main(["replay", record.id, "--db", str(db), "--verify"]) == 0
            committed_somewhere += len(committed)
    capsys.readouterr()
    assert committed_somewhere > 0, "no run got as far as a committed turn"
