"""The application window: start screen, facilitator console, hand-over curtain and team
screen in one stack, with menus and shortcuts for every main action.

Modal questions go through a :class:`Prompts` object so tests can script the answers
while still driving the real widgets (``window.prompts = ScriptedPrompts(...)``).
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wargame.report.panels import count_of
from wargame.ui import settings
from wargame.ui.console import Console
from wargame.ui.curtain import Curtain
from wargame.ui.dialogs import ask_pin, ask_text, show_error
from wargame.ui.read_only_banner import ReadOnlyBanner
from wargame.ui.session_rows import SessionRow
from wargame.ui.start_screen import StartScreen
from wargame.ui.team_screen import TeamScreen

log = logging.getLogger("wargame.ui")
FACILITATOR = "facilitator"
WINDOW_TITLE = "Critical-minerals crisis exercise"
PROJECTOR_IN_A_WINDOW = "In a window on this screen (F11: full screen)"


def map_turn(ctl, history: list) -> tuple:
    """(indicators, the turn before, caption note) the map shows: the flows of the last
    turn played, said as such ("flows of turn 2 (last played)" while turn 3 is on), or the
    baseline world before any turn."""
    if not history:
        return ctl.baseline_indicators(), None, "baseline: a quiet turn, before turn 1"
    current = history[-1]
    previous = history[-2] if len(history) > 1 else None
    return current, previous, f"flows of turn {current.turn} (last played)"


def world_panel_html(ctl) -> str:
    """The briefing's world panel: the last committed turn's figures, or before any turn
    the baseline world (the engine's preview, nothing committed)."""
    from wargame.report.briefing import world_html

    history = ctl.indicators_history()
    heading = f"<h3>The world at the start of turn {ctl.turn}</h3>"
    if history:
        return heading + world_html(ctl.scenario, history[-1])
    return heading + world_html(ctl.scenario, ctl.baseline_indicators(), baseline=True)


class Prompts:
    """Every modal question the window asks; replaced by scripted answers in tests."""

    def __init__(self, window: QWidget) -> None:
        self.window = window

    def setup(self, scenario):
        from wargame.ui.setup_dialog import SetupDialog

        dialog = SetupDialog(scenario, self.window)
        return dialog.result_setup() if dialog.exec() else None

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self.window, title, text) == QMessageBox.StandardButton.Yes

    def text(self, title: str, label: str, multiline: bool = False) -> str | None:
        return ask_text(self.window, title, label, multiline)

    def pin(self, title: str, label: str, check=None, wait_seconds=None) -> str | None:
        """A PIN, typed masked (the laptop may be mirrored to the projector). With
        ``check``, only a right PIN (the dialog says "Wrong PIN" and, after repeated wrong
        ones, how long to wait)."""
        return ask_pin(self.window, title, label, check, wait_seconds)

    def lock_held(self, text: str, can_take_over: bool) -> str | None:
        """Another window or program holds the session: "read_only", "take_over" (offered
        only when it seems to have stopped) or None."""
        box = QMessageBox(QMessageBox.Icon.Information, "The session is open elsewhere", text,
                          QMessageBox.StandardButton.Cancel, self.window)
        read_only = box.addButton("Open &read-only", QMessageBox.ButtonRole.AcceptRole)
        take_over = box.addButton("&Take over…", QMessageBox.ButtonRole.DestructiveRole) \
            if can_take_over else None
        box.setDefaultButton(read_only)
        box.exec()
        clicked = box.clickedButton()
        return "read_only" if clicked is read_only else (
            "take_over" if take_over is not None and clicked is take_over else None)

    def report_options(self, scenario, luck_possible: bool):
        """The report's edition and "Was it luck?" (``ReportOptionsDialog``), or None."""
        from wargame.ui.report_export import ReportOptionsDialog

        dialog = ReportOptionsDialog(scenario, luck_possible, self.window)
        try:
            return dialog.options() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def choose(self, title: str, label: str, items: list[str]) -> str | None:
        if not items:
            return None
        value, ok = QInputDialog.getItem(self.window, title, label, items, 0, False)
        return value if ok else None

    def override(self, scenario, order: dict, outcome: dict):
        """The facilitator's ruling on one order (``OverrideDialog``), or None."""
        from wargame.ui.override_dialog import OverrideDialog

        dialog = OverrideDialog(scenario, order, outcome, self.window)
        try:
            return dialog.choice() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def white_cell(self, scenario, entries, validate, turn):
        from wargame.ui.white_cell import WhiteCellDialog

        dialog = WhiteCellDialog(scenario, entries, validate, turn, self.window)
        try:
            return dialog.entries() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def open_scenario(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open scenario", "",
                                              "Scenario files (*.yaml *.yml);;All files (*)")
        return path or None

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.window, title, text)

    def scenario_problems(self, path: str, error: BaseException, load):
        """Every problem of a scenario file, watched until it is fixed: the fixed
        scenario, or None when the designer closes the list."""
        from wargame.ui.scenario_problems import ScenarioProblemsDialog

        dialog = ScenarioProblemsDialog(path, error, load, self.window)
        try:
            return dialog.scenario if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def hot_wash(self, teams, current):
        from wargame.ui.hot_wash import HotWashDialog

        dialog = HotWashDialog(teams, current, self.window)
        try:
            return dialog.result_hot_wash if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def report_target(self, suggested: str) -> tuple[str, str] | None:
        """Where to write the report and in which format: (path, "html"|"pdf"|"xlsx"|"csv")."""
        from wargame.ui.report_export import ask_report_target

        return ask_report_target(self.window, suggested)


