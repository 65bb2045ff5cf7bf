"""``Exercise``: the Qt-free controller of one session, used by the CLI and the desktop app.

A turn goes through phases::

    briefing -> orders -> adjudication -> debrief -> (next turn) briefing ... -> ended

- briefing: the facilitator presents the situation and may fire injects;
- orders: teams submit their orders (validated by the engine; each submission is appended to
  the log durably, secret until the turn resolves; a team may re-submit, the last one counts);
  bot teams submit through the engine's ``bot_orders``;
- adjudication: ``resolve()`` proposes a ``TurnResult`` (nothing committed yet); the
  facilitator may ``override()`` an outcome with a written reason (an event) and re-resolve;
- debrief: ``commit()`` has written the turn's events and the next state's snapshot in one
  transaction; ``next_turn()`` opens the next briefing (or ends the exercise at its turn
  limit).

Everything that changes the game is an event in the store, so ``Exercise.open`` restores the
exact state and phase, including orders already submitted for the turn in progress, and
``wargame.store.replay.verify_session`` can re-fold the log from turn 1.

Secrecy: nothing here returns another team's unresolved orders except
``facilitator_pending_orders`` (checked against the facilitator PIN when one is set).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from wargame.engine import (
    ENGINE_MODEL_VERSION,
    FACILITATOR,
    OUTCOME_ACCEPTED,
    OUTCOME_REJECTED,
    GameState,
    Order,
    TurnIndicators,
    TurnResult,
    bot_orders,
    initial_state,
    resolve_turn,
    team_view,
    validate_order,
)
from wargame.scenario.loader import scenario_from_dict
from wargame.scenario.model import Inject, Scenario
from wargame.store.store import (
    BOT,
    HUMAN,
    LIVE,
    Event,
    SessionRecord,
    SessionStore,
    TeamSetup,
    hash_pin,
    verify_pin,
)

BRIEFING, ORDERS, ADJUDICATION, DEBRIEF, ENDED = (
    "briefing", "orders", "adjudication", "debrief", "ended")
PHASES = (BRIEFING, ORDERS, ADJUDICATION, DEBRIEF, ENDED)

# event kinds
SESSION_CREATED = "session_created"
PHASE = "phase"
ORDERS_SUBMITTED = "orders_submitted"
FACILITATOR_ORDERS = "facilitator_orders"  # white-cell orders: a kind of their own, so they
# never count as a team's submission nor start the orders timer
INJECT_FIRED = "inject_fired"
OVERRIDE = "override"
NOTE = "note"
PAUSED = "paused"
RESUMED = "resumed"
RANDOM_DRAWS = "random_draws"
DECK_INJECTS = "deck_injects_fired"
TURN_RESOLVED = "turn_resolved"
REWOUND = "rewound"
FORKED = "forked"


class ExerciseError(Exception):
    """An action that is not possible now (wrong phase, unknown team, bad PIN...)."""


class OrdersRejected(ExerciseError):
    """Some orders are not legal; ``problems`` maps the order's position to its problems."""

    def __init__(self, team: str, problems: dict[int, list[str]]):
        self.team = team
        self.problems = problems
        lines = [f"order {i + 1}: {'; '.join(msgs)}" for i, msgs in sorted(problems.items())]
        super().__init__(f"{team}: orders rejected: " + " | ".join(lines))


@dataclass(frozen=True)
class TurnInputs:
    """What the engine needs to resolve one turn, as read from the log."""

    orders: tuple[Order, ...]
    injects: tuple[Any, ...]  # inject ids (deck) or Inject objects (free text)
    overrides: tuple[dict, ...]  # {"order_id", "status", "reason"}


def _inject_from_payload(raw: Any) -> Any:
    return Inject.model_validate(raw) if isinstance(raw, dict) else str(raw)


