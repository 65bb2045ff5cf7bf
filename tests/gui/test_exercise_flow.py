"""A full exercise driven through the real widgets: set-up, two human teams (one with a
PIN) and a bot, three turns, an override, a rewind, and resuming after closing the window."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wargame.ui.scripted import draft_first_legal, play_hot_seat_turn, wait_until


def setup_two_humans_and_a_bot(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "human")
    dialog.pin_edits["washington"].setText("1234")
    dialog.facilitator_pin.setText("99")
    dialog.seed.setValue(4242)
    dialog.turn_limit.setValue(4)


PINS = {"washington": "1234"}


def start(make_window, mini_path):
    window = make_window(setup=setup_two_humans_and_a_bot)
    assert window.start.scenario_list.count() >= 1
    window.start.new_button.click()  # the selected (command-line) scenario
    assert window.controller is not None, window.prompts.asked
    return window


def test_full_exercise(make_window, mini_path, db_path, qtbot):
    window = start(make_window, mini_path)
    ctl = window.controller
    assert ctl.exercise.seed == 4242
    assert ctl.phase == "briefing" and ctl.turn == 1
    assert window.stack.currentWidget() is window.console

    # ---- turn 1: hand over; the curtain names the team and needs its PIN
    window.console.handover_button.click()
    assert window.stack.currentWidget() is window.curtain
    assert "Washington" in window.curtain.title.text()
    assert "beijing" in ctl.submitted_teams()  # the bot submitted at once
    window.curtain.pin_edit.setText("0000")
    window.curtain.button.click()
    assert window.stack.currentWidget() is window.curtain
    assert "Wrong PIN" in window.curtain.message.text()
    window.curtain.pin_edit.setText("1234")
    window.curtain.button.click()
    screen = window.team_screen
    assert window.stack.currentWidget() is screen
    assert "Washington" in screen.header.text()
    assert draft_first_legal(screen)
    assert draft_first_legal(screen)
    assert len(screen.draft) == 2
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    screen.draft_list.setFocus()
    qtbot.keyClick(screen.draft_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(screen.draft) == 1
    qtbot.keyClick(screen.draft_list, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(screen.draft) == 2
    screen.confirm_submit = False
    screen.submit_button.click()
    assert window.stack.currentWidget() is window.curtain
    assert "Brussels" in window.curtain.title.text()
    assert len(screen.draft) == 0 and screen.team_id is None  # nothing of Washington left
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    assert "facilitator" in window.curtain.title.text()
    window.curtain.pin_edit.setText("99")
    window.curtain.button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    assert ctl.phase == "adjudication"
    assert window.console.outcomes.rowCount() >= 3
    window.console.commit_button.click()
    assert ctl.phase == "debrief"
    text = window.console.debrief_text.toPlainText()
    assert "Orders of every team" in text and "Washington" in text and "Beijing" in text
    window.console.next_turn_button.click()
    assert ctl.phase == "briefing" and ctl.turn == 2

    # ---- turn 2: an inject by hand and an override with a written reason
    window.prompts.texts.extend(["Typhoon closes a port", "Shipping halts for two weeks."])
    window.console.free_button.click()
    assert any("Typhoon" in t for t in ctl.injects_due())
    play_hot_seat_turn(window, PINS, "99")
    assert ctl.has_proposal
    window.console.outcomes.selectRow(0)
    order_id = window.console.outcomes.item(0, 0).data(Qt.ItemDataRole.UserRole)
    window.prompts.choices.append("rejected")
    window.prompts.texts.append("Blocked by the white cell: not credible this quarter.")
    window.console.override_button.click()
    assert wait_until(lambda: not ctl.busy)
    overrides = ctl.exercise.overrides()
    assert overrides and overrides[-1]["order_id"] == order_id
    window.console.commit_button.click()
    assert "white cell" in window.console.debrief_text.toPlainText()
    window.console.next_turn_button.click()

    # ---- turn 3
    play_hot_seat_turn(window, PINS, "99")
    window.console.commit_button.click()
    assert ctl.exercise.committed_turns() == [1, 2, 3]
    assert len(ctl.indicators_history()) == 3

    # ---- rewind to the start of turn 2 (turns 2-3 archived)
    window.prompts.choices.append("2")
    window.prompts.texts.append("Replay the second quarter")
    window.act_rewind.trigger()
    assert ctl.turn == 2 and ctl.phase == "briefing"
    assert ctl.exercise.committed_turns() == [1]
    session_id = ctl.session_id

    # ---- play turn 2 again and stop in the middle of the orders
    window.console.handover_button.click()
    window.curtain.pin_edit.setText("1234")
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    submitted = ctl.submitted_teams()
    assert submitted == {"beijing", "washington"}
    # quitting at Brussels' curtain is the facilitator's decision: PIN, then a question
    window.prompts.pins.append("99")
    window.close()
    assert ("pin", "Facilitator PIN") in window.prompts.asked
    assert ("confirm", "Quit during the turn?") in window.prompts.asked
    assert not window.isVisible()

    # ---- the start screen offers that session first; resume: exactly where it stopped
    again = make_window()
    rows = [again.start.sessions.item(r, 0).data(Qt.ItemDataRole.UserRole)
            for r in range(again.start.sessions.rowCount())]
    assert session_id in rows
    assert again.start.resume_offer.isVisible()
    assert "turn 2" in again.start.resume_offer_text.text()
    again.prompts.pins.append("99")  # facilitator PIN, typed masked
    again.start.resume_offer_button.click()
    resumed = again.controller
    assert resumed is not None and resumed.session_id == session_id
    assert resumed.turn == 2 and resumed.phase == "orders"
    assert resumed.submitted_teams() == submitted
    again.hand_over()
    assert "Brussels" in again.curtain.title.text()


def test_bots_only_turn_resolves(make_window):
    def all_bots(dialog):
        for team in ("beijing", "washington", "brussels"):
            dialog.set_controller(team, "bot")

    window = make_window(setup=all_bots)
    window.start.new_button.click()
    ctl = window.controller
    window.console.handover_button.click()
    assert "facilitator" in window.curtain.title.text()
    window.curtain.button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    window.commit()
    assert ctl.phase == "debrief"


def test_crash_offers_resume(make_window):
    window = make_window()
    window.start.new_button.click()
    session_id = window.controller.session_id
    # simulate a crash: the window never closes cleanly, so the session stays marked open
    window.controller.close()
    window.controller = None
    again = make_window()
    assert ("confirm", "Resume the exercise?") in again.prompts.asked
    assert again.controller is not None and again.controller.session_id == session_id


def test_pause_fork_notes_and_end(make_window):
    def all_bots(dialog):
        for team in ("beijing", "washington", "brussels"):
            dialog.set_controller(team, "bot")

    window = make_window(setup=all_bots)
    window.start.new_button.click()
    ctl = window.controller
    window.act_pause.trigger()
    assert ctl.paused and "PAUSED" in window.console.status.text()
    window.console.handover_button.click()  # refused while paused
    assert ctl.phase == "briefing"
    window.act_pause.trigger()
    assert not ctl.paused
    window.prompts.texts.append("Beijing team asked for a break.")
    window.console.note_button.click()
    assert "Beijing team asked for a break." in window.console.notes.item(0).text()
    window.console.handover_button.click()
    window.curtain.button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    window.console.commit_button.click()
    old_id = ctl.session_id
    window.prompts.choices.append("1")
    window.act_fork.trigger()
    forked = window.controller
    assert forked.session_id != old_id and forked.turn == 1 and forked.phase == "briefing"
    window.end_exercise()
    assert forked.ended and "Ended" in window.console.status.text()