class MainWindow(QMainWindow):
    def __init__(self, db_path: str | Path | None = None, scenario_path: str | None = None,
                 populate: bool = True) -> None:
        super().__init__()
        # the app's display name ("wargame") is added by the platform, once
        self.setWindowTitle(WINDOW_TITLE)
        self.setObjectName("MainWindow")
        QTimer.singleShot(0, self._set_icon_if_missing)  # after the first paint
        self.db_path = Path(db_path) if db_path else None
        self.initial_scenario = scenario_path
        self.prompts = Prompts(self)
        from wargame.ui.start_loader import ScenarioCache

        self.scenarios = ScenarioCache()
        self.start_ready = False  # True once the start screen's background read is shown
        self.ask_before_quit = True  # tests' teardown turns it off
        self._start_job = None
        self.controller = None
        self.projector = None
        self.guide = None
        self._pending_curtain_after_submit = True

        self.stack = QStackedWidget()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.read_only_banner = ReadOnlyBanner()
        self.read_only_banner.reloadRequested.connect(self.reload_session)
        self.read_only_banner.takeOverRequested.connect(self.take_over_session)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # "now" for the lock's ages and the orders clock (tests give a fake one)
        self.now = lambda: datetime.now(timezone.utc)
        self.start = StartScreen()
        self.console = Console()
        self.curtain = Curtain()
        self.team_screen = TeamScreen()
        for widget in (self.start, self.console, self.curtain, self.team_screen):
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(self.start)
        self.timer_label = QLabel()
        self.statusBar().addPermanentWidget(self.timer_label)

        self.start.newExerciseRequested.connect(self.new_exercise)
        self.start.openScenarioRequested.connect(self.open_scenario)
        self.start.resumeRequested.connect(self.resume_session)
        self.start.replayRequested.connect(self.replay_saved)
        self.curtain.unlocked.connect(self._curtain_unlocked)
        self.curtain.facilitatorRequested.connect(self.facilitator_entry)
        self.team_screen.submitted.connect(self._team_submitted)
        c = self.console
        c.handOverRequested.connect(self.hand_over)
        c.resolveRequested.connect(self.resolve)
        c.commitRequested.connect(self.commit)
        c.overrideRequested.connect(self.override)
        c.nextTurnRequested.connect(self.next_turn)
        c.fireInjectRequested.connect(self.fire_inject)
        c.freeInjectRequested.connect(self.free_inject)
        c.addNoteRequested.connect(self.add_note)
        c.whiteCellRequested.connect(self.white_cell)
        c.closeOrdersRequested.connect(self.close_orders)
        c.debriefTurnChosen.connect(self.show_debrief_turn)
        c.retractInjectRequested.connect(self.retract_inject)
        c.editNoteRequested.connect(self.edit_note)
        c.deleteNoteRequested.connect(self.delete_note)
        c.luckRequested.connect(lambda: self.act_luck.trigger())
        c.branchesRequested.connect(lambda: self.act_branches.trigger())
        self._debrief_turn: int | None = None  # None: the last committed turn

        self._build_menus()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._heartbeat = QTimer(self)  # the session knows this app has it (see attach)
        self._heartbeat.timeout.connect(self._beat)
        self._restore_layout()
        self._update_actions()
        if populate:
            QTimer.singleShot(0, self.populate_start)

    def _set_icon_if_missing(self) -> None:
        """When the app did not install its icon (tests, scripts), the window sets one."""
        if QApplication.windowIcon().isNull():
            from wargame.ui.icon import app_icon

            self.setWindowIcon(app_icon())

    # ------------------------------------------------------------------ menus

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _facilitator_action(self, menu, text: str, slot, shortcut=None, tip: str = "",
                            to_console: bool = True) -> QAction:
        """A menu action only the facilitator may take: see :meth:`facilitator_may`."""
        what = text.replace("&", "").rstrip("…")
        return self._action(menu, text,
                            lambda: self.facilitator_may(what, to_console) and slot(),
                            shortcut, tip)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        f = bar.addMenu("&File")
        fa = self._facilitator_action
        self.act_new = fa(f, "&New exercise…", self._new_from_start,
                          QKeySequence.StandardKey.New,
                          "Set up a new exercise from the selected scenario")
        self.act_open = fa(f, "&Open scenario file…", self.open_scenario,
                           QKeySequence.StandardKey.Open)
        self.act_home = fa(f, "&Start screen", self.go_home, "Ctrl+Shift+H",
                           "Back to the start screen (the session stays saved)")
        self.act_export = fa(f, "Export &report…", self.export_report, "Ctrl+Shift+X",
                             "Write the after-action report (HTML, PDF, spreadsheet or CSV)")
        f.addSeparator()
        # Ctrl+Q spelled out: some platforms (offscreen) bind no standard Quit key
        self.act_quit = self._action(f, "&Quit", self.close, "Ctrl+Q")

        e = bar.addMenu("&Edit")
        self.act_undo = self.team_screen.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.act_redo = self.team_screen.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        e.addAction(self.act_undo)
        e.addAction(self.act_redo)

        x = bar.addMenu("E&xercise")
        self.act_handover = self._action(x, "Start &orders / hand over", self.hand_over,
                                         "Ctrl+H", "Pass the laptop to the next team")
        self.act_resolve = self._action(x, "&Resolve turn", self.resolve, "Ctrl+R")
        self.act_close_orders = fa(
            x, "&Close orders now", self.close_orders, "Ctrl+Shift+C",
            "Resolve the turn now; teams that have not submitted give no orders")
        self.act_override = self._action(x, "O&verride outcome…",
                                         lambda: self.console._override_clicked(), "Ctrl+E")
        self.act_commit = self._action(x, "&Commit turn", self.commit, "Ctrl+Return")
        self.act_next = self._action(x, "&Next turn", self.next_turn, "Ctrl+T")
        x.addSeparator()
        self.act_inject = fa(x, "Free-text &inject…", self.free_inject, "Ctrl+I")
        self.act_white_cell = fa(
            x, "&White-cell order…", self.white_cell, "Ctrl+Shift+W",
            "Order any move as the white cell (paid by no team; sealed until resolution)")
        # a note or a pause leaves the curtain down (the room sees "paused" on it)
        self.act_note = fa(x, "Add n&ote…", self.add_note, "Ctrl+Shift+N", to_console=False)
        self.act_pause = fa(x, "&Pause", self.toggle_pause, "Ctrl+P", to_console=False)
        self.act_rewind = fa(x, "Re&wind to turn…", self.rewind, "Ctrl+Shift+R")
        self.act_fork = fa(x, "&Fork from turn…", self.fork, "Ctrl+Shift+F")
        self.act_rename = fa(x, "Rena&me session…", self.rename_session, None,
                             "Give this session a name (the start screen lists it)")
        self.act_end = fa(x, "&End exercise", self.end_exercise, "Ctrl+Shift+E")
        self.act_hot_wash = fa(x, "&Hot wash…", self.hot_wash, "Ctrl+Shift+K",
                               "What went well, what to improve, who does what by when")

        v = bar.addMenu("&View")
        self.act_projector = self._action(v, "&Projector", self.toggle_projector, "F5",
                                          "Open the public projector view")
        self.act_dark = QAction("&Dark palette", self, checkable=True)
        self.act_dark.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.act_dark.toggled.connect(self.set_dark)
        v.addAction(self.act_dark)
        self.act_full = self._action(v, "&Full screen", self.toggle_full_screen, "F11")
        self.act_replay = fa(v, "&Replay browser…", self.open_replay, "Ctrl+Shift+B",
                             "Step through the session's turns (reads only)")
        self.act_luck = fa(v, "Was it &luck?…", self.open_luck, "Ctrl+Shift+L",
                           "Re-run the session's orders with other seeds: where the real "
                           "outcome sits among them")
        self.act_branches = fa(v, "Compare &branches…", self.open_branches, "Ctrl+Shift+G",
                               "This session and its forks, turn by turn, side by side")
        self.act_reload = self._action(v, "Reloa&d the session", self.reload_session, "Ctrl+F5",
                                       "Read the session again from its file")

        h = bar.addMenu("&Help")
        self.act_guide = self._action(h, "&How to run an exercise", self.show_guide, "F1",
                                      "A step-by-step guide for the facilitator, with pictures")
        self._action(h, "&About", self.about)

    def _update_actions(self) -> None:
        """Enable what the session's phase table allows now (``controller.may``: phase,
        pause, read-only), where it does something: actions that move the turn on act at
        the console; the facilitator's other actions also work from a team's curtain,
        where they first ask for the facilitator PIN (:meth:`facilitator_may`); while a
        team is drafting, none of them."""
        ctl = self.controller
        current = self.stack.currentWidget()
        at_console = current is self.console
        at_curtain = current is self.curtain
        in_team = current is self.team_screen
        may = ctl.may if ctl is not None else (lambda _command: False)
        facilitator_here = at_console or at_curtain
        proposal = ctl is not None and ctl.has_proposal
        self.act_handover.setEnabled(at_console and ctl is not None and not ctl.paused and (
            may("begin_orders") or ctl.teams_may_submit()))
        self.act_resolve.setEnabled(at_console and may("close_orders") and not proposal)
        self.act_close_orders.setEnabled(facilitator_here and may("close_orders")
                                          and not proposal)
        self.act_override.setEnabled(at_console and may("override") and proposal)
        self.act_commit.setEnabled(at_console and may("commit") and proposal)
        self.act_next.setEnabled(at_console and may("next_turn"))
        self.act_note.setEnabled(facilitator_here and may("add_note"))
        self.act_pause.setEnabled(facilitator_here and (may("pause") or may("resume")))
        self.act_rewind.setEnabled(facilitator_here and may("rewind"))
        self.act_fork.setEnabled(facilitator_here and may("fork"))
        self.act_rename.setEnabled(facilitator_here and may("rename"))
        self.act_end.setEnabled(facilitator_here and may("end"))
        self.act_inject.setEnabled(at_console and may("fire_inject"))
        self.act_white_cell.setEnabled(facilitator_here and may("submit_facilitator_orders"))
        for act in (self.act_new, self.act_open, self.act_home):
            act.setEnabled(not in_team and not (ctl is not None and ctl.busy))
        self.act_projector.setEnabled(ctl is not None)
        for act in (self.act_export, self.act_replay):
            act.setEnabled(facilitator_here and may("export"))
        self.act_hot_wash.setEnabled(facilitator_here and may("record_hot_wash"))
        turns_played = ctl is not None and bool(ctl.committed_turns())
        self.act_luck.setEnabled(facilitator_here and may("export") and turns_played)
        self.act_branches.setEnabled(facilitator_here and may("export")
                                     and len(ctl.branch_sessions()) > 1)
        self.act_reload.setEnabled(ctl is not None and not in_team
                                   and not (ctl is not None and ctl.busy))
        self.console.set_analysis_enabled(self.act_luck.isEnabled(),
                                          self.act_branches.isEnabled())
        self.act_pause.setText("Res&ume" if ctl is not None and ctl.paused else "&Pause")

    # ------------------------------------------------------------------ the facilitator

    def facilitator_may(self, what: str, to_console: bool = True) -> bool:
        """May the facilitator's action ``what`` go ahead here? At the console or the start
        screen yes: whoever sees the console came in as the facilitator (created the
        session, resumed it with the PIN, or opened a curtain with it). At a team's curtain
        the facilitator PIN is asked (masked: the laptop may be mirrored to the projector),
        and then the console comes up (unless ``to_console`` is False). While a team is
        drafting, never."""
        ctl = self.controller
        current = self.stack.currentWidget()
        if ctl is None or current in (self.console, self.start):
            return True
        if current is self.team_screen:
            return False
        if not self.ask_facilitator_pin(ctl, what):
            return False
        if to_console:
            self.show_console()
            self.refresh()
        return True

    def ask_facilitator_pin(self, ctl, what: str) -> bool:
        """The facilitator PIN for ``what`` (True at once when none is set): masked, checked
        in the dialog, which shows the wait after repeated wrong PINs."""
        if not ctl.facilitator_has_pin():
            return True
        return self.prompts.pin(
            "Facilitator PIN", f"{what}: enter the facilitator PIN.",
            check=ctl.check_facilitator_pin,
            wait_seconds=lambda: ctl.pin_wait_seconds(FACILITATOR)) is not None

    def ask_team_pin(self, ctl, team: str, what: str) -> bool:
        """A team's PIN for ``what`` (True at once when it has none or gave it here)."""
        if ctl.team_pin_known(team):
            return True
        name = ctl.scenario.team(team).name
        return self.prompts.pin(
            f"PIN of {name}", f"{what}: enter the PIN of {name}.",
            check=lambda pin: ctl.check_pin(team, pin),
            wait_seconds=lambda: ctl.pin_wait_seconds(team)) is not None

    def facilitator_entry(self) -> None:
        """The curtain's way in for the facilitator (with the PIN): to the console, where
        Close orders, Pause and the rest are."""
        if self.stack.currentWidget() is self.curtain:
            self.facilitator_may("Facilitator console")

    def _may_quit(self) -> bool:
        """Quitting in the middle of a turn asks first; away from the console it is the
        facilitator's decision (PIN), and a team's unsubmitted draft is named."""
        ctl = self.controller
        if ctl is None or ctl.ended or ctl.read_only:
            return True  # a read-only window has nothing to lose
        current = self.stack.currentWidget()
        drafting = current is self.team_screen and self.team_screen.team_id is not None
        if current is not self.console and not self.ask_facilitator_pin(ctl, "Quit"):
            return False
        if drafting and len(self.team_screen.draft):
            team = ctl.scenario.team(self.team_screen.team_id).name
            count = len(self.team_screen.draft)
            return self.prompts.confirm(
                "Quit while a team is drafting?",
                f"{team} has {count_of(count, 'order')} drafted and not submitted. The draft "
                "is kept, sealed: it comes back when the team opens its screen again. "
                "Quit now?")
        if ctl.phase in ("orders", "adjudication") or current is not self.console:
            return self.prompts.confirm(
                "Quit during the turn?",
                f"Turn {ctl.turn} is in progress ({ctl.phase}). Everything submitted so "
                "far is saved, and the start screen will offer to continue this session. "
                "Quit now?")
        return True

    # ------------------------------------------------------------------ start

    def database_path(self) -> Path:
        if self.db_path is None:
            self.db_path = settings.default_database_path()
        return self.db_path

    def populate_start(self) -> None:
        """Fill the start screen (scenario details, saved sessions) from a background job,
        so the window paints first and says "Loading scenarios…" meanwhile."""
        from PySide6.QtCore import QThreadPool

        from wargame.ui.start_loader import StartDataJob

        self.start_ready = False
        self.start.set_loading(True)
        job = StartDataJob(self.initial_scenario, self.database_path())
        job.setAutoDelete(False)
        job.signals.done.connect(self._start_data_read)
        self._start_job = job  # kept alive until its signal has been delivered
        QThreadPool.globalInstance().start(job)

    def _start_data_read(self, data) -> None:
        self._start_job = None
        self.start.scenario_list.clear()
        for entry in data.scenarios:
            if entry.scenario is not None and entry.digest:
                self.scenarios.put(entry.path, entry.digest, entry.scenario)
            self.start.add_scenario(entry.path, entry.scenario, entry.error)
        if self.initial_scenario:
            for row in range(self.start.scenario_list.count()):
                item = self.start.scenario_list.item(row)
                if Path(item.data(Qt.ItemDataRole.UserRole)).resolve() == \
                        Path(self.initial_scenario).resolve():
                    self.start.scenario_list.setCurrentRow(row)
        self.start.set_recent(settings.recent_files())
        self.start.set_loading(False)
        self.start.status.setText(f"Sessions are saved in {self.database_path()}")
        self._show_sessions(data.sessions, data.sessions_error)
        self.start_ready = True
        self.offer_interrupted(data.sessions)

    def _played_elsewhere(self, session_id: str) -> bool:
        """Whether a running window or program holds the session (its heartbeat is fresh)."""
        from wargame.session.lock import holder_seems_gone
        from wargame.ui.controller import session_holder

        try:
            holder = session_holder(self.database_path(), session_id)
        except Exception:  # noqa: BLE001 - the resume offer then asks as before
            return False
        return holder is not None and not holder_seems_gone(holder, self.now())

    def _show_sessions(self, rows: list[SessionRow], error: str | None = None) -> None:
        self.start.set_sessions(rows)
        if error:
            self.start.status.setText(f"Saved sessions could not be read: {error}")
        last = settings.get("session/last")
        known = {row.id: row for row in rows}
        row = known.get(str(last)) if last else None
        self.start.offer_resume(row if row is not None and row.status != "ended" else None)

    def refresh_sessions(self) -> None:
        from wargame.ui.controller import list_sessions

        try:
            self._show_sessions(list_sessions(self.database_path()))
        except Exception as exc:  # noqa: BLE001
            self._show_sessions([], str(exc))

    def offer_interrupted(self, rows: list[SessionRow] | None = None) -> None:
        """After a crash (a session was open when the app last stopped), offer to resume."""
        last = settings.get("session/open")
        if not last:
            return
        if rows is None:
            from wargame.ui.controller import list_sessions

            try:
                rows = list_sessions(self.database_path())
            except Exception:  # noqa: BLE001
                return
        known = {row.id: row for row in rows}
        row = known.get(str(last))
        if row is None or row.status == "ended":
            settings.put("session/open", "")
            return
        if self._played_elsewhere(str(last)):
            return  # not a crash: another window of this app plays it now
        if self.prompts.confirm("Resume the exercise?",
                                f"The app stopped while '{row.scenario}' was open at turn "
                                f"{row.turn} ({row.phase}). Resume exactly there?"):
            self.resume_session(str(last))

    def _new_from_start(self) -> None:
        path = self.start.selected_scenario_path()
        if path:
            self.new_exercise(path)
        else:
            self.open_scenario()

    def open_scenario(self) -> None:
        path = self.prompts.open_scenario()
        if path:
            self.new_exercise(path)

    def new_exercise(self, path: str) -> bool:
        from wargame.ui.controller import ExerciseController

        try:
            # parsed once, on the start screen's background job: the dialog opens at once
            scenario = self.scenarios.load(path)
        except Exception as exc:  # noqa: BLE001
            if not getattr(exc, "problems", None):
                show_error(self, "Cannot open scenario", exc)
                return False
            # a file with problems: list them all and wait for the designer's fix
            scenario = self.prompts.scenario_problems(path, exc,
                                                      lambda: self.scenarios.load(path))
            if scenario is None:
                return False
        setup = self.prompts.setup(scenario)
        if setup is None:
            return False
        settings.add_recent_file(str(Path(path).resolve()))
        try:
            controller = ExerciseController.create(self.database_path(), scenario, setup,
                                                   scenario_path=path)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Cannot start the exercise", exc)
            return False
        self.attach(controller)
        return True

    def resume_session(self, session_id: str) -> bool:
        """Open a saved session (holding it; read-only or taken over when another window
        or program has it, as the facilitator chooses), after the facilitator PIN."""
        controller = self.open_session(session_id)
        if controller is None:
            return False
        if not self.ask_facilitator_pin(controller, "Resume the session"):
            controller.close()
            return False
        self.attach(controller)
        return True

    def open_session(self, session_id: str, *, read_only: bool = False):
        """The session's controller holding its lock, or, when another window or program
        holds it, what the facilitator chose: a read-only view, or taking it over (offered
        when the holder seems to have stopped, after a clear question). None: cancelled or
        refused (said in a dialog)."""
        from wargame.store import LockHeld
        from wargame.ui.controller import ExerciseController

        try:
            return ExerciseController.open(self.database_path(), session_id,
                                           read_only=read_only)
        except LockHeld as held:
            return self._session_held(session_id, held)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Cannot open the session", exc)
            return None

    def _session_held(self, session_id: str, held, asked: int = 0):
        from wargame.session.lock import holder_seems_gone, take_over_question
        from wargame.store import LockHeld
        from wargame.ui.controller import ExerciseController
        from wargame.ui.read_only_banner import holder_text

        now = self.now()
        gone = holder_seems_gone(held.holder, now)
        state = ("It seems to have stopped (crashed, or closed without saying so): you may "
                 "take it over." if gone else "It still seems to be running, so it keeps "
                 "the session: one window plays a session at a time.")
        choice = self.prompts.lock_held(
            f"This session is open in another window or program: "
            f"{holder_text(held.holder, now)}. {state}\n\nOpen it read-only to see "
            f"everything as it stands, changing nothing.", gone)
        try:
            if choice == "read_only":
                return ExerciseController.open(self.database_path(), session_id,
                                               read_only=True)
            if choice == "take_over" and self.prompts.confirm(
                    "Take the session over?", take_over_question(held, now)):
                return ExerciseController.open(self.database_path(), session_id,
                                               take_over=held)
        except LockHeld as again:  # yet another window took it meanwhile: ask again
            return self._session_held(session_id, again, asked + 1) if asked < 3 else None
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Cannot open the session", exc)
        return None

    def reload_session(self) -> None:
        """Read the session again (a read-only window follows the window that plays it)."""
        ctl = self.controller
        if ctl is None or ctl.busy or self.stack.currentWidget() is self.team_screen:
            return
        try:
            ctl.reload()
        except Exception as exc:  # noqa: BLE001
            show_error(self, "The session could not be read again", exc)
            return
        self._after_reload()

    def take_over_session(self) -> None:
        """From a read-only window: play the session here, if the window that has it has
        stopped (or closed it), after a clear question."""
        ctl = self.controller
        if ctl is None or not ctl.read_only:
            return
        session_id = ctl.session_id
        new = self.open_session(session_id)
        if new is None:
            self._show_read_only()
            return
        if new.read_only:  # the facilitator chose to look on
            new.close()
            self.reload_session()
            return
        new._facilitator_key = ctl._facilitator_key  # the PIN was given in this window
        if not new.facilitator_pin_known() and not self.ask_facilitator_pin(new, "Take over"):
            new.close()
            return
        self.attach(new)
        self.statusBar().showMessage("This window now plays the session.", 8000)

    # ------------------------------------------------------------------ session

    def attach(self, controller) -> None:
        if self.controller is not None:
            self.controller.close()
        self.controller = controller
        self._debrief_turn = None
        from wargame.store.locks import HEARTBEAT_SECONDS  # a session is open: the store is

        controller.clock = self.now
        self._heartbeat.setInterval(int(HEARTBEAT_SECONDS * 1000))
        self._heartbeat.start()
        if not controller.read_only:  # a read-only window leaves the crash offer alone
            settings.put("session/open", controller.session_id)
            settings.put("session/last", controller.session_id)
        self.setWindowTitle(self.session_title())
        self._show_read_only()
        controller.sessionChanged.connect(self.session_changed)
        controller.changed.connect(self.refresh)
        controller.resolved.connect(self._resolved)
        controller.failed.connect(lambda msg: show_error(self, "The turn could not be resolved",
                                                          msg))
        controller.busyChanged.connect(self._busy)
        self.console.set_scenario(controller.scenario)
        self.team_screen.clear()
        self.show_console()
        QTimer.singleShot(0, self._load_views)
        self.refresh()
        if controller.phase == "orders":
            self.console.tabs.setCurrentIndex(1)

    def _load_views(self) -> None:
        """Build the flow map and the charts after the console is on screen."""
        if self.controller is None:
            return
        if self.console.flowmap is None:
            try:
                from wargame.ui.flowmap import FlowMapWidget

                widget = FlowMapWidget()
                widget.setAccessibleName("World flow map")
                self.console.attach_flowmap(widget)
            except Exception as exc:  # noqa: BLE001
                log.warning("flow map unavailable: %s", exc)
                self.console.map_placeholder.setText(f"World view unavailable: {exc}")
        if self.console.charts is None:
            try:
                from wargame.ui.charts import DebriefCharts

                charts = DebriefCharts()
                charts.set_tabbed(True)  # one chart per tab: fits beside the map at 1366 px
                self.console.attach_charts(charts)
            except Exception as exc:  # noqa: BLE001
                log.warning("charts unavailable: %s", exc)
        self._apply_view_theme()
        self.refresh_views()

    def refresh_views(self) -> None:
        ctl = self.controller
        if ctl is None:
            return
        history = ctl.indicators_history()
        if self.console.flowmap is not None:
            current, previous, note = map_turn(ctl, history)
            try:
                self.console.flowmap.set_data(ctl.scenario, current, previous, note)
            except Exception as exc:  # noqa: BLE001
                log.warning("flow map update failed: %s", exc)
        self._show_debrief_charts(history)
        if self.projector is not None:
            self.projector.refresh()

    def _debrief_shown(self) -> int | None:
        """The committed turn the debrief shows: the one chosen on its slider, or the last."""
        turns = self.controller.committed_turns() if self.controller is not None else []
        if not turns:
            return None
        return self._debrief_turn if self._debrief_turn in turns else turns[-1]

    def _show_debrief_charts(self, history: list) -> None:
        """The charts up to the turn the debrief shows (all of them for the last turn)."""
        if self.console.charts is None:
            return
        shown = self._debrief_shown()
        upto = [ind for ind in history if shown is None or ind.turn <= shown]
        self.console.charts.update_history(self.controller.scenario, upto)
        if shown is not None:
            self.console.charts.supply_met.select_turn(shown)

    def show_debrief_turn(self, turn: int) -> None:
        """The debrief's slider: an earlier turn's what happened and why, its orders and
        the charts up to it, shown again (the last turn: back to following the game)."""
        ctl = self.controller
        if ctl is None:
            return
        turns = ctl.committed_turns()
        self._debrief_turn = None if not turns or turn == turns[-1] else turn
        self._show_debrief()
        self._show_debrief_charts(ctl.indicators_history())

    def session_title(self) -> str:
        """The window's title: which session is open (the platform adds the app's name)."""
        ctl = self.controller
        if ctl is None:
            return WINDOW_TITLE
        fork, name = ctl.fork_label(), ctl.session_name
        # a default name starts with the scenario's title: not twice
        title = name if ctl.scenario.title in name else f"{ctl.scenario.title} — {name}"
        return title + (f" ({fork})" if fork else "") + (" — read-only" if ctl.read_only
                                                         else "")

    def show_console(self) -> None:
        self.team_screen.clear()
        self.stack.setCurrentWidget(self.console)
        self._update_actions()

    def go_home(self) -> None:
        if self.stack.currentWidget() is self.team_screen:
            return  # a team is drafting: the facilitator must not jump in
        self.team_screen.clear()
        if self.controller is not None:
            if not self.controller.read_only:
                settings.put("session/open", "")
            self.controller.close()
            self.controller = None
        self.read_only_banner.hide()
        if self.projector is not None:
            self.projector.close()
            self.projector = None
        self.setWindowTitle(WINDOW_TITLE)
        self.refresh_sessions()
        self.stack.setCurrentWidget(self.start)
        self._update_actions()

    def status_text(self) -> str:
        ctl = self.controller
        if ctl is None:
            return ""
        limit = f" of {ctl.turn_limit}" if ctl.turn_limit else ""
        phase = "ended" if ctl.ended else ctl.phase
        # read-only is said by the banner above and the window title: the header must not
        # wrap at 1024 px
        extra = "  ·  PAUSED" if ctl.paused else ""
        return f"{ctl.scenario.title}  ·  Turn {ctl.turn}{limit}  ·  {phase.capitalize()}{extra}"

    def refresh(self) -> None:
        ctl = self.controller
        self._update_actions()
        if ctl is None:
            return
        c = self.console
        c.set_status(self.status_text())
        c.show_phase("ended" if ctl.ended else ctl.phase, ctl.allowed(),
                     ctl.teams_may_submit() and not ctl.paused)
        c.set_world(world_panel_html(ctl))
        c.set_injects(ctl.injects_due(include_fired=False), ctl.hand_fired())
        c.set_inject_marks(ctl.inject_marks())
        c.set_white_cell_count(ctl.white_cell_count()
                               if ctl.may("submit_facilitator_orders") else 0)
        rows = []
        submitted = ctl.submitted_teams()
        drafts = ctl.teams_with_drafts() if ctl.phase == "orders" else set()
        for team in ctl.scenario.teams:
            kind = ctl.controllers().get(team.id, "human")
            posture = ctl.postures().get(team.id)
            played = (f"bot, {posture}" if posture else "bot") if kind == "bot" else (
                "human, PIN" if ctl.team_has_pin(team.id) else "human")
            status = "submitted ✓" if team.id in submitted else (
                ("waiting (a draft is kept)" if team.id in drafts else "waiting")
                if ctl.phase == "orders" else "—")
            rows.append((team.name, played, status))
        c.set_submissions(rows)
        c.set_notes(ctl.notes())
        if ctl.phase == "adjudication" and ctl.has_proposal:
            p = ctl.proposal()
            c.set_outcomes(ctl.scenario, p["outcomes"], p["orders"], p["explanations"])
        elif ctl.phase != "adjudication":
            c.clear_adjudication()
        else:
            c.clear_adjudication()
        c.resolve_button.setEnabled(ctl.may("close_orders") and not ctl.has_proposal)
        c.commit_button.setEnabled(ctl.may("commit") and ctl.has_proposal)
        c.override_button.setEnabled(ctl.may("override") and ctl.has_proposal)
        self._show_debrief()
        self._tick()
        self.refresh_views()

    def _show_debrief(self) -> None:
        from wargame.report.panels import debrief_html

        ctl = self.controller
        shown = self._debrief_shown()
        self.console.set_debrief_turns(ctl.committed_turns(), shown)
        self.console.set_debrief(debrief_html(ctl.revealed(shown) if shown else None))

    # ------------------------------------------------------------------ hot seat

    def hand_over(self) -> None:
        ctl = self.controller
        if ctl is None or ctl.ended:
            return
        if ctl.paused:
            show_error(self, "Exercise paused", "The exercise is paused: resume it first.")
            return
        if ctl.may("begin_orders"):
            if not self._attempt("The orders could not be opened", ctl.start_orders):
                return
        if ctl.may("begin_orders") or not ctl.may("close_orders"):
            return  # the orders are not open (or the turn is past them)
        self._lower_curtain_for_next()

    def _lower_curtain_for_next(self) -> None:
        ctl = self.controller
        self.team_screen.clear()
        pending = ctl.pending_human_teams()
        if pending:
            team = ctl.scenario.team(pending[0])
            check = (lambda pin, t=team.id: ctl.check_pin(t, pin)) if ctl.team_has_pin(team.id) \
                else None
            left = len(pending) - 1
            subtitle = ("Everyone else, please look away from the screen."
                        + (f" {count_of(left, 'more team').capitalize()} after this one."
                           if left else ""))
            self.curtain.lower_for(team.id, team.name, check, subtitle,
                                   lambda t=team.id: ctl.pin_wait_seconds(t))
        else:
            check = ctl.check_facilitator_pin if ctl.facilitator_has_pin() else None
            self.curtain.lower_for(FACILITATOR, "the facilitator", check,
                                   "Every team has submitted. The orders are sealed.",
                                   lambda: ctl.pin_wait_seconds(FACILITATOR))
        self.stack.setCurrentWidget(self.curtain)
        self._update_actions()

    def _curtain_unlocked(self, who: str) -> None:
        ctl = self.controller
        if ctl is None:
            return
        if ctl.paused and who != FACILITATOR:
            # the curtain stays down: no team starts drafting on a stopped clock
            self.curtain.message.setText("The exercise is paused. Wait for the facilitator.")
            return
        if who == FACILITATOR:
            self.show_console()
            self.refresh()
            if ctl.auto_resolve and not ctl.paused and not ctl.has_proposal and (
                    ctl.phase == "adjudication" or
                    (ctl.phase == "orders" and not ctl.exercise.waiting_for())):
                self.resolve()
            return
        context = ctl.team_context(who)
        self.team_screen.open_for(
            ctl.scenario, who, ctl.turn, context["budget"], context["capital"],
            context["view"], lambda entry, already, t=who: ctl.validate(t, entry, already),
            last_turn=context["last_turn"], baseline=context["baseline"],
            arrivals=lambda entry, t=who: ctl.capacity_arrivals(t, entry),
            kept=ctl.saved_draft(who),
            keep=lambda entries, t=who: ctl.save_draft(t, entries))
        self.stack.setCurrentWidget(self.team_screen)
        self._update_actions()

    def _team_submitted(self, team: str, entries: list) -> None:
        from wargame.session.errors import SessionChanged

        ctl = self.controller
        try:
            ctl.submit(team, entries)
        except Exception as exc:  # noqa: BLE001
            self.refuse("The orders could not be submitted", exc)
            if isinstance(exc, SessionChanged):
                return  # the window now shows the session as it is (read-only if taken)
        self._lower_curtain_for_next()

    # ------------------------------------------------------------------ adjudication

    def _attempt(self, title: str, command, *args):
        """Give a session command; a refusal (the facilitator PIN, the phase, another
        window) is said in a dialog, never a traceback. Returns the result, or None."""
        try:
            result = command(*args)
        except Exception as exc:  # noqa: BLE001
            self.refuse(title, exc)
            return None
        return True if result is None else result

    def refuse(self, title: str, exc: BaseException) -> None:
        """A command was refused: said in a dialog; when another window or program changed
        the session meanwhile, the window then shows the session as it is now."""
        from wargame.session.errors import SessionChanged

        if isinstance(exc, SessionChanged):
            self.session_changed(str(exc))
        else:
            show_error(self, title, exc)

    def session_changed(self, message: str) -> None:
        """A write was refused: another window or program changed the session, or took it
        over. Nothing was saved here; say so clearly, then reload (read-only when the
        session was taken over)."""
        ctl = self.controller
        if ctl is None:
            return
        try:
            lost = ctl.reload()
        except Exception as exc:  # noqa: BLE001
            show_error(self, "The session changed in another window", f"{message}\n\n{exc}")
            return
        then = ("Another window or program has taken the session over: this window now shows "
                "it read-only." if lost else "This window now shows the session as it is; "
                "do it again if it still makes sense.")
        show_error(self, "The session changed in another window",
                   f"{message}\n\nNothing was saved by this window. {then}")
        self._after_reload()

    def _after_reload(self) -> None:
        self.team_screen.clear()
        if self.stack.currentWidget() is not self.start:
            self.show_console()
        self.setWindowTitle(self.session_title())
        self._show_read_only()
        self.refresh()

    def _show_read_only(self) -> None:
        """The read-only banner, with who has the session and its last sign of life."""
        ctl = self.controller
        if ctl is None or not ctl.read_only:
            self.read_only_banner.hide()
            return
        try:
            holder = ctl.holder()
        except Exception:  # noqa: BLE001 - the banner still says read-only
            holder = None
        self.read_only_banner.show_for(holder, self.now())

    def _refuse_if_paused(self) -> bool:
        ctl = self.controller
        if ctl is not None and ctl.paused:
            show_error(self, "Exercise paused", "The exercise is paused: resume it first.")
            return True
        return False

    def resolve(self) -> None:
        ctl = self.controller
        if ctl is None or ctl.busy:
            return
        if self._refuse_if_paused() or not ctl.may("close_orders"):
            return
        if ctl.pending_human_teams():
            if not self.prompts.confirm(
                    "Resolve without every team?",
                    "Some teams have not submitted: "
                    + ", ".join(ctl.scenario.team(t).name for t in ctl.pending_human_teams())
                    + ". Resolve anyway (they give no orders this turn)?"):
                return
        self.console.tabs.setCurrentIndex(2)
        ctl.resolve_async(force=True)

    def close_orders(self) -> None:
        """Resolve now, without the teams that have not submitted (e.g. once time is up)."""
        ctl = self.controller
        if ctl is None or ctl.busy or self._refuse_if_paused() or not ctl.may("close_orders"):
            return
        late = ctl.pending_human_teams()
        if late and not self.prompts.confirm(
                "Close orders now?",
                "Close the orders now? " + ", ".join(ctl.scenario.team(t).name for t in late)
                + " will give no orders this turn."):
            return
        self.show_console()
        self.console.tabs.setCurrentIndex(2)
        ctl.resolve_async(force=True)

    def _busy(self, busy: bool) -> None:
        self.console.set_busy(busy)
        if busy:
            self.statusBar().showMessage("Resolving the turn…")
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            self.statusBar().clearMessage()
            QApplication.restoreOverrideCursor()
        self._update_actions()

    def _resolved(self) -> None:
        self.refresh()
        self.console.tabs.setCurrentIndex(2)

    def override(self, order_id: str | None = None) -> None:
        ctl = self.controller
        if ctl is None or not ctl.has_proposal:
            return
        if not order_id:
            row = max(self.console.outcomes.currentRow(), 0)
            item = self.console.outcomes.item(row, 0)
            order_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not order_id:
            return
        proposal = ctl.proposal()
        order = proposal["orders"].get(order_id, {})
        outcome = next((o for o in proposal["outcomes"] if o.get("order_id") == order_id), {})
        choice = self.prompts.override(ctl.scenario, order, outcome)
        if choice is None:
            return
        try:
            ctl.override(order_id, choice.status, choice.reason, choice.param, choice.factor)
        except Exception as exc:  # noqa: BLE001
            self.refuse("The override failed", exc)

    def commit(self) -> None:
        ctl = self.controller
        if ctl is None or not ctl.has_proposal or self._refuse_if_paused():
            return
        self._debrief_turn = None  # the debrief follows the turn just committed
        try:
            ctl.commit()
        except Exception as exc:  # noqa: BLE001
            self.refuse("The turn could not be committed", exc)
            return
        self.console.tabs.setCurrentIndex(3)

    def next_turn(self) -> None:
        ctl = self.controller
        if ctl is None or self._refuse_if_paused() or not ctl.may("next_turn"):
            return
        if not self._attempt("The next turn could not start", ctl.next_turn):
            return
        if ctl.ended:
            self.offer_report("The turn limit has been reached. The debrief of the last "
                              "turn stays on screen.")

    # ------------------------------------------------------------------ facilitator tools

    def fire_inject(self, inject_id: str) -> None:
        """Fire a deck inject by hand; one already scheduled, drawn or fired this turn is
        fired again only if the facilitator confirms (it would apply twice)."""
        from wargame.session.errors import InjectAlreadyDue

        ctl = self.controller
        if ctl is None:
            return
        try:
            ctl.fire_inject(inject_id)
        except InjectAlreadyDue:
            title = next((i.title for i in ctl.scenario.injects if i.id == inject_id),
                         inject_id)
            mark = ctl.inject_marks().get(inject_id, "due this turn")
            if self.prompts.confirm(
                    "Fire it again?",
                    f"'{title}': {mark}. Firing it by hand as well applies it twice. "
                    "Fire it anyway?"):
                self._attempt("The inject could not be fired", ctl.fire_inject, inject_id,
                              True)
        except Exception as exc:  # noqa: BLE001
            self.refuse("The inject could not be fired", exc)

    def retract_inject(self, fired_seq: int) -> None:
        """Take back an inject fired by hand this turn (before the orders open), with a
        reason for the log."""
        ctl = self.controller
        if ctl is None or not ctl.may("retract_inject"):
            return
        reason = self.prompts.text("Retract inject", "Why is it taken back? (kept in the log)")
        if reason is None:
            return
        try:
            ctl.retract_inject(fired_seq, reason)
        except Exception as exc:  # noqa: BLE001
            self.refuse("The inject could not be retracted", exc)

    def free_inject(self) -> None:
        ctl = self.controller
        if ctl is None or not ctl.may("fire_inject"):
            return
        title = self.prompts.text("Free-text inject", "Headline of the inject:")
        if not title:
            return
        text = self.prompts.text("Free-text inject", "What happens (shown to everyone):", True)
        self._attempt("The inject could not be fired", ctl.free_inject, title, text or "")

    def white_cell(self) -> None:
        """The facilitator orders a move as the white cell (any move, no team pays)."""
        ctl = self.controller
        if ctl is None or not ctl.may("submit_facilitator_orders") \
                or self.stack.currentWidget() is not self.console:
            return
        if not ctl.facilitator_pin_known() and not self.ask_facilitator_pin(
                ctl, "White-cell order"):
            return
        entries = self.prompts.white_cell(
            ctl.scenario, ctl.white_cell_entries(),
            lambda entry, already: ctl.validate(FACILITATOR, entry, already), ctl.turn)
        if entries is None:
            return
        try:
            ctl.submit_white_cell(entries)
        except Exception as exc:  # noqa: BLE001
            self.refuse("The white-cell orders could not be sealed", exc)
            return
        self.statusBar().showMessage(f"{count_of(len(entries), 'white-cell order').capitalize()}"
                                     f" sealed for turn "
                                     f"{ctl.turn}", 6000)

    def add_note(self) -> None:
        ctl = self.controller
        if ctl is None:
            return
        text = self.prompts.text("Add note", "Note (saved with the session):", True)
        if text and text.strip():
            self._attempt("The note could not be added", ctl.add_note, text.strip())

    def toggle_pause(self) -> None:
        ctl = self.controller
        if ctl is not None:
            self._attempt("The exercise could not be paused or resumed", ctl.set_paused,
                          not ctl.paused)

    def rewind(self) -> None:
        ctl = self.controller
        if ctl is None:
            return
        turns = [str(t) for t in ctl.rewind_targets()]
        choice = self.prompts.choose("Rewind", "Go back to the start of turn:", turns)
        if choice is None:
            return
        reason = self.prompts.text("Rewind", "Why? (required; the later turns are archived, "
                                   "not lost, and the rewind is noted)", True)
        if reason is None:
            return
        if not reason.strip():
            show_error(self, "Rewind", "A rewind needs a written reason: nothing was changed.")
            return
        self._debrief_turn = None
        try:
            branch = ctl.rewind(int(choice), reason.strip())
        except Exception as exc:  # noqa: BLE001
            self.refuse("The session could not be rewound", exc)
            return
        self.show_console()
        turns = (f"turn {branch.from_turn}" if branch.from_turn == branch.to_turn
                 else f"turns {branch.from_turn} to {branch.to_turn}")
        self.prompts.info("Rewound", f"Back at the start of turn {choice}. Archived (kept, "
                          f"not lost): {turns}, {count_of(branch.events, 'logged event')}. "
                          "The rewind and its reason are in the notes.")

    def rename_session(self) -> None:
        """Give the open session a name (the start screen lists it; the title shows it)."""
        ctl = self.controller
        if ctl is None:
            return
        name = self.prompts.text("Rename the session", "Name of this session:")
        if name is None or not name.strip():
            return
        try:
            ctl.rename(name.strip())
        except Exception as exc:  # noqa: BLE001
            self.refuse("The session could not be renamed", exc)
            return
        self.setWindowTitle(self.session_title())

    def edit_note(self, seq: int) -> None:
        ctl = self.controller
        if ctl is None:
            return
        text = self.prompts.text("Edit note", "Note (the log keeps the earlier text):", True)
        if text is None or not text.strip():
            return
        try:
            ctl.edit_note(seq, text.strip())
        except Exception as exc:  # noqa: BLE001
            self.refuse("The note could not be changed", exc)

    def delete_note(self, seq: int) -> None:
        ctl = self.controller
        if ctl is None or not self.prompts.confirm(
                "Delete note", "Delete this note? The session's log keeps it."):
            return
        try:
            ctl.delete_note(seq)
        except Exception as exc:  # noqa: BLE001
            self.refuse("The note could not be deleted", exc)

    def fork(self) -> None:
        ctl = self.controller
        if ctl is None:
            return
        turns = [str(t) for t in ctl.rewind_targets()]
        choice = self.prompts.choose("Fork", "Start a new session from the start of turn:",
                                     turns)
        if choice is None:
            return
        new = self._attempt("The fork could not be made", ctl.fork, int(choice))
        if new is None:
            return
        self.attach(new)
        self.statusBar().showMessage(f"Forked: {new.session_name}, {new.fork_label()}", 8000)

    def end_exercise(self) -> None:
        ctl = self.controller
        if ctl is None or ctl.ended:
            return
        if self.prompts.confirm("End the exercise", "End the exercise now? It stays saved "
                                "and can be reported on."):
            if not self._attempt("The exercise could not be ended", ctl.end):
                return
            settings.put("session/open", "")
            settings.put("session/last", "")
            self.offer_report("The exercise has ended.")

    # ------------------------------------------------------------------ after the exercise

    def offer_report(self, why: str) -> None:
        """At the end of an exercise: hold the hot wash, then export the report."""
        if self.prompts.confirm("Exercise over", f"{why}\n\nFill in the hot wash and "
                                "export the after-action report now? (Both stay available "
                                "in the File and Exercise menus.)"):
            if self.hot_wash():
                self.export_report()

    def hot_wash(self) -> bool:
        """The hot-wash page; True when saved."""
        ctl = self.controller
        if ctl is None:
            return False
        teams = [(t.id, t.name) for t in ctl.scenario.teams]
        result = self.prompts.hot_wash(teams, ctl.hot_wash())
        if result is None:
            return False
        try:
            ctl.save_hot_wash(result)
        except Exception as exc:  # noqa: BLE001 - the store says what went wrong
            self.refuse("The hot wash could not be saved", exc)
            return False
        self.statusBar().showMessage("Hot wash saved: it is the report's improvement plan",
                                     8000)
        return True

    def export_report(self) -> Path | None:
        """File > Export report: the edition (the facilitator's, the public one, a team's,
        which needs that team's PIN) and "Was it luck?" (the facilitator's edition), then
        the file and its format. The report's data is read here; the luck re-runs,
        rendering and writing run in the background (``ReportExportJob``), the status bar
        says how far they are and when the file is there."""
        ctl = self.controller
        if ctl is None:
            return None
        options = self.prompts.report_options(ctl.scenario, bool(ctl.committed_turns()))
        if options is None:
            return None
        if options.audience == "facilitator" and not ctl.facilitator_pin_known() and \
                not self.ask_facilitator_pin(ctl, "The facilitator's report"):
            return None
        if options.audience == "team" and not self.ask_team_pin(ctl, options.team,
                                                                 "The team's report"):
            return None
        target = self.prompts.report_target(
            f"after-action-report-{ctl.session_id[:8]}{options.file_stem}")
        if target is None:
            return None
        path, fmt = Path(target[0]), target[1]
        from PySide6.QtCore import QThreadPool

        from wargame.ui.report_export import ReportExportJob

        try:
            report = ctl.after_action_report(options.audience, options.team)
        except Exception as exc:  # noqa: BLE001 - shown, logged, nothing lost
            show_error(self, "The report could not be made", exc)
            return None
        analysis = ctl.luck_sections(options.luck_runs) if options.luck_runs else None
        job = ReportExportJob(report, fmt, path, analysis)
        # bound methods: Qt drops the connection if the window is gone before the job ends
        job.signals.done.connect(self._report_written)
        job.signals.failed.connect(self._report_failed)
        job.signals.progress.connect(self._report_progress)
        self.report_job = job  # kept alive until the next export
        self._luck_total, self._luck_done = options.luck_runs or 0, 0
        self._report_path = path
        self.statusBar().showMessage(
            f"Was it luck? Re-running the orders with {options.luck_runs} other seeds, then "
            f"writing the report to {path}…" if options.luck_runs else
            f"Writing the after-action report to {path}…")
        QThreadPool.globalInstance().start(job)
        return path

    def _report_progress(self, games: int) -> None:
        self._luck_done += games
        self.statusBar().showMessage(
            f"Was it luck? {self._luck_done} of {self._luck_total} re-runs done"
            + ("" if self._luck_done < self._luck_total else
               f"; writing the report to {self._report_path}…"))

    def _report_written(self, where: str) -> None:
        self.statusBar().showMessage(f"After-action report written to {where}", 10000)

    def _report_failed(self, message: str) -> None:
        self.statusBar().clearMessage()
        show_error(self, "The report could not be written", message)

    def open_replay(self):
        """View > Replay browser: the session's committed turns, read once, nothing written."""
        ctl = self.controller
        if ctl is None:
            return None
        return self._show_replay(ctl)

    def _show_replay(self, ctl):
        from wargame.ui.replay_browser import ReplayBrowser

        try:
            browser = ReplayBrowser(ctl.scenario, ctl.after_action_report(), self)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "The replay browser could not open", exc)
            return None
        browser.resize(1200, 760)
        browser.show()
        self.replay_browser = browser
        return browser

    def replay_saved(self, session_id: str):
        """The start screen's Replay: a saved session's turns in the replay browser, read
        only (no lock: another window may be playing it), after the facilitator PIN."""
        from wargame.ui.controller import ExerciseController

        try:
            ctl = ExerciseController.open(self.database_path(), session_id, read_only=True)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "The replay browser could not open", exc)
            return None
        try:
            if not self.ask_facilitator_pin(ctl, "Replay"):
                return None
            return self._show_replay(ctl)
        finally:
            ctl.close()  # the browser keeps what it read

    def open_luck(self):
        """View > Was it luck?: the debrief's re-runs with other seeds (facilitator only:
        they re-run every team's orders, covert ones included)."""
        ctl = self.controller
        if ctl is None or not ctl.committed_turns():
            return None
        from wargame.ui.luck_view import LuckDialog

        self.luck_dialog = self._show_analysis(LuckDialog(ctl, self))
        return self.luck_dialog

    def open_branches(self):
        """View > Compare branches: this session and its forks side by side."""
        ctl = self.controller
        if ctl is None or len(ctl.branch_sessions()) < 2:
            return None
        from wargame.ui.branch_view import BranchDialog

        self.branch_dialog = self._show_analysis(BranchDialog(ctl, self))
        return self.branch_dialog

    def _show_analysis(self, dialog):
        """An analysis window beside the console: in its palette, no larger than it."""
        dialog.apply_theme(self.theme())
        dialog.resize(min(1100, self.width()), min(720, self.height()))
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ view

    def toggle_projector(self) -> None:
        if self.controller is None:
            return
        if self.projector is not None and self.projector.isVisible():
            self.projector.close()
            self.projector = None
            return
        from wargame.ui.projector import ProjectorWindow

        screens = QApplication.screens()
        screen = None
        if len(screens) > 1:  # a second screen: full screen there, or a window here
            names = [f"{i + 1}: full screen on {s.name()} ({s.size().width()}x"
                     f"{s.size().height()})" for i, s in enumerate(screens)]
            choice = self.prompts.choose("Projector", "Show the projector view:",
                                         names + [PROJECTOR_IN_A_WINDOW])
            if choice is None:
                return
            if choice != PROJECTOR_IN_A_WINDOW:
                screen = screens[int(choice.split(":")[0]) - 1]
        self.projector = ProjectorWindow(self.controller, self)
        self._apply_view_theme()
        self.projector.show_on(screen)

    def set_dark(self, on: bool) -> None:
        from wargame.ui.palette import apply_app_palette

        apply_app_palette(QApplication.instance(), "dark" if on else "light")
        settings.put("view/theme", "dark" if on else "light")
        self._apply_view_theme()

    def theme(self) -> str:
        return "dark" if self.act_dark.isChecked() else "light"

    def _apply_view_theme(self) -> None:
        """Painted views (map, charts) do not follow the QPalette by themselves."""
        theme = self.theme()
        for view in (self.console.flowmap, self.console.charts,
                     getattr(self.projector, "charts", None)):
            if view is not None and hasattr(view, "apply_theme"):
                view.apply_theme(theme)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def show_guide(self) -> None:
        """Help > How to run an exercise: a window that can stay open beside the app."""
        from wargame.ui.guide import GuideDialog

        if self.guide is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def about(self) -> None:
        from wargame.resources import package_version

        self.prompts.info(
            "About wargame",
            f"wargame {package_version()}: turn-based crisis exercises about critical "
            "minerals.\n\nEvery baseline number of a scenario cites a public source. The "
            "start screen lists a scenario's sources; on the map, click a country or a flow "
            "to see its numbers with their sources.\n\nHelp > How to run an exercise "
            "walks through a turn step by step.")

    def _beat(self) -> None:
        """Every ``HEARTBEAT_SECONDS``: the orders clock counts only while an app has the
        session open; if another app took the session over, say so and leave it."""
        ctl = self.controller
        if ctl is None or ctl.busy:
            return
        if ctl.read_only:
            self._show_read_only()  # the holder's last sign of life, brought up to date
            return
        try:
            ctl.heartbeat()
        except Exception as exc:  # noqa: BLE001 - SessionChanged (taken over) and the like
            self.refuse("The session could not be kept open", exc)

    def _tick(self) -> None:
        """Every second: the clocks of the status bar, console, team screen and curtain."""
        ctl = self.controller
        if ctl is None:
            self.timer_label.clear()
            return
        text = ctl.timer_text()
        self.timer_label.setText(text)
        self.console.set_status(self.status_text() + (f"  ·  Orders: {text}" if text else ""))
        time_up = ctl.time_up_waiting
        self.console.set_time_up(time_up)
        self.team_screen.set_clock(ctl.clock_text(), time_up)
        self.curtain.set_clock(time_up, ctl.paused and not ctl.ended)

    # ------------------------------------------------------------------ layout

    def _restore_layout(self) -> None:
        geometry = settings.get("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        state = settings.get("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        if settings.get("view/theme") == "dark":
            self.act_dark.setChecked(True)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if self.ask_before_quit and not self._may_quit():
            event.ignore()
            return
        settings.put("window/geometry", self.saveGeometry())
        settings.put("window/state", self.saveState())
        if self.projector is not None:
            self.projector.close()
        if self.controller is not None:
            if not self.controller.read_only:
                # a clean close is not a crash (no modal offer next time), but a session
                # left in the middle is offered first on the start screen
                settings.put("session/last", "" if self.controller.ended
                             else self.controller.session_id)
                settings.put("session/open", "")
            self.controller.close()
        super().closeEvent(event)