def turn_inputs(events: Iterable[Event], team_order: Sequence[str]) -> TurnInputs:
    """Fold one turn's events into the engine's inputs. The last submission of each team
    counts; teams come in scenario order so resolution never depends on who typed first;
    the white cell's orders come after every team's."""
    latest: dict[str, list[dict]] = {}
    injects: list[Any] = []
    overrides: list[dict] = []
    team_order = [*team_order, FACILITATOR]
    for event in events:
        if event.kind in (ORDERS_SUBMITTED, FACILITATOR_ORDERS):
            latest[event.payload["team"]] = event.payload["orders"]
        elif event.kind == INJECT_FIRED:
            injects.append(_inject_from_payload(event.payload["inject"]))
        elif event.kind == OVERRIDE:
            overrides.append(dict(event.payload))
    orders = tuple(Order.from_dict(o) for team in team_order for o in latest.get(team, ()))
    return TurnInputs(orders, tuple(injects), tuple(overrides))


def engine_overrides(overrides: Sequence[Mapping[str, Any]]) -> tuple[dict, ...]:
    """Overrides in the form ``resolve_turn`` takes (``{"order_id", "status", "reason"}``
    dicts), the last one given for an order winning."""
    last: dict[str, dict] = {}
    for item in overrides:
        last[item["order_id"]] = dict(item)
    return tuple(last.values())


def result_payload(result: TurnResult) -> tuple[dict, dict]:
    """Split a ``TurnResult`` for the store: (the log's payload = everything but the new
    state, the new state's dict = the snapshot)."""
    data = dict(result.to_dict())
    state = data.pop("state")
    return data, state


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


def result_from_payload(payload: Mapping[str, Any], state: GameState | Mapping) -> TurnResult:
    """A stored turn back as the engine's typed ``TurnResult`` (validated); a payload this
    version cannot read is an ``ExerciseError`` that says which turn and what."""
    data = dict(payload)
    data["state"] = state.to_dict() if isinstance(state, GameState) else dict(state)
    try:
        return TurnResult.from_dict(data)
    except (ValidationError, KeyError, ValueError) as exc:
        raise ExerciseError(f"turn {data.get('turn')}: {_unreadable(exc)}") from None


