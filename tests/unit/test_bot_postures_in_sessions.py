"""A bot's posture is chosen at set-up and kept with the session (issue 13): the store
saves it (schema 4, export format 3), the session's bots play it, `simulate --bots
TEAM=posture` gives it, and a posture that is not one of the engine's is refused where it
enters (set-up, database row, import file)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.engine import bot_orders
from wargame.engine.posture_bots import POSTURES
from wargame.scenario.loader import load_scenario
from wargame.session.errors import ExerciseError
from wargame.session.exercise import Exercise
from wargame.session.transfer import export_session, import_file
from wargame.store import SessionStore, StoreError
from wargame.store.records import BOT_POSTURES

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI)


def test_the_store_knows_the_engines_postures():
    assert BOT_POSTURES == POSTURES


def test_a_bot_plays_the_posture_it_was_given_and_the_session_keeps_it(tmp_path, mini):
    db = tmp_path / "s.sqlite"
    setup = {"beijing": {"controller": "bot", "posture": "hawkish"},
             "washington": {"controller": "bot", "posture": "dovish"},
             "brussels": "bot"}
    exercise = Exercise.create(db, mini, 3, setup)
    state_before = exercise.state
    exercise.submit_bot_orders()
    submitted = exercise.facilitator_pending_orders()
    assert any(submitted.values()), "the bots gave no orders: the test would prove nothing"
    for team, posture in (("beijing", "hawkish"), ("washington", "dovish"),
                          ("brussels", None)):
        expected = bot_orders(mini, state_before, team, posture)
        assert [(o.move, o.params) for o in submitted.get(team, [])] == \
            [(o.move, o.params) for o in expected], team
    session_id = exercise.id
    exercise.close()
    reopened = Exercise.open(db, session_id)
    assert {t.team: t.posture for t in reopened.teams} == {
        "beijing": "hawkish", "washington": "dovish", "brussels": None}
    reopened.close()


@pytest.mark.parametrize("spec,message", [
    ({"controller": "human", "posture": "dovish"}, "a posture belongs to a bot"),
    ({"controller": "bot", "posture": "reckless"}, "reckless"),
])
def test_a_posture_that_cannot_be_is_refused_at_set_up(tmp_path, mini, spec, message):
    with pytest.raises(ExerciseError, match=message):
        Exercise.create(tmp_path / "s.sqlite", mini, 3, {"beijing": spec})


def test_export_and_import_keep_the_postures(tmp_path, mini):
    exercise = Exercise.create(tmp_path / "a.sqlite", mini, 3,
                               {"beijing": {"controller": "bot", "posture": "balanced"}})
    exercise.submit_bot_orders()
    data = export_session(exercise.store, exercise.id, facilitator=True).data
    exercise.close()
    assert data["version"] == 3
    assert data["session"]["teams"][0]["posture"] == "balanced"
    with SessionStore(tmp_path / "b.sqlite") as target:
        record = import_file(target, json.loads(json.dumps(data)))
        assert record.teams[0].posture == "balanced"


def test_a_damaged_posture_in_the_database_is_named_not_played(tmp_path, mini):
    db = tmp_path / "s.sqlite"
    exercise = Exercise.create(db, mini, 3, {"beijing": "bot"})
    session_id = exercise.id
    exercise.close()
    with sqlite3.connect(db) as raw:
        raw.execute("update teams set posture = 'reckless' where team_id = 'beijing'")
    with SessionStore(db) as store:
        with pytest.raises(StoreError, match="posture 'reckless'"):
            store.session(session_id)


def test_simulate_gives_postures_and_saves_them(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    runs = {}
    for posture in ("hawkish", "dovish"):
        out = tmp_path / f"{posture}.json"
        assert main(["simulate", str(MINI), "--turns", "3", "--seed", "5", "--bots",
                     f"all={posture}", "--json", str(out), "--db", str(db), "--quiet"]) == 0
        runs[posture] = json.loads(out.read_text())
    assert runs["hawkish"]["state_hash"] != runs["dovish"]["state_hash"]
    with SessionStore(db) as store:
        postures = [{t.team: t.posture for t in s.teams}
                    for s in (store.session(x.id) for x in store.summaries())]
    assert sorted(set(p.values()).pop() for p in postures) == ["dovish", "hawkish"]
    capsys.readouterr()
    assert main(["simulate", str(MINI), "--bots", "beijing=reckless"]) == 2
    assert "unknown posture 'reckless'" in capsys.readouterr().err
