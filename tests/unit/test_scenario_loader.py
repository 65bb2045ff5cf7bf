"""The loader: YAML -> Scenario, and every problem at FILE:LINE:COL in plain words."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.scenario.checks import balance_report
from wargame.scenario.loader import (
    Problem,
    ScenarioError,
    default_scenario_path,
    find_scenarios,
    load_scenario,
    load_scenario_text,
    scenario_from_dict,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
BROKEN = FIXTURES / "broken"
TINY = (FIXTURES / "tiny.yaml").read_text()


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [str(p) for p in info.value.problems]


def text_problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    return [str(p) for p in info.value.problems]


# --------------------------------------------------------------------------- valid files


def test_mini_scenario_loads_and_is_balanced():
    scenario = load_scenario(FIXTURES / "mini.yaml")
    assert scenario.id == "mini"
    assert [a.id for a in scenario.actors] == ["CHN", "USA", "EU"]
    assert len(scenario.teams) == 3 and len(scenario.materials) == 2
    assert [st.id for st in scenario.material("ree").stages] == ["mine", "separation", "magnet"]
    assert scenario.material("ree").stages[1].yield_.value == 0.9
    assert scenario.move_index["export_licences"].duration == "$turns"
    assert scenario.injects[0].turn == 3
    assert balance_report(scenario) == []
    assert scenario.capacities[0].output.source == "illustrative"


def test_tiny_scenario_loads():
    scenario = load_scenario(FIXTURES / "tiny.yaml")
    assert scenario.team_actors("beijing") == ("CHN",)


def test_round_trip_through_a_stored_dict():
    scenario = load_scenario(FIXTURES / "mini.yaml")
    again = scenario_from_dict(scenario.to_json_dict())
    assert again == scenario
    assert again.content_hash == scenario.content_hash


def test_dates_anchors_and_merge_keys_are_plain_data():
    text = TINY.replace("title: Tiny", "title: Tiny\nstart_date: 2025-12-01").replace(
        "  - {id: ev, name: EVs}",
        "  - &ev {id: ev, name: EVs}\n  - {<<: *ev, id: wind, name: Wind}")
    scenario = load_scenario_text(text)
    assert scenario.start_date == "2025-12-01"
    assert [s.id for s in scenario.sectors] == ["ev", "wind"]


def test_effect_arguments_may_be_nested_under_args():
    scenario = load_scenario(FIXTURES / "mini.yaml")
    flat = scenario.move_index["price_floor"].effects[0]
    assert flat.args["producer"] == "USA"


# --------------------------------------------------------------------------- broken files


def test_bad_yaml_syntax_gives_one_problem_at_the_parser_mark():
    found = problems(BROKEN / "bad_syntax.yaml")
    assert len(found) == 1
    assert found[0].startswith(f"{BROKEN / 'bad_syntax.yaml'}:4:1: YAML syntax error: ")
    assert "started on line 3" in found[0]


def test_python_tag_is_rejected_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    text = f'id: x\ntitle: x\nsummary: !!python/object/apply:os.system ["touch {marker}"]\n'
    found = text_problems(text)
    assert "s.yaml:3:10: tag '!!python/object/apply:os.system' is not allowed " \
           "(only plain YAML values)" in found
    assert not any("summary" in p for p in found)  # the refused value is reported once
    assert found[0] == ("s.yaml:1:1: missing required fields 'actors', 'teams', 'materials' "
                        "and 'sectors'")  # and the rest too, in one run
    assert not marker.exists()
    assert any(p.startswith(f"{BROKEN / 'python_tag.yaml'}:3:10: tag "
                            "'!!python/object/apply:os.system'")
               for p in problems(BROKEN / "python_tag.yaml"))


@pytest.mark.parametrize("snippet, line, col", [
    ("budget: !env 100", 9, 42),
    ("budget: !!python/name:os.system 100", 9, 42),
    ("budget: !!set {a, b}", 9, 42),
])
def test_any_custom_or_object_tag_is_rejected(snippet, line, col):
    text = TINY.replace("budget: 100}", snippet + "}", 1)
    found = text_problems(text)
    assert len(found) == 1
    assert found[0].startswith(f"s.yaml:{line}:{col}: tag ")


def test_negative_capacity_points_at_the_value():
    path = BROKEN / "negative_capacity.yaml"
    assert problems(path) == [
        f"{path}:18:15: capacities[0].capacity: must not be negative (got -5)"]


def test_wrong_types_and_several_errors_are_reported_together():
    path = BROKEN / "multiple_errors.yaml"
    assert problems(path) == [
        f"{path}:3:8: turns: must be a whole number (got 'eight')",
        f"{path}:5:43: actors[0].colour: unknown field 'colour' "
        "(allowed: id, name, team, position, bloc, description)",
        f"{path}:9:5: materials[0]: missing required field 'name'",
        f"{path}:11:49: materials[0].stages[0].yield: must be a share between 0 and 1 (got 1.5)",
        f"{path}:13:35: sectors[0].priority: must be a whole number (got 'high')",
    ]


def test_duplicate_ids():
    path = BROKEN / "duplicate_ids.yaml"
    assert problems(path) == [
        f"{path}:5:10: actors[1].id: duplicate id 'CHN' (also actors[0])",
        f"{path}:15:10: sectors[1].id: duplicate id 'ev' (also sectors[0])",
    ]


def test_unknown_references():
    path = BROKEN / "unknown_refs.yaml"
    assert problems(path) == [
        f"{path}:17:13: capacities[0].actor: unknown actor 'USAA' "
        "(did you mean 'USA'? known: CHN, USA)",
        f"{path}:18:40: capacities[1].stage: unknown stage 'magnet' for material 'ree' "
        "(did you mean 'mine'? known: mine)",
        f"{path}:20:26: demand[0].sector: unknown sector 'wind' (known: ev)",
    ]


def test_duplicate_yaml_key():
    found = text_problems(TINY.replace("turns: 4", "turns: 4\nturns: 5"))
    assert found == ["s.yaml:5:1: duplicate key 'turns' (first given on line 4); keep one"]


def test_unknown_field_suggests_the_spelling():
    found = text_problems(TINY.replace("title: Tiny", "titel: Tiny"))
    assert "s.yaml:3:1: titel: unknown field 'titel' (did you mean 'title'?)" in found
    assert "s.yaml:2:1: missing required field 'title'" in found


def test_missing_field_points_at_the_item():
    found = text_problems(TINY.replace("{id: ev, name: EVs}", "{id: ev}"))
    assert found == ["s.yaml:18:5: sectors[0]: missing required field 'name'"]


def test_bad_id_and_literal_choice():
    text = TINY.replace("{id: ev, name: EVs}", "{id: 9ev, name: EVs}").replace(
        "name: Beijing, budget: 100}", "name: Beijing, budget: 100, bot: rambo}")
    found = text_problems(text)
    assert any(p.startswith("s.yaml:9:52: teams[0].bot: must be one of 'hawk'") for p in found)
    assert ("s.yaml:18:10: sectors[0].id: '9ev' is not a valid id: use letters, digits, "
            "'_' or '-', starting with a letter") in found


def test_union_errors_are_merged_into_one_line():
    text = (FIXTURES / "mini.yaml").read_text().replace(
        "    teams: [washington]\n    params:\n      - {name: tonnes",
        "    teams: washington\n    params:\n      - {name: tonnes")
    found = [p for p in text_problems(text) if "teams" in p]
    assert len(found) == 1
    assert found[0].endswith("moves[3].teams: must be a list or must be one of 'all' "
                             "(got 'washington')")


def test_model_level_rule_points_at_the_entry():
    text = TINY.replace("stage: oxide, capacity: 900}", "stage: oxide, capacity: 900, output: 950}")
    assert text_problems(text) == ["s.yaml:21:5: capacities[1]: output 950 exceeds capacity 900"]


def test_empty_and_non_mapping_files():
    assert text_problems("") == ["s.yaml:1:1: the file is empty"]
    assert text_problems("- a\n- b\n")[0].startswith("s.yaml:1:1: a scenario file must be a mapping")


def test_missing_file_and_directory(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert problems(missing) == [f"{missing}: no such scenario file"]
    assert problems(tmp_path) == [f"{tmp_path}: is a directory, not a scenario file"]


def test_problem_and_error_formatting():
    problem = Problem("a.yaml", 3, 7, "bad")
    assert str(problem) == "a.yaml:3:7: bad"
    error = ScenarioError([problem, Problem("a.yaml", 4, 1, "worse")])
    assert isinstance(error, ValueError)
    assert str(error) == "a.yaml:3:7: bad\na.yaml:4:1: worse"


def test_scenario_from_dict_names_the_field_without_lines():
    data = load_scenario(FIXTURES / "tiny.yaml").to_json_dict()
    data["capacities"][0]["capacity"] = {"value": -1}
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    assert str(info.value) == ("<stored scenario>: capacities[0].capacity: "
                               "must not be negative (got -1)")


def test_find_scenarios_and_default_path(tmp_path):
    (tmp_path / "b.yaml").write_text("x")
    (tmp_path / "a.yml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in find_scenarios(tmp_path)] == ["a.yml", "b.yaml"]
    assert find_scenarios(tmp_path / "missing") == []
    assert default_scenario_path().name == "rare-earth-shock-2025.yaml"
