"""``wargame scenario-doc``: the briefing books say everything a facilitator hands out,
in plain words, escape every text from the file, and keep the deck and other teams'
secrets out of a team's book."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.report.briefing_book import build_book, render_book, write_books
from wargame.scenario.loader import default_scenario_path, load_scenario, load_scenario_text
from wargame.scenario.model import Effect
from wargame.scenario.plain_words import condition_in_words, effect_in_words, trigger_in_words

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def default():
    return load_scenario(default_scenario_path())


def text_of(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_facilitators_book_holds_everything(default, tmp_path):
    written = write_books(default, tmp_path)
    assert [p.name for p in written] == ["index.html"] + [f"team-{t.id}.html"
                                                          for t in default.teams]
    page = text_of((tmp_path / "index.html").read_text())
    for team in default.teams:
        assert team.name in page and team.briefing.split()[0] in page
    for move in default.moves:
        assert move.name in page
    for inject in default.injects:
        assert inject.title in page
    for trajectory in default.trajectories:
        assert trajectory.name in page
    for key in default.sources:
        assert key in page
    assert "China licenses exports of the chosen material" in page  # effects in words
    assert "The inject deck" in page and "Sources" in page


def test_a_teams_book_keeps_the_deck_and_other_teams_secrets_out(default):
    beijing = text_of(render_book(build_book(default, "beijing")))
    assert "Briefing book for Beijing" in beijing
    assert default.team("beijing").briefing[:60] in beijing
    assert default.team("washington").briefing[:60] not in beijing
    assert not any(inject.title in beijing for inject in default.injects if inject.text)
    covert = [m for m in default.moves if not m.public and not m.allowed_for("beijing")]
    assert all(m.name not in beijing for m in covert)
    assert "The inject deck" not in beijing


def test_every_text_from_the_file_is_escaped(tmp_path):
    hostile = (FIXTURES / "tiny.yaml").read_text().replace(
        "title: Tiny", "title: \"<script>alert('x')</script>\"").replace(
        "name: Beijing", "name: \"<img src=x onerror=alert(1)>\"")
    scenario = load_scenario_text(hostile)
    page = render_book(build_book(scenario))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page and "&lt;img src=x" in page
    assert "<script" not in page.lower()  # nothing runs in a book


EFFECTS = [
    ({"primitive": "export_ban", "material": "ree"},
     "China bans exports of Rare earths (the first stage) to every other country"),
    ({"primitive": "invest_capacity", "actor": "USA", "material": "ree", "stage": "oxide",
      "tonnes_per_year": 1500, "lead_time_years": 2},
     "United States builds 1,500 t/yr of Rare earths capacity (oxide), ready after 2 years"),
    ({"primitive": "offtake", "buyer": "USA", "seller": "CHN", "material": "ree",
      "stage": "oxide", "share": 0.25},
     "United States reserves 25% of the Rare earths output (oxide) of China"),
    ({"primitive": "set_parameter", "parameter": "capacity", "op": "scale", "value": 0.8,
      "actor": "CHN", "material": "ree", "stage": "mine"},
     "multiplies capacity of China, Rare earths (mine) by 0.8"),
    ({"primitive": "tariff", "importer": "USA", "exporters": ["CHN"], "material": "ree",
      "rate": 0.25}, "United States puts a 25% tariff on Rare earths (every stage) from China"),
]


@pytest.mark.parametrize("raw, words", EFFECTS, ids=[r["primitive"] for r, _ in EFFECTS])
def test_effects_in_plain_words(raw, words):
    from wargame.scenario.model import Inject

    scenario = load_scenario_text((FIXTURES / "tiny.yaml").read_text())
    by_china = Inject(id="x", title="X", by="CHN")  # '$self' is China
    assert words in effect_in_words(scenario, Effect.model_validate(raw), inject=by_china)


def test_conditions_and_triggers_in_plain_words(default):
    assert condition_in_words(default, "supply_met(USA, defence) < 80 % for 2 turns") == (
        "United States' defence supply met is below 80% at the end of each of the last "
        "2 turns")
    title = default.injects[0].title
    for condition, words in [
            (f"fired({default.injects[0].id}) >= 1", f"'{title}' has fired"),
            (f"fired({default.injects[0].id}) > 0", f"'{title}' has fired"),
            (f"fired({default.injects[0].id}) == 0", f"'{title}' has not fired yet"),
            (f"fired({default.injects[0].id}) < 1", f"'{title}' has not fired yet"),
            (f"fired({default.injects[0].id}) >= 2", f"'{title}' has fired at least 2 times"),
            (f"fired({default.injects[0].id}) == 1", f"'{title}' has fired exactly once")]:
        assert condition_in_words(default, condition) == words, condition
    assert condition_in_words(default, "restriction(CHN, JPN, ndpr) >= frozen") == (
        "the trade status from China to Japan in NdPr (light rare earths) is at least frozen")
    from wargame.scenario.model import Inject

    once = Inject(id="a", title="A", condition="turn >= 3")
    again = Inject(id="b", title="B", condition="turn >= 3", repeat=True, from_turn=2)
    chance = Inject(id="c", title="C", probability=0.25, condition="turn >= 3")
    assert trigger_in_words(default, once) == "when the turn is at least 3 (once)"
    assert trigger_in_words(default, again) == (
        "when the turn is at least 3 from turn 2, and again each time it holds after a break")
    assert trigger_in_words(default, chance) == (
        "with a 25% chance each turn while the turn is at least 3 (once)")


def test_scenario_doc_command(tmp_path, capsys):
    assert main(["scenario-doc", str(default_scenario_path()), "--out",
                 str(tmp_path / "book")]) == 0
    assert (tmp_path / "book" / "index.html").exists()
    assert "wrote" in capsys.readouterr().out
    broken = FIXTURES / "broken" / "unknown_refs.yaml"
    assert main(["scenario-doc", str(broken), "--out", str(tmp_path / "b")]) == 2
    assert f"{broken}:" in capsys.readouterr().out
    assert not (tmp_path / "b").exists()


def test_an_objective_says_which_way_is_better_once(default):
    """Rule: "(the lower, the better)" is said once, whether the label already says it or
    the book adds it."""
    page = text_of(render_book(build_book(default)))
    objectives = [o for t in default.teams for o in t.objectives]
    labelled = [o for o in objectives if o.label and "the better" in o.label.lower()]
    assert labelled, "the default scenario no longer words a direction in a label"
    for said in re.findall(r"\(weight [^)]*\)", page):
        assert said.count("better") <= 1
    better_said = sum(said.count("better") for said in re.findall(r"\(weight [^)]*\)", page))
    assert better_said == len(objectives) - len(labelled)
