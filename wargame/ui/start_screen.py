"""The first screen: start a new exercise from a shipped scenario, open a scenario file,
resume a saved session, or pick a recent file.

It is built from plain widgets only, so the window appears at once; the scenario details
and the saved sessions are read by a background job (``start_loader``) just after it is
shown, while the screen says "Loading scenarios…" (parsing YAML and opening the store
takes time that must not delay the first paint). After a clean quit in the middle of a
turn, the session left open is offered first, above everything else.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wargame.ui.fonts import prominent, set_type
from wargame.ui.session_rows import SessionRow

ROLE = Qt.ItemDataRole.UserRole


def scenario_html(scenario, path: Path | None = None) -> str:
    esc = html.escape
    teams = ", ".join(esc(t.name) for t in scenario.teams)
    parts = [f"<h2>{esc(scenario.title)}</h2>"]
    if scenario.summary:
        parts.append(f"<p>{esc(scenario.summary)}</p>")
    parts.append(f"<p><b>Teams:</b> {teams}<br><b>Turns:</b> {scenario.turns} of "
                 f"{scenario.turn_length_months} months"
                 + (f", from {esc(scenario.start_date)}" if scenario.start_date else "")
                 + f"<br><b>Materials:</b> {', '.join(esc(m.name) for m in scenario.materials)}"
                 "</p>")
    if scenario.sources:
        parts.append("<p><b>Calibrated to:</b></p><ul>")
        for key, citation in scenario.sources.items():
            parts.append(f"<li><i>{esc(key)}</i>: {esc(citation)}</li>")
        parts.append("</ul>")
    if path is not None:
        parts.append(f"<p><small>{esc(str(path))}</small></p>")
    return "".join(parts)


class StartScreen(QWidget):
    newExerciseRequested = Signal(str)  # scenario path
    openScenarioRequested = Signal()
    resumeRequested = Signal(str)  # session id
    replayRequested = Signal(str)  # session id: step through it, read only

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StartScreen")
        self._scenarios: dict[str, object] = {}
        outer = QVBoxLayout(self)
        title = QLabel("Critical-minerals crisis exercise")
        set_type(title, 22, bold=True)
        outer.addWidget(title)
        subtitle = QLabel("Run a turn-based exercise in the room: teams give secret orders on "
                          "one laptop, the facilitator adjudicates, everyone sees the debrief.")
        subtitle.setWordWrap(True)
        outer.addWidget(subtitle)

        # "continue where you left off": shown after a clean quit in the middle of a turn
        self.resume_offer = QGroupBox("Continue where you left off")
        self.resume_offer.setObjectName("resumeOffer")
        offer = QHBoxLayout(self.resume_offer)
        self.resume_offer_text = QLabel()
        self.resume_offer_text.setWordWrap(True)
        offer.addWidget(self.resume_offer_text, 1)
        self.resume_offer_button = QPushButton("&Continue this session")
        self.resume_offer_button.setAccessibleName("Continue the session left open")
        prominent(self.resume_offer_button, padding=6)
        self.resume_offer_button.clicked.connect(self._resume_offer_clicked)
        offer.addWidget(self.resume_offer_button)
        self._offered_session: str | None = None
        self.resume_offer.hide()
        outer.addWidget(self.resume_offer)

        row = QHBoxLayout()
        outer.addLayout(row, 1)

        new_box = QGroupBox("New exercise")
        new_layout = QVBoxLayout(new_box)
        self.scenario_list = QListWidget()
        self.scenario_list.setAccessibleName("Shipped scenarios")
        self.scenario_list.currentItemChanged.connect(lambda *_: self._show_details())
        self.scenario_list.itemActivated.connect(lambda *_: self._new_clicked())
        new_layout.addWidget(self.scenario_list, 1)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Scenario details")
        new_layout.addWidget(self.details, 3)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&Set up exercise…")
        self.new_button.setAccessibleName("Set up a new exercise from the selected scenario")
        self.new_button.clicked.connect(self._new_clicked)
        self.open_button = QPushButton("&Open scenario file…")
        self.open_button.setAccessibleName("Open a scenario file")
        self.open_button.clicked.connect(self.openScenarioRequested)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        new_layout.addLayout(buttons)
        row.addWidget(new_box, 3)

        right = QVBoxLayout()
        resume_box = QGroupBox("Resume a saved session")
        resume_layout = QVBoxLayout(resume_box)
        self.sessions = QTableWidget(0, 3)
        self.sessions.setAccessibleName("Saved sessions")
        self.sessions.setHorizontalHeaderLabels(["Session (scenario on hover)", "Turn",
                                                 "Last played"])
        header = self.sessions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.sessions.setWordWrap(False)  # one line a session; the whole on hover
        self.sessions.verticalHeader().setVisible(False)
        self.sessions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sessions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sessions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessions.cellDoubleClicked.connect(lambda *_: self._resume_clicked())
        resume_layout.addWidget(self.sessions, 1)
        self.resume_button = QPushButton("&Resume session")
        self.resume_button.setAccessibleName("Resume the selected session")
        self.resume_button.clicked.connect(self._resume_clicked)
        self.replay_button = QPushButton("Re&play…")
        self.replay_button.setAccessibleName("Replay the selected session")
        self.replay_button.setToolTip("Step through the selected session's turns, reading "
                                      "only (it may be open in another window)")
        self.replay_button.clicked.connect(self._replay_clicked)
        session_buttons = QHBoxLayout()
        session_buttons.addWidget(self.resume_button, 2)
        session_buttons.addWidget(self.replay_button, 1)
        resume_layout.addLayout(session_buttons)
        right.addWidget(resume_box, 3)
        recent_box = QGroupBox("Recent scenario files")
        recent_layout = QVBoxLayout(recent_box)
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent scenario files")
        self.recent.itemActivated.connect(
            lambda item: self.newExerciseRequested.emit(item.data(ROLE)))
        recent_layout.addWidget(self.recent)
        right.addWidget(recent_box, 1)
        row.addLayout(right, 2)
        status_row = QHBoxLayout()
        self.loading = QProgressBar()
        self.loading.setRange(0, 0)  # busy: the scenarios are being read
        self.loading.setMaximumWidth(160)
        self.loading.setAccessibleName("Loading scenarios")
        status_row.addWidget(self.loading)
        self.status = QLabel("Loading scenarios…")
        self.status.setAccessibleName("Start screen status")
        status_row.addWidget(self.status, 1)
        outer.addLayout(status_row)
        self.set_loading(True)

    # ---- state

    def set_loading(self, loading: bool) -> None:
        """While the scenarios are read: a busy bar, and nothing to set up yet (opening a
        file of one's own and resuming stay available)."""
        self.loading.setVisible(loading)
        if loading:
            self.status.setText("Loading scenarios…")
            self.scenario_list.setEnabled(False)
            self.new_button.setEnabled(False)
        else:
            self.scenario_list.setEnabled(True)
            self.new_button.setEnabled(self.scenario_list.count() > 0)

    def offer_resume(self, row: SessionRow | None) -> None:
        """Offer first the session that was open at the last clean quit (None: no offer)."""
        self._offered_session = row.id if row else None
        if row is None:
            self.resume_offer.hide()
            return
        self.resume_offer_text.setText(
            f"<b>{html.escape(row.scenario)}</b> was open when the app was "
            f"last closed: turn {row.turn if row.turn is not None else '?'}, "
            f"{html.escape(row.phase)} (last played {html.escape(row.last_played)}).")
        self.resume_offer.show()
        self.resume_offer_button.setDefault(True)
        self.resume_offer_button.setFocus()

    def _resume_offer_clicked(self) -> None:
        if self._offered_session:
            self.resumeRequested.emit(self._offered_session)

    # ---- filling in

    def add_scenario(self, path: Path, scenario=None, error: str | None = None) -> None:
        label = scenario.title if scenario is not None else path.name
        item = QListWidgetItem(label)
        item.setData(ROLE, str(path))
        if error:
            item.setToolTip(error)
            item.setText(f"{path.name} (has problems)")
        else:
            item.setToolTip(scenario.summary if scenario is not None else str(path))
        self._scenarios[str(path)] = scenario if scenario is not None else error
        self.scenario_list.addItem(item)
        if self.scenario_list.currentRow() < 0:
            self.scenario_list.setCurrentRow(0)

    def set_sessions(self, rows: list[SessionRow]) -> None:
        self.sessions.setRowCount(0)
        for row in rows:
            r = self.sessions.rowCount()
            self.sessions.insertRow(r)
            # a name, or the short id; a fork says of what (a session and its fork never
            # read as two identical rows)
            session = row.label
            scenario = row.scenario
            if scenario and session.startswith(scenario):  # a default name: its date
                session = session[len(scenario):].lstrip(" ,·—-") or session
            if row.fork and "fork" not in session.lower():
                session += f" · {row.fork}"
            turn = row.turn if row.turn is not None else "?"
            values = [session, f"{turn}, {row.phase}",
                      row.last_played[5:]]  # '11-30 14:25': this year's
            teams = row.teams
            humans = sum(1 for _team, kind in teams if kind != "bot")
            tip = "\n".join(x for x in (
                f"{row.name or 'Session'} ({row.id})", f"Scenario: {scenario}", row.fork,
                f"Created {row.created}, last played {row.last_played}",
                f"Teams: {', '.join(team for team, _ in teams)} ({humans} human, "
                f"{len(teams) - humans} bot)" if teams else "",
                f"Damaged: {row.damaged}" if row.damaged else "") if x)
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setData(ROLE, row.id)
                item.setToolTip(tip)
                self.sessions.setItem(r, c, item)

        if rows:
            self.sessions.selectRow(0)

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(Path(path).name)
            item.setToolTip(path)
            item.setData(ROLE, path)
            self.recent.addItem(item)

    def _show_details(self) -> None:
        item = self.scenario_list.currentItem()
        if item is None:
            self.details.clear()
            return
        path = item.data(ROLE)
        entry = self._scenarios.get(path)
        if entry is None:
            self.details.setPlainText(path)
        elif isinstance(entry, str):
            self.details.setPlainText(f"This scenario file has problems:\n\n{entry}")
        else:
            self.details.setHtml(scenario_html(entry, Path(path)))

    def selected_scenario_path(self) -> str | None:
        item = self.scenario_list.currentItem()
        return item.data(ROLE) if item else None

    def _new_clicked(self) -> None:
        path = self.selected_scenario_path()
        if path:
            self.newExerciseRequested.emit(path)

    def selected_session(self) -> str | None:
        row = self.sessions.currentRow()
        if row < 0:
            return None
        item = self.sessions.item(row, 0)
        return item.data(ROLE) if item else None

    def _resume_clicked(self) -> None:
        session = self.selected_session()
        if session:
            self.resumeRequested.emit(session)

    def _replay_clicked(self) -> None:
        session = self.selected_session()
        if session:
            self.replayRequested.emit(session)
