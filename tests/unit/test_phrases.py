"""Moves read aloud as the team would say them (``engine.phrases``): the material, the stage,
the actor targeted and the numbers in the units ordered; never the catalogue's generic
label, a raw id or a form ("factor (0.5 = halve) 0.5"). Table of cases on the default
scenario's own moves."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from wargame.engine import FACILITATOR, Order, initial_state, resolve_turn
from wargame.engine.phrases import describe_move, describe_order, measure_label
from wargame.scenario.loader import load_scenario


DEFAULT = Path(__file__).resolve().parent.parent.parent / "scenarios" / "rare-earth-shock-2025.yaml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(DEFAULT)


CASES = [
    # (move, team, params, the order as described, the measure's label in explanations)
    ("export_licence_regime", "beijing",
     {"target": "USA", "material": "ndpr", "level": "freeze", "duration": 2},
     "NdPr licensing freeze on the United States, for 2 turns",
     "Beijing's NdPr licensing freeze on the United States"),
    ("export_licence_regime", "beijing",
     {"target": "EU", "material": "dytb", "level": "slow_walk", "duration": 1},
     "Dy/Tb slow-walked licences on the European Union, for one turn",
     "Beijing's Dy/Tb slow-walked licences on the European Union"),
    ("extraterritorial_rule", "beijing", {"material": "gallium", "threshold": 0.001},
     "Extraterritorial rule on gallium containing China-origin material above 0.1 % "
     "(licensing), for 4 turns", None),
    ("country_export_ban", "beijing", {"target": "USA", "material": "gallium"},
     "Gallium export ban on the United States, for 4 turns",
     "Beijing's gallium export ban on the United States"),
    ("offtake_agreement", "washington", {"seller": "AUS", "share": 0.3},
     "Offtake of 30 % of Australia's NdPr mining output, for 8 turns", None),
    ("section_301_tariff", "washington", {"exporter": "CHN", "rate": 0.25},
     "25 % tariff on graphite from China, for 4 turns", None),
    ("dpa_capacity_investment", "washington", {"material": "dytb", "stage": "separate",
                                               "tonnes_per_year": 200},
     "200 t/yr of new Dy/Tb separation capacity",
     "Washington's 200 t/yr of new Dy/Tb separation capacity"),
    ("crma_strategic_project", "brussels", {},
     "1,000 t/yr of new NdPr separation capacity (2.5-year lead time)", None),
    ("ore_export_ban", "jakarta", {"material": "nickel", "duration": 0},
     "Nickel export ban (mining stage), until the end of the exercise",
     "Jakarta's nickel export ban (mining stage)"),
    ("white_cell_capacity", FACILITATOR, {"actor": "MMR", "factor": 0.5},
     "Change of Myanmar's Dy/Tb mining capacity (−50 %), for 2 turns",
     "the white cell's change of Myanmar's Dy/Tb mining capacity (−50 %)"),
    ("white_cell_budget", FACILITATOR, {"team": "washington", "amount": 1000},
     "Budget change for Washington (+USD 1,000 m), for one turn", None),
    ("technology_export_ban", "beijing", {"target": "USA", "sector": "ev", "severity": 0.05},
     "Technology export controls on the United States' electric vehicles (5 % of its "
     "output lost), for 4 turns", None),
    # the market's primitives (issue 8): quotas, duties, a ruling or deal on measures in force
    ("export_quota", "kinshasa", {},
     "96,600 t/yr cobalt export quota (mining stage), for 4 turns",
     "Kinshasa's 96,600 t/yr cobalt export quota (mining stage)"),
    ("royalty_increase", "kinshasa", {},
     "10 % export duty on cobalt (mining stage), for 4 turns", None),
    ("white_cell_ruling", FACILITATOR, {},
     "End of Jakarta's ore export ban (nickel), for one turn",
     "the white cell's end of Jakarta's ore export ban (nickel)"),
    ("white_cell_easing", FACILITATOR, {"material": "ndpr"},
     "Change of Beijing's export licence regime on a country (NdPr) to licensing and change "
     "of Beijing's export licence regime on all destinations (NdPr) to licensing, for one "
     "turn", None),
]


SENKAKU = DEFAULT.parent / "senkaku-2010.yaml"


@pytest.mark.parametrize("move,said", [
    ("export_quota", "Beijing's 30,000 t/yr export quota shared by all materials"),
    ("change_duty", "Beijing's change of its export duty (Nd+Pr oxide) (+67 %)"),
    ("wto_ruling", "the white cell's end of Beijing's export quota (La, Ce and other rare "
                   "earths)"),
])
def test_the_senkaku_moves_read_as_said(move, said):
    """One tonnage shared by every material is said so; a team amending its own measure
    says 'its'; a ruling names whose measure it ends."""
    sc = load_scenario(SENKAKU)
    owner = sc.move_index[move]
    team = FACILITATOR if not owner.teams else owner.teams[0]
    assert measure_label(sc, owner, {}, team) == said


@pytest.mark.parametrize("move,team,params,described,label", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_move_reads_as_the_team_would_say_it(sc, move, team, params, described, label):
    assert describe_move(sc, move, params, team) == described
    if label is not None:
        assert measure_label(sc, sc.move_index[move], params, team) == label


def test_an_order_names_its_team(sc):
    order = Order("beijing", "country_export_ban", {"target": "USA", "material": "gallium"})
    assert describe_order(sc, order) == \
        "Beijing: Gallium export ban on the United States, for 4 turns"
    white = Order(FACILITATOR, "white_cell_price", {"material": "lithium", "factor": 0.8})
    assert describe_order(sc, white).startswith("White cell: Lithium chemicals price change "
                                                "(−20 %)")


def test_no_move_reads_like_a_form_or_a_catalogue(sc):
    """Rule, for every move of the shipped scenario at its defaults: no raw id
    ('slow_walk'), no share written as a fraction ('0.050'), no parameter title followed by
    its value ('factor (0.5 = halve) 0.5'), and not the catalogue's name."""
    for move in sc.moves:
        team = FACILITATOR if not move.teams else (
            "washington" if move.teams == "all" else move.teams[0])
        text = describe_move(sc, move.id, {}, team)
        label = measure_label(sc, move, {}, team)
        for said in (text, label):
            assert "_" not in said, (move.id, said)
            assert not re.search(r"\b0\.\d+(?! %)", said), (move.id, said)
            assert "(t/yr)" not in said and "=" not in said, (move.id, said)
            assert move.name not in said, (move.id, said)
            assert "White cell:" not in said and "the white cell's White" not in said


