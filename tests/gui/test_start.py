"""The start screen, start-up laziness, settings isolation, error dialogs and the CLI."""
import subprocess
import sys

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListWidget, QWidget

from wargame.ui import dialogs, settings


def test_start_screen_lists_scenarios_and_details(make_window, mini_path):
    window = make_window()
    assert window.stack.currentWidget() is window.start
    titles = [window.start.scenario_list.item(i).text()
              for i in range(window.start.scenario_list.count())]
    assert "Mini rare-earth and gallium crisis" in titles
    details = window.start.details.toPlainText()
    assert "Teams:" in details and "Calibrated to:" in details


def test_new_exercise_remembers_recent_file_in_temp_settings(make_window, mini_path, tmp_path):
    window = make_window()
    window.start.new_button.click()
    assert window.controller is not None
    assert settings.recent_files()[0].endswith("mini.yaml")
    assert (tmp_path / "settings" / "wargame.ini").exists()  # not the user's settings


def test_sessions_listed_for_resume(make_window):
    window = make_window()
    window.start.new_button.click()
    window.go_home()
    assert window.stack.currentWidget() is window.start
    assert window.start.sessions.rowCount() == 1
    item = window.start.sessions.item(0, 0)
    assert "Scenario: Mini rare-earth and gallium crisis" in item.toolTip()
    assert item.text() and "Mini rare-earth" not in item.text()  # its date, not the title


def test_bad_scenario_shows_a_dialog_not_a_traceback(make_window, tmp_path):
    """A file with problems opens the problems list (tests/gui/test_scenario_problems.py)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n")
    window = make_window()
    listed = []
    window.prompts.scenario_problems_fn = lambda dialog: listed.append(
        dialog.problems.item(0).text()) or False
    assert window.new_exercise(str(bad)) is False
    assert listed and "bad.yaml:3:1: YAML syntax error" in listed[0]


def test_excepthook_logs_and_shows(qapp):
    dialogs.install_excepthook(quiet=True)
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert "boom in a slot" in dialogs._shown_errors[-1]
    sys.excepthook = sys.__excepthook__


def test_window_geometry_is_remembered(qtbot, db_path):
    from wargame.ui.main_window import MainWindow

    window = MainWindow(db_path=db_path, populate=False)
    qtbot.addWidget(window)
    window.show()
    window.resize(640, 480)  # within the offscreen 800x600 screen
    window.close()
    again = MainWindow(db_path=db_path, populate=False)
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (640, 480)


def test_controls_have_accessible_names(make_window):
    window = make_window()
    window.start.new_button.click()
    window.console.handover_button.click()
    window.curtain.button.click()
    missing = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QComboBox, QLineEdit, QListWidget)) or (
                isinstance(widget, QAbstractButton) and not widget.text()):
            internal = widget.objectName().startswith("qt_")  # e.g. a spin box's line edit
            if not widget.accessibleName() and not internal and widget.parent() is not None \
                    and type(widget.parent()).__name__ not in ("QTabBar", "QScrollBar"):
                missing.append(f"{type(widget).__name__}:{widget.objectName()}")
    assert not missing, missing


def test_start_up_is_lazy(qapp, tmp_path):
    """Nothing heavy is imported before the start screen is painted."""
    code = ("import sys\nfrom wargame.ui.app import run\n"
            f"sys.exit(run(None, {str(tmp_path / 's.sqlite')!r}, quit_after_start=True))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env={**__import__("os").environ,
                                           "WARGAME_SETTINGS_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "heavy modules loaded: none" in out.stdout


def test_app_command_missing_file_exits_2(tmp_path):
    from wargame.cli import main

    assert main(["app", str(tmp_path / "nope.yaml")]) == 2


def test_start_screen_paints_first_and_loads_in_the_background(qtbot, db_path, mini_path):
    """Issue 9, item 14: the start screen is on screen with a visible "Loading" state while
    the scenarios are read; then the list fills in and Set up becomes possible."""
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts

    window = MainWindow(db_path=db_path, scenario_path=mini_path, populate=False)
    window.prompts = ScriptedPrompts(window)
    qtbot.addWidget(window)
    window.show()
    window.populate_start()
    start = window.start
    assert start.loading.isVisible() and start.status.text() == "Loading scenarios…"
    assert not start.new_button.isEnabled() and start.open_button.isEnabled()
    qtbot.waitUntil(lambda: window.start_ready, timeout=30000)
    assert not start.loading.isVisible()
    assert start.scenario_list.count() >= 1 and start.new_button.isEnabled()
    assert "Sessions are saved in" in start.status.text()


def test_set_up_dialog_reuses_the_scenario_read_by_the_start_screen(make_window, monkeypatch,
                                                                      tmp_path):
    import shutil

    from wargame.scenario import loader

    def no_parsing(path):
        raise AssertionError(f"{path} parsed again")

    window = make_window()
    monkeypatch.setattr(loader, "load_scenario", no_parsing)
    window.start.new_button.click()  # opens the set-up dialog without parsing the file
    assert window.controller is not None
    window.go_home()
    # an edited file is read again (the cache is keyed by the file's content)
    copy = tmp_path / "copy.yaml"
    shutil.copy(window.start.selected_scenario_path(), copy)
    monkeypatch.undo()
    first = window.scenarios.load(copy)
    assert window.scenarios.load(copy) is first
    copy.write_text(copy.read_text().replace("Mini rare-earth", "Edited rare-earth"))
    assert window.scenarios.load(copy).title.startswith("Edited")
