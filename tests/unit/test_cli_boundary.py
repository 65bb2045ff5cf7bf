"""The command line's boundary: never a traceback. A user error is one line and exit 2; an
unexpected error (a bug) is one line naming the log file, which holds the traceback, and
exit 3; input too deep or too large for Python itself is exit 2. The same through
``python -m wargame``. And tests write nothing outside their temporary folders."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.logfile import LOG_DIR_ENV, log_file_path

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"


def test_the_suite_logs_into_a_temporary_folder():
    assert Path(os.environ[LOG_DIR_ENV]) == log_file_path().parent
    assert Path(tempfile_root()) in log_file_path().parents


def tempfile_root() -> str:
    import tempfile

    return tempfile.gettempdir()


def test_an_unexpected_error_is_one_line_and_logged(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "log"))

    def broken(_args):
        raise ZeroDivisionError("division by zero in a helper")

    monkeypatch.setattr("wargame.scenario.commands.validate_command", broken)
    assert main(["validate", str(MINI)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("wargame: unexpected error, a bug in wargame (ZeroDivisionError: "
                          "division by zero in a helper); details in ")
    log = tmp_path / "log" / "wargame.log"
    assert str(log) in err
    assert "Traceback" in log.read_text() and "ZeroDivisionError" in log.read_text()


def test_recursion_error_is_bad_input_not_a_crash(monkeypatch, capsys):
    def too_deep(_args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("wargame.scenario.commands.validate_command", too_deep)
    assert main(["validate", str(MINI)]) == 2
    err = capsys.readouterr().err
    assert "too large or too deeply nested" in err and "Traceback" not in err


def test_control_characters_from_a_file_are_printed_escaped(capsys, tmp_path):
    orders = tmp_path / "orders.yaml"
    orders.write_text('- {turn: 1, team: "\\e[2J\\u202e", move: x}\n')
    assert main(["simulate", str(MINI), "--orders", str(orders)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "\\x1b[2J" in err


@pytest.mark.parametrize("module", ["wargame", "wargame.cli"])
def test_python_dash_m_has_the_same_boundary(module, tmp_path):
    bad = tmp_path / "deep.yaml"
    bad.write_text("[" * 100_000)
    out = subprocess.run([sys.executable, "-m", module, "validate", str(bad)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert str(bad) in out.stdout and "Traceback" not in out.stdout + out.stderr


def test_entry_points_write_nothing_in_the_home_folder(tmp_path):
    """HOME is a fresh folder: validating, simulating into a database in tmp_path, a bad
    file and an unexpected error (logged) leave it empty, because the suite's log folder is
    a temporary one. Without that override the log would land in HOME, as it does for a
    user."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    db = tmp_path / "games.sqlite"
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1\n")
    crash = ("import sys\nfrom wargame import cli\nimport wargame.scenario.commands as c\n"
             "c.validate_command = lambda args: 1 / 0\n"
             f"sys.exit(cli.main(['validate', {str(MINI)!r}]))\n")
    runs = [
        ([sys.executable, "-m", "wargame", "validate", str(MINI)], 0),
        ([sys.executable, "-m", "wargame", "simulate", str(MINI), "--turns", "1",
          "--quiet", "--db", str(db)], 0),
        ([sys.executable, "-m", "wargame", "sessions", "--db", str(db)], 0),
        ([sys.executable, "-m", "wargame", "validate", str(bad)], 2),
        ([sys.executable, "-c", crash], 3),
    ]
    for argv, code in runs:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
        assert out.returncode == code, (argv, out.stderr)
    assert list(home.rglob("*")) == []
    assert "ZeroDivisionError" in (Path(env[LOG_DIR_ENV]) / "wargame.log").read_text()
    del env[LOG_DIR_ENV]  # the user's case: the log goes to the home folder
    out = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 3
    assert (home / ".local" / "state" / "wargame" / "log" / "wargame.log").is_file()
