"""Injects as the facilitator's picker and the debrief show them: every inject once, with
its state.

- The deck's scheduled injects are ``upcoming`` until their turn, ``due`` in it (they fire
  when the turn resolves), ``fired`` once it is committed.
- The deck's random injects are ``upcoming`` (with their chance per turn) and ``due`` in the
  turn whose keyed draw fires them: the draw comes from the state's RNG, so the session
  layer knows it before the turn resolves (the facilitator may know; nobody else sees it).
- Injects fired by hand are ``fired``, or ``retracted`` when the facilitator took them back
  before the orders opened.

Committed turns are read from their results (the engine's ``injects_fired``: scheduled,
drawn and by hand, each once); the open turn from its events. Firing an inject that is due
or already fired this turn is refused unless confirmed (``already_due``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from wargame.engine.draws import turn_seed
from wargame.engine.planning import deck_injects
from wargame.scenario.model import Inject
from wargame.session.events import (
    FreeInject,
    InjectFired,
    InjectRetracted,
    LoggedEvent,
    TurnResolved,
)
from wargame.session.phases import ADJUDICATION, BRIEFING, ORDERS

if TYPE_CHECKING:
    from wargame.session.exercise import Exercise

How = Literal["scheduled", "random", "by hand"]
State = Literal["upcoming", "due", "fired", "retracted"]


@dataclass(frozen=True)
class InjectStatus:
    inject_id: str
    title: str
    text: str
    how: How
    state: State
    turn: int | None  # the turn it is due or fired (None: random, any turn of its window)
    probability: float | None = None  # chance per turn of a random inject
    fired_seq: int | None = None  # the event of a hand-fired inject (to retract it)


def open_turn(ex: "Exercise") -> int | None:
    """The turn being played and not yet committed (None in the debrief or at the end)."""
    return ex.turn if ex.phase in (BRIEFING, ORDERS, ADJUDICATION) else None


def deck_due(ex: "Exercise") -> list[tuple[Inject, How]]:
    """The deck's injects that will fire when the open turn resolves."""
    turn = open_turn(ex)
    if turn is None or ex.state.turn != turn:
        return []
    seed, _ = turn_seed(ex.state.rng_state)
    return [(inject, "scheduled" if how == "scheduled" else "random")
            for inject, how in deck_injects(ex.scenario, turn, seed)]


def _hand_fired(events: list[LoggedEvent]) -> list[tuple[LoggedEvent, bool]]:
    """Hand-fired inject events with whether each was retracted."""
    retracted = {e.payload.fired_seq for e in events if isinstance(e.payload, InjectRetracted)}
    return [(e, e.seq in retracted) for e in events if isinstance(e.payload, InjectFired)]


def _describe(payload: InjectFired, deck: dict[str, Inject]) -> tuple[str, str, str]:
    inject = payload.inject
    if isinstance(inject, str):
        known = deck.get(inject)
        return inject, known.title if known else inject, known.text if known else ""
    return inject.id, inject.title, inject.text


def already_due(ex: "Exercise", inject: str | FreeInject | Inject) -> str | None:
    """Why firing ``inject`` now would apply it twice (None: it would not)."""
    inject_id = inject if isinstance(inject, str) else inject.id
    title = None if isinstance(inject, str) else inject.title
    for due, how in deck_due(ex):
        if due.id == inject_id:
            return ("is scheduled to fire this turn" if how == "scheduled"
                    else "was drawn to fire this turn")
    deck = {i.id: i for i in ex.scenario.injects}
    for event, retracted in _hand_fired(ex._turn_events):
        if retracted:
            continue
        fired_id, fired_title, _ = _describe(event.payload, deck)
        if fired_id == inject_id or (title is not None and fired_title == title):
            return "was already fired by hand this turn"
    return None


def _committed(ex: "Exercise") -> tuple[list[LoggedEvent], list[LoggedEvent]]:
    from wargame.session.exercise import typed_events

    events = typed_events(ex.store.events(ex.id, kinds=["turn_resolved", "inject_fired",
                                                        "inject_retracted"]))
    resolved = [e for e in events if isinstance(e.payload, TurnResolved)]
    return resolved, events


def fired_once(ex: "Exercise") -> list[InjectStatus]:
    """Every inject that fired on the live line, each once: committed turns from their
    results, the open turn from its hand-fired events."""
    resolved, events = _committed(ex)
    out: list[InjectStatus] = []
    for e in resolved:
        for item in e.payload.result.get("injects_fired", []):
            how: How = {"drawn": "random", "by hand": "by hand"}.get(item.get("how"),
                                                                       "scheduled")
            out.append(InjectStatus(str(item.get("inject_id")), str(item.get("title", "")),
                                    str(item.get("text", "")), how, "fired", e.turn))
    turn = open_turn(ex)
    if turn is not None:
        deck = {i.id: i for i in ex.scenario.injects}
        for event, retracted in _hand_fired([e for e in events if e.turn == turn]):
            if not retracted:
                inject_id, title, text = _describe(event.payload, deck)
                out.append(InjectStatus(inject_id, title, text, "by hand", "fired", turn,
                                        fired_seq=event.seq))
    return out


def board(ex: "Exercise") -> list[InjectStatus]:
    """Every inject with its state: fired and retracted ones by turn, then those due this
    turn, then the deck's upcoming ones (scheduled by turn, then random)."""
    resolved, events = _committed(ex)
    deck = {i.id: i for i in ex.scenario.injects}
    out = [s for s in fired_once(ex)]
    for event, retracted in _hand_fired(events):
        if retracted:
            inject_id, title, text = _describe(event.payload, deck)
            out.append(InjectStatus(inject_id, title, text, "by hand", "retracted",
                                    event.turn, fired_seq=event.seq))
    out.sort(key=lambda s: (s.turn or 0, s.state == "retracted"))
    turn = open_turn(ex)
    due = deck_due(ex)
    due_ids = {inject.id for inject, _ in due}
    for inject, how in due:
        out.append(InjectStatus(inject.id, inject.title, inject.text, how, "due", turn,
                                inject.probability))
    last_committed = max((e.turn for e in resolved), default=0)
    upcoming_from = (turn if turn is not None else last_committed + 1)
    for inject in ex.scenario.injects:
        if inject.id in due_ids:
            continue
        if inject.turn is not None and inject.turn >= upcoming_from and \
                inject.turn <= ex.turn_limit and inject.turn != turn:
            out.append(InjectStatus(inject.id, inject.title, inject.text, "scheduled",
                                    "upcoming", inject.turn))
        elif inject.probability is not None and (
                inject.until_turn is None or inject.until_turn >= upcoming_from):
            out.append(InjectStatus(inject.id, inject.title, inject.text, "random",
                                    "upcoming", None, inject.probability))
    return out


def as_payload(status: InjectStatus) -> dict[str, Any]:
    return {"id": status.inject_id, "title": status.title, "text": status.text}
