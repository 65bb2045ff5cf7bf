"""The store's sub-commands through ``wargame.cli.main``: listing format, replay --verify
exit codes, rewind, fork, export/import, clear one-line errors (exit 2)."""
from __future__ import annotations

import json

import pytest

from wargame.cli import main
from wargame.store import SessionStore
from wargame.session.commands import HEADER
from wargame.session.exercise import Exercise

BOTS = {"beijing": "bot", "washington": "bot", "brussels": "bot"}




@pytest.fixture
def game(db, scenario) -> str:
    ex = Exercise.create(db, scenario, seed=3, teams=BOTS)
    for _ in range(3):
        ex.play_turn()
    ex.close()
    return ex.id


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_sessions_lists_a_header_then_one_line_per_session(capsys, db, scenario, game):
    other = Exercise.create(db, scenario, seed=4)
    code, out, _ = run(capsys, "sessions", "--db", db)
    lines = out.splitlines()
    assert code == 0 and lines[0] == HEADER
    assert lines[0].split() == ["ID", "SCENARIO", "TURN", "STATUS", "PLAYED", "CREATED",
                                "PHASE", "NAME"]
    assert len(lines) == 3
    assert {line.split()[0] for line in lines[1:]} == {game[:8], other.id[:8]}
    mine = next(line for line in lines[1:] if line.startswith(game[:8]))
    fields = mine.split()
    assert fields[1:4] == ["mini", "3", "active"] and fields[8] == "debrief"
    assert mine.endswith(Exercise.open(db, game).name)


def test_sessions_on_a_missing_file_lists_nothing_and_creates_nothing(capsys, tmp_path):
    path = tmp_path / "none.sqlite"
    code, out, _ = run(capsys, "sessions", "--db", path)
    assert code == 0 and out.splitlines() == [HEADER] and not path.exists()


def test_replay_verify_passes_then_names_the_first_bad_turn(capsys, db, game):
    code, out, _ = run(capsys, "replay", game, "--db", db, "--verify")
    assert code == 0 and "replay matches all 4 stored snapshots" in out
    code, out, _ = run(capsys, "replay", game[:5], "--db", db)
    assert code == 0 and out.count("orders ->") == 3
    with SessionStore(db) as store:
        store.db.execute("update snapshots set state_hash = 'bad' where turn = 3")
        store.db.conn.commit()
    code, out, _ = run(capsys, "replay", game, "--db", db, "--verify")
    assert code == 1 and "turn 2 differs" in out.splitlines()[-1]


def test_rewind_and_fork_commands(capsys, db, game):
    code, out, _ = run(capsys, "rewind", game, "--to-turn", 2, "--reason", "replay it",
                       "--db", db)
    assert code == 0 and "archived branch 1" in out and "turns 2..4" in out
    with SessionStore(db) as store:
        assert store.session(game).turn == 2
        assert store.branches(game)[0].from_turn == 2
    code, out, _ = run(capsys, "fork", game, "--from-turn", 2, "--db", db)
    new_id = out.split(":")[0]
    assert code == 0 and new_id != game
    code, out, _ = run(capsys, "replay", new_id, "--db", db, "--verify")
    assert code == 0


def test_export_then_import_elsewhere_and_here(capsys, tmp_path, db, game):
    out_file = tmp_path / "out" / "game.json"
    code, out, _ = run(capsys, "export", game, "--out", out_file, "--db", db)
    assert code == 0 and json.loads(out_file.read_text())["session"]["id"] == game
    other = tmp_path / "laptop.sqlite"
    code, out, _ = run(capsys, "import", out_file, "--db", other)
    assert code == 0 and out.startswith(f"{game}: imported")
    code, out, _ = run(capsys, "replay", game, "--db", other, "--verify")
    assert code == 0
    code, out, _ = run(capsys, "import", out_file, "--db", db)  # collides: new id
    assert code == 0 and f"(id {game} was taken)" in out


@pytest.mark.parametrize("argv, message", [
    (["replay", "nosuch"], "no session 'nosuch'"),
    (["rewind", "{game}", "--to-turn", "9", "--reason", "x"], "cannot rewind to turn 9"),
    (["fork", "{game}", "--from-turn", "9"], "no snapshot of turn 9"),
    (["export", "nosuch", "--out", "x.json"], "no session"),
])
def test_user_errors_are_one_line_with_exit_2(capsys, db, game, argv, message):
    argv = [a.replace("{game}", game) for a in argv]
    code, _, err = run(capsys, *argv, "--db", db)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_bad_files_are_one_line_errors(capsys, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello")
    code, _, err = run(capsys, "sessions", "--db", junk)
    assert code == 2 and str(junk) in err and "not a SQLite database" in err
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    code, _, err = run(capsys, "import", bad_json, "--db", tmp_path / "db.sqlite")
    assert code == 2 and str(bad_json) in err and "not valid JSON" in err
    bad_json.write_text('{"format": "something else"}')
    code, _, err = run(capsys, "import", bad_json, "--db", tmp_path / "db.sqlite")
    assert code == 2 and "not a wargame session export" in err


def test_default_database_follows_wargame_db(monkeypatch, capsys, tmp_path, scenario):
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("WARGAME_DB", str(path))
    ex = Exercise.create(None, scenario)
    assert ex.store.path == path
    code, out, _ = run(capsys, "sessions")
    assert code == 0 and out.splitlines()[1].startswith(ex.id)


def test_sessions_lists_a_damaged_session_and_the_others(capsys, db, scenario, game):
    """One bad row (an unknown controller, ids with escapes) never hides the others."""
    import sqlite3

    other = Exercise.create(db, scenario, seed=4)
    with sqlite3.connect(db) as conn:
        conn.execute("update teams set controller = 'robot' where session_id = ?", [other.id])
        conn.execute("update sessions set name = ? where id = ?", ["evil\x1b[2J", other.id])
    code, out, _ = run(capsys, "sessions", "--db", db)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and "\x1b" not in out
    bad = next(line for line in lines if line.startswith(other.id[:8]))
    assert "DAMAGED: team 'beijing' has an unknown controller 'robot'" in bad
    assert "evil\\x1b[2J" in bad
    assert any(line.startswith(game[:8]) and "DAMAGED" not in line for line in lines)
