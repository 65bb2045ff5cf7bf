"""The order form's arrival turn and the first briefing's baseline world come from the engine
(``capacity_arrivals``, ``baseline_preview``), so they never disagree with what a turn does."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import (
    Order, baseline_preview, capacity_arrivals, initial_state, resolve_turn,
)
from wargame.scenario.loader import load_scenario

DEFAULT = Path(__file__).resolve().parent.parent.parent / "scenarios" / "rare-earth-shock-2025.yaml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(DEFAULT)


@pytest.mark.parametrize("team,move,params", [
    ("washington", "magnet_plant", {"tonnes_per_year": 1500}),
    ("brussels", "crma_strategic_project", {"lead_time_years": 3}),
    ("beijing", "overseas_processing_jv", {}),
    ("brussels", "recycling_programme", {"tonnes_per_year": 800}),
])
def test_the_arrival_said_before_the_order_is_the_one_the_turn_makes(sc, team, move, params):
    """Rule: the capacity an order would build (t/yr as ordered, and its due turn) is what
    the resolved turn puts in the pipeline."""
    said = capacity_arrivals(sc, team, move, params, turn=1)
    assert said
    result = resolve_turn(sc, initial_state(sc, 3), [Order(team, move, params, id="t1-x-1")],
                          deck=False, explain=False)
    made = [e for e in result.state.pipeline if e.group == "order:t1-x-1"]
    assert [(e.actor, e.material, e.stage, e.tonnes_per_year, e.due_turn, e.recycled)
            for e in said] == \
        [(e.actor, e.material, e.stage, e.tonnes_per_year, e.due_turn, e.recycled)
         for e in made]


def test_a_move_that_builds_nothing_arrives_nowhere(sc):
    assert capacity_arrivals(sc, "beijing", "export_licence_regime", {}, turn=1) == []
    assert capacity_arrivals(sc, "beijing", "no_such_move", {}, turn=1) == []


def test_the_baseline_preview_is_a_quiet_first_turn_and_commits_nothing(sc):
    """The baseline world is the quiet turn 1 (no orders, no deck) that scores are measured
    against; making it changes no state."""
    state = initial_state(sc, 3)
    before = state.content_hash()
    preview = baseline_preview(sc)
    quiet = resolve_turn(sc, initial_state(sc, 0), [], deck=False, explain=False).indicators
    assert preview.flows == quiet.flows
    assert preview.world_price_usd_per_kg == quiet.world_price_usd_per_kg
    assert state.content_hash() == before
