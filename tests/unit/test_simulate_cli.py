"""``wargame simulate``: runs headless, byte-identical JSON for the same inputs, clear exit 2
errors for a missing scenario, a bad orders file or an unknown move."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main

MINI = str(Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml")


def test_simulate_prints_a_summary_per_turn(capsys):
    assert main(["simulate", MINI, "--turns", "3", "--seed", "4", "--bots", "all"]) == 0
    out = capsys.readouterr().out
    assert out.count("turn ") >= 3 and "3 turn(s) played, seed 4" in out


def test_json_is_byte_identical_for_the_same_inputs(tmp_path):
    orders = tmp_path / "orders.yaml"
    orders.write_text("- {turn: 1, team: beijing, move: export_licences, "
                      "params: {material: ree, targets: USA, level: freeze}}\n")
    outs = []
    for name in ("a.json", "b.json"):
        target = tmp_path / name
        assert main(["simulate", MINI, "--turns", "4", "--seed", "2", "--orders", str(orders),
                     "--bots", "washington,brussels", "--json", str(target), "--quiet"]) == 0
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]
    data = json.loads(outs[0])
    assert data["scenario"] == "mini" and data["seed"] == 2 and len(data["turns"]) == 4
    first = data["turns"][0]
    assert set(first) >= {"turn", "world_price_usd_per_kg", "supply_met_share", "scores",
                          "explanations"}
    assert 0 <= first["supply_met_share"]["USA"]["ev"] < 1
    assert set(first["scores"]["beijing"]) == {"total", "terms"}
    assert any("Beijing" in line["text"] for line in first["explanations"])
    assert len(data["state_hash"]) == 64


@pytest.mark.parametrize("args,message", [
    (["simulate", "no/such/file.yaml"], "no/such/file.yaml"),
    (["simulate", MINI, "--bots", "atlantis"], "unknown team 'atlantis' for --bots"),
    (["simulate", MINI, "--turns", "0"], "--turns must be from 1 to 1000"),
    (["simulate", MINI, "--seed", "-1"], "--seed must be a whole number from 0 to 2**63 - 1"),
    (["simulate", MINI, "--seed", str(2**63)], "--seed must be a whole number from 0"),
])
def test_user_errors_exit_2_with_a_clear_message(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("content,message", [
    ("- {turn: 1, team: beijing, move: teleport}\n", "unknown move 'teleport'"),
    ("- {turn: 1, team: narnia, move: export_licences}\n", "unknown team 'narnia'"),
    ("- {turn: 0, team: beijing, move: export_licences}\n", "'turn' must be a whole number"),
    ("- {turn: 1, team: washington, move: export_licences}\n", "may not use move"),
    ("turn: [1\n", "YAML syntax error"),
    ("just a string\n", "expected a list"),
])
def test_bad_orders_file(tmp_path, capsys, content, message):
    orders = tmp_path / "orders.yaml"
    orders.write_text(content)
    assert main(["simulate", MINI, "--orders", str(orders)]) == 2
    assert message in capsys.readouterr().err


def test_illegal_order_parameters_are_rejected_not_crashed(tmp_path, capsys):
    orders = tmp_path / "orders.yaml"
    orders.write_text("- {turn: 1, team: beijing, move: export_licences, "
                      "params: {material: unobtainium, targets: USA}}\n")
    assert main(["simulate", MINI, "--turns", "1", "--orders", str(orders)]) == 0
    assert "rejected" in capsys.readouterr().out


def test_runs_as_a_console_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "wargame.cli", "simulate", MINI, "--turns", "2",
                          "--quiet"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "2 turn(s) played" in out.stdout


def test_saved_game_skips_an_illegal_order_and_goes_on(tmp_path, capsys):
    orders = tmp_path / "orders.yaml"
    orders.write_text("- {turn: 1, team: beijing, move: export_licences, "
                      "params: {material: unobtainium, targets: USA}}\n"
                      "- {turn: 2, team: beijing, move: export_licences, "
                      "params: {material: ree, targets: USA, level: freeze}}\n")
    db = tmp_path / "games.sqlite"
    assert main(["simulate", MINI, "--turns", "3", "--orders", str(orders), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "rejected" in out and "3 turn(s) played" in out and "saved as session" in out
    assert main(["replay", out.strip().split()[-1], "--db", str(db), "--verify"]) == 0


def test_user_errors_are_clean_under_python_dash_m(tmp_path):
    """Run as ``python -m wargame.cli`` the CLI module is __main__: a user error must still
    be one line and exit 2, not a traceback."""
    out = subprocess.run([sys.executable, "-m", "wargame.cli", "simulate", MINI, "--orders",
                          str(tmp_path / "missing.yaml")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2
    assert "no such orders file" in out.stderr and "Traceback" not in out.stderr


def test_a_shipped_scenario_is_named_by_its_id(capsys, tmp_path):
    """Rule: SCENARIO is a file, or else a shipped scenario's id (as `wargame scenarios`
    lists them); a name that is neither is refused as a missing file."""
    assert main(["simulate", "managed-rivalry", "--turns", "1", "--bots", "all",
                 "--quiet", "--no-explain"]) == 0
    assert "1 turn(s) played" in capsys.readouterr().out
    assert main(["scenario-doc", "senkaku-2010", "--out", str(tmp_path / "book")]) == 0
    assert (tmp_path / "book" / "index.html").exists()
    capsys.readouterr()
    assert main(["simulate", "no-such-scenario", "--turns", "1"]) == 2
    assert "no-such-scenario" in capsys.readouterr().err
