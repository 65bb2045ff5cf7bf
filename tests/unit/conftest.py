"""Fixtures shared by the unit tests of sessions: the mini scenario (loaded once) and a
fresh session database per test."""
from __future__ import annotations

from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="session")
def scenario():
    """The mini fixture scenario (immutable: shared by every test that asks for it)."""
    from wargame.scenario.loader import load_scenario

    return load_scenario(MINI)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh session database for the test."""
    return tmp_path / "sessions.sqlite"
