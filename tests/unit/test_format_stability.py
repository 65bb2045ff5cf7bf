"""Format stability: every shipped scenario's first released version keeps loading with
the current build (an older format is upgraded in memory) and still plays."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import initial_state, resolve_turn
from wargame.scenario.loader import default_scenario_path, find_scenarios, read_scenario
from wargame.scenario.model import SCHEMA_VERSION

RELEASED = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "released"
FIRST_RELEASES = sorted(RELEASED.glob("*.first-release.yaml"))


def test_every_shipped_scenario_has_its_first_release_kept():
    shipped = {p.stem for p in find_scenarios(default_scenario_path().parent)}
    kept = {p.name.removesuffix(".first-release.yaml") for p in FIRST_RELEASES}
    assert shipped <= kept, f"copy the first release of {sorted(shipped - kept)} here"


@pytest.mark.parametrize("path", FIRST_RELEASES, ids=[p.name for p in FIRST_RELEASES])
def test_a_first_release_loads_and_plays(path):
    loaded = read_scenario(path)
    scenario = loaded.scenario
    assert scenario.schema_version == SCHEMA_VERSION
    result = resolve_turn(scenario, initial_state(scenario), explain=False)
    assert result.turn == 1 and result.ledger_gap < 1e-6
