"""Replay: fold a session's event log from turn 1 and compare with its stored snapshots.

A session is its scenario, its seed and its event log; the snapshots are only a cache. If
folding the log (``initial_state`` then ``resolve_turn`` with each turn's orders, injects and
overrides as read from the log) reproduces every stored snapshot hash, the session is exactly
replayable. The first turn whose state differs is named.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from wargame.engine import GameState, initial_state, resolve_turn
from wargame.store.exercise import (
    TURN_RESOLVED,
    engine_overrides,
    load_session_scenario,
    turn_inputs,
)
from wargame.store.store import SessionStore


@dataclass
class TurnCheck:
    turn: int  # the turn resolved (its result is the state at the start of turn + 1)
    orders: int
    expected: str
    actual: str

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


@dataclass
class ReplayReport:
    session_id: str
    initial_ok: bool
    initial_expected: str
    initial_actual: str
    turns: list[TurnCheck] = field(default_factory=list)
    final_state: GameState | None = None

    @property
    def ok(self) -> bool:
        return self.initial_ok and all(t.ok for t in self.turns)

    @property
    def first_bad_turn(self) -> int | None:
        """The first turn whose resolution differs (0 = the initial state itself)."""
        if not self.initial_ok:
            return 0
        for check in self.turns:
            if not check.ok:
                return check.turn
        return None

    def summary(self) -> str:
        if self.ok:
            return (f"session {self.session_id}: replay matches all {len(self.turns) + 1} "
                    f"stored snapshots ({len(self.turns)} turns)")
        bad = self.first_bad_turn
        if bad == 0:
            return (f"session {self.session_id}: the initial state differs from the stored "
                    f"one (stored {self.initial_expected[:12]}, replayed "
                    f"{self.initial_actual[:12]})")
        check = next(t for t in self.turns if t.turn == bad)
        return (f"session {self.session_id}: turn {bad} differs: stored state hash "
                f"{check.expected[:12]}, replayed {check.actual[:12]}")


def replay_session(store: SessionStore, session_id: str) -> ReplayReport:
    """Fold the live log of ``session_id`` from turn 1, checking every stored snapshot."""
    record = store.session(store.resolve_id(session_id))
    scenario = load_session_scenario(store, record)
    hashes = store.snapshot_hashes(record.id)
    events = store.events(record.id)
    team_order = [t.team for t in record.teams]
    state = initial_state(scenario, record.seed)
    first = min(hashes)
    report = ReplayReport(record.id, hashes[first] == state.content_hash(), hashes[first],
                          state.content_hash())
    resolved_turns = [e.turn for e in events if e.kind == TURN_RESOLVED]
    by_turn: dict[int, list] = {}
    for event in events:
        by_turn.setdefault(event.turn, []).append(event)
    for turn in resolved_turns:
        inputs = turn_inputs(by_turn.get(turn, []), team_order)
        # explanations (leave-one-out re-resolutions on copies) never change the state, so
        # the fold skips them: many times faster, and a difference would expose a bug.
        result = resolve_turn(scenario, state, list(inputs.orders),
                              injects=list(inputs.injects), explain=False,
                              overrides=engine_overrides(inputs.overrides))
        state = result.state
        expected = hashes.get(state.turn, "(no snapshot)")
        report.turns.append(TurnCheck(turn, len(inputs.orders), expected, state.content_hash()))
    report.final_state = state
    return report
