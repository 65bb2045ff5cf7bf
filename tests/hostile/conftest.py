"""The hostile corpus's shared fixture: each command's peak memory when it refuses an empty
file, the base a refusal may grow on (the corpus itself is ``hostile_corpus.py``)."""
from __future__ import annotations

import pytest
from hostile_corpus import Case, argv_for, run_cli


@pytest.fixture(scope="session")
def baseline_peak_kib(tmp_path_factory) -> dict[str, int]:
    """Peak memory of each command refusing an empty file: what a refusal may grow on."""
    folder = tmp_path_factory.mktemp("baseline")
    empty = folder / "empty.txt"
    empty.write_text("")
    peaks = {}
    for command in ("validate", "scenario", "orders", "import"):
        outcome = run_cli(argv_for(Case("empty", command, lambda _: empty, ""), empty, folder))
        assert outcome.peak_rss_kib > 0, outcome.text
        peaks[command] = outcome.peak_rss_kib
    return peaks
