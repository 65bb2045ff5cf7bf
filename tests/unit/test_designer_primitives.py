"""Issue 8, item 9 (YAML only, no Python): effects over several materials or sectors at
once, a parameter naming several actors, choice parameters that feed ``stages``, and
simple arithmetic in arguments, evaluated safely. Each case edits the mini scenario."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import Order, initial_state, resolve_turn
from wargame.scenario.expressions import ExpressionError, evaluate
from wargame.scenario.loader import ScenarioError, load_scenario_text

MINI = (Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml").read_text()

MOVES = """
  - id: multi_freeze
    name: Freeze several materials
    teams: [beijing]
    params:
      - {name: targets, type: actors, scope: other, default: [USA]}
      - {name: stage, type: choice, choices: [mine, all], default: all}
    duration: 2
    effects:
      - {primitive: export_restriction, importers: $targets, materials: [ree, ga], stages: $stage, level: freeze}
  - id: sector_thrift
    name: Thrift in every sector
    teams: all
    duration: 0
    effects:
      - {primitive: substitution, sectors: all, material: ree, share: 0.1, lag_turns: 1}
  - id: quota_cut
    name: Quota cut by a share
    teams: [beijing]
    params:
      - {name: tonnes, type: number, min: 0, max: 100000, default: 20000}
      - {name: cut, type: number, min: 0, max: 1, default: 0.25}
    duration: 2
    effects:
      - {primitive: export_quota, material: ree, stages: first, tonnes_per_year: "$tonnes * (1 - $cut)"}

"""


def scenario(extra: str = MOVES):
    text = MINI.replace("moves:\n", "moves:\n" + extra, 1)
    return load_scenario_text(text, "m.yaml")


def problems(extra: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario(extra)
    return [str(p) for p in info.value.problems]


def test_an_effect_over_several_materials_makes_one_measure_each():
    sc = scenario()
    result = resolve_turn(sc, initial_state(sc),
                          [Order("beijing", "multi_freeze", {"targets": ["USA", "EU"]}, id="f")],
                          deck=False)
    made = {m.id: m for m in result.state.measures if m.group == "order:f"}
    assert set(made) == {"f/0:ree", "f/0:ga"}
    assert made["f/0:ga"].args["material"] == "ga"
    assert made["f/0:ga"].args["importers"] == ["USA", "EU"]


def test_sectors_all_spreads_over_every_sector():
    sc = scenario()
    result = resolve_turn(sc, initial_state(sc), [Order("washington", "sector_thrift", {}, id="s")],
                          deck=False)
    sectors = sorted(m.args["sector"] for m in result.state.measures if m.group == "order:s")
    assert sectors == sorted(s.id for s in sc.sectors)


def test_arithmetic_in_an_argument_is_evaluated():
    sc = scenario()
    result = resolve_turn(sc, initial_state(sc),
                          [Order("beijing", "quota_cut", {"tonnes": 40000, "cut": 0.5}, id="q")],
                          deck=False)
    quota = next(m for m in result.state.measures if m.group == "order:q")
    assert quota.args["tonnes_per_year"] == pytest.approx(20000.0)


@pytest.mark.parametrize("text", ["__import__('os')", "$tonnes ** 2", "$tonnes.real",
                                  "open('x')", "1 if 1 else 2", "[1, 2]"])
def test_anything_but_arithmetic_is_refused(text):
    with pytest.raises(ExpressionError):
        evaluate(text, {"tonnes": 1.0})


def test_a_bad_expression_or_parameter_is_named_when_the_scenario_loads():
    found = problems(MOVES.replace('"$tonnes * (1 - $cut)"', '"$tonnes * $level"'))
    assert any("$level" in p for p in found), found
    found = problems(MOVES.replace('"$tonnes * (1 - $cut)"', '"$tonnes ** 2"'))
    assert any("only numbers, $parameters" in p for p in found), found


def test_a_choice_feeding_stages_must_offer_stages():
    found = problems(MOVES.replace("choices: [mine, all]", "choices: [mine, refinery]"))
    assert any("choice 'refinery'" in p for p in found), found


def test_an_actors_parameter_takes_a_list_of_known_actors():
    sc = scenario()
    bad = resolve_turn(sc, initial_state(sc),
                       [Order("beijing", "multi_freeze", {"targets": ["USA", "ATLANTIS"]})],
                       deck=False)
    assert bad.outcomes[0].status == "rejected" and "ATLANTIS" in bad.outcomes[0].detail
    found = problems(MOVES.replace("default: [USA]", "default: [NARNIA]"))
    assert any("NARNIA" in p for p in found), found


def test_material_and_materials_together_are_refused():
    found = problems(MOVES.replace("materials: [ree, ga]", "material: ree, materials: [ree, ga]"))
    assert any("not both" in p for p in found), found


def test_a_bot_and_the_team_screen_can_fill_an_actors_parameter(qapp=None):
    from wargame.engine.bot_params import _choose

    sc = scenario()
    spec = sc.move_index["multi_freeze"].param("targets")
    picked = _choose(sc, "beijing", spec, {}, 1)
    assert isinstance(picked, list) and picked and all(a in sc.actor_index for a in picked)


def test_briefing_books_say_the_market_primitives_in_plain_words():
    from wargame.scenario.loader import load_scenario
    from wargame.scenario.plain_words import move_in_words

    senkaku = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "senkaku-2010.yaml")
    words = {m.id: " ".join(move_in_words(senkaku, m)) for m in senkaku.moves}
    assert "caps exports of every material (one tonnage shared, the dearest first)" in words["export_quota"]
    assert "export duty on" in words["export_duty"]
    assert "continue with their tonnes or rate x" in words["change_duty"]
    assert "end now" in words["wto_ruling"]
    sc = scenario()
    assert "the chosen tonnes * (1 - the chosen cut)" in " ".join(move_in_words(sc, sc.move_index["quota_cut"]))


@pytest.mark.parametrize("move,params,team,said", [
    # one phrase for an effect over several materials, the actors of an 'actors' parameter
    # listed, a choice feeding 'stages' named as the stage
    ("multi_freeze", {"targets": ["USA", "EU"]}, "beijing",
     "Rare earths and gallium licence freeze on the United States and the European Union, "
     "for 2 turns"),
    ("multi_freeze", {"targets": ["USA"], "stage": "mine"}, "beijing",
     "Rare earths and gallium licence freeze on the United States (mined concentrate "
     "stage), for 2 turns"),
    # 'sectors: all' names the sectors once
    ("sector_thrift", {}, "washington",
     "Substitution of 10 % of the rare earths used in defence and electric vehicles"),
    # arithmetic is said as its result
    ("quota_cut", {"tonnes": 40000, "cut": 0.5}, "beijing",
     "20,000 t/yr rare earths export quota (mined concentrate stage), for 2 turns"),
])
def test_a_designer_move_reads_as_the_team_would_say_it(move, params, team, said):
    """Rule (the read-aloud labels of ``engine.phrases`` with the designer primitives of
    issue 8): the description is the bound effect, said once."""
    from wargame.engine.phrases import describe_move

    assert describe_move(scenario(), move, params, team).startswith(said)
