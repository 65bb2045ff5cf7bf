"""``SessionStore.import_session`` checks a file against the export format before writing:
a generated corpus of tampered exports (each a small change to a genuine one) is refused
with a message naming the place, and nothing is inserted. The checks that need the engine
(scenario hash, replay) are tested with the session layer."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from wargame.store import ImportFileError, SessionStore, StoreError, TeamSetup, hash_pin
from wargame.store.export_format import parse_export

Tamper = Callable[[dict], None]


@pytest.fixture
def genuine(tmp_path: Path) -> dict:
    with SessionStore(tmp_path / "source.sqlite") as store:
        record = store.create_session(
            {"id": "demo", "title": "Demo"}, "e" * 64, 5,
            [TeamSetup("beijing", "bot"), TeamSetup.make("brussels", "human", "1234")],
            {"turn": 1, "budget": [1.5, 2.0]}, "a" * 64, facilitator_pin_hash=hash_pin("9876"))
        store.append_event(record.id, 1, "orders_submitted",
                           {"team": "brussels", "orders": [{"params": {"tonnes": 10.0}}]})
        store.commit_turn(record.id, [(1, "turn_resolved", {"result": {}})],
                          {"turn": 2, "budget": [1.0, 2.0]}, "b" * 64, 2)
        return store.export_session(record.id)


def table_counts(store: SessionStore) -> dict[str, int]:
    return {t: store.db[t].count for t in ("sessions", "teams", "events", "snapshots",
                                           "scenarios", "branches", "drafts")}


def _set(path: str, value) -> Tamper:
    def tamper(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return tamper


def _drop(path: str) -> Tamper:
    def tamper(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]
    return tamper


CORPUS: dict[str, tuple[Tamper, str]] = {
    "no snapshots": (_set("snapshots", []), "snapshots"),
    "no events": (_set("events", []), "events"),
    "NaN in a snapshot": (_set("snapshots.0.state.budget", [float("nan"), 1.0]),
                          "not a finite number"),
    "infinity in a payload": (_set("events.1.payload.orders", [{"t": float("inf")}]),
                              "not a finite number"),
    "NaN seed": (_set("session.seed", float("nan")), "session.seed"),
    "negative seed": (_set("session.seed", -1), "session.seed"),
    "huge seed": (_set("session.seed", 2**64), "session.seed"),
    "turn as text": (_set("session.turn", "3"), "session.turn"),
    "payload state as list": (_set("snapshots.0.state", [1, 2]), "snapshots.0.state"),
    "unknown controller": (_set("session.teams.0.controller", "robot"), "controller"),
    "unknown bot posture": (_set("session.teams.0.posture", "reckless"), "posture"),
    "posture for a human team": (_set("session.teams.1.posture", "dovish"), "posture"),
    "absurd scrypt parameters": (
        _set("session.teams.1.pin_hash",
             "scrypt$1099511627776$8$1$" + "00" * 16 + "$" + "00" * 32), "pin_hash"),
    "facilitator hash of another scheme": (
        _set("session.facilitator_pin_hash", "md5$abc"), "facilitator_pin_hash"),
    "newline in a session id": (_set("session.id", "ab\ncd"), "session.id"),
    "ANSI escape in a team id": (_set("session.teams.0.team", "\x1b[31mred"), "team"),
    "bidi override in the name": (_set("session.name", "x\u202eexe.png"), "bidirectional"),
    "five-megabyte name": (_set("session.name", "x" * 5_000_000), "session.name"),
    "wrong scenario hash format": (_set("scenario.hash", "h" * 64), "scenario.hash"),
    "session and scenario hash differ": (_set("session.scenario_hash", "d" * 64),
                                         "differs from scenario.hash"),
    "sequence going backwards": (_set("events.1.seq", 1), "strictly increasing"),
    "branch not described": (_set("events.1.branch", 7), "branch 7"),
    "duplicate team": (_set("session.teams.1.team", "beijing"), "listed twice"),
    "unknown field": (_set("session.admin", True), "session.admin"),
    "missing session": (_drop("session"), "session"),
    "bad timestamp": (_set("events.0.created_at", "yesterday"), "ISO 8601"),
    "newer export version": (_set("version", 99), "newer wargame"),
    "another format": (_set("format", "zip"), "not a wargame session export"),
    "status unknown": (_set("session.status", "hacked"), "session.status"),
    "state hash not hex": (_set("snapshots.0.state_hash", "zz" * 32), "state_hash"),
    "deeply nested payload": (_set("events.1.payload", json.loads("[" * 80 + "]" * 80)),
                              "nested deeper"),
    "draft for an unknown team": (_set("drafts", [{"team": "nobody", "turn": 1,
                                                   "payload": {}, "saved_at":
                                                   "2025-01-01T00:00:00+00:00"}]),
                                  "unknown team"),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_tampered_export_is_refused_and_nothing_is_inserted(tmp_path, genuine, case):
    tamper, expected = CORPUS[case]
    data = copy.deepcopy(genuine)
    tamper(data)
    with SessionStore(tmp_path / "target.sqlite") as store:
        before = table_counts(store)
        with pytest.raises(StoreError) as info:
            store.import_session(data)
        assert expected in str(info.value)
        assert isinstance(info.value, ImportFileError)
        assert table_counts(store) == before


def test_the_genuine_export_passes_and_round_trips(tmp_path, genuine):
    parsed = parse_export(copy.deepcopy(genuine))
    assert parsed.session.teams[1].pin_hash == genuine["session"]["teams"][1]["pin_hash"]
    with SessionStore(tmp_path / "target.sqlite") as store:
        record = store.import_session(genuine)
        assert store.export_session(record.id) == genuine
        assert record.team("brussels").check_pin("1234")


def test_a_version_1_export_still_imports(tmp_path, genuine):
    old = copy.deepcopy(genuine)
    old["version"] = 1
    for key in ("drafts", "redacted"):
        del old[key]
    del old["session"]["name"]
    for event in old["events"]:
        del event["visibility"]
    with SessionStore(tmp_path / "target.sqlite") as store:
        record = store.import_session(old)
        assert record.name.startswith("Demo, ")


def test_many_problems_are_summed_up_not_dumped(genuine):
    data = copy.deepcopy(genuine)
    data["events"] = [dict(e, seq="x", turn="y", kind="?") for e in data["events"] * 10]
    with pytest.raises(ValueError, match=r"\.\.\. and \d+ more problem"):
        parse_export(data)
