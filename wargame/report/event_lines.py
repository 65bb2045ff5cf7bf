"""The session's log in one line per event, for the report's ``events`` table: made from
the log ``view_for`` gave the reader (so an event the reader may not see is not there at
all, and a covert order is not counted), one line per typed payload.

Beyond what ``view_for`` shows, a report never shows the contents of the turn in progress:
a submission of a turn not yet resolved is said without its orders, a ruling on it without
its order or reason. Notes are named, not quoted: their current text is in the timeline
(an edited or deleted note is not read back here in its old words).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from wargame.engine import FiredInject
from wargame.report.model import LogEntry
from wargame.scenario.model import Scenario
from wargame.session.events import (
    DeckInjectsFired,
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
)
from wargame.session.injects import hand_fired


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _deck_titles(payload: DeckInjectsFired) -> str:
    titles = []
    for raw in payload.injects:
        try:
            titles.append(FiredInject.model_validate(raw).title)
        except ValidationError:
            titles.append("(an inject this version cannot read)")
    return ", ".join(titles) if titles else "none"


def event_line(event: LoggedEvent, resolved: bool, team_names: Mapping[str, str],
               inject_titles: Mapping[int, str]) -> str:
    """One event in words. ``resolved``: the event's turn has been committed;
    ``inject_titles``: hand-fired injects' titles by the seq of their event."""
    match event.payload:
        case OrdersSubmitted(team=team, orders=orders) | FacilitatorOrders(team=team,
                                                                           orders=orders):
            who = team_names.get(team, team)
            if not resolved:
                return f"{who} submitted orders (sealed until the turn is resolved)"
            return f"{who} submitted {_plural(len(orders), 'order')}"
        case OverrideRuling() as ruling:
            if not resolved:
                return "a ruling on an order, pending until the turn is committed"
            scaled = (f" ({ruling.param} x {ruling.factor:g})"
                      if ruling.status == "scaled" else "")
            return (f"override of order {ruling.order_id}: {ruling.status}{scaled} "
                    f"(reason: {ruling.reason})")
        case SessionCreated(seed=seed, engine_model_version=version):
            return f"session created (seed {seed}, engine model {version})"
        case PhaseChanged(phase=phase):
            return f"phase: {phase}"
        case InjectFired():
            return f"inject fired by hand: {inject_titles.get(event.seq, '')}"
        case InjectRetracted(fired_seq=fired, reason=reason):
            title = inject_titles.get(fired, "")
            return f"inject retracted: {title}" + (f" ({reason})" if reason else "")
        case DeckInjectsFired() as deck:
            return "injects from the deck: " + _deck_titles(deck)
        case RandomDraws(draws=draws):
            return f"{_plural(len(draws), 'random draw')} recorded"
        case TurnResolved():
            return "turn resolved and committed"
        case Note():
            return f"note {event.seq} written"
        case NoteEdited(note_seq=seq):
            return f"note {seq} edited"
        case NoteDeleted(note_seq=seq):
            return f"note {seq} deleted"
        case Paused(phase=phase) | Resumed(phase=phase):
            return f"{event.kind.value} (in the {phase} phase)"
        case Rewound(to_turn=turn, archived_branch=branch, reason=reason):
            return (f"rewound to the start of turn {turn} (later turns kept as branch "
                    f"{branch})" + (f": {reason}" if reason else ""))
        case Forked(from_session=source, from_turn=turn):
            return f"forked from session {source} at turn {turn}"
        case HotWashRecorded():
            return "hot wash recorded"
    return event.kind.value.replace("_", " ")


def log_lines(scenario: Scenario, log: Sequence[LoggedEvent], resolved_turns: set[int],
              team_names: Mapping[str, str]) -> list[LogEntry]:
    """Every event of a viewer's log in one line."""
    titles = {s.fired_seq: s.title for s in hand_fired(log, scenario) if s.fired_seq}
    return [LogEntry(seq=e.seq, turn=e.turn, created_at=e.created_at, kind=e.kind.value,
                     summary=event_line(e, e.turn in resolved_turns, team_names, titles))
            for e in log]
