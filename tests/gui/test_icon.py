"""The window icon comes from packaging/wargame.svg when it exists; without it (or without
QtSvg) the app starts all the same."""
import sys

import pytest

from wargame.ui import icon


def test_icon_from_the_svg_or_graceful_without(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QIcon

    path = icon.icon_path()
    if path is None:
        pytest.skip("packaging/wargame.svg is not in this checkout")
    made = icon.app_icon(path)
    assert not made.isNull()
    assert made.pixmap(64, 64).width() == 64
    # a missing or broken file gives a null icon, not an error
    assert icon.app_icon(tmp_path / "missing.svg").isNull()
    broken = tmp_path / "broken.svg"
    broken.write_text("not svg")
    assert icon.app_icon(broken).isNull()
    # without QtSvg: Qt's image plugin or nothing, never an exception
    monkeypatch.setitem(sys.modules, "PySide6.QtSvg", None)
    assert isinstance(icon.app_icon(path), QIcon)


def test_main_window_has_the_icon(make_window):
    window = make_window()
    if icon.icon_path() is None:
        pytest.skip("packaging/wargame.svg is not in this checkout")
    assert not window.windowIcon().isNull()
