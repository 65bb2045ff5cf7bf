"""Sector demand answers price by the sector's own elasticity (issue 8 item 3), so a sector
that buys at almost any price (defence) is not "priced out": with its materials delivered in
full, its supply met stays near 1 while civilian sectors give up demand at high prices; when
material is really short, priority rationing decides. An elasticity of 0 means never priced
out."""
from __future__ import annotations

import pytest

from wargame.engine import run_game
from wargame.scenario.loader import default_scenario_path, load_scenario_text

SEED, TURNS = 2025, 4


def _play(text: str):
    scenario = load_scenario_text(text)
    return run_game(scenario, seed=SEED, bots=[t.id for t in scenario.teams], explain=False,
                    turns=TURNS)


@pytest.fixture(scope="module")
def default_text() -> str:
    return default_scenario_path().read_text(encoding="utf-8")


def test_defence_is_not_priced_out_while_civilian_sectors_are(default_text):
    games = _play(default_text)
    last = games[-1].indicators
    assert min(last.material_met_share["USA"].values()) >= 0.999  # no material is short
    assert max(last.price_index_vs_baseline.values()) > 1.5  # but prices are high
    assert last.supply_met_share["USA"]["defence"] >= 0.95
    assert last.supply_met_share["USA"]["electronics"] <= 0.9


def test_an_elasticity_of_zero_is_never_priced_out(default_text):
    zero = default_text.replace("elasticity_short_run: {value: 0.02,",
                                "elasticity_short_run: {value: 0,", 1)
    zero = zero.replace("elasticity_long_run: {value: 0.05,", "elasticity_long_run: {value: 0,", 1)
    assert zero != default_text
    for result in _play(zero):
        ind = result.indicators
        assert min(ind.material_met_share["USA"].values()) >= 0.999
        assert ind.supply_met_share["USA"]["defence"] == pytest.approx(1.0, abs=1e-9)
