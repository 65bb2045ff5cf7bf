"""Issue 8, item 10: a material's headline stage is the designer's; explanations cover the
other stages too (an ore ban's direct effect on ore prices, an oxide spike), extraterritorial
draws are narrated as licence draws are, and a covert measure's effects are not read out to
the room in the turn it is given."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from wargame.engine import Order, initial_state, resolve_turn
from wargame.engine.rules import rules_for
from wargame.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def default():
    return load_scenario(SCENARIOS / "rare-earth-shock-2025.yaml")


def test_an_ore_ban_is_narrated_at_the_ore_stage(default):
    """An ore ban's direct effect is on the ore price; the room hears it."""
    result = resolve_turn(default, initial_state(default),
                          [Order("kinshasa", "ore_export_ban", {"material": "cobalt",
                                                               "duration": 2})], deck=False)
    text = " ".join(result.explanation_texts())
    # the ore price moved more than the headline (refined) price: told in the same sentence
    # (wording of the read-aloud labels merged from main: a stage is "the mining stage",
    # the measure "Kinshasa's cobalt export ban (mining stage)", no longer the move's name)
    told = re.search(r"stands at (\d+\.\d+)x its baseline \(at the mining stage: (\d+\.\d+)x\)",
                     text)
    assert told and float(told.group(2)) > float(told.group(1)) + 0.2
    assert "without Kinshasa's cobalt export ban (mining stage)" in text
    assert "at the mining stage)" in text
    # the order's own line (one per order) names the ore price it moved, too
    line = next(e.text for e in result.explanations if e.kind == "order")
    assert f"the cobalt price (mining stage) {told.group(2)}x" in line


def test_extraterritorial_draws_are_narrated_like_licence_draws(default):
    """In the turn it is given, the rule's draws are told in its order's line (as a
    licence regime's are); in later turns, as news, as licence draws are."""
    result = resolve_turn(default, initial_state(default),
                          [Order("beijing", "extraterritorial_rule",
                                 {"level": "partial", "material": "ndpr"})], deck=False)
    assert any(d.extraterritorial for d in result.draws if hasattr(d, "extraterritorial"))
    order_line = next(e.text for e in result.explanations if e.kind == "order")
    assert "of licence requests for goods shipped from third countries approved" in order_line
    later = resolve_turn(default, result.state, [], deck=False)
    lines = [e.text for e in later.explanations
             if e.kind == "news" and "extraterritorial rule" in e.text]
    assert lines and "shipped from third countries" in lines[0]
    assert "of requests approved" in lines[0]


def test_the_headline_stage_is_the_designers(default):
    """Senkaku's materials headline their oxide (separation) stage; without
    ``headline_stage`` the last stage is the headline."""
    senkaku = load_scenario(SCENARIOS / "senkaku-2010.yaml")
    base = rules_for(senkaku).baseline
    assert [int(s) for s in base.headline_stage] == [1, 1, 1]
    data = senkaku.to_json_dict()
    data["materials"][0]["headline_stage"] = "mine"
    moved = type(senkaku).model_validate(data)
    assert int(rules_for(moved).baseline.headline_stage[0]) == 0
    assert list(rules_for(default).baseline.headline_stage) == \
        [len(m.stages) - 1 for m in default.materials]


def test_a_covert_hold_is_not_read_out_in_its_turn():
    senkaku = load_scenario(SCENARIOS / "senkaku-2010.yaml")
    hold = [Order("beijing", "customs_hold", {"target": "JPN", "material": m,
                                              "level": "halt", "duration": 1})
            for m in ("ndpr", "dy", "light")]
    result = resolve_turn(senkaku, initial_state(senkaku), hold, deck=False)
    naming = [e for e in result.explanations
              if any(g.startswith("order:") for g in e.groups)]
    assert naming, "the hold moved something worth explaining"
    assert not any(e.public for e in naming)


def test_an_oxide_spike_is_told_with_the_magnet_price():
    """Halving China's NdPr mining spikes the oxide price; the magnet (headline) price
    moves less, so the room hears the oxide spike in the same sentence."""
    from wargame.engine.orders import FACILITATOR

    sc = load_scenario(SCENARIOS / "rare-earth-shock-2025.yaml")
    cut = Order(FACILITATOR, "white_cell_capacity", {"actor": "CHN", "material": "ndpr",
                                                     "stage": "mine", "factor": 0.5,
                                                     "duration": 2})
    result = resolve_turn(sc, initial_state(sc), [cut], deck=False)
    text = " ".join(result.explanation_texts())
    # wording of the read-aloud labels merged from main: "the NdPr price (magnet making
    # stage)", "at the separation stage"
    assert "The NdPr price (magnet making stage)" in text
    assert "(at the separation stage: " in text


def test_an_investment_after_a_shortened_exercise_says_the_exercises_last_turn(default):
    """Rule: a session set to end before the scenario does (4 of 12 turns) hears that new
    capacity arrives after *the exercise's* last turn, not after the scenario's; without a
    limit, the scenario's last turn is named."""
    invest = Order("washington", "dpa_capacity_investment",
                   {"material": "dytb", "stage": "separate", "tonnes_per_year": 200})
    said = {}
    for limit in (None, 4):
        result = resolve_turn(default, initial_state(default), [invest], deck=False, last_turn=limit)
        said[limit] = next(e.text for e in result.explanations if e.kind == "order")
    assert f"after the scenario's last turn ({default.turns})" in said[None]
    assert "after the exercise's last turn (4)" in said[4]
