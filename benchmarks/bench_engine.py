"""Engine speed on the default scenario, as users wait for it: a turn WITH its typed
indicators built (as the app and ``simulate`` always do), with and without explanations.

    python benchmarks/bench_engine.py [--repeats N]

Prints one line per figure (median milliseconds). Timings are never asserted in tests.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import timing  # noqa: E402
from timing import Row, median_ms  # noqa: E402

DEFAULT_SCENARIO = REPO / "scenarios" / "rare-earth-shock-2025.yaml"


def bench(repeats: int = 200) -> list[Row]:
    from wargame.engine import bot_orders, initial_state, resolve_turn, rules_for
    from wargame.scenario.loader import load_scenario

    sc = load_scenario(DEFAULT_SCENARIO)
    rules = rules_for(sc)
    first = initial_state(sc, sc.default_seed)
    # turn 1: standing measures come into force and every team's bot gives an order
    orders = [o for t in sc.teams for o in bot_orders(sc, first, t.id)]
    resolve_turn(sc, first, orders, explain=True).indicators  # warm the compiled rules
    later = resolve_turn(sc, first, orders, explain=False).state
    active = len(resolve_turn(sc, later, (), explain=False).state.measures)

    def turn(state, given, explain: bool, indicators: bool = True) -> None:
        result = resolve_turn(sc, state, given, explain=explain, rules=rules)
        if indicators:
            result.indicators  # noqa: B018 - built on first read, as the app does

    few = max(20, repeats // 5)
    return [
        (f"engine: quiet turn ({active} measures active), indicators built",
         median_ms(lambda: turn(later, (), False), repeats), "ms"),
        (f"engine: turn 1, {len(orders)} bot orders, indicators built",
         median_ms(lambda: turn(first, orders, False), repeats), "ms"),
        (f"engine: turn 1, {len(orders)} bot orders, explanations + indicators",
         median_ms(lambda: turn(first, orders, True), few), "ms"),
        ("engine: (for reference) turn 1 without indicators",
         median_ms(lambda: turn(first, orders, False, indicators=False), repeats), "ms"),
        ("engine: turn 1 resolved into the store's JSON payload (to_dict)",
         median_ms(lambda: resolve_turn(sc, first, orders, explain=False).to_dict(), few), "ms"),
    ]


if __name__ == "__main__":
    sys.exit(timing.main(bench, __doc__.splitlines()[0], 200))
