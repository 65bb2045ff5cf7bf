"""Sweep speed: ``wargame sweep`` of the default scenario with every team a bot, 12 turns,
batched through the engine and spread over one process per CPU with joblib (the default);
the issue's target is 10,000 games in under 60 s on a 2-core machine. Also the batched
engine alone in this process (CPU per game-turn and game-turns per CPU second), the
output written as Parquet, and the host's load average before the runs (other work on a
shared host slows the wall-clock figures).

``--games N`` (or ``WARGAME_BENCH_SWEEP_GAMES``) for a shorter run; the default is the
target's 10,000. Run: ``python -m benchmarks.bench_sweep``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

try:
    from benchmarks import timing
except ImportError:  # run as a script
    import timing  # type: ignore[no-redef]

TURNS = 12
TARGET_GAMES = 10_000


def bench(games: int | None = None) -> list[timing.Row]:
    from wargame.analysis.engine_adapter import BotSpec
    from wargame.analysis.runners import JoblibRunner, SerialRunner
    from wargame.analysis.sweep import run_sweep
    from wargame.analysis.sweep_output import parquet_available, write_sweep_folder
    from wargame.analysis.sweep_plan import plan_sweep
    from wargame.analysis.sweep_summary import summarise
    from wargame.resources import default_scenario_path
    from wargame.scenario.loader import load_scenario

    games = games or int(os.environ.get("WARGAME_BENCH_SWEEP_GAMES", TARGET_GAMES))
    scenario = load_scenario(default_scenario_path())
    bots = tuple(BotSpec(t.id) for t in scenario.teams)
    workers = os.cpu_count() or 1
    load = os.getloadavg()[0]  # other work on the host slows the wall-clock figures

    small = plan_sweep(scenario, 64, 1, TURNS, bots)
    start = time.process_time()
    run_sweep(small, SerialRunner(), progress=False)
    serial_us = (time.process_time() - start) / (64 * TURNS) * 1e6

    plan = plan_sweep(scenario, games, 1, TURNS, bots)
    start = time.perf_counter()
    results = run_sweep(plan, JoblibRunner(workers), progress=False)
    wall = time.perf_counter() - start
    rows = [
        ("sweep: host load average (1 min) before the runs, on "
         f"{os.cpu_count() or 1} CPUs", load, ""),
        ("sweep: batched engine in one process, CPU per game-turn (64 games)", serial_us, "us"),
        ("sweep: game-turns per CPU second in one process (serial)", 1e6 / serial_us, "/s"),
        (f"sweep: {games:,} games x {TURNS} turns, {workers} worker processes, wall time",
         wall, "s"),
        (f"sweep: game-turns per second, {workers} worker processes (joblib)",
         games * TURNS / wall, "/s"),
    ]
    if games != TARGET_GAMES:
        rows.append((f"sweep: {TARGET_GAMES:,} games x {TURNS} turns at that rate (target < 60 s)",
                     TARGET_GAMES * wall / games, "s"))
    fmt = "parquet" if parquet_available() else "csv"
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_sweep_folder(Path(folder), results, summarise(results), [], fmt, {})
        rows.append((f"sweep: summary and tables written ({fmt})", time.perf_counter() - start,
                     "s"))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int)
    timing.print_rows(bench(parser.parse_args().games))
    sys.exit(0)
