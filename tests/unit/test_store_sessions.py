"""Session records people read: names (default, rename, checked text), the listing that
tolerates one bad row, what a rewind archived, drafts (sealed storage, cleared on submit,
commit and rewind), and values that must never be stored (NaN)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wargame.store import SessionStore, StaleSession, StoreError, TeamSetup
from wargame.store.text import printable

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def store(tmp_path: Path):
    with SessionStore(tmp_path / "sessions.sqlite") as s:
        yield s


def make_session(store: SessionStore, **kw):
    return store.create_session({"id": "demo", "title": "Rare-earth shock"}, "e" * 64,
                                kw.pop("seed", 5),
                                [TeamSetup("beijing", "bot"), TeamSetup("brussels")],
                                {"turn": 1}, "a" * 64, **kw)


def commit(store: SessionStore, sid: str) -> None:
    turn = store.session(sid).turn
    store.commit_turn(sid, [(turn, "turn_resolved", {"result": {}})], {"turn": turn + 1},
                      f"{turn + 1:064x}", turn + 1, update={"phase": "debrief"})
    store.append_event(sid, turn + 1, "phase", {"phase": "briefing"},
                       update={"phase": "briefing", "turn": turn + 1})


# ---------------------------------------------------------------- names


def test_default_name_is_the_scenario_title_and_the_date(store):
    record = make_session(store)
    title, _, stamp = record.name.rpartition(", ")
    assert title == "Rare-earth shock"
    assert len(stamp) == len("2026-03-01 14:05") and stamp[4] == "-"


def test_rename_is_checked_and_does_not_count_as_playing(store):
    record = make_session(store)
    assert store.rename(record.id, "  Tuesday group  ") == "Tuesday group"
    again = store.session(record.id)
    assert again.name == "Tuesday group" and again.updated_at == record.updated_at
    for bad, message in [("", "may not be empty"), ("x" * 201, "at most 200"),
                         ("evil\u202egnp.exe", "bidirectional override"),
                         ("two\nlines", "control character"), ("\x1b[31mred", "control")]:
        with pytest.raises(StoreError, match=message):
            store.rename(record.id, bad)
    assert store.session(record.id).name == "Tuesday group"


def test_a_fork_is_named_after_its_parent_and_turn(store):
    record = make_session(store, name="Tuesday group")
    commit(store, record.id)
    fork = store.fork(record.id, 2)
    assert fork.name == "Tuesday group (fork at turn 2)"
    [summary] = [s for s in store.summaries() if s.id == fork.id]
    assert summary.fork_label == "fork of Tuesday group at turn 2"


def test_old_sessions_get_a_name_when_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "store_v1.sqlite", path)
    with SessionStore(path) as store:
        [record] = store.list_sessions()
        assert record.name == "Version-1 fixture 2025-12-01"


# ---------------------------------------------------------------- the listing


def test_summaries_carry_what_the_start_screen_shows(store):
    record = make_session(store, name="Tuesday group")
    commit(store, record.id)
    [summary] = store.summaries()
    assert (summary.id, summary.name, summary.scenario_title, summary.turn, summary.phase) == (
        record.id, "Tuesday group", "Rare-earth shock", 2, "briefing")
    assert summary.short_id == record.id[:8]
    assert summary.created_at == record.created_at
    assert summary.last_played_at >= record.updated_at
    assert [(t.team, t.controller, t.has_pin) for t in summary.teams] == [
        ("beijing", "bot", False), ("brussels", "human", False)]
    assert not summary.damaged and summary.fork_label == ""


@pytest.mark.parametrize("damage, problem", [
    ("update teams set controller = 'robot' where team_id = 'beijing' and session_id = :id",
     "unknown controller 'robot'"),
    ("update sessions set turn = 'three' where id = :id", "turn is 'three', not a whole"),
    ("update sessions set seed = 1.5 where id = :id", "seed is 1.5"),
    ("delete from teams where session_id = :id", "it has no teams"),
])
def test_one_bad_row_is_listed_as_damaged_and_the_others_still_list(store, damage, problem):
    good = make_session(store, seed=1)
    bad = make_session(store, seed=2)
    with store.transaction() as db:
        db.execute(damage, {"id": bad.id})
    summaries = {s.id: s for s in store.summaries()}
    assert set(summaries) == {good.id, bad.id}
    assert not summaries[good.id].damaged
    assert summaries[bad.id].damaged and problem in summaries[bad.id].problem
    assert [r.id for r in store.list_sessions()] == [good.id]
    with pytest.raises(StoreError, match=f"session {bad.id} is damaged"):
        store.session(bad.id)


def test_printable_shows_control_characters_as_escapes():
    assert printable("a\nb\x1b[31m\u202e") == "a\\nb\\x1b[31m\\u202e"
    assert printable("Brüssel") == "Brüssel"


# ---------------------------------------------------------------- rewind reports


def test_rewind_returns_what_it_archived(store):
    record = make_session(store)
    for _ in range(3):
        commit(store, record.id)
    branch = store.rewind(record.id, 2, reason="replay the freeze",
                          also=[("note", {"text": "Rewound to turn 2"}, None)])
    assert (branch.from_turn, branch.to_turn, branch.reason) == (2, 4, "replay the freeze")
    assert branch.snapshot_turns == (3, 4)
    assert branch.events == len(store.events(record.id, branch=branch.branch)) > 0
    kinds = [e.kind for e in store.events(record.id)][-2:]
    assert kinds == ["rewound", "note"]


# ---------------------------------------------------------------- drafts


def test_a_draft_survives_closing_the_store(tmp_path):
    path = tmp_path / "s.sqlite"
    with SessionStore(path) as store:
        record = make_session(store)
        store.drafts.save(record.id, "brussels", 1, {"orders": [{"move": "offtake"}]})
    with SessionStore(path) as store:
        draft = store.drafts.get(record.id, "brussels")
        assert draft.payload == {"orders": [{"move": "offtake"}]} and draft.turn == 1
        assert store.drafts.get(record.id, "beijing") is None
        assert store.drafts.teams(record.id) == ["brussels"]


def test_a_draft_for_another_turn_or_team_is_refused(store):
    record = make_session(store)
    with pytest.raises(StaleSession, match="the draft is for turn 2"):
        store.drafts.save(record.id, "brussels", 2, {})
    with pytest.raises(StoreError, match="no team 'nobody'"):
        store.drafts.save(record.id, "nobody", 1, {})


def test_drafts_go_on_submit_commit_and_rewind(store):
    record = make_session(store)
    for team in ("beijing", "brussels"):
        store.drafts.save(record.id, team, 1, {"orders": []})
    store.append_events(record.id, [(1, "orders_submitted", {"team": "brussels",
                                                             "orders": []})],
                        clear_drafts=["brussels"])
    assert store.drafts.teams(record.id) == ["beijing"]
    commit(store, record.id)
    assert store.drafts.teams(record.id) == []
    store.drafts.save(record.id, "brussels", 2, {"orders": []})
    store.rewind(record.id, 1)
    assert store.drafts.teams(record.id) == []


def test_drafts_are_not_exported_unless_asked(store):
    record = make_session(store)
    store.drafts.save(record.id, "brussels", 1, {"orders": ["secret"]})
    assert store.export_session(record.id)["drafts"] == []
    asked = store.export_session(record.id, include_drafts=True)["drafts"]
    assert [(d["team"], d["payload"]) for d in asked] == [("brussels", {"orders": ["secret"]})]


# ---------------------------------------------------------------- values never stored


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_refused_and_nothing_is_written(store, value):
    record = make_session(store)
    before = store.events(record.id)
    with pytest.raises(StoreError, match="not finite"):
        store.append_event(record.id, 1, "orders_submitted",
                           {"team": "brussels", "orders": [{"params": {"tonnes": value}}]})
    with pytest.raises(StoreError, match="not finite"):
        store.commit_turn(record.id, [], {"turn": 2, "budget": value}, "b" * 64, 2)
    with pytest.raises(StoreError, match="not finite"):
        store.drafts.save(record.id, "brussels", 1, {"tonnes": value})
    assert store.events(record.id) == before and store.snapshot_hashes(record.id) == {
        1: "a" * 64}


def test_a_different_scenario_under_a_known_hash_is_refused(store):
    make_session(store)
    with pytest.raises(StoreError, match="a different scenario is already stored"):
        store.create_session({"id": "demo", "title": "Forged"}, "e" * 64, 1,
                             [TeamSetup("beijing")], {"turn": 1}, "a" * 64)
    assert store.scenario_content("e" * 64)["title"] == "Rare-earth shock"
