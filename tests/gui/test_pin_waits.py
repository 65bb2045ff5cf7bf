"""Wrong PINs wait, and the app says so (issue 10, item 10): after repeated wrong PINs the
session makes the door wait longer each time (``PinGuard``); the curtain and the PIN dialogs
(facilitator prompts, resume) show "Too many wrong PINs: try again in N s" and keep OK
disabled until the wait is over, then take the right PIN. The PIN guard runs on a fake
clock: nothing sleeps. The set-up dialog recommends a facilitator PIN of 6+ digits."""
from __future__ import annotations

from PySide6.QtCore import Qt

from wargame.session.pin_guard import PinGuard

PIN = "246810"
WASHINGTON_PIN = "1234"


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def washington_with_pin(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "bot")
    dialog.pin_edits["washington"].setText(WASHINGTON_PIN)
    dialog.facilitator_pin.setText(PIN)


def at_washingtons_curtain(make_window):
    window = make_window(setup=washington_with_pin)
    window.start.new_button.click()
    ticks = Ticks()
    window.controller.exercise.pin_guard = PinGuard(clock=ticks)
    window.console.handover_button.click()
    assert window.curtain.who == "washington"
    return window, ticks


def test_the_curtain_says_how_long_to_wait_after_wrong_pins(make_window):
    """Rule: three wrong PINs, then the curtain takes no PIN for 2 s (the right one
    neither) and says so; once the wait is over, the right PIN opens it."""
    window, ticks = at_washingtons_curtain(make_window)
    curtain = window.curtain
    for attempt in range(3):
        curtain.pin_edit.setText("0000")
        curtain.button.click()
    assert curtain.message.text() == "Too many wrong PINs: try again in 2 s"
    assert not curtain.button.isEnabled() and not curtain.pin_edit.isEnabled()
    curtain.pin_edit.setText(WASHINGTON_PIN)
    assert not curtain.try_unlock()  # waiting: the PIN is not even looked at
    assert window.stack.currentWidget() is curtain
    ticks.now += 1.2
    curtain.pin_wait.update()  # what its quarter-second timer does
    assert curtain.message.text() == "Too many wrong PINs: try again in 1 s"
    ticks.now += 1.0
    curtain.pin_wait.update()
    assert curtain.button.isEnabled() and curtain.pin_edit.isEnabled()
    assert "wait is over" in curtain.message.text()
    curtain.pin_edit.setText(WASHINGTON_PIN)
    curtain.button.click()
    assert window.stack.currentWidget() is window.team_screen


def drive_pin_dialog(qtbot, ticks, seen, pin=PIN):
    """Three wrong PINs in the real dialog, what it says, the wait, then the right PIN."""

    def drive(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        for _attempt in range(3):
            dialog.edit.setText("0000")
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        seen["message"] = dialog.message.text()
        seen["ok while waiting"] = dialog.ok_button.isEnabled()
        seen["visible"] = dialog.isVisible()  # a wrong PIN keeps the dialog open
        ticks.now += 2.5
        dialog.notice.update()
        seen["ok after"] = dialog.ok_button.isEnabled()
        dialog.edit.setText(pin)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return True

    return drive


def test_a_facilitator_prompt_shows_the_wait_and_disables_ok(make_window, qtbot):
    window, ticks = at_washingtons_curtain(make_window)
    seen: dict = {}
    window.prompts.pin_fn = drive_pin_dialog(qtbot, ticks, seen)
    window.prompts.texts.append("Noted at the curtain")
    window.act_note.trigger()
    assert seen["message"] == "Too many wrong PINs: try again in 2 s"
    assert seen["ok while waiting"] is False and seen["visible"] is True
    assert seen["ok after"] is True
    notes = [text for _seq, text in window.controller.notes()]
    assert any("Noted at the curtain" in text for text in notes)


def test_the_resume_prompt_shows_the_wait(make_window, qtbot):
    window, _ticks = at_washingtons_curtain(make_window)
    session = window.controller.session_id
    window.ask_before_quit = False
    window.close()
    again = make_window()
    ticks = Ticks()
    seen: dict = {}
    drive = drive_pin_dialog(qtbot, ticks, seen)

    def with_fake_clock(dialog):
        dialog.check.__self__.exercise.pin_guard.clock = ticks  # the resumed session's guard
        return drive(dialog)

    again.prompts.pin_fn = with_fake_clock
    assert again.resume_session(session)
    assert seen["message"] == "Too many wrong PINs: try again in 2 s"
    assert seen["ok while waiting"] is False and seen["ok after"] is True
    assert again.controller.session_id == session


def test_a_cancelled_pin_dialog_opens_nothing(make_window, qtbot):
    window, _ticks = at_washingtons_curtain(make_window)
    window.prompts.pin_fn = lambda dialog: False
    window.act_fork.trigger()
    assert window.stack.currentWidget() is window.curtain


def test_the_set_up_recommends_a_facilitator_pin_of_six_digits(qtbot, mini_path):
    from wargame.scenario.loader import load_scenario
    from wargame.ui.setup_dialog import SetupDialog

    dialog = SetupDialog(load_scenario(mini_path))
    qtbot.addWidget(dialog)
    assert "6 or more digits" in dialog.pin_advice.text()  # no PIN yet
    qtbot.keyClicks(dialog.facilitator_pin, "99")
    assert "6 or more digits is recommended" in dialog.pin_advice.text()
    qtbot.keyClicks(dialog.facilitator_pin, "1357")
    assert "good length" in dialog.pin_advice.text()
