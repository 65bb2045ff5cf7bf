"""The orders timer runs out: banners on the team screen and the curtain, 00:00 on the
projector, "Close orders now" at the console. Pause stops everything that moves the turn."""
from wargame.ui.scripted import draft_first_legal, wait_until


def two_humans_with_timer(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "human")
    dialog.timer.setValue(5)


def run_out(ctl, monkeypatch):
    monkeypatch.setattr(ctl.exercise, "timer_remaining", lambda now=None: 0.0)


def test_time_is_up_everywhere_and_orders_can_be_closed(make_window, monkeypatch):
    window = make_window(setup=two_humans_with_timer)
    window.start.new_button.click()
    ctl = window.controller
    assert ctl.exercise.timer_seconds
    window.toggle_projector()
    projector = window.projector
    window.console.handover_button.click()
    assert window.stack.currentWidget() is window.curtain
    window._tick()
    assert ctl.clock_text() and not ctl.time_up
    assert not window.curtain.banner.isVisible()
    assert not projector.banner.isVisible()

    run_out(ctl, monkeypatch)
    window._tick()
    projector._tick()
    assert window.curtain.banner.isVisible()
    assert "Time is up" in window.curtain.banner.text()
    assert projector.timer_label.text().endswith("00:00")
    assert projector.banner.isVisible() and "00:00" in projector.banner.text()
    assert "time is up" in window.timer_label.text()

    window.curtain.button.click()  # Washington still drafts, late
    screen = window.team_screen
    window._tick()
    assert screen.time_up_banner.isVisible()
    assert screen.clock.text().endswith("00:00")
    assert draft_first_legal(screen)
    screen.confirm_submit = False
    screen.submit_button.click()
    assert not screen.time_up_banner.isVisible()  # cleared with the team
    assert "Brussels" in window.curtain.title.text()
    # from the curtain too: the facilitator's way in (no facilitator PIN in this set-up)
    assert window.act_close_orders.isEnabled()
    assert window.curtain.facilitator_button.isVisible()

    # the facilitator takes the laptop back and closes the orders without Brussels
    window.curtain.facilitator_button.click()
    assert window.stack.currentWidget() is window.console
    window._tick()
    console = window.console
    assert console.time_up_label.isVisible()
    assert console.tabs.currentIndex() == 1 and console.close_orders_button.isEnabled()
    assert window.act_close_orders.isEnabled()
    console.close_orders_button.click()
    assert ("confirm", "Close orders now?") in window.prompts.asked
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    assert ctl.phase == "adjudication"
    teams = {console.outcomes.item(r, 0).text() for r in range(console.outcomes.rowCount())}
    assert "Washington" in teams and "Brussels" not in teams
    window._tick()
    assert not console.time_up_label.isVisible()
    projector.close()


def test_pause_stops_the_turn(make_window):
    window = make_window(setup=two_humans_with_timer)
    window.start.new_button.click()
    ctl = window.controller
    window.toggle_projector()
    projector = window.projector
    window.console.handover_button.click()
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()  # Washington in; the curtain waits for Brussels
    window.act_pause.trigger()
    assert ctl.paused
    projector._tick()
    assert projector.banner.isVisible() and projector.banner.text() == "PAUSED"
    window._tick()
    assert window.curtain.banner.isVisible() and "paused" in window.curtain.banner.text()
    window.curtain.button.click()  # Brussels may not start drafting
    assert window.stack.currentWidget() is window.curtain
    assert "paused" in window.curtain.message.text()

    window.show_console()
    window.refresh()
    console = window.console
    for action in (window.act_handover, window.act_resolve, window.act_close_orders,
                   window.act_commit, window.act_next):
        assert not action.isEnabled(), action.text()
    for button in (console.next_team_button, console.close_orders_button,
                   console.resolve_button, console.handover_button):
        assert not button.isEnabled(), button.text()
    window.resolve()
    window.close_orders()
    window.hand_over()
    assert ctl.phase == "orders" and not ctl.has_proposal and not ctl.busy
    assert window.stack.currentWidget() is window.console

    window.act_pause.trigger()  # resume
    assert not ctl.paused
    projector._tick()
    assert not projector.banner.isVisible()
    assert window.act_close_orders.isEnabled() and console.close_orders_button.isEnabled()
    projector.close()
