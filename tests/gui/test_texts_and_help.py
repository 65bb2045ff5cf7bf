"""What people read first (issue 9, items 18 and 19): labels without stray ampersands, a
labelled PIN box on the curtain, the app's name once in the title, the facilitator's guide
in the Help menu with its pictures, and parameter help visible under each field."""
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.test_facilitator_guard import at_washingtons_curtain
from wargame.ui.main_window import WINDOW_TITLE


def test_setup_dialog_mnemonics_work_and_show_no_ampersand(make_window, qtbot):
    from wargame.ui.setup_dialog import SetupDialog

    window = make_window()
    scenario = window.scenarios.load(window.start.selected_scenario_path())
    dialog = SetupDialog(scenario, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    for label in dialog.findChildren(QLabel):
        if "&" in label.text() and "<" not in label.text():
            assert label.buddy() is not None, f"{label.text()!r} would show its ampersand"
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert dialog.seed.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert dialog.turn_limit.hasFocus()


def test_title_says_the_app_name_once_and_which_session(make_window):
    window = make_window()
    # the platform appends the display name ("… — wargame"): the title must not repeat it
    assert window.windowTitle() == WINDOW_TITLE
    assert "wargame" not in window.windowTitle().lower()
    window.start.new_button.click()
    ctl = window.controller
    assert ctl.session_name in window.windowTitle()  # its name (a default one at first)
    assert ctl.scenario.title in window.windowTitle()
    window.go_home()
    assert window.windowTitle() == WINDOW_TITLE


def test_curtain_pin_box_is_labelled(make_window, qtbot):
    window = make_window(setup=lambda d: (d.set_controller("beijing", "bot"),
                                          d.set_controller("washington", "human"),
                                          d.pin_edits["washington"].setText("12")))
    window.start.new_button.click()
    window.console.handover_button.click()
    curtain = window.curtain
    assert curtain.who == "washington"
    assert curtain.pin_label.isVisible() and curtain.pin_label.text() == "&PIN for Washington:"
    assert curtain.pin_label.buddy() is curtain.pin_edit
    qtbot.keyClicks(curtain.pin_edit, "12")
    qtbot.keyClick(curtain.pin_edit, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.team_screen


def test_guide_opens_from_help_with_its_pictures(make_window, qtbot):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.guide
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    for step in ("1. Start", "2. Briefing", "3. Orders", "4. Adjudication", "5. Debrief",
                 "Close orders now", "Facilitator…"):
        assert step in text, step
    names = guide.image_names()
    assert len(names) >= 6
    document = guide.browser.document()
    width = guide.browser.viewport().width()
    for cursor, fmt in guide._images():
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(fmt.name()))
        assert image is not None and image.width() > 0, fmt.name()  # the picture is found
        assert fmt.width() <= width, (fmt.name(), fmt.width(), width)  # and fits
    assert window.act_guide.text() == "&How to run an exercise"


def test_parameter_help_is_shown_under_its_field(make_window):
    window = at_washingtons_curtain(make_window)
    window.curtain.button.click()
    screen = window.team_screen
    screen.select_move("build_capacity")
    help_label = screen._editor.help_labels["tonnes"]
    assert help_label.isVisible()
    assert help_label.text() == "Tonnes per year; from 100 to 20,000"
    # and the move without help text still says a number's range
    screen.select_move("release_stockpile")
    assert screen._editor.help_labels["tonnes"].text() == "From 0 to 1,500"


def test_counts_read_aloud_and_no_raw_category_ids(make_window):
    """No "order(s)" or "team(s)", no "[export_controls]" in what a team reads."""
    window = at_washingtons_curtain(make_window)
    assert "One more team after this one." in window.curtain.subtitle.text()
    window.curtain.button.click()
    screen = window.team_screen
    assert "No orders drafted" in screen.money.text()
    texts = [screen.moves.item(i).text() for i in range(screen.moves.count())]
    assert texts and not any("[" in t or "_" in t for t in texts), texts
    screen.select_move("build_capacity")
    assert screen.move_help.text().startswith("Industry. ")
    from wargame.ui.scripted import draft_first_legal

    draft_first_legal(screen)
    assert "One order drafted" in screen.money.text()
    assert "(s)" not in screen.money.text() + window.curtain.subtitle.text()
