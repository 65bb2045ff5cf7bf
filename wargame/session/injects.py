"""Injects as the facilitator's picker and the debrief show them: every inject once, with
its state.

- ``due``: the deck fires it when the open turn resolves: scheduled for this turn, drawn
  (random: the keyed draw comes from the state's RNG, so it is known before the turn
  resolves), its condition holds, or a follow-up falls due (the engine's own
  ``conditions.fire_deck``, run ahead on the current state);
- ``upcoming``: the deck may fire it later (the engine's ``upcoming_deck``: scheduled ones
  by turn, random and conditional ones in their window, waiting follow-ups, and the
  hand-only part of the deck);
- ``fired``: it fired (committed turns are read from their results, each once; the open
  turn's hand-fired ones from its events);
- ``retracted``: fired by hand, then taken back before the orders opened.

The facilitator may know all of this; nobody else sees it. Firing an inject that is due or
already fired this turn is refused unless confirmed (``already_due``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from wargame.engine import upcoming_deck
from wargame.engine.conditions import fire_deck
from wargame.engine.draws import turn_seed
from wargame.engine.rules import rules_for
from wargame.scenario.model import Inject, Scenario
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

How = Literal["scheduled", "random", "conditional", "follow-up", "by hand"]
State = Literal["upcoming", "due", "fired", "retracted"]
_HOW = {"scheduled": "scheduled", "drawn": "random", "random": "random",
        "condition": "conditional", "conditional": "conditional", "follow-up": "follow-up",
        "by hand": "by hand", "hand": "by hand"}


@dataclass(frozen=True)
class InjectStatus:
    """One inject on the board. ``turn``: when it is due or fired (None: any turn of its
    window, ``from_turn``..``until_turn``); ``probability``: its chance per turn;
    ``condition``: what must hold (canonical form); ``after``: the inject a follow-up waits
    on; ``fired_seq``: the event of a hand-fired one (to retract it)."""

    inject_id: str
    title: str
    text: str
    how: How
    state: State
    turn: int | None
    probability: float | None = None
    fired_seq: int | None = None
    condition: str | None = None
    after: str | None = None
    from_turn: int | None = None
    until_turn: int | None = None
    reason: str = ""  # why a retracted one was taken back


def open_turn(ex: "Exercise") -> int | None:
    """The turn being played and not yet committed (None in the debrief or at the end)."""
    return ex.turn if ex.phase in (BRIEFING, ORDERS, ADJUDICATION) else None


def deck_due(ex: "Exercise") -> list[tuple[Inject, How]]:
    """The deck's injects that will fire on their own when the open turn resolves."""
    turn = open_turn(ex)
    if turn is None or ex.state.turn != turn:
        return []
    seed, _ = turn_seed(ex.state.rng_state)
    rules = rules_for(ex.scenario)
    fired, _ = fire_deck(rules.deck, ex.scenario, ex.state.deck, turn, seed, (), True)
    return [(inject, _HOW[how]) for inject, how in fired]


def _hand_fired(events: list[LoggedEvent]) -> list[tuple[LoggedEvent, bool]]:
    """Hand-fired inject events with whether each was retracted."""
    retracted = {e.payload.fired_seq for e in events if isinstance(e.payload, InjectRetracted)}
    return [(e, e.seq in retracted) for e in events if isinstance(e.payload, InjectFired)]


def hand_fired(events: Iterable[LoggedEvent], scenario: Scenario) -> list[InjectStatus]:
    """Every inject fired by hand in ``events`` (one turn's, or a whole log), in log order:
    ``fired``, or ``retracted`` with the reason given."""
    events = list(events)
    reasons = {e.payload.fired_seq: e.payload.reason for e in events
               if isinstance(e.payload, InjectRetracted)}
    deck = {i.id: i for i in scenario.injects}
    out = []
    for event in events:
        if isinstance(event.payload, InjectFired):
            inject_id, title, text = _describe(event.payload, deck)
            retracted = event.seq in reasons
            out.append(InjectStatus(inject_id, title, text, "by hand",
                                    "retracted" if retracted else "fired", event.turn,
                                    fired_seq=event.seq, reason=reasons.get(event.seq, "")))
    return out


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
    why = {"scheduled": "is scheduled to fire this turn", "random": "was drawn to fire this "
           "turn", "conditional": "fires this turn (its condition holds)",
           "follow-up": "fires this turn as a follow-up"}
    for due, how in deck_due(ex):
        if due.id == inject_id:
            return why.get(how, "fires this turn")
    deck = {i.id: i for i in ex.scenario.injects}
    for event, retracted in _hand_fired(ex._turn_events):
        if retracted:
            continue
        fired_id, fired_title, _ = _describe(event.payload, deck)
        if fired_id == inject_id or (title is not None and fired_title == title):
            return "was already fired by hand this turn"
    return None


def _events(ex: "Exercise") -> tuple[list[LoggedEvent], list[LoggedEvent]]:
    from wargame.session.exercise import typed_events

    events = typed_events(ex.store.events(ex.id, kinds=["turn_resolved", "inject_fired",
                                                        "inject_retracted"]))
    resolved = [e for e in events if isinstance(e.payload, TurnResolved)]
    return resolved, events


def fired_once(ex: "Exercise") -> list[InjectStatus]:
    """Every inject that fired on the live line, each once: committed turns from their
    results, the open turn from its hand-fired events."""
    resolved, events = _events(ex)
    out: list[InjectStatus] = []
    for e in resolved:
        for item in e.payload.result.get("injects_fired", []):
            out.append(InjectStatus(str(item.get("inject_id")), str(item.get("title", "")),
                                    str(item.get("text", "")),
                                    _HOW.get(item.get("how"), "scheduled"), "fired", e.turn))
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
    turn, then what the deck may still fire."""
    _, events = _events(ex)
    deck = {i.id: i for i in ex.scenario.injects}
    out = fired_once(ex)
    out += [s for s in hand_fired(events, ex.scenario) if s.state == "retracted"]
    out.sort(key=lambda s: (s.turn or 0, s.state == "retracted"))
    turn = open_turn(ex)
    due = deck_due(ex)
    for inject, how in due:
        out.append(InjectStatus(inject.id, inject.title, inject.text, how, "due", turn,
                                inject.probability))
    due_ids = {inject.id for inject, _ in due}
    for item in upcoming_deck(ex.scenario, ex.state):
        if item.inject_id in due_ids and item.due_turn in (None, turn):
            continue
        if turn is None and item.due_turn is not None and item.due_turn < ex.state.turn:
            continue
        known = deck.get(item.inject_id)
        out.append(InjectStatus(item.inject_id, item.title, known.text if known else "",
                                _HOW[item.trigger], "upcoming", item.due_turn,
                                item.probability, condition=item.condition, after=item.after,
                                from_turn=item.from_turn, until_turn=item.until_turn))
    return out
