"""Orders files: every problem names the item and its line (``FILE: item N (line L)``),
numbers are finite, turns lie inside the game, and the file is read with bounded work."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from wargame.limits import MAX_ORDERS_BYTES
from wargame.scenario.loader import load_scenario
from wargame.scenario.orders_file import OrdersFileError, load_orders_file, orders_from_text

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"
GOOD = "{turn: 1, team: washington, move: build_capacity, " \
       "params: {material: ree, stage: mine, tonnes: 500}}"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(MINI)


def refused(text: str, scenario, turns: int | None = None) -> list[str]:
    with pytest.raises(OrdersFileError) as info:
        orders_from_text(text, "o.yaml", scenario, turns)
    return info.value.problems


def test_a_good_file_gives_orders_with_their_place(scenario):
    orders = orders_from_text(f"# plan\n- {GOOD}\n- {GOOD.replace('500', '600')}\n",
                              "o.yaml", scenario)
    assert [(o.item, o.line, o.params["tonnes"]) for o in orders] == [(1, 2, 500), (2, 3, 600)]
    assert orders[0].id == "t1-washington-1"


def test_an_empty_file_has_no_orders(scenario):
    assert orders_from_text("# nothing yet\n", "o.yaml", scenario) == []


@pytest.mark.parametrize("item, turns, expected", [
    ("{turn: 1000000000, team: beijing, move: export_licences}", 3,
     "o.yaml: item 2 (line 2): turn 1000000000 is after the last turn of this game (3); it "
     "would never be played"),
    (GOOD.replace("500", ".nan"), None,
     "o.yaml: item 2 (line 2): parameter 'tonnes': must be a finite number of at most 1e+12 "
     "in size (got nan)"),
    (GOOD.replace("500", "1e308"), None,
     "o.yaml: item 2 (line 2): parameter 'tonnes': must be a finite number of at most 1e+12 "
     "in size (got 1e+308)"),
    ("{turn: 0, team: beijing, move: export_licences}", None,
     "o.yaml: item 2 (line 2): 'turn' must be a whole number from 1 to 8 (got '0')"),
    ("{turn: 1, team: narnia, move: export_licences}", None,
     "o.yaml: item 2 (line 2): unknown team 'narnia' (known: beijing, washington, brussels)"),
    ("{turn: 1, team: washington, move: export_licences}", None,
     "o.yaml: item 2 (line 2): team 'washington' may not use move 'export_licences'"),
    ("{turn: 1, team: beijing, move: export_licences, when: now}", None,
     "o.yaml: item 2 (line 2): unknown field(s) when (allowed: turn, team, move, params, id)"),
    ('{turn: 1, team: beijing, move: export_licences, id: "a\\e[2Jb"}', None,
     "o.yaml: item 2 (line 2): 'id' contains a control character (U+001B): remove it"),
    ('{turn: 1, team: beijing, move: export_licences, id: "a\\u202eb"}', None,
     "o.yaml: item 2 (line 2): 'id' contains a bidirectional-override character (U+202E), "
     "which makes it display differently from what it is: remove it"),
    ("{turn: 1, team: beijing, move: export_licences, params: [1]}", None,
     "o.yaml: item 2 (line 2): 'params' must be a mapping of parameter: value"),
    ("just text", None, "o.yaml: item 2 (line 2): expected a mapping with turn, team, move, "
                        "params"),
])
def test_each_problem_names_the_item_and_its_line(scenario, item, turns, expected):
    assert refused(f"- {GOOD}\n- {item}\n", scenario, turns) == [expected]


def test_all_problems_are_listed_at_once(scenario):
    text = (f"- {GOOD}\n"
            "- {turn: 1, team: narnia, move: teleport}\n"
            f"- {GOOD.replace('500', '.inf')}\n")
    assert refused(text, scenario) == [
        "o.yaml: item 2 (line 2): unknown team 'narnia' (known: beijing, washington, "
        "brussels)",
        "o.yaml: item 2 (line 2): unknown move 'teleport'",
        "o.yaml: item 3 (line 3): parameter 'tonnes': must be a finite number of at most "
        "1e+12 in size (got inf)",
    ]


def test_duplicate_ids_and_keys_are_refused(scenario):
    text = (f"- {GOOD[:-1]}, id: a}}\n- {GOOD[:-1]}, id: a}}\n"
            "- {turn: 1, turn: 2, team: beijing, move: export_licences}\n")
    assert refused(text, scenario) == [
        "o.yaml:3:13: duplicate key 'turn' (first given on line 3); keep one",
        "o.yaml: item 2 (line 2): id 'a' is also the id of item 1",
    ]


def test_not_a_list_and_syntax_errors(scenario):
    assert refused("turn: 1\n", scenario) == [
        "o.yaml: expected a list of {turn, team, move, params} items (each line starting "
        "'- ')"]
    assert refused(f"- {GOOD}\n- 'open\n", scenario) == [
        "o.yaml:2:3: YAML syntax error: the quote ' opened here is never closed: add the "
        "closing ' at the end of the text"]


def test_an_alias_bomb_as_an_order_id_is_refused_early(scenario):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = "- {turn: 1, team: beijing, move: export_licences, id: " + \
        "{" + ", ".join(lines) + "}}\n"
    problems = refused(text, scenario)
    assert len(problems) == 1 and "expands to more than 150,000 values" in problems[0]


def test_files_that_are_not_plain_or_too_large_are_not_read(scenario, tmp_path):
    with pytest.raises(OrdersFileError, match="is a directory, not an orders file"):
        load_orders_file(tmp_path, scenario)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_ORDERS_BYTES + 1)
    with pytest.raises(OrdersFileError, match="is too large for an orders file"):
        load_orders_file(big, scenario)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OrdersFileError, match="is not a regular file"):
        load_orders_file(fifo, scenario)
    with pytest.raises(OrdersFileError, match="is not a regular file"):
        load_orders_file("/dev/zero", scenario)
