"""Secrecy of the hot seat: while one team drafts, no other team's draft or submitted order
text appears in any visible widget of the main window or of the projector."""
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from wargame.engine import bot_orders
from wargame.ui.scripted import draft_first_legal, wait_until
from wargame.engine.phrases import measure_label
from wargame.ui.team_screen import describe_order


def visible_texts(root: QWidget) -> list[str]:
    """Every text a person could read on ``root``: labels, edits, buttons, list and table
    items, combo items, window titles and tooltips of visible widgets."""
    texts: list[str] = []
    widgets = [root] + root.findChildren(QWidget)
    for widget in widgets:
        if not widget.isVisible():
            continue
        texts.append(widget.toolTip())
        texts.append(widget.windowTitle())
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                item = widget.item(i)
                texts.extend([item.text(), item.toolTip()])
        elif isinstance(widget, QTableWidget):
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    item = widget.item(r, c)
                    if item is not None:
                        texts.extend([item.text(), item.toolTip()])
    return [t for t in texts if t]


def assert_absent(secrets: list[str], *roots: QWidget, own: list[str] = ()) -> None:
    """``own``: the drafting team's own order texts (it may see those, and another team
    may have given an identical order, which is then not a leak)."""
    secrets = [s for s in secrets if s not in own]
    assert secrets or own
    for root in roots:
        blob = "\n".join(visible_texts(root))
        for secret in secrets:
            assert secret not in blob, f"leaked {secret!r} on {root.objectName()}"


def setup(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "human")


def test_no_other_team_order_is_visible_while_drafting(make_window):
    window = make_window(setup=setup)
    window.start.new_button.click()
    ctl = window.controller
    scenario = ctl.scenario
    bot_secret = [describe_order(scenario, o.move, o.params, "beijing")
                  for o in bot_orders(scenario, ctl.exercise.state, "beijing")]
    window.toggle_projector()
    projector = window.projector
    assert projector is not None and projector.isVisible()

    window.console.handover_button.click()
    window.curtain.button.click()  # Washington
    screen = window.team_screen
    assert draft_first_legal(screen, ("offtake_deal",))
    assert draft_first_legal(screen)
    washington_secret = [describe_order(scenario, e["move"], e["params"], "washington")
                         for e in screen.draft.entries()]
    washington_said = [measure_label(scenario, scenario.move_index[e["move"]], e["params"],
                                     "washington") for e in screen.draft.entries()]
    assert washington_secret
    # while Washington drafts: the bot's submitted orders are nowhere
    assert_absent(bot_secret, window, projector, own=washington_secret)
    # ... and Washington's own draft is not on the projector
    assert_absent(washington_secret, projector)

    screen.confirm_submit = False
    screen.submit_button.click()
    # the curtain shows nothing of anyone
    assert_absent(washington_secret + bot_secret, window, projector)
    window.curtain.button.click()  # Brussels
    assert "Brussels" in window.team_screen.header.text()
    assert draft_first_legal(window.team_screen, ("price_floor", "magnet_recycling"))
    brussels_secret = [describe_order(scenario, e["move"], e["params"], "brussels")
                       for e in window.team_screen.draft.entries()]
    brussels_said = [measure_label(scenario, scenario.move_index[e["move"]], e["params"],
                                   "brussels") for e in window.team_screen.draft.entries()]
    # while Brussels drafts: neither Washington's submitted orders nor the bot's
    assert_absent(washington_secret + bot_secret, window, projector, own=brussels_secret)
    assert_absent(brussels_secret, projector)

    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    assert_absent(washington_secret + bot_secret + brussels_secret, window, projector)

    # the facilitator sees the outcomes only once the turn is resolved...
    window.curtain.button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    assert_absent(washington_secret + bot_secret + brussels_secret, projector)
    # ...and everyone sees every order in the debrief: in the table of orders, and on the
    # projector in the line each order has (as the team would say it)
    window.console.commit_button.click()
    projector.refresh()
    debrief = window.console.debrief_text.toPlainText()
    for secret in washington_secret + brussels_secret:
        assert secret in debrief
    blob = "\n".join(visible_texts(projector))
    for said in washington_said + brussels_said:
        assert said in blob


def test_submission_table_says_who_not_what(make_window):
    window = make_window(setup=setup)
    window.start.new_button.click()
    window.console.handover_button.click()
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    entries = window.team_screen.draft.entries()
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    table = window.console.submissions
    cells = [table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount())]
    assert any("submitted" in c for c in cells)
    text = describe_order(window.controller.scenario, entries[0]["move"], entries[0]["params"],
                          "washington")
    assert all(text not in c for c in cells)


def test_team_screen_is_cleared_on_leaving(make_window):
    window = make_window(setup=setup)
    window.start.new_button.click()
    window.console.handover_button.click()
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    screen = window.team_screen
    assert screen.team_id is None
    assert screen.draft_list.count() == 0 and screen.moves.count() == 0
    assert not screen.situation.toPlainText()
    assert not screen.undo_stack.canUndo()  # no undoing into another team's draft
