"""GUI test fixtures: settings in a temp folder, a fresh session database per test, a
main window with scripted answers to its modal questions, and real engine output (a seeded
game of the mini scenario) for the views."""
import os
from dataclasses import dataclass

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

MINI = os.path.join(os.path.dirname(__file__), "..", "fixtures", "scenarios", "mini.yaml")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    from wargame.ui import dialogs, settings

    monkeypatch.setenv("WARGAME_SETTINGS_DIR", str(tmp_path / "settings"))
    settings.use_settings_dir(tmp_path / "settings")
    dialogs._hook_quiet = True
    dialogs._shown_errors.clear()
    yield
    settings.use_settings_dir(None)


@pytest.fixture
def mini_path():
    return os.path.abspath(MINI)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "sessions.sqlite"


@pytest.fixture
def make_window(qtbot, db_path, mini_path):
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts

    windows = []

    def make(setup=None, populate=True):
        window = MainWindow(db_path=db_path, scenario_path=mini_path, populate=False)
        window.prompts = ScriptedPrompts(window, setup=setup)
        # the test's end is no user quitting: close without the mid-turn questions
        qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "ask_before_quit",
                                                                    False))
        window.resize(1366, 768)
        window.show()
        if populate:
            window.populate_start()  # reads scenarios and sessions in the background
            qtbot.waitUntil(lambda: window.start_ready, timeout=30000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.controller is not None:
            window.controller.busy = False


@dataclass(frozen=True)
class EngineHistory:
    """A seeded game of mini.yaml played by the engine: every turn's typed result."""

    scenario: object
    results: tuple

    @property
    def indicators(self) -> list:
        return [r.indicators for r in self.results]


def play_mini(turns: int = 6, seed: int = 7) -> EngineHistory:
    """All three teams played by bots, plus orders and an inject chosen so that every flow
    status appears: the standing slowed licences on rare earths to the USA (turns 1-4), a
    gallium licence freeze on the EU from turn 2, a gallium export ban on the USA from
    turn 3 (an inject fired by hand), and the deck's typhoon on turn 3."""
    from wargame.engine import Order, bot_orders, initial_state, resolve_turn
    from wargame.scenario.loader import load_scenario
    from wargame.scenario.model import Inject

    scenario = load_scenario(MINI)
    ban = Inject.model_validate({
        "id": "gallium_ban", "title": "Gallium export ban", "by": "CHN", "duration": 2,
        "effects": [{"primitive": "export_ban", "importers": "USA", "material": "ga",
                     "stages": "all"}]})
    freeze = Order("beijing", "export_licences",
                   {"material": "ga", "targets": "EU", "level": "freeze", "turns": 3},
                   id="t2-beijing-1")
    state = initial_state(scenario, seed)
    results = []
    for turn in range(1, turns + 1):
        orders = [o for t in scenario.teams for o in bot_orders(scenario, state, t.id)]
        if turn == 2:
            orders.append(freeze)
        result = resolve_turn(scenario, state, orders, injects=[ban] if turn == 3 else [])
        results.append(result)
        state = result.state
    return EngineHistory(scenario, tuple(results))


@pytest.fixture(scope="session")
def engine_history() -> EngineHistory:
    return play_mini()
