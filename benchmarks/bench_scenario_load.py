"""Scenario loading speed (issue 9 item 14): parse + validate + cross-checks of the shipped
scenario, the way ``wargame validate``, ``simulate`` and the app's start screen load it.

    python benchmarks/bench_scenario_load.py            # figures, one per line
    python benchmarks/bench_scenario_load.py --check    # exit 1 above the 150 ms target

Rows are ``name value unit`` (the shape ``wargame.bench`` prints). ``bench()`` returns them
for ``make bench``. The ruamel.yaml pure-Python compose (what the loader used before) is
measured as a reference. Timings belong here, never in tests.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = REPO / "scenarios" / "rare-earth-shock-2025.yaml"
TARGET_MS = 150.0

_FIRST_LOAD = """\
import time
start = time.perf_counter()
from wargame.scenario.loader import load_scenario
imported = time.perf_counter()
load_scenario({path!r})
done = time.perf_counter()
print((imported - start) * 1000, (done - imported) * 1000)
"""


def _median_ms(fn, repeats: int) -> float:
    return statistics.median(timeit.repeat(fn, number=1, repeat=repeats)) * 1000.0


def bench(repeats: int = 15, reference: bool = True) -> list[tuple[str, float, str]]:
    from wargame.scenario.loader import load_scenario
    from wargame.scenario.yaml_reader import parse_yaml

    path = DEFAULT_SCENARIO
    text = path.read_text(encoding="utf-8")
    load_scenario(path)  # warm: imports, pydantic's compiled validators
    rows = [
        ("scenario_load_ms (parse + validate + checks, warm)",
         _median_ms(lambda: load_scenario(path), repeats), "ms"),
        ("scenario_parse_ms (YAML -> data with positions)",
         _median_ms(lambda: parse_yaml(text, str(path)), repeats), "ms"),
    ]
    out = subprocess.run([sys.executable, "-c", _FIRST_LOAD.format(path=str(path))],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    if out.returncode == 0:
        imports_ms, first_ms = map(float, out.stdout.split())
        rows += [("scenario_loader_import_ms (fresh process)", imports_ms, "ms"),
                 ("scenario_first_load_ms (fresh process, after imports)", first_ms, "ms")]
    if reference:
        from ruamel.yaml import YAML

        rows.append(("reference_ruamel_pure_compose_ms (the loader before)",
                     _median_ms(lambda: YAML(typ="safe", pure=True).compose(text), 3), "ms"))
    return rows


def main(argv: list[str]) -> int:
    rows = bench()
    for name, value, unit in rows:
        print(f"{name:<58} {value:10.1f} {unit}")
    load_ms = rows[0][1]
    verdict = "within" if load_ms <= TARGET_MS else "ABOVE"
    print(f"scenario load {load_ms:.0f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 1 if "--check" in argv and load_ms > TARGET_MS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
