"""``Exercise``: one session as a use case, the Qt-free controller of the CLI and the app.

A turn goes through the phases of ``wargame.session.phases`` (briefing -> orders ->
adjudication -> debrief -> next turn ... -> ended); every command is checked against that
one table (phase, pause, who gives it) and, for facilitator commands, against the
facilitator PIN when one is set (``unlock`` gives an ``AccessKey``; wrong PINs wait longer
each time, ``PinGuard``). A team's orders and draft need the team's PIN when it has one.

Everything that changes the game is a typed event (``wargame.session.events``) written with
its visibility, so ``Exercise.open`` restores the exact state and phase, ``view_for`` shows
each viewer only what it may see, and ``replay`` re-folds the log from turn 1.

One session, one writer: every write is conditional on the turn and last event this object
last saw (checked by the store inside the transaction); a stale window gets
``SessionChanged`` ("this session changed since you opened it (turn 3 was committed by
another window or program)") and writes nothing. An app holds the session's lock
(``owner=``; a second opener gets ``LockHeld``, may open ``read_only`` or take over).

Secrecy: nothing here returns another team's unresolved orders or draft; the facilitator's
views need the facilitator's key.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from wargame.engine import (
    ENGINE_MODEL_VERSION,
    FACILITATOR,
    GameState,
    Order,
    TurnIndicators,
    TurnResult,
    bot_orders,
    describe_order,
    initial_state,
    resolve_turn,
    scalable_params,
    team_view,
    validate_order,
)
from wargame.scenario.model import Inject, Scenario
from wargame.session import injects as inject_board
from wargame.session.access import Access, AccessKey, unlock_key
from wargame.session.clock import ClockMark, orders_remaining_seconds
from wargame.session.errors import (
    ExerciseError,
    InjectAlreadyDue,
    OrdersRejected,
    PinRequired,
    ReadOnlySession,
    SessionChanged,
)
from wargame.session.events import (
    FACILITATOR_ORDERS,
    INJECT_FIRED,
    ORDERS_SUBMITTED,
    OVERRIDE,
    SESSION_CREATED,
    TURN_RESOLVED,
    DamagedEvent,
    FacilitatorOrders,
    FreeInject,
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
    DeckInjectsFired,
    Resumed,
    SessionCreated,
    TurnResolved,
    payload_json,
)
from wargame.session.folding import (
    TurnInputs,
    result_from_payload,
    result_payload,
    turn_inputs,
    unreadable,
)
from wargame.session.hotwash import HotWash
from wargame.session.lock import LockHeld, SessionLock
from wargame.session.notes import NoteView, current_notes
from wargame.session.phases import (
    ADJUDICATION,
    BRIEFING,
    DEBRIEF,
    ENDED,
    ORDERS,
    PHASES,
    READS_ONLY,
    Command,
    Phase,
    allowed_commands,
    check_command,
)
from wargame.session.pin_guard import FACILITATOR_DOOR, PinGuard
from wargame.session.visibility import Viewer
from wargame.store import (
    BOT,
    HUMAN,
    LIVE,
    Branch,
    Event,
    Expected,
    LockLost,
    Presence,
    SessionRecord,
    SessionStore,
    Snapshot,
    StaleSession,
    StoreError,
    TeamSetup,
    hash_pin,
)
from wargame.store.text import clean_text

__all__ = [
    "ADJUDICATION", "BOT", "BRIEFING", "DEBRIEF", "ENDED", "FACILITATOR", "HUMAN", "LIVE",
    "ORDERS", "PHASES", "DraftOrders", "Exercise", "ExerciseError", "OrdersCheck",
    "OrdersRejected", "OverrideView", "TurnInputs", "load_session_scenario", "turn_inputs",
]

FACILITATOR_VIEWER = Viewer.facilitator()


@dataclass(frozen=True)
class OrdersCheck:
    """The engine's verdict on a team's orders as they stand (the live check the order form
    shows, and the check submission makes): the orders with this turn's ids, and the
    problems of each illegal one by position."""

    orders: tuple[Order, ...]
    problems: Mapping[int, tuple[str, ...]]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def legal(self) -> tuple[Order, ...]:
        return tuple(o for i, o in enumerate(self.orders) if i not in self.problems)


@dataclass(frozen=True)
class DraftOrders:
    """A team's saved, unsubmitted orders (only that team reads them back)."""

    team: str
    turn: int
    orders: tuple[Order, ...]
    saved_at: str


@dataclass(frozen=True)
class OverrideView:
    """One override as the debrief shows it: the order's description (never its id)."""

    turn: int
    order_id: str
    description: str
    status: str
    reason: str
    param: str | None = None
    factor: float | None = None


@dataclass
class _Prepared:
    """What commit() writes, computed when the result is proposed (serialising and hashing
    the state is the slow part), so the commit itself is only the transaction."""

    result: TurnResult
    payload: dict
    state: dict
    state_hash: str

    @classmethod
    def of(cls, result: TurnResult) -> "_Prepared":
        payload, state = result_payload(result)
        return cls(result, payload, state, result.state.content_hash())


def _coerce_team_setup(scenario: Scenario, teams: Any) -> list[TeamSetup]:
    """Accept ``None`` (all human), a mapping team -> "human"/"bot"/TeamSetup/
    {"controller", "pin", "posture"}, or a sequence of TeamSetup."""
    known = [t.id for t in scenario.teams]
    given: dict[str, TeamSetup] = {}
    if teams is None:
        teams = {}
    if isinstance(teams, Mapping):
        for team, spec in teams.items():
            if isinstance(spec, TeamSetup):
                given[team] = spec
            elif isinstance(spec, str):
                given[team] = TeamSetup.make(team, spec)
            elif isinstance(spec, Mapping):
                try:
                    given[team] = TeamSetup.make(team, spec.get("controller", HUMAN),
                                                 spec.get("pin"), spec.get("posture"))
                except ValueError as exc:
                    raise ExerciseError(str(exc)) from None
            else:
                raise ExerciseError(f"team {team!r}: cannot understand set-up {spec!r}")
    else:
        for spec in teams:
            given[spec.team] = spec
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ExerciseError(f"unknown team(s) {', '.join(unknown)}; the scenario has "
                            f"{', '.join(known)}")
    return [given.get(team, TeamSetup(team, HUMAN)) for team in known]


def _wargame_version() -> str:
    """Recorded with each new session: a replay on another engine version may differ."""
    try:
        from importlib.metadata import version

        return version("wargame")
    except Exception:  # noqa: BLE001 - not installed (running from a checkout)
        return "unknown"


