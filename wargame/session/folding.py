"""Folding the log: a turn's typed events become what the engine needs to resolve it.

Used by the live ``Exercise`` and by ``replay`` alike, so a session replays exactly as it
was played: the last submission of each team counts; teams come in scenario order so
resolution never depends on who typed first; the white cell's orders come after every
team's; an inject fired by hand and then retracted is not fired; the last override of an
order wins.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wargame.engine import FACILITATOR, GameState, Order, Override, TurnResult
from wargame.scenario.model import Inject
from wargame.session.errors import ExerciseError
from wargame.session.events import (
    FacilitatorOrders,
    FreeInject,
    InjectFired,
    InjectRetracted,
    LoggedEvent,
    OrdersSubmitted,
    OverrideRuling,
)


@dataclass(frozen=True)
class TurnInputs:
    """What the engine needs to resolve one turn, as read from the log."""

    orders: tuple[Order, ...]
    injects: tuple[str | Inject, ...]  # deck inject ids, or Inject objects (free text)
    overrides: tuple[Override, ...]  # the last ruling per order


def engine_inject(fired: InjectFired) -> str | Inject:
    """A hand-fired inject as the engine takes it."""
    inject = fired.inject
    if isinstance(inject, FreeInject):
        return Inject(id=inject.id, title=inject.title, text=inject.text)
    return inject


def engine_override(ruling: OverrideRuling) -> Override:
    return Override(order_id=ruling.order_id, status=ruling.status, reason=ruling.reason,
                    param=ruling.param, factor=ruling.factor)


def turn_inputs(events: Iterable[LoggedEvent], team_order: Sequence[str]) -> TurnInputs:
    """Fold one turn's typed events into the engine's inputs."""
    latest: dict[str, tuple[Order, ...]] = {}
    fired: dict[int, InjectFired] = {}
    rulings: dict[str, OverrideRuling] = {}
    for event in events:
        payload = event.payload
        if isinstance(payload, (OrdersSubmitted, FacilitatorOrders)):
            latest[payload.team] = payload.orders
        elif isinstance(payload, InjectFired):
            fired[event.seq] = payload
        elif isinstance(payload, InjectRetracted):
            fired.pop(payload.fired_seq, None)
        elif isinstance(payload, OverrideRuling):
            rulings.pop(payload.order_id, None)  # the last ruling counts, in its own place
            rulings[payload.order_id] = payload
    orders = tuple(o for team in [*team_order, FACILITATOR] for o in latest.get(team, ()))
    return TurnInputs(orders, tuple(engine_inject(f) for f in fired.values()),
                      tuple(engine_override(r) for r in rulings.values()))


def result_payload(result: TurnResult) -> tuple[dict, dict]:
    """Split a ``TurnResult`` for the store: (the log's payload = everything but the new
    state, the new state's dict = the snapshot)."""
    data = dict(result.to_dict())
    state = data.pop("state")
    return data, state


def unreadable(exc: Exception) -> str:
    """Why a stored payload cannot be read, in one line."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        return (f"its stored result cannot be read by this version ({exc.error_count()} "
                f"problem(s), first: {first['msg']} at {where}); it may have been recorded "
                f"under another engine model version")
    return f"its stored result cannot be read by this version ({type(exc).__name__}: {exc})"


def result_from_payload(payload: Mapping[str, Any], state: GameState | Mapping) -> TurnResult:
    """A stored turn back as the engine's typed ``TurnResult`` (validated); a payload this
    version cannot read is an ``ExerciseError`` that says which turn and what."""
    from pydantic import ValidationError

    data = dict(payload)
    data["state"] = state.to_dict() if isinstance(state, GameState) else dict(state)
    try:
        return TurnResult.from_dict(data)
    except (ValidationError, KeyError, ValueError) as exc:
        raise ExerciseError(f"turn {data.get('turn')}: {unreadable(exc)}") from None
