"""GUI test fixtures: settings in a temp folder, a fresh session database per test, and a
main window with scripted answers to its modal questions."""
import os

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
