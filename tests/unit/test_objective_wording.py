"""Objectives are read by teams (issue 9, item 11): an objective that counts against a
team (negative weight) names the quantity and says "the lower, the better"; none is worded
as a reduction ("Less ...", "Reduce ..."), which with a negative weight reads as a double
negative."""
from pathlib import Path

import pytest

from wargame.scenario.loader import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
REDUCING = ("less ", "reduce ", "fewer ", "lower ", "avoid ", "no ", "cut ", "minimise ",
            "minimize ")


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_objectives_have_no_double_negatives(path):
    scenario = load_scenario(path)
    for team in scenario.teams:
        for objective in team.objectives:
            label = (objective.label or "").strip()
            if not label:
                continue
            assert not label.lower().startswith(REDUCING), (team.id, label)
            if objective.weight < 0:
                assert "the lower, the better" in label, (team.id, label)
