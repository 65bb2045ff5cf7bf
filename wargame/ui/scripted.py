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
        self.pins: deque[str | None] = deque()
        self.open_paths: deque[str | None] = deque()
        self.asked: list[tuple[str, str]] = []
        # callable(WhiteCellDialog) -> bool: fills the real dialog; False = cancel
        self.white_cell_fn = None
        # callable(OverrideDialog) -> bool: fills the real dialog; False = cancel. Without
        # it, the next of ``choices`` is the status and the next of ``texts`` the reason
        self.override_fn = None
        self.scenario_problems_fn = None  # drives the problems list of a broken file
        # callable(HotWashDialog) -> bool: fills the real page; False = cancel
        self.hot_wash_fn = None
        self.report_targets: deque[tuple[str, str] | None] = deque()
        self.pin_fn = None  # callable(PinDialog) -> bool: drives the real PIN dialog
        self.pin_dialogs: list = []  # the PIN dialogs made (tests read what they said)
        self.lock_answers: deque[str | None] = deque()
        self.report_options_fn = None  # callable(ReportOptionsDialog) -> bool

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

    def pin(self, title: str, label: str, check=None, wait_seconds=None):
        """The next of ``pins``; with ``check`` (a PIN prompt that checks), only a right
        PIN comes back (a wrong one is like a person giving up after "Wrong PIN"), and
        nothing while the door must wait. With ``pin_fn``, the real ``PinDialog`` is made
        and driven by it instead."""
        self.asked.append(("pin", title))
        if check is not None and self.pin_fn is not None:
            from wargame.ui.pin_dialog import PinDialog

            dialog = PinDialog(self.window, title, label, check, wait_seconds)
            self.pin_dialogs.append(dialog)
            try:
                return None if self.pin_fn(dialog) is False else dialog.pin
            finally:
                dialog.deleteLater()
        answer = self.pins.popleft() if self.pins else None
        if answer is None or check is None:
            return answer
        if wait_seconds is not None and wait_seconds() > 0:
            self.asked.append(("pin_wait", title))
            return None
        return answer if check(answer) else None

    def lock_held(self, text: str, can_take_over: bool):
        """Another window holds the session: the next of ``lock_answers`` ("read_only",
        "take_over" - only when offered - or None: cancel)."""
        self.asked.append(("lock_held", text))
        answer = self.lock_answers.popleft() if self.lock_answers else None
        return None if answer == "take_over" and not can_take_over else answer

    def report_options(self, scenario, luck_possible: bool):
        """The real ``ReportOptionsDialog``, driven by ``report_options_fn`` (default: the
        facilitator's edition, no "was it luck?"); None when it returns False."""
        from wargame.ui.report_export import ReportOptionsDialog

        self.asked.append(("report_options", ""))
        dialog = ReportOptionsDialog(scenario, luck_possible, self.window)
        try:
            if self.report_options_fn is not None and self.report_options_fn(dialog) is False:
                return None
            return dialog.options()
        finally:
            dialog.deleteLater()

    def choose(self, title: str, label: str, items: list[str]):
        self.asked.append(("choose", title))
        if self.choices:
            choice = self.choices.popleft()
            return choice if choice in items or choice is None else items[0]
        return items[0] if items else None

    def white_cell(self, scenario, entries, validate, turn):
        from wargame.ui.white_cell import WhiteCellDialog

        self.asked.append(("white_cell", f"turn {turn}"))
        dialog = WhiteCellDialog(scenario, entries, validate, turn, self.window)
        try:
            if self.white_cell_fn is None or self.white_cell_fn(dialog) is False:
                return None
            return dialog.entries()
        finally:
            dialog.deleteLater()

    def hot_wash(self, teams, current):
        from wargame.ui.hot_wash import HotWashDialog

        self.asked.append(("hot_wash", ""))
        dialog = HotWashDialog(teams, current, self.window)
        try:
            if self.hot_wash_fn is None or self.hot_wash_fn(dialog) is False:
                return None
            dialog._save()
            return dialog.result_hot_wash
        finally:
            dialog.deleteLater()

    def report_target(self, suggested: str):
        self.asked.append(("report_target", suggested))
        return self.report_targets.popleft() if self.report_targets else None

    def override(self, scenario, order: dict, outcome: dict):
        from wargame.ui.override_dialog import OverrideChoice, OverrideDialog

        self.asked.append(("override", order.get("id", "")))
        if self.override_fn is not None:
            dialog = OverrideDialog(scenario, order, outcome, self.window)
            try:
                if self.override_fn(dialog) is False or not dialog.ok_button.isEnabled():
                    return None
                dialog.accept()
                return dialog.choice()
            finally:
                dialog.deleteLater()
        status = self.choices.popleft() if self.choices else "rejected"
        reason = self.texts.popleft() if self.texts else None
        if status is None or not reason or not reason.strip():
            return None
        return OverrideChoice(status, reason.strip())

    def open_scenario(self):
        return self.open_paths.popleft() if self.open_paths else None

    def info(self, title: str, text: str) -> None:
        self.asked.append(("info", title))

    def scenario_problems(self, path, error, load):
        """The real dialog, driven by ``scenario_problems_fn(dialog)`` (None: closed)."""
        from wargame.ui.scenario_problems import ScenarioProblemsDialog

        self.asked.append(("scenario_problems", str(path)))
        dialog = ScenarioProblemsDialog(path, error, load, self.window)
        try:
            if self.scenario_problems_fn is None or self.scenario_problems_fn(dialog) is False:
                return None
            return dialog.scenario
        finally:
            dialog.deleteLater()


# --------------------------------------------------------------------------- driving


def wait_until(predicate, timeout: float = 30.0) -> bool:
    """Process Qt events until ``predicate()`` is true (or the timeout passes)."""
    import time

    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not predicate():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def draft_first_legal(team_screen, preferred: tuple[str, ...] = ()) -> bool:
    """Add one legal order to the open team screen: the first preferred move that the team
    may use and can afford, else the first move that works."""
    ids = [team_screen.moves.item(i).data(0x0100) for i in range(team_screen.moves.count())]
    used = {entry["move"] for entry in team_screen.draft.entries()}
    fresh = [m for m in ids if m not in used]  # prefer a move not drafted yet
    for move_id in [m for m in preferred if m in fresh] + fresh + ids:
        team_screen.select_move(move_id)
        if team_screen.add_current():
            return True
    return False


def play_hot_seat_turn(window, pins: dict[str, str] | None = None, facilitator_pin: str = "",
                       orders_per_team: int = 1, preferred: tuple[str, ...] = ()) -> None:
    """From the briefing: hand over, each human team drafts and submits, the facilitator
    takes the laptop back; waits for the proposal. Uses the real buttons."""
    pins = pins or {}
    window.console.handover_button.click()
    while window.stack.currentWidget() is window.curtain and window.curtain.who != "facilitator":
        who = window.curtain.who
        if pins.get(who):
            window.curtain.pin_edit.setText(pins[who])
        window.curtain.button.click()
        screen = window.team_screen
        for _ in range(orders_per_team):
            draft_first_legal(screen, preferred)
        screen.confirm_submit = False
        screen.submit_button.click()
    if facilitator_pin:
        window.curtain.pin_edit.setText(facilitator_pin)
    window.curtain.button.click()
    ctl = window.controller
    wait_until(lambda: not ctl.busy and ctl.has_proposal)
