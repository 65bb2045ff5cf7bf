"""The console's world map uses its pane at 1366x768: full width at its own aspect ratio,
no bands above and below it, details underneath."""
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
    # the map fills the canvas: at most a few pixels of margin on every side
    assert drawn.width() >= canvas.width() - 2 * MapCanvas.MARGIN - 2
    assert drawn.height() >= canvas.height() - 2 * MapCanvas.MARGIN - 2
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
