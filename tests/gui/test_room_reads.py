"""What the room reads (issue 9, items 6-11, 13, 18 and the map's caption), driven through
the real window as a facilitator and two teams would, on the engine's output: the baseline
world before turn 1, the order form's arrival turn, a line for every order and event in the
debrief, scores by objective, the debrief's turn slider, overrides named by their order,
and numbers whose source shows on hover."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from wargame.ui.scripted import draft_first_legal, play_hot_seat_turn, wait_until


def two_humans(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "human")
    dialog.seed.setValue(7)
    dialog.turn_limit.setValue(8)


@pytest.fixture
def window(make_window):
    window = make_window(setup=two_humans)
    window.start.new_button.click()
    assert window.controller is not None
    assert wait_until(lambda: window.console.flowmap is not None
                      and window.console.charts is not None)
    return window


def commit_turn(window, **kwargs):
    play_hot_seat_turn(window, **kwargs)
    window.console.commit_button.click()
    assert window.controller.phase == "debrief"


def test_the_first_briefing_and_the_map_show_the_baseline_world(window):
    """Item 9: before any turn is played, the briefing shows the baseline world (prices,
    supply, teams) and the map its flows, said to be the baseline."""
    world = window.console.world.toPlainText()
    assert "The world at the start of turn 1" in world
    assert "This is the baseline world" in world and "USD/kg" in world
    assert "Supply met" in world and "Teams" in world
    fmap = window.console.flowmap
    assert fmap.canvas.drawn_flows(), "the map shows the baseline flows"
    assert "baseline" in fmap.canvas.caption
    # a team's screen at turn 1 shows the same world, not an empty page
    window.console.handover_button.click()
    window.curtain.button.click()
    text = window.team_screen.situation.toPlainText()
    assert "baseline world" in text and "World prices" in text and "Your supply met" in text


def test_the_order_form_says_when_capacity_arrives(window):
    """Item 10: the form says when new capacity arrives, in the units ordered, and the
    pipeline shows the same."""
    window.console.handover_button.click()
    window.curtain.button.click()  # Washington
    screen = window.team_screen
    screen.select_move("build_capacity")
    screen.param_widget("material").setCurrentIndex(
        screen.param_widget("material").findData("ree"))
    screen.param_widget("stage").setCurrentIndex(screen.param_widget("stage").findData("magnet"))
    screen.param_widget("tonnes").setValue(3000)
    text = screen.arrival_label.text()
    assert screen.arrival_label.isVisibleTo(screen)
    # 2 years' lead time = 8 quarterly turns: due on turn 9, after the last turn (8)
    assert "3,000 t/yr of new rare earths NdFeB magnet capacity arrives on turn 9" in text
    assert "after the exercise ends (its last turn is 8)" in text
    screen.select_move("offtake_deal")  # builds nothing: nothing said
    assert not screen.arrival_label.isVisibleTo(screen)


def test_the_debrief_reads_a_line_for_every_order_and_event(window):
    """Item 6: every order of the turn, and every event, has its line in the debrief, naming
    the move as the team would say it; never the catalogue's label."""
    window.prompts.texts.extend(["Port strike at Tianjin", "Magnet shipments wait a week."])
    window.console.free_button.click()
    commit_turn(window, orders_per_team=2)
    ctl = window.controller
    revealed = ctl.revealed()
    text = window.console.debrief_text.toPlainText()
    lines = revealed.of_kind("event", "order")
    assert len(revealed.of_kind("order")) == len(revealed.orders) >= 5  # 2 + 2 + the bot's
    assert any(line.startswith("Event: Port strike at Tianjin.") for line in lines)
    for line in lines:
        assert line in text
    for name in {m.name for m in ctl.scenario.moves}:
        assert f"'s {name}" not in text  # "Washington's Build new capacity": never


def test_scores_are_broken_down_by_objective(window):
    """Item 11: each team's score by objective on a stated scale, in the briefing and on
    the team's own screen."""
    commit_turn(window)
    window.console.next_turn_button.click()
    world = window.console.world.toPlainText()
    assert "A score adds up weight × value" in world
    score = window.controller.indicators_history()[-1].scores["washington"]
    for term in score.terms:
        assert term.label in world
    window.console.handover_button.click()
    window.curtain.button.click()  # Washington
    text = window.team_screen.situation.toPlainText()
    assert f"Score: {score.total:.2f}" in text
    assert all(term.label in text for term in score.terms)