def _as_store(store: SessionStore | str | os.PathLike | None) -> SessionStore:
    return store if isinstance(store, SessionStore) else SessionStore(store)


def model_version_note(created: SessionCreated | None) -> str | None:
    """A note when a session was recorded under another engine model version than this
    one runs (its replays may then differ for that reason alone); None when the same."""
    recorded = created.engine_model_version if created is not None else None
    if recorded == ENGINE_MODEL_VERSION:
        return None
    what = ("before engine model versions were recorded" if recorded is None
            else f"under engine model version {recorded}")
    return (f"this session was recorded {what}; this wargame runs engine model version "
            f"{ENGINE_MODEL_VERSION}, so a replay may differ because the engine changed, "
            f"not the session")


def load_session_scenario(store: SessionStore, record: SessionRecord) -> Scenario:
    """The scenario a session was played on, from the content stored with it."""
    from wargame.scenario.loader import ScenarioError, scenario_from_dict

    content = store.scenario_content(record.scenario_hash)
    try:
        return scenario_from_dict(content, name=f"<scenario of session {record.id}>")
    except ScenarioError as exc:
        raise StoreError(store.path, f"session {record.id}: its stored scenario no longer "
                                     f"validates: {exc}") from exc


def _checked_state(session_id: str, snap: Snapshot, scenario: Scenario) -> GameState:
    """A snapshot's state, read and hashed again: ``ExerciseError`` naming the turn when it
    cannot be read or no longer matches the hash stored with it."""
    try:
        state = GameState.from_dict(snap.state, scenario.turn_length_months / 12)
    except (ValueError, KeyError, TypeError) as exc:
        raise ExerciseError(f"session {session_id}: the snapshot of turn {snap.turn} cannot "
                            f"be read ({exc})") from None
    if state.content_hash() != snap.state_hash:
        raise ExerciseError(
            f"session {session_id}: the snapshot of turn {snap.turn} does not match its hash "
            f"(its content was changed after it was saved); not opened. Run `wargame replay "
            f"{session_id} --verify` for every check")
    return state


def typed_events(events: Iterable[Event]) -> list[LoggedEvent]:
    """Stored events as typed ones; a damaged one is an ``ExerciseError`` naming it."""
    try:
        return [LoggedEvent.from_stored(e) for e in events]
    except DamagedEvent as exc:
        raise ExerciseError(f"the session's log is damaged: {exc}") from None


def _logged(stored: Event, payload: Any) -> LoggedEvent:
    """An event this object just wrote, typed from the payload it wrote (not parsed back)."""
    return LoggedEvent(stored.seq, stored.turn, stored.created_at, stored.branch, payload,
                       payload.visibility())


