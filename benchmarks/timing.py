"""Shared by the benchmark scripts: a median of wall-clock runs, and printing the rows."""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable

Row = tuple[str, float, str]  # (what, value, unit)


def median_ms(fn: Callable[[], object], repeats: int,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median milliseconds of ``repeats`` calls (the median shrugs off a noisy machine);
    ``clock=time.process_time`` counts this process's CPU time instead of the wall clock
    (steadier on a shared machine, for work on one thread)."""
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append((clock() - start) * 1000.0)
    return statistics.median(times)


def print_rows(rows: list[Row]) -> None:
    width = max(len(name) for name, _, _ in rows)
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:9.2f} {unit}")


def main(bench: Callable[[int], list[Row]], description: str, repeats: int,
         argv: list[str] | None = None) -> int:
    """The command line of a benchmark script: ``--repeats N``, then its rows printed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=repeats)
    print_rows(bench(parser.parse_args(argv).repeats))
    return 0
