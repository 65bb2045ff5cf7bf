"""The app and the CLI read the same sessions file when no --db is given (they once
computed the default two ways, which differ on Windows where platformdirs uses the app
author in the path)."""
from pathlib import Path

import pytest


@pytest.fixture
def windows_like_platformdirs(monkeypatch, tmp_path):
    """platformdirs as on Windows: the app author becomes a folder unless it is False."""
    import platformdirs

    def user_data_path(appname=None, appauthor=None, *args, **kwargs):
        parts = [tmp_path, "AppData"]
        if appauthor is not False:
            parts.append(appauthor or appname)
        return Path(*parts, appname)

    def user_data_dir(*args, **kwargs):
        return str(user_data_path(*args, **kwargs))

    monkeypatch.setattr(platformdirs, "user_data_path", user_data_path)
    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    monkeypatch.delenv("WARGAME_DB", raising=False)


def test_app_and_cli_default_to_the_same_database(windows_like_platformdirs, qtbot, capsys):
    from wargame.cli import build_parser
    from wargame.store.paths import default_db_path
    from wargame.ui.main_window import MainWindow

    window = MainWindow(db_path=None, populate=False)
    qtbot.addWidget(window)
    expected = default_db_path()
    assert window.database_path() == expected
    # the CLI's `sessions` command reads the same file (its --help names the default)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sessions", "--help"])
    assert str(expected) in "".join(capsys.readouterr().out.split())  # wrapped by argparse
