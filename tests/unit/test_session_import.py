"""``wargame import`` verifies what it imports (issue 10, item 7): a corpus of tampered
exports, generated from a genuine one, is refused by the real command with exit code 2,
the file named, the reason said, no traceback, and nothing inserted; the genuine export
round-trips. (The reader's own refusals of huge, deep or non-JSON files are in
tests/hostile/.)"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.engine import ENGINE_MODEL_VERSION, Order
from wargame.scenario.loader import load_scenario
from wargame.session.exercise import Exercise
from wargame.store import SessionStore

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"
TEAMS = {"beijing": "bot", "washington": "bot",
         "brussels": {"controller": "human", "pin": "4321"}}

Tamper = Callable[[dict], None]


@pytest.fixture(scope="module")
def genuine(tmp_path_factory) -> dict:
    """A real export: three turns, a note, a rewind (so an archived branch), PINs."""
    db = tmp_path_factory.mktemp("source") / "source.sqlite"
    ex = Exercise.create(db, load_scenario(MINI), seed=7, teams=TEAMS,
                         facilitator_pin="135790")
    key = ex.unlock("facilitator", "135790")
    offtake = Order("brussels", "offtake_deal", {"seller": "CHN", "material": "ree",
                                                 "stage": "separation", "share": 0.2})
    for turn in range(3):
        if turn:
            ex.next_turn(key)
        ex.begin_orders(key)
        ex.submit_orders("brussels", [offtake] if turn == 1 else [], "4321")
        ex.add_note(f"turn {turn + 1} went well", key)
        ex.resolve(key)
        ex.commit(key)
    ex.rewind(3, "replay the last turn", key)
    ex.begin_orders(key)
    ex.submit_orders("brussels", [], "4321")
    ex.resolve(key)
    ex.commit(key)
    data = ex.store.export_session(ex.id)
    ex.close()
    return data


def live(data: dict, kind: str, turn: int) -> dict:
    return next(e for e in data["events"] if e["kind"] == kind and e["turn"] == turn
                and e["branch"] == 0)


def snapshot(data: dict, turn: int) -> dict:
    return next(s for s in data["snapshots"] if s["turn"] == turn and s["branch"] == 0)


def _drop_snapshot(d):
    d["snapshots"].remove(snapshot(d, 3))


def _wrong_hash(d):
    snapshot(d, 3)["state_hash"] = "1" * 64


def _state_forged(d):
    snapshot(d, 3)["state"]["budget"]["data"][2] += 800.0


def _orders_changed(d):
    event = next(e for e in d["events"] if e["kind"] == "orders_submitted" and e["turn"] == 2
                 and e["payload"]["team"] == "brussels" and e["branch"] == 0)
    event["payload"]["orders"][0]["params"]["share"] = 0.9


def _scenario_altered(d):
    d["scenario"]["content"]["teams"][2]["budget"] = 1e6  # Brussels rich, hash kept


def _nan_state(d):
    snapshot(d, 2)["state"]["budget"]["data"][0] = 1e308 * 10  # written as Infinity


def _payload_type(d):
    live(d, "phase", 1)["payload"]["phase"] = 7


def _scrypt(d):
    team = d["session"]["teams"][2]
    team["pin_hash"] = team["pin_hash"].replace("scrypt$16384$", "scrypt$1099511627776$")


def _controller(d):
    d["session"]["teams"][0]["controller"] = "robot"


def _id_escape(d):
    d["session"]["id"] = "ab\x1b[2Jcd"


def _visibility(d):
    event = next(e for e in d["events"] if e["kind"] == "orders_submitted")
    event["visibility"] = "public"


def _session_turn(d):
    d["session"]["turn"] = 9


def _stray_snapshot(d):
    extra = copy.deepcopy(snapshot(d, 4))
    extra["turn"] = 6
    d["snapshots"].append(extra)


def _teams(d):
    d["session"]["teams"] = d["session"]["teams"][:2]


def _forged_result(d):
    live(d, "turn_resolved", 1)["payload"]["result"]["outcomes"] = []


def _no_commit(d):
    d["events"].remove(live(d, "turn_resolved", 2))


def _archived_forged(d):
    archived = next(s for s in d["snapshots"] if s["branch"] != 0)
    archived["state"]["budget"]["data"][0] += 1.0


def _facilitator_orders_of_a_team(d):
    event = next(e for e in d["events"] if e["kind"] == "orders_submitted")
    event["payload"]["orders"] = [{"id": "x", "team": "washington", "move": "price_floor",
                                   "params": {}}]


CORPUS: dict[str, tuple[Tamper, str]] = {
    "a snapshot missing": (_drop_snapshot, "turn 2 differs"),
    "a wrong stored hash": (_wrong_hash, "the snapshot matches its stored hash"),
    "a state changed under its old hash": (_state_forged, "changed after it was saved"),
    "orders changed in the log": (_orders_changed, "the log replays to the snapshot"),
    "a scenario altered under the genuine hash": (_scenario_altered,
                                                  "does not match the hash it is filed under"),
    "an infinite number in a state": (_nan_state, "finite"),
    "a payload of the wrong type": (_payload_type, "(phase)"),
    "absurd scrypt parameters": (_scrypt, "pin_hash"),
    "an unknown controller": (_controller, "controller"),
    "an escape sequence in the session id": (_id_escape, "session.id"),
    "sealed orders claiming to be public": (_visibility, "claims visibility 'public'"),
    "a session turn past its snapshots": (_session_turn, "says turn 9"),
    "a snapshot that follows no commit": (_stray_snapshot, "follows no committed turn"),
    "teams that are not the scenario's": (_teams, "are not the scenario's"),
    "a forged result": (_forged_result, "the stored result is the replayed one"),
    "a commit taken out of the log": (_no_commit, "turn 3 differs"),
    "an archived snapshot changed": (_archived_forged, "archived branch 1"),
    "another team's order in a submission": (_facilitator_orders_of_a_team,
                                             "an order of team 'washington'"),
}


def counts(db: Path) -> dict[str, int]:
    with SessionStore(db) as store:
        return {t: store.db[t].count for t in ("sessions", "teams", "events", "snapshots",
                                               "scenarios", "branches", "drafts")}


@pytest.fixture
def target(tmp_path) -> Path:
    """A database that already holds a session (an import must not disturb it)."""
    db = tmp_path / "target.sqlite"
    Exercise.create(db, load_scenario(MINI), seed=1).close()
    return db


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_tampered_export_is_refused_and_nothing_is_inserted(capsys, tmp_path, genuine,
                                                              target, case):
    tamper, says = CORPUS[case]
    data = copy.deepcopy(genuine)
    tamper(data)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(data))
    before = counts(target)
    code = main(["import", str(path), "--db", str(target)])
    out, err = capsys.readouterr()
    assert code == 2, out
    assert str(path) in err and says in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert counts(target) == before


def test_a_file_from_another_engine_model_is_refused_saying_why(capsys, tmp_path, genuine,
                                                                target):
    """Rule: a file whose turns do not replay is refused; when it was recorded under another
    engine model, the message says so and what would import it (the check cannot tell the
    engine's change from tampering). A file of this model gets no such hint."""
    data = copy.deepcopy(genuine)
    _orders_changed(data)  # its turns no longer replay, as an older model's would not
    older = ENGINE_MODEL_VERSION - 1
    live(data, "session_created", 0)["payload"]["engine_model_version"] = older
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data))
    before = counts(target)
    assert main(["import", str(path), "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert "the log replays to the snapshot" in err
    assert f"recorded by engine model {older}" in err
    assert f"runs engine model {ENGINE_MODEL_VERSION}" in err
    assert f"a wargame that runs engine model {older}" in err
    assert len(err.strip().splitlines()) == 1
    assert counts(target) == before
    same = copy.deepcopy(genuine)
    _orders_changed(same)
    path.write_text(json.dumps(same))
    assert main(["import", str(path), "--db", str(target)]) == 2
    assert "engine model" not in capsys.readouterr().err


def test_the_genuine_export_round_trips(capsys, tmp_path, genuine, target):
    path = tmp_path / "genuine.json"
    path.write_text(json.dumps(genuine))
    assert main(["import", str(path), "--db", str(target)]) == 0
    sid = genuine["session"]["id"]
    assert main(["replay", sid, "--db", str(target), "--verify"]) == 0
    with SessionStore(target) as store:
        assert store.export_session(sid) == genuine
    again = Exercise.open(target, sid)
    # turns 1 and 2's notes and the rewind's (turn 3's went to the archived branch)
    assert again.check_team_pin("brussels", "4321") and len(again.notes()) == 3


def test_an_altered_scenario_never_poisons_the_genuine_one(capsys, tmp_path, genuine):
    """Refused, so a session made later from the genuine file gets the genuine scenario."""
    db = tmp_path / "fresh.sqlite"
    data = copy.deepcopy(genuine)
    _scenario_altered(data)
    path = tmp_path / "poison.json"
    path.write_text(json.dumps(data))
    assert main(["import", str(path), "--db", str(db)]) == 2
    ex = Exercise.create(db, load_scenario(MINI), seed=1)
    assert ex.scenario.team("brussels").budget != 1e6
