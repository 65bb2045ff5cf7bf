"""Secrets on the command line (issue 10, item 10): with a facilitator PIN set, ``export``
leaves the open turn's sealed orders (and every draft) out unless the PIN is given, and
``rewind`` and ``fork`` need it; without a PIN set, nothing is held back but drafts, which
are exported only when asked for. (The prompt, which never echoes, is used in a terminal;
tests run without one.)"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.engine import Order
from wargame.scenario.loader import load_scenario
from wargame.session.exercise import Exercise

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"
PIN = "864209"
OFFTAKE = Order("brussels", "offtake_deal", {"seller": "CHN", "material": "ree",
                                             "stage": "separation", "share": 0.2})


def mid_turn(db: Path, pin: str | None) -> str:
    """Turn 1 committed; in turn 2 Brussels has submitted, Washington has a draft."""
    ex = Exercise.create(db, load_scenario(MINI), seed=2, teams={"beijing": "bot"},
                         facilitator_pin=pin)
    key = ex.unlock("facilitator", pin)
    ex.play_turn({"brussels": [], "washington": []}, key)
    ex.next_turn(key)
    ex.begin_orders(key)
    ex.submit_orders("brussels", [OFFTAKE])
    ex.save_draft("washington", [Order("washington", "price_floor", {})])
    ex.close()
    return ex.id


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sealed(data: dict) -> list[dict]:
    """Events of the open turn (2) that are sealed until it resolves."""
    return [e for e in data["events"] if e["turn"] == 2 and e["visibility"] is not None
            and "until resolved" in e["visibility"]]


def test_without_the_pin_the_open_turns_sealed_orders_stay_out(capsys, tmp_path):
    db, out = tmp_path / "s.sqlite", tmp_path / "x.json"
    sid = mid_turn(db, PIN)
    code, _, err = run(capsys, "export", sid, "--out", out, "--db", db)
    data = json.loads(out.read_text())
    assert code == 0 and data["redacted"] and sealed(data) == [] and data["drafts"] == []
    assert "sealed event(s) of the open turn were left out" in err
    assert PIN not in out.read_text()
    # what is left still imports and replays (the open turn simply has no submissions)
    other = tmp_path / "other.sqlite"
    assert run(capsys, "import", out, "--db", other)[0] == 0
    assert run(capsys, "replay", sid, "--verify", "--db", other)[0] == 0
    assert Exercise.open(other, sid).submitted_teams() == []


def test_with_the_pin_everything_but_unasked_drafts(capsys, tmp_path):
    db, out = tmp_path / "s.sqlite", tmp_path / "x.json"
    sid = mid_turn(db, PIN)
    assert run(capsys, "export", sid, "--out", out, "--pin", PIN, "--db", db)[0] == 0
    data = json.loads(out.read_text())
    assert not data["redacted"] and [e["payload"]["team"] for e in sealed(data)] == ["brussels"]
    assert data["drafts"] == []
    assert run(capsys, "export", sid, "--out", out, "--pin", PIN, "--drafts",
               "--db", db)[0] == 0
    assert [d["team"] for d in json.loads(out.read_text())["drafts"]] == ["washington"]


def test_a_wrong_pin_or_drafts_without_it_are_refused(capsys, tmp_path):
    db, out = tmp_path / "s.sqlite", tmp_path / "x.json"
    sid = mid_turn(db, PIN)
    code, _, err = run(capsys, "export", sid, "--out", out, "--pin", "000000", "--db", db)
    assert code == 2 and "wrong facilitator PIN" in err and not out.exists()
    code, _, err = run(capsys, "export", sid, "--out", out, "--drafts", "--db", db)
    assert code == 2 and "give it with --pin" in err


@pytest.mark.parametrize("argv", [
    ["rewind", "{sid}", "--to-turn", "1", "--reason", "again"],
    ["fork", "{sid}", "--from-turn", "1"],
])
def test_rewind_and_fork_need_the_facilitator_pin(capsys, tmp_path, argv):
    db = tmp_path / "s.sqlite"
    sid = mid_turn(db, PIN)
    argv = [a.replace("{sid}", sid) for a in argv]
    code, _, err = run(capsys, *argv, "--db", db)
    assert code == 2 and "has a facilitator PIN" in err
    code, _, err = run(capsys, *argv, "--pin", "111111", "--db", db)
    assert code == 2 and "wrong facilitator PIN" in err
    assert Exercise.open(db, sid).turn == 2 and len(Exercise.open(db, sid).branches()) == 0
    assert run(capsys, *argv, "--pin", PIN, "--db", db)[0] == 0


def test_without_a_pin_set_nothing_is_held_back_but_drafts(capsys, tmp_path):
    db, out = tmp_path / "s.sqlite", tmp_path / "x.json"
    sid = mid_turn(db, None)
    assert run(capsys, "export", sid, "--out", out, "--db", db)[0] == 0
    data = json.loads(out.read_text())
    assert not data["redacted"] and len(sealed(data)) == 1 and data["drafts"] == []
    assert run(capsys, "export", sid, "--out", out, "--drafts", "--db", db)[0] == 0
    assert len(json.loads(out.read_text())["drafts"]) == 1


def test_a_rewind_logs_its_reason_in_the_notes(capsys, tmp_path):
    db = tmp_path / "s.sqlite"
    sid = mid_turn(db, None)
    code, out, _ = run(capsys, "rewind", sid, "--to-turn", "1", "--reason", "the minister "
                       "changed her mind", "--db", db)
    assert code == 0 and "kept as archived branch 1" in out
    [note] = Exercise.open(db, sid).notes()
    assert note.text.startswith("Rewound to the start of turn 1 (turns 1..2 archived)")
    assert note.text.endswith("the minister changed her mind")
