"""end_measure (issue 8, item 8): a white-cell ruling or deal ends, or amends, a measure
in force early; the order's outcome says which; other measures stay."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import Order, initial_state, resolve_turn
from wargame.engine.orders import FACILITATOR
from wargame.scenario.loader import load_scenario

DEFAULT = Path(__file__).resolve().parent.parent.parent / "scenarios" / "rare-earth-shock-2025.yaml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(DEFAULT)


def _regime(material, level="freeze"):
    return Order("beijing", "export_licence_regime",
                 {"target": "USA", "material": material, "level": level, "duration": 6})


def _measures(state, move_source):
    return [m for m in state.measures if m.source == move_source]


def test_a_ruling_ends_the_measure_on_one_material_only(sc):
    state = initial_state(sc)
    first = resolve_turn(sc, state, [_regime("ndpr"), _regime("dytb")], deck=False)
    assert len(_measures(first.state, "move:export_licence_regime")) == 2
    ruling = Order(FACILITATOR, "white_cell_ruling",
                   {"measure": "export_licence_regime", "owner": "beijing", "material": "ndpr"})
    second = resolve_turn(sc, first.state, [ruling], deck=False)
    left = _measures(second.state, "move:export_licence_regime")
    assert [m.args["material"] for m in left] == ["dytb"]
    outcome = next(o for o in second.outcomes if o.move == "white_cell_ruling")
    # the measure is named as the team would say it (main's read-aloud labels, merged
    # with issue 8: labels are no longer "Beijing's Export licence regime")
    assert "ends Beijing's NdPr licensing freeze on the United States" in outcome.detail
    # and the ruling has its own line in the turn's explanation, saying what it ended
    line = next(e for e in second.explanations if e.kind == "order")
    assert line.text.startswith(
        "The white cell's end of Beijing's export licence regime on a country (NdPr): ends "
        "Beijing's NdPr licensing freeze on the United States; ")
    # and what that did is measured: the what-if without the ruling keeps the freeze
    assert "the NdPr price (magnet making stage)" in line.text and "without it" in line.text
    assert not [m for m in second.state.measures if m.primitive == "end_measure"]


def test_an_easing_amends_the_level_and_the_market_recovers(sc):
    """Paired run: the same freeze with and without a deal in turn 2 that turns it back to
    routine licensing. With the deal, US magnet supply recovers sooner."""
    def run(with_deal):
        state = initial_state(sc)
        out = []
        for turn in range(4):
            orders = [_regime("ndpr"), _regime("dytb")] if turn == 0 else []
            if turn == 1 and with_deal:
                orders = [Order(FACILITATOR, "white_cell_easing", {"material": "ndpr"}),
                          Order(FACILITATOR, "white_cell_easing", {"material": "dytb"})]
            result = resolve_turn(sc, state, orders, deck=False)
            out.append(result)
            state = result.state
        return out

    eased, held = run(True), run(False)
    levels = {m.args["level"] for m in _measures(eased[1].state, "move:export_licence_regime")}
    assert levels == {"licensing"}
    met = [r.indicators.supply_met_share["USA"]["ev"] for r in eased]
    met_held = [r.indicators.supply_met_share["USA"]["ev"] for r in held]
    assert met[2] > met_held[2] + 0.2


def test_a_ruling_that_finds_nothing_in_force_still_has_its_line(sc):
    """Rule (explanations read aloud: one line per order): a ruling is accepted even when
    no measure it covers is in force; its line says so, and it is not read as rejected."""
    ruling = Order(FACILITATOR, "white_cell_ruling",
                   {"measure": "ore_export_ban", "owner": "jakarta", "material": "cobalt"})
    result = resolve_turn(sc, initial_state(sc), [ruling], deck=False)
    lines = [e.text for e in result.explanations if e.kind == "order"]
    assert lines == ["The white cell's end of Jakarta's ore export ban (cobalt): nothing to "
                     "end (no such measure was in force)."]
