"""Shared test set-up: headless Qt, the repository's paths, and a temporary log folder.

Tests write nothing outside temporary folders: the log file (which the app and the command
line append to on an unexpected error) goes to a folder made for this run and removed at
its end, for this process and every subprocess a test starts (``WARGAME_LOG_DIR``)."""
import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
TEST_LOG_DIR = tempfile.mkdtemp(prefix="wargame-test-log-")
os.environ["WARGAME_LOG_DIR"] = TEST_LOG_DIR
atexit.register(shutil.rmtree, TEST_LOG_DIR, ignore_errors=True)

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_SCENARIO = SCENARIOS / "rare-earth-shock-2025.yaml"


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
