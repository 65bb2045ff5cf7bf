"""``wargame --screenshot DIR`` renders every main view of a scripted two-turn game."""
import pytest
from PySide6.QtGui import QFontDatabase, QImage

EXPECTED = ["01-start-screen.png", "02-curtain.png", "03-team-orders.png",
            "04-adjudication.png", "05-debrief.png", "06-world-view.png", "07-projector.png"]


@pytest.mark.slow
def test_screenshot_tour(qapp, tmp_path):
    assert QFontDatabase.families(), "no fonts: every glyph would be a box"
    from wargame.ui.screenshots import take_screenshots

    paths = take_screenshots(tmp_path / "shots")
    assert [p.name for p in paths] == EXPECTED
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull(), path
        assert image.width() >= 1200 and image.height() >= 700, (path, image.size())
        # not a blank image: many distinct colours
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 29)}
        assert len(colours) > 3, path


def test_screenshot_cli_rejects_a_file_as_dir(tmp_path):
    from wargame.cli import main

    target = tmp_path / "file"
    target.write_text("x")
    assert main(["--screenshot", str(target)]) == 2
