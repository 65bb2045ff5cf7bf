"""File > Open scenario on a broken file: every problem in a list (a click copies its
FILE:LINE:COL), and the file is watched: when the designer saves a fix in their editor the
list updates, and once the file is valid the exercise set-up goes on with the new version."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
TINY = (FIXTURES / "tiny.yaml").read_text()
BROKEN = TINY.replace("turns: 4", "turns: four").replace("sector: ev, material",
                                                        "sector: evs, material")


def test_problems_are_listed_watched_and_the_fixed_file_opens(qtbot, tmp_path):
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts

    path = tmp_path / "draft.yaml"
    path.write_text(BROKEN)
    window = MainWindow(db_path=tmp_path / "s.sqlite", populate=False)
    window.prompts = prompts = ScriptedPrompts(window)
    qtbot.addWidget(window)
    seen = {}

    def designer(dialog):
        seen["first"] = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
        dialog.problems.itemClicked.emit(dialog.problems.item(0))
        seen["copied"] = QGuiApplication.clipboard().text()
        path.write_text(TINY.replace("turns: 4", "turns: four"))  # one fix saved
        qtbot.waitUntil(lambda: dialog.problems.count() == 1, timeout=10000)
        seen["second"] = dialog.problems.item(0).text()
        path.write_text(TINY)  # the last fix: the dialog closes by itself
        qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10000)
        return True

    prompts.scenario_problems_fn = designer
    prompts.setup = lambda scenario: seen.setdefault("set_up", scenario) and None
    assert window.new_exercise(str(path)) is False  # the set-up dialog was then cancelled
    assert len(seen["first"]) == 2
    assert seen["first"][0].startswith(f"{path}:4:8: turns: must be a whole number")
    assert "unknown sector 'evs'" in seen["first"][1]
    assert seen["copied"] == f"{path}:4:8"
    assert "unknown sector" not in seen["second"] and "turns" in seen["second"]
    assert seen["set_up"].turns == 4 and seen["set_up"].id == "tiny"


def test_closing_the_problems_list_opens_nothing(qtbot, tmp_path):
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts

    path = tmp_path / "draft.yaml"
    path.write_text(BROKEN)
    window = MainWindow(db_path=tmp_path / "s.sqlite", populate=False)
    window.prompts = prompts = ScriptedPrompts(window)
    qtbot.addWidget(window)
    prompts.scenario_problems_fn = lambda dialog: False
    assert window.new_exercise(str(path)) is False
    assert ("scenario_problems", str(path)) in prompts.asked
    assert window.controller is None
