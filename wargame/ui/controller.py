"""A thin Qt wrapper around the Qt-free :class:`wargame.session.exercise.Exercise`.

``ExerciseController`` adds what a window needs: signals (``phaseChanged``,
``turnCommitted``, ``ordersSubmitted``, ``changed``, ``resolved``, ``busyChanged``), the
hot-seat bookkeeping (which human teams still have to take the laptop), read-outs shaped for
the console and the projector, and resolution off the UI thread: the engine runs in a
``QRunnable`` on the global ``QThreadPool``. ``SessionStore`` keeps one sqlite connection per
thread, so the worker's writes go through its own connection; the UI does not touch the
exercise while a job runs (``busy``), and the worker closes its connection when done.

One session, one writer: the controller holds the session's lock while it is open
(``owner=app_owner()``); ``open`` raises the store's ``LockHeld`` when another window or
program holds it, and the window then offers a read-only view (``read_only=True``) or,
when the holder seems gone, taking it over (``take_over=``). A write refused because the
session changed elsewhere raises the session's ``SessionChanged`` (or, from a background
job, emits ``sessionChanged``); ``reload`` then shows the session as it is, read-only if
this window lost the lock.

Secrecy: nothing here returns another team's orders for the turn in progress. The
facilitator's proposal (outcomes of the resolved turn) exists only in adjudication.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from wargame.ui.background import BackgroundJob
from wargame.ui.session_rows import SessionRow, list_sessions

log = logging.getLogger("wargame.ui")

__all__ = ["ExerciseController", "SessionRow", "app_owner", "list_sessions", "session_holder"]


def app_owner() -> str:
    """Who holds a session this app has open, as another window or program reads it:
    ``console (<user>@<host>)``."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        user = "someone"
    return f"console ({user}@{socket.gethostname()})"


def session_holder(db_path: str | Path, session_id: str):
    """Who holds a saved session now (the store's ``LockHolder``), or None: read without
    opening the session (the start screen asks before offering a resume)."""
    from wargame.store.store import SessionStore

    if not Path(db_path).exists():
        return None
    with SessionStore(db_path) as store:
        return store.locks.holder(session_id)


