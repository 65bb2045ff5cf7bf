"""Cross-reference checks: each case edits the valid mini scenario and names the problem.

Rule under test: a scenario that pydantic accepts must still refer only to things it
defines, give each effect the arguments its primitive takes, and cite known sources.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.scenario.checks import balance_report, check_scenario
from wargame.scenario.loader import ScenarioError, load_scenario, load_scenario_text

MINI_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"
MINI = MINI_PATH.read_text()


def edited(old: str, new: str) -> str:
    assert MINI.count(old) == 1, f"fixture text not unique: {old!r}"
    return MINI.replace(old, new)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "m.yaml")
    return [str(p) for p in info.value.problems]


def line_of(text: str, snippet: str) -> int:
    """The line holding ``snippet``; the last one when a duplicate is the point."""
    matches = [i + 1 for i, line in enumerate(text.splitlines()) if snippet in line]
    assert matches, snippet
    return matches[-1]


def test_mini_has_no_issues():
    assert check_scenario(load_scenario(MINI_PATH)) == []


# (old text, new text, a snippet of the line the problem must point at, expected message part)
CASES = [
    ("  - id: price_floor\n", "  - id: export_licences\n", "  - id: export_licences",
     "moves[5].id: duplicate id 'export_licences' (also moves[0])"),
    ("- {name: turns, type: integer", "- {name: level, type: integer", "{name: level, type: integer",
     "duplicate parameter 'level' in move 'export_licences'"),
    ("id: mine_accident", "id: typhoon", "  - id: typhoon\n",
     "duplicate id 'typhoon' (also injects[0])"),
    ("{id: slowed, name", "{id: open, name", "{id: open, name: Slowed",
     "duplicate id 'open' (also restriction_levels[0])"),
    ("team: brussels, position", "team: brussel, position", "team: brussel,",
     "actors[2].team: unknown team 'brussel' (did you mean 'brussels'?"),
    ("stage: separation, capacity: 90000", "stage: mine, capacity: 90000",
     "stage: mine, capacity: 90000", "duplicate entry for CHN/ree/mine (also capacities[0])"),
    ("{indicator: price, material: ree", "{indicator: price", "{indicator: price, weight",
     "teams[2].objectives[1].indicator: indicator 'price' needs 'material'"),
    ("{indicator: supply_met, sector: defence", "{indicator: supply_met, sector: navy",
     "sector: navy", "unknown sector 'navy'"),
    ("teams: [washington, brussels]", "teams: [washington, paris]", "teams: [washington, paris]",
     "moves[2].teams[1]: unknown team 'paris'"),
    ("        level: $level", "        levle: $level", "levle: $level",
     "unknown argument 'levle' for export_restriction (did you mean 'level'?"),
    ("        level: $level", "", "- primitive: export_restriction",
     "export_restriction needs 'level' (level)"),
    ("importers: $targets", "importers: $target", "importers: $target",
     "unknown parameter '$target' (did you mean '$targets'?"),
    ("importers: $targets", "importers: $material", "importers: $material",
     "'importers' needs a actors, but parameter '$material' is a material"),
    ("exporter: $self", "exporter: $team", "exporter: $team",
     "'$team' is a team, but 'exporter' needs a actor"),
    ("exporter: $self", "exporter: $all", "exporter: $all",
     "'$all' means every other actor; 'exporter' needs one actor"),
    ("producer: USA, material: ree, stage: separation", "producer: US, material: ree, stage: separation",
     "producer: US,", "unknown actor 'US'"),
    ("producer: USA, material: ree, stage: separation", "producer: USA, material: ree, stage: refined",
     "stage: refined, floor", "unknown stage 'refined' for material 'ree'"),
    ("exporters: [CHN]", "exporters: [CHN, RUS]", "exporters: [CHN, RUS]",
     "exporters[1]: unknown actor 'RUS'"),
    ("severity: 0.1}", "severity: 1.5}", "severity: 1.5",
     "'severity' must be a share between 0 and 1 (got 1.5)"),
    ("action: release", "action: sell", "action: sell",
     "'action' must be one of build, release (got 'sell')"),
    ("choices: [open, slowed, freeze]", "choices: [open, slowed, embargo]", "level: $level",
     "choice 'embargo' of '$level' is not a restriction level"),
    ("parameter: capacity, op: scale", "parameter: capacities, op: scale", "parameter: capacities",
     "unknown settable parameter 'capacities' (did you mean 'capacity'?"),
    ("value: 0.8, actor: $self, material: ree, stage: separation}", "value: 0.8, actor: $self}",
     "value: 0.8, actor: $self}", "set_parameter of 'capacity' needs 'material' and 'stage'"),
    ("duration: $turns", "duration: $turn", "duration: $turn",
     "unknown parameter 'turn'"),
    ("duration: $turns", "duration: $material", "duration: $material",
     "duration needs a number parameter, but 'material' is a material"),
    ("per_unit_param: tonnes", "per_unit_param: stage", "per_unit_param: stage",
     "per_unit_param needs a number parameter, but 'stage' is a stage"),
    ("{name: stage, type: stage, material_param: material}\n      - {name: tonnes",
     "{name: stage, type: stage, material_param: tonnes}\n      - {name: tonnes",
     "material_param: tonnes", "'tonnes' is a number parameter, not a material one"),
    ("    by: CHN\n", "    by: PRC\n", "by: PRC", "injects[0].by: unknown actor 'PRC'"),
    ("    by: CHN\n", "", "actor: $self, material: ree, stage: separation",
     "'$self' in an inject needs the inject's 'by' actor"),
    ("op: scale, value: 0.5, actor: USA", "op: scale, value: 0.5, actor: $target",
     "actor: $target", "'$target': injects have no parameters"),
    ("    turn: 3\n", "    turn: 30\n", "turn: 30", "turn 30 is after the last turn (8)"),
    ("move: export_licences, params", "move: export_licence, params", "move: export_licence,",
     "unknown move 'export_licence'"),
    ("targets: USA, level: slowed", "targets: USA, level: embargo", "level: embargo",
     "'level' must be one of open, slowed, freeze (got 'embargo')"),
    ("{team: beijing, move: export_licences", "{team: brussels, move: export_licences",
     "team: brussels, move", "team 'brussels' may not use move 'export_licences'"),
    ("{material: ree, targets: USA,", "{targets: USA,", "{targets: USA,",
     "move 'export_licences' needs parameter 'material' (material)"),
    ("turns: 4}, note", "turns: 4, speed: 2}, note", "speed: 2",
     "unknown parameter 'speed' of move 'export_licences'"),
    ("source: usgs25}", "source: usgs24}", "source: usgs24",
     "capacities[7].output.source: unknown source 'usgs24' (did you mean 'usgs25'?"),
    ("{id: freeze, name: Licence freeze, mean: 0.1, concentration: 20}\n",
     "{id: ban, name: Licence freeze, mean: 0.1, concentration: 20}\n",
     "primitive: extraterritorial_rule",
     "uses restriction level 'freeze' when 'level' is not given"),
]


@pytest.mark.parametrize("old, new, at, message", CASES, ids=[c[3][:40] for c in CASES])
def test_cross_reference_problem(old, new, at, message):
    text = edited(old, new)
    found = problems(text)
    hits = [p for p in found if message in p]
    assert hits, found
    line = line_of(text, at.rstrip("\n"))
    assert hits[0].startswith(f"m.yaml:{line}:"), (hits, line)


def test_team_without_actor():
    text = edited("{id: EU, name: European Union, team: brussels,", "{id: EU, name: European Union,")
    found = problems(text)
    assert any(p.startswith(f"m.yaml:{line_of(text, '  - id: brussels')}:")
               and "team 'brussels' plays no actor" in p for p in found), found


def test_unknown_argument_points_at_the_key():
    text = edited("        level: $level", "        levle: $level")
    line = line_of(text, "levle: $level")
    assert f"m.yaml:{line}:9: moves[0].effects[0].levle: unknown argument 'levle'" in \
        "\n".join(problems(text))


def test_several_check_problems_are_reported_together():
    text = edited("producer: USA,", "producer: US,").replace("source: usgs25}", "source: x}")
    found = problems(text)
    assert len(found) == 2
    assert found == sorted(found, key=lambda p: int(p.split(":")[1]))


def test_balance_report_flags_both_rules():
    text = edited("capacity: 45000, output: 40000", "capacity: 45000, output: 30000")
    scenario = load_scenario_text(text)
    warnings = balance_report(scenario)
    assert len(warnings) == 1
    assert "material 'ree': stage 'mine' world output 90,000 t x yield 0.9" in warnings[0]
    text = edited("tonnes_per_year: 300}", "tonnes_per_year: 400}")
    warnings = balance_report(load_scenario_text(text))
    assert warnings == ["material 'ga': last stage 'refined' world output 450 t/yr but world "
                        "demand is 550 t/yr (18% apart)"]


def test_balance_within_two_percent_is_quiet():
    text = edited("capacity: 45000, output: 40000", "capacity: 45000, output: 39000")
    assert balance_report(load_scenario_text(text)) == []


def test_readme_worked_example_validates():
    """The designer's README promises its lithium cartel move validates as written."""
    readme = (MINI_PATH.parents[3] / "scenarios" / "README.md").read_text()
    block = readme[readme.index("  - id: lithium_cartel_quota"):]
    block = block[:block.index("```")].rstrip()
    text = edited("  - {id: EU, name: European Union, team: brussels, position: [10.0, 50.0], "
                  "bloc: West}\n",
                  "  - {id: EU, name: European Union, team: brussels, position: [10.0, 50.0], "
                  "bloc: West}\n  - {id: AUS, name: Australia, team: producers}\n")
    text = text.replace("\nmaterials:\n", "\n  - {id: producers, name: Producers, budget: 500}\n"
                        "materials:\n  - id: li\n    name: Lithium\n    stages:\n"
                        "      - {id: mine, name: Spodumene, price: 10}\n", 1)
    text = text.replace("\ninjects:", "\n" + block + "\n\ninjects:", 1)
    scenario = load_scenario_text(text)
    move = scenario.move_index["lithium_cartel_quota"]
    assert [e.primitive for e in move.effects] == ["set_parameter", "export_restriction"]
    broken = text.replace("level: $regime", "level: $regim")
    assert any("unknown parameter '$regim' (did you mean '$regime'?" in p for p in problems(broken))


