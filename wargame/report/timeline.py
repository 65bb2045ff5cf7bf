"""The report's timeline: one ``TurnRecord`` per turn, made from what the session layer's
``view_for`` lets the reader see (the redacted log and the committed results), folded by the
session layer's own helpers (``turn_inputs``, ``current_notes``, ``hand_fired``), so a turn
reads here exactly as it was played and nothing is guessed from raw payloads.

A committed turn holds its injects (and the hand-fired ones that were retracted, as such),
every visible order with its outcome, the ruling in force on each order, the notes with
their current text, the explanations and the turn's indicators as the reader may see them.
The turn in progress holds its injects and notes only: its orders are sealed and its
rulings pending, and a report is a record of what happened, so neither is shown to anyone.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from wargame.engine import FACILITATOR, TurnIndicators
from wargame.engine.phrases import describe_move
from wargame.report.model import (
    ExplanationEntry,
    InjectEntry,
    NoteEntry,
    OrderEntry,
    OverrideEntry,
    RetractedInject,
    TurnRecord,
)
from wargame.scenario.model import Scenario
from wargame.session.events import LoggedEvent
from wargame.session.folding import turn_inputs
from wargame.session.injects import hand_fired
from wargame.session.notes import current_notes
from wargame.session.views import ResultView
from wargame.session.visibility import Viewer

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def turn_calendar(start_date: str, turn_length_months: int, turn: int) -> str:
    """'Dec 2025 - Feb 2026' for turn 1 of a scenario starting "2025-12" with 3-month
    turns; '' when the start date is not a year-month."""
    try:
        year, month = (int(part) for part in start_date.split("-")[:2])
    except ValueError:
        return ""
    if not 1 <= month <= 12:
        return ""
    first = (year * 12 + month - 1) + (turn - 1) * turn_length_months
    last = first + turn_length_months - 1
    label = lambda index: f"{MONTHS[index % 12]} {index // 12}"  # noqa: E731
    return label(first) if first == last else f"{label(first)} - {label(last)}"


def visible_indicators(result: ResultView, viewer: Viewer) -> TurnIndicators:
    """A committed turn's indicators as ``view_for`` gave them to ``viewer``, in the
    engine's one type: the facilitator's are the whole ``TurnIndicators``; a team's are the
    public ones, its own actors' and every team's score; the public's the public ones and
    the scores (scores are public once a turn is committed). What the
    viewer was not given stays empty."""
    if result.indicators is not None:
        return result.indicators
    fields: dict[str, Any] = {name: {} for name, field in TurnIndicators.model_fields.items()
                              if field.is_required() and name != "turn"}
    fields["turn"] = result.turn
    if result.own is not None:
        fields.update(result.own.model_dump(exclude={"score"}))
    fields["scores"] = {team: score.model_dump() for team, score in result.scores.items()}
    fields.update(result.public.model_dump(exclude={"turn"}))  # every actor's supply met
    return TurnIndicators.model_validate(fields)


def turn_records(scenario: Scenario, team_order: Sequence[str], log: Sequence[LoggedEvent],
                 results: Sequence[ResultView], viewer: Viewer, current_turn: int
                 ) -> list[TurnRecord]:
    """Every committed turn, then the turn in progress (``current_turn``) if it is not
    committed, from a viewer's redacted ``log`` and ``results``."""
    by_turn: dict[int, list[LoggedEvent]] = {}
    for event in log:
        by_turn.setdefault(event.turn, []).append(event)
    committed = {r.turn: r for r in results}
    notes: dict[int, list[NoteEntry]] = {}
    for note in current_notes(log):  # an edit may be logged in a later turn than its note
        if not note.deleted:
            notes.setdefault(note.turn, []).append(NoteEntry(
                seq=note.seq, turn=note.turn, phase=note.phase or "",
                created_at=note.written_at, text=note.text, edited_at=note.edited_at,
                versions=note.versions))
    by_hand = hand_fired(log, scenario)
    team_names = {**{t.id: t.name for t in scenario.teams}, FACILITATOR: "White cell"}
    covert_moves = {m.id for m in scenario.moves if not m.public}
    out = []
    for turn in range(1, max([current_turn, *committed]) + 1):
        calendar = turn_calendar(scenario.start_date, scenario.turn_length_months, turn)
        retracted = tuple(RetractedInject(inject_id=s.inject_id, title=s.title,
                                          reason=s.reason)
                          for s in by_hand if s.turn == turn and s.state == "retracted")
        turn_notes = tuple(notes.get(turn, ()))
        if turn not in committed:
            if turn == current_turn:  # in progress: its injects and notes only
                out.append(TurnRecord(
                    turn=turn, committed=False, calendar=calendar, notes=turn_notes,
                    retracted_injects=retracted,
                    injects=tuple(InjectEntry(inject_id=s.inject_id, title=s.title,
                                              text=s.text, how="by hand")
                                  for s in by_hand if s.turn == turn and s.state == "fired")))
            continue
        result = committed[turn]
        inputs = turn_inputs(by_turn.get(turn, []), team_order)
        outcomes = {o.order_id: o for o in result.outcomes}
        orders = []
        for order in inputs.orders:
            outcome = outcomes.get(order.id)
            orders.append(OrderEntry(
                order_id=order.id, team=order.team,
                team_name=team_names.get(order.team, order.team), move=order.move,
                params_json=json.dumps(order.params, sort_keys=True),
                description=describe_move(scenario, order.move, order.params, order.team),
                covert=order.move in covert_moves,
                status=str(outcome.status) if outcome else "not resolved",
                detail=outcome.detail if outcome else ""))
        shown = {o.order_id: o for o in orders}
        overrides = tuple(
            OverrideEntry(order_id=o.order_id, order_description=shown[o.order_id].description,
                          status=o.status, reason=o.reason, param=o.param, factor=o.factor)
            for o in inputs.overrides if o.order_id in shown)
        out.append(TurnRecord(
            turn=turn, committed=True, calendar=calendar,
            injects=tuple(InjectEntry(inject_id=i.inject_id, title=i.title, text=i.text,
                                      how=i.how) for i in result.injects_fired),
            retracted_injects=retracted, orders=tuple(orders), overrides=overrides,
            notes=turn_notes,
            explanations=tuple(ExplanationEntry(text=e.text, public=e.public, groups=e.groups,
                                                kind=e.kind)
                               for e in result.explanations),
            indicators=visible_indicators(result, viewer)))
    return out