class ExerciseController(QObject):
    phaseChanged = Signal(str)
    turnCommitted = Signal(int)
    ordersSubmitted = Signal(str)  # team id (who, never what)
    resolved = Signal()
    busyChanged = Signal(bool)
    failed = Signal(str)
    changed = Signal()
    sessionChanged = Signal(str)  # a background write was refused: the session changed

    def __init__(self, exercise, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.busy = False
        self.auto_resolve = True
        self._jobs: set[BackgroundJob] = set()
        self._on_done = None
        self._last_phase = exercise.phase
        # keys from Exercise.unlock, kept for the console session (never the PINs in clear)
        self._facilitator_key = None
        self._team_keys: dict[str, Any] = {}
        self._baseline = None  # the baseline preview, made on first use
        # "now" for the orders clock (tests give a fake one; None: the wall clock)
        self.clock = None
        self._branches: list[str] | None = None  # this session and its branches

    # ---- making

    @classmethod
    def create(cls, db_path: str | Path, scenario, setup, scenario_path: str | None = None
               ) -> "ExerciseController":
        """A new session, held by this app (its lock) while it is open."""
        from wargame.session.exercise import Exercise

        teams = {team: {"controller": kind, "pin": setup.pins.get(team),
                        "posture": setup.postures.get(team)}
                 for team, kind in setup.controllers.items()}
        exercise = Exercise.create(str(db_path), scenario, setup.seed, teams,
                                   facilitator_pin=setup.facilitator_pin,
                                   turn_limit=setup.turn_limit,
                                   timer_seconds=setup.timer_seconds or None,
                                   owner=app_owner())
        controller = cls(exercise)
        controller._facilitator_key = exercise.unlock("facilitator", setup.facilitator_pin)
        return controller

    @classmethod
    def open(cls, db_path: str | Path, session_id: str, *, take_over=None,
             read_only: bool = False) -> "ExerciseController":
        """Open a saved session holding its lock; ``LockHeld`` (``wargame.store``) when
        another window or program holds it. ``take_over``: that error, after the user
        agreed to take the session over; ``read_only``: look without the lock."""
        from wargame.session.exercise import Exercise

        return cls(Exercise.open(str(db_path), session_id, owner=app_owner(),
                                 take_over=take_over, read_only=read_only))

    def close(self) -> None:
        QThreadPool.globalInstance().waitForDone(10000)
        self.exercise.close()

    # ---- one writer

    @property
    def read_only(self) -> bool:
        """Opened read-only (another window or program holds the session), or the session
        was taken over: nothing can be changed here."""
        return bool(self.exercise.read_only)

    @property
    def db_path(self) -> Path:
        return Path(self.exercise.store.path)

    def holder(self):
        """Who holds the session now (the store's ``LockHolder``), or None."""
        return self.exercise.store.locks.holder(self.session_id)

    def reload(self) -> bool:
        """Read the session again after a write was refused (``SessionChanged``); when
        this window's hold was taken over meanwhile, it becomes read-only. Returns True
        when it lost the session."""
        exercise = self.exercise
        lost = exercise.lock is not None and not exercise.holds_lock()
        if lost:
            exercise.become_read_only()
        exercise.reload()
        self._branches = None
        self._emit_phase()
        return lost

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

    def postures(self) -> dict[str, str]:
        """Bot teams with a posture chosen at set-up (others play the scenario's style)."""
        return {t.team: t.posture for t in self.exercise.teams if t.posture}

    def team_has_pin(self, team: str) -> bool:
        return self.exercise.session.team(team).pin_hash is not None

    def check_pin(self, team: str, pin: str) -> bool:
        """Is ``pin`` the team's? False too while the team must wait after too many wrong
        PINs (``pin_wait_seconds`` says how long); a right PIN's key is kept."""
        return self._unlock(team, pin)

    def facilitator_has_pin(self) -> bool:
        return self.exercise.session.facilitator_pin_hash is not None

    def check_facilitator_pin(self, pin: str) -> bool:
        """As ``check_pin``, for the facilitator."""
        return self._unlock("facilitator", pin)

    def _unlock(self, door: str, pin: str) -> bool:
        from wargame.session.errors import PinRequired
        from wargame.session.pin_guard import PinWait

        try:
            key = self.exercise.unlock(door, pin)
        except (PinRequired, PinWait):
            return False
        if door == "facilitator":
            self._facilitator_key = key
        else:
            self._team_keys[door] = key
        return True

    def pin_wait_seconds(self, door: str) -> float:
        """Seconds until ``door`` (a team id or "facilitator") takes another PIN after
        repeated wrong ones (0: now)."""
        return self.exercise.pin_guard.wait_seconds(door)

    def team_pin_known(self, team: str) -> bool:
        return not self.team_has_pin(team) or team in self._team_keys

    def facilitator_pin_known(self) -> bool:
        return not self.facilitator_has_pin() or self._facilitator_key is not None

    # ---- what may be done now: the session's phase table (``Exercise.allowed_commands``)

    def allowed(self) -> frozenset[str]:
        """The facilitator's commands possible now (the phase table, the pause, a
        read-only window), as command names; nothing while a job runs."""
        from wargame.session.visibility import Viewer

        if self.busy:
            return frozenset()
        return frozenset(str(c) for c in self.exercise.allowed_commands(Viewer.facilitator()))

    def may(self, command: str) -> bool:
        """May the facilitator give ``command`` (a ``session.phases.Command`` name) now?"""
        return command in self.allowed()

    def teams_may_submit(self) -> bool:
        """May a team give its orders now (the orders are open, or opened by the first
        submission), by the phase table?"""
        from wargame.session.visibility import Viewer

        humans = self.exercise.human_teams
        return bool(humans) and not self.busy and "submit_orders" in {
            str(c) for c in self.exercise.allowed_commands(Viewer.of_team(humans[0]))}

    def submitted_teams(self) -> set[str]:
        if self.phase not in ("briefing", "orders", "adjudication"):
            return set()
        return set(self.exercise.submitted_teams())

    def pending_human_teams(self) -> list[str]:
        """Human teams that have still to submit this turn (before the orders open: all)."""
        if self.phase not in ("briefing", "orders"):
            return []
        humans = set(self.exercise.human_teams)
        return [t for t in self.exercise.waiting_for() if t in humans]

    def timer_remaining(self) -> float | None:
        """Seconds left for orders (None: no timer, not the orders phase, or resolving)."""
        if self.busy:
            return None
        return self.exercise.timer_remaining(self.clock() if self.clock else None)

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

    def notes(self) -> list[tuple[int, str]]:
        """(event, line) of each note of the live line, as currently written."""
        return [(n.seq, f"Turn {n.turn} ({n.phase or ''}): {n.text}"
                 + (" (edited)" if n.edited_at else "")) for n in self.exercise.notes()]

    def note_text(self, seq: int) -> str:
        return next((n.text for n in self.exercise.notes() if n.seq == seq), "")

    def edit_note(self, seq: int, text: str) -> None:
        self.exercise.edit_note(seq, text, self._facilitator_key)
        self.changed.emit()

    def delete_note(self, seq: int) -> None:
        self.exercise.delete_note(seq, self._facilitator_key)
        self.changed.emit()

    @property
    def session_name(self) -> str:
        """The session's name, or its short id when it has none."""
        return self.exercise.name or self.session_id[:8]

    def fork_label(self) -> str:
        """'fork of Tuesday group at turn 2', or '' for a session that is no fork."""
        record = self.exercise.session
        if not record.parent_session:
            return ""
        try:
            parent = self.exercise.store.session(record.parent_session)
            name = parent.name or parent.id[:8]
        except Exception:  # noqa: BLE001 - the parent was deleted: its short id
            name = record.parent_session[:8]
        return f"fork of {name} at turn {record.parent_turn}"

    def rename(self, name: str) -> str:
        stored = self.exercise.rename(name, self._facilitator_key)
        self.changed.emit()
        return stored

    def indicators_history(self) -> list:
        """The engine's typed ``TurnIndicators`` of every committed turn, oldest first (read
        back from the store and validated there: ``Exercise.indicators``)."""
        return [indicators for _turn, indicators in self.exercise.indicators()]

    def rewind_targets(self) -> list[int]:
        return list(range(1, self.exercise.state.turn + 1))

    def inject_marks(self) -> dict[str, str]:
        """What the picker says of each deck inject this turn (the session's inject board):
        'scheduled this turn', 'drawn to fire this turn', 'fired this turn', 'turn 4'..."""
        turn = self.turn
        says = {"scheduled": "scheduled this turn", "random": "drawn to fire this turn",
                "conditional": "fires this turn (its condition holds)",
                "follow-up": "fires this turn (a follow-up)"}
        marks: dict[str, str] = {}
        for item in self.exercise.inject_board():
            if item.state == "fired" and item.turn == turn:
                marks[item.inject_id] = "fired this turn"
            elif item.state == "due" and item.inject_id not in marks:
                marks[item.inject_id] = says.get(item.how, "fires this turn")
            elif item.state == "upcoming" and item.turn is not None \
                    and item.inject_id not in marks:
                marks[item.inject_id] = f"turn {item.turn}"
        return marks

    def hand_fired(self) -> list[tuple[int, str]]:
        """(event, title) of the injects fired by hand this turn and not retracted."""
        turn = self.turn
        return [(item.fired_seq, item.title) for item in self.exercise.inject_board()
                if item.state == "fired" and item.how == "by hand" and item.turn == turn
                and item.fired_seq is not None]

    def injects_due(self, include_fired: bool = True) -> list[str]:
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
        if include_fired:
            for fired in self.exercise.fired_injects():
                now.append("Fired by the facilitator: " + self._inject_title(fired))
        return now + later

    def _inject_title(self, inject: Any) -> str:
        """A deck inject's id, or an inject fired by hand (an engine ``Inject``)."""
        if not isinstance(inject, str):
            return inject.title
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
        typed ``TeamView``; before the first turn, of the baseline world: ``baseline``
        True) and the session's last turn (for 'arrives after the end')."""
        state = self.exercise.state
        index = self.scenario.team_index[team]
        view = self.exercise.team_view(team)
        baseline = view.own is None
        if baseline:  # before the first turn: the baseline world, not an empty screen
            from wargame.engine import team_view

            view = team_view(self.scenario, state, team, self.baseline_indicators())
        return {"budget": float(state.budget[index]),
                "capital": float(state.political_capital[index]),
                "view": view, "baseline": baseline, "last_turn": self.turn_limit}

    def validate(self, team: str, entry: dict, already: list[dict]) -> list[str]:
        """The live check: the session's one order check (``Exercise.check_orders``) on
        the draft so far plus this entry."""
        entries = [*already, entry]
        check = self.exercise.check_orders(team, [{"move": e["move"], "params": e["params"]}
                                                  for e in entries])
        return list(check.problems.get(len(entries) - 1, ()))

    def save_draft(self, team: str, entries: list[dict]) -> None:
        """Keep the team's unsubmitted orders, sealed (the session's drafts: only the team
        reads them back), so a crash or a quit loses nothing."""
        self.exercise.save_draft(team, [{"move": e["move"], "params": e["params"]}
                                        for e in entries], self._team_keys.get(team))

    def saved_draft(self, team: str) -> list[dict]:
        """The team's kept draft for this turn, as draft entries (empty: none)."""
        draft = self.exercise.draft(team, self._team_keys.get(team))
        return [{"move": o.move, "params": dict(o.params)} for o in draft.orders] \
            if draft is not None else []

    def teams_with_drafts(self) -> set[str]:
        """Teams with a kept draft this turn (who, never what)."""
        return set(self.exercise.teams_with_drafts())

    def heartbeat(self) -> None:
        """Tell other openers this app still has the session open (the orders clock counts
        only while one does); raises the session's ``SessionChanged`` if another app took
        it over."""
        self.exercise.heartbeat()

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
        job = BackgroundJob(fn, self.exercise.store)
        self._jobs.add(job)
        self._on_done = on_done
        job.signals.done.connect(self._job_done)
        job.signals.failed.connect(self._job_failed)
        job.signals.stale.connect(self._job_stale)
        QThreadPool.globalInstance().start(job)

    def _job_over(self) -> None:
        self._jobs.clear()
        self.busy = False
        self.busyChanged.emit(False)

    @Slot(object)
    def _job_done(self, result) -> None:
        self._job_over()
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done(result)

    @Slot(str)
    def _job_failed(self, message: str) -> None:
        self._job_over()
        self._on_done = None
        self.failed.emit(message)
        self._emit_phase()

    @Slot(str)
    def _job_stale(self, message: str) -> None:
        self._job_over()
        self._on_done = None
        self.sessionChanged.emit(message)

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
        # the facilitator sees every explanation (the engine's typed ``Explanation``s);
        # those naming a covert move are marked when shown
        return {"outcomes": outcomes, "orders": orders,
                "explanations": list(result.explanations)}

    def override(self, order_id: str, status: str, reason: str, param: str | None = None,
                 factor: float | None = None) -> None:
        """The facilitator's ruling: ``rejected`` (set aside), ``accepted`` (admitted) or
        ``scaled`` (``param`` multiplied by ``factor``); the exercise re-resolves the turn
        with it, off the UI thread too."""
        key = self._facilitator_key
        self._run(lambda: self.exercise.override(order_id, reason, status, key, param=param,
                                                 factor=factor),
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

    def fire_inject(self, inject_id: str, force: bool = False) -> None:
        """Fire a deck inject by hand; one due or fired this turn raises the session's
        ``InjectAlreadyDue`` unless ``force`` (the facilitator confirmed)."""
        self.exercise.fire_inject(inject_id, self._facilitator_key, force=force)
        self.changed.emit()

    def retract_inject(self, fired_seq: int, reason: str) -> None:
        """Take back an inject fired by hand this turn, before the orders open."""
        self.exercise.retract_inject(fired_seq, reason, self._facilitator_key)
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

    def rewind(self, turn: int, reason: str):
        """Back to the start of ``turn`` for a written reason; returns the archived branch
        (the turns and events set aside, kept); the session logs it in the notes."""
        branch = self.exercise.rewind(turn, reason, self._facilitator_key)
        self._emit_phase()
        return branch

    def fork(self, turn: int) -> "ExerciseController":
        """A new session from the start of ``turn``, held by this app (a read-only window
        may fork too: the fork is a session of its own)."""
        fork = ExerciseController(self.exercise.fork(turn, self._facilitator_key,
                                                     owner=app_owner()))
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

    def after_action_report(self, audience: str = "facilitator", team: str | None = None):
        """The report of this session as it stands (``wargame.report``), in the edition of
        ``audience`` ("facilitator", "public", or "team" with ``team``), with the key given
        for its door in this window: reads only. ``PinRequired`` when that PIN was not
        given yet."""
        from wargame.report.gather import exercise_report, viewer_of

        key = self._facilitator_key if audience == "facilitator" else (
            self._team_keys.get(team) if audience == "team" else None)
        return exercise_report(self.exercise, viewer_of(audience, team), key=key)

    def luck_sections(self, runs: int):
        """What "Was it luck?" adds to the report (``wargame.report_analysis``, as
        ``wargame report --luck N``): a function of ``on_progress`` for a background job,
        which reads the store through its own connection."""
        from wargame.report_analysis import luck_sections

        db, session_id, scenario = self.db_path, self.session_id, self.scenario
        return lambda on_progress: luck_sections(db, session_id, scenario, runs,
                                                 on_progress=on_progress)

    # ---- batch analysis in the debrief: "was it luck?" and branches

    def luck_job(self, runs: int) -> BackgroundJob:
        """A job (start it on the pool) that re-runs the session's committed turns with
        ``runs`` other seeds: ``done`` gives the analysis' ``LuckReport``, ``progress`` the
        re-runs finished per batch. Reads the store through its own connection."""
        from wargame.analysis.luck import luck_report
        from wargame.analysis.session_reader import read_session

        db, session_id = self.db_path, self.session_id
        return BackgroundJob(lambda on_progress: luck_report(
            read_session(db, session_id), runs, on_progress=on_progress), with_progress=True)

    def branch_sessions(self) -> list[str]:
        """The session and its branches: its parent (when it is a fork) and the parent's
        other forks, or its own forks; the first is the line the others branch from. Read
        once (menus ask often); ``reload`` reads it again."""
        if self._branches is None:
            self._branches = self._read_branch_sessions()
        return list(self._branches)

    def _read_branch_sessions(self) -> list[str]:
        store = self.exercise.store
        record = self.exercise.session
        root = record.parent_session or record.id
        try:
            store.session(root)
        except Exception:  # noqa: BLE001 - the parent was deleted: this session's forks
            root = record.id
        forks = [s.id for s in store.list_sessions() if s.parent_session == root]
        return [root, *forks]

    def branches_job(self) -> BackgroundJob:
        """A job whose ``done`` gives (``BranchComparison``, {session id: display name}) of
        this session and its branches (``branch_sessions``, at most 7)."""
        from wargame.analysis.compare import compare_sessions
        from wargame.analysis.session_reader import read_session
        from wargame.report_analysis import MAX_COMPARED_FORKS
        from wargame.store.store import SessionStore

        db = self.db_path
        ids = self.branch_sessions()[:MAX_COMPARED_FORKS + 1]

        from wargame.ui.branch_view import branch_label

        title = self.scenario.title

        def work():
            with SessionStore(db) as store:
                records = [store.session(session_id) for session_id in ids]
            names = {r.id: branch_label(r.name, title, r.id,
                                        r.parent_turn if r.parent_session else None)
                     for r in records}
            return compare_sessions([read_session(db, i) for i in ids]), names

        return BackgroundJob(work)

    # ---- public debrief

    def revealed(self, turn: int | None = None):
        """Committed turn ``turn`` (default: the last) as everyone may now see it, a typed
        ``report.revealed.RevealedTurn``: every team's orders with their outcome, the
        public explanations, the events and the overrides. None before the first commit."""
        from wargame.report.revealed import revealed_turn

        return revealed_turn(self.exercise, turn)

    def committed_turns(self) -> list[int]:
        return self.exercise.committed_turns()

    def baseline_indicators(self):
        """The baseline world before any turn is played (the engine's quiet preview,
        nothing committed): what the first briefing, the map and the team screens show."""
        if self._baseline is None:
            from wargame.engine import baseline_preview

            self._baseline = baseline_preview(self.scenario)
        return self._baseline

    def capacity_arrivals(self, team: str, entry: dict) -> list:
        """When the capacity a draft order would build arrives (``engine.capacity_arrivals``)."""
        from wargame.engine import capacity_arrivals

        return capacity_arrivals(self.scenario, team, entry["move"], entry["params"],
                                 self.turn)
