"""The one module through which batch analysis reads saved sessions ("was it luck?",
branch comparison): a session's scenario, seed, each resolved turn's inputs (orders,
injects fired by hand, the facilitator's overrides) and stored result, and its forks.

It reads the store directly (``wargame.store``) until the session layer
(``wargame.session``) offers the same; only this module changes then.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.errors import UserError
from wargame.scenario.model import Scenario


@dataclass(frozen=True)
class SessionTurn:
    """One resolved turn: what the engine was given and what it gave back (engine
    objects, handed on to ``engine_adapter`` untouched)."""

    turn: int
    orders: tuple[Any, ...]  # engine Orders, canonical team order
    injects: tuple[Any, ...]  # inject ids (deck) or Inject objects (free text)
    overrides: tuple[dict, ...]  # {"order_id", "status", "reason"[, "param", "factor"]}
    result: Any  # the stored engine TurnResult


@dataclass(frozen=True)
class PlayedSession:
    session_id: str
    scenario: Scenario
    seed: int
    parent_session: str | None
    parent_turn: int | None
    turns: tuple[SessionTurn, ...]  # resolved turns of the live line, in order
    forks: tuple[str, ...]  # sessions forked from this one

    @property
    def label(self) -> str:
        if self.parent_session:
            return f"{self.session_id} (fork of {self.parent_session} at turn {self.parent_turn})"
        return self.session_id


def read_session(db: str | Path | None, session_id: str) -> PlayedSession:
    """A saved session for analysis; an unknown id or an unreadable database is a
    ``UserError`` that says which."""
    from wargame.session.errors import ExerciseError
    from wargame.session.events import TURN_RESOLVED
    from wargame.session.exercise import load_session_scenario, typed_events
    from wargame.session.folding import result_from_payload, turn_inputs
    from wargame.store.store import SessionStore, StoreError

    try:
        with SessionStore(db) as store:
            record = store.session(store.resolve_id(session_id))
            scenario = load_session_scenario(store, record)
            events = typed_events(store.events(record.id))
            team_order = [t.team for t in record.teams]
            by_turn: dict[int, list] = {}
            for event in events:
                by_turn.setdefault(event.turn, []).append(event)
            turns = []
            for event in events:
                if event.kind != TURN_RESOLVED:
                    continue
                inputs = turn_inputs(by_turn.get(event.turn, []), team_order)
                state = store.snapshot(record.id, event.turn + 1).state
                turns.append(SessionTurn(
                    event.turn, tuple(inputs.orders), tuple(inputs.injects),
                    tuple(o.model_dump(exclude_none=True) for o in inputs.overrides),
                    result_from_payload(event.payload.result, state)))
            forks = tuple(s.id for s in store.list_sessions() if s.parent_session == record.id)
    except (StoreError, ExerciseError) as exc:
        raise UserError(str(exc)) from None
    return PlayedSession(record.id, scenario, record.seed, record.parent_session,
                         record.parent_turn, tuple(turns), forks)
