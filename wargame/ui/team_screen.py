"""A team's private order screen (hot-seat).

Shown only after the hand-over curtain has been lifted by that team. It displays the team's
own view (made by the engine's ``team_view``: its indicators, public information about
others), its budget and political capital, the moves it may use with typed parameter
widgets, the cost of each order and what remains, and the draft with undo/redo.

:meth:`TeamScreen.clear` wipes every widget; the main window calls it on submit and whenever
the screen is left, so nothing of this team remains in the widget tree for the next one.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wargame.report.panels import count_of
from wargame.ui.draft_commands import AddOrderCommand, DraftModel, RemoveOrderCommand
from wargame.ui.fonts import prominent, set_type
from wargame.ui.text_views import SourcedTextBrowser

if TYPE_CHECKING:  # the engine is imported when a session opens, not at start-up
    from wargame.engine.view import TeamView

BIG = 1e12
# the same in light and dark palettes: white on vermillion reads at 4.5:1
TIME_UP_STYLE = ("background: #B03A00; color: #FFFFFF; font-size: 14pt; font-weight: bold; "
                 "padding: 8px; border-radius: 4px;")
FACILITATOR = "facilitator"  # = wargame.engine.FACILITATOR (not imported: keeps start-up light)


# --------------------------------------------------------------------------- parameters


def options_for(scenario, spec, team_id: str, material: str | None = None) -> list[tuple[str, str]]:
    """(id, label) choices of a parameter, filtered by its scope (the white cell, which
    owns nothing, sees every choice)."""
    kind = "actor" if spec.type == "actors" else spec.type  # several: the same choices
    if team_id == FACILITATOR and kind in ("actor", "team"):
        items = scenario.actors if kind == "actor" else scenario.teams
        return [(a.id, a.name) for a in items]
    if kind == "actor":
        own = set(scenario.team_actors(team_id))
        actors = scenario.actors
        if spec.scope == "own":
            actors = [a for a in actors if a.id in own]
        elif spec.scope == "other":
            actors = [a for a in actors if a.id not in own]
        return [(a.id, a.name) for a in actors]
    if kind == "material":
        return [(m.id, m.name) for m in scenario.materials]
    if kind == "stage":
        if material is None:
            material = scenario.materials[0].id
        try:
            stages = scenario.material(material).stages
        except KeyError:
            return []
        return [(s.id, s.name) for s in stages]
    if kind == "sector":
        return [(s.id, s.name) for s in scenario.sectors]
    if kind == "team":
        teams = scenario.teams
        if spec.scope == "own":
            teams = [t for t in teams if t.id == team_id]
        elif spec.scope == "other":
            teams = [t for t in teams if t.id != team_id]
        return [(t.id, t.name) for t in teams]
    if kind == "choice":  # a restriction level by its name ('Slow-walked licences')
        levels = getattr(scenario, "level_index", {})
        return [(c, levels[c].name if c in levels else c.replace("_", " ").capitalize())
                for c in spec.choices]
    return []


class ParamEditor:
    """One typed widget per parameter of a move type."""

    def __init__(self, scenario, move, team_id: str, form: QFormLayout,
                 on_change: Callable[[], None]) -> None:
        self.scenario, self.move, self.team_id = scenario, move, team_id
        self.widgets: dict[str, QWidget] = {}
        self.help_labels: dict[str, QLabel] = {}
        for spec in move.params:
            widget = self._make(spec)
            widget.setAccessibleName(spec.title)
            tip = param_help_text(spec)
            widget.setToolTip(tip or spec.title)
            label = QLabel(spec.title + ":")
            label.setWordWrap(True)
            label.setBuddy(widget)
            form.addRow(label, widget)
            if tip:  # visible under the field, not only in a tooltip
                help_label = QLabel(tip)
                help_label.setObjectName("paramHelp")
                help_label.setWordWrap(True)
                help_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
                widget.setAccessibleDescription(tip)
                form.addRow("", help_label)
                self.help_labels[spec.name] = help_label
            self.widgets[spec.name] = widget
        for spec in move.params:  # stage lists follow their material
            if spec.type == "stage":
                source = spec.material_param or next(
                    (p.name for p in move.params if p.type == "material"), None)
                if source and isinstance(self.widgets.get(source), QComboBox):
                    combo = self.widgets[source]
                    combo.currentIndexChanged.connect(
                        lambda _i, s=spec, src=source: self._refill_stage(s, src))
                    self._refill_stage(spec, source)
        for widget in self.widgets.values():
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i: on_change())
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                widget.valueChanged.connect(lambda _v: on_change())
            elif isinstance(widget, QListWidget):
                widget.itemChanged.connect(lambda _item: on_change())

    def _make(self, spec) -> QWidget:
        if spec.type in ("number", "integer"):
            lo = spec.min if spec.min is not None else (0.0 if spec.type == "integer" else -BIG)
            hi = spec.max if spec.max is not None else BIG
            if spec.type == "integer":
                box: QWidget = QSpinBox()
                box.setRange(int(max(lo, -2**31 + 1)), int(min(hi, 2**31 - 1)))
                if spec.default is not None:
                    box.setValue(int(spec.default))
            else:
                box = QDoubleSpinBox()
                span = hi - lo
                box.setDecimals(3 if span <= 10 else 1)
                box.setRange(lo, hi)
                box.setSingleStep(0.05 if span <= 1.0001 else (1.0 if span <= 1000 else 100.0))
                if spec.default is not None:
                    box.setValue(float(spec.default))
                elif spec.min is not None:
                    box.setValue(float(spec.min))
                else:
                    box.setValue(0.0)
            return box
        if spec.type == "actors":  # several actors: a list with a check box each
            box = QListWidget()
            chosen = set(spec.default or [])
            for value, label in options_for(self.scenario, spec, self.team_id):
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value in chosen
                                   else Qt.CheckState.Unchecked)
                box.addItem(item)
            box.setMaximumHeight(6 * box.fontMetrics().height() + 8)
            return box
        combo = QComboBox()
        # as wide as the form allows, not as the longest entry (fits at 1024 px)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        for value, label in options_for(self.scenario, spec, self.team_id):
            combo.addItem(label, value)
        if spec.default is not None:
            index = combo.findData(spec.default)
            if index >= 0:
                combo.setCurrentIndex(index)
        return combo

    def _refill_stage(self, spec, source: str) -> None:
        combo = self.widgets[spec.name]
        material = self.widgets[source].currentData()
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for value, label in options_for(self.scenario, spec, self.team_id, material):
            combo.addItem(label, value)
        index = combo.findData(keep if keep is not None else spec.default)
        if index >= 0:
            combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QSpinBox):
                out[name] = int(widget.value())
            elif isinstance(widget, QDoubleSpinBox):
                out[name] = float(widget.value())
            elif isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, QListWidget):  # an 'actors' parameter
                out[name] = [widget.item(n).data(Qt.ItemDataRole.UserRole)
                             for n in range(widget.count())
                             if widget.item(n).checkState() == Qt.CheckState.Checked]
        return out


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def category_label(category: str) -> str:
    """A move category as words: 'export_controls' -> 'Export controls'."""
    text = category.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def param_help_text(spec) -> str:
    """What a parameter means, shown under its field: the scenario's help text and, for a
    number, the range it may take."""
    parts = [spec.help.strip()] if spec.help and spec.help.strip() else []
    if spec.type in ("number", "integer") and spec.min is not None and spec.max is not None:
        parts.append(f"from {_number(spec.min)} to {_number(spec.max)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else ""


def tab_chain(*widgets: QWidget) -> None:
    """Tab order in working order: widgets made later (a move's parameters) would
    otherwise come last in the focus chain, after Submit."""
    for first, second in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(first, second)


def order_cost(move, params: dict[str, Any]) -> tuple[float, float]:
    """(budget USD m, political capital) an order costs: the engine's rule."""
    from wargame.engine.orders import order_cost as engine_order_cost

    return engine_order_cost(move, params)


def describe_order(scenario, move_id: str, params: dict[str, Any],
                   team: str | None = None) -> str:
    """An order as a sentence ("Dy/Tb slow-walked licences on the European Union, for 2
    turns"): the engine's wording (``engine.phrases``)."""
    from wargame.engine.phrases import describe_move

    return describe_move(scenario, move_id, params, team)


# --------------------------------------------------------------------------- screen


class MovePicker:
    """Picking a move from ``self.moves`` (items carry move ids) and reaching the parameter
    widgets of ``self._editor``: shared by the team screen and the white-cell dialog."""

    scenario = None
    moves: QListWidget
    _editor: ParamEditor | None = None

    def build_move_column(self, layout: QVBoxLayout, accessible_name: str) -> None:
        """The move list, its help text and the parameter form, added to ``layout``."""
        self.moves = QListWidget()
        self.moves.setAccessibleName(accessible_name)
        self.moves.currentItemChanged.connect(lambda *_: self._move_selected())
        # at least five moves in view, even beside a long form at 640 px
        self.moves.setMinimumHeight(self.moves.fontMetrics().height() * 5 + 8)
        layout.addWidget(self.moves, 2)
        self.move_help = QLabel()
        self.move_help.setWordWrap(True)
        layout.addWidget(self.move_help)
        self.form_host = QFrame()
        self.form = QFormLayout(self.form_host)
        # a long label goes above its field rather than widening the window (1024 px)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addWidget(self.form_host)

    def current_move(self):
        item = self.moves.currentItem()
        if item is None or self.scenario is None:
            return None
        return self.scenario.move_index.get(item.data(Qt.ItemDataRole.UserRole))

    def select_move(self, move_id: str) -> None:
        for row in range(self.moves.count()):
            if self.moves.item(row).data(Qt.ItemDataRole.UserRole) == move_id:
                self.moves.setCurrentRow(row)
                return
        raise KeyError(move_id)

    def param_widget(self, name: str) -> QWidget:
        assert self._editor is not None
        return self._editor.widgets[name]


class TeamScreen(MovePicker, QWidget):
    """The order-drafting screen of one team. Emits ``submitted(team, entries)``."""

    submitted = Signal(str, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TeamScreen")
        self.scenario = None
        self.team_id: str | None = None
        self.state = None
        self.validate: Callable[[dict, list[dict]], list[str]] | None = None
        self.budget = 0.0
        self.capital = 0.0
        self.draft = DraftModel(parent=self)
        self.undo_stack = QUndoStack(self)
        self.draft.changed.connect(self._refresh_draft)
        self._editor: ParamEditor | None = None

        outer = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setObjectName("teamHeader")
        set_type(self.header, 18, bold=True)
        self.money = QLabel()
        self.money.setObjectName("teamMoney")
        set_type(self.money, 12)
        # both wrap at 1024 px instead of widening the window
        self.header.setWordWrap(True)
        self.money.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName("teamClock")
        self.clock.setAccessibleName("Time left for orders")
        set_type(self.clock, 16, bold=True)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.clock)
        outer.addLayout(top)
        outer.addWidget(self.money)
        self.time_up_banner = QLabel("Time is up: submit your orders now. The facilitator "
                                     "may close the orders without yours.")
        self.time_up_banner.setObjectName("timeUpBanner")
        self.time_up_banner.setAccessibleName("Time is up")
        self.time_up_banner.setWordWrap(True)
        self.time_up_banner.setStyleSheet(TIME_UP_STYLE)
        self.time_up_banner.hide()
        outer.addWidget(self.time_up_banner)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)

        # left: what the team knows
        self.situation = SourcedTextBrowser()
        self.situation.setAccessibleName("Your situation")
        left = QGroupBox("Your situation")
        QVBoxLayout(left).addWidget(self.situation)
        splitter.addWidget(left)

        # middle: moves and parameters
        middle = QGroupBox("Moves you may use")
        mid_layout = QVBoxLayout(middle)
        self.build_move_column(mid_layout, "Moves you may use")
        self.cost_label = QLabel()
        self.cost_label.setWordWrap(True)
        mid_layout.addWidget(self.cost_label)
        self.arrival_label = QLabel()
        self.arrival_label.setObjectName("arrival")
        self.arrival_label.setAccessibleName("When the new capacity arrives")
        self.arrival_label.setWordWrap(True)
        mid_layout.addWidget(self.arrival_label)
        self.add_button = QPushButton("&Add to draft")
        self.add_button.setAccessibleName("Add order to draft")
        self.add_button.setToolTip("Add this order to your draft (Ctrl+Return)")
        self.add_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.add_button.clicked.connect(self.add_current)
        mid_layout.addWidget(self.add_button)
        splitter.addWidget(middle)

        # right: the draft
        right = QGroupBox("Your draft orders")
        right_layout = QVBoxLayout(right)
        self.draft_list = QListWidget()
        self.draft_list.setAccessibleName("Draft orders")
        self.draft_list.setWordWrap(True)
        right_layout.addWidget(self.draft_list, 1)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        # the palette's warning colour (light and dark), not a fixed one
        self.problems.setForegroundRole(QPalette.ColorRole.BrightText)
        set_type(self.problems, bold=True)
        right_layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove selected order")
        self.remove_button.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo last draft edit")
        self.undo_button.setToolTip("Undo (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton("Re&do")
        self.redo_button.setAccessibleName("Redo draft edit")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        for b in (self.remove_button, self.undo_button, self.redo_button):
            buttons.addWidget(b)
        right_layout.addLayout(buttons)
        self.submit_button = QPushButton("&Submit orders")
        self.submit_button.setAccessibleName("Submit orders")
        prominent(self.submit_button)
        self.submit_button.setToolTip("Seal your orders and hand the laptop on")
        self.submit_button.clicked.connect(self._submit_clicked)
        right_layout.addWidget(self.submit_button)
        splitter.addWidget(right)
        splitter.setSizes([380, 440, 380])
        self.confirm_submit = True
        self.clear()

    # ---- lifecycle

    def open_for(self, scenario, team_id: str, turn: int, budget: float, capital: float,
                 view: TeamView | None,
                 validate: Callable[[dict, list[dict]], list[str]] | None,
                 last_turn: int | None = None, baseline: bool = False,
                 arrivals: Callable[[dict], list] | None = None, kept: list[dict] = (),
                 keep: Callable[[list[dict]], None] | None = None) -> None:
        """Show ``team_id``'s screen for ``turn``. ``baseline``: ``view`` holds the baseline
        world (no turn played yet); ``arrivals(entry)``: the capacity a draft order would
        build, with the turn it arrives (``engine.capacity_arrivals``); ``kept``: the
        team's draft kept from before (a crash, a quit), back in the list; ``keep(entries)``
        is called after every edit so nothing drafted is lost."""
        self.clear()
        self.scenario, self.team_id = scenario, team_id
        self.turn, self.last_turn, self.arrivals = turn, last_turn, arrivals
        self.keep = None
        for entry in kept:  # not undoable: it is where the team left off
            self.draft._insert(len(self.draft), entry)
        self.keep = keep
        self.budget, self.capital = float(budget), float(capital)
        self.validate = validate
        team = scenario.team(team_id)
        self.header.setText(f"{team.name} — orders for turn {turn}")
        self.money.setToolTip(_baseline_tip(scenario, "Budget at the start of the exercise",
                                            team.budget, "USD m") + "\n" +
                              _baseline_tip(scenario, "Political capital at the start",
                                            team.political_capital, ""))
        from wargame.report.team_panel import team_view_html

        self.situation.setHtml(team_view_html(scenario, team_id, view, last_turn, baseline))
        for move in scenario.moves:
            if move.allowed_for(team_id):
                item = QListWidgetItem(move.name)  # no raw category id in the list
                item.setData(Qt.ItemDataRole.UserRole, move.id)
                item.setToolTip(f"{category_label(move.category)}: "
                                f"{move.description or move.name}")
                self.moves.addItem(item)
        if self.moves.count():
            self.moves.setCurrentRow(0)
        self._refresh_draft()
        self.moves.setFocus()

    def set_clock(self, text: str, time_up: bool) -> None:
        """The orders timer (not secret): "MM:SS" and a banner once it has run out."""
        self.clock.setText(f"Time left {text}" if text else "")  # no emoji: fonts lack it
        self.time_up_banner.setVisible(time_up and self.team_id is not None)

    def clear(self) -> None:
        """Forget everything about the team that was here."""
        self.undo_stack.clear()
        self.draft.blockSignals(True)
        self.draft.clear()
        self.draft.blockSignals(False)
        self.keep = None  # nothing is kept while the screen is being cleared
        self.scenario = self.team_id = self.validate = self.arrivals = None
        self.turn, self.last_turn = 0, None
        self.header.clear()
        self.money.clear()
        self.situation.clear()
        self.moves.clear()
        self.move_help.clear()
        self._clear_form()
        self.cost_label.clear()
        self.arrival_label.clear()
        self.draft_list.clear()
        self.problems.clear()
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.time_up_banner.hide()

    def _clear_form(self) -> None:
        self._editor = None
        while self.form.rowCount():
            self.form.removeRow(0)

    # ---- moves

    def _move_selected(self) -> None:
        self._clear_form()
        move = self.current_move()
        if move is None:
            return
        public = "" if move.public else " Covert: revealed only in the debrief."
        self.move_help.setText(f"{category_label(move.category)}. "
                               + (move.description or move.name) + public)
        self._editor = ParamEditor(self.scenario, move, self.team_id, self.form,
                                   self._update_cost)
        tab_chain(self.moves, *self._editor.widgets.values(), self.add_button,
                  self.draft_list)
        self._update_cost()

    def spent(self) -> tuple[float, float]:
        budget = capital = 0.0
        if self.scenario is None:
            return 0.0, 0.0
        for entry in self.draft.entries():
            move = self.scenario.move_index.get(entry["move"])
            if move:
                b, c = order_cost(move, entry["params"])
                budget += b
                capital += c
        return budget, capital

    def _update_cost(self) -> None:
        move = self.current_move()
        if move is None or self._editor is None:
            self.cost_label.clear()
            return
        b, c = order_cost(move, self._editor.values())
        sb, sc = self.spent()
        self._update_arrival(move)
        self.cost_label.setText(
            f"This order costs <b>{b:,.0f} USD m</b> and <b>{c:,.0f}</b> political capital. "
            f"After it you would have {self.budget - sb - b:,.0f} USD m and "
            f"{self.capital - sc - c:,.0f} political capital left.")

    def _update_arrival(self, move) -> None:
        """For a move that builds capacity: how much (t/yr, as ordered) and on which turn
        it arrives, from the engine's own binding of the order."""
        entries = []
        if self.arrivals is not None and self._editor is not None:
            try:
                entries = self.arrivals({"move": move.id, "params": self._editor.values()})
            except Exception:  # noqa: BLE001 - a half-filled form: nothing to say yet
                entries = []
        self.arrival_label.setText(arrival_text(self.scenario, entries, self.turn,
                                                self.last_turn))
        self.arrival_label.setVisible(bool(entries))

    # ---- draft

    def current_entry(self) -> dict | None:
        move = self.current_move()
        if move is None or self._editor is None:
            return None
        return {"move": move.id, "params": self._editor.values()}

    def add_current(self) -> bool:
        entry = self.current_entry()
        if entry is None:
            return False
        problems = self._check(entry)
        if problems:
            self.problems.setText("Cannot add this order: " + "; ".join(problems))
            return False
        self.problems.clear()
        label = describe_order(self.scenario, entry["move"], entry["params"], self.team_id)
        self.undo_stack.push(AddOrderCommand(self.draft, entry, label=label))
        return True

    def _check(self, entry: dict) -> list[str]:
        problems: list[str] = []
        move = self.scenario.move_index[entry["move"]]
        b, c = order_cost(move, entry["params"])
        sb, sc = self.spent()
        if sb + b > self.budget + 1e-9:
            problems.append(f"not enough budget ({self.budget - sb:,.0f} USD m left)")
        if sc + c > self.capital + 1e-9:
            problems.append(f"not enough political capital ({self.capital - sc:,.0f} left)")
        if self.validate is not None and not problems:
            problems.extend(self.validate(entry, self.draft.entries()))
        return problems

    def remove_selected(self) -> None:
        row = self.draft_list.currentRow()
        if row < 0 or row >= len(self.draft):
            return
        entry = self.draft[row]
        label = describe_order(self.scenario, entry["move"], entry["params"], self.team_id)
        self.undo_stack.push(RemoveOrderCommand(self.draft, row, label=label))

    def _refresh_draft(self) -> None:
        self.draft_list.clear()
        if self.scenario is None:
            return
        if getattr(self, "keep", None) is not None:
            try:
                self.keep(self.draft.entries())
            except Exception as exc:  # noqa: BLE001 - drafting goes on; say it is not kept
                self.problems.setText(f"This draft could not be kept: {exc}")
        for entry in self.draft.entries():
            move = self.scenario.move_index.get(entry["move"])
            b, c = order_cost(move, entry["params"]) if move else (0, 0)
            text = describe_order(self.scenario, entry["move"], entry["params"], self.team_id)
            item = QListWidgetItem(f"{text}\n    costs {b:,.0f} USD m, {c:,.0f} political "
                                   "capital")
            self.draft_list.addItem(item)
        sb, sc = self.spent()
        self.money.setText(
            f"Budget: {self.budget - sb:,.0f} of {self.budget:,.0f} USD m left   ·   "
            f"Political capital: {self.capital - sc:,.0f} of {self.capital:,.0f} left   ·   "
            f"{count_of(len(self.draft), 'order').capitalize()} drafted")
        self._update_cost()

    def _submit_clicked(self) -> None:
        if self.team_id is None:
            return
        if self.confirm_submit:
            count = len(self.draft)
            answer = QMessageBox.question(
                self, "Submit orders",
                f"Seal {count_of(count, 'order')} for {self.scenario.team(self.team_id).name}? "
                "You cannot change them afterwards.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.submit()

    def submit(self) -> None:
        team, entries = self.team_id, self.draft.entries()
        self.clear()
        self.submitted.emit(team, entries)


def _baseline_tip(scenario, what: str, figure, unit: str) -> str:
    """'what: value unit — source: full citation' for a baseline Figure."""
    text = f"{what}: {figure.value:,.0f} {unit}".rstrip()
    if figure.source:
        text += f" — source: {scenario.sources.get(figure.source, figure.source)}"
    if figure.note:
        text += f" ({figure.note})"
    return text


def arrival_text(scenario, entries: list, turn: int, last_turn: int | None) -> str:
    """What the order form says of new capacity, in the units ordered: '1,500 t/yr of new
    NdPr magnet making capacity arrives on turn 9, 8 turns from now (later if it slips).'"""
    from wargame.engine.wording import material_stage

    lines = []
    for entry in entries:
        due, years = entry.due_turn, entry.due_turn - turn
        kind = "recycling capacity" if entry.recycled else "capacity"
        what = (f"{entry.tonnes_per_year:,.0f} t/yr of new "
                f"{material_stage(scenario, entry.material, entry.stage)} {kind}")
        if last_turn is not None and due > last_turn:
            lines.append(f"{what} arrives on turn {due}, after the exercise ends (its last "
                         f"turn is {last_turn}): it will not count in this exercise.")
        else:
            lines.append(f"{what} arrives on turn {due}, {years} turn{'s' if years != 1 else ''}"
                         " from now (later if it slips).")
    return " ".join(lines)
