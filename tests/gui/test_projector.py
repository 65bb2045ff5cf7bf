"""The projector (issue 9, item 20): nothing on it needs scrolling at 1920x1080 or 1280x720,
it says whom the room is waiting for, shows the map and after adjudication the turn's
explanations, and on a single screen it is a window the facilitator can make full screen."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wargame.ui.projector import MIN_TEXT_PT
from wargame.ui.scripted import ScriptedPrompts, draft_first_legal, play_hot_seat_turn


@pytest.fixture
def six_team_window(qtbot, db_path):
    """The default scenario: Washington and Brussels human, four bots."""
    from wargame.resources import default_scenario_path
    from wargame.ui.main_window import MainWindow

    def two_humans(dialog):
        for index, team in enumerate(dialog.controller_boxes):
            dialog.set_controller(team, "human" if index in (1, 2) else "bot")
        dialog.timer.setValue(10)

    window = MainWindow(db_path=db_path, scenario_path=str(default_scenario_path()),
                        populate=False)
    window.prompts = ScriptedPrompts(window, setup=two_humans)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "ask_before_quit", False))
    window.resize(1024, 640)
    window.show()
    window.populate_start()
    qtbot.waitUntil(lambda: window.start_ready, timeout=30000)
    window.start.new_button.click()
    return window


def nothing_scrolls(projector, size) -> None:
    projector.resize(*size)
    QApplication.processEvents()
    assert projector.minimumSizeHint().width() <= size[0], size
    assert projector.minimumSizeHint().height() <= size[1], size
    assert (projector.width(), projector.height()) == size
    for panel in projector.text_panels():
        panel.refit()
        assert panel.fits(), (size, panel.accessibleName(), panel.point_size())
        assert panel.point_size() >= MIN_TEXT_PT
        assert panel.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


SIZES = [(1920, 1080), (1280, 720)]


def test_projector_fits_and_says_what_the_room_waits_for(six_team_window, qtbot):
    window = six_team_window
    window.toggle_projector()
    projector = window.projector
    qtbot.addWidget(projector)
    assert not projector.isFullScreen()  # one screen: a window
    assert projector.flowmap is not None and projector.flowmap.isVisible()
    for size in SIZES:
        nothing_scrolls(projector, size)
    assert "Briefing" in projector.waiting_label.text()

    # orders: the bots are in at once; Washington submits; the room waits for Brussels
    window.console.handover_button.click()
    assert projector.waiting_label.text() == "Waiting for Washington and Brussels."
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    assert projector.waiting_label.text() == "Waiting for Brussels."
    for size in SIZES:
        nothing_scrolls(projector, size)
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    assert projector.waiting_label.text().startswith("All orders are in")
    window.curtain.button.click()
    ctl = window.controller
    qtbot.waitUntil(lambda: not ctl.busy and ctl.has_proposal, timeout=30000)
    # adjudication: nothing of the outcomes on the projector before the commit
    assert "what happened" not in projector.main_text.toPlainText()
    window.console.commit_button.click()
    revealed = ctl.revealed()
    text = projector.main_text.toPlainText()
    assert f"Turn {revealed.turn}: what happened and why" in text
    for sentence in revealed.of_kind("event", "order"):  # every order and event has its line
        assert sentence in text
    for size in SIZES:
        nothing_scrolls(projector, size)

    # a second turn with more history still fits
    window.console.next_turn_button.click()
    play_hot_seat_turn(window, orders_per_team=2)
    window.console.commit_button.click()
    for size in SIZES:
        nothing_scrolls(projector, size)


def test_projector_window_goes_full_screen_with_f11(six_team_window, qtbot):
    window = six_team_window
    window.toggle_projector()
    projector = window.projector
    qtbot.addWidget(projector)
    projector.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is projector)
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    assert projector.isFullScreen()
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert not projector.isFullScreen()


def test_the_projector_shows_what_the_room_may_see_only(six_team_window, qtbot):
    """Rule: the projector is public (``PublicState``): prices, supply met and the scores,
    never a team's budget or dependency, neither in the text nor in the charts; the
    facilitator's console keeps them."""
    window = six_team_window
    play_hot_seat_turn(window)
    window.console.commit_button.click()
    window.console.next_turn_button.click()  # briefing of turn 2: the world after turn 1
    window.toggle_projector()
    projector = window.projector
    qtbot.addWidget(projector)
    text = projector.main_text.toPlainText()
    assert "The world at the start of turn 2" in text and "Score" in text
    assert "Budget" not in text
    tabs = projector.charts._tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Prices", "Supply met", "Scores"]
    assert projector.charts.budgets is None and projector.charts.dependency is None
    window.console.tabs.setCurrentIndex(0)
    assert "Budget (USD m)" in window.console.world.toPlainText()
