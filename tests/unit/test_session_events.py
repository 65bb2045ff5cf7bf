"""Typed event payloads: one model per kind (a discriminated union), each with the
visibility of its kind; stored payloads are validated when read back."""
from __future__ import annotations

import pytest

from wargame.engine.orders import Order
from wargame.session.events import (
    PAYLOAD_TYPES,
    DamagedEvent,
    DeckInjectsFired,
    EventKind,
    FacilitatorOrders,
    Forked,
    HotWashRecorded,
    InjectFired,
    InjectRetracted,
    LoggedEvent,
    Note,
    NoteDeleted,
    NoteEdited,
    OrdersSubmitted,
    OverrideRuling,
    Paused,
    PhaseChanged,
    RandomDraws,
    Resumed,
    Rewound,
    SessionCreated,
    TurnResolved,
    parse_payload,
    payload_json,
)
from wargame.session.visibility import Visibility
from wargame.store import Event

ORDER = Order("beijing", "licence_freeze", {"material": "ndpr", "factor": 0.5}, "t1-beijing-1")

EXAMPLES = [
    (SessionCreated(scenario_id="mini", scenario_hash="e" * 64, seed=3, teams={"beijing": "bot"},
                    engine_model_version=2), "facilitator"),
    (PhaseChanged(phase="orders"), "public"),
    (OrdersSubmitted(team="beijing", orders=(ORDER,)), "team:beijing until resolved"),
    (FacilitatorOrders(orders=(Order("facilitator", "m", {}, "t1-facilitator-1"),)),
     "facilitator until resolved"),
    (InjectFired(inject="port_strike"), "public"),
    (InjectRetracted(fired_seq=4, inject_id="port_strike", reason="wrong one"), "public"),
    (OverrideRuling(order_id="t1-beijing-1", status="scaled", reason="too strong",
                    param="factor", factor=0.5), "facilitator until resolved"),
    (Note(text="the minister called", phase="orders"), "facilitator"),
    (NoteEdited(note_seq=7, text="the minister called twice"), "facilitator"),
    (NoteDeleted(note_seq=7), "facilitator"),
    (Paused(phase="orders"), "public"),
    (Resumed(phase="orders"), "public"),
    (RandomDraws(draws=({"key": "k", "value": 0.3},)), "facilitator"),
    (DeckInjectsFired(injects=({"inject_id": "x", "title": "X"},)), "public"),
    (TurnResolved(result={"turn": 1, "outcomes": []}, state_hash="a" * 64), "public"),
    (Rewound(to_turn=2, archived_branch=1, reason="redo"), "public"),
    (Forked(from_session="abcd1234", from_turn=2), "public"),
    (HotWashRecorded(went_well=("the map",), players={"beijing": "A. Chen"}), "public"),
]


def test_every_kind_has_an_example():
    assert {p.kind for p, _ in EXAMPLES} == set(PAYLOAD_TYPES) == {k.value for k in EventKind}


@pytest.mark.parametrize("payload, visibility", EXAMPLES, ids=lambda x: getattr(x, "kind", x))
def test_payload_round_trips_and_has_its_kinds_visibility(payload, visibility):
    stored = payload_json(payload)
    assert "kind" not in stored
    assert parse_payload(payload.kind, stored) == payload
    assert payload.visibility().to_text() == visibility


@pytest.mark.parametrize("kind, raw, problem", [
    ("orders_submitted", {"team": "beijing", "orders": "all"}, "orders"),
    ("orders_submitted", {"team": "beijing", "orders": [dict(ORDER.to_dict(),
                                                            params={"t": float("inf")})]},
     "not a finite number"),
    ("orders_submitted", {"team": "beijing", "orders": [dict(ORDER.to_dict(),
                                                            team="brussels")]},
     "an order of team 'brussels'"),
    ("override", {"order_id": "x", "status": "rejected", "reason": ""}, "reason"),
    ("override", {"order_id": "x", "status": "scaled", "reason": "r"}, "names a parameter"),
    ("override", {"order_id": "x", "status": "scaled", "reason": "r", "param": "t",
                  "factor": -1}, "factor"),
    ("phase", {"phase": "lunch"}, "phase"),
    ("note", {"text": "hi", "admin": True}, "admin"),
    ("note", ["hi"], "not an object"),
    ("teleport", {}, "unknown kind"),
    ("turn_resolved", {"result": {}, "state_hash": "bad"}, "state_hash"),
])
def test_wrong_payloads_are_refused_naming_the_event(kind, raw, problem):
    with pytest.raises(DamagedEvent, match=problem) as info:
        parse_payload(kind, raw, seq=12)
    assert str(info.value).startswith(f"event 12 ({kind})")


def test_a_logged_event_reads_its_stored_visibility_or_its_kinds_default():
    raw = payload_json(OrdersSubmitted(team="beijing", orders=(ORDER,)))
    old = LoggedEvent.from_stored(Event("s", 3, 1, "orders_submitted", raw, "t", 0, None))
    assert old.visibility == Visibility.sealed_for("beijing") and old.kind == "orders_submitted"
    stored = LoggedEvent.from_stored(Event("s", 3, 1, "orders_submitted", raw, "t", 0,
                                           "public"))
    assert stored.visibility == Visibility.everyone()  # as stored: data, not code
    with pytest.raises(DamagedEvent, match="not a visibility"):
        LoggedEvent.from_stored(Event("s", 3, 1, "orders_submitted", raw, "t", 0, "all"))
