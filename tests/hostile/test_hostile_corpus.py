"""Every file of the hostile corpus is refused cleanly by the real command: exit code 2,
the file named, what is wrong said, no traceback, and bounded memory (a ceiling on the
child, and its peak within 100 MB of the same command refusing an empty file)."""
from __future__ import annotations

import dataclasses

import pytest

from hostile_corpus import CASES, MAX_GROWTH_KIB, argv_for, run_cli


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file_is_refused_cleanly(case, tmp_path, baseline_peak_kib):
    path = case.make(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    writes = any("OUT" in arg for arg in case.extra_args)  # the output file is at fault
    case = dataclasses.replace(case, extra_args=tuple(
        arg.replace("OUT", str(out_dir)) for arg in case.extra_args))
    outcome = run_cli(argv_for(case, path, tmp_path), case.limits)
    assert outcome.code == 2, outcome.text
    assert "Traceback" not in outcome.text
    if "--seed" not in case.extra_args:  # an option, not a file, is at fault
        assert str(out_dir if writes else path) in outcome.text, outcome.text
    assert case.says in outcome.text, outcome.text
    assert 0 < outcome.peak_rss_kib - baseline_peak_kib[case.command] < MAX_GROWTH_KIB \
        or outcome.peak_rss_kib <= baseline_peak_kib[case.command], (
        outcome.peak_rss_kib, baseline_peak_kib[case.command])
