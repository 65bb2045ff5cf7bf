"""Exercise: the session controller over the real engine and the mini scenario."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wargame.engine import (
    ENGINE_MODEL_VERSION,
    OUTCOME_ACCEPTED,
    OUTCOME_OVERRIDDEN,
    OUTCOME_REJECTED,
    GameState,
    Order,
    TurnResult,
    initial_state,
    resolve_turn,
)
from wargame.scenario.loader import load_scenario
from wargame.store import SessionStore
from wargame.session.exercise import (
    ADJUDICATION,
    BRIEFING,
    DEBRIEF,
    ENDED,
    ORDERS,
    Exercise,
    ExerciseError,
    OrdersRejected,
)
from wargame.session.errors import PinRequired
from wargame.session.replay import replay_session

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"
ALL_BOTS = {"beijing": "bot", "washington": "bot", "brussels": "bot"}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(MINI)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions.sqlite"


def offtake(team: str, share: float = 0.2) -> Order:
    return Order(team, "offtake_deal", {"seller": "CHN", "material": "ree",
                                        "stage": "separation", "share": share})


def test_create_starts_in_briefing_with_the_initial_state(db, scenario):
    ex = Exercise.create(db, scenario, seed=3)
    assert (ex.phase, ex.turn, ex.status, ex.seed) == (BRIEFING, 1, "active", 3)
    assert ex.state.content_hash() == initial_state(scenario, 3).content_hash()
    assert ex.human_teams == ["beijing", "washington", "brussels"] and ex.bot_teams == []
    assert ex.turn_limit == scenario.turns
    with pytest.raises(ExerciseError, match="unknown team"):
        Exercise.create(db, scenario, teams={"atlantis": "bot"})


def test_a_session_records_the_engine_model_version(db, scenario):
    ex = Exercise.create(db, scenario, seed=3)
    created = ex.store.events(ex.id, kinds=["session_created"])[0]
    assert created.payload["engine_model_version"] == ENGINE_MODEL_VERSION


def test_stored_payloads_hold_only_finite_json_numbers(db, scenario):
    """The store keeps plain JSON: no NaN or infinity anywhere in a turn's events."""
    import json

    ex = Exercise.create(db, scenario, seed=4, teams=ALL_BOTS)
    for _ in range(3):
        ex.play_turn()
    for event in ex.log():
        json.dumps(event.payload, allow_nan=False)
    assert [ind.turn for _, ind in ex.indicators()] == [1, 2, 3]


def test_a_stored_result_this_version_cannot_read_is_a_clear_error(db, scenario):
    """Indicators stored by an older engine (untyped keys) are refused with the turn and
    the reason, not a traceback, and the database is left as it was."""
    import json
    import sqlite3

    ex = Exercise.create(db, scenario, seed=4, teams=ALL_BOTS)
    ex.play_turn()
    ex.play_turn()
    ex.close()
    with sqlite3.connect(db) as con:
        seq, raw = con.execute("SELECT seq, payload FROM events WHERE kind = 'turn_resolved' "
                               "ORDER BY seq LIMIT 1").fetchone()
        payload = json.loads(raw)
        payload["result"]["indicators"] = {"turn": 1, "prices": {"ree": {}}}
        con.execute("UPDATE events SET payload = ? WHERE seq = ?", (json.dumps(payload), seq))
    again = Exercise.open(db, ex.id)
    with pytest.raises(ExerciseError, match="turn 1: .*another engine model version"):
        again.indicators()
    assert again.last_result.turn == 2  # the last turn is still readable


def test_phases_run_in_order_and_wrong_phase_is_refused(db, scenario):
    ex = Exercise.create(db, scenario, seed=3, teams={"beijing": "bot"})
    with pytest.raises(ExerciseError, match="briefing phase"):
        ex.commit()
    ex.begin_orders()
    assert ex.phase == ORDERS
    ex.submit_orders("brussels", [offtake("brussels")])
    with pytest.raises(ExerciseError, match="waiting for orders from washington"):
        ex.resolve()
    ex.submit_orders("washington", [])
    proposed = ex.resolve()
    assert ex.phase == ADJUDICATION and isinstance(proposed, TurnResult)
    assert ex.submitted_teams() == ["beijing", "washington", "brussels"]  # bot submitted
    with pytest.raises(ExerciseError):
        ex.submit_orders("washington", [])
    result = ex.commit()
    assert ex.phase == DEBRIEF and ex.turn == 1 and ex.state.turn == 2
    assert result.state.content_hash() == ex.state.content_hash()
    ex.next_turn()
    assert (ex.phase, ex.turn) == (BRIEFING, 2)


