"""The hot wash: what the room said straight after the exercise (what went well, what to
improve, who does what by when, and who played which team). It becomes the report's
improvement plan.

Storage: an event of kind ``hot_wash`` in the session's log whose payload is the whole
``HotWash`` (the last one written counts; earlier ones stay in the log as its history), so
it travels with exports and imports and needs no schema change. It is written like every
other change to a session, by ``Exercise.record_hot_wash`` (one writer: a conditional
write, behind the facilitator PIN when one is set). Facilitator-written text, meant for the
report: visible to everyone. The model itself is an event payload of the session layer
(``wargame.session.hotwash``), re-exported here.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wargame.session.access import Access
from wargame.session.events import HotWashRecorded, LoggedEvent
from wargame.session.hotwash import (
    HOT_WASH,
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    ActionItem,
    HotWash,
    HotWashError,
)

if TYPE_CHECKING:
    from wargame.session.exercise import Exercise
    from wargame.store import SessionStore


def latest_hot_wash(events: Iterable[LoggedEvent]) -> HotWash:
    """The hot wash in force: the last ``hot_wash`` event of a typed log, or an empty one."""
    last = None
    for event in events:
        if isinstance(event.payload, HotWashRecorded):
            last = event.payload
    return HotWash() if last is None else hot_wash_of(last)


def hot_wash_of(payload: HotWashRecorded) -> HotWash:
    return HotWash.model_validate(payload.model_dump(exclude={"kind"}))


def save_hot_wash(exercise: "Exercise", hot_wash: HotWash, key: Access = None) -> None:
    """Record ``hot_wash`` through the session's one writer (``Exercise.record_hot_wash``:
    conditional on what the exercise last saw, the facilitator's ``key`` when a PIN is
    set)."""
    exercise.record_hot_wash(hot_wash, key)


def load_hot_wash(store: "SessionStore", session_id: str) -> HotWash:
    from wargame.session.exercise import typed_events

    return latest_hot_wash(typed_events(store.events(session_id, kinds=[HOT_WASH])))


__all__ = ["ActionItem", "HOT_WASH", "HotWash", "HotWashError", "MAX_ITEMS",
           "MAX_ITEM_CHARS", "hot_wash_of", "latest_hot_wash", "load_hot_wash",
           "save_hot_wash"]