def test_a_parameter_named_team_is_the_team_named(sc):
    """Rule: in a move's effect, ``$team`` is the move's own 'team' parameter when it has
    one (the white cell's budget adjustment goes to the team named), else the ordering
    team (a price floor's payer)."""
    state = initial_state(sc, 1)
    budget = float(state.budget[sc.team_index["washington"]])
    order = Order(FACILITATOR, "white_cell_budget", {"team": "washington", "amount": 1000},
                  id="t1-facilitator-1")
    result = resolve_turn(sc, state, [order], deck=False, explain=False)
    assert result.indicators.budget_usd_m["washington"] == pytest.approx(budget + 1000)


@pytest.mark.parametrize("op, value, said", [
    ("set", 0.075, "a 8 % chance each turn that an investment slips"),
    ("scale", 0.5, "the chance each turn that an investment slips changed by −50 %"),
    ("add", 0.05, "the chance each turn that an investment slips up 5 points"),
])
def test_the_permitting_climate_reads_as_what_the_designer_wrote(sc, op, value, said):
    """Rule: a scale of the slip chance is read as a change, never as the chance itself."""
    from wargame.engine.phrases import effect_phrase

    args = {"parameter": "delay_probability", "op": op, "value": value}
    assert said in effect_phrase(sc, "set_parameter", args, None)