def test_illegal_orders_are_rejected_and_nothing_is_stored(db, scenario):
    ex = Exercise.create(db, scenario)
    ex.begin_orders()
    before = len(ex.log())
    with pytest.raises(OrdersRejected) as info:
        ex.submit_orders("brussels", [offtake("brussels"),
                                      Order("brussels", "price_floor", {})])  # Washington's
    assert list(info.value.problems) == [1]
    with pytest.raises(OrdersRejected):
        ex.submit_orders("brussels", [offtake("washington")])  # someone else's order
    assert len(ex.log()) == before and ex.submitted_teams() == []


def test_resubmission_replaces_and_ids_are_assigned(db, scenario):
    ex = Exercise.create(db, scenario)
    ex.submit_orders("brussels", [offtake("brussels", 0.1)])  # from briefing: opens orders
    assert ex.phase == ORDERS
    ex.submit_orders("brussels", [offtake("brussels", 0.3), {"move": "magnet_recycling"}])
    own = ex.own_orders("brussels")
    assert [o.id for o in own] == ["t1-brussels-1", "t1-brussels-2"]
    assert own[0].params["share"] == 0.3


def test_secrecy_of_unresolved_orders(db, scenario):
    ex = Exercise.create(db, scenario, facilitator_pin="fac-1234")
    with pytest.raises(PinRequired, match="needs the facilitator PIN"):
        ex.begin_orders()  # every facilitator action needs the PIN when one is set
    key = ex.unlock("facilitator", "fac-1234")
    ex.begin_orders(key)
    ex.submit_orders("brussels", [offtake("brussels")])
    assert ex.submitted_teams() == ["brussels"]
    assert ex.own_orders("washington") == []
    assert ex.revealed_orders() == {}
    with pytest.raises(ExerciseError, match="facilitator PIN"):
        ex.facilitator_pending_orders("wrong")
    assert list(ex.facilitator_pending_orders("fac-1234")) == ["brussels"]
    assert list(ex.facilitator_pending_orders(key)) == ["brussels"]
    ex.resolve(key, force=True)
    assert ex.revealed_orders() == {}  # proposed, not committed: still secret
    ex.commit(key)
    revealed = ex.revealed_orders()
    assert [o["move"] for o in revealed[1]] == ["offtake_deal"]
    assert revealed[1][0]["status"] == OUTCOME_ACCEPTED
    ex.next_turn(key)
    ex.submit_orders("washington", [Order("washington", "price_floor", {})])
    assert list(ex.revealed_orders()) == [1]  # turn 2's orders stay hidden


def test_resume_restores_state_phase_and_submitted_orders(db, scenario):
    ex = Exercise.create(db, scenario, seed=9, teams={"beijing": "bot"})
    ex.play_turn({"washington": [], "brussels": [offtake("brussels")]})
    ex.next_turn()
    ex.fire_inject("Rumours of a new licence regime")
    ex.begin_orders()
    ex.submit_orders("brussels", [offtake("brussels", 0.4)])
    ex.add_note("Brussels hesitated")
    ex.close()

    again = Exercise.open(db, ex.id)
    assert (again.phase, again.turn) == (ORDERS, 2)
    assert again.state.content_hash() == ex.state.content_hash()
    assert again.submitted_teams() == ["brussels"]
    assert again.own_orders("brussels") == ex.own_orders("brussels")
    assert again.fired_injects() == ex.fired_injects()
    assert again.last_result.to_dict() == ex.last_result.to_dict()
    assert [n.text for n in again.notes()] == ["Brussels hesitated"]


def test_resume_in_adjudication_reproduces_the_proposal_and_overrides(db, scenario):
    ex = Exercise.create(db, scenario, seed=4)
    ex.begin_orders()
    ex.submit_orders("brussels", [offtake("brussels")])
    ex.resolve(force=True)
    proposal = ex.override("t1-brussels-1", "deal collapsed in the room", OUTCOME_REJECTED)
    [outcome] = [o for o in proposal.outcomes if o.order_id == "t1-brussels-1"]
    assert outcome.status == OUTCOME_OVERRIDDEN and "deal collapsed" in outcome.detail
    again = Exercise.open(db, ex.id)
    assert again.phase == ADJUDICATION
    assert again.proposed.to_dict() == proposal.to_dict()
    assert again.overrides() == [{"order_id": "t1-brussels-1", "status": OUTCOME_REJECTED,
                                  "reason": "deal collapsed in the room"}]
    with pytest.raises(ExerciseError, match="needs a reason"):
        again.override("t1-brussels-1", " ", OUTCOME_REJECTED)
    with pytest.raises(ExerciseError, match="no order"):
        again.override("t9-x-1", "why", OUTCOME_REJECTED)
    committed = again.commit()
    assert committed.to_dict() == proposal.to_dict()
    assert replay_session(again.store, again.id).ok


