"""``wargame report``: every format from the command line, and user errors as one line."""
from __future__ import annotations

import pytest

from wargame.cli import main

from report_session import NOTES, play_session


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    return play_session(tmp_path_factory.mktemp("cli") / "sessions.sqlite")


@pytest.mark.parametrize("fmt, name", [("html", "r.html"), ("pdf", "r.pdf"),
                                       ("xlsx", "r.xlsx"), ("csv", "tables")])
def test_report_writes_each_format(played, tmp_path, capsys, fmt, name):
    out = tmp_path / name
    code = main(["report", played.session_id[:5], "--db", str(played.db), "--format", fmt,
                 "--out", str(out)])
    assert code == 0
    assert f"report written to {out}" in capsys.readouterr().out
    if fmt == "csv":
        assert (out / "notes.csv").read_text().count("\n") == len(NOTES) + 1
    else:
        assert out.stat().st_size > 1000
    if fmt == "html":
        assert "After-action report" in out.read_text()
    if fmt == "pdf":
        assert out.read_bytes().startswith(b"%PDF-")


def test_the_format_follows_the_file_name(played, tmp_path):
    assert main(["report", played.session_id, "--db", str(played.db), "--out",
                 str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("argv_tail, message", [
    (["--out", "r.txt"], "say which format with --format"),
    (["--session", "nope"], "no session 'nope'"),
])
def test_user_errors_are_one_line(played, tmp_path, capsys, argv_tail, message):
    session = played.session_id
    if argv_tail[0] == "--session":
        session, argv_tail = argv_tail[1], ["--out", "r.html"]
    argv = ["report", session, "--db", str(played.db), "--out",
            str(tmp_path / argv_tail[1])]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_unwritable_place_is_a_user_error(played, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["report", played.session_id, "--db", str(played.db), "--out",
                 str(blocker / "r.html")]) == 2
    assert "cannot write" in capsys.readouterr().err
