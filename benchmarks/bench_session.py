"""Session benchmarks: ``bench() -> [(name, value, unit)]`` (wired into ``make bench``).

- ``session.simulate_12_turns``: ``wargame simulate``'s one game loop
  (``wargame.session.headless``: every turn through an ``Exercise`` on a database in memory,
  as the app plays it) for a 12-turn all-bot game of the shipped scenario, with and without
  explanations; median of 3, the scenario already loaded.
- ``session.engine_only_12_turns``: the same game through ``run_game`` (the engine alone,
  indicators built as ``simulate`` prints them), for comparison: the difference is what the
  session costs (events, snapshots, checks).
- ``session.view_for_public_12_turns``: ``Exercise.view_for(public)`` after those 12 turns.

Run: ``python -m benchmarks.bench_session``.
"""
from __future__ import annotations

from benchmarks.timing import median_ms


def bench(repeats: int = 3) -> list[tuple[str, float, str]]:
    from wargame.engine import run_game
    from wargame.scenario.loader import default_scenario_path, load_scenario
    from wargame.session.exercise import Exercise
    from wargame.session.headless import play_headless, simulate
    from wargame.session.visibility import PUBLIC
    from wargame.store import SessionStore

    scenario = load_scenario(default_scenario_path())
    bots = [t.id for t in scenario.teams]
    rows = []
    for explain in (True, False):
        label = "explained" if explain else "unexplained"
        simulate(scenario, seed=1, turns=1, orders=(), bots=bots, explain=explain)  # warm
        rows.append((f"session.simulate_12_turns ({label})", median_ms(
            lambda: simulate(scenario, seed=1, turns=12, orders=(), bots=bots,
                             explain=explain), repeats), "ms"))
        rows.append((f"session.engine_only_12_turns ({label})", median_ms(
            lambda: [r.indicators for r in run_game(scenario, seed=1, turns=12, bots=bots,
                                                    explain=explain)], repeats), "ms"))
    store = SessionStore(memory=True)
    ex = Exercise.create(store, scenario, seed=1, teams={t: "bot" for t in bots},
                         explain=False)
    play_headless(ex, 12)
    rows.append(("session.view_for_public_12_turns",
                 median_ms(lambda: ex.view_for(PUBLIC), repeats), "ms"))
    store.close()
    return rows


if __name__ == "__main__":  # pragma: no cover
    import sys

    from benchmarks.timing import main

    sys.exit(main(bench, "session benchmarks", 3))
