"""The hot wash: what the room said straight after the exercise (what went well, what to
improve, who does what by when, and who played which team). It becomes the report's
improvement plan.

Storage: an event of kind ``hot_wash`` in the session's log whose payload is the whole
``HotWash`` (the last one written counts; earlier ones stay in the log as its history), so
it travels with exports and imports and needs no schema change. Facilitator-written text,
meant for the report: visible to everyone. The model itself is an event payload of the
session layer (``wargame.session.hotwash``), re-exported here.
"""
from __future__ import annotations

from wargame.session.hotwash import (
    HOT_WASH,
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    ActionItem,
    HotWash,
    HotWashError,
)


def latest_hot_wash(events: list) -> HotWash:
    """The hot wash in force: the payload of the last ``hot_wash`` event (store ``Event``s
    in log order), or an empty one."""
    for event in reversed(events):
        if event.kind == HOT_WASH:
            return HotWash.from_payload(event.payload, f"event {event.seq} (hot wash)")
    return HotWash()


def save_hot_wash(store, session_id: str, hot_wash: HotWash) -> None:
    """Append the hot wash to the session's log (one transaction), at the session's turn."""
    record = store.session(session_id)
    store.append_event(session_id, record.turn, HOT_WASH, hot_wash.to_payload(),
                       visibility="public")


def load_hot_wash(store, session_id: str) -> HotWash:
    return latest_hot_wash(store.events(session_id, kinds=[HOT_WASH]))


__all__ = ["ActionItem", "HOT_WASH", "HotWash", "HotWashError", "MAX_ITEMS",
           "MAX_ITEM_CHARS", "latest_hot_wash", "load_hot_wash", "save_hot_wash"]
