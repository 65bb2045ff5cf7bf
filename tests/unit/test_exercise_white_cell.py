"""White-cell (facilitator) orders through Exercise: any move, no cost, secret until the
turn resolves, replayed from the log."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.engine import FACILITATOR, OUTCOME_ACCEPTED, Order
from wargame.scenario.loader import default_scenario_path, load_scenario
from wargame.session.exercise import (
    BRIEFING,
    ORDERS,
    Exercise,
    ExerciseError,
    OrdersRejected,
)
from wargame.session.replay import replay_session

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(MINI)


@pytest.fixture(scope="module")
def default_scenario():
    return load_scenario(default_scenario_path())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions.sqlite"


def freeze() -> dict:
    """A Beijing-only move: the white cell may order it all the same."""
    return {"move": "export_licences",
            "params": {"material": "ree", "targets": "USA", "level": "freeze", "turns": 1}}


def test_white_cell_orders_any_move_in_briefing_without_starting_orders(db, scenario):
    ex = Exercise.create(db, scenario, seed=3)
    accepted = ex.submit_facilitator_orders([freeze()])
    assert [o.id for o in accepted] == ["t1-facilitator-1"]
    assert accepted[0].team == FACILITATOR
    assert ex.phase == BRIEFING  # the briefing goes on
    assert ex.submitted_teams() == []  # the white cell is not a team
    assert ex.timer_remaining() is None
    assert [o.move for o in ex.facilitator_orders()] == ["export_licences"]
    assert [o.team for o in ex.current_inputs().orders] == [FACILITATOR]


def test_white_cell_orders_are_checked_replaced_and_withdrawn(db, scenario):
    ex = Exercise.create(db, scenario)
    ex.begin_orders()
    with pytest.raises(OrdersRejected):
        ex.submit_facilitator_orders([{"move": "no_such_move"}])
    with pytest.raises(OrdersRejected, match="not the white cell"):
        ex.submit_facilitator_orders([Order("beijing", "export_licences", freeze()["params"])])
    assert ex.facilitator_orders() == []  # nothing stored
    ex.submit_facilitator_orders([freeze(), freeze()])
    ex.submit_facilitator_orders([freeze()])
    assert len(ex.facilitator_orders()) == 1  # the last submission counts
    ex.submit_facilitator_orders([])
    assert ex.facilitator_orders() == []
    assert ex.phase == ORDERS


def test_white_cell_respects_the_facilitator_pin_and_stays_secret(db, scenario):
    ex = Exercise.create(db, scenario, facilitator_pin="99")
    with pytest.raises(ExerciseError, match="facilitator PIN"):
        ex.submit_facilitator_orders([freeze()])
    with pytest.raises(ExerciseError, match="facilitator PIN"):
        ex.submit_facilitator_orders([freeze()], pin="00")
    ex.submit_facilitator_orders([freeze()], pin="99")
    with pytest.raises(ExerciseError, match="facilitator PIN"):
        ex.facilitator_orders("00")
    assert list(ex.facilitator_pending_orders("99")) == [FACILITATOR]
    assert ex.revealed_orders() == {}
    ex.resolve("99", force=True)
    assert ex.revealed_orders() == {}  # proposed, not committed
    ex.commit("99")
    revealed = ex.revealed_orders()[1]
    assert [(o["team"], o["status"]) for o in revealed] == [(FACILITATOR, OUTCOME_ACCEPTED)]
    assert ex.facilitator_orders("99") == []  # debrief: nothing pending


def test_white_cell_orders_come_after_the_teams_and_can_be_overridden(db, scenario):
    ex = Exercise.create(db, scenario)
    ex.submit_facilitator_orders([freeze()])
    ex.begin_orders()
    ex.submit_orders("brussels", [{"move": "magnet_recycling"}])
    result = ex.resolve(force=True)
    assert [o.team for o in result.outcomes][-1] == FACILITATOR
    result = ex.override("t1-facilitator-1", "the freeze is a rumour", "rejected")
    assert [o.status for o in result.outcomes if o.team == FACILITATOR] == ["overridden"]


def test_white_cell_moves_of_the_default_scenario_cost_no_team_and_replay(db,
                                                                          default_scenario):
    ex = Exercise.create(db, default_scenario, seed=11,
                         teams={t.id: "bot" for t in default_scenario.teams})
    ex.submit_facilitator_orders([{"move": "white_cell_budget",
                                   "params": {"team": "washington", "amount": 1000}}])
    result = ex.resolve()
    white = [o for o in result.outcomes if o.team == FACILITATOR]
    assert len(white) == 1 and white[0].status == OUTCOME_ACCEPTED
    assert white[0].description.startswith("White cell")
    assert "costs" not in white[0].detail  # the white cell pays nothing
    ex.commit()
    assert replay_session(ex.store, ex.id).ok
    reopened = Exercise.open(ex.store, ex.id)
    assert reopened.state.content_hash() == ex.state.content_hash()
