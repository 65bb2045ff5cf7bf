"""After the exercise, in the app: the replay browser steps through a recorded session
(VCR controls, bookmarks; map, charts and explanations follow the turn; nothing written),
File > Export report writes the report, and the end of an exercise offers the hot wash and
the report."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from report_session import NOTES, OVERRIDE_REASON, play_session  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def recorded(db_path):
    return play_session(db_path)


@pytest.fixture
def window(make_window, recorded):
    window = make_window()
    assert window.resume_session(recorded.session_id)
    return window


def log_size(window) -> int:
    store = window.controller.exercise.store
    return len(store.events(window.controller.session_id))


def stored_explanations(window) -> dict[int, list[str]]:
    return {turn: [e["text"] for e in result["explanations"]]
            for turn, result in window.controller.exercise.results()}


def test_replay_browser_shows_every_turns_explanations_map_and_charts(window, qtbot):
    before = log_size(window)
    browser = window.open_replay()
    qtbot.addWidget(browser)
    expected = stored_explanations(window)
    assert sorted(expected) == [1, 2, 3]
    browser.first_button.click()
    for turn in sorted(expected):
        assert browser.current_turn == turn
        shown = browser.explanations.toPlainText()
        assert f"Turn {turn}: what happened and why" in shown
        for text in expected[turn]:
            assert " ".join(text.split())[:60] in " ".join(shown.split())
        assert browser.flowmap.indicators.turn == turn
        assert [i.turn for i in browser.charts.charts()[0]._history] == list(range(1, turn + 1))
        browser.forward_button.click()
    assert not browser.forward_button.isEnabled() and browser.current_turn == 3
    browser.back_button.click()
    assert browser.current_turn == 2
    browser.last_button.click()
    browser.first_button.click()
    assert browser.current_turn == 1 and not browser.back_button.isEnabled()
    assert log_size(window) == before  # browsing wrote nothing


def test_replay_browser_plays_to_the_end_and_stops(window, qtbot):
    browser = window.open_replay()
    qtbot.addWidget(browser)
    browser.timer.setInterval(20)
    browser.play_button.click()
    assert browser.playing
    qtbot.waitUntil(lambda: not browser.playing, timeout=10000)
    assert browser.current_turn == 3 and browser.play_button.accessibleName() == "Play"


def test_bookmarks_and_notes_take_you_to_their_turn(window, qtbot):
    browser = window.open_replay()
    qtbot.addWidget(browser)
    items = [browser.bookmarks.item(i) for i in range(browser.bookmarks.count())]
    texts = [item.text() for item in items]
    assert any(OVERRIDE_REASON in t and t.startswith("Turn 1") for t in texts)
    assert any(NOTES[1] in t and t.startswith("Turn 2") for t in texts)
    note = next(item for item in items if NOTES[1] in item.text())
    browser.bookmarks.itemClicked.emit(note)
    assert browser.current_turn == 2 and note.font().bold()
    assert OVERRIDE_REASON not in browser.explanations.toPlainText()
    browser.go_to_turn(1)
    assert OVERRIDE_REASON in browser.explanations.toPlainText()


def test_file_export_report_writes_the_chosen_format(window, tmp_path, qtbot):
    target = tmp_path / "aar.html"
    window.prompts.report_targets.append((str(target), "html"))
    assert window.act_export.isEnabled()
    window.act_export.trigger()
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=60000)
    text = target.read_text()
    assert "After-action report" in text and "Room asked about gallium prices" in text
    window.prompts.report_targets.append((str(tmp_path / "tables"), "csv"))
    window.act_export.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "tables" / "orders.csv").exists(), timeout=60000)


def test_the_end_of_the_exercise_offers_the_hot_wash_and_the_report(window, tmp_path, qtbot):
    def fill(dialog):
        page = dialog.page
        page.went_well.setPlainText("Clear explanations\nGood pace")
        page.to_improve.setPlainText("Shorter briefings")
        page.add_action("Write a cobalt inject", "Design team", "April")
        page.players["brussels"].setText("D. Rossi")
        return True

    window.prompts.hot_wash_fn = fill
    window.prompts.report_targets.append((str(tmp_path / "end.html"), "html"))
    window.end_exercise()
    assert ("confirm", "Exercise over") in window.prompts.asked
    hot_wash = window.controller.hot_wash()
    assert hot_wash.went_well == ("Clear explanations", "Good pace")
    assert hot_wash.actions[-1].who == "Design team" and hot_wash.players["brussels"] == "D. Rossi"
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=60000)
    text = (tmp_path / "end.html").read_text()
    assert "Write a cobalt inject" in text and "D. Rossi" in text


def test_the_hot_wash_page_shows_what_was_saved(window):
    from report_session import HOT_WASH

    seen = {}

    def look(dialog):
        seen["hot_wash"] = dialog.page.hot_wash()
        return False  # cancel: nothing saved

    window.prompts.hot_wash_fn = look
    before = log_size(window)
    assert window.hot_wash() is False
    assert seen["hot_wash"] == HOT_WASH and log_size(window) == before
