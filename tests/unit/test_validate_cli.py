"""`wargame validate` and `wargame scenarios`: exit codes and one line per file/problem."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wargame.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "scenarios"
MINI = FIXTURES / "mini.yaml"


def test_valid_file_prints_ok_and_exits_0(capsys):
    assert main(["validate", str(MINI)]) == 0
    out = capsys.readouterr().out
    assert out == (f"{MINI}: ok (Mini rare-earth and gallium crisis, 3 actors, 3 teams, "
                   "9 moves)\n")


def test_invalid_file_prints_problems_and_exits_2(capsys):
    broken = FIXTURES / "broken" / "negative_capacity.yaml"
    assert main(["validate", str(MINI), str(broken)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{MINI}: ok")
    assert out[1] == f"{broken}:18:15: capacities[0].capacity: must not be negative (got -5)"


def test_directory_validates_every_yaml(capsys):
    assert main(["validate", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "mini.yaml: ok" in out and "tiny.yaml: ok" in out
    assert main(["validate", str(FIXTURES / "broken")]) == 2


def test_missing_path_exits_2_with_a_clear_line(capsys, tmp_path):
    missing = tmp_path / "nope.yaml"
    assert main(["validate", str(missing)]) == 2
    assert capsys.readouterr().err == f"{missing}: no such file or directory\n"


def test_empty_directory_exits_2(capsys, tmp_path):
    assert main(["validate", str(tmp_path)]) == 2
    assert "no *.yaml scenario files" in capsys.readouterr().err


def test_lint_warnings_do_not_fail(capsys, tmp_path):
    unbalanced = tmp_path / "unbalanced.yaml"
    unbalanced.write_text(MINI.read_text().replace("tonnes_per_year: 300}", "tonnes_per_year: 400}"))
    assert main(["validate", "--lint", str(unbalanced)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{unbalanced}: ok")
    assert out[1] == (f"{unbalanced}: warning: material 'ga': last stage 'refined' world output "
                      "450 t/yr but world demand is 550 t/yr (18% apart)")
    assert main(["validate", str(unbalanced)]) == 0
    assert ": warning:" not in capsys.readouterr().out


def test_scenarios_lists_id_title_turns_file(capsys):
    assert main(["scenarios", str(FIXTURES)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "TURNS", "FILE"]
    assert any(line.startswith("mini ") and line.endswith(str(MINI)) and " 8 " in line
               for line in lines)


def test_scenarios_on_a_missing_directory_exits_2(capsys, tmp_path):
    assert main(["scenarios", str(tmp_path / "none")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_validate_as_a_subprocess():
    broken = FIXTURES / "broken" / "unknown_refs.yaml"
    ok = subprocess.run([sys.executable, "-m", "wargame.cli", "validate", str(MINI)],
                        capture_output=True, text=True, cwd=REPO, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"{MINI}: ok (")
    bad = subprocess.run([sys.executable, "-m", "wargame.cli", "validate", str(broken)],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert bad.returncode == 2
    assert f"{broken}:17:13: capacities[0].actor: unknown actor 'USAA'" in bad.stdout
    assert "Traceback" not in bad.stderr
