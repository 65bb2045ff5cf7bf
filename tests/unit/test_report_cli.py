"""``wargame report``: every format from the command line, each edition (``--public``,
``--team ID``) behind its reader's PIN, ``--luck N`` (the analysis sections), and user
errors as one line."""
from __future__ import annotations

import html
from contextlib import nullcontext

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


def test_a_teams_edition_holds_its_own_orders_and_not_the_others_notes(played, tmp_path,
                                                                         capsys):
    out = tmp_path / "brussels.html"
    assert main(["report", played.session_id, "--db", str(played.db), "--team", "brussels",
                 "--out", str(out)]) == 0
    assert "team brussels report written" in capsys.readouterr().out
    text = out.read_text()
    assert "Brussels's edition" in text and "Offtake of 25 %" in text  # shares read in per cent
    assert not any(html.escape(n, quote=False) in text for n in NOTES)


@pytest.mark.parametrize("argv_tail, message", [
    (["--team", "mars"], "has no team 'mars' (its teams: beijing, washington, brussels)"),
    (["--public", "--team", "brussels"], "not allowed with argument"),
    (["--public", "--luck", "3"], "--luck is for the facilitator's edition only"),
    (["--luck", "0"], "--luck must be from 1 to"),
])
def test_edition_errors_are_one_line(played, tmp_path, capsys, argv_tail, message):
    argv = ["report", played.session_id, "--db", str(played.db), "--out",
            str(tmp_path / "r.html"), *argv_tail]
    with pytest.raises(SystemExit) if "not allowed" in message else nullcontext():
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and not (tmp_path / "r.html").exists()


@pytest.fixture
def guarded(tmp_path):
    from report_session import MINI, offtake
    from wargame.scenario.loader import load_scenario
    from wargame.session.exercise import Exercise

    ex = Exercise.create(tmp_path / "pins.sqlite", load_scenario(MINI), seed=5,
                         teams={"beijing": {"controller": "human", "pin": "1357"}},
                         facilitator_pin="2468")
    ex.play_turn({"brussels": [offtake("brussels", 0.2)]}, key="2468")
    ex.close()
    return tmp_path / "pins.sqlite", ex.id


@pytest.mark.parametrize("argv_tail, code, message", [
    ([], 2, "has a facilitator PIN: give it with --pin"),
    (["--pin", "1111"], 2, "wrong facilitator PIN"),
    (["--pin", "2468"], 0, "facilitator report written"),
    (["--team", "beijing"], 2, "has a team beijing PIN: give it with --pin"),
    (["--team", "beijing", "--pin", "1357"], 0, "team beijing report written"),
    (["--team", "brussels"], 0, "team brussels report written"),  # no PIN of its own
    (["--public"], 0, "public report written"),
])
def test_each_edition_asks_for_its_readers_pin(guarded, tmp_path, capsys, argv_tail, code,
                                               message):
    db, session_id = guarded
    out = tmp_path / "r.html"
    assert main(["report", session_id, "--db", str(db), "--out", str(out),
                 *argv_tail]) == code
    captured = capsys.readouterr()
    assert message in (captured.out if code == 0 else captured.err)
    assert out.exists() == (code == 0)


def test_luck_adds_was_it_luck_and_the_branches_compared(played, tmp_path, capsys):
    import shutil

    from wargame.session.exercise import Exercise

    db = tmp_path / "forked.sqlite"
    shutil.copy(played.db, db)
    fork = Exercise.open(db, played.session_id).fork(2)
    fork.play_turn({})
    fork.close()
    out = tmp_path / "luck.html"
    assert main(["report", played.session_id, "--db", str(db), "--out", str(out),
                 "--luck", "4"]) == 0
    text = out.read_text()
    assert "Was it luck?" in text and "re-run with 4 other seeds" in text
    assert "Score: Beijing" in text and "Branches compared" in text
    assert f"{fork.id} (fork at turn 2)" in text
    assert main(["report", played.session_id, "--db", str(db), "--out",
                 str(tmp_path / "plain.html")]) == 0
    assert "Was it luck?" not in (tmp_path / "plain.html").read_text()
