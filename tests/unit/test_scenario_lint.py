"""``wargame validate --lint``: each advisory warning on a small file made to trigger it, at
FILE:LINE:COL, and silence on files that do not."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.analysis.scenario_lint import objectives_that_never_change
from wargame.cli import main
from wargame.scenario.loader import load_scenario_text, read_scenario_text
from wargame.scenario.commands import lint_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
TINY = (FIXTURES / "tiny.yaml").read_text()
SOURCED = TINY.replace("budget: 100}", "budget: {value: 100, source: s}}").replace(
    "price: 5}", "price: {value: 5, source: s}}").replace(
    "yield: 0.9, price: 40}", "yield: {value: 0.9, source: s}, price: {value: 40, source: s}}"
).replace("capacity: 1000}", "capacity: {value: 1000, source: s}}").replace(
    "capacity: 900}", "capacity: {value: 900, source: s}}").replace(
    "tonnes_per_year: 900}", "tonnes_per_year: {value: 900, source: s}}") + "sources: {s: A source.}\n"
LAST = len(SOURCED.splitlines())


def warnings(extra: str = "", base: str = SOURCED) -> list[str]:
    loaded = read_scenario_text(base + extra, "t.yaml")
    return lint_lines(loaded, "t.yaml")


def test_a_sourced_tiny_scenario_lints_clean():
    assert warnings() == []


@pytest.mark.parametrize("extra, expected", [
    ("injects:\n  - {id: a, title: A, condition: 'supply_met(USA, ev) > 1.2'}\n",
     f"t.yaml:{LAST + 2}:34: warning: injects[0].condition: can never hold (checked at turns "
     "2 to 4; supply_met(USA, ev) in [0, 1]): the inject never fires"),
    ("injects:\n  - {id: a, title: A, condition: 'supply_met(CHN, ev) < 0.8'}\n",
     "supply_met(CHN, ev) in always 1"),  # China has no EV demand in the file
    ("injects:\n  - {id: a, title: A, condition: 'turn > 4'}\n",
     "injects[0].condition: can never hold (checked at turns 1 to 4)"),
    ("injects:\n  - {id: a, title: A, turn: 2, condition: 'turn == 3'}\n",
     "can never hold (checked at turns 2 to 2)"),
    ("injects:\n  - {id: a, title: A, condition: 'price_index(ree) > 100'}\n",
     "price_index(ree) in [0.3, 15]"),
    ("injects:\n  - {id: a, title: A, condition: 'restriction(CHN, USA, ree) >= frozen'}\n",
     "restriction(CHN, USA, ree) in always 0"),  # nothing in the file restricts trade
    ("injects:\n  - {id: a, title: A, condition: 'ore_processed_home(USA, ree) > 0.5'}\n",
     "ore_processed_home(USA, ree) in always 0"),
    ("injects:\n  - {id: a, title: A, condition: 'stock(USA, ree) > 1 for 4 turns'}\n",
     "injects[0].condition: can never be checked: it reads 4 turn(s) of figures, so it is "
     "first checked at turn 5, after turn 4"),
    ("moves:\n  - {id: big, name: Big, teams: [washington], cost: {budget: 500},"
     " effects: [{primitive: export_ban, exporter: CHN, material: ree}]}\n",
     f"t.yaml:{LAST + 2}:47: warning: moves[0].cost: no team can use move 'big': it costs "
     "more than every team allowed to use it has"),
    ("moves:\n  - {id: pact, name: Pact, requires: 3, effects: [{primitive: export_ban,"
     " exporter: CHN, material: ree}]}\n",
     "moves[0].requires: no coalition can form: move 'pact' needs 3 teams but only 2 may "
     "use it"),
    ("moves:\n  - {id: pact, name: Pact, teams: [washington], requires: {teams: 2, including:"
     " [beijing]}, effects: [{primitive: export_ban, exporter: CHN, material: ree}]}\n",
     "moves[0].requires: no coalition can form: move 'pact' needs 2 teams but only 1 may"),
    ("moves:\n  - {id: pact, name: Pact, teams: [washington], requires: {teams: 2, including:"
     " [beijing]}, effects: [{primitive: export_ban, exporter: CHN, material: ree}]}\n",
     "moves[0].requires.including: no coalition can form: it must include beijing, which "
     "may not use move 'pact'"),
])
def test_each_lint_warning(extra, expected):
    found = warnings(extra)
    assert any(expected in w for w in found), found


def test_a_facilitators_move_is_not_unusable():
    """Rule: `teams: []` is a move only the white cell gives: not a lint warning."""
    assert warnings("moves:\n  - {id: wc, name: WC, teams: [], effects: [{primitive: "
                    "export_ban, exporter: CHN, material: ree}]}\n") == []


def test_a_material_no_sector_demands():
    base = SOURCED.replace("materials:\n", "materials:\n  - id: ga\n    name: Gallium\n"
                           "    stages: [{id: refined, name: Refined, price: {value: 200, "
                           "source: s}}]\n")
    found = warnings(base=base)
    assert any(":12:9:" in w and "materials[0].id: no sector demands material 'ga'" in w
               for w in found), found


def test_numbers_without_a_source_are_listed_and_then_counted():
    found = warnings(base=TINY)
    assert "t.yaml:9:42: warning: teams[0].budget: the number 100 has no source: write " \
           "{value: 100, source: KEY} with a key under 'sources:'" in found
    # the first stage's yield is not used, and defaults were not written: neither is listed
    assert not any("stages[0].yield" in w or "political_capital" in w for w in found)
    many = TINY.replace("actors:\n", "actors:\n" + "".join(
        f"  - {{id: X{n}, name: X{n}}}\n" for n in range(30))) + "stocks:\n" + "".join(
        f"  - {{actor: X{n}, material: ree, stage: mine, tonnes: {n + 1}}}\n" for n in range(30))
    loaded = read_scenario_text(many, "t.yaml")
    lines = lint_lines(loaded, "t.yaml")
    assert sum("has no source" in w for w in lines) == 20
    assert lines[-1].startswith("t.yaml: warning: ... and ") and "more numbers" in lines[-1]


def test_an_objective_that_never_changes_in_a_bot_game():
    """Rule: an objective whose raw value is the same on every turn of a bots' game cannot
    tell a good game from a bad one (China has no EV demand: supply met is always 1)."""
    scenario = load_scenario_text(SOURCED.replace(
        "{id: beijing, name: Beijing, budget: {value: 100, source: s}}",
        "{id: beijing, name: Beijing, budget: {value: 100, source: s}, objectives: "
        "[{indicator: supply_met, sector: ev, weight: 1}]}"))
    issues = objectives_that_never_change(scenario)
    assert [i.path for i in issues] == [("teams", 0, "objectives", 0)]
    assert "never changes in a 4-turn game played by bots (always 1)" in issues[0].message


def test_validate_lint_runs_the_bot_game_check(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SOURCED.replace(
        "{id: beijing, name: Beijing, budget: {value: 100, source: s}}",
        "{id: beijing, name: Beijing, budget: {value: 100, source: s}, objectives: "
        "[{indicator: supply_met, sector: ev, weight: 1}]}"))
    assert main(["validate", "--lint", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:9:" in out and "teams[0].objectives[0]: objective" in out
