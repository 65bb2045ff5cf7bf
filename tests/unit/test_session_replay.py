"""``replay --verify`` trusts no stored hash (issue 10, item 8): each snapshot's hash is
recomputed from its content, the log is replayed against it, the stored result against the
replayed one, and each turn must be committed once. A failure names the turn and the check;
a session recorded under another engine model version gets a note saying so (issue 7).
Opening a session refuses a snapshot whose content no longer matches its hash."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.engine import ENGINE_MODEL_VERSION
from wargame.session.errors import ExerciseError
from wargame.session.exercise import Exercise
from wargame.session.replay import replay_session
from wargame.store import SessionStore

BOTS = {"beijing": "bot", "washington": "bot", "brussels": "bot"}



@pytest.fixture
def game(tmp_path, scenario) -> tuple[Path, str]:
    db = tmp_path / "s.sqlite"
    ex = Exercise.create(db, scenario, seed=5, teams=BOTS)
    for _ in range(3):
        ex.play_turn()
    ex.close()
    return db, ex.id


def sql(db: Path, statement: str, params=()) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(statement, params)


def verify(capsys, db: Path, sid: str) -> tuple[int, str]:
    code = main(["replay", sid, "--db", str(db), "--verify"])
    return code, capsys.readouterr().out


def test_a_genuine_session_passes_every_check(capsys, game):
    db, sid = game
    code, out = verify(capsys, db, sid)
    assert code == 0 and "replay matches all 4 stored snapshots (3 turns)" in out
    assert "note:" not in out


def test_a_state_changed_under_its_old_hash_is_caught_and_named(capsys, game, scenario):
    db, sid = game
    with sqlite3.connect(db) as conn:
        raw = conn.execute("select state from snapshots where session_id = ? and turn = 3",
                           [sid]).fetchone()[0]
        state = json.loads(raw)
        state["budget"]["data"][0] += 500.0  # forged money, hash left as it was
        conn.execute("update snapshots set state = ? where session_id = ? and turn = 3",
                     [json.dumps(state), sid])
    code, out = verify(capsys, db, sid)
    assert code == 1
    assert "turn 2 differs: check 'the snapshot matches its stored hash' failed" in out
    assert "changed after it was saved" in out
    with SessionStore(db) as store:
        assert replay_session(store, sid).first_bad_turn == 2


@pytest.mark.parametrize("turn", [2, 4])
def test_every_snapshot_is_checked_when_a_session_opens(game, turn):
    db, sid = game
    with sqlite3.connect(db) as conn:
        raw = conn.execute("select state from snapshots where session_id = ? and turn = ?",
                           [sid, turn]).fetchone()[0]
        state = json.loads(raw)
        state["budget"]["data"][0] += 1.0
        conn.execute("update snapshots set state = ? where session_id = ? and turn = ?",
                     [json.dumps(state), sid, turn])
    with pytest.raises(ExerciseError, match=f"snapshot of turn {turn} does not match its "
                                            f"hash"):
        Exercise.open(db, sid)


def test_a_changed_stored_hash_is_the_content_check_not_a_replay_difference(capsys, game):
    db, sid = game
    sql(db, "update snapshots set state_hash = ? where session_id = ? and turn = 3",
        ["0" * 64, sid])
    code, out = verify(capsys, db, sid)
    assert code == 1
    assert "turn 2 differs: check 'the snapshot matches its stored hash' failed" in out
    assert "check 'the log replays to the snapshot' failed" not in out


def test_orders_changed_in_the_log_fail_the_replay_check(capsys, tmp_path, scenario):
    db = tmp_path / "s.sqlite"
    ex = Exercise.create(db, scenario, seed=5, teams={"beijing": "bot", "washington": "bot"})
    ex.play_turn({"brussels": []})
    ex.play_turn({"brussels": []})
    ex.close()
    with sqlite3.connect(db) as conn:
        seq, raw = conn.execute(
            "select seq, payload from events where kind = 'orders_submitted' and turn = 2 "
            "and payload like '%\"team\":\"brussels\"%'").fetchone()
        payload = json.loads(raw)
        payload["orders"] = [{"id": "t2-brussels-1", "team": "brussels", "move":
                              "magnet_recycling", "params": {}}]
        conn.execute("update events set payload = ? where seq = ? and session_id = ?",
                     [json.dumps(payload), seq, ex.id])
    code, out = verify(capsys, db, ex.id)
    assert code == 1 and "turn 2 differs: check 'the log replays to the snapshot' failed" in out


def test_a_forged_result_fails_the_result_check(capsys, game):
    db, sid = game
    with sqlite3.connect(db) as conn:
        seq, raw = conn.execute("select seq, payload from events where session_id = ? and "
                                "kind = 'turn_resolved' and turn = 1", [sid]).fetchone()
        payload = json.loads(raw)
        payload["result"]["injects_fired"] = [{"inject_id": "typhoon", "title": "Forged",
                                               "text": "", "how": "scheduled"}]
        conn.execute("update events set payload = ? where seq = ? and session_id = ?",
                     [json.dumps(payload), seq, sid])
    code, out = verify(capsys, db, sid)
    assert code == 1
    assert "turn 1 differs: check 'the stored result is the replayed one' failed (the stored " \
           "injects_fired differ" in out


def test_a_double_commit_is_named_as_such(capsys, game):
    """What a stale window did before the store refused it: turn 1 committed again after
    turn 3 (``committed_turns() == [1, 2, 3, 1]``). Replay says so instead of printing two
    equal hashes as "differs"."""
    db, sid = game
    with sqlite3.connect(db) as conn:
        kind, raw = conn.execute("select kind, payload from events where session_id = ? and "
                                 "kind = 'turn_resolved' and turn = 1", [sid]).fetchone()
        last = conn.execute("select max(seq) from events where session_id = ?",
                            [sid]).fetchone()[0]
        conn.execute("insert into events (session_id, seq, branch, turn, kind, payload, "
                     "created_at, visibility) values (?, ?, 0, 1, ?, ?, ?, 'public')",
                     [sid, last + 1, kind, raw, "2026-01-01T00:00:00+00:00"])
    assert Exercise.open(db, sid, read_only=True).committed_turns() == [1, 2, 3, 1]
    code, out = verify(capsys, db, sid)
    assert code == 1
    assert ("turn 1 differs: check 'each turn is committed once' failed (it was committed "
            "2 times") in out


def test_another_engine_model_version_gets_a_note(capsys, game):
    db, sid = game
    with sqlite3.connect(db) as conn:
        seq, raw = conn.execute("select seq, payload from events where session_id = ? and "
                                "kind = 'session_created'", [sid]).fetchone()
        payload = json.loads(raw)
        payload["engine_model_version"] = ENGINE_MODEL_VERSION - 1
        conn.execute("update events set payload = ? where seq = ? and session_id = ?",
                     [json.dumps(payload), seq, sid])
    code, out = verify(capsys, db, sid)
    note = f"recorded under engine model version {ENGINE_MODEL_VERSION - 1}"
    assert code == 0 and out.startswith(f"note: this session was {note}")
    assert note in Exercise.open(db, sid).model_version_note
    assert Exercise.open(db, sid).model_version_note is not None


def test_a_payload_of_the_wrong_type_is_named(capsys, game):
    db, sid = game
    sql(db, "update events set payload = ? where session_id = ? and kind = 'phase' and "
            "seq = (select min(seq) from events where session_id = ? and kind = 'phase')",
        ['{"phase": 7}', sid, sid])
    code = main(["replay", sid, "--db", str(db), "--verify"])
    err = capsys.readouterr().err
    assert code == 2 and "damaged" in err and "(phase)" in err
