"""Every visible interactive widget of the main window, in every phase, has a name a screen
reader can speak (accessible name, its own text, or a label buddy); Tab walks the team
screen in the order a player works."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from wargame.ui.scripted import draft_first_legal, wait_until

INTERACTIVE = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView,
               QTabBar)


def _describe(widget: QWidget) -> str:
    chain, w = [], widget
    while w is not None:
        chain.append(f"{type(w).__name__}({w.objectName()})")
        w = w.parentWidget()
    return " < ".join(chain[:5])


def unnamed_widgets(root: QWidget) -> list[str]:
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel)
               if label.buddy() is not None and label.isVisible() and label.text().strip()}
    bad = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible():
            continue
        parent = widget.parentWidget()
        if isinstance(widget, QHeaderView):
            continue  # part of its table
        if isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox)):
            continue  # the editor inside a spin box or combo: named through its owner
        if isinstance(widget, QTabBar):
            if all(widget.tabText(i).strip() for i in range(widget.count())):
                continue
        if widget.accessibleName().strip():
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        if id(widget) in buddies:
            continue
        bad.append(_describe(widget))
    return bad


def one_human(dialog):
    dialog.set_controller("beijing", "bot")
    dialog.set_controller("washington", "human")
    dialog.set_controller("brussels", "bot")


def test_every_interactive_widget_is_named_in_every_phase(make_window):
    window = make_window(setup=one_human)
    seen: dict[str, list[str]] = {}

    def check(phase: str) -> None:
        QApplication.processEvents()
        seen[phase] = unnamed_widgets(window)

    check("start")
    window.start.new_button.click()
    ctl = window.controller
    assert wait_until(lambda: window.console.flowmap is not None
                      and window.console.charts is not None)
    for index in range(window.console.tabs.count()):
        window.console.tabs.setCurrentIndex(index)
        check(f"briefing, tab {index}")
    window.console.handover_button.click()
    check("curtain")
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    check("team screen")
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    window.curtain.button.click()
    assert wait_until(lambda: not ctl.busy and ctl.has_proposal)
    check("adjudication")
    window.console.commit_button.click()
    for index in range(window.console.charts.tabs.count()
                       if hasattr(window.console.charts, "tabs") else 1):
        if hasattr(window.console.charts, "tabs"):
            window.console.charts.tabs.setCurrentIndex(index)
        check(f"debrief, chart {index}")
    failures = {phase: bad for phase, bad in seen.items() if bad}
    assert not failures, failures


def test_tab_walks_the_team_screen_in_working_order(make_window, qtbot):
    window = make_window(setup=one_human)
    window.start.new_button.click()
    window.console.handover_button.click()
    window.curtain.button.click()
    screen = window.team_screen
    assert draft_first_legal(screen)
    screen.moves.setCurrentRow(0)
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    screen.moves.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.moves)
    params = list(screen._editor.widgets.values())
    assert params
    order = [QApplication.focusWidget()]
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is order[0] or focused is screen.submit_button:
            order.append(focused)
            break
        order.append(focused)

    def position(widget) -> int:
        for i, w in enumerate(order):
            if w is widget or (w is not None and widget.isAncestorOf(w)):
                return i
        raise AssertionError(f"{_describe(widget)} never got the focus: "
                             f"{[_describe(w) for w in order if w is not None]}")

    steps = [position(screen.moves)] + [position(w) for w in params] + [
        position(screen.add_button), position(screen.draft_list),
        position(screen.submit_button)]
    assert steps == sorted(steps), [_describe(w) for w in order if w is not None]


def test_the_walk_flags_an_unnamed_widget(qtbot):
    from PySide6.QtWidgets import QComboBox, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    bare, labelled, named = QComboBox(), QComboBox(), QComboBox()
    named.setAccessibleName("Material")
    label = QLabel("&Stage")
    label.setBuddy(labelled)
    for widget in (bare, label, labelled, named):
        layout.addWidget(widget)
    root.show()
    assert len(unnamed_widgets(root)) == 1