def test_the_last_override_of_an_order_wins(db, scenario):
    ex = Exercise.create(db, scenario, seed=4)
    ex.begin_orders()
    ex.submit_orders("washington", [Order("washington", "release_stockpile", {"tonnes": 500})])
    accepted = ex.resolve(force=True)
    ex.override("t1-washington-1", "not now", OUTCOME_REJECTED)
    proposal = ex.override("t1-washington-1", "the room changed its mind", OUTCOME_ACCEPTED)
    [outcome] = proposal.outcomes
    assert outcome.status == OUTCOME_OVERRIDDEN and "changed its mind" in outcome.detail
    assert proposal.state.content_hash() == accepted.state.content_hash()
    with pytest.raises(ExerciseError, match="unknown status"):
        ex.override("t1-washington-1", "why", "maybe")
    ex.commit()
    assert [e.reason for e in ex.overrides_log()] == [
        "not now", "the room changed its mind"]
    assert replay_session(ex.store, ex.id).ok


def play(ex: Exercise, turns: int) -> None:
    for _ in range(turns):
        orders = {}
        if ex.state.turn == 2:
            orders = {"brussels": [offtake("brussels")]}
        ex.play_turn(orders)


def test_replay_is_deterministic_across_a_resume(tmp_path, scenario):
    straight = Exercise.create(tmp_path / "a.sqlite", scenario, seed=21, teams=ALL_BOTS)
    play(straight, 6)
    split = Exercise.create(tmp_path / "b.sqlite", scenario, seed=21, teams=ALL_BOTS)
    play(split, 3)
    split.close()
    split = Exercise.open(tmp_path / "b.sqlite", split.id)
    play(split, 3)
    assert split.state.content_hash() == straight.state.content_hash()
    assert replay_session(split.store, split.id).ok


def test_injects_deck_and_free_text_are_logged_and_replayed(db, scenario):
    ex = Exercise.create(db, scenario, seed=5, teams=ALL_BOTS)
    ex.fire_inject("typhoon")
    free = ex.fire_inject("A port strike in Rotterdam")
    assert free.inject.title == "A port strike in Rotterdam"
    result = ex.play_turn()
    fired_ids = [i.inject_id for i in result.injects_fired]
    assert "typhoon" in fired_ids
    # each inject once (the hand-fired ones were listed again as the deck's before)
    assert [(t, i.inject_id, src) for t, i, src in ex.injects()] == [
        (1, "typhoon", "facilitator"), (1, "free_t1_2", "facilitator")]
    play(ex, 3)
    assert [(t, i.inject_id, src) for t, i, src in ex.injects() if t == 3] == [
        (3, "typhoon", "deck")]
    report = replay_session(ex.store, ex.id)
    assert report.ok, report.summary()
    with pytest.raises(ExerciseError):
        ex.fire_inject("   ")


def test_replay_names_the_first_turn_that_differs(db, scenario):
    ex = Exercise.create(db, scenario, seed=5, teams=ALL_BOTS)
    play(ex, 4)
    store = ex.store
    store.db.execute("update snapshots set state_hash = 'x' where session_id = ? and turn = 4",
                     [ex.id])
    store.db.conn.commit()
    report = replay_session(store, ex.id)
    assert not report.ok and report.first_bad_turn == 3
    assert "turn 3 differs" in report.summary()


def test_rewind_keeps_archived_turns_and_replays_the_same(db, scenario):
    ex = Exercise.create(db, scenario, seed=8, teams=ALL_BOTS)
    play(ex, 4)
    hash_after_4 = ex.state.content_hash()
    ex.rewind(2, reason="try again")
    assert (ex.phase, ex.turn, ex.state.turn) == (BRIEFING, 2, 2)
    assert ex.committed_turns() == [1]
    [branch] = ex.branches()
    assert (branch.branch, branch.from_turn) == (1, 2)
    assert ex.store.snapshot_hashes(ex.id, branch=1)[5] == hash_after_4
    play(ex, 3)  # same bots, same RNG: the same game again
    assert ex.state.content_hash() == hash_after_4
    assert replay_session(ex.store, ex.id).ok
    reopened = Exercise.open(db, ex.id)
    assert reopened.state.content_hash() == hash_after_4


