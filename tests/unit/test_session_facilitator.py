"""The facilitator's room, session side (issue 9): every facilitator action checks the
facilitator PIN; injects are never applied twice silently, can be retracted before the
orders open and are listed once each, with their state; overrides can scale an order's
effect, need a reason and are shown by the order's description; notes can be edited and
deleted (the log keeps the history); drafts are sealed and survive; the orders clock runs
only while an app has the session open; sessions have names."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from wargame.engine import Order, resolve_turn
from wargame.session.errors import (
    ExerciseError,
    InjectAlreadyDue,
    PinRequired,
    SessionChanged,
)
from wargame.session.exercise import Exercise
from wargame.session.hotwash import HotWash
from wargame.session.injects import deck_due
from wargame.session.phases import CommandNotAllowed
from wargame.session.replay import replay_session

BOTS = {"beijing": "bot", "washington": "bot", "brussels": "bot"}
FAC_PIN = "975310"




def stockpile(tonnes: float = 500) -> Order:
    return Order("washington", "release_stockpile", {"tonnes": tonnes})


# ---------------------------------------------------------------- the facilitator PIN


def _to(phase: str):
    """Steps (with the key) that bring a fresh session to ``phase``."""
    def steps(ex: Exercise, key) -> None:
        if phase in ("orders", "adjudication", "debrief"):
            ex.begin_orders(key)
        if phase in ("adjudication", "debrief"):
            ex.resolve(key, force=True)
        if phase == "debrief":
            ex.commit(key)
    return steps


ACTIONS = {
    "begin orders": ("briefing", lambda ex, k: ex.begin_orders(k)),
    "fire inject": ("briefing", lambda ex, k: ex.fire_inject("a port strike", k)),
    "white-cell orders": ("briefing", lambda ex, k: ex.submit_facilitator_orders([], k)),
    "add note": ("briefing", lambda ex, k: ex.add_note("hello", k)),
    "pause": ("orders", lambda ex, k: ex.pause(k)),
    "close orders": ("orders", lambda ex, k: ex.resolve(k, force=True)),
    "override": ("adjudication", lambda ex, k: ex.override(
        ex.current_inputs().orders[0].id, "why", "rejected", k)),
    "commit": ("adjudication", lambda ex, k: ex.commit(k)),
    "next turn": ("debrief", lambda ex, k: ex.next_turn(k)),
    "end": ("briefing", lambda ex, k: ex.end(k)),
    "rewind": ("debrief", lambda ex, k: ex.rewind(1, "again", k)),
    "fork": ("debrief", lambda ex, k: ex.fork(1, k)),
    "rename": ("briefing", lambda ex, k: ex.rename("Tuesday group", k)),
    "record hot wash": ("debrief", lambda ex, k: ex.record_hot_wash(
        HotWash(went_well=("the room talked",)), k)),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_facilitator_action_needs_the_pin(db, scenario, action):
    phase, act = ACTIONS[action]
    ex = Exercise.create(db, scenario, seed=1, teams=BOTS, facilitator_pin=FAC_PIN)
    key = ex.unlock("facilitator", FAC_PIN)
    _to(phase)(ex, key)
    before = (ex.log(), ex.name, ex.store.list_sessions())
    with pytest.raises(PinRequired, match="needs the facilitator PIN"):
        act(ex, None)
    with pytest.raises(PinRequired):
        act(ex, "000000")  # a wrong PIN given on the spot
    assert (ex.log(), ex.name, ex.store.list_sessions()) == before
    act(ex, key)  # and with the key it works
    act_again = Exercise.open(db, ex.id)  # a key opens the door of the same PIN elsewhere
    assert act_again.unlock("facilitator", FAC_PIN).opens("facilitator",
                                                          ex.session.facilitator_pin_hash)


def test_a_hand_made_key_opens_nothing(db, scenario):
    from wargame.session.access import AccessKey

    ex = Exercise.create(db, scenario, facilitator_pin=FAC_PIN)
    forged = AccessKey("facilitator", ex.session.facilitator_pin_hash)
    with pytest.raises(PinRequired):
        ex.begin_orders(forged)


def test_wrong_pins_make_the_next_attempt_wait(db, scenario):
    from wargame.session.pin_guard import PinGuard, PinWait

    clock = [0.0]
    ex = Exercise.create(db, scenario, facilitator_pin=FAC_PIN,
                         pin_guard=PinGuard(free_attempts=2, clock=lambda: clock[0]))
    for _ in range(2):
        with pytest.raises(PinRequired):
            ex.unlock("facilitator", "1")
    with pytest.raises(PinWait) as info:
        ex.unlock("facilitator", FAC_PIN)  # even the right PIN waits
    clock[0] += info.value.wait_seconds
    assert ex.unlock("facilitator", FAC_PIN)


# ---------------------------------------------------------------- injects


def test_an_inject_due_this_turn_is_not_fired_twice_unless_confirmed(db, scenario):
    ex = Exercise.create(db, scenario, seed=2, teams=BOTS)
    ex.play_turn()
    ex.play_turn()
    ex.next_turn()  # turn 3: the typhoon is scheduled
    board = {s.inject_id: s for s in ex.inject_board() if s.turn == 3}
    assert board["typhoon"].state == "due" and board["typhoon"].how == "scheduled"
    before = ex.log()
    with pytest.raises(InjectAlreadyDue, match="scheduled to fire this turn"):
        ex.fire_inject("typhoon")
    assert ex.log() == before
    ex.fire_inject("typhoon", force=True)  # the facilitator confirmed
    result = ex.play_turn()
    assert [i.inject_id for i in result.injects_fired].count("typhoon") == 2
    # (a random inject of the deck may fire that turn too)
    assert [(t, i.inject_id) for t, i, _ in ex.injects() if t == 3 and i.inject_id == "typhoon"] \
        == [(3, "typhoon"), (3, "typhoon")]


def test_a_random_inject_drawn_this_turn_is_refused_too(tmp_path, scenario):
    for seed in range(200):
        ex = Exercise.create(tmp_path / f"{seed}.sqlite", scenario, seed=seed, teams=BOTS)
        ex.play_turn()
        ex.next_turn()  # turn 2: the mine accident may be drawn
        if any(i.id == "mine_accident" for i, _ in deck_due(ex)):
            break
    else:
        pytest.fail("no seed draws the mine accident in turn 2")
    with pytest.raises(InjectAlreadyDue, match="drawn to fire this turn"):
        ex.fire_inject("mine_accident")
    [due] = [s for s in ex.inject_board() if s.inject_id == "mine_accident" and s.turn == 2]
    assert (due.state, due.how) == ("due", "random")


def test_fired_twice_by_hand_is_refused_and_retracting_is_logged(db, scenario):
    ex = Exercise.create(db, scenario, seed=2, teams=BOTS)
    fired = ex.fire_inject("typhoon")
    with pytest.raises(InjectAlreadyDue, match="already fired by hand"):
        ex.fire_inject("typhoon")
    ex.fire_inject("Rotterdam port strike")
    with pytest.raises(InjectAlreadyDue):
        ex.fire_inject("Rotterdam port strike")
    [event] = [e for e in ex.typed_log() if e.payload == fired]
    ex.retract_inject(event.seq, "fired by mistake")
    assert [s.state for s in ex.inject_board() if s.fired_seq == event.seq] == ["retracted"]
    ex.fire_inject("typhoon")  # allowed again once retracted
    ex.begin_orders()
    with pytest.raises(CommandNotAllowed, match="possible in: briefing"):
        ex.retract_inject(event.seq)  # only before the orders open
    result = ex.play_turn()
    assert sorted(i.inject_id for i in result.injects_fired) == ["free_t1_2", "typhoon"]
    assert replay_session(ex.store, ex.id).ok


def test_the_board_lists_upcoming_due_and_fired_each_once(db, scenario):
    ex = Exercise.create(db, scenario, seed=2, teams=BOTS)
    states = {(s.inject_id, s.state) for s in ex.inject_board()}
    assert ("typhoon", "upcoming") in states and ("mine_accident", "upcoming") in states
    [random] = [s for s in ex.inject_board() if s.inject_id == "mine_accident"]
    assert random.probability == pytest.approx(0.1) and random.turn is None
    for _ in range(3):
        ex.play_turn()
    fired = [(s.turn, s.inject_id) for s in ex.inject_board() if s.state == "fired"]
    assert fired.count((3, "typhoon")) == 1
    assert not [s for s in ex.inject_board() if s.inject_id == "typhoon"
                and s.state in ("upcoming", "due")]


# ---------------------------------------------------------------- overrides


def test_a_scaled_override_gives_the_engine_the_scaled_order(db, scenario):
    ex = Exercise.create(db, scenario, seed=4, teams={"beijing": "bot", "brussels": "bot"})
    ex.begin_orders()
    ex.submit_orders("washington", [stockpile(500)])
    ex.resolve()
    proposal = ex.override("t1-washington-1", "the room halves it", "scaled",
                           param="tonnes", factor=0.5)
    [outcome] = [o for o in proposal.outcomes if o.team == "washington"]
    assert outcome.status == "overridden"
    assert "scaled by the facilitator (Tonnes from 500 to 250): the room halves it" == outcome.detail
    halved = Order("washington", "release_stockpile", {"tonnes": 250.0}, "t1-washington-1")
    others = [o for o in ex.current_inputs().orders if o.team != "washington"]
    direct = resolve_turn(scenario, ex.state, [*others, halved])
    assert proposal.state.content_hash() == direct.state.content_hash()
    ex.commit()
    [shown] = ex.overrides_log()
    assert "Washington" in shown.description and "t1-washington-1" not in shown.description
    assert (shown.status, shown.factor, shown.param) == ("scaled", 0.5, "tonnes")
    assert replay_session(ex.store, ex.id).ok


@pytest.mark.parametrize("kwargs, message", [
    ({"status": "scaled", "param": "material", "factor": 0.5}, "can scale only tonnes"),
    ({"status": "scaled", "param": "tonnes", "factor": 0}, "above 0"),
    ({"status": "scaled", "param": "tonnes"}, "above 0"),
    ({"status": "rejected", "reason": "  "}, "needs a reason"),
    ({"status": "maybe"}, "unknown status"),
])
def test_bad_overrides_are_refused_and_nothing_is_logged(db, scenario, kwargs, message):
    ex = Exercise.create(db, scenario, seed=4, teams={"beijing": "bot", "brussels": "bot"})
    ex.begin_orders()
    ex.submit_orders("washington", [stockpile()])
    ex.resolve()
    before = ex.log()
    reason = kwargs.pop("reason", "because")
    with pytest.raises(ExerciseError, match=message):
        ex.override("t1-washington-1", reason, **kwargs)
    assert ex.log() == before


# ---------------------------------------------------------------- notes


def test_notes_are_edited_and_deleted_and_the_log_keeps_every_version(db, scenario):
    ex = Exercise.create(db, scenario)
    first = ex.add_note("Washington late")
    second = ex.add_note("Coffee at 11")
    edited = ex.edit_note(first.seq, "Washington late again")
    assert (edited.text, edited.versions) == ("Washington late again", 2)
    ex.delete_note(second.seq)
    assert [n.text for n in ex.notes()] == ["Washington late again"]
    assert [n.deleted for n in ex.notes(include_deleted=True)] == [False, True]
    kinds = [e.kind for e in ex.log() if "note" in e.kind]
    assert kinds == ["note", "note", "note_edited", "note_deleted"]
    with pytest.raises(ExerciseError, match="was deleted"):
        ex.edit_note(second.seq, "x")
    with pytest.raises(ExerciseError, match="no note"):
        ex.delete_note(999)
    assert [n.text for n in Exercise.open(db, ex.id).notes()] == ["Washington late again"]


# ---------------------------------------------------------------- drafts


def test_a_draft_is_sealed_and_survives_until_submitted(db, scenario):
    ex = Exercise.create(db, scenario, facilitator_pin=FAC_PIN,
                         teams={"brussels": {"controller": "human", "pin": "1357"}})
    key = ex.unlock("facilitator", FAC_PIN)
    ex.begin_orders(key)
    ex.save_draft("brussels", [{"move": "magnet_recycling"}], "1357")
    ex.close()  # a crash or a quit
    again = Exercise.open(db, ex.id)
    with pytest.raises(PinRequired):
        again.draft("brussels")
    with pytest.raises(PinRequired):
        again.draft("brussels", again.unlock("facilitator", FAC_PIN))  # not the facilitator
    with pytest.raises(PinRequired):
        again.draft("brussels", "0000")
    draft = again.draft("brussels", "1357")
    assert [o.move for o in draft.orders] == ["magnet_recycling"]
    assert again.teams_with_drafts() == ["brussels"]
    again.submit_orders("brussels", draft.orders, "1357")
    assert again.draft("brussels", "1357") is None and again.teams_with_drafts() == []


def test_drafts_go_when_the_turn_is_committed(db, scenario):
    ex = Exercise.create(db, scenario, teams=BOTS)
    ex.begin_orders()
    ex.save_draft("washington", [stockpile()])  # a bot team's screen could save one too
    ex.resolve(force=True)
    ex.commit()
    assert ex.teams_with_drafts() == []


# ---------------------------------------------------------------- the clock and names


def test_the_orders_clock_stops_while_no_app_has_the_session_open(db, scenario):
    ex = Exercise.create(db, scenario, teams=BOTS, timer_seconds=600, owner="console")
    ex.begin_orders()
    opened = datetime.fromisoformat(ex.log()[-1].created_at)
    ex.close()  # the app quits two minutes later...
    closed = opened + timedelta(minutes=2)
    with sqlite3.connect(db) as conn:
        conn.execute("update session_locks set released_at = ?, heartbeat_at = ?",
                     [closed.isoformat(), closed.isoformat()])
    again = Exercise.open(db, ex.id, owner="console")  # ...and is back ten minutes later
    back = opened + timedelta(minutes=12)
    with sqlite3.connect(db) as conn:
        conn.execute("update session_locks set acquired_at = ?, heartbeat_at = ? where "
                     "released_at is null", [back.isoformat(), back.isoformat()])
    remaining = again.timer_remaining(back + timedelta(minutes=1))
    assert remaining == pytest.approx(600 - 3 * 60)
    again.pause()
    paused_at = datetime.fromisoformat(again.log()[-1].created_at)
    assert again.timer_remaining(paused_at + timedelta(hours=1)) == pytest.approx(
        again.timer_remaining(paused_at), abs=1)


def test_sessions_have_names_and_forks_say_whose(db, scenario):
    ex = Exercise.create(db, scenario, teams=BOTS, name="Tuesday group")
    assert ex.name == "Tuesday group"
    ex.play_turn()
    ex.next_turn()
    fork = ex.fork(2)
    assert fork.name == "Tuesday group (fork at turn 2)"
    summary = next(s for s in ex.store.summaries() if s.id == fork.id)
    assert summary.fork_label == "fork of Tuesday group at turn 2"
    assert ex.rename("Wednesday group") == "Wednesday group"
    with pytest.raises(ExerciseError):
        ex.rename("\u202eevil")
    default = Exercise.create(db, scenario)
    assert default.name.startswith(f"{scenario.title}, ")


def test_a_window_that_lost_its_lock_cannot_save_a_draft(db, scenario):
    from wargame.session.lock import LockHeld

    ex = Exercise.create(db, scenario, teams=BOTS, owner="console (ann)")
    ex.begin_orders()
    with pytest.raises(LockHeld) as info:
        Exercise.open(db, ex.id, owner="console (bob)")
    Exercise.open(db, ex.id, owner="console (bob)", take_over=info.value)
    with pytest.raises(SessionChanged):
        ex.save_draft("washington", [stockpile()])
