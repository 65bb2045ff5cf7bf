"""Whoever holds the laptop at a team's curtain is not the facilitator (issue 9, items 1-3):
every facilitator action there asks for the facilitator PIN (masked), the curtain has a
facilitator way in that leads to Close orders, quitting mid-turn asks first, and after a
clean quit the start screen offers the session left open."""
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from wargame.ui.scripted import draft_first_legal, wait_until

FACILITATOR_PIN = "99"


def two_humans_pin_and_timer(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "human")
    dialog.facilitator_pin.setText(FACILITATOR_PIN)
    dialog.timer.setValue(5)


def at_washingtons_curtain(make_window):
    window = make_window(setup=two_humans_pin_and_timer)
    window.start.new_button.click()
    window.console.handover_button.click()
    assert window.stack.currentWidget() is window.curtain
    assert "Washington" in window.curtain.title.text()
    return window


# (menu action, what must not have happened when the PIN is wrong)
GUARDED = [
    ("act_fork", lambda w, sid, n: w.controller.session_id == sid),
    ("act_rewind", lambda w, sid, n: w.controller.phase == "orders"),
    ("act_end", lambda w, sid, n: not w.controller.ended),
    ("act_pause", lambda w, sid, n: not w.controller.paused),
    ("act_note", lambda w, sid, n: len(w.controller.notes()) == n),
    ("act_home", lambda w, sid, n: w.controller is not None),
    ("act_close_orders", lambda w, sid, n: w.controller.phase == "orders"),
    ("act_white_cell", lambda w, sid, n: ("white_cell", "turn 1") not in w.prompts.asked),
]


@pytest.mark.parametrize("name,unchanged", GUARDED, ids=[g[0] for g in GUARDED])
def test_facilitator_actions_at_a_curtain_ask_the_pin(make_window, name, unchanged):
    """Rule: at a team's curtain a facilitator action needs the facilitator PIN; a wrong or
    cancelled PIN changes nothing and the curtain stays down."""
    window = at_washingtons_curtain(make_window)
    session, notes = window.controller.session_id, len(window.controller.notes())
    action = getattr(window, name)
    assert action.isEnabled(), name
    window.prompts.texts.extend(["a note", "a reason"])
    window.prompts.choices.append("1")
    for answer in ("0000", None):  # wrong, then cancelled
        window.prompts.pins.append(answer)
        action.trigger()
        assert unchanged(window, session, notes), (name, answer)
        assert window.stack.currentWidget() is window.curtain, (name, answer)
    assert [a for a in window.prompts.asked if a[0] == "pin"] == [("pin", "Facilitator PIN")] * 2


def test_fork_at_a_curtain_with_the_pin_opens_the_console(make_window):
    window = at_washingtons_curtain(make_window)
    old = window.controller.session_id
    window.prompts.pins.append(FACILITATOR_PIN)
    window.prompts.choices.append("1")
    window.act_fork.trigger()
    assert window.controller.session_id != old
    assert window.stack.currentWidget() is window.console


def test_pause_at_a_curtain_keeps_the_curtain_down(make_window):
    window = at_washingtons_curtain(make_window)
    window.prompts.pins.append(FACILITATOR_PIN)
    window.act_pause.trigger()
    assert window.controller.paused
    assert window.stack.currentWidget() is window.curtain
    window._tick()
    assert "paused" in window.curtain.banner.text()


def test_time_up_curtain_has_a_facilitator_way_to_close_orders(make_window, monkeypatch):
    """Rule: once time is up the curtain says the facilitator may close the orders, and
    its Facilitator button (with the PIN) leads to an enabled Close orders."""
    window = at_washingtons_curtain(make_window)
    ctl = window.controller
    monkeypatch.setattr(ctl.exercise, "timer_remaining", lambda now=None: 0.0)
    window._tick()
    curtain = window.curtain
    assert curtain.banner.isVisible() and "Facilitator" in curtain.banner.text()
    assert curtain.facilitator_button.isVisible()
    window.prompts.pins.append("1")  # wrong
    curtain.facilitator_button.click()
    assert window.stack.currentWidget() is curtain
    window.prompts.pins.append(FACILITATOR_PIN)
    curtain.facilitator_button.click()
    assert window.stack.currentWidget() is window.console
    console = window.console
    window._tick()
    assert console.close_orders_button.isEnabled() and window.act_close_orders.isEnabled()
    console.close_orders_button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    teams = {console.outcomes.item(r, 0).text() for r in range(console.outcomes.rowCount())}
    assert "Washington" not in teams and "Brussels" not in teams