def _unreadable(exc: Exception) -> str:
    """Why a stored payload cannot be read, in one line."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        return (f"its stored result cannot be read by this version ({exc.error_count()} "
                f"problem(s), first: {first['msg']} at {where}); it may have been recorded "
                f"under another engine model version")
    return f"its stored result cannot be read by this version ({type(exc).__name__}: {exc})"


def _coerce_team_setup(scenario: Scenario, teams: Any) -> list[TeamSetup]:
    """Accept ``None`` (all human), a mapping team -> "human"/"bot"/TeamSetup/
    {"controller", "pin"}, or a sequence of TeamSetup."""
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
                given[team] = TeamSetup.make(team, spec.get("controller", HUMAN),
                                             spec.get("pin"))
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


class Exercise:
    """One session, driven turn by turn. Make one with ``Exercise.create`` or
    ``Exercise.open``; every change is saved before the method returns."""

    def __init__(self, store: SessionStore, record: SessionRecord, scenario: Scenario,
                 state: GameState):
        self.store = store
        self._record = record
        self.scenario = scenario
        self.state = state
        self._turn_events: list[Event] = []
        self._proposed: TurnResult | None = None
        self._prepared: _Prepared | None = None
        self._last_result: TurnResult | None = None

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
    ) -> "Exercise":
        """A new session: saved (scenario content, seed, teams, first snapshot) in one
        transaction before this returns. ``teams``: see ``_coerce_team_setup``."""
        store = _as_store(store)
        seed = scenario.default_seed if seed is None else int(seed)
        setups = _coerce_team_setup(scenario, teams)
        limit = int(turn_limit) if turn_limit else scenario.turns
        if limit < 1:
            raise ExerciseError("the turn limit must be at least 1")
        state = initial_state(scenario, seed)
        record = store.create_session(
            scenario.to_json_dict(), scenario.content_hash, seed, setups, state.to_dict(),
            state.content_hash(), turn=state.turn,
            facilitator_pin_hash=hash_pin(facilitator_pin) if facilitator_pin else None,
            turn_limit=limit, timer_seconds=int(timer_seconds) if timer_seconds else None,
            phase=BRIEFING,
            created_payload={"scenario_id": scenario.id, "scenario_hash": scenario.content_hash,
                             "seed": seed, "wargame_version": _wargame_version(),
                             "engine_model_version": ENGINE_MODEL_VERSION,
                             "teams": {t.team: t.controller for t in setups}},
        )
        return cls(store, record, scenario, state)

    @classmethod
    def open(cls, store: SessionStore | str | os.PathLike | None, session_id: str
             ) -> "Exercise":
        """Restore a session exactly: state, phase, this turn's submissions and overrides
        (an adjudication in progress is re-resolved, deterministically)."""
        store = _as_store(store)
        record = store.session(store.resolve_id(session_id))
        scenario = load_session_scenario(store, record)
        snap = store.latest_snapshot(record.id)
        state = GameState.from_dict(snap.state, scenario.turn_length_months / 12)
        exercise = cls(store, record, scenario, state)
        exercise._reload_turn()
        if record.phase == ADJUDICATION:
            exercise._propose()
        return exercise

    def _reload_turn(self) -> None:
        self._turn_events = self.store.events(self.id, turn=self.turn)
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
    def seed(self) -> int:
        return self._record.seed

    @property
    def phase(self) -> str:
        return self._record.phase

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

    def check_team_pin(self, team: str, pin: str | None) -> bool:
        return self._setup(team).check_pin(pin)

    def check_facilitator_pin(self, pin: str | None) -> bool:
        return verify_pin(pin or "", self._record.facilitator_pin_hash)

    def _setup(self, team: str) -> TeamSetup:
        try:
            return self._record.team(team)
        except KeyError:
            raise ExerciseError(f"unknown team {team!r}") from None

    # ------------------------------------------------------------------ logging helpers

    def _append(self, kind: str, payload: Any, **session_fields: Any) -> Event:
        event = self.store.append_event(self.id, self.turn, kind, payload,
                                        update=session_fields)
        self._turn_events.append(event)
        self._refresh()
        return event

    def _require(self, *phases: str) -> None:
        if self.phase not in phases:
            raise ExerciseError(f"not possible in the {self.phase} phase (needs "
                                f"{' or '.join(phases)})")

    def _set_phase(self, phase: str, **extra: Any) -> None:
        status = "ended" if phase == ENDED else (
            "paused" if self.paused else "active")
        self._append(PHASE, {"phase": phase, **extra}, phase=phase, status=status)

    # ------------------------------------------------------------------ the turn

    def _require_running(self) -> None:
        """Paused means paused: nothing moves the turn on until the facilitator resumes."""
        if self.paused:
            raise ExerciseError("the exercise is paused: resume it first")

    def begin_orders(self) -> None:
        """briefing -> orders."""
        self._require(BRIEFING)
        self._require_running()
        self._set_phase(ORDERS)

    def fire_inject(self, inject: str | Inject) -> dict:
        """Fire a deck inject (by id) or a free-text one (any other text) this turn."""
        self._require(BRIEFING, ORDERS)
        if isinstance(inject, Inject):
            payload: Any = inject.model_dump(mode="json")
        elif inject in {i.id for i in self.scenario.injects}:
            payload = inject
        else:
            text = str(inject).strip()
            if not text:
                raise ExerciseError("an inject needs an id from the deck or some text")
            number = sum(1 for e in self._turn_events if e.kind == INJECT_FIRED) + 1
            title = text if len(text) <= 80 else text[:77] + "..."
            payload = {"id": f"free_t{self.turn}_{number}", "title": title, "text": text}
        event = self._append(INJECT_FIRED, {"inject": payload, "by": "facilitator"})
        return event.payload

    def fired_injects(self) -> list[Any]:
        """Injects fired by hand in the current turn (ids or free-text dicts)."""
        return [e.payload["inject"] for e in self._turn_events if e.kind == INJECT_FIRED]

    def _validated(self, team: str, orders: Iterable[Order | Mapping[str, Any]]) -> list[Order]:
        """The orders with this turn's ids, each checked by the engine (costs add up);
        raises ``OrdersRejected`` naming every illegal one, so nothing half is stored."""
        who = "the white cell" if team == FACILITATOR else repr(team)
        problems: dict[int, list[str]] = {}
        accepted: list[Order] = []
        for index, raw in enumerate(orders):
            order = raw if isinstance(raw, Order) else Order.from_dict({"team": team, **raw})
            if order.team != team:
                problems[index] = [f"order is for team {order.team!r}, not {who}"]
                continue
            order = Order(team=team, move=order.move, params=dict(order.params),
                          id=f"t{self.turn}-{team}-{index + 1}")
            found = validate_order(self.scenario, self.state, order, already=tuple(accepted))
            if found:
                problems[index] = list(found)
            else:
                accepted.append(order)
        if problems:
            raise OrdersRejected(team, problems)
        return accepted

    def submit_orders(self, team: str, orders: Iterable[Order | Mapping[str, Any]]) -> list[Order]:
        """Validate and durably record a team's orders for this turn (a re-submission
        replaces the previous one). Raises ``OrdersRejected`` and stores nothing if any
        order is illegal."""
        self._require(BRIEFING, ORDERS)
        self._setup(team)
        accepted = self._validated(team, orders)
        fields = {}
        if self.phase == BRIEFING:
            fields = {"phase": ORDERS}
        self._append(ORDERS_SUBMITTED,
                     {"team": team, "orders": [o.to_dict() for o in accepted]}, **fields)
        return accepted

    def submit_facilitator_orders(self, orders: Iterable[Order | Mapping[str, Any]],
                                  pin: str | None = None) -> list[Order]:
        """White-cell orders for this turn: any move, no team pays. Secret until the turn
        resolves, like a team's; a re-submission replaces the previous one (an empty list
        withdraws them). Does not start the orders phase: the briefing may set the scene."""
        if not self.check_facilitator_pin(pin):
            raise ExerciseError("wrong facilitator PIN")
        self._require(BRIEFING, ORDERS)
        accepted = self._validated(FACILITATOR, orders)
        self._append(FACILITATOR_ORDERS,
                     {"team": FACILITATOR, "orders": [o.to_dict() for o in accepted]})
        return accepted

    def facilitator_orders(self, pin: str | None = None) -> list[Order]:
        """FACILITATOR ONLY: the white cell's orders of the turn in progress."""
        if not self.check_facilitator_pin(pin):
            raise ExerciseError("wrong facilitator PIN")
        if self.phase not in (BRIEFING, ORDERS, ADJUDICATION):
            return []
        latest: list[dict] = []
        for e in self._turn_events:
            if e.kind == FACILITATOR_ORDERS:
                latest = e.payload["orders"]
        return [Order.from_dict(o) for o in latest]

    def submit_bot_orders(self, teams: Iterable[str] | None = None) -> list[str]:
        """Bot teams that have not yet submitted submit ``bot_orders`` now."""
        self._require(BRIEFING, ORDERS)
        done = set(self.submitted_teams())
        targets = self.bot_teams if teams is None else list(teams)
        submitted = []
        for team in targets:
            if team in done:
                continue
            self.submit_orders(team, bot_orders(self.scenario, self.state, team))
            submitted.append(team)
        return submitted

    def submitted_teams(self) -> list[str]:
        """Teams that have submitted orders this turn (who, never what)."""
        teams = {e.payload["team"] for e in self._turn_events if e.kind == ORDERS_SUBMITTED}
        return [t.team for t in self.teams if t.team in teams]

    def waiting_for(self) -> list[str]:
        done = set(self.submitted_teams())
        return [t.team for t in self.teams if t.team not in done]

    def own_orders(self, team: str) -> list[Order]:
        """The orders ``team`` itself submitted this turn (for its own screen only)."""
        self._setup(team)
        latest: list[dict] = []
        for e in self._turn_events:
            if e.kind == ORDERS_SUBMITTED and e.payload["team"] == team:
                latest = e.payload["orders"]
        return [Order.from_dict(o) for o in latest]

    def facilitator_pending_orders(self, pin: str | None = None) -> dict[str, list[Order]]:
        """FACILITATOR ONLY: every team's unresolved orders of this turn."""
        if not self.check_facilitator_pin(pin):
            raise ExerciseError("wrong facilitator PIN")
        if self.phase not in (BRIEFING, ORDERS, ADJUDICATION):
            return {}  # the turn is resolved: its orders are public (revealed_orders)
        pending = {team: self.own_orders(team) for team in self.submitted_teams()}
        white_cell = self.facilitator_orders(pin)
        if white_cell:
            pending[FACILITATOR] = white_cell
        return pending

    def current_inputs(self) -> TurnInputs:
        return turn_inputs(self._turn_events, [t.team for t in self.teams])

    def _compute(self) -> TurnResult:
        inputs = self.current_inputs()
        return resolve_turn(self.scenario, self.state, list(inputs.orders),
                            injects=list(inputs.injects),
                            overrides=engine_overrides(inputs.overrides))

    def _propose(self) -> TurnResult:
        self._proposed = self._compute()
        self._prepared = _Prepared.of(self._proposed)
        return self._proposed

    def resolve(self, *, force: bool = False) -> TurnResult:
        """orders -> adjudication: bots submit if they have not, then the engine proposes a
        result. Nothing is committed. Human teams that have not submitted block this unless
        ``force`` (they then give no orders this turn)."""
        self._require(BRIEFING, ORDERS, ADJUDICATION)
        self._require_running()
        if self.phase != ADJUDICATION:
            self.submit_bot_orders()
            missing = [t for t in self.waiting_for()]
            if missing and not force:
                raise ExerciseError(f"waiting for orders from {', '.join(missing)}")
            self._set_phase(ADJUDICATION)
        return self._propose()

    def override(self, order_id: str, reason: str, status: str) -> TurnResult:
        """Change one order's outcome during adjudication, with a written reason (logged):
        ``OUTCOME_REJECTED`` sets an order aside, ``OUTCOME_ACCEPTED`` admits one the rules
        rejected (its outcome then reads ``OUTCOME_OVERRIDDEN``). Returns the re-resolved
        proposal."""
        self._require(ADJUDICATION)
        statuses = {OUTCOME_ACCEPTED, OUTCOME_REJECTED}
        if status not in statuses:
            raise ExerciseError(f"unknown status {status!r}; use one of "
                                f"{', '.join(sorted(statuses))}")
        if not reason or not reason.strip():
            raise ExerciseError("an override needs a reason")
        ids = {o.id for o in self.current_inputs().orders}
        if order_id not in ids:
            raise ExerciseError(f"no order {order_id!r} this turn")
        self._append(OVERRIDE, {"order_id": order_id, "status": status,
                                "reason": reason.strip()})
        return self._propose()

    def overrides(self) -> list[dict]:
        return [dict(e.payload) for e in self._turn_events if e.kind == OVERRIDE]

    def commit(self) -> TurnResult:
        """adjudication -> debrief: the turn's draws, deck injects, result and the new
        state's snapshot, in one transaction."""
        self._require(ADJUDICATION)
        self._require_running()
        prepared = self._prepared
        if prepared is None or prepared.result is not self._proposed:
            prepared = _Prepared.of(self._proposed or self._compute())
        result, new_state = prepared.result, prepared.result.state
        turn = self.turn
        events = [
            (turn, RANDOM_DRAWS, {"draws": prepared.payload["draws"]}),
            (turn, DECK_INJECTS, {"injects": prepared.payload["injects_fired"]}),
            (turn, TURN_RESOLVED, {"result": prepared.payload,
                                   "state_hash": prepared.state_hash}),
            (turn, PHASE, {"phase": DEBRIEF}),
        ]
        self.store.commit_turn(self.id, events, prepared.state, prepared.state_hash,
                               new_state.turn, update={"phase": DEBRIEF})
        self.state = new_state
        self._proposed = None
        self._prepared = None
        self._last_result = result
        self._refresh()
        self._turn_events = self.store.events(self.id, turn=self.turn)
        return result

    def next_turn(self) -> None:
        """debrief -> briefing of the next turn, or ``ended`` after the last turn."""
        self._require(DEBRIEF)
        self._require_running()
        if self.state.turn > self.turn_limit:
            self._set_phase(ENDED)
            return
        next_turn = self.state.turn
        event = self.store.append_event(self.id, next_turn, PHASE, {"phase": BRIEFING},
                                        update={"phase": BRIEFING, "turn": next_turn})
        self._refresh()
        self._turn_events = [event]

    def play_turn(self, orders: Mapping[str, Iterable[Order]] | None = None) -> TurnResult:
        """Headless convenience: from wherever the turn stands, submit ``orders`` (bots
        submit their own), resolve and commit; leaves the exercise in debrief."""
        if self.phase == DEBRIEF:
            self.next_turn()
        if self.phase == ENDED:
            raise ExerciseError("the exercise has ended")
        if self.phase == BRIEFING:
            self.begin_orders()
        if self.phase == ORDERS:
            for team, team_orders in (orders or {}).items():
                self.submit_orders(team, team_orders)
            self.resolve(force=True)
        return self.commit()

    @property
    def finished(self) -> bool:
        return self.phase == ENDED or (self.phase == DEBRIEF
                                       and self.state.turn > self.turn_limit)

    # ------------------------------------------------------------------ facilitator tools

    def add_note(self, text: str) -> Event:
        text = str(text).strip()
        if not text:
            raise ExerciseError("a note needs some text")
        return self._append(NOTE, {"text": text, "phase": self.phase})

    def pause(self) -> None:
        if self.paused:
            return
        self._append(PAUSED, {"phase": self.phase}, status="paused")

    def resume(self) -> None:
        if not self.paused:
            return
        self._append(RESUMED, {"phase": self.phase},
                     status="ended" if self.phase == ENDED else "active")

    def end(self) -> None:
        if self.phase != ENDED:
            self._set_phase(ENDED)

    def timer_remaining(self, now: datetime | None = None) -> float | None:
        """Seconds left for orders this turn (None without a timer or outside orders);
        paused time does not count."""
        if not self.timer_seconds or self.phase != ORDERS:
            return None
        now = now or datetime.now().astimezone()
        started = None
        paused_since = None
        paused_total = 0.0
        for e in self._turn_events:
            at = datetime.fromisoformat(e.created_at)
            if e.kind == PHASE and e.payload.get("phase") == ORDERS or (
                    e.kind == ORDERS_SUBMITTED and started is None):
                started = started or at
            elif e.kind == PAUSED and started is not None:
                paused_since = at
            elif e.kind == RESUMED and paused_since is not None:
                paused_total += (at - paused_since).total_seconds()
                paused_since = None
        if started is None:
            return float(self.timer_seconds)
        end = paused_since or now
        elapsed = (end - started).total_seconds() - paused_total
        return max(0.0, self.timer_seconds - elapsed)

    def time_is_up(self, now: datetime | None = None) -> bool:
        """The orders timer has run out (the facilitator may then resolve with ``force``)."""
        left = self.timer_remaining(now)
        return left is not None and left <= 0

    def rewind(self, turn: int, reason: str = "") -> None:
        """Back to the start of ``turn``; later turns are archived in a branch (kept)."""
        self.store.rewind(self.id, turn, reason=reason, phase=BRIEFING)
        self._refresh()
        self.state = GameState.from_dict(self.store.snapshot(self.id, turn).state,
                                         self.scenario.turn_length_months / 12)
        self._proposed = None
        self._prepared = None
        self._reload_turn()

    def fork(self, turn: int) -> "Exercise":
        """A new session starting at the start of ``turn`` of this one."""
        record = self.store.fork(self.id, turn, phase=BRIEFING)
        return Exercise.open(self.store, record.id)

    def branches(self) -> list:
        return self.store.branches(self.id)

    # ------------------------------------------------------------------ views and history

    def team_view(self, team: str):
        """What ``team`` may see (the engine's fog of war)."""
        self._setup(team)
        last = self.last_result
        return team_view(self.scenario, self.state, team,
                         last.indicators if last is not None else None)

    def committed_turns(self) -> list[int]:
        return [e.turn for e in self.store.events(self.id, kinds=[TURN_RESOLVED])]

    def indicators(self) -> list[tuple[int, TurnIndicators]]:
        """(turn, indicators) for every committed turn of the live line, in order, read
        back into the engine's typed ``TurnIndicators`` (validated)."""
        out = []
        for e in self.store.events(self.id, kinds=[TURN_RESOLVED]):
            try:
                out.append((e.turn, TurnIndicators.from_json_dict(
                    e.payload["result"].get("indicators"))))
            except ValidationError as exc:
                raise ExerciseError(f"session {self.id}, turn {e.turn}: "
                                    f"{_unreadable(exc)}") from None
        return out

    def results(self) -> list[tuple[int, dict]]:
        """(turn, result dict without state) for every committed turn."""
        return [(e.turn, e.payload["result"])
                for e in self.store.events(self.id, kinds=[TURN_RESOLVED])]

    def revealed_orders(self) -> dict[int, list[dict]]:
        """Orders of RESOLVED turns only, with their outcome: {turn: [order dict + status,
        detail, public]}. Orders of the turn in progress never appear here."""
        events = self.store.events(self.id, kinds=[ORDERS_SUBMITTED, FACILITATOR_ORDERS, TURN_RESOLVED])
        resolved = {e.turn: e.payload["result"] for e in events if e.kind == TURN_RESOLVED}
        team_order = [t.team for t in self.teams]
        out: dict[int, list[dict]] = {}
        for turn, result in resolved.items():
            inputs = turn_inputs([e for e in events if e.turn == turn], team_order)
            outcomes = {o.get("order_id"): o for o in result.get("outcomes", [])}
            rows = []
            for order in inputs.orders:
                outcome = outcomes.get(order.id, {})
                move = self.scenario.move_index.get(order.move)
                rows.append({**order.to_dict(), "status": outcome.get("status"),
                             "detail": outcome.get("detail", ""),
                             "public": bool(move.public) if move else True})
            out[turn] = rows
        return out

    def notes(self) -> list[Event]:
        return self.store.events(self.id, kinds=[NOTE])

    def injects(self) -> list[tuple[int, Any, str]]:
        """(turn, inject, source) for injects of the live line: fired by hand this or any
        turn, or by the deck in committed turns."""
        out: list[tuple[int, Any, str]] = []
        for e in self.store.events(self.id, kinds=[INJECT_FIRED, DECK_INJECTS]):
            if e.kind == INJECT_FIRED:
                out.append((e.turn, e.payload["inject"], "facilitator"))
            else:
                out.extend((e.turn, item, "deck") for item in e.payload["injects"])
        return out

    def overrides_log(self) -> list[Event]:
        return self.store.events(self.id, kinds=[OVERRIDE])

    def log(self) -> list[Event]:
        """The live event log (facilitator view: includes unresolved orders)."""
        return self.store.events(self.id)

    def close(self) -> None:
        self.store.close()


def load_session_scenario(store: SessionStore, record: SessionRecord) -> Scenario:
    """The scenario a session was played on, from the content stored with it."""
    from wargame.scenario.loader import ScenarioError
    from wargame.store.store import StoreError

    content = store.scenario_content(record.scenario_hash)
    try:
        return scenario_from_dict(content, name=f"<scenario of session {record.id}>")
    except ScenarioError as exc:
        raise StoreError(store.path, f"session {record.id}: its stored scenario no longer "
                                     f"validates: {exc}") from exc


__all__ = [
    "ADJUDICATION", "BOT", "BRIEFING", "DEBRIEF", "ENDED", "Exercise", "ExerciseError",
    "FACILITATOR", "FACILITATOR_ORDERS",
    "HUMAN", "LIVE", "ORDERS", "OrdersRejected", "PHASES", "TurnInputs", "turn_inputs",
    "engine_overrides", "load_session_scenario",
]
