"""The console's world map uses its pane at 1366x768: full width at its own aspect ratio,
no bands above and below it (the legend in a strip under it), details underneath."""
from wargame.ui.flowmap import MapCanvas
from wargame.ui.scripted import wait_until


def test_map_fills_its_pane_at_1366x768(make_window, qtbot):
    window = make_window()
    window.start.new_button.click()
    assert wait_until(lambda: window.console.flowmap is not None)
    fmap = window.console.flowmap
    qtbot.wait(50)
    canvas, details = fmap.canvas, fmap.details
    assert canvas.width() >= 680, canvas.width()  # about half of 1366
    drawn = canvas.map_rect()
    # the map and its legend strip fill the canvas: a few pixels of margin on every side
    legend = canvas.legend_rect()
    assert drawn.width() >= canvas.width() - 2 * MapCanvas.MARGIN - 2
    assert drawn.height() + legend.height() >= canvas.height() - 2 * MapCanvas.MARGIN - 4
    assert legend.top() >= drawn.bottom() and not legend.intersects(drawn)
    # the details sit below the map and keep a readable height
    assert details.mapTo(fmap, details.rect().topLeft()).y() >= canvas.geometry().bottom()
    assert details.height() >= 80
    # the phase tabs keep room for the adjudication table
    assert window.console.tabs.width() >= 560


def test_dark_palette_reaches_the_painted_views(make_window):
    window = make_window()
    window.act_dark.setChecked(True)
    window.start.new_button.click()
    assert wait_until(lambda: window.console.flowmap is not None
                      and window.console.charts is not None)
    assert window.console.flowmap.canvas._theme == "dark"
    window.act_dark.setChecked(False)
    assert window.console.flowmap.canvas._theme == "light"
    window.toggle_projector()
    window.act_dark.setChecked(True)
    assert window.projector.charts is None or window.projector.charts.charts()[0]._theme == "dark"
    window.projector.close()


def test_everything_fits_a_1024x640_window(qtbot, db_path):
    """Issue 9, item 17: at 1024 px the console, its tabs (charts included) and a team's
    order screen (every move's form) fit; the window never widens itself."""
    from PySide6.QtWidgets import QApplication

    from wargame.resources import default_scenario_path
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts, play_hot_seat_turn

    def two_humans(dialog):
        for index, team in enumerate(dialog.controller_boxes):
            dialog.set_controller(team, "human" if index in (1, 2) else "bot")

    window = MainWindow(db_path=db_path, scenario_path=str(default_scenario_path()),
                        populate=False)
    window.prompts = ScriptedPrompts(window, setup=two_humans)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "ask_before_quit", False))
    window.resize(1024, 640)
    window.show()
    window.populate_start()
    qtbot.waitUntil(lambda: window.start_ready, timeout=30000)

    def fits(where: str) -> None:
        QApplication.processEvents()
        assert window.minimumSizeHint().width() <= 1024, where
        assert window.minimumSizeHint().height() <= 640, where
        assert (window.width(), window.height()) == (1024, 640), where

    fits("start screen")
    window.start.new_button.click()
    assert wait_until(lambda: window.console.flowmap is not None
                      and window.console.charts is not None)
    play_hot_seat_turn(window)  # real engine output for the charts and tables
    window.console.commit_button.click()
    for index in range(window.console.tabs.count()):
        window.console.tabs.setCurrentIndex(index)
        fits(f"console tab {window.console.tabs.tabText(index)}")
    window.console.next_turn_button.click()
    window.console.handover_button.click()
    fits("curtain")
    window.curtain.button.click()
    screen = window.team_screen
    for row in range(screen.moves.count()):
        screen.moves.setCurrentRow(row)
        fits(f"order form of {screen.moves.item(row).text()}")


def test_a_long_inject_title_does_not_widen_the_console(qtbot):
    """Rule: the inject picker is as wide as its row, not as its longest entry with its
    mark ('... — scheduled this turn'): the console fits at 1024 px whatever the deck."""
    from wargame.ui.console import Console

    console = Console()
    qtbot.addWidget(console)
    console.inject_combo.addItem("A very long inject title that a designer wrote " * 4
                                 + "— scheduled this turn", "long")
    console.show()  # a combo box may size itself to its items when first shown
    assert console.inject_combo.sizeHint().width() < 400  # 1,237 px when sized to items
    assert console.minimumSizeHint().width() <= 1024