def test_fork_plays_a_what_if_from_the_same_start(db, scenario):
    ex = Exercise.create(db, scenario, seed=8, teams={"beijing": "bot"})
    for _ in range(3):
        ex.play_turn({"washington": [], "brussels": []})
    original_hash = ex.state.content_hash()
    what_if = ex.fork(2)
    assert what_if.id != ex.id and (what_if.phase, what_if.turn) == (BRIEFING, 2)
    assert what_if.session.parent_session == ex.id
    assert what_if.state.content_hash() == ex.store.snapshot(ex.id, 2).state_hash
    what_if.play_turn({"washington": [], "brussels": [offtake("brussels", 0.5)]})
    what_if.play_turn({"washington": [], "brussels": []})
    assert what_if.state.turn == ex.state.turn
    assert what_if.state.content_hash() != original_hash
    assert Exercise.open(db, ex.id).state.content_hash() == original_hash
    assert replay_session(what_if.store, what_if.id).ok
    assert replay_session(ex.store, ex.id).ok


def test_turn_limit_ends_the_exercise(db, scenario):
    ex = Exercise.create(db, scenario, teams=ALL_BOTS, turn_limit=2)
    ex.play_turn()
    ex.play_turn()
    assert ex.finished
    ex.next_turn()
    assert (ex.phase, ex.status) == (ENDED, "ended")
    with pytest.raises(ExerciseError, match="ended"):
        ex.play_turn()
    assert Exercise.open(db, ex.id).phase == ENDED


def test_notes_pause_resume_end_are_logged(db, scenario):
    ex = Exercise.create(db, scenario)
    ex.add_note("Opening remarks")
    ex.pause()
    assert ex.paused and SessionStore(db).session(ex.id).status == "paused"
    ex.resume()
    assert not ex.paused
    ex.end()
    kinds = [e.kind for e in ex.log()]
    assert kinds[-4:] == ["note", "paused", "resumed", "phase"]
    assert ex.phase == ENDED


def test_timer_counts_down_and_stops_while_paused(db, scenario):
    ex = Exercise.create(db, scenario, timer_seconds=600)
    assert ex.timer_remaining() is None  # not in orders yet
    ex.begin_orders()
    start = datetime.fromisoformat(ex.log()[-1].created_at)
    assert ex.timer_remaining(start + timedelta(seconds=100)) == pytest.approx(500, abs=1)
    ex.pause()
    left = ex.timer_remaining(start + timedelta(hours=5))
    assert 0 < left <= 600


def test_team_view_and_history_for_charts(db, scenario):
    ex = Exercise.create(db, scenario, seed=2, teams=ALL_BOTS)
    play(ex, 3)
    view = ex.team_view("brussels")
    assert view is not None and view.to_dict()
    history = ex.indicators()
    assert [t for t, _ in history] == [1, 2, 3]
    assert [ind.turn for _, ind in history] == [1, 2, 3]
    assert all(ind.world_price_usd_per_kg for _, ind in history)
    assert [t for t, _ in ex.results()] == [1, 2, 3]
    with pytest.raises(ExerciseError, match="unknown team"):
        ex.team_view("atlantis")


def test_engine_objects_round_trip_through_the_store(db, scenario):
    """Every stored object (state, result, orders) loads back equal to what was saved."""
    ex = Exercise.create(db, scenario, seed=12, teams={"beijing": "bot"})
    ex.begin_orders()
    submitted = ex.submit_orders("brussels", [offtake("brussels")])
    ex.submit_orders("washington", [])
    ex.resolve()
    result = ex.commit()
    again = Exercise.open(db, ex.id)
    assert again.own_orders("brussels") == submitted
    assert again.last_result.to_dict() == result.to_dict()
    assert again.state == result.state
    snap = again.store.snapshot(ex.id, 2)
    assert GameState.from_dict(snap.state).content_hash() == snap.state_hash
    assert again.scenario == scenario and again.scenario.content_hash == scenario.content_hash
    assert again.facilitator_pending_orders() == {}  # debrief: nothing is pending
    # the stored log folds to the same result through the engine directly
    bots = [Order.from_dict(o) for e in again.log() if e.kind == "orders_submitted"
            and e.payload["team"] == "beijing" for o in e.payload["orders"]]
    replayed = resolve_turn(scenario, initial_state(scenario, 12), [*bots, *submitted])
    assert replayed.state.content_hash() == result.state.content_hash()


def test_session_opens_after_its_scenario_file_is_gone(tmp_path, db):
    copy = tmp_path / "mine.yaml"
    copy.write_text(MINI.read_text())
    ex = Exercise.create(db, load_scenario(copy), seed=1, teams=ALL_BOTS)
    ex.play_turn()
    ex.close()
    copy.unlink()
    again = Exercise.open(db, ex.id)
    assert again.scenario.content_hash == ex.scenario.content_hash
    assert again.state.content_hash() == ex.state.content_hash()
    assert replay_session(again.store, ex.id).ok
