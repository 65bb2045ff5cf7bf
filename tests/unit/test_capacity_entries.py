"""The pipeline entry a capacity measure makes when it starts (``lifecycle.start_measure``)
is kept by the measure itself, since the games of a sweep share their measures. Each case
states the rule it checks against the entry made afresh."""
from __future__ import annotations

from pathlib import Path

from wargame.engine import lifecycle, rules_for
from wargame.engine.lifecycle import capacity_entry, start_measure
from wargame.engine.measures import Measure
from wargame.engine.setup import initial_state
from wargame.scenario.loader import load_scenario

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "rare-earth-shock-2025.yaml"


def _invest(measure_id: str = "t1/0", tonnes: float = 3000.0) -> Measure:
    return Measure(id=measure_id, group="order:t1", label="New separation plant", team="USA",
                   primitive="invest_capacity",
                   args={"actor": "USA", "material": "ndpr", "stage": "separate",
                         "tonnes_per_year": tonnes}, start_turn=1, end_turn=None)


def test_a_started_investment_enters_the_pipeline_as_its_entry_made_afresh():
    """Rule: every game starting the same measure gets the entry ``capacity_entry`` makes
    (the kept one, the same object); another measure, or the same one under another
    scenario's rules, gets its own; the kept entries are bounded."""
    scenario = load_scenario(DEFAULT)
    rules = rules_for(scenario)
    measure = _invest()
    states = [initial_state(scenario, seed=n) for n in range(2)]
    for state in states:
        start_measure(scenario, rules.baseline, state, measure)
    fresh = capacity_entry(scenario, rules.baseline, measure)
    assert states[0].pipeline[-1] == fresh and states[0].pipeline[-1] is states[1].pipeline[-1]
    other = _invest("t1/1", 500.0)
    start_measure(scenario, rules.baseline, states[0], other)
    assert states[0].pipeline[-1] == capacity_entry(scenario, rules.baseline, other)
    assert states[0].pipeline[-1].tonnes_per_year == 500.0
    again = load_scenario(DEFAULT)  # another scenario object: its own entry, made afresh
    state = initial_state(again, seed=0)
    start_measure(again, rules_for(again).baseline, state, measure)
    assert lifecycle._ENTRIES[id(measure)][1] is again and state.pipeline[-1] == fresh
    for n in range(lifecycle._ENTRIES_LIMIT + 3):
        start_measure(scenario, rules.baseline, state, _invest(f"t1/{n}"))
    assert len(lifecycle._ENTRIES) <= lifecycle._ENTRIES_LIMIT
