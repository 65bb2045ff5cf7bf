"""Hostile values in a scenario file: every number finite and in its documented range, every
text bounded and plain, the format version checked, and every problem of a file listed in
one run (schema problems do not hide cross-reference ones). Each case names FILE:LINE:COL.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.scenario import upgrade as upgrade_module
from wargame.scenario.loader import ScenarioError, load_scenario_text, read_scenario_text

TINY = (Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "tiny.yaml"
        ).read_text()


def problems_of(old: str, new: str) -> list[str]:
    assert old in TINY, old
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(TINY.replace(old, new, 1), "s.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("old, new, expected", [
    # numbers: finite, and within the documented range of their kind
    ("capacity: 1000}", "capacity: .nan}",
     "s.yaml:20:56: capacities[0].capacity: must be a finite number (not NaN or infinity) "
     "(got nan)"),
    ("capacity: 1000}", "capacity: {value: .inf, note: x}}",
     "s.yaml:20:64: capacities[0].capacity.value: must be a finite number (not NaN or "
     "infinity) (got inf)"),
    ("capacity: 1000}", "capacity: 1e308}",
     "s.yaml:20:56: capacities[0].capacity: must be at most 1e+09 t (got 1e+308)"),
    ("tonnes_per_year: 900}", "tonnes_per_year: -.inf}",
     "s.yaml:23:62: demand[0].tonnes_per_year: must be a finite number (not NaN or infinity) "
     "(got -inf)"),
    ("name: Beijing, budget: 100}", "name: Beijing, budget: 1e308}",
     "s.yaml:9:42: teams[0].budget: must be at most 1e+07 USD million (got 1e+308)"),
    ("price: 5}", "price: 1e8}",
     "s.yaml:15:39: materials[0].stages[0].price: must be at most 1e+07 USD/kg (got 1e+08)"),
    ("name: Rare earths", "name: Rare earths\n    elasticity: 0",
     "s.yaml:14:17: materials[0].elasticity: must be more than 0 (got 0)"),
    ("{id: ev, name: EVs}", "{id: ev, name: EVs, priority: 0}",
     "s.yaml:18:35: sectors[0].priority: must be at least 1 (got 0)"),
    # seeds: whole numbers in [0, 2**63)
    ("turns: 4", "turns: 4\ndefault_seed: -1",
     "s.yaml:5:15: default_seed: must be at least 0 (got -1)"),
    ("turns: 4", "turns: 4\ndefault_seed: 9223372036854775808",
     "s.yaml:5:15: default_seed: must be less than 9223372036854775808 "
     "(got 9223372036854775808)"),
    # the format version: only the versions this build reads
    ("turns: 4", "turns: 4\nschema_version: -1",
     "s.yaml:5:17: schema_version -1 does not exist (this build reads versions 1 to 3); write 3"),
    ("turns: 4", "turns: 4\nschema_version: 999",
     "s.yaml:5:17: schema_version 999 is newer than this build of wargame (this build reads "
     "versions 1 to 3): upgrade wargame to use this file"),
    # texts: bounded, and no control or bidi-override characters in names
    ("title: Tiny", "title: " + "x" * 300,
     "s.yaml:3:8: title: is too long (300 characters; at most 200)"),
    ("title: Tiny", "title: Tiny\nsummary: " + "x" * 20_001,
     "s.yaml:4:10: summary: is too long (20,001 characters; at most 20,000)"),
    ("name: China,", 'name: "Chi\\0na",',
     "s.yaml:6:21: actors[0].name: contains a control character (U+0000): remove it"),
    ("name: China,", 'name: "Chi\\u202Ena",',
     "s.yaml:6:21: actors[0].name: contains a bidirectional-override character (U+202E), "
     "which makes it display differently from what it is: remove it"),
    ("title: Tiny", 'title: Tiny\nsummary: "two\\nlines\\x07"',
     "s.yaml:4:10: summary: contains a control character (U+0007): remove it"),
    ("{id: ev, name: EVs}", "{id: \"ev\\e[31m\", name: EVs}",
     "s.yaml:18:10: sectors[0].id: 'ev\\x1b[31m' is not a valid id: use letters, digits, "
     "'_' or '-', starting with a letter"),
    # YAML keys that would be dropped silently
    ("turns: 4", "turns: 4\n~: 3",
     "s.yaml:5:1: a key is empty ('~', 'null' or nothing before ':'): give it a name, or put "
     "it in quotes if it is meant as text"),
    ("turns: 4", "turns: 4\nnull: x",
     "s.yaml:5:1: a key is empty ('~', 'null' or nothing before ':'): give it a name, or put "
     "it in quotes if it is meant as text"),
])
def test_hostile_value_is_refused_where_it_is(old, new, expected):
    assert expected in problems_of(old, new)


def test_long_texts_keep_their_lines_and_tabs():
    text = TINY.replace("title: Tiny", 'title: Tiny\nsummary: "two\\nlines\\tand a tab"')
    assert load_scenario_text(text).summary == "two\nlines\tand a tab"


def test_effect_arguments_and_standing_order_parameters_are_finite():
    text = TINY + """\
