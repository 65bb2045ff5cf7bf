"""Engine speed on the default scenario: a quiet turn, turn 1 with every team's bot order,
with and without explanations, and with the indicators built (what the app and
``simulate`` do)."""
from __future__ import annotations

import statistics
import time

from wargame.resources import default_scenario_path


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def bench(repeats: int = 300) -> list[tuple[str, float, str]]:
    from wargame.engine import initial_state, resolve_turn
    from wargame.engine.bots import bot_orders
    from wargame.scenario.loader import load_scenario

    sc = load_scenario(default_scenario_path())
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



if __name__ == "__main__":  # pragma: no cover
    for name, value, unit in bench():
        print(f"{name:75s} {value:8.3f} {unit}")
