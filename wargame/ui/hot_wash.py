"""The hot-wash page: what the room says straight after the exercise (what went well, what to
improve, who does what by when, who played which team). Saved to the session's log as a
``HotWash`` (``wargame.report.hotwash``); the after-action report prints it as the
improvement plan."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wargame.report.hotwash import ActionItem, HotWash

ACTION_COLUMNS = ("What", "Who", "By when")


class HotWashPage(QWidget):
    """The form. ``hot_wash()`` reads it as a ``HotWash``; ``set_hot_wash`` fills it."""

    def __init__(self, teams: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.teams = teams  # (team id, team name)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("One item per line. This becomes the report's improvement "
                                "plan."))
        lists = QHBoxLayout()
        self.went_well = self._list(lists, "What went well")
        self.to_improve = self._list(lists, "What to improve")
        layout.addLayout(lists, 2)

        box = QGroupBox("Who does what by when")
        box_layout = QVBoxLayout(box)
        self.actions = QTableWidget(0, len(ACTION_COLUMNS))
        self.actions.setAccessibleName("Who does what by when")
        self.actions.setHorizontalHeaderLabels(ACTION_COLUMNS)
        self.actions.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        box_layout.addWidget(self.actions)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add action")
        self.add_button.clicked.connect(lambda: self.add_action())
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.clicked.connect(self._remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        layout.addWidget(box, 2)

        players = QGroupBox("Who played each team")
        form = QFormLayout(players)
        self.players: dict[str, QLineEdit] = {}
        for team, name in teams:
            edit = QLineEdit()
            edit.setAccessibleName(f"Players of {name}")
            edit.setPlaceholderText("names, as they should appear in the report")
            form.addRow(name, edit)
            self.players[team] = edit
        layout.addWidget(players, 1)

    def _list(self, layout: QHBoxLayout, title: str) -> QPlainTextEdit:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        edit = QPlainTextEdit()
        edit.setAccessibleName(title)
        inner.addWidget(edit)
        layout.addWidget(box)
        return edit

    def add_action(self, what: str = "", who: str = "", by_when: str = "") -> None:
        row = self.actions.rowCount()
        self.actions.insertRow(row)
        for column, text in enumerate((what, who, by_when)):
            self.actions.setItem(row, column, QTableWidgetItem(text))

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.actions.selectedIndexes()}, reverse=True):
            self.actions.removeRow(row)

    @staticmethod
    def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
        return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())

    def hot_wash(self) -> HotWash:
        """The form as a ``HotWash`` (``ValueError`` from pydantic if a field is too long)."""
        actions = []
        for row in range(self.actions.rowCount()):
            cells = [(self.actions.item(row, c).text().strip()
                      if self.actions.item(row, c) else "") for c in range(3)]
            if cells[0]:
                actions.append(ActionItem(what=cells[0], who=cells[1], by_when=cells[2]))
        return HotWash(went_well=self._lines(self.went_well),
                       to_improve=self._lines(self.to_improve), actions=tuple(actions),
                       players={team: edit.text() for team, edit in self.players.items()})

    def set_hot_wash(self, hot_wash: HotWash) -> None:
        self.went_well.setPlainText("\n".join(hot_wash.went_well))
        self.to_improve.setPlainText("\n".join(hot_wash.to_improve))
        self.actions.setRowCount(0)
        for action in hot_wash.actions:
            self.add_action(action.what, action.who, action.by_when)
        for team, edit in self.players.items():
            edit.setText(hot_wash.players.get(team, ""))


class HotWashDialog(QDialog):
    def __init__(self, teams: list[tuple[str, str]], current: HotWash,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hot wash")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.page = HotWashPage(teams)
        self.page.set_hot_wash(current)
        layout.addWidget(self.page)
        self.error = QLabel()
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.result_hot_wash: HotWash | None = None

    def _save(self) -> None:
        try:
            self.result_hot_wash = self.page.hot_wash()
        except ValueError as exc:
            self.error.setText(f"Cannot save: {str(exc).splitlines()[0]}")
            return
        self.accept()