restriction_levels:
  - {id: freeze, name: Freeze, mean: 0.1}
moves:
  - id: cap
    name: Cap
    effects:
      - {primitive: set_parameter, parameter: budget, team: beijing, value: .nan}
"""
    found = [str(p) for p in pytest.raises(ScenarioError, load_scenario_text, text, "s.yaml"
                                           ).value.problems]
    assert ("s.yaml:30:77: moves[0].effects[0].value: must be a finite number of at most "
            "1e+12 in size (got nan)") in found


def test_every_kind_of_problem_is_reported_in_one_run():
    """Schema problems (a negative capacity, a NaN budget), YAML problems (a duplicate key)
    and cross-reference problems (an unknown actor, an unknown sector) all at once, by
    line; the team whose budget failed is set aside without false 'unknown team' reports."""
    text = (TINY.replace("capacity: 1000}", "capacity: -5}")
            .replace("{actor: CHN, material: ree, stage: oxide",
                     "{actor: CHX, material: ree, stage: oxide")
            .replace("sector: ev, material", "sector: evs, material")
            .replace("name: Washington, budget: 100}", "name: Washington, budget: .nan}")
            .replace("turns: 4", "turns: 4\nturns: 5"))
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:5:1: duplicate key 'turns' (first given on line 4); keep one",
        "s.yaml:11:48: teams[1].budget: must be a finite number (not NaN or infinity) "
        "(got nan)",
        "s.yaml:21:56: capacities[0].capacity: must not be negative (got -5)",
        "s.yaml:22:13: capacities[1].actor: unknown actor 'CHX' (did you mean 'CHN'? "
        "known: CHN, USA)",
        "s.yaml:24:26: demand[0].sector: unknown sector 'evs' (did you mean 'ev'? known: ev)",
    ]


def test_an_upgrade_step_brings_an_old_file_to_the_current_format(monkeypatch):
    """The hook a later format change uses: a version-1 file is upgraded on load, with a
    note saying what changed, and validated as the new version."""
    def rename_titel(raw):
        raw["title"] = raw.pop("titel")
        return raw, ["'titel' is now 'title'"]

    monkeypatch.setattr(upgrade_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(upgrade_module.UPGRADES, 1, rename_titel)
    old_file = TINY.replace("title: Tiny", "titel: Tiny")
    data, notes = upgrade_module.upgrade({"titel": "Tiny", "schema_version": 1}, 1)
    assert data == {"title": "Tiny", "schema_version": 2}
    assert notes == ["upgraded from format 1 to 2: 'titel' is now 'title'"]
    assert upgrade_module.version_problem(1) is None
    assert upgrade_module.version_problem(3) == (
        "schema_version 3 is newer than this build of wargame (this build reads versions 1 "
        "to 2): upgrade wargame to use this file")
    loaded = read_scenario_text(old_file, "s.yaml")
    assert loaded.scenario.title == "Tiny" and loaded.scenario.schema_version == 2
    assert loaded.notes == ("upgraded from format 1 to 2: 'titel' is now 'title'",)


def test_a_current_file_has_no_loading_notes():
    assert read_scenario_text(TINY).notes == ()
