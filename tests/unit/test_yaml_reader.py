"""The YAML reader: plain data with the line of every value, bounded work (aliases counted
at full size, nesting depth), YAML 1.2 scalars, and syntax errors in plain words at the place
to fix. Both parsers (libyaml's C parser and ruamel.yaml's pure-Python fallback) agree."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from wargame.scenario import yaml_reader
from wargame.scenario.yaml_reader import parse_yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


@pytest.fixture(params=["libyaml", "ruamel"])
def parser(request, monkeypatch):
    """Run the test with each parser: the C one, and the fallback without libyaml."""
    if request.param == "ruamel":
        monkeypatch.setattr(yaml_reader, "_CParser", None)
    else:
        assert yaml_reader._CParser is not None, "PyYAML with libyaml should be installed"
    return request.param


def messages(text: str) -> list[str]:
    return [str(p) for p in parse_yaml(text, "f.yaml").problems]


def test_scalars_follow_yaml_1_2(parser):
    data = parse_yaml("a: [1_000, 0x1f, 0o17, -.inf, .NaN, ~, true, no, on, 2025-12-01, "
                      "'5', 1e3, =]\n", "f.yaml").data
    assert data["a"][:5] == [1000, 31, 15, -math.inf, data["a"][4]]
    assert math.isnan(data["a"][4])
    assert data["a"][5:] == [None, True, "no", "on", "2025-12-01", "5", 1000.0, "="]


def test_positions_of_values_and_keys(parser):
    parsed = parse_yaml("id: x\nteams:\n  - {id: a, budget: 5}\n", "f.yaml")
    assert parsed.positions[("id",)] == (1, 5)
    assert parsed.positions[("teams", 0, "budget")] == (3, 21)
    assert parsed.positions.keys[("teams",)] == (2, 1)


def test_anchors_aliases_and_merge_keys(parser):
    data = parse_yaml("base: &b {x: 1, y: 2}\nmore: {<<: *b, y: 3}\nsame: *b\n", "f.yaml").data
    assert data["more"] == {"x": 1, "y": 3} and data["same"] == {"x": 1, "y": 2}


@pytest.mark.parametrize("text, expected", [
    ('a: 1\nb: 2\nc: "unterminated\nd: 4\ne: 5\n',
     'f.yaml:3:4: YAML syntax error: the quote " opened here is never closed: add the '
     'closing " at the end of the text'),
    ("a: [1, 2\nb: 3\n",
     "f.yaml:2:2: YAML syntax error: the list '[' that started on line 1 is not closed "
     "here: add ']' (or a ',' between its items)"),
    ("a:\n\tb: 1\n",
     "f.yaml:2:1: YAML syntax error: a tab character: YAML indents with spaces only"),
    ("a: b: c\n",
     "f.yaml:1:5: YAML syntax error: a second ': ' on this line: put text that contains "
     "': ' in quotes, or start the nested mapping on a new line"),
    ("a:\n  b: 1\n c: 2\n",
     "f.yaml:3:2: YAML syntax error: this line does not fit the indentation of the block "
     "that started on line 1: indent it like the lines it belongs with (spaces only); a '- ' "
     "item must sit under a key"),
    ("a: b\x07\n",
     "f.yaml:1:5: the file contains the control character U+0007, which YAML does not "
     "allow: is it a text file? remove that character"),
    ("a: *nowhere\n",
     "f.yaml:1:4: alias '*nowhere' refers to no anchor: write '&nowhere' on the value it "
     "should repeat, before this line"),
    ("a: &x [*x]\n", "f.yaml:1:8: alias '*x' refers to itself (a recursive anchor)"),
    ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first given on line 1); keep one"),
    ("~: 1\n", "f.yaml:1:1: a key is empty ('~', 'null' or nothing before ':'): give it a "
               "name, or put it in quotes if it is meant as text"),
    ("? [a, b]\n: 1\n", "f.yaml:1:3: a key must be a plain word, not a list or mapping"),
    ("a: !!int abc\n", "f.yaml:1:4: cannot read 'abc' as int"),
    ("a: !custom 1\n", "f.yaml:1:4: tag '!custom' is not allowed (only plain YAML values)"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1: a second YAML document starts here ('---'): a file "
                          "holds one; remove the '---' line or split the file"),
])
def test_problems_in_plain_words_at_the_place_to_fix(parser, text, expected):
    assert messages(text) == [expected]


def test_an_alias_bomb_stops_at_the_value_limit(parser):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    parsed = parse_yaml("\n".join(lines) + "\n", "f.yaml", max_values=10_000)
    assert parsed.fatal and parsed.data is None
    assert messages_of(parsed) == ["f.yaml:5:10: the file expands to more than 10,000 values "
                                   "(through &anchors and *aliases, or sheer size); a real "
                                   "file needs far fewer: remove the alias chain (an 'alias "
                                   "bomb'?) or split the file"]


def messages_of(parsed) -> list[str]:
    return [str(p) for p in parsed.problems]


@pytest.mark.parametrize("text", ["[" * 100_000, "{a: " * 100_000,
                                  "".join("  " * i + "k:\n" for i in range(200)),
                                  "- " * 100 + "x\n"])
def test_deep_nesting_is_refused_without_recursion(parser, text):
    parsed = parse_yaml(text, "f.yaml")
    assert parsed.fatal
    assert "nested more than 64 levels deep" in parsed.problems[0].message


def test_the_shipped_scenario_reads_the_same_with_both_parsers(monkeypatch):
    text = (FIXTURES / "mini.yaml").read_text()
    fast = parse_yaml(text, "m.yaml")
    monkeypatch.setattr(yaml_reader, "_CParser", None)
    slow = parse_yaml(text, "m.yaml")
    assert fast.data == slow.data and dict(fast.positions) == dict(slow.positions)
    assert fast.problems == slow.problems == []