def test_time_up_banner_goes_once_everyone_has_submitted(make_window, monkeypatch):
    window = at_washingtons_curtain(make_window)
    ctl = window.controller
    monkeypatch.setattr(ctl.exercise, "timer_remaining", lambda now=None: 0.0)
    for _team in ("washington", "brussels"):
        window.curtain.button.click()
        draft_first_legal(window.team_screen)
        window.team_screen.confirm_submit = False
        window.team_screen.submit_button.click()
    assert window.curtain.who == "facilitator"
    window._tick()
    assert not window.curtain.banner.isVisible()  # nobody is late any more
    assert not window.curtain.facilitator_button.isVisible()  # it is the facilitator's own


def test_white_cell_shortcut_is_enabled_only_where_it_works(make_window):
    window = at_washingtons_curtain(make_window)
    window.curtain.button.click()  # Washington drafts
    assert window.stack.currentWidget() is window.team_screen
    assert not window.act_white_cell.isEnabled()
    for name in ("act_fork", "act_rewind", "act_end", "act_pause", "act_note",
                 "act_close_orders", "act_home"):
        assert not getattr(window, name).isEnabled(), name
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    window.curtain.pin_edit.setText(FACILITATOR_PIN)
    window.curtain.button.click()
    ctl = window.controller
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    assert not window.act_white_cell.isEnabled()  # adjudication: too late for orders


def test_ctrl_q_at_a_curtain_asks_the_facilitator(make_window, qtbot):
    window = at_washingtons_curtain(make_window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.prompts.pins.append("0000")
    qtbot.keyClick(window.curtain, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible() and window.controller is not None
    assert ("pin", "Facilitator PIN") in window.prompts.asked


def test_quit_with_a_draft_names_it_and_can_be_refused(make_window, qtbot):
    window = at_washingtons_curtain(make_window)
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.prompts.confirm_answer = False
    window.prompts.pins.append(FACILITATOR_PIN)
    window.act_quit.trigger()
    assert window.isVisible()
    assert ("confirm", "Quit while a team is drafting?") in window.prompts.asked
    assert len(window.team_screen.draft) == 1  # nothing lost by asking


def test_quit_at_the_console_mid_turn_asks(make_window):
    window = at_washingtons_curtain(make_window)
    window.prompts.pins.append(FACILITATOR_PIN)
    window.curtain.facilitator_button.click()
    window.prompts.confirm_answer = False
    window.act_quit.trigger()
    assert window.isVisible()
    assert window.prompts.asked[-1] == ("confirm", "Quit during the turn?")


def test_clean_quit_mid_turn_is_offered_first(make_window):
    window = at_washingtons_curtain(make_window)
    session = window.controller.session_id
    window.prompts.pins.append(FACILITATOR_PIN)
    window.close()
    assert not window.isVisible()
    again = make_window()
    assert again.controller is None  # a clean quit is no crash: no modal question
    assert ("confirm", "Resume the exercise?") not in again.prompts.asked
    assert again.start.resume_offer.isVisible()
    again.prompts.pins.append(FACILITATOR_PIN)
    again.start.resume_offer_button.click()
    assert again.controller is not None and again.controller.session_id == session
    assert again.controller.phase == "orders"


def test_resume_pin_is_typed_masked(make_window, qtbot):
    """The real prompt (not a scripted one): the facilitator PIN box echoes dots."""
    from wargame.ui.main_window import Prompts
    from wargame.ui.pin_dialog import PinDialog

    window = at_washingtons_curtain(make_window)
    session = window.controller.session_id
    window.prompts.pins.append(FACILITATOR_PIN)
    window.close()
    again = make_window()
    again.prompts = Prompts(again)
    seen = {}

    def type_pin():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PinDialog)
        edit = dialog.findChild(QLineEdit)
        qtbot.keyClicks(edit, FACILITATOR_PIN)
        seen["echo_edit"] = edit.echoMode()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, type_pin)
    assert again.resume_session(session)
    assert seen["echo_edit"] == QLineEdit.EchoMode.Password


def test_the_session_itself_refuses_a_facilitator_command_without_the_pin(make_window):
    """Issue 9, item 1, enforced by the session and not only the window: a facilitator
    command given without the facilitator's key (a window that never got the PIN) is
    refused, said in a dialog, and changes nothing."""
    from wargame.ui import dialogs

    def with_pin(dialog):
        for team in dialog.controller_boxes:
            dialog.set_controller(team, "bot")
        dialog.facilitator_pin.setText("99")

    window = make_window(setup=with_pin)
    window.start.new_button.click()
    ctl = window.controller
    ctl._facilitator_key = None  # as if the PIN had never been given in this window
    window.prompts.choices.append("1")
    window.act_fork.trigger()
    assert window.controller is ctl  # no fork was made
    assert any("PIN" in message for message in dialogs._shown_errors)
    window.prompts.texts.append("A note nobody may write.")
    window.act_note.trigger()
    assert ctl.exercise.notes() == []
