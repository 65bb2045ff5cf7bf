"""Replay: fold a session's event log from turn 1 and check it against its snapshots,
trusting no stored hash.

A session is its scenario, its seed and its event log; the snapshots are only a cache. For
every snapshot of the live line three checks are made, each named when it fails:

- ``content``: the snapshot's state, hashed again now, matches the hash stored with it (a
  state changed after it was saved fails here);
- ``replay``: folding the log (``initial_state``, then ``resolve_turn`` with each turn's
  orders, injects and overrides as read from the log) reproduces that state;
- ``result``: the result stored with the turn (outcomes, indicators, injects, draws; not
  the explanations, which the fold skips) is the one the replay gives;
- ``once``: each turn was committed once (a stale window's second commit fails here).

The events are read as typed payloads, so a payload of the wrong type fails with the event
named. A session recorded under another engine model version gets a note saying so: its
replay may differ because the engine changed, not the session.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from wargame.engine import GameState, initial_state, resolve_turn
from wargame.scenario.model import Scenario
from wargame.session.errors import ExerciseError
from wargame.session.events import LoggedEvent, SessionCreated, TurnResolved
from wargame.session.exercise import (
    load_session_scenario,
    model_version_note,
    typed_events,
)
from wargame.session.folding import turn_inputs
from wargame.store import SessionRecord, SessionStore, Snapshot

CHECK_CONTENT = "content"
CHECK_REPLAY = "replay"
CHECK_RESULT = "result"
CHECK_ONCE = "once"
CHECKS = {
    CHECK_CONTENT: "the snapshot matches its stored hash",
    CHECK_REPLAY: "the log replays to the snapshot",
    CHECK_RESULT: "the stored result is the replayed one",
    CHECK_ONCE: "each turn is committed once",
}
# what the result check compares (explanations are left out: the fold does not make them)
RESULT_PARTS = ("turn", "outcomes", "indicators", "injects_fired", "draws", "ledger_gap")


@dataclass
class TurnCheck:
    """The checks of one resolved turn (its result is the state at the start of turn + 1).
    ``stored``: the hash stored with the snapshot; ``content``: the snapshot's content
    hashed now; ``replayed``: the hash of the state the log folds to."""

    turn: int
    orders: int
    stored: str
    content: str
    replayed: str
    failed: list[str] = field(default_factory=list)  # names of the checks that failed
    result_parts: list[str] = field(default_factory=list)  # parts of the result that differ

    @property
    def ok(self) -> bool:
        return not self.failed

    # the names the CLI printed before: the stored and the replayed hash
    @property
    def expected(self) -> str:
        return self.stored

    @property
    def actual(self) -> str:
        return self.replayed


@dataclass
class ReplayReport:
    session_id: str
    initial: TurnCheck
    turns: list[TurnCheck] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)  # turn -> times committed
    note: str | None = None  # recorded under another engine model version
    final_state: GameState | None = None

    @property
    def initial_ok(self) -> bool:
        return self.initial.ok

    @property
    def initial_actual(self) -> str:
        return self.initial.replayed

    @property
    def ok(self) -> bool:
        return self.initial.ok and not self.duplicates and all(t.ok for t in self.turns)

    @property
    def first_bad_turn(self) -> int | None:
        """The first turn whose checks fail (0 = the initial state itself)."""
        if not self.initial.ok:
            return 0
        bad = [t.turn for t in self.turns if not t.ok] + list(self.duplicates)
        return min(bad) if bad else None

    def problems(self) -> list[str]:
        """One line per failed check, naming the turn and the check."""
        lines = []
        for check in [self.initial, *self.turns]:
            what = "the initial state" if check is self.initial else f"turn {check.turn}"
            if CHECK_CONTENT in check.failed:
                lines.append(
                    f"{what} differs: check '{CHECKS[CHECK_CONTENT]}' failed (stored "
                    f"{check.stored[:12]}, its content hashes to {check.content[:12]}): the "
                    f"snapshot was changed after it was saved")
            if CHECK_REPLAY in check.failed:
                lines.append(
                    f"{what} differs: check '{CHECKS[CHECK_REPLAY]}' failed (the snapshot "
                    f"holds {check.content[:12]}, the log replays to {check.replayed[:12]})")
            if CHECK_RESULT in check.failed:
                lines.append(f"{what} differs: check '{CHECKS[CHECK_RESULT]}' failed (the "
                             f"stored {', '.join(check.result_parts)} differ from the replay)")
        for turn, times in sorted(self.duplicates.items()):
            lines.append(f"turn {turn} differs: check '{CHECKS[CHECK_ONCE]}' failed (it was "
                         f"committed {times} times: a second window or program committed it "
                         f"again)")
        return lines

    def summary(self) -> str:
        if self.ok:
            text = (f"session {self.session_id}: replay matches all {len(self.turns) + 1} "
                    f"stored snapshots ({len(self.turns)} turns)")
        else:
            text = f"session {self.session_id}: {self.problems()[0]}"
        return text + (f" (note: {self.note})" if self.note else "")


def _hash_of(snapshot: Snapshot | None, scenario: Scenario) -> str:
    if snapshot is None:
        return "(no snapshot)"
    try:
        return GameState.from_dict(snapshot.state,
                                   scenario.turn_length_months / 12).content_hash()
    except (ValueError, KeyError, TypeError) as exc:
        return f"(unreadable: {type(exc).__name__})"


def _check(turn: int, orders: int, snapshot: Snapshot | None, replayed: str,
           scenario: Scenario) -> TurnCheck:
    content = _hash_of(snapshot, scenario)
    stored = snapshot.state_hash if snapshot is not None else "(no snapshot)"
    check = TurnCheck(turn, orders, stored, content, replayed)
    if snapshot is None or content != stored:
        check.failed.append(CHECK_CONTENT)
    if content != replayed:
        check.failed.append(CHECK_REPLAY)
    return check


def replay_events(scenario: Scenario, record: SessionRecord, events: list[LoggedEvent],
                  snapshots: dict[int, Snapshot], *, explain: bool = False) -> ReplayReport:
    """Fold ``events`` (the live line, typed) from turn 1 against ``snapshots`` (by turn).
    Shared by ``replay_session`` and by ``import``, which checks a file before it is
    stored."""
    team_order = [t.team for t in record.teams]
    state = initial_state(scenario, record.seed)
    first = min(snapshots)
    initial = _check(first - 1, 0, snapshots.get(first), state.content_hash(), scenario)
    initial.turn = 0
    created = next((e.payload for e in events if isinstance(e.payload, SessionCreated)), None)
    report = ReplayReport(record.id, initial, note=model_version_note(created))
    committed = [e.turn for e in events if isinstance(e.payload, TurnResolved)]
    report.duplicates = {t: n for t, n in Counter(committed).items() if n > 1}
    by_turn: dict[int, list[LoggedEvent]] = {}
    for event in events:
        by_turn.setdefault(event.turn, []).append(event)
    stored_results: dict[int, dict] = {}
    for event in events:
        if isinstance(event.payload, TurnResolved):
            stored_results.setdefault(event.turn, event.payload.result)
    for turn in dict.fromkeys(committed):  # each committed turn once, in order
        inputs = turn_inputs(by_turn.get(turn, []), team_order)
        # explanations (leave-one-out re-resolutions on copies) never change the state, so
        # the fold skips them by default: many times faster
        result = resolve_turn(scenario, state, list(inputs.orders),
                              injects=list(inputs.injects), explain=explain,
                              overrides=inputs.overrides, last_turn=record.turn_limit)
        state = result.state
        check = _check(turn, len(inputs.orders), snapshots.get(state.turn),
                       state.content_hash(), scenario)
        replayed = result.to_dict()
        stored = stored_results.get(turn, {})
        check.result_parts = [part for part in RESULT_PARTS
                              if replayed.get(part) != stored.get(part)]
        if check.result_parts:
            check.failed.append(CHECK_RESULT)
        report.turns.append(check)
    report.final_state = state
    return report


def replay_session(store: SessionStore, session_id: str, *, explain: bool = False
                   ) -> ReplayReport:
    """Fold the live log of ``session_id`` from turn 1, checking every stored snapshot."""
    record = store.session(store.resolve_id(session_id))
    scenario = load_session_scenario(store, record)
    try:
        events = typed_events(store.events(record.id))
    except ExerciseError:
        raise
    snapshots = {snap.turn: snap for snap in store.snapshots(record.id)}
    return replay_events(scenario, record, events, snapshots, explain=explain)
