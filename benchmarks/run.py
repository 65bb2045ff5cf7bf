"""``make bench``: the speed and memory figures, printed one per line (never asserted in
tests: these machines are shared and noisy). Each ``benchmarks/bench_*.py`` contributes a
``bench()`` returning (name, value, unit) rows. Run from the repository root:
``python -m benchmarks.run`` (``make bench``). The benchmarks are not part of the product
package: they measure it from outside, on the paths users take."""
from __future__ import annotations

import importlib
import resource
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent


def _parts() -> list[str]:
    """Every ``benchmarks/bench_*.py`` module; each has ``bench() -> [(name, value, unit)]``."""
    return sorted(f"benchmarks.{p.stem}" for p in BENCHMARKS.glob("bench_*.py"))


def main() -> int:
    rows: list[tuple[str, float, str]] = []
    for name in _parts():
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