def test_the_debrief_slider_shows_an_earlier_turn_again(window, qtbot):
    """Item 13: a turn slider on the debrief brings back any earlier turn's what happened
    and why, its orders and the charts up to it."""
    commit_turn(window)
    console = window.console
    assert not console.turn_slider.isVisibleTo(console)  # one turn: nothing to choose
    console.next_turn_button.click()
    commit_turn(window)
    assert console.turn_slider.isVisibleTo(console)
    assert (console.turn_slider.minimum(), console.turn_slider.maximum()) == (1, 2)
    assert "Turn 2: what happened and why" in console.debrief_text.toPlainText()
    console.turn_slider.setFocus()
    qtbot.keyClick(console.turn_slider, Qt.Key.Key_Left)
    assert console.turn_slider.value() == 1
    text = console.debrief_text.toPlainText()
    assert "Turn 1: what happened and why" in text and "Turn 2:" not in text
    assert console.turn_shown.text() == "turn 1"
    assert console.charts.supply_met.selected_turn() == 1
    assert [ind.turn for ind in console.charts.prices._history] == [1]
    window.refresh()  # a refresh keeps the facilitator's choice
    assert "Turn 1: what happened and why" in console.debrief_text.toPlainText()
    qtbot.keyClick(console.turn_slider, Qt.Key.Key_Right)
    assert "Turn 2: what happened and why" in console.debrief_text.toPlainText()
    assert console.turn_shown.text() == "turn 2 (last played)"
    assert [ind.turn for ind in console.charts.prices._history] == [1, 2]


def test_the_map_says_which_turn_its_flows_are(window):
    """During turn 2 the map shows turn 1's flows and says so ('last played')."""
    commit_turn(window)
    window.console.next_turn_button.click()
    assert window.controller.turn == 2
    caption = window.console.flowmap.canvas.caption
    assert caption.endswith("flows of turn 1 (last played)")


def test_an_override_is_named_by_its_order_never_its_id(window):
    play_hot_seat_turn(window)
    console = window.console
    console.outcomes.selectRow(1)
    order_id = console.outcomes.item(1, 0).data(Qt.ItemDataRole.UserRole)
    window.prompts.choices.append("rejected")
    window.prompts.texts.append("Not credible this quarter.")
    console.override_button.click()
    assert wait_until(lambda: not window.controller.busy and window.controller.has_proposal)
    console.commit_button.click()
    text = console.debrief_text.toPlainText()
    assert "Not credible this quarter." in text and order_id not in text
    override = window.controller.revealed().overrides[0]
    assert override.order.split(": ", 1)[0] in ("Washington", "Brussels", "Beijing")
    assert f"{override.order}: rejected" in text


def _hover(view, needle: str) -> str:
    """Rest the pointer on ``needle`` in a rich-text view; the tooltip shown."""
    cursor = view.document().find(needle)
    assert not cursor.isNull(), needle
    cursor.setPosition(cursor.selectionStart() + 1)
    rect = view.cursorRect(cursor)
    pos = QPoint(rect.center().x(), rect.center().y())
    QToolTip.hideText()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text()


def test_numbers_show_their_source_on_hover(window):
    """Item 18: the briefing's and the map's numbers say where they come from."""
    world = window.console.world
    budget = f"{window.controller.scenario.team('washington').budget.value:,.0f}"
    tip = _hover(world, budget)
    assert "Started with USD 1,500 m" in tip and "Round illustrative numbers" in tip
    fmap = window.console.flowmap
    fmap.set_selection("ree", "magnet")
    fmap.canvas.grab()
    with_source = "60,000 t"  # China's mined output in mini.yaml cites 'illustrative'
    fmap.canvas.selected_actor = "CHN"
    fmap._refresh_details()
    assert "source: Round illustrative numbers for tests" in _hover(fmap.details, with_source)


def test_the_order_form_names_restriction_levels_and_the_draft_reads_as_said(qtbot, mini_path):
    """Item 18: the form offers 'Licence freeze', not 'freeze'/'slow_walk'; the draft list
    reads the order as a sentence (no 'factor (0.5 = halve) 0.5', no '0.050')."""
    from wargame.scenario.loader import load_scenario
    from wargame.ui.white_cell import WhiteCellDialog

    scenario = load_scenario(mini_path)
    dialog = WhiteCellDialog(scenario, [], None, 1)
    qtbot.addWidget(dialog)
    dialog.select_move("export_licences")
    level = dialog.param_widget("level")
    assert [level.itemText(i) for i in range(level.count())] == \
        [scenario.level_index[c].name for c in ("open", "slowed", "freeze")]
    level.setCurrentIndex(level.findData("freeze"))
    targets = dialog.param_widget("targets")
    targets.setCurrentIndex(targets.findData("USA"))
    assert dialog.add_current()
    dialog.select_move("offtake_deal")
    dialog.param_widget("share").setValue(0.05)
    assert dialog.add_current()
    drafted = [dialog.draft_list.item(i).text() for i in range(dialog.draft_list.count())]
    assert drafted[0].startswith("Rare earths licence freeze on the United States")
    assert "Offtake of 5 % of " in drafted[1] and "0.05" not in drafted[1]
