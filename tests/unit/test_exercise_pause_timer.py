"""Pause stops the turn: nothing advances it until resume; the orders timer runs out."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wargame.scenario.loader import load_scenario
from wargame.session.exercise import ADJUDICATION, BRIEFING, DEBRIEF, ORDERS, Exercise, ExerciseError

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"
ALL_BOTS = {"beijing": "bot", "washington": "bot", "brussels": "bot"}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(MINI)


def test_nothing_advances_the_turn_while_paused(tmp_path, scenario):
    ex = Exercise.create(tmp_path / "s.sqlite", scenario, teams=ALL_BOTS)
    ex.pause()
    with pytest.raises(ExerciseError, match="paused"):
        ex.begin_orders()
    with pytest.raises(ExerciseError, match="paused"):
        ex.resolve(force=True)
    assert ex.phase == BRIEFING
    ex.fire_inject("A port strike")  # facilitator tools still work
    ex.add_note("waiting for the minister")
    ex.resume()
    ex.begin_orders()
    ex.pause()
    with pytest.raises(ExerciseError, match="paused"):
        ex.resolve(force=True)
    assert ex.phase == ORDERS
    ex.resume()
    ex.resolve(force=True)
    ex.pause()
    with pytest.raises(ExerciseError, match="paused"):
        ex.commit()
    assert ex.phase == ADJUDICATION
    ex.resume()
    ex.commit()
    ex.pause()
    with pytest.raises(ExerciseError, match="paused"):
        ex.next_turn()
    assert ex.phase == DEBRIEF and ex.turn == 1
    ex.resume()
    ex.next_turn()
    assert ex.turn == 2


def test_time_is_up_when_the_timer_runs_out_and_not_while_paused(tmp_path, scenario):
    ex = Exercise.create(tmp_path / "s.sqlite", scenario, timer_seconds=60)
    assert not ex.time_is_up()  # briefing: no clock
    ex.begin_orders()
    start = datetime.fromisoformat(ex.log()[-1].created_at)
    assert not ex.time_is_up(start + timedelta(seconds=30))
    assert ex.time_is_up(start + timedelta(seconds=61))
    ex.resolve(force=True)  # the facilitator closes the orders without the late teams
    assert ex.phase == ADJUDICATION and not ex.time_is_up()


def test_paused_clock_does_not_run_out(tmp_path, scenario):
    ex = Exercise.create(tmp_path / "s.sqlite", scenario, timer_seconds=60)
    ex.begin_orders()
    ex.pause()
    paused_at = datetime.fromisoformat(ex.log()[-1].created_at)
    assert not ex.time_is_up(paused_at + timedelta(hours=1))
