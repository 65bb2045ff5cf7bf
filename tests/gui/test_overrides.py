"""Overrides (issue 9, item 5): the facilitator's ruling dialog names the order as a
sentence, offers to scale a number where the move has one, and an empty reason keeps the
dialog open instead of throwing the ruling away; the debrief shows the order's description
and the ruling, never the order's id. Driven through the real window and dialog."""
from __future__ import annotations

from PySide6.QtCore import Qt

from wargame.ui.scripted import play_hot_seat_turn, wait_until


def one_human(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "bot")


def _row_of(console, move_id: str, ctl) -> int:
    proposal = ctl.proposal()
    for row in range(console.outcomes.rowCount()):
        order_id = console.outcomes.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if proposal["orders"].get(order_id, {}).get("move") == move_id:
            return row
    raise AssertionError(f"no {move_id} order this turn")


def test_a_ruling_scales_a_number_and_needs_its_reason(make_window):
    window = make_window(setup=one_human)
    window.start.new_button.click()
    ctl = window.controller
    window.console.handover_button.click()
    window.curtain.button.click()  # Washington
    screen = window.team_screen
    screen.select_move("build_capacity")
    screen.param_widget("tonnes").setValue(3000)
    assert screen.add_current()
    screen.confirm_submit = False
    screen.submit_button.click()
    window.curtain.button.click()  # the facilitator
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    console = window.console
    row = _row_of(console, "build_capacity", ctl)
    console.outcomes.selectRow(row)
    order_id = console.outcomes.item(row, 0).data(Qt.ItemDataRole.UserRole)
    tonnes = ctl.proposal()["orders"][order_id]["params"]["tonnes"]
    seen = {}

    def halve_without_then_with_a_reason(dialog) -> bool:
        seen["options"] = (dialog.accept_option.isEnabled(), dialog.scale_option.isEnabled())
        dialog.scale_option.setChecked(True)
        dialog.param_combo.setCurrentIndex(dialog.param_combo.findData("tonnes"))
        dialog.factor.setValue(0.5)
        dialog.ok_button.click()  # no reason yet: the dialog stays open
        seen["open_without_reason"] = not dialog.ok_button.isEnabled() and \
            dialog.result() == 0
        dialog.reason.setPlainText("Half the plant can be permitted this year.")
        seen["ok_with_reason"] = dialog.ok_button.isEnabled()
        return True

    window.prompts.override_fn = halve_without_then_with_a_reason
    console.override_button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    assert seen == {"options": (False, True), "open_without_reason": True,
                    "ok_with_reason": True}
    ruling = ctl.exercise.overrides()[0]
    assert (ruling["status"], ruling["param"], ruling["factor"]) == ("scaled", "tonnes", 0.5)
    console.commit_button.click()
    text = console.debrief_text.toPlainText()
    assert "Half the plant can be permitted this year." in text
    assert "scaled (tonnes × 0.5)" in text and order_id not in text
    pipeline = [e for e in ctl.exercise.state.pipeline if e.group == f"order:{order_id}"]
    assert tonnes == 3000 and pipeline and pipeline[0].tonnes_per_year == 1500


def test_a_cancelled_or_reasonless_ruling_changes_nothing(make_window):
    window = make_window(setup=one_human)
    window.start.new_button.click()
    ctl = window.controller
    play_hot_seat_turn(window)
    window.console.outcomes.selectRow(0)
    window.prompts.override_fn = lambda dialog: dialog.reject_option.setChecked(True) or True
    window.console.override_button.click()  # OK never enabled: no reason written
    assert ctl.exercise.overrides() == []
    window.prompts.override_fn = lambda dialog: False  # cancelled
    window.console.override_button.click()
    assert ctl.exercise.overrides() == []
