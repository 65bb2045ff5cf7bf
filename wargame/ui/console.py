"""The facilitator console: the world view (flow map) in the centre and one tab per phase
of the turn (briefing, orders, adjudication, debrief) plus notes.

Secrecy: during the orders phase the console shows *which* teams have submitted, never
*what*. Outcomes and orders appear only after the engine has resolved the turn (to the
facilitator) and in the debrief (to everyone).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSlider,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wargame.report.panels import count_of, explanation_list_html
from wargame.ui.fonts import prominent, set_type
from wargame.ui.team_screen import describe_order
from wargame.ui.text_views import SourcedTextBrowser

TAB_BRIEFING, TAB_ORDERS, TAB_ADJUDICATION, TAB_DEBRIEF, TAB_NOTES = range(5)
PHASE_TAB = {"briefing": TAB_BRIEFING, "orders": TAB_ORDERS,
             "adjudication": TAB_ADJUDICATION, "debrief": TAB_DEBRIEF}


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


def _button(text: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if tip:
        button.setToolTip(tip)
    return button


class Console(QWidget):
    handOverRequested = Signal()
    resolveRequested = Signal()
    commitRequested = Signal()
    overrideRequested = Signal(str)  # order id
    nextTurnRequested = Signal()
    fireInjectRequested = Signal(str)  # inject id
    freeInjectRequested = Signal()
    addNoteRequested = Signal()
    whiteCellRequested = Signal()
    closeOrdersRequested = Signal()
    debriefTurnChosen = Signal(int)  # an earlier turn to show again in the debrief
    retractInjectRequested = Signal(int)  # the event of an inject fired by hand
    editNoteRequested = Signal(int)  # a note's event
    deleteNoteRequested = Signal(int)
    luckRequested = Signal()  # "was it luck?": the session's orders with other seeds
    branchesRequested = Signal()  # the session and its forks side by side

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Console")
        self.scenario = None
        outer = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("consoleStatus")
        set_type(self.status, 15, bold=True)
        self.status.setAccessibleName("Turn and phase")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.map_host = QVBoxLayout()
        self.map_placeholder = QLabel("Loading the world view…")
        self.map_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map_host.addWidget(self.map_placeholder)
        left_layout.addLayout(self.map_host, 1)
        splitter.addWidget(left)
        self.flowmap = None

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Phases")
        splitter.addWidget(self.tabs)
        # the map keeps its aspect ratio, so its pane's width sets how big it is: about
        # 55 % of the window (740 px at 1366), the phase tabs the rest
        splitter.setSizes([760, 600])
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        self.splitter = splitter

        # briefing
        briefing = QWidget()
        b = QVBoxLayout(briefing)
        self.world = SourcedTextBrowser()
        self.world.setAccessibleName("The world at the start of the turn")
        b.addWidget(self.world, 3)
        b.addWidget(QLabel("<b>The inject deck: this turn, then later</b>"))
        self.injects = QListWidget()
        self.injects.setAccessibleName("The inject deck: injects due this turn, then later")
        self.injects.currentItemChanged.connect(lambda *_: self._sync_retract())
        b.addWidget(self.injects, 1)
        row = QHBoxLayout()
        self.inject_combo = QComboBox()
        self.inject_combo.setAccessibleName("Inject from the scenario's deck")
        # as wide as the row gives, not as the longest title and its mark ("... — scheduled
        # this turn"): that pushed the window past 1024 px (the list opens at full width)
        self.inject_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.inject_combo.setMinimumContentsLength(16)
        row.addWidget(self.inject_combo, 1)
        self.fire_button = _button("&Fire inject", "Fire the chosen inject",
                                   "Fire the chosen inject from the deck this turn")
        self.fire_button.clicked.connect(
            lambda: self.inject_combo.currentData() and
            self.fireInjectRequested.emit(self.inject_combo.currentData()))
        row.addWidget(self.fire_button)
        self.free_button = _button("Free-te&xt inject…", "Write a free-text inject")
        self.free_button.clicked.connect(self.freeInjectRequested)
        row.addWidget(self.free_button)
        b.addLayout(row)
        row = QHBoxLayout()
        self.white_cell_button = _button(
            "&White-cell order…", "Give a white-cell order",
            "Order any move as the white cell (paid by no team; sealed until resolution)")
        self.white_cell_button.clicked.connect(self.whiteCellRequested)
        row.addWidget(self.white_cell_button)
        self.white_cell_status = QLabel()
        self.white_cell_status.setAccessibleName("White-cell orders sealed this turn")
        row.addWidget(self.white_cell_status, 1)
        self.retract_button = _button(
            "Re&tract inject…", "Retract the chosen inject",
            "Take back the inject chosen in the list, fired by hand this turn (before the "
            "orders open)")
        self.retract_button.clicked.connect(self._retract_clicked)
        self.retract_button.setEnabled(False)
        row.addWidget(self.retract_button)
        b.addLayout(row)
        self.handover_button = _button("Start &orders: hand over the laptop",
                                       "Start the orders phase",
                                       "Bots submit at once; human teams take the laptop in turn")
        prominent(self.handover_button)
        self.handover_button.clicked.connect(self.handOverRequested)
        b.addWidget(self.handover_button)
        self.tabs.addTab(briefing, "&1 Briefing")

        # orders
        orders = QWidget()
        o = QVBoxLayout(orders)
        o.addWidget(QLabel("Orders are sealed until every team has submitted."))
        self.submissions = _table(["Team", "Played by", "Orders"], "Submission status")
        o.addWidget(self.submissions, 1)
        self.time_up_label = QLabel("Time is up. Close the orders now: teams that have not "
                                    "submitted give no orders this turn.")
        self.time_up_label.setObjectName("consoleTimeUp")
        self.time_up_label.setWordWrap(True)
        self.time_up_label.setStyleSheet(
            "background: #B03A00; color: #FFFFFF; font-weight: bold; padding: 6px;")
        self.time_up_label.hide()
        o.addWidget(self.time_up_label)
        row = QHBoxLayout()
        self.next_team_button = _button("&Hand over to the next team", "Hand over to next team")
        self.next_team_button.clicked.connect(self.handOverRequested)
        row.addWidget(self.next_team_button, 1)
        self.close_orders_button = _button(
            "&Close orders now", "Close orders now",
            "Resolve the turn now; teams that have not submitted give no orders")
        self.close_orders_button.clicked.connect(self.closeOrdersRequested)
        row.addWidget(self.close_orders_button)
        o.addLayout(row)
        self.tabs.addTab(orders, "&2 Orders")

        # adjudication
        adjudication = QWidget()
        a = QVBoxLayout(adjudication)
        self.resolve_button = _button("&Resolve the turn", "Resolve the turn",
                                      "Run the rules engine on the sealed orders (Ctrl+R)")
        self.resolve_button.clicked.connect(self.resolveRequested)
        a.addWidget(self.resolve_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Resolving")
        self.progress.hide()
        a.addWidget(self.progress)
        self.outcomes = _table(["Team", "Order", "Outcome", "Detail"], "Proposed outcomes")
        header = self.outcomes.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        a.addWidget(self.outcomes, 3)
        self.explanations = QTextBrowser()
        self.explanations.setAccessibleName("Explanations")
        a.addWidget(self.explanations, 2)
        row = QHBoxLayout()
        self.override_button = _button("O&verride outcome…", "Override the selected outcome",
                                       "Change the selected order's outcome, with a reason")
        self.override_button.clicked.connect(self._override_clicked)
        self.commit_button = _button("&Commit turn", "Commit the turn",
                                     "Accept the outcome and save the turn")
        prominent(self.commit_button)
        self.commit_button.clicked.connect(self.commitRequested)
        row.addWidget(self.override_button)
        row.addWidget(self.commit_button)
        a.addLayout(row)
        self.tabs.addTab(adjudication, "&3 Adjudication")

        # debrief
        debrief = QWidget()
        d = QVBoxLayout(debrief)
        slider_row = QHBoxLayout()
        self.turn_slider_label = QLabel("&Turn shown:")
        self.turn_slider = QSlider(Qt.Orientation.Horizontal)
        self.turn_slider.setAccessibleName("Turn shown in the debrief")
        self.turn_slider.setToolTip("Show an earlier turn's what happened and why, orders "
                                    "and charts again")
        self.turn_slider.setPageStep(1)
        self.turn_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.turn_slider_label.setBuddy(self.turn_slider)
        self.turn_shown = QLabel()
        self.turn_shown.setAccessibleName("Turn shown")
        self.turn_slider.valueChanged.connect(self._turn_slid)
        slider_row.addWidget(self.turn_slider_label)
        slider_row.addWidget(self.turn_slider, 1)
        slider_row.addWidget(self.turn_shown)
        d.addLayout(slider_row)
        dsplit = QSplitter(Qt.Orientation.Vertical)
        self.debrief_text = QTextBrowser()
        self.debrief_text.setAccessibleName("What happened and why")
        dsplit.addWidget(self.debrief_text)
        self.charts_host = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_host)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        dsplit.addWidget(self.charts_host)
        dsplit.setSizes([260, 360])
        d.addWidget(dsplit, 1)
        self.charts = None
        analysis_row = QHBoxLayout()
        self.luck_button = _button(
            "Was it l&uck?…", "Was it luck?",
            "Re-run the session's orders with other seeds: where the real outcome sits among "
            "them (the band and the real path)")
        self.luck_button.clicked.connect(self.luckRequested)
        self.branches_button = _button(
            "Compare &branches…", "Compare branches",
            "This session and its forks, turn by turn, side by side")
        self.branches_button.clicked.connect(self.branchesRequested)
        analysis_row.addWidget(self.luck_button, 1)
        analysis_row.addWidget(self.branches_button, 1)
        d.addLayout(analysis_row)
        self.next_turn_button = _button("&Next turn", "Start the next turn")
        prominent(self.next_turn_button)
        self.next_turn_button.clicked.connect(self.nextTurnRequested)
        d.addWidget(self.next_turn_button)
        self.tabs.addTab(debrief, "&4 Debrief")

        # notes
        notes = QWidget()
        n = QVBoxLayout(notes)
        self.notes = QListWidget()
        self.notes.setAccessibleName("Facilitator notes")
        self.notes.setWordWrap(True)
        n.addWidget(self.notes, 1)
        row = QHBoxLayout()
        self.note_button = _button("Add &note…", "Add a note")
        self.note_button.clicked.connect(self.addNoteRequested)
        self.edit_note_button = _button("&Edit note…", "Edit the chosen note",
                                        "Change the chosen note (the log keeps every version)")
        self.edit_note_button.clicked.connect(lambda: self._note_action(self.editNoteRequested))
        self.delete_note_button = _button("De&lete note", "Delete the chosen note",
                                          "Delete the chosen note (the log keeps it)")
        self.delete_note_button.clicked.connect(
            lambda: self._note_action(self.deleteNoteRequested))
        for button in (self.note_button, self.edit_note_button, self.delete_note_button):
            row.addWidget(button)
        n.addLayout(row)
        self.notes.currentItemChanged.connect(lambda *_: self._sync_note_buttons())
        self._sync_note_buttons()
        self.tabs.addTab(notes, "&5 Notes")

    # ---- helpers for the window

    def _override_clicked(self) -> None:
        row = self.outcomes.currentRow()
        if row < 0:
            row = 0 if self.outcomes.rowCount() else -1
        if row < 0:
            return
        item = self.outcomes.item(row, 0)
        if item is not None:
            self.overrideRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    def set_scenario(self, scenario) -> None:
        self.scenario = scenario
        self.inject_combo.clear()
        for inject in scenario.injects:
            self.inject_combo.addItem(inject.title, inject.id)
            self.inject_combo.setItemData(self.inject_combo.count() - 1,
                                          inject.text or inject.title,
                                          Qt.ItemDataRole.ToolTipRole)

    def attach_flowmap(self, widget) -> None:
        self.map_placeholder.hide()
        self.map_host.addWidget(widget)
        self.flowmap = widget

    def attach_charts(self, widget) -> None:
        self.charts_layout.addWidget(widget)
        self.charts = widget

    def show_phase(self, phase: str, allowed: frozenset[str] = frozenset(),
                   teams_may_submit: bool = False) -> None:
        """The phase's tab, and every button enabled as the session's phase table allows
        (``allowed``: the facilitator's command names now; ``teams_may_submit``: a team
        may give its orders)."""
        if phase in PHASE_TAB:
            self.tabs.setCurrentIndex(PHASE_TAB[phase])
        self._allowed = allowed
        self.handover_button.setEnabled("begin_orders" in allowed)
        self.next_team_button.setEnabled(teams_may_submit and "begin_orders" not in allowed)
        self.close_orders_button.setEnabled("close_orders" in allowed
                                            and "begin_orders" not in allowed)
        self.fire_button.setEnabled("fire_inject" in allowed)
        self.free_button.setEnabled("fire_inject" in allowed)
        self.white_cell_button.setEnabled("submit_facilitator_orders" in allowed)
        self.resolve_button.setEnabled("close_orders" in allowed)
        self.next_turn_button.setEnabled("next_turn" in allowed)
        self.note_button.setEnabled("add_note" in allowed)
        self._sync_retract()
        self._sync_note_buttons()

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_world(self, html_text: str) -> None:
        self.world.setHtml(html_text)

    def set_time_up(self, time_up: bool) -> None:
        """Show the banner and, the moment time runs out, the Orders tab with its button."""
        was, self._time_up = getattr(self, "_time_up", False), time_up
        self.time_up_label.setVisible(time_up)
        self.close_orders_button.setDefault(time_up)
        if time_up and not was:
            self.tabs.setCurrentIndex(TAB_ORDERS)

    def set_white_cell_count(self, count: int) -> None:
        """How many, never what: the briefing may be on the projector."""
        self.white_cell_status.setText(
            f"{count_of(count, 'white-cell order').capitalize()} sealed for this turn."
            if count else "")

    def set_injects(self, items: list[str], fired: list[tuple[int, str]] = ()) -> None:
        """The deck's lines, then the injects fired by hand this turn (each keeps its event,
        so it can be retracted)."""
        self.injects.clear()
        for text in items or ([] if fired else ["None scheduled."]):
            self.injects.addItem(text)
        for seq, title in fired:
            item = QListWidgetItem(f"Fired by the facilitator: {title}")
            item.setData(Qt.ItemDataRole.UserRole, seq)
            self.injects.insertItem(0, item)
        self._sync_retract()

    def set_inject_marks(self, marks: dict[str, str]) -> None:
        """The picker says what each inject already is this turn ('Typhoon — scheduled
        this turn'), so nobody fires a scheduled one twice by mistake."""
        for index in range(self.inject_combo.count()):
            inject_id = self.inject_combo.itemData(index)
            title = self.inject_combo.itemData(index, Qt.ItemDataRole.AccessibleTextRole) \
                or self.inject_combo.itemText(index)
            self.inject_combo.setItemData(index, title, Qt.ItemDataRole.AccessibleTextRole)
            mark = marks.get(inject_id)
            self.inject_combo.setItemText(index, f"{title} — {mark}" if mark else title)

    def _sync_retract(self) -> None:
        item = self.injects.currentItem()
        self.retract_button.setEnabled(
            "retract_inject" in getattr(self, "_allowed", ()) and item is not None
            and item.data(Qt.ItemDataRole.UserRole) is not None)

    def _retract_clicked(self) -> None:
        item = self.injects.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
            self.retractInjectRequested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def set_submissions(self, rows: list[tuple[str, str, str]]) -> None:
        self.submissions.setRowCount(0)
        for team, played_by, status in rows:
            r = self.submissions.rowCount()
            self.submissions.insertRow(r)
            for c, text in enumerate((team, played_by, status)):
                self.submissions.setItem(r, c, QTableWidgetItem(text))

    def clear_adjudication(self) -> None:
        self.outcomes.setRowCount(0)
        self.explanations.clear()
        self.override_button.setEnabled(False)
        self.commit_button.setEnabled(False)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.resolve_button.setEnabled(not busy and self.resolve_button.isEnabled())

    def set_outcomes(self, scenario, outcomes: list[dict], orders: dict[str, dict],
                     explanations: list) -> None:
        """The proposed outcomes of every order, and the engine's explanations (every one:
        those naming a covert move are marked as not for the room)."""
        self.outcomes.setRowCount(0)
        for outcome in outcomes:
            r = self.outcomes.rowCount()
            self.outcomes.insertRow(r)
            order = orders.get(outcome.get("order_id", ""), {})
            team = outcome.get("team", "")
            team_name = scenario.team(team).name if team in scenario.team_index else (
                "White cell" if team == "facilitator" else team)
            text = describe_order(scenario, outcome.get("move", order.get("move", "")),
                                  order.get("params", {}), team)
            cells = (team_name, text, str(outcome.get("status", "")).lower(),
                     str(outcome.get("detail", "")))
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, outcome.get("order_id", ""))
                if c in (1, 3):
                    item.setToolTip(value)
                self.outcomes.setItem(r, c, item)
        self.outcomes.resizeRowsToContents()
        self.explanations.setHtml(explanation_list_html(explanations))
        self.override_button.setEnabled(bool(outcomes))
        self.commit_button.setEnabled(True)

    def set_analysis_enabled(self, luck: bool, branches: bool) -> None:
        """"Was it luck?" once a turn is committed; branches when the session has forks."""
        self.luck_button.setEnabled(luck)
        self.branches_button.setEnabled(branches)

    def set_debrief(self, html_text: str) -> None:
        self.debrief_text.setHtml(html_text)

    def set_debrief_turns(self, turns: list[int], shown: int | None) -> None:
        """The committed turns the slider offers (it hides with fewer than two), and the
        turn shown (the last unless the facilitator chose an earlier one)."""
        self.turn_slider.blockSignals(True)
        if turns:
            self.turn_slider.setRange(turns[0], turns[-1])
            self.turn_slider.setValue(shown if shown in turns else turns[-1])
        self.turn_slider.blockSignals(False)
        several = len(turns) > 1
        for widget in (self.turn_slider_label, self.turn_slider, self.turn_shown):
            widget.setVisible(several)
        value = self.turn_slider.value()
        self.turn_shown.setText(f"turn {value}" + (" (last played)" if turns and
                                                   value == turns[-1] else ""))

    def _turn_slid(self, turn: int) -> None:
        self.debriefTurnChosen.emit(turn)

    def set_notes(self, notes: list[tuple[int, str]]) -> None:
        """(event, text) of each note; the chosen one can be edited or deleted."""
        chosen = self.notes.currentItem().data(Qt.ItemDataRole.UserRole) \
            if self.notes.currentItem() is not None else None
        self.notes.clear()
        for seq, text in notes:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, seq)
            self.notes.addItem(item)
            if seq == chosen:
                self.notes.setCurrentItem(item)
        self._sync_note_buttons()

    def _sync_note_buttons(self) -> None:
        chosen = self.notes.currentItem() is not None
        allowed = getattr(self, "_allowed", frozenset())
        self.edit_note_button.setEnabled(chosen and "edit_note" in allowed)
        self.delete_note_button.setEnabled(chosen and "delete_note" in allowed)

    def _note_action(self, signal) -> None:
        item = self.notes.currentItem()
        if item is not None:
            signal.emit(int(item.data(Qt.ItemDataRole.UserRole)))
