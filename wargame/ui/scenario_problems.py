"""File > Open scenario on a file with problems: every problem in a list, each with its
place (``FILE:LINE:COL``), which a click copies for the designer's editor; the dialog
watches the file and checks it again whenever it is saved, so a designer fixes the file in
their own editor and sees the list shrink. Once the file is valid the dialog closes and the
exercise set-up goes on with the new version (a running session keeps the version it
started with: its scenario is stored, content-hashed).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
)

RELOAD_DELAY_MS = 150  # editors save in steps (truncate, write, rename): wait for the last


class ScenarioProblemsDialog(QDialog):
    """``load()`` returns the scenario or raises an error with ``problems``; when it
    returns one, ``scenario`` holds it and the dialog is accepted."""

    def __init__(self, path: str | Path, error: BaseException, load: Callable[[], Any],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.path = str(path)
        self.load = load
        self.scenario: Any = None
        self.setWindowTitle("Scenario file has problems")
        self.setAccessibleName("Scenario file has problems")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems in the scenario file")
        self.problems.setWordWrap(True)
        self.problems.itemClicked.connect(self.copy_location)
        self.problems.itemActivated.connect(self.copy_location)
        layout.addWidget(self.problems, 1)
        self.status = QLabel("Click a problem to copy its place (file:line:column). Fix the "
                             "file in your editor and save: it is checked again at once.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = QPushButton("Check &again")
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.clicked.connect(self.check_again)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.watcher = QFileSystemWatcher(self)
        self._watch()
        self.watcher.fileChanged.connect(self._file_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_again)
        self.show_problems(error)

    # ---- the list

    def show_problems(self, error: BaseException) -> None:
        problems = list(getattr(error, "problems", None) or [])
        self.problems.clear()
        for problem in problems:
            item = QListWidgetItem(str(problem))
            line = getattr(problem, "line", 0)
            where = (f"{problem.file}:{line}:{problem.col}" if line and line > 0
                     else getattr(problem, "file", self.path))
            item.setData(Qt.ItemDataRole.UserRole, where)
            item.setToolTip(f"Click to copy {where}")
            self.problems.addItem(item)
        if not problems:
            self.problems.addItem(QListWidgetItem(str(error)))
        count = len(problems) or 1
        self.heading.setText(f"<b>{self.path}</b> has {count} problem"
                             f"{'s' if count != 1 else ''} (sorted by line):")

    def copy_location(self, item: QListWidgetItem) -> None:
        where = item.data(Qt.ItemDataRole.UserRole) or self.path
        QGuiApplication.clipboard().setText(where)
        self.status.setText(f"Copied {where}")

    # ---- watching the file

    def _watch(self) -> None:
        if Path(self.path).exists() and self.path not in self.watcher.files():
            self.watcher.addPath(self.path)

    def _file_changed(self, _path: str) -> None:
        self._timer.start(RELOAD_DELAY_MS)

    def check_again(self) -> None:
        """Read the file again: close with the scenario when it is valid, else show the
        problems it has now."""
        self._watch()  # an editor that saves by renaming replaced the watched file
        try:
            scenario = self.load()
        except Exception as exc:  # noqa: BLE001 - every refusal is shown in the list
            self.show_problems(exc)
            self.status.setText("Checked again: the file still has problems.")
            return
        self.scenario = scenario
        self.status.setText("The file is valid now.")
        self.accept()
