"""Shared by the benchmark scripts: a median of wall-clock runs, and printing the rows."""
from __future__ import annotations

import statistics
import time
from typing import Callable

Row = tuple[str, float, str]  # (what, value, unit)


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    """Median milliseconds of ``repeats`` calls (the median shrugs off a noisy machine)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def print_rows(rows: list[Row]) -> None:
    width = max(len(name) for name, _, _ in rows)
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:9.2f} {unit}")
