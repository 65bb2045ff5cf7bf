"""``wargame --screenshot DIR`` renders every main view of a scripted exercise, at both
sizes and in both palettes (issue 9: screenshots at 1024x640 and 1920x1080, light and
dark)."""
import pytest
from PySide6.QtGui import QFontDatabase, QImage


@pytest.mark.slow
@pytest.mark.parametrize("variant_index", [0, 3], ids=["light-1024x640", "dark-1920x1080"])
def test_screenshot_tour(qapp, tmp_path, variant_index):
    assert QFontDatabase.families(), "no fonts: every glyph would be a box"
    from wargame.ui.screenshots import DIALOG_SHOTS, SHOTS, VARIANTS, take_screenshots

    variant = VARIANTS[variant_index]
    paths = take_screenshots(tmp_path / "shots", variant)
    assert sorted(p.name for p in paths) == sorted(SHOTS)
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull(), path
        if path.name.startswith(("07-", "08-")):
            assert (image.width(), image.height()) == variant.projector, path
        elif path.name not in DIALOG_SHOTS:
            assert (image.width(), image.height()) == variant.window, path
        # not a blank image: many distinct colours
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 29)}
        assert len(colours) > 3, path


def test_screenshot_cli_rejects_a_file_as_dir(tmp_path):
    from wargame.cli import main

    target = tmp_path / "file"
    target.write_text("x")
    assert main(["--screenshot", str(target)]) == 2
