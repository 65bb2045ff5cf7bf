"""A thin Qt wrapper around the Qt-free :class:`wargame.session.exercise.Exercise`.

``ExerciseController`` adds what a window needs: signals (``phaseChanged``,
``turnCommitted``, ``ordersSubmitted``, ``changed``, ``resolved``, ``busyChanged``), the
hot-seat bookkeeping (which human teams still have to take the laptop), read-outs shaped for
the console and the projector, and resolution off the UI thread: the engine runs in a
``QRunnable`` on the global ``QThreadPool``. ``SessionStore`` keeps one sqlite connection per
thread, so the worker's writes go through its own connection; the UI does not touch the
exercise while a job runs (``busy``), and the worker closes its connection when done.

Secrecy: nothing here returns another team's orders for the turn in progress. The
facilitator's proposal (outcomes of the resolved turn) exists only in adjudication.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("wargame.ui")
esc = html.escape


def list_sessions(db_path: str | Path) -> list[dict]:
    """Saved sessions for the start screen, most recently played first, from the store's
    ``summaries()``: id, name, scenario title, turn, phase, status, last played, created,
    "fork of ... at turn N", teams; a damaged session is listed too (``damaged``: what is
    wrong), so one bad row never hides the others."""
    from wargame.store.store import SessionStore
    from wargame.store.text import printable

    path = Path(db_path)
    if not path.exists():
        return []
    store = SessionStore(path)
    try:
        return [{"id": s.id, "short_id": printable(s.short_id), "name": printable(s.name),
                 "scenario": printable(s.scenario_title or s.scenario_id),
                 "turn": s.turn if s.turn is not None else "?",
                 "phase": "damaged" if s.damaged else s.phase, "status": s.status,
                 "last_played": s.last_played_at[:16].replace("T", " "),
                 "created": s.created_at[:16].replace("T", " "),
                 "fork": printable(s.fork_label), "damaged": s.problem,
                 "teams": [(t.team, t.controller) for t in s.teams]}
                for s in store.summaries()]
    finally:
        store.close()


def team_label(scenario, team: str) -> str:
    """A team's name; the facilitator's orders read "White cell" (as in the engine)."""
    if team in scenario.team_index:
        return scenario.team(team).name
    return "White cell" if team == "facilitator" else team


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    """Runs ``fn()`` on a pool thread; reports through queued signals."""

    def __init__(self, fn, store) -> None:
        super().__init__()
        self.fn = fn
        self.store = store
        self.signals = _Signals()

    def run(self) -> None:  # noqa: D401 - Qt name
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - reported to the UI as a dialog
            log.exception("background job failed")
            from wargame.ui.dialogs import friendly_message

            self.signals.failed.emit(friendly_message(exc))
        else:
            self.signals.done.emit(result)
        finally:
            try:
                self.store.close()  # this thread's sqlite connection
            except Exception:  # noqa: BLE001
                pass


class ExerciseController(QObject):
    phaseChanged = Signal(str)
    turnCommitted = Signal(int)
    ordersSubmitted = Signal(str)  # team id (who, never what)
    resolved = Signal()
    busyChanged = Signal(bool)
    failed = Signal(str)
    changed = Signal()

    def __init__(self, exercise, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.busy = False
        self.auto_resolve = True
        self._jobs: set[_Job] = set()
        self._on_done = None
        self._last_phase = exercise.phase
        # keys from Exercise.unlock, kept for the console session (never the PINs in clear)
        self._facilitator_key = None
        self._team_keys: dict[str, Any] = {}

    # ---- making

    @classmethod
    def create(cls, db_path: str | Path, scenario, setup, scenario_path: str | None = None
               ) -> "ExerciseController":
        from wargame.session.exercise import Exercise

        teams = {team: {"controller": kind, "pin": setup.pins.get(team)}
                 for team, kind in setup.controllers.items()}
        exercise = Exercise.create(str(db_path), scenario, setup.seed, teams,
                                   facilitator_pin=setup.facilitator_pin,
                                   turn_limit=setup.turn_limit,
                                   timer_seconds=setup.timer_seconds or None)
        controller = cls(exercise)
        controller._facilitator_key = exercise.unlock("facilitator", setup.facilitator_pin)
        return controller

    @classmethod
    def open(cls, db_path: str | Path, session_id: str) -> "ExerciseController":
        from wargame.session.exercise import Exercise

        return cls(Exercise.open(str(db_path), session_id))

    def close(self) -> None:
        QThreadPool.globalInstance().waitForDone(10000)
        self.exercise.close()

    # ---- plain read-outs

    @property
    def scenario(self):
        return self.exercise.scenario

    @property
    def session_id(self) -> str:
        return self.exercise.id

    @property
    def phase(self) -> str:
        return self.exercise.phase

    @property
    def turn(self) -> int:
        return self.exercise.turn

    @property
    def turn_limit(self) -> int:
        return self.exercise.turn_limit

    @property
    def paused(self) -> bool:
        return self.exercise.paused

    @property
    def ended(self) -> bool:
        return self.exercise.phase == "ended"

    @property
    def has_proposal(self) -> bool:
        return self.exercise.phase == "adjudication" and self.exercise.proposed is not None

    def controllers(self) -> dict[str, str]:
        return {t.team: t.controller for t in self.exercise.teams}

    def team_has_pin(self, team: str) -> bool:
        return self.exercise.session.team(team).pin_hash is not None

    def check_pin(self, team: str, pin: str) -> bool:
        from wargame.session.errors import PinRequired
        from wargame.session.pin_guard import PinWait

        try:
            self._team_keys[team] = self.exercise.unlock(team, pin)
        except (PinRequired, PinWait):
            return False
        return True

    def facilitator_has_pin(self) -> bool:
        return self.exercise.session.facilitator_pin_hash is not None

    def check_facilitator_pin(self, pin: str) -> bool:
        from wargame.session.errors import PinRequired
        from wargame.session.pin_guard import PinWait

        try:
            self._facilitator_key = self.exercise.unlock("facilitator", pin)
        except (PinRequired, PinWait):
            return False
        return True

    def facilitator_pin_known(self) -> bool:
        return not self.facilitator_has_pin() or self._facilitator_key is not None

    def submitted_teams(self) -> set[str]:
        if self.phase not in ("briefing", "orders", "adjudication"):
            return set()
        return set(self.exercise.submitted_teams())

    def pending_human_teams(self) -> list[str]:
        if self.phase != "orders":
            return []
        humans = set(self.exercise.human_teams)
        return [t for t in self.exercise.waiting_for() if t in humans]

    def timer_remaining(self) -> float | None:
        """Seconds left for orders (None: no timer, not the orders phase, or resolving)."""
        if self.busy:
            return None
        return self.exercise.timer_remaining()

    @property
    def time_up(self) -> bool:
        left = self.timer_remaining()
        return left is not None and left <= 0

    @property
    def time_up_waiting(self) -> bool:
        """Time is up and a team has still to submit: what the "time is up" banners say
        (once every team is in, the banner would only be stale)."""
        return self.time_up and self.phase == "orders" and bool(self.pending_human_teams())

    def clock_text(self) -> str:
        """The bare clock, "MM:SS" ("00:00" once time is up), "" without one."""
        left = self.timer_remaining()
        if left is None:
            return ""
        minutes, seconds = divmod(int(-(-left // 1)), 60)  # round up: 0.4 s left is 00:01
        return f"{minutes:02d}:{seconds:02d}"

    def timer_text(self) -> str:
        clock = self.clock_text()
        if not clock:
            return ""
        text = "time is up" if self.time_up else f"{clock} left"
        return text + (" (paused)" if self.paused else "")

    def notes(self) -> list[str]:
        return [f"Turn {n.turn} ({n.phase or ''}): {n.text}" for n in self.exercise.notes()]

    def indicators_history(self) -> list:
        """The engine's typed ``TurnIndicators`` of every committed turn, oldest first (read
        back from the store and validated there: ``Exercise.indicators``)."""
        return [indicators for _turn, indicators in self.exercise.indicators()]

    def rewind_targets(self) -> list[int]:
        return list(range(1, self.exercise.state.turn + 1))

    def injects_due(self) -> list[str]:
        """The deck as the facilitator sees it (``engine.upcoming_deck``): what may fire
        this turn - scheduled, follow-ups, conditional ones with their condition and
        whether it holds on the latest figures, chances - then what is due later, and the
        injects fired by hand this turn."""
        from wargame.engine import upcoming_deck

        turn = self.turn
        now, later = [], []
        for item in upcoming_deck(self.scenario, self.exercise.state):
            chance = f" ({item.probability:.0%})" if item.probability is not None else ""
            if item.trigger in ("scheduled", "follow-up"):
                source = (f"follow-up of '{self._inject_title(item.after)}'{chance}"
                          if item.after else "")
                if item.due_turn == turn:
                    now.append(f"Follow-up of '{self._inject_title(item.after)}'{chance}: "
                               f"{item.title}" if item.after else f"Scheduled: {item.title}")
                else:
                    later.append(f"Turn {item.due_turn}{' (' + source + ')' if source else ''}"
                                 f": {item.title}")
            elif item.trigger == "conditional" and item.condition:
                holds = " - holds now" if item.holds_now else ""
                now.append(f"If {item.condition}{holds}: {item.title}")
            elif item.trigger == "random" and item.from_turn is not None \
                    and item.from_turn <= turn:
                when = f" if {item.condition}" if item.condition else ""
                now.append(f"May happen{chance}{when}: {item.title}")
        for fired in self.exercise.fired_injects():
            now.append("Fired by the facilitator: " + self._inject_title(fired))
        return now + later

    def _inject_title(self, inject: Any) -> str:
        if isinstance(inject, dict):
            return str(inject.get("title") or inject.get("id") or inject)
        for item in self.scenario.injects:
            if item.id == inject:
                return item.title
        return str(inject)

    # ---- the turn

    def _emit_phase(self) -> None:
        phase = self.exercise.phase
        if phase != self._last_phase:
            self._last_phase = phase
            self.phaseChanged.emit(phase)
        self.changed.emit()

    def start_orders(self) -> None:
        """briefing -> orders; bots submit at once."""
        if self.phase == "briefing":
            self.exercise.begin_orders(self._facilitator_key)
        for team in self.exercise.submit_bot_orders():
            self.ordersSubmitted.emit(team)
        self._emit_phase()

    def team_context(self, team: str) -> dict:
        """What the team's own screen shows: its money, its fog-of-war view (the engine's
        typed ``TeamView``) and the session's last turn (for 'arrives after the end')."""
        state = self.exercise.state
        index = self.scenario.team_index[team]
        return {"budget": float(state.budget[index]),
                "capital": float(state.political_capital[index]),
                "view": self.exercise.team_view(team), "last_turn": self.turn_limit}

    def validate(self, team: str, entry: dict, already: list[dict]) -> list[str]:
        """The live check: the session's one order check (``Exercise.check_orders``) on
        the draft so far plus this entry."""
        entries = [*already, entry]
        check = self.exercise.check_orders(team, [{"move": e["move"], "params": e["params"]}
                                                  for e in entries])
        return list(check.problems.get(len(entries) - 1, ()))

    def submit(self, team: str, entries: list[dict]) -> None:
        self.exercise.submit_orders(team, [{"move": e["move"], "params": e["params"]}
                                           for e in entries], self._team_keys.get(team))
        self.ordersSubmitted.emit(team)
        if self.phase == "orders" and not self.exercise.waiting_for():
            # every team is in: move to adjudication (the proposal is computed on demand)
            pass
        self._emit_phase()

    def _run(self, fn, on_done) -> None:
        """Run ``fn`` on a pool thread. Its signals are connected to slots of this QObject
        (which lives in the UI thread), so Qt queues them back to the UI thread."""
        self.busy = True
        self.busyChanged.emit(True)
        job = _Job(fn, self.exercise.store)
        job.setAutoDelete(False)
        self._jobs.add(job)
        self._on_done = on_done
        job.signals.done.connect(self._job_done)
        job.signals.failed.connect(self._job_failed)
        QThreadPool.globalInstance().start(job)

    @Slot(object)
    def _job_done(self, result) -> None:
        self._jobs.clear()
        self.busy = False
        self.busyChanged.emit(False)
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done(result)

    @Slot(str)
    def _job_failed(self, message: str) -> None:
        self._jobs.clear()
        self.busy = False
        self.busyChanged.emit(False)
        self._on_done = None
        self.failed.emit(message)
        self._emit_phase()

    def resolve_async(self, force: bool = False) -> None:
        """Resolve the turn on a pool thread; ``resolved`` is emitted when the proposal is
        ready (``failed`` with a readable message otherwise)."""
        if self.busy:
            return
        key = self._facilitator_key
        self._run(lambda: self.exercise.resolve(key, force=force),
                  lambda _r: self._after_resolve())

    def resolve_now(self, force: bool = False) -> None:
        """Synchronous variant (scripts, screenshots)."""
        self.exercise.resolve(self._facilitator_key, force=force)
        self._after_resolve()

    def _after_resolve(self) -> None:
        self._emit_phase()
        self.resolved.emit()

    def proposal(self) -> dict:
        """FACILITATOR, adjudication only: outcomes, the orders they refer to, explanations."""
        result = self.exercise.proposed
        if result is None or self.phase != "adjudication":
            return {"outcomes": [], "orders": {}, "explanations": []}
        outcomes = [o.model_dump(mode="json") for o in result.outcomes]
        orders = {o.id: o.to_dict() for o in self.exercise.current_inputs().orders}
        # the facilitator sees every explanation; those naming a covert move are marked
        return {"outcomes": outcomes, "orders": orders,
                "explanations": [e.text if e.public else f"{e.text} [covert: not for the room]"
                                 for e in result.explanations]}

    def override(self, order_id: str, status: str, reason: str) -> None:
        from wargame import engine

        constant = {"accepted": getattr(engine, "OUTCOME_ACCEPTED", "accepted"),
                    "rejected": getattr(engine, "OUTCOME_REJECTED", "rejected"),
                    "overridden": getattr(engine, "OUTCOME_OVERRIDDEN", "overridden")}
        status = constant.get(status, status)
        # the exercise re-resolves the turn with the override: off the UI thread too
        key = self._facilitator_key
        self._run(lambda: self.exercise.override(order_id, reason, status, key),
                  lambda _r: self._after_resolve())

    def commit(self) -> None:
        self.exercise.commit(self._facilitator_key)
        self._emit_phase()
        self.turnCommitted.emit(self.turn)

    def next_turn(self) -> None:
        self.exercise.next_turn(self._facilitator_key)
        self._emit_phase()

    # ---- facilitator tools

    def white_cell_entries(self) -> list[dict]:
        """FACILITATOR ONLY: the white cell's sealed orders of this turn, as draft entries."""
        return [{"move": o.move, "params": dict(o.params)}
                for o in self.exercise.facilitator_orders(self._facilitator_key)]

    def white_cell_count(self) -> int:
        try:
            return len(self.exercise.facilitator_orders(self._facilitator_key))
        except Exception:  # noqa: BLE001 - PIN not known here: nothing to count
            return 0

    def submit_white_cell(self, entries: list[dict]) -> None:
        self.exercise.submit_facilitator_orders(
            [{"move": e["move"], "params": e["params"]} for e in entries],
            self._facilitator_key)
        self.changed.emit()

    def fire_inject(self, inject_id: str) -> None:
        self.exercise.fire_inject(inject_id, self._facilitator_key)
        self.changed.emit()

    def free_inject(self, title: str, text: str) -> None:
        from wargame.scenario.model import Inject

        number = len(self.exercise.fired_injects()) + 1
        inject = Inject(id=f"free_t{self.turn}_{number}", title=title.strip(),
                        text=text.strip())
        self.exercise.fire_inject(inject, self._facilitator_key)
        self.changed.emit()

    def add_note(self, text: str) -> None:
        self.exercise.add_note(text, self._facilitator_key)
        self.changed.emit()

    def set_paused(self, paused: bool) -> None:
        if paused:
            self.exercise.pause(self._facilitator_key)
        else:
            self.exercise.resume(self._facilitator_key)
        self.changed.emit()

    def rewind(self, turn: int, reason: str = "") -> None:
        self.exercise.rewind(turn, reason, self._facilitator_key)
        self._emit_phase()

    def fork(self, turn: int) -> "ExerciseController":
        fork = ExerciseController(self.exercise.fork(turn, self._facilitator_key))
        fork._facilitator_key = self._facilitator_key  # a fork keeps its parent's PINs
        return fork

    def end(self) -> None:
        self.exercise.end(self._facilitator_key)
        self._emit_phase()

    # ---- after the exercise: hot wash and report (read from the store)

    def hot_wash(self):
        from wargame.report.hotwash import load_hot_wash

        return load_hot_wash(self.exercise.store, self.session_id)

    def save_hot_wash(self, hot_wash) -> None:
        from wargame.report.hotwash import save_hot_wash

        save_hot_wash(self.exercise, hot_wash, self._facilitator_key)

    def after_action_report(self, audience: str = "facilitator"):
        """The report of this session as it stands (``wargame.report``): reads only."""
        from wargame.report.gather import exercise_report, viewer_of

        return exercise_report(self.exercise, viewer_of(audience), key=self._facilitator_key)

    # ---- public debrief

    def revealed(self) -> dict | None:
        """The last committed turn, as everyone may now see it: orders of every team with
        their outcome, explanations, injects and overrides. None before the first commit."""
        committed = self.exercise.committed_turns()
        if not committed:
            return None
        turn = committed[-1]
        results = dict(self.exercise.results())
        result = results.get(turn, {})
        from wargame.ui.team_screen import describe_order

        orders = []
        for row in self.exercise.revealed_orders().get(turn, []):
            name = team_label(self.scenario, row.get("team", ""))
            text = describe_order(self.scenario, row.get("move", ""), row.get("params", {}))
            if not row.get("public", True):
                text += " (covert)"
            orders.append({"team": name, "text": text,
                           "status": str(row.get("status") or "").lower()})
        injects = [self._inject_title(item) for t, item, _src in self.exercise.injects()
                   if t == turn]
        overrides = [f"{o.description}: {o.status} — {o.reason}"
                     for o in self.exercise.overrides_log() if o.turn == turn]
        from wargame.engine import Explanation

        explanations = [Explanation.model_validate(e) for e in result.get("explanations", [])]
        return {"turn": turn, "orders": orders,
                "explanations": [e.text for e in explanations if e.public],
                "injects": injects, "overrides": overrides}