class Exercise:
    """One session, driven turn by turn. Make one with ``Exercise.create`` or
    ``Exercise.open``; every change is saved before the method returns."""

    def __init__(self, store: SessionStore, record: SessionRecord, scenario: Scenario,
                 state: GameState, *, lock: SessionLock | None = None, explain: bool = True,
                 pin_guard: PinGuard | None = None, read_only: bool = False):
        self.store = store
        self._record = record
        self.scenario = scenario
        self.state = state
        self.lock = lock
        self.explain = explain
        self.pin_guard = pin_guard or PinGuard()
        self.read_only = read_only
        self._expected = store.expected(record.id)
        self._turn_events: list[LoggedEvent] = []
        self._proposed: TurnResult | None = None
        self._prepared: _Prepared | None = None
        self._last_result: TurnResult | None = None
        self.model_version_note: str | None = None
        self._presence_cache: list[Presence] | None = None

    # ------------------------------------------------------------------ making and opening

    @classmethod
    def create(
        cls,
        store: SessionStore | str | os.PathLike | None,
        scenario: Scenario,
        seed: int | None = None,
        teams: Mapping[str, Any] | Sequence[TeamSetup] | None = None,
        *,
        facilitator_pin: str | None = None,
        turn_limit: int | None = None,
        timer_seconds: int | None = None,
        name: str | None = None,
        owner: str | None = None,
        explain: bool = True,
        pin_guard: PinGuard | None = None,
    ) -> "Exercise":
        """A new session: saved (scenario content, seed, teams, first snapshot) in one
        transaction before this returns. ``teams``: see ``_coerce_team_setup``; ``name``
        defaults to the scenario's title and the date; ``owner`` (who is driving it, as
        other windows read it) makes this object hold the session's lock."""
        store = _as_store(store)
        seed = scenario.default_seed if seed is None else int(seed)
        setups = _coerce_team_setup(scenario, teams)
        limit = int(turn_limit) if turn_limit else scenario.turns
        if limit < 1:
            raise ExerciseError("the turn limit must be at least 1")
        state = initial_state(scenario, seed)
        created = SessionCreated(
            scenario_id=scenario.id, scenario_hash=scenario.content_hash, seed=seed,
            wargame_version=_wargame_version(), engine_model_version=ENGINE_MODEL_VERSION,
            teams={t.team: t.controller for t in setups})
        record = store.create_session(
            scenario.to_json_dict(), scenario.content_hash, seed, setups, state.to_dict(),
            state.content_hash(), turn=state.turn,
            facilitator_pin_hash=hash_pin(facilitator_pin) if facilitator_pin else None,
            turn_limit=limit, timer_seconds=int(timer_seconds) if timer_seconds else None,
            phase=BRIEFING, created_payload=payload_json(created),
            created_visibility=created.visibility().to_text(), name=name)
        lock = SessionLock.acquire(store, record.id, owner) if owner else None
        exercise = cls(store, record, scenario, state, lock=lock, explain=explain,
                       pin_guard=pin_guard)
        exercise._reload_turn()
        return exercise

    @classmethod
    def open(cls, store: SessionStore | str | os.PathLike | None, session_id: str, *,
             owner: str | None = None, take_over: LockHeld | None = None,
             read_only: bool = False, explain: bool = True,
             pin_guard: PinGuard | None = None) -> "Exercise":
        """Restore a session exactly: state, phase, this turn's submissions and overrides
        (an adjudication in progress is re-resolved, deterministically).

        Every snapshot of the live line is hashed again from its content: one changed after
        it was saved is refused, naming its turn (``wargame replay --verify`` makes every
        check). ``owner``: hold the session's lock (``LockHeld`` when another app holds it; pass
        that error as ``take_over`` after the user agreed to take it over). ``read_only``:
        a view that refuses every change. ``model_version_note`` says when the session was recorded under another engine
        model version."""
        store = _as_store(store)
        record = store.session(store.resolve_id(session_id))
        scenario = load_session_scenario(store, record)
        state = None
        for snap in store.snapshots(record.id):  # each one checked; the last one is played
            state = _checked_state(record.id, snap, scenario)
        if state is None:
            raise ExerciseError(f"session {record.id} has no snapshot (damaged session)")
        lock = None
        if owner and not read_only:
            lock = (SessionLock.take_over(store, take_over, owner) if take_over is not None
                    else SessionLock.acquire(store, record.id, owner))
        exercise = cls(store, record, scenario, state, lock=lock, explain=explain,
                       pin_guard=pin_guard, read_only=read_only)
        exercise._reload_turn()
        created = next((e.payload for e in typed_events(
            store.events(record.id, kinds=[SESSION_CREATED]))), None)
        exercise.model_version_note = model_version_note(created)
        if record.phase == ADJUDICATION:
            exercise._propose()
        return exercise

    def reload(self) -> None:
        """Read everything again from the store (after ``SessionChanged``): record, state,
        this turn's events, the expectation of the next write."""
        self._record = self.store.session(self.id)
        snap = self.store.latest_snapshot(self.id)
        self.state = GameState.from_dict(snap.state, self.scenario.turn_length_months / 12)
        self._expected = self.store.expected(self.id)
        self._proposed = self._prepared = None
        self._presence_cache = None
        self._reload_turn()
        if self.phase == ADJUDICATION:
            self._propose()

    def _reload_turn(self) -> None:
        self._turn_events = typed_events(self.store.events(self.id, turn=self.turn))
        self._last_result = None

    def _refresh(self) -> None:
        self._record = self.store.session(self.id)

    # ------------------------------------------------------------------ properties

    @property
    def id(self) -> str:
        return self._record.id

    @property
    def session(self) -> SessionRecord:
        return self._record

    @property
    def name(self) -> str:
        return self._record.name

    @property
    def seed(self) -> int:
        return self._record.seed

    @property
    def phase(self) -> Phase:
        return Phase(self._record.phase)

    @property
    def status(self) -> str:
        return self._record.status

    @property
    def paused(self) -> bool:
        return self._record.status == "paused"

    @property
    def turn(self) -> int:
        """The turn being played (or debriefed)."""
        return self._record.turn

    @property
    def turn_limit(self) -> int:
        return self._record.turn_limit or self.scenario.turns

    @property
    def timer_seconds(self) -> int | None:
        return self._record.timer_seconds

    @property
    def teams(self) -> tuple[TeamSetup, ...]:
        return self._record.teams

    @property
    def human_teams(self) -> list[str]:
        return [t.team for t in self.teams if not t.is_bot]

    @property
    def bot_teams(self) -> list[str]:
        return [t.team for t in self.teams if t.is_bot]

    def _posture_of(self, team: str) -> str | None:
        return next((t.posture for t in self.teams if t.team == team), None)

    @property
    def team_order(self) -> list[str]:
        return [t.team for t in self.teams]

    @property
    def proposed(self) -> TurnResult | None:
        """The result being adjudicated (not yet committed), if any."""
        return self._proposed

    @property
    def last_result(self) -> TurnResult | None:
        """The result of the last committed turn (None before the first commit)."""
        if self._last_result is None:
            events = self.store.events(self.id, kinds=[TURN_RESOLVED])
            if events:
                event = events[-1]
                snap = self.store.snapshot(self.id, event.turn + 1)
                self._last_result = result_from_payload(event.payload["result"], snap.state)
        return self._last_result

    # ------------------------------------------------------------------ PINs and keys

    def _pin_hash(self, door: str) -> str | None:
        if door == FACILITATOR_DOOR:
            return self._record.facilitator_pin_hash
        return self._setup(door).pin_hash

    def needs_pin(self, door: str = FACILITATOR_DOOR) -> bool:
        """Whether ``door`` (the facilitator, or a team id) has a PIN."""
        return self._pin_hash(door) is not None

    def unlock(self, door: str, pin: str | None) -> AccessKey:
        """A key for ``door`` ("facilitator" or a team id) if ``pin`` is right (any PIN
        when none is set): ``PinRequired`` when wrong, ``PinWait`` (with the seconds to
        wait) after too many wrong PINs. The app keeps the key, not the PIN."""
        return unlock_key(door, pin, self._pin_hash(door), self.pin_guard)

    def check_team_pin(self, team: str, pin: str | None) -> bool:
        try:
            self.unlock(team, pin)
        except PinRequired:
            return False
        return True

    def check_facilitator_pin(self, pin: str | None) -> bool:
        try:
            self.unlock(FACILITATOR_DOOR, pin)
        except PinRequired:
            return False
        return True

    def _key_opens(self, door: str, key: Access) -> bool:
        pin_hash = self._pin_hash(door)
        if pin_hash is None:
            return True
        if isinstance(key, AccessKey):
            return key.opens(door, pin_hash)
        if isinstance(key, str):
            self.unlock(door, key)  # raises when wrong
            return True
        return False

    def _authorize(self, command: Command, viewer: Viewer, key: Access) -> None:
        """The one gate of every command: the phase table (phase, pause, who), then the
        PIN of whoever gives it, then read-only and a lost lock."""
        check_command(self.phase, self.paused, viewer, command)
        door = FACILITATOR_DOOR if viewer.is_facilitator else str(viewer.team)
        if not viewer.is_facilitator:
            self._setup(door)
        if not self._key_opens(door, key):
            who = "the facilitator PIN" if viewer.is_facilitator else \
                f"the PIN of team {viewer.team}"
            raise PinRequired(door, f"this needs {who}")
        if command not in READS_ONLY:
            self._require_writable()

    def allowed_commands(self, viewer: Viewer) -> frozenset[Command]:
        """What ``viewer`` may do now (the phase table, the pause, read-only): what the app
        enables. PINs are asked when a command is given."""
        allowed = allowed_commands(self.phase, self.paused, viewer)
        if self.read_only:
            allowed = frozenset(c for c in allowed if c in READS_ONLY)
        return allowed

    def _require_writable(self) -> None:
        if self.read_only:
            raise ReadOnlySession(f"session {self.id} is open read-only (another window or "
                                  f"program holds it): nothing can be changed here")

    def _setup(self, team: str) -> TeamSetup:
        try:
            return self._record.team(team)
        except KeyError:
            raise ExerciseError(f"unknown team {team!r}") from None

    # ------------------------------------------------------------------ writing

    @property
    def _lock_token(self) -> str | None:
        return self.lock.token if self.lock is not None else None

    def _stale(self, exc: StoreError) -> SessionChanged:
        return SessionChanged(exc.problem)

    def _write(self, items: Sequence[tuple[Any, ...]], *, clear_drafts: Sequence[str] = (),
               **session_fields: Any) -> list[LoggedEvent]:
        """Append typed payloads (each ``(payload,)`` or ``(payload, turn)``) in one
        conditional transaction; the session row changes with them (``session_fields``)."""
        rows = []
        for item in items:
            payload = item[0]
            at = item[1] if len(item) > 1 else self.turn
            rows.append((at, payload.kind, payload_json(payload),
                         payload.visibility().to_text()))
        try:
            stored = self.store.append_events(
                self.id, rows, update=session_fields, expect=self._expected,
                lock_token=self._lock_token, clear_drafts=clear_drafts)
        except (StaleSession, LockLost) as exc:
            raise self._stale(exc) from None
        new_turn = int(session_fields.get("turn", self._expected.turn))
        self._expected = Expected(new_turn, stored[-1].seq)
        self._refresh()
        typed = [_logged(e, item[0]) for e, item in zip(stored, items)]
        self._turn_events.extend(e for e in typed if e.turn == self.turn)
        return typed

    def _set_phase(self, phase: Phase) -> None:
        status = "ended" if phase == ENDED else ("paused" if self.paused else "active")
        self._write([(PhaseChanged(phase=phase),)], phase=phase.value, status=status)

    # ------------------------------------------------------------------ the turn

    def begin_orders(self, key: Access = None) -> None:
        """briefing -> orders."""
        self._authorize(Command.BEGIN_ORDERS, FACILITATOR_VIEWER, key)
        self._set_phase(ORDERS)

    def check_orders(self, team: str, orders: Iterable[Order | Mapping[str, Any]]
                     ) -> OrdersCheck:
        """THE order check (the engine's rules, costs adding up): what the order form shows
        live and what ``submit_orders`` applies. Orders get this turn's ids
        (``t<turn>-<team>-<n>``); the white cell is ``FACILITATOR``."""
        who = "the white cell" if team == FACILITATOR else repr(team)
        problems: dict[int, tuple[str, ...]] = {}
        checked: list[Order] = []
        accepted: list[Order] = []
        for index, raw in enumerate(orders):
            try:
                order = raw if isinstance(raw, Order) else Order.from_dict({"team": team,
                                                                             **raw})
            except (KeyError, TypeError, ValueError) as exc:
                problems[index] = (f"not an order ({exc})",)
                checked.append(Order(team, "?", {}, f"t{self.turn}-{team}-{index + 1}"))
                continue
            order = Order(team=order.team, move=order.move, params=dict(order.params),
                          id=f"t{self.turn}-{team}-{index + 1}")
            checked.append(order)
            if order.team != team:
                problems[index] = (f"order is for team {order.team!r}, not {who}",)
                continue
            found = validate_order(self.scenario, self.state, order, already=tuple(accepted))
            if found:
                problems[index] = tuple(found)
            else:
                accepted.append(order)
        return OrdersCheck(tuple(checked), problems)

    def _validated(self, team: str, orders: Iterable[Order | Mapping[str, Any]]
                   ) -> list[Order]:
        check = self.check_orders(team, orders)
        if not check.ok:
            raise OrdersRejected(team, {i: list(p) for i, p in check.problems.items()})
        return list(check.orders)

    def submit_orders(self, team: str, orders: Iterable[Order | Mapping[str, Any]],
                      key: Access = None) -> list[Order]:
        """Validate (``check_orders``) and durably record a team's orders for this turn (a
        re-submission replaces the previous one); the team's draft goes in the same
        transaction. Raises ``OrdersRejected`` and stores nothing if any order is
        illegal. From the briefing, the first submission opens the orders."""
        self._authorize(Command.SUBMIT_ORDERS, Viewer.of_team(team), key)
        accepted = self._validated(team, orders)
        items: list[tuple[Any, ...]] = []
        fields: dict[str, Any] = {}
        if self.phase == BRIEFING:
            items.append((PhaseChanged(phase=ORDERS),))
            fields = {"phase": ORDERS.value}
        items.append((OrdersSubmitted(team=team, orders=tuple(accepted)),))
        self._write(items, clear_drafts=[team], **fields)
        return accepted

    def submit_facilitator_orders(self, orders: Iterable[Order | Mapping[str, Any]],
                                  key: Access = None, *, pin: str | None = None
                                  ) -> list[Order]:
        """White-cell orders for this turn: any move, no team pays. Secret until the turn
        resolves, like a team's; a re-submission replaces the previous one (an empty list
        withdraws them). Does not start the orders phase: the briefing may set the scene."""
        self._authorize(Command.SUBMIT_FACILITATOR_ORDERS, FACILITATOR_VIEWER,
                        key if key is not None else pin)
        accepted = self._validated(FACILITATOR, orders)
        self._write([(FacilitatorOrders(orders=tuple(accepted)),)])
        return accepted

    def _facilitator_reads(self, key: Access) -> None:
        if not self._key_opens(FACILITATOR_DOOR, key):
            raise PinRequired(FACILITATOR_DOOR, "wrong facilitator PIN")

    def facilitator_orders(self, key: Access = None) -> list[Order]:
        """FACILITATOR ONLY: the white cell's orders of the turn in progress."""
        self._facilitator_reads(key)
        if self.phase not in (BRIEFING, ORDERS, ADJUDICATION):
            return []
        latest: tuple[Order, ...] = ()
        for e in self._turn_events:
            if isinstance(e.payload, FacilitatorOrders):
                latest = e.payload.orders
        return list(latest)

    def submit_bot_orders(self, teams: Iterable[str] | None = None) -> list[str]:
        """Bot teams that have not yet submitted submit ``bot_orders`` now (part of closing
        the orders)."""
        if self.phase not in (BRIEFING, ORDERS):
            raise ExerciseError(f"bots cannot submit in the {self.phase.value} phase")
        self._require_writable()
        done = set(self.submitted_teams())
        targets = self.bot_teams if teams is None else list(teams)
        submitted = []
        items: list[tuple[Any, ...]] = []
        for team in targets:
            if team in done:
                continue
            orders = self._validated(team, bot_orders(self.scenario, self.state, team,
                                                      self._posture_of(team)))
            items.append((OrdersSubmitted(team=team, orders=tuple(orders)),))
            submitted.append(team)
        if items:
            fields: dict[str, Any] = {}
            if self.phase == BRIEFING:
                items.insert(0, (PhaseChanged(phase=ORDERS),))
                fields = {"phase": ORDERS.value}
            self._write(items, clear_drafts=submitted, **fields)
        return submitted

    def submitted_teams(self) -> list[str]:
        """Teams that have submitted orders this turn (who, never what)."""
        teams = {e.payload.team for e in self._turn_events
                 if isinstance(e.payload, OrdersSubmitted)}
        return [t for t in self.team_order if t in teams]

    def waiting_for(self) -> list[str]:
        done = set(self.submitted_teams())
        return [t for t in self.team_order if t not in done]

    def own_orders(self, team: str, key: Access = None) -> list[Order]:
        """The orders ``team`` itself submitted this turn (for its own screen only)."""
        self._setup(team)
        if not self._key_opens(team, key):
            raise PinRequired(team, f"this needs the PIN of team {team}")
        latest: tuple[Order, ...] = ()
        for e in self._turn_events:
            if isinstance(e.payload, OrdersSubmitted) and e.payload.team == team:
                latest = e.payload.orders
        return list(latest)

    def facilitator_pending_orders(self, key: Access = None) -> dict[str, list[Order]]:
        """FACILITATOR ONLY: every team's unresolved orders of this turn."""
        self._facilitator_reads(key)
        if self.phase not in (BRIEFING, ORDERS, ADJUDICATION):
            return {}  # the turn is resolved: its orders are public (revealed_orders)
        pending: dict[str, list[Order]] = {}
        for e in self._turn_events:
            if isinstance(e.payload, OrdersSubmitted):
                pending[e.payload.team] = list(e.payload.orders)
        pending = {t: pending[t] for t in self.team_order if t in pending}
        white_cell = self.facilitator_orders(key)
        if white_cell:
            pending[FACILITATOR] = white_cell
        return pending

    # ---- drafts

    def save_draft(self, team: str, orders: Iterable[Order | Mapping[str, Any]],
                   key: Access = None) -> DraftOrders:
        """Keep ``team``'s unsubmitted orders (sealed: only ``draft(team)`` with the team's
        key reads them back), so a crash or a quit loses nothing. Not an event: not
        replayed, not exported unless asked for; gone on submit, commit or rewind."""
        self._authorize(Command.SAVE_DRAFT, Viewer.of_team(team), key)
        check = self.check_orders(team, orders)  # ids and shape; a draft may be illegal
        try:
            stored = self.store.drafts.save(
                self.id, team, self.turn, {"orders": [o.to_dict() for o in check.orders]},
                lock_token=self._lock_token)
        except (StaleSession, LockLost) as exc:
            raise self._stale(exc) from None
        return DraftOrders(team, stored.turn, check.orders, stored.saved_at)

    def draft(self, team: str, key: Access = None) -> DraftOrders | None:
        """``team``'s saved draft for this turn (None: none). Needs the team's key when the
        team has a PIN; nobody else may read it (not even the facilitator)."""
        self._setup(team)
        if not self._key_opens(team, key):
            raise PinRequired(team, f"this needs the PIN of team {team}")
        stored = self.store.drafts.get(self.id, team)
        if stored is None or stored.turn != self.turn:
            return None
        orders = tuple(Order.from_dict(o) for o in stored.payload.get("orders", []))
        return DraftOrders(team, stored.turn, orders, stored.saved_at)

    def teams_with_drafts(self) -> list[str]:
        """Teams with a saved draft (who, never what)."""
        return self.store.drafts.teams(self.id)

    # ---- injects

    def fire_inject(self, inject: str | Inject, key: Access = None, *, force: bool = False
                    ) -> InjectFired:
        """Fire a deck inject (by id) or a free-text one (any other text) this turn. One
        already scheduled, drawn or fired (and not retracted) this turn is refused with
        ``InjectAlreadyDue`` unless ``force`` (the facilitator confirmed)."""
        self._authorize(Command.FIRE_INJECT, FACILITATOR_VIEWER, key)
        deck = {i.id for i in self.scenario.injects}
        payload: str | FreeInject | Inject
        if isinstance(inject, Inject):
            payload = inject
        elif inject in deck:
            payload = inject
        else:
            try:
                text = clean_text(str(inject), "an inject's text")
            except ValueError as exc:
                raise ExerciseError(f"{exc} (give an id from the deck or some text)") from None
            number = sum(1 for e in self._turn_events if e.kind == INJECT_FIRED) + 1
            title = text if len(text) <= 80 else text[:77] + "..."
            payload = FreeInject(id=f"free_t{self.turn}_{number}", title=title, text=text)
        if not force:
            why = inject_board.already_due(self, payload)
            if why:
                name = payload if isinstance(payload, str) else payload.id
                raise InjectAlreadyDue(name, why)
        fired = InjectFired(inject=payload, forced=force)
        self._write([(fired,)])
        return fired

    def retract_inject(self, fired_seq: int, reason: str = "", key: Access = None) -> None:
        """Take back an inject fired by hand this turn, before the orders open (its event
        stays in the log; the retraction is an event too)."""
        self._authorize(Command.RETRACT_INJECT, FACILITATOR_VIEWER, key)
        fired = {e.seq: e.payload for e in self._turn_events
                 if isinstance(e.payload, InjectFired)}
        if fired_seq not in fired:
            raise ExerciseError(f"no inject fired by hand this turn as event {fired_seq}")
        retracted = {e.payload.fired_seq for e in self._turn_events
                     if isinstance(e.payload, InjectRetracted)}
        if fired_seq in retracted:
            raise ExerciseError(f"the inject of event {fired_seq} is already retracted")
        self._write([(InjectRetracted(fired_seq=fired_seq,
                                      inject_id=fired[fired_seq].inject_id,
                                      reason=reason.strip()),)])

    def fired_injects(self) -> list[Any]:
        """Injects fired by hand in the current turn and not retracted (deck ids or
        free-text injects)."""
        return list(self.current_inputs().injects)

    def inject_board(self) -> list[inject_board.InjectStatus]:
        """Every inject of the session with its state, each event once: the deck's
        scheduled and random injects (upcoming, due this turn, fired) and those fired by
        hand (fired or retracted). What the facilitator's picker shows."""
        return inject_board.board(self)

    # ---- resolving, overriding, committing

    def current_inputs(self) -> TurnInputs:
        return turn_inputs(self._turn_events, self.team_order)

    def _compute(self) -> TurnResult:
        inputs = self.current_inputs()
        return resolve_turn(self.scenario, self.state, list(inputs.orders),
                            injects=list(inputs.injects), explain=self.explain,
                            overrides=inputs.overrides, last_turn=self.turn_limit)

    def _propose(self) -> TurnResult:
        self._proposed = self._compute()
        self._prepared = _Prepared.of(self._proposed)
        return self._proposed

    def resolve(self, key: Access = None, *, force: bool = False) -> TurnResult:
        """Close the orders (-> adjudication): bots submit if they have not, then the engine
        proposes a result. Nothing is committed. Human teams that have not submitted block
        this unless ``force`` (they then give no orders this turn)."""
        self._authorize(Command.CLOSE_ORDERS, FACILITATOR_VIEWER, key)
        if self.phase != ADJUDICATION:
            self.submit_bot_orders()
            missing = self.waiting_for()
            if missing and not force:
                raise ExerciseError(f"waiting for orders from {', '.join(missing)}")
            self._set_phase(ADJUDICATION)
        return self._propose()

    def override(self, order_id: str, reason: str, status: str, key: Access = None, *,
                 param: str | None = None, factor: float | None = None) -> TurnResult:
        """Change one order's outcome during adjudication, with a written reason (logged):
        ``rejected`` sets an order aside, ``accepted`` admits one the rules rejected,
        ``scaled`` multiplies the numeric parameter ``param`` by ``factor`` (e.g. 0.5
        halves the effect; the engine receives the scaled order). Returns the re-resolved
        proposal."""
        self._authorize(Command.OVERRIDE, FACILITATOR_VIEWER, key)
        statuses = ("accepted", "rejected", "scaled")
        if status not in statuses:
            raise ExerciseError(f"unknown status {status!r}; use one of {', '.join(statuses)}")
        if not reason or not reason.strip():
            raise ExerciseError("an override needs a reason")
        orders = {o.id: o for o in self.current_inputs().orders}
        if order_id not in orders:
            raise ExerciseError(f"no order {order_id!r} this turn")
        if status == "scaled":
            move = self.scenario.move_index.get(orders[order_id].move)
            names = [s.name for s in scalable_params(move)] if move else []
            if param not in names:
                raise ExerciseError(f"{describe_order(self.scenario, orders[order_id])}: "
                                    f"can scale only {', '.join(names) or 'nothing'}")
            if factor is None or not 0 < float(factor) <= 100:
                raise ExerciseError("a scale factor must be above 0 (0.5 halves the effect)")
        try:
            ruling = OverrideRuling(order_id=order_id, status=status, reason=reason.strip(),
                                    param=param if status == "scaled" else None,
                                    factor=float(factor) if status == "scaled" else None)
        except ValueError as exc:
            raise ExerciseError(f"override refused: {exc}") from None
        self._write([(ruling,)])
        return self._propose()

    def overrides(self) -> list[dict]:
        """This turn's overrides as stored (order_id, status, reason[, param, factor])."""
        return [e.payload.model_dump(mode="json", exclude={"kind"}, exclude_none=True)
                for e in self._turn_events if isinstance(e.payload, OverrideRuling)]

    def commit(self, key: Access = None) -> TurnResult:
        """adjudication -> debrief: the turn's draws, deck injects, result and the new
        state's snapshot, in one transaction (drafts go with it)."""
        self._authorize(Command.COMMIT, FACILITATOR_VIEWER, key)
        prepared = self._prepared
        if prepared is None or prepared.result is not self._proposed:
            prepared = _Prepared.of(self._proposed or self._compute())
        result, new_state = prepared.result, prepared.result.state
        turn = self.turn
        # the engine's own output (finite, typed when made): built without validating it
        # again, which would walk the whole result twice a turn
        payloads = [
            RandomDraws.model_construct(draws=tuple(prepared.payload["draws"])),
            DeckInjectsFired.model_construct(injects=tuple(
                i for i in prepared.payload["injects_fired"] if i.get("how") != "by hand")),
            TurnResolved.model_construct(result=prepared.payload,
                                         state_hash=prepared.state_hash),
            PhaseChanged(phase=DEBRIEF),
        ]
        rows = [(turn, p.kind, payload_json(p), p.visibility().to_text()) for p in payloads]
        try:
            stored = self.store.commit_turn(self.id, rows, prepared.state, prepared.state_hash,
                                            new_state.turn, update={"phase": DEBRIEF.value},
                                            expect=self._expected,
                                            lock_token=self._lock_token)
        except (StaleSession, LockLost) as exc:
            raise self._stale(exc) from None
        self._expected = Expected(self._expected.turn, stored[-1].seq)
        self.state = new_state
        self._proposed = None
        self._prepared = None
        self._last_result = result
        self._refresh()
        self._turn_events.extend(_logged(e, p) for e, p in zip(stored, payloads))
        return result

    def next_turn(self, key: Access = None) -> None:
        """debrief -> briefing of the next turn, or ``ended`` after the last turn."""
        self._authorize(Command.NEXT_TURN, FACILITATOR_VIEWER, key)
        if self.state.turn > self.turn_limit:
            self._set_phase(ENDED)
            return
        next_turn = self.state.turn
        self._write([(PhaseChanged(phase=BRIEFING), next_turn)], phase=BRIEFING.value,
                    turn=next_turn)
        self._turn_events = typed_events(self.store.events(self.id, turn=next_turn))

    def play_turn(self, orders: Mapping[str, Iterable[Order]] | None = None,
                  key: Access = None) -> TurnResult:
        """Headless convenience: from wherever the turn stands, submit ``orders`` (bots
        submit their own), resolve and commit; leaves the exercise in debrief."""
        if self.phase == DEBRIEF:
            self.next_turn(key)
        if self.phase == ENDED:
            raise ExerciseError("the exercise has ended")
        if self.phase == BRIEFING:
            self.begin_orders(key)
        if self.phase == ORDERS:
            for team, team_orders in (orders or {}).items():
                self.submit_orders(team, team_orders)
            self.resolve(key, force=True)
        return self.commit(key)

    @property
    def finished(self) -> bool:
        return self.phase == ENDED or (self.phase == DEBRIEF
                                       and self.state.turn > self.turn_limit)

    # ------------------------------------------------------------------ facilitator tools

    def add_note(self, text: str, key: Access = None) -> NoteView:
        self._authorize(Command.ADD_NOTE, FACILITATOR_VIEWER, key)
        try:
            text = clean_text(str(text), "a note")
        except ValueError as exc:
            raise ExerciseError(f"{exc}: a note needs some text") from None
        [event] = self._write([(Note(text=text, phase=self.phase),)])
        return next(n for n in self.notes(include_deleted=True) if n.seq == event.seq)

    def _note(self, seq: int) -> NoteView:
        for note in self.notes(include_deleted=True):
            if note.seq == seq:
                if note.deleted:
                    raise ExerciseError(f"note {seq} was deleted")
                return note
        raise ExerciseError(f"no note {seq}")

    def edit_note(self, seq: int, text: str, key: Access = None) -> NoteView:
        """Change a note's text (the old text stays in the log)."""
        self._authorize(Command.EDIT_NOTE, FACILITATOR_VIEWER, key)
        self._note(seq)
        try:
            text = clean_text(str(text), "a note")
        except ValueError as exc:
            raise ExerciseError(str(exc)) from None
        self._write([(NoteEdited(note_seq=seq, text=text),)])
        return self._note(seq)

    def delete_note(self, seq: int, key: Access = None) -> None:
        """Take a note off the list (the log keeps it and its deletion)."""
        self._authorize(Command.DELETE_NOTE, FACILITATOR_VIEWER, key)
        self._note(seq)
        self._write([(NoteDeleted(note_seq=seq),)])

    def notes(self, *, include_deleted: bool = False) -> list[NoteView]:
        """The notes of the live line with their current text, in the order written."""
        events = typed_events(self.store.events(self.id, kinds=["note", "note_edited",
                                                                "note_deleted"]))
        return [n for n in current_notes(events) if include_deleted or not n.deleted]

    def record_hot_wash(self, hot_wash: HotWash, key: Access = None) -> None:
        """Record the room's hot wash (the report's improvement plan): one event, written
        like every other change (conditional, behind the facilitator PIN); the last one
        recorded counts and earlier ones stay in the log."""
        self._authorize(Command.RECORD_HOT_WASH, FACILITATOR_VIEWER, key)
        self._write([(HotWashRecorded(**hot_wash.model_dump()),)])

    def pause(self, key: Access = None) -> None:
        if self.paused:
            return
        self._authorize(Command.PAUSE, FACILITATOR_VIEWER, key)
        self._write([(Paused(phase=self.phase),)], status="paused")

    def resume(self, key: Access = None) -> None:
        if not self.paused:
            return
        self._authorize(Command.RESUME, FACILITATOR_VIEWER, key)
        self._write([(Resumed(phase=self.phase),)],
                    status="ended" if self.phase == ENDED else "active")

    def end(self, key: Access = None) -> None:
        if self.phase != ENDED:
            self._authorize(Command.END, FACILITATOR_VIEWER, key)
            self._set_phase(ENDED)

    def rename(self, name: str, key: Access = None) -> str:
        """Give the session another name (not a change to the game: no event)."""
        self._authorize(Command.RENAME, FACILITATOR_VIEWER, key)
        try:
            stored = self.store.rename(self.id, name, lock_token=self._lock_token)
        except LockLost as exc:
            raise self._stale(exc) from None
        except StoreError as exc:
            raise ExerciseError(exc.problem) from None
        self._refresh()
        return stored

    def _clock_marks(self) -> list[ClockMark]:
        marks: list[ClockMark] = []
        opened = False
        for e in self._turn_events:
            at = datetime.fromisoformat(e.created_at)
            payload = e.payload
            if isinstance(payload, PhaseChanged) and payload.phase == ORDERS:
                marks.append(ClockMark(at, "opened"))
                opened = True
            elif isinstance(payload, OrdersSubmitted) and not opened:
                marks.append(ClockMark(at, "opened"))  # a log written before schema 3
                opened = True
            elif isinstance(payload, Paused):
                marks.append(ClockMark(at, "paused"))
            elif isinstance(payload, Resumed):
                marks.append(ClockMark(at, "resumed"))
        return marks

    def _presence(self, now: datetime) -> list[Presence]:
        """When apps had the session open, read once (other apps cannot change it while
        this one holds the lock; without the lock it is re-read on ``reload``). This app's
        own stretch counts up to now: it is alive, whatever its last heartbeat says."""
        if self._presence_cache is None:
            self._presence_cache = self.store.locks.presence(self.id)
        stretches = list(self._presence_cache)
        if self.lock is not None and stretches and stretches[-1].closed_at is None:
            stretches[-1] = replace(stretches[-1], seen_at=now.isoformat())
        return stretches

    def timer_remaining(self, now: datetime | None = None) -> float | None:
        """Seconds left for orders this turn (None without a timer or outside orders).
        The clock counts only while an app has the session open and not while paused."""
        if not self.timer_seconds or self.phase != ORDERS:
            return None
        now = now or datetime.now().astimezone()
        return orders_remaining_seconds(self.timer_seconds, self._clock_marks(),
                                        self._presence(now), now)

    def time_is_up(self, now: datetime | None = None) -> bool:
        """The orders timer has run out (the facilitator may then resolve with ``force``)."""
        left = self.timer_remaining(now)
        return left is not None and left <= 0

    def rewind(self, turn: int, reason: str, key: Access = None) -> Branch:
        """Back to the start of ``turn``, for a written reason; later turns are archived in
        a branch (kept), the rewind is logged in the notes. Returns the archived branch
        (which turns, how many events, which snapshots)."""
        self._authorize(Command.REWIND, FACILITATOR_VIEWER, key)
        try:
            reason = clean_text(str(reason or ""), "the reason for a rewind")
        except ValueError as exc:
            raise ExerciseError(f"{exc}: say why the session is rewound") from None
        last = max(self.turn, max(self.store.snapshot_hashes(self.id), default=self.turn))
        note = Note(text=f"Rewound to the start of turn {turn} (turns {turn}..{last} "
                         f"archived): {reason}", phase=BRIEFING)
        expect = self._expected
        try:
            branch = self.store.rewind(
                self.id, turn, reason=reason, phase=BRIEFING.value, expect=expect,
                lock_token=self._lock_token, rewound_visibility="public",
                also=[(note.kind, payload_json(note), note.visibility().to_text())])
        except (StaleSession, LockLost) as exc:
            raise self._stale(exc) from None
        except StoreError as exc:
            raise ExerciseError(exc.problem) from None
        self._expected = Expected(turn, expect.last_seq + 2)  # 'rewound' and the note
        self._refresh()
        self.state = GameState.from_dict(self.store.snapshot(self.id, turn).state,
                                         self.scenario.turn_length_months / 12)
        self._proposed = None
        self._prepared = None
        self._reload_turn()
        return branch

    def fork(self, turn: int, key: Access = None, *, name: str | None = None,
             owner: str | None = None) -> "Exercise":
        """A new session starting at the start of ``turn`` of this one (same scenario,
        seed, teams and PINs); opened with the same lock owner as this one, or held by
        ``owner`` (a read-only window, which holds no lock, may fork: the fork is its
        own)."""
        self._authorize(Command.FORK, FACILITATOR_VIEWER, key)
        try:
            record = self.store.fork(self.id, turn, phase=BRIEFING.value, name=name,
                                     forked_visibility="public")
        except StoreError as exc:
            raise ExerciseError(exc.problem) from None
        if owner is None and self.lock is not None:
            owner = self.lock.holder.owner
        return Exercise.open(self.store, record.id, owner=owner, explain=self.explain,
                             pin_guard=self.pin_guard)

    def branches(self) -> list[Branch]:
        return self.store.branches(self.id)

    # ------------------------------------------------------------------ views and history

    def view_for(self, viewer: Viewer, key: Access = None):
        """Everything ``viewer`` may see of the session: state, log, results and orders
        (``wargame.session.views.SessionView``). The facilitator's view needs the
        facilitator's key, a team's view its team's key (when PINs are set)."""
        from wargame.session.views import view_for

        door = FACILITATOR_DOOR if viewer.is_facilitator else viewer.team
        if door is not None and not self._key_opens(door, key):
            raise PinRequired(door, f"this view needs the PIN of {viewer}")
        return view_for(self, viewer)

    def team_view(self, team: str):
        """What ``team`` may see of the state (the engine's fog of war)."""
        self._setup(team)
        last = self.last_result
        return team_view(self.scenario, self.state, team,
                         last.indicators if last is not None else None)

    def committed_turns(self) -> list[int]:
        return [e.turn for e in self.store.events(self.id, kinds=[TURN_RESOLVED])]

    def indicators(self) -> list[tuple[int, TurnIndicators]]:
        """(turn, indicators) for every committed turn of the live line, in order, read
        back into the engine's typed ``TurnIndicators`` (validated)."""
        from pydantic import ValidationError

        out = []
        for e in self.store.events(self.id, kinds=[TURN_RESOLVED]):
            try:
                out.append((e.turn, TurnIndicators.from_json_dict(
                    e.payload["result"].get("indicators"))))
            except ValidationError as exc:
                raise ExerciseError(f"session {self.id}, turn {e.turn}: "
                                    f"{unreadable(exc)}") from None
        return out

    def results(self) -> list[tuple[int, dict]]:
        """(turn, result dict without state) for every committed turn."""
        return [(e.turn, e.payload["result"])
                for e in self.store.events(self.id, kinds=[TURN_RESOLVED])]

    def revealed_orders(self) -> dict[int, list[dict]]:
        """Orders of RESOLVED turns only, with their outcome: {turn: [order dict + status,
        detail, description, public]}. Orders of the turn in progress never appear here."""
        events = typed_events(self.store.events(
            self.id, kinds=[ORDERS_SUBMITTED, FACILITATOR_ORDERS, OVERRIDE, TURN_RESOLVED]))
        resolved = {e.turn: e.payload.result for e in events
                    if isinstance(e.payload, TurnResolved)}
        out: dict[int, list[dict]] = {}
        for turn, result in resolved.items():
            inputs = turn_inputs([e for e in events if e.turn == turn], self.team_order)
            outcomes = {o.get("order_id"): o for o in result.get("outcomes", [])}
            rows = []
            for order in inputs.orders:
                outcome = outcomes.get(order.id, {})
                move = self.scenario.move_index.get(order.move)
                rows.append({**order.to_dict(), "status": outcome.get("status"),
                             "detail": outcome.get("detail", ""),
                             "description": outcome.get("description")
                             or describe_order(self.scenario, order),
                             "public": bool(move.public) if move else True})
            out[turn] = rows
        return out

    def injects(self) -> list[tuple[int, inject_board.InjectStatus, str]]:
        """(turn, inject, source) for injects of the live line, each fired inject once:
        by hand this or any turn (not retracted), or by the deck in committed turns."""
        return [(s.turn, s,
                 "facilitator" if s.how == "by hand" else "deck")
                for s in inject_board.fired_once(self)]

    def overrides_log(self) -> list[OverrideView]:
        """Every override of the live line, with the order's description (never its id
        alone), for the debrief."""
        events = typed_events(self.store.events(
            self.id, kinds=[ORDERS_SUBMITTED, FACILITATOR_ORDERS, OVERRIDE]))
        orders = {o.id: o for e in events
                  if isinstance(e.payload, (OrdersSubmitted, FacilitatorOrders))
                  for o in e.payload.orders if o.id}
        out = []
        for e in events:
            if isinstance(e.payload, OverrideRuling):
                order = orders.get(e.payload.order_id)
                out.append(OverrideView(
                    e.turn, e.payload.order_id,
                    describe_order(self.scenario, order) if order else "an order",
                    e.payload.status, e.payload.reason, e.payload.param, e.payload.factor))
        return out

    def log(self) -> list[Event]:
        """The live event log as stored (facilitator view: includes unresolved orders)."""
        return self.store.events(self.id)

    def typed_log(self) -> list[LoggedEvent]:
        """The live event log, typed (facilitator view)."""
        return typed_events(self.store.events(self.id))

    # ------------------------------------------------------------------ the lock

    def heartbeat(self) -> None:
        """Tell other openers this app is alive (every ``HEARTBEAT_SECONDS``); raises
        ``SessionChanged`` if another app took the session over."""
        if self.lock is not None:
            try:
                self.lock.heartbeat()
            except LockLost as exc:
                raise self._stale(exc) from None

    def holds_lock(self) -> bool:
        """Whether this object still holds the session's lock (False without one, or once
        another app took the session over)."""
        if self.lock is None:
            return False
        holder = self.store.locks.holder(self.id)
        return holder is not None and holder.token == self.lock.token

    def become_read_only(self) -> None:
        """After the session was taken over (``SessionChanged`` on a write or a heartbeat):
        a read-only view from now on; the lost lock is forgotten (whoever took it over
        closed it), and the orders clock reads the lock records again."""
        self.lock = None
        self.read_only = True
        self._presence_cache = None

    def close(self) -> None:
        """Release the lock (if held) and this thread's connection."""
        if self.lock is not None:
            try:
                self.lock.release()
            except StoreError:
                pass  # closing anyway; a lock left behind is taken over later
        self.store.close()
