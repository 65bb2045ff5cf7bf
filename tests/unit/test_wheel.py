"""A plain (not editable) install carries what the program reads at run time: the
shipped scenarios and the world outline are package data, so `wargame scenarios` and
`wargame --version` work from any folder, without the repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_every_package_under_wargame_is_listed_for_the_wheel():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(REPO).parts)
               for p in (REPO / "wargame").rglob("__init__.py")}
    assert on_disk <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(on_disk - listed)}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and unpacked into a folder of its own."""
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a copy, so the build leaves nothing in the checkout
    for part in ("pyproject.toml", "README.md", "wargame", "scenarios", "assets/world",
                 "assets/guide", "assets/screenshots"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy2
        (source / part).parent.mkdir(parents=True, exist_ok=True)
        copy(REPO / part, source / part, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (REPO / part).is_dir() else {}))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(out), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(out.glob("wargame-*.whl"))
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return wheel, target


def _run(target: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(target))
    code = "import sys, wargame.cli; sys.exit(wargame.cli.main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_wheel_carries_the_scenarios_and_the_world_outline(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"wargame/data/scenarios/{p.name}" for p in (REPO / "scenarios").glob("*.yaml")}
    assert shipped and shipped <= names
    assert "wargame/data/scenarios/README.md" in names
    assert "wargame/data/world/countries-110m.rings.json" in names
    assert "wargame/data/world/ORIGIN.md" in names  # the outline's licence travels with it
    assert "wargame/scenario/templates/new-scenario.yaml" in names  # `wargame new-scenario`
    # Help > How to run an exercise, and the pictures it shows (only the README's set)
    assert "wargame/data/guide/how-to-run-an-exercise.md" in names
    assert "wargame/data/screenshots/03-team-orders.png" in names
    assert not any(n.startswith("wargame/data/screenshots/") and n.count("/") > 3
                   for n in names)
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_wheel_carries_the_report_templates(installed):
    """The after-action report's template and style sheet travel with the package."""
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"wargame/report/templates/report.html.j2",
            "wargame/report/templates/report.css"} <= names


def test_installed_package_runs_from_any_folder(installed, tmp_path):
    _, target = installed
    listing = _run(target, "scenarios", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert str(target) in listing.stdout  # read from the installed package, not the checkout
    assert "rare-earth-shock-2025" in listing.stdout
    version = _run(target, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("wargame ")
    where = subprocess.run([sys.executable, "-c", "import wargame.resources as r; "
                            "print(r.world_outline_path())"], cwd=tmp_path, capture_output=True,
                           text=True, env=dict(os.environ, PYTHONPATH=str(target)))
    assert where.stdout.strip().startswith(str(target)), where
