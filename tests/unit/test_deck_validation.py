"""Broken files for the format-2 fields: each case adds a deck or a coalition move to the
smallest valid scenario and names the problem the validator reports, at FILE:LINE:COL."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.scenario.loader import ScenarioError, load_scenario_text

TINY = (Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "tiny.yaml"
        ).read_text()
MOVE = ("moves:\n  - id: pact\n    name: Pact\n    requires: {req}\n"
        "    effects: [{{primitive: export_ban, exporter: CHN, material: ree}}]\n")


def problems(extra: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(TINY + extra, "t.yaml")
    return [str(p) for p in info.value.problems]


LAST = len(TINY.splitlines())  # the added text starts on line LAST + 1


@pytest.mark.parametrize("extra, expected", [
    ("injects:\n  - {id: a, title: A, condition: 'supply_met(USA, ev) <'}\n",
     f"t.yaml:{LAST + 2}:34: injects[0].condition: condition ends too early: expected"),
    ("injects:\n  - {id: a, title: A, condition: 'price(ree) > 2'}\n",
     f"t.yaml:{LAST + 2}:34: injects[0].condition: condition: price takes (material, "
     "stage[, actor]) (at character 1)"),
    ("injects:\n  - {id: a, title: A, condition: 'suply_met(USA, ev) < 1'}\n",
     "unknown indicator 'suply_met' (did you mean 'supply_met'?)"),
    ("injects:\n  - {id: a, title: A, condition: 'supply_met(USAA, ev) < 1'}\n",
     f"t.yaml:{LAST + 2}:34: injects[0].condition: unknown actor 'USAA' (did you mean 'USA'? "
     "known: CHN, USA) in supply_met(USAA, ev)"),
    ("injects:\n  - {id: a, title: A, condition: 'price(ree, magnet) > 1'}\n",
     "unknown stage 'magnet' of material 'ree' (did you mean 'mine'? known: mine, oxide) in "
     "price(ree, magnet)"),
    ("injects:\n  - {id: a, title: A, condition: 'budget(washingtn) < 1'}\n",
     "unknown team 'washingtn' (did you mean 'washington'?"),
    ("injects:\n  - {id: a, title: A, condition: 'fired(b) > 0'}\n",
     "unknown inject 'b' (known: a) in fired(b)"),
    ("injects:\n  - {id: a, title: A, condition: '1e999 > 1'}\n",
     "condition the number 1e999 is too large"),
    ("injects:\n  - {id: a, title: A, condition: '" + "(" * 30 + "'}\n",
     "condition is nested more than 24 levels deep"),
    ("injects:\n  - {id: a, title: A, follow_ups: [{inject: b, after_turns: 2}]}\n",
     f"t.yaml:{LAST + 2}:45: injects[0].follow_ups[0].inject: unknown inject 'b' "
     "(known: a)"),
    ("injects:\n  - {id: a, title: A, follow_ups: [{inject: a, after_turns: 0}]}\n",
     "injects[0].follow_ups[0].after_turns: must be at least 1 (got 0)"),
    ("injects:\n  - {id: a, title: A, follow_ups: [{inject: a, probability: 2}]}\n",
     "injects[0].follow_ups[0].probability: must be at most 1 (got 2)"),
    ("injects:\n  - {id: a, title: A, repeat: maybe}\n",
     "injects[0].repeat: must be true or false (got 'maybe')"),
    (MOVE.format(req="1"), f"t.yaml:{LAST + 4}:15: moves[0].requires: must be at least 2 "
                           "(got 1)"),
    (MOVE.format(req="{teams: 2, including: [pekin]}"),
     f"t.yaml:{LAST + 4}:38: moves[0].requires.including[0]: unknown team 'pekin' (known: "
     "beijing, washington)"),
    (MOVE.format(req="{teams: 2, quorum: 3}"), f"t.yaml:{LAST + 4}:26: moves[0].requires.quorum: unknown field 'quorum' (allowed: "
     "teams, including)"),
])
def test_a_broken_deck_or_coalition_is_reported_where_it_is(extra, expected):
    found = problems(extra)
    assert any(expected in p for p in found), found


def test_a_valid_deck_and_coalition_load():
    scenario = load_scenario_text(TINY + (
        "injects:\n"
        "  - {id: a, title: A, condition: 'supply_met(USA, ev) < 80 % for 2 turns',"
        " follow_ups: [{inject: b, after_turns: 2, probability: 0.5}]}\n"
        "  - {id: b, title: B}\n") + MOVE.format(req="{teams: 2, including: [beijing]}"))
    assert scenario.injects[0].trigger == "conditional"
    assert scenario.injects[1].trigger == "hand"
    assert scenario.moves[0].requires.teams == 2
    assert load_scenario_text(TINY + MOVE.format(req="2")).moves[0].requires.teams == 2
