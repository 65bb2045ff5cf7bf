"""``make bench``: the speed and memory figures, printed one per line (never asserted in
tests: these machines are shared and noisy). Each part of the product contributes a
``bench()`` returning (name, value, unit) rows; missing parts are skipped with a note."""
from __future__ import annotations

import importlib
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = REPO / "scenarios" / "rare-earth-shock-2025.yaml"
PARTS = ("wargame.store.bench", "wargame.ui.bench_views", "wargame.ui.bench_shell")


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def engine_bench(repeats: int = 300) -> list[tuple[str, float, str]]:
    from wargame.engine import initial_state, resolve_turn
    from wargame.engine.bots import bot_orders
    from wargame.scenario.loader import load_scenario

    sc = load_scenario(DEFAULT_SCENARIO)
    first = initial_state(sc, sc.default_seed)
    # turn 1: standing measures come into force and every team's bot gives an order
    orders = [o for t in sc.teams for o in bot_orders(sc, first, t.id)]
    resolve_turn(sc, first, orders, explain=True)  # warm caches
    busy = _median_ms(lambda: resolve_turn(sc, first, orders, explain=False), repeats)
    explained = _median_ms(lambda: resolve_turn(sc, first, orders, explain=True), max(20, repeats // 5))
    full = _median_ms(lambda: resolve_turn(sc, first, orders, explain=True).indicators,
                      max(20, repeats // 5))
    # a later turn with the measures of turn 1 still active and no new orders
    later = resolve_turn(sc, first, orders, explain=False).state
    later_result = resolve_turn(sc, later, (), explain=False)
    quiet = _median_ms(lambda: resolve_turn(sc, later, (), explain=False), repeats)
    return [
        (f"engine: one turn, no new orders ({len(later_result.state.measures)} measures active), "
         "no explanations (median)", quiet, "ms"),
        (f"engine: turn 1, {len(orders)} new orders, no explanations (median)", busy, "ms"),
        (f"engine: turn 1, {len(orders)} new orders, with explanations (median)", explained, "ms"),
        ("engine: ... and the full indicator dict built (median)", full, "ms"),
    ]


def main() -> int:
    rows: list[tuple[str, float, str]] = []
    rows += engine_bench()
    for name in PARTS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"(skipped {name}: {exc})")
            continue
        rows += module.bench()
    rows.append(("peak memory of this benchmark process",
                 resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "MiB"))
    width = max(len(r[0]) for r in rows)
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:10.2f} {unit}")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
