"""Store benchmarks: ``bench() -> [(name, value, unit)]`` (wired into ``make bench``).

- ``store.commit_turn``: median time of ``Exercise.commit()`` for one turn of the default
  scenario (its events and the next state's snapshot in one fsync'd transaction, then the
  session row re-read) — the resolution itself is not counted. Target < 20 ms.
- ``store.prepare_turn``: serialising and hashing the proposed result's state, which
  ``resolve()`` does ahead of the commit (the facilitator is reading the proposal then).
- ``store.open_40_turn_session``: ``Exercise.open`` of a 40-turn session (re-validating the
  stored scenario, hashing every snapshot again from its content, loading the latest one
  and the turn's events). Target < 200 ms.
- ``store.replay_verify_40_turns``: folding the 40-turn log again (for information: this is
  engine time).

Run: ``python -m benchmarks.bench_store``.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

TURNS = 40


def _scenario():
    from wargame.scenario.loader import default_scenario_path, load_scenario

    return load_scenario(default_scenario_path())


def bench() -> list[tuple[str, float, str]]:
    from wargame.session.exercise import Exercise, _Prepared
    from wargame.session.replay import replay_session

    scenario = _scenario()
    bots = {t.id: "bot" for t in scenario.teams}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        ex = Exercise.create(db, scenario, seed=1, teams=bots, turn_limit=TURNS)
        commit_ms: list[float] = []
        prepare_ms: list[float] = []
        for _ in range(TURNS):
            if ex.phase == "debrief":
                ex.next_turn()
            ex.begin_orders()
            ex.submit_bot_orders()
            ex.resolve()
            start = time.perf_counter()
            _Prepared.of(ex.proposed)  # what resolve() already did; timed for the record
            prepare_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            ex.commit()
            commit_ms.append((time.perf_counter() - start) * 1000)
        session_id = ex.id
        ex.close()

        open_ms: list[float] = []
        for _ in range(5):
            start = time.perf_counter()
            again = Exercise.open(db, session_id)
            _ = again.state.turn
            open_ms.append((time.perf_counter() - start) * 1000)
            again.close()

        from wargame.store.store import SessionStore

        with SessionStore(db) as store:
            start = time.perf_counter()
            report = replay_session(store, session_id)
            replay_ms = (time.perf_counter() - start) * 1000
        if not report.ok:  # pragma: no cover - would be a bug, not a timing
            raise RuntimeError(report.summary())
        size_kb = db.stat().st_size / 1024
    return [
        ("store.commit_turn (median)", statistics.median(commit_ms), "ms"),
        ("store.commit_turn (max)", max(commit_ms), "ms"),
        ("store.prepare_turn (median, during resolve)", statistics.median(prepare_ms), "ms"),
        (f"store.open_{TURNS}_turn_session (median)", statistics.median(open_ms), "ms"),
        (f"store.replay_verify_{TURNS}_turns", replay_ms, "ms"),
        (f"store.db_size_{TURNS}_turns", size_kb, "KiB"),
    ]


if __name__ == "__main__":  # pragma: no cover
    for name, value, unit in bench():
        print(f"{name:<40} {value:10.2f} {unit}")
