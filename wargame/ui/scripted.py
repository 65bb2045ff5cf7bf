"""Scripted answers to the window's modal questions, for tests and the screenshot tour.

``ScriptedPrompts`` answers every question the way the script says, and records what was
asked, so GUI tests drive the real widgets without blocking on a modal dialog.
"""
from __future__ import annotations

from collections import deque


class ScriptedPrompts:
    def __init__(self, window, setup=None, confirm: bool = True) -> None:
        self.window = window
        self.setup_fn = setup  # callable(SetupDialog) -> None, adjusts the real dialog
        self.confirm_answer = confirm
        self.texts: deque[str | None] = deque()
        self.choices: deque[str | None] = deque()
        self.open_paths: deque[str | None] = deque()
        self.asked: list[tuple[str, str]] = []

    def setup(self, scenario):
        from wargame.ui.setup_dialog import SetupDialog

        dialog = SetupDialog(scenario, self.window)
        if self.setup_fn is not None:
            self.setup_fn(dialog)
        result = dialog.result_setup()
        dialog.deleteLater()
        return result

    def confirm(self, title: str, text: str) -> bool:
        self.asked.append(("confirm", title))
        return self.confirm_answer

    def text(self, title: str, label: str, multiline: bool = False):
        self.asked.append(("text", title))
        return self.texts.popleft() if self.texts else None

    def choose(self, title: str, label: str, items: list[str]):
        self.asked.append(("choose", title))
        if self.choices:
            choice = self.choices.popleft()
            return choice if choice in items or choice is None else items[0]
        return items[0] if items else None

    def open_scenario(self):
        return self.open_paths.popleft() if self.open_paths else None

    def info(self, title: str, text: str) -> None:
        self.asked.append(("info", title))
