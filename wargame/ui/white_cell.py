"""The white-cell order dialog: the facilitator orders any move of the scenario (including the
``teams: []`` white-cell moves) with the team screen's typed parameter widgets.

The dialog edits the white cell's whole list for the turn; the list replaces the previous
one when accepted (``Exercise.submit_facilitator_orders``), so an order can be withdrawn.
It never shows any team's orders.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wargame.ui.draft_commands import AddOrderCommand, DraftModel, RemoveOrderCommand
from wargame.ui.team_screen import (
    FACILITATOR, MovePicker, ParamEditor, category_label, describe_order, tab_chain,
)

WHITE_CELL_CATEGORY = "white_cell"


def white_cell_moves(scenario) -> list:
    """Every move, the white cell's own (``teams: []``) first: those are what it is for."""
    own = [m for m in scenario.moves if not m.teams or m.category == WHITE_CELL_CATEGORY]
    return own + [m for m in scenario.moves if m not in own]


class WhiteCellDialog(MovePicker, QDialog):
    def __init__(self, scenario, entries: list[dict] | None = None,
                 validate: Callable[[dict, list[dict]], list[str]] | None = None,
                 turn: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WhiteCellDialog")
        self.setWindowTitle("White-cell orders" + (f" — turn {turn}" if turn else ""))
        self.scenario = scenario
        self.validate = validate
        self.draft = DraftModel(FACILITATOR, self)
        self.undo_stack = QUndoStack(self)
        self._editor: ParamEditor | None = None

        outer = QVBoxLayout(self)
        intro = QLabel("Orders of the white cell: any move, paid by no team, sealed like the "
                       "teams' orders until the turn is resolved. The outcome reads "
                       "“White cell: …” in the debrief.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        body = QHBoxLayout()
        outer.addLayout(body, 1)

        left = QGroupBox("Moves")
        lv = QVBoxLayout(left)
        self.build_move_column(lv, "Moves the white cell may order")
        self.moves.blockSignals(True)  # the form is built once the list is filled
        for move in white_cell_moves(scenario):
            who = ", ".join(scenario.team(t).name for t in move.teams
                            if t in scenario.team_index) or "white cell only"
            item = QListWidgetItem(move.name)
            item.setData(Qt.ItemDataRole.UserRole, move.id)
            item.setToolTip(f"{category_label(move.category)}: {move.description or move.name}"
                            f"\nNormally used by: {who}")
            self.moves.addItem(item)
        self.moves.blockSignals(False)
        self.add_button = QPushButton("&Add to white-cell orders")
        self.add_button.setAccessibleName("Add white-cell order")
        self.add_button.clicked.connect(self.add_current)
        lv.addWidget(self.add_button)
        body.addWidget(left, 3)

        right = QGroupBox("White-cell orders this turn")
        rv = QVBoxLayout(right)
        self.draft_list = QListWidget()
        self.draft_list.setAccessibleName("White-cell orders this turn")
        self.draft_list.setWordWrap(True)
        rv.addWidget(self.draft_list, 1)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        rv.addWidget(self.problems)
        row = QHBoxLayout()
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove selected white-cell order")
        self.remove_button.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo last white-cell edit")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        row.addWidget(self.remove_button)
        row.addWidget(self.undo_button)
        rv.addLayout(row)
        body.addWidget(right, 2)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button = self.buttons.addButton("&Seal white-cell orders",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setAccessibleName("Seal white-cell orders")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        for entry in entries or []:  # the list sealed earlier this turn, editable
            self.draft._insert(len(self.draft), entry)
        self.draft.changed.connect(self._refresh_draft)
        self._refresh_draft()
        if self.moves.count():
            self.moves.setCurrentRow(0)
        self.resize(980, 620)

    # ---- moves

    def _move_selected(self) -> None:
        self._editor = None
        while self.form.rowCount():
            self.form.removeRow(0)
        move = self.current_move()
        if move is None:
            self.move_help.clear()
            return
        self.move_help.setText(move.description or move.name)
        self._editor = ParamEditor(self.scenario, move, FACILITATOR, self.form, lambda: None)
        tab_chain(self.moves, *self._editor.widgets.values(), self.add_button,
                  self.draft_list)

    # ---- draft

    def add_current(self) -> bool:
        move = self.current_move()
        if move is None or self._editor is None:
            return False
        entry = {"move": move.id, "params": self._editor.values()}
        problems = self.validate(entry, self.draft.entries()) if self.validate else []
        if problems:
            self.problems.setText("Cannot add this order: " + "; ".join(problems))
            return False
        self.problems.clear()
        label = describe_order(self.scenario, move.id, entry["params"], FACILITATOR)
        self.undo_stack.push(AddOrderCommand(self.draft, entry, label=label))
        return True

    def remove_selected(self) -> None:
        row = self.draft_list.currentRow()
        if 0 <= row < len(self.draft):
            entry = self.draft[row]
            self.undo_stack.push(RemoveOrderCommand(
                self.draft, row, label=describe_order(self.scenario, entry["move"],
                                                      entry["params"], FACILITATOR)))

    def _refresh_draft(self) -> None:
        self.draft_list.clear()
        for entry in self.draft.entries():
            self.draft_list.addItem(describe_order(self.scenario, entry["move"],
                                                   entry["params"], FACILITATOR))
        if not len(self.draft):
            self.draft_list.addItem(QListWidgetItem("(none)"))
            self.draft_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def entries(self) -> list[dict]:
        return self.draft.entries()
