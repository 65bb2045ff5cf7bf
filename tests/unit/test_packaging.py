"""The desktop bundle recipe in packaging/: fast checks only, PyInstaller is never run."""
from __future__ import annotations

import ast
import configparser
import glob
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
SPEC = PACKAGING / "wargame.spec"

# Qt modules the app needs inside the bundle: what wargame.ui imports, plus QtOpenGL and
# QtOpenGLWidgets, which pyqtgraph 0.14 imports unconditionally.
REQUIRED_QT = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtOpenGL",
               "PySide6.QtOpenGLWidgets"}


def _spec_constants() -> dict[str, object]:
    """Literal module-level assignments of the spec (DATA, QT_EXCLUDES, ...)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue  # not a literal (e.g. REPO, HIDDEN_IMPORTS)
    return found


def _load_launcher():
    spec = importlib.util.spec_from_file_location("wargame_packaging_launcher",
                                                  PACKAGING / "launcher.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spec_parses_and_builds_a_onedir_wargame_from_the_launcher():
    source = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(SPEC))
    calls = {node.func.id for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls  # COLLECT = one folder
    assert '"launcher.py"' in source
    assert 'name="wargame"' in source
    assert "exclude_binaries=True" in source


def test_spec_data_exists_and_keeps_its_repository_relative_place():
    data = _spec_constants()["DATA"]
    assert data, "the spec bundles no data"
    for pattern, dest in data:
        matches = glob.glob(str(REPO / pattern))
        assert matches, f"{pattern} matches nothing in the repository"
        # The code finds its data relative to the package's parent (= _MEIPASS in a bundle),
        # so each file must land in the folder it has in the repository.
        for match in matches:
            assert Path(match).parent.relative_to(REPO).as_posix() == dest


def test_spec_bundles_what_the_code_reads_at_run_time():
    from wargame.resources import guide_path, screenshots_dir
    from wargame.scenario.loader import default_scenario_path
    from wargame.ui.flowmap import WORLD_FILE

    bundled = {Path(match).resolve() for pattern, _ in _spec_constants()["DATA"]
               for match in glob.glob(str(REPO / pattern))}
    needed = [WORLD_FILE, default_scenario_path(), REPO / "scenarios" / "README.md",
              *sorted((REPO / "scenarios").glob("*.yaml"))]
    guide = [guide_path(), *sorted(screenshots_dir().glob("*.png"))]
    for path in needed + guide:
        assert path.resolve() in bundled, f"{path} is not bundled"
    # the guide's pictures are the README's set; the other sizes and palettes stay out
    assert not any(path.parent != screenshots_dir().resolve() and "screenshots" in str(path)
                   for path in bundled)


def test_spec_does_not_exclude_qt_modules_the_app_uses():
    constants = _spec_constants()
    excluded = set(constants["QT_EXCLUDES"]) | set(constants["OTHER_EXCLUDES"])
    used = set()
    for path in (REPO / "wargame").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.Qt\w+", path.read_text(encoding="utf-8")))
    assert not (REQUIRED_QT | used) & excluded
    assert {"PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtMultimedia",
            "PySide6.QtQuick"} <= excluded
    source = SPEC.read_text(encoding="utf-8")
    assert '"PySide6.QtOpenGL"' in source and '"PySide6.QtOpenGLWidgets"' in source
    # The libraries dropped after analysis are never ones the app links.
    dropped = tuple(constants["UNUSED_QT_LIBRARIES"])
    for module in REQUIRED_QT | used | {"PySide6.QtDBus", "PySide6.QtXcbQpa", "PySide6.QtSvg"}:
        library = "libQt6" + module.removeprefix("PySide6.Qt") + ".so.6"
        assert not library.startswith(dropped), library
    assert "libqoffscreen.so" not in constants["UNUSED_QT_PLUGINS"]
    assert "libqxcb.so" not in constants["UNUSED_QT_PLUGINS"]


def test_desktop_entry_has_the_required_keys():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(PACKAGING / "wargame.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"]
    assert entry["Comment"]
    assert entry["Exec"] == "wargame app"
    assert entry["Icon"] == "wargame"
    assert entry["Terminal"] == "false"
    assert entry["Categories"] == "Education;Office;"


def test_icon_is_well_formed_svg():
    root = ET.parse(PACKAGING / "wargame.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")
    assert len(list(root.iter())) > 5


def test_build_script_is_executable_and_keeps_outputs_out_of_the_repository():
    script = PACKAGING / "build.sh"
    assert script.stat().st_mode & 0o111
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash")
    assert "wargame.spec" in text and "--distpath" in text and "--workpath" in text


@pytest.mark.parametrize(("argv", "expected"), [
    ([], ["app"]),
    (["validate", "x.yaml"], ["validate", "x.yaml"]),
    (["--help"], ["--help"]),
    (["app", "my.yaml", "--db", "s.sqlite"], ["app", "my.yaml", "--db", "s.sqlite"]),
])
def test_launcher_defaults_to_app(monkeypatch, argv, expected):
    import wargame.cli

    seen = []
    monkeypatch.setattr(wargame.cli, "main", lambda args=None: seen.append(args) or 7)
    launcher = _load_launcher()
    assert launcher.run(argv) == 7
    assert seen == [expected]


def test_launcher_reads_sys_argv_when_not_given(monkeypatch):
    import wargame.cli

    seen = []
    monkeypatch.setattr(wargame.cli, "main", lambda args=None: seen.append(args) or 0)
    monkeypatch.setattr("sys.argv", ["wargame"])
    launcher = _load_launcher()
    assert launcher.run() == 0
    monkeypatch.setattr("sys.argv", ["wargame", "scenarios"])
    assert launcher.run() == 0
    assert seen == [["app"], ["scenarios"]]
