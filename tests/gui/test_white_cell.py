"""White-cell orders from the facilitator console: the dialog reuses the team screen's typed
parameter widgets, lists every move, seals the orders (PIN respected) without showing them,
and the debrief reveals them as "White cell"."""
from PySide6.QtWidgets import QComboBox, QSpinBox

from wargame.ui.scripted import play_hot_seat_turn
from wargame.ui.team_screen import FACILITATOR
from wargame.ui.white_cell import WhiteCellDialog, white_cell_moves


def one_human(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "bot")
    dialog.facilitator_pin.setText("99")


def freeze(dialog) -> bool:
    dialog.select_move("export_licences")  # a Beijing-only move
    material = dialog.param_widget("material")
    assert isinstance(material, QComboBox)
    targets = dialog.param_widget("targets")
    targets.setCurrentIndex(targets.findData("USA"))
    level = dialog.param_widget("level")
    level.setCurrentIndex(level.findData("freeze"))
    assert isinstance(dialog.param_widget("turns"), QSpinBox)
    assert dialog.add_current(), dialog.problems.text()
    return True


def test_dialog_lists_every_move_with_typed_widgets(qtbot, mini_path):
    from wargame.scenario.loader import load_scenario

    scenario = load_scenario(mini_path)
    dialog = WhiteCellDialog(scenario, [], None, 1)
    qtbot.addWidget(dialog)
    assert dialog.moves.count() == len(scenario.moves)
    assert [m.id for m in white_cell_moves(scenario)][0] in scenario.move_index
    dialog.select_move("export_licences")
    targets = dialog.param_widget("targets")  # scope "other": the white cell sees everyone
    assert targets.count() == len(scenario.actors)
    assert targets.accessibleName()


def test_default_scenario_white_cell_moves_come_first(qtbot):
    from wargame.scenario.loader import default_scenario_path, load_scenario

    scenario = load_scenario(default_scenario_path())
    dialog = WhiteCellDialog(scenario, [], None, 1)
    qtbot.addWidget(dialog)
    first = dialog.moves.item(0).text()
    assert first.startswith("White cell"), first
    assert dialog.moves.count() == len(scenario.moves)
    dialog.select_move("white_cell_budget")
    team = dialog.param_widget("team")
    assert team.count() == len(scenario.teams)


def test_white_cell_order_from_the_console(make_window):
    window = make_window(setup=one_human)
    window.start.new_button.click()
    ctl = window.controller
    console = window.console
    assert console.white_cell_button.isEnabled() and window.act_white_cell.isEnabled()
    window.prompts.white_cell_fn = freeze
    console.white_cell_button.click()
    assert ("white_cell", "turn 1") in window.prompts.asked
    orders = ctl.exercise.facilitator_orders("99")
    assert [(o.team, o.move) for o in orders] == [(FACILITATOR, "export_licences")]
    assert ctl.phase == "briefing"
    # how many, never what: the briefing may be on the projector
    assert "One white-cell order" in console.white_cell_status.text()
    assert "licence" not in console.white_cell_status.text().lower()

    # reopening shows the sealed list; cancelling changes nothing
    seen = []
    window.prompts.white_cell_fn = lambda d: seen.append(len(d.entries())) or False
    window.act_white_cell.trigger()
    assert seen == [1] and len(ctl.exercise.facilitator_orders("99")) == 1

    play_hot_seat_turn(window, facilitator_pin="99")
    assert ctl.has_proposal
    teams = [console.outcomes.item(r, 0).text() for r in range(console.outcomes.rowCount())]
    assert "White cell" in teams
    console.commit_button.click()
    text = console.debrief_text.toPlainText()
    assert "White cell" in text and "licence freeze on the United States" in text
    assert not window.act_white_cell.isEnabled()  # debrief: the turn is over


def test_white_cell_asks_for_the_pin_when_unknown(make_window):
    window = make_window(setup=one_human)
    window.start.new_button.click()
    ctl = window.controller
    ctl._facilitator_key = None  # as after a resume that did not go through the prompt
    window.prompts.pins.append("00")
    window.prompts.white_cell_fn = freeze
    window.act_white_cell.trigger()
    assert ctl.exercise.facilitator_orders("99") == []
    window.prompts.pins.append("99")
    window.act_white_cell.trigger()
    assert len(ctl.exercise.facilitator_orders("99")) == 1
