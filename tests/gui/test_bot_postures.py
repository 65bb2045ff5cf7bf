"""Bot postures chosen at set-up (issue 13): the facilitator picks, per team, a human, a bot
in the scenario's style or a bot with a posture; the console says which; the bot plays it
(its orders are the engine's posture bot's for the same state) and the session keeps it."""
from __future__ import annotations

from wargame.engine import bot_orders
from wargame.ui.scripted import play_hot_seat_turn

CHOICE = {"beijing": "bot:hawkish", "washington": "bot:dovish", "brussels": "bot"}


def choose(dialog):
    for team, data in CHOICE.items():
        combo = dialog.controller_boxes[team]
        combo.setCurrentIndex(combo.findData(data))  # what a click on the item does
        assert combo.currentData() == data
        if data != "bot":
            assert combo.itemData(combo.currentIndex(), 3)  # a tooltip says what it does


def test_a_posture_chosen_at_set_up_is_played_shown_and_kept(make_window):
    window = make_window(setup=choose)
    window.start.new_button.click()
    ctl = window.controller
    assert ctl.postures() == {"beijing": "hawkish", "washington": "dovish"}
    window.refresh()
    table = window.console.submissions
    played = {table.item(r, 0).text(): table.item(r, 1).text()
              for r in range(table.rowCount())}
    names = {t.id: t.name for t in ctl.scenario.teams}
    assert played[names["beijing"]] == "bot, hawkish"
    assert played[names["washington"]] == "bot, dovish"
    assert played[names["brussels"]] == "bot"
    state = ctl.exercise.state
    expected = {team: [(o.move, o.params) for o in bot_orders(ctl.scenario, state, team,
                                                              posture)]
                for team, posture in (("beijing", "hawkish"), ("washington", "dovish"),
                                      ("brussels", None))}
    play_hot_seat_turn(window)  # bots only: straight to the proposal
    given = ctl.exercise.facilitator_pending_orders()
    assert any(given.values())
    for team, orders in expected.items():
        assert [(o.move, o.params) for o in given.get(team, [])] == orders, team
    session_id = ctl.exercise.id
    window.console.commit_button.click()
    window.go_home()
    from wargame.session.exercise import Exercise

    reopened = Exercise.open(window.db_path, session_id)
    assert {t.team: t.posture for t in reopened.teams} == {
        "beijing": "hawkish", "washington": "dovish", "brussels": None}
    reopened.close()
