"""``simulate`` and ``simulate --db`` are one game loop (issue 7): for the same seed and
orders file, including an illegal order, they give identical per-turn results; the illegal
order is reported the same way by both, never dropped silently; ``--no-explain`` is
honoured by both."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.session.exercise import Exercise

MINI = str(Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml")
ORDERS = """\
- {turn: 1, team: beijing, move: export_licences,
   params: {material: ree, targets: USA, level: freeze}}
- {turn: 2, team: brussels, move: offtake_deal,
   params: {seller: CHN, material: ree, stage: separation, share: 0.2}}
- {turn: 2, team: brussels, move: build_capacity,
   params: {material: ree, stage: separation, tonnes: 1000000}}
"""


def simulate(capsys, tmp_path: Path, name: str, *extra: str) -> tuple[dict, str]:
    orders = tmp_path / "orders.yaml"
    orders.write_text(ORDERS)
    out = tmp_path / f"{name}.json"
    assert main(["simulate", MINI, "--turns", "3", "--seed", "6", "--orders", str(orders),
                 "--bots", "washington", "--json", str(out), *extra]) == 0
    return json.loads(out.read_text()), capsys.readouterr().out


@pytest.mark.parametrize("explain", [[], ["--no-explain"]], ids=["explained", "unexplained"])
def test_the_two_paths_give_the_same_turns(capsys, tmp_path, explain):
    plain, plain_out = simulate(capsys, tmp_path, "plain", *explain)
    saved, saved_out = simulate(capsys, tmp_path, "saved", *explain,
                                "--db", str(tmp_path / "s.sqlite"))
    assert plain == saved
    assert plain_out.splitlines()[:-1] == saved_out.splitlines()[:-1]  # last: session id
    # the illegal order (far beyond the parameter's maximum) is reported by both, turn 2
    [line] = [line for line in plain_out.splitlines() if "rejected at submission" in line]
    assert "Brussels" in line and "1000000" in line.replace(",", "")
    # and the legal order of the same team went in
    assert any(o["team"] == "brussels" and o["status"] == "accepted"
               for o in plain["turns"][1]["outcomes"])


def test_no_explain_is_honoured_by_both_paths(capsys, tmp_path):
    """Without explanations only the narration stays (injects, arrivals): no what-if lines
    ("without ... it would have been"), saved or not."""
    for extra in ([], ["--db", str(tmp_path / "s.sqlite")]):
        explained, _ = simulate(capsys, tmp_path, "a", *extra)
        unexplained, _ = simulate(capsys, tmp_path, "b", "--no-explain", *extra)
        what_if = [[e for e in turn["explanations"] if "would have been" in e["text"]]
                   for turn in unexplained["turns"]]
        assert what_if == [[], [], []]
        assert any("would have been" in e["text"]
                   for turn in explained["turns"] for e in turn["explanations"])


def test_the_saved_session_replays_to_the_same_final_state(capsys, tmp_path):
    db = tmp_path / "s.sqlite"
    saved, out = simulate(capsys, tmp_path, "saved", "--db", str(db))
    session_id = out.strip().rsplit(" ", 1)[-1]
    ex = Exercise.open(db, session_id)
    assert ex.state.content_hash() == saved["state_hash"] and ex.phase == "ended"
    assert main(["replay", session_id, "--db", str(db), "--verify"]) == 0
