"""Bad input in the app: a corrupt database or a broken scenario file is explained on the
start screen (where and what), the app keeps running, and the file is left untouched."""
import hashlib
import os

BROKEN = os.path.join(os.path.dirname(__file__), "..", "fixtures", "scenarios", "broken",
                      "multiple_errors.yaml")


def test_corrupt_database_is_explained_and_left_untouched(qtbot, tmp_path):
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts

    db = tmp_path / "corrupt.sqlite"
    db.write_bytes(b"this is not a database\n" * 100)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    window = MainWindow(db_path=db, scenario_path=None, populate=False)
    window.prompts = ScriptedPrompts(window)
    qtbot.addWidget(window)
    window.show()
    window.populate_start()
    qtbot.waitUntil(lambda: window.start_ready, timeout=30000)
    status = window.start.status.text()
    assert "could not be read" in status and "not a SQLite database" in status
    assert str(db) in status
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_broken_scenario_lists_every_problem_with_its_line(qtbot, tmp_path):
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts

    window = MainWindow(db_path=tmp_path / "s.sqlite", scenario_path=os.path.abspath(BROKEN),
                        populate=False)
    window.prompts = ScriptedPrompts(window)
    qtbot.addWidget(window)
    window.show()
    window.populate_start()
    qtbot.waitUntil(lambda: window.start_ready, timeout=30000)
    item = window.start.scenario_list.currentItem()
    assert "has problems" in item.text()
    details = window.start.details.toPlainText()
    assert "multiple_errors.yaml:3:8: turns: must be a whole number" in details
