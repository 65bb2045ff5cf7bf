"""Each ``wargame`` command imports only what it uses: ``validate`` (what a designer runs
after every edit) loads neither Qt, nor the database, nor NumPy and the engine."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"
HEAVY = ("PySide6", "pyqtgraph", "sqlite_utils", "sqlite3", "numpy", "wargame.engine",
         "wargame.ui.app", "wargame.ui.main_window", "wargame.store.store")


def modules_after(argv: list[str]) -> set[str]:
    code = ("import json, sys\nfrom wargame.cli import main\n"
            f"code = main({argv!r})\n"
            "print(json.dumps([code, sorted(sys.modules)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    returned, modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert returned == 0
    return set(modules)


def test_validate_imports_no_qt_database_or_engine():
    loaded = modules_after(["validate", str(MINI)])
    assert "wargame.scenario.loader" in loaded
    assert [m for m in HEAVY if m in loaded] == []


def test_help_builds_every_command_without_heavy_imports():
    code = ("import json, sys\nfrom wargame.cli import build_parser\nbuild_parser()\n"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    loaded = set(json.loads(out.stdout))
    assert [m for m in HEAVY + ("pydantic", "yaml", "ruamel") if m in loaded] == []