def test_lint_warns_of_stock_days_for_a_use_the_actor_does_not_have():
    """Rule: a stock given in days of an actor's use of a stage it neither processes nor
    consumes holds 0 t; --lint says so (the designer meant tonnes, or another stage)."""
    from wargame.scenario.checks import lint_report, stock_days_report

    assert stock_days_report(load_scenario(MINI_PATH)) == []
    text = edited("{actor: EU, material: ree, stage: magnet, days: 30}",
                  "{actor: EU, material: ree, stage: mine, days: 30}")
    warnings = stock_days_report(load_scenario_text(text))
    assert warnings == ["stocks[1]: 30 days of EU's use of 'ree' at stage 'mine' is 0 t: "
                        "EU neither processes nor consumes that stage's product in the "
                        "baseline; give tonnes, or the stage it does use"]
    assert warnings[0] in lint_report(load_scenario_text(text))


def test_lint_warns_of_investment_that_cannot_arrive_in_time():
    """Rule: capacity whose lead time runs past the last turn never arrives; --lint names
    the scheduled inject and the move (with its parameters' defaults)."""
    from wargame.scenario.checks import arrival_report

    found = arrival_report(load_scenario(MINI_PATH))
    assert found == ["moves[6].effects[0]: move 'magnet_recycling' builds capacity with a "
                     "2-year lead time (8 turns): even ordered on turn 1 it arrives after the "
                     "last turn (8)"]
    quicker = edited("{primitive: recycling, material: ree, stage: magnet, tonnes_per_year: 1000}",
                     "{primitive: recycling, material: ree, stage: magnet, tonnes_per_year: 1000, "
                     "lead_time_years: 1}")
    assert arrival_report(load_scenario_text(quicker)) == []
    late = MINI.replace("\ninjects:\n", "\ninjects:\n  - {id: late_plant, title: Late plant, turn: 6, "
                        "by: USA, duration: 0, effects: [{primitive: invest_capacity, material: ree, "
                        "stage: separation, tonnes_per_year: 500}]}\n", 1)
    assert any("inject 'late_plant' at turn 6 adds capacity with a 4-year lead time, due at "
               "turn 22, after the last turn (8)" in w for w in arrival_report(load_scenario_text(late)))
