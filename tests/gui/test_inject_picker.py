"""Injects (issue 9, item 4): the picker marks what is scheduled or already fired this turn,
firing one of those again asks first (no silent double application), an inject fired by
hand can be retracted before the orders open, and the debrief lists each event once.
Driven through the console's real widgets on the mini scenario (typhoon on turn 3)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from wargame.ui.scripted import play_hot_seat_turn


def bots_but_washington(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "bot")


def _pick(console, inject_id: str) -> str:
    console.inject_combo.setCurrentIndex(console.inject_combo.findData(inject_id))
    return console.inject_combo.currentText()


def _fired_items(console) -> list:
    return [console.injects.item(r) for r in range(console.injects.count())
            if console.injects.item(r).data(Qt.ItemDataRole.UserRole) is not None]


def test_a_second_firing_asks_and_a_retracted_inject_never_fires(make_window):
    window = make_window(setup=bots_but_washington)
    window.start.new_button.click()
    ctl, console = window.controller, window.console
    assert "—" not in _pick(console, "mine_accident")  # nothing due or fired yet
    console.fire_button.click()
    assert _pick(console, "mine_accident").endswith("— fired this turn")
    # firing it again asks; the answer no leaves one firing
    window.prompts.confirm_answer = False
    console.fire_button.click()
    assert ("confirm", "Fire it again?") in window.prompts.asked
    assert len(ctl.hand_fired()) == 1
    # retract it, with a reason, before the orders open
    [item] = _fired_items(console)
    console.injects.setCurrentItem(item)
    assert console.retract_button.isEnabled()
    window.prompts.texts.append("Fired by mistake.")
    console.retract_button.click()
    assert ctl.hand_fired() == [] and _fired_items(console) == []
    assert not _pick(console, "mine_accident").endswith("fired this turn")
    board = {(s.inject_id, s.state) for s in ctl.exercise.inject_board()}
    assert ("mine_accident", "retracted") in board
    window.prompts.confirm_answer = True
    play_hot_seat_turn(window)
    console.commit_button.click()
    assert "Mine accident" not in console.debrief_text.toPlainText()


def test_a_scheduled_inject_is_marked_and_fires_once_unless_confirmed(make_window):
    window = make_window(setup=bots_but_washington)
    window.start.new_button.click()
    ctl, console = window.controller, window.console
    for _ in range(2):  # to turn 3, the typhoon's
        play_hot_seat_turn(window)
        console.commit_button.click()
        console.next_turn_button.click()
    assert ctl.turn == 3
    assert _pick(console, "typhoon").endswith("— scheduled this turn")
    window.prompts.confirm_answer = False
    console.fire_button.click()
    assert ("confirm", "Fire it again?") in window.prompts.asked
    assert ctl.hand_fired() == []  # not fired twice
    play_hot_seat_turn(window)
    console.commit_button.click()
    revealed = ctl.revealed()
    typhoon = ctl.scenario.injects[[i.id for i in ctl.scenario.injects].index("typhoon")]
    assert sum(typhoon.title in line for line in revealed.of_kind("event")) == 1
    assert list(revealed.events).count(typhoon.title) == 1  # each event listed once
