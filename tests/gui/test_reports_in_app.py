"""Reports in the app: File > Export report asks which edition (the facilitator's, the
public one, a team's) and whether to add "Was it luck?"; it asks the facilitator PIN when
one is set and not yet given in this window, and a team's PIN for that team's edition; the
luck re-runs run in the background with their progress in the status bar. The start
screen's Replay opens the replay browser of a saved session, read only, even while another
window plays it."""
from __future__ import annotations

import os

import pytest

PIN = "246810"
WASHINGTON_PIN = "1111"
MINI = os.path.join(os.path.dirname(__file__), "..", "fixtures", "scenarios", "mini.yaml")


@pytest.fixture
def pinned_session(db_path) -> str:
    """Two committed turns of the mini scenario, Washington human with a PIN, a facilitator
    PIN; turn 3 open."""
    from wargame.engine import Order
    from wargame.scenario.loader import load_scenario
    from wargame.session.exercise import Exercise

    ex = Exercise.create(db_path, load_scenario(MINI), seed=5,
                         teams={"beijing": "bot", "brussels": "bot",
                                "washington": {"controller": "human",
                                               "pin": WASHINGTON_PIN}},
                         facilitator_pin=PIN)
    key = ex.unlock("facilitator", PIN)
    ex.begin_orders(key)
    ex.submit_orders("washington", [Order("washington", "offtake_deal", {
        "seller": "CHN", "material": "ree", "stage": "separation", "share": 0.2})],
        WASHINGTON_PIN)
    ex.play_turn(key=key)
    ex.play_turn(key=key)
    ex.add_note("The room argued about gallium for ten minutes", key)
    ex.next_turn(key)
    session = ex.id
    ex.close()
    return session


def window_without_the_pin(make_window, db_path, session):
    """A window showing the session whose facilitator PIN was not given in it (as after a
    take-over, or a session opened by a script)."""
    from wargame.ui.controller import ExerciseController

    window = make_window()
    window.attach(ExerciseController.open(db_path, session))
    assert not window.controller.facilitator_pin_known()
    return window


def written(window, qtbot) -> None:
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(),
                    timeout=120000)


def test_export_asks_the_facilitator_pin_when_it_was_not_given(make_window, db_path,
                                                               pinned_session, tmp_path, qtbot):
    window = window_without_the_pin(make_window, db_path, pinned_session)
    window.prompts.pins.append("0000")  # wrong: nothing is written
    window.prompts.report_targets.append((str(tmp_path / "never.html"), "html"))
    assert window.export_report() is None
    assert ("pin", "Facilitator PIN") in window.prompts.asked
    assert not (tmp_path / "never.html").exists()
    window.prompts.report_targets.clear()
    window.prompts.pins.append(PIN)
    window.prompts.report_targets.append((str(tmp_path / "aar.html"), "html"))
    assert window.export_report() == tmp_path / "aar.html"
    written(window, qtbot)
    text = (tmp_path / "aar.html").read_text()
    assert "Facilitator's edition" in text
    assert "The room argued about gallium" in text  # the facilitator's notes


def test_a_teams_edition_needs_that_teams_pin(make_window, db_path, pinned_session,
                                              tmp_path, qtbot):
    window = make_window()
    window.prompts.pins.append(PIN)
    assert window.resume_session(pinned_session)
    window.prompts.report_options_fn = lambda dialog: dialog.choose("team", "washington")
    window.prompts.pins.append("0000")
    assert window.export_report() is None
    assert window.prompts.asked[-1] == ("pin", "PIN of Washington")
    window.prompts.pins.append(WASHINGTON_PIN)
    window.prompts.report_targets.append((str(tmp_path / "team.html"), "html"))
    window.export_report()
    assert ("report_target", f"after-action-report-{pinned_session[:8]}-team-washington") \
        in window.prompts.asked
    written(window, qtbot)
    text = (tmp_path / "team.html").read_text()
    assert "Washington's edition" in text
    assert "The room argued about gallium" not in text  # no facilitator's notes


def test_the_public_edition_needs_no_pin_and_shows_the_scores(make_window, db_path,
                                                              pinned_session, tmp_path, qtbot):
    """Scores are public once a turn is committed: the public edition has them (and no
    budgets)."""
    window = window_without_the_pin(make_window, db_path, pinned_session)
    window.prompts.report_options_fn = lambda dialog: dialog.choose("public")
    window.prompts.report_targets.append((str(tmp_path / "public.html"), "html"))
    window.export_report()
    assert not [a for a in window.prompts.asked if a[0] == "pin"]
    written(window, qtbot)
    text = (tmp_path / "public.html").read_text()
    assert "public edition" in text and "Final standings" in text
    assert "The room argued about gallium" not in text


def test_was_it_luck_is_offered_for_the_facilitators_edition_only(make_window, db_path,
                                                                   pinned_session, tmp_path,
                                                                   qtbot):
    window = make_window()
    window.prompts.pins.append(PIN)
    assert window.resume_session(pinned_session)
    seen = {}

    def options(dialog):
        dialog.choose("public")
        seen["public"] = dialog.luck.isEnabled()
        dialog.choose("facilitator")
        seen["facilitator"] = dialog.luck.isEnabled()
        seen["default runs"] = dialog.luck_runs.value()
        dialog.luck.setChecked(True)
        dialog.luck_runs.setValue(6)

    window.prompts.report_options_fn = options
    window.prompts.report_targets.append((str(tmp_path / "luck.html"), "html"))
    window.export_report()
    assert seen == {"public": False, "facilitator": True, "default runs": 50}
    written(window, qtbot)
    text = (tmp_path / "luck.html").read_text()
    assert "Was it luck?" in text and "re-run with 6 other seeds" in text


def test_replay_of_a_saved_session_from_the_start_screen(make_window, db_path, pinned_session,
                                                         qtbot):
    """Read only and without the lock: it opens while another window plays the session,
    writes nothing, and leaves the other window's hold alone."""
    player = make_window()
    player.prompts.pins.append(PIN)
    assert player.resume_session(pinned_session)
    holder = player.controller.holder()
    events = len(player.controller.exercise.store.events(pinned_session))
    window = make_window()
    row = next(r for r in range(window.start.sessions.rowCount())
               if window.start.sessions.item(r, 0).data(0x0100) == pinned_session)
    window.start.sessions.selectRow(row)
    window.prompts.pins.append(PIN)
    window.start.replay_button.click()
    browser = window.replay_browser
    qtbot.addWidget(browser)
    assert browser.isVisible() and window.controller is None
    assert browser.turns and [t.turn for t in browser.turns] == [1, 2]
    browser.last_button.click()
    assert "Turn 2: what happened and why" in browser.explanations.toPlainText()
    assert player.controller.holder().token == holder.token
    assert len(player.controller.exercise.store.events(pinned_session)) == events
    assert not [a for a in window.prompts.asked if a[0] == "lock_held"]
