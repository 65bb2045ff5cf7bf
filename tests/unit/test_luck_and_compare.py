""""Was it luck?" and branch comparison on saved sessions: percentiles right on constructed
cases, the session's own seed reproducing its real path exactly (orders, injects fired by
hand and overrides re-run as played), forks side by side from the turn they part."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from wargame.analysis.compare import compare_sessions
from wargame.analysis.luck import luck_report, luck_seeds, percentile_of
from wargame.analysis.session_reader import read_session
from wargame.cli import main
from wargame.engine import Order
from wargame.scenario.loader import load_scenario
from wargame.session.exercise import Exercise

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"
SEED = 5


@pytest.mark.parametrize("real,values,expected", [
    (50.0, list(range(100)), 50.5),  # 50 below, one equal
    (100.0, list(range(100)), 100.0),  # above every re-run
    (-1.0, list(range(100)), 0.0),  # below every re-run
    (3.0, [3.0] * 7, 50.0),  # all equal: the middle
    (2.0, [1.0, 2.0, 2.0, 3.0], 50.0),
    (2.5, [1.0, float("nan"), 2.0, 3.0, 4.0], 50.0),  # NaN runs left out
])
def test_percentile_of(real, values, expected):
    """Rule: the share of re-runs below the real value plus half of those equal to it."""
    assert percentile_of(real, np.array(values)) == pytest.approx(expected)


@pytest.fixture
def played(tmp_path):
    """A 4-turn session of the mini scenario: bots for two teams, washington's orders by
    hand, an inject fired by the facilitator on turn 2 and an order set aside on turn 3;
    then a fork at turn 3 where washington orders a price floor instead."""
    db = tmp_path / "sessions.sqlite"
    scenario = load_scenario(MINI)
    exercise = Exercise.create(db, scenario, SEED, {"beijing": "bot", "washington": "human",
                                                    "brussels": "bot"}, turn_limit=4)
    exercise.play_turn({"washington": [Order("washington", "chip_controls", {}, id="w1")]})
    exercise.next_turn()
    exercise.begin_orders()
    exercise.fire_inject("typhoon")
    exercise.play_turn({"washington": []})
    exercise.next_turn()
    exercise.begin_orders()
    [floor] = exercise.submit_orders("washington", [Order("washington", "price_floor", {})])
    exercise.resolve(force=True)
    exercise.override(floor.id, "the white cell rules it out", "rejected")
    exercise.commit()
    exercise.play_turn({"washington": []})
    fork = exercise.fork(3)
    fork.play_turn({"washington": [Order("washington", "price_floor", {}, id="w3")]})
    fork.play_turn({"washington": []})
    return db, exercise.id, fork.id


def test_the_sessions_own_seed_reproduces_its_real_path(played):
    """Constructed case: re-run with the session's own seed only, every run IS the real
    game, so every real value sits at the 50th percentile and the band is the real path."""
    db, session_id, _fork = played
    session = read_session(db, session_id)
    assert [len(t.injects) for t in session.turns] == [0, 1, 0, 0]
    assert [len(t.overrides) for t in session.turns] == [0, 0, 1, 0]
    report = luck_report(session, 0, seeds=(SEED,) * 3)
    assert report.turns == 4 and report.metrics
    for metric in report.metrics:
        assert metric.final_percentile == 50.0, (metric.indicator, metric.subject)
        assert metric.median_by_turn == metric.real_by_turn
        assert metric.p05_by_turn == metric.real_by_turn == metric.p95_by_turn


def test_luck_percentiles_against_re_runs_played_separately(played):
    """Constructed case: the real seed twice among three others; each percentile is what
    counting the separately replayed final values gives."""
    from wargame.analysis.engine_adapter import metric_catalog, replay_games

    db, session_id, _fork = played
    session = read_session(db, session_id)
    others = luck_seeds(SEED, 3)
    assert SEED not in others and len(set(others)) == 3
    report = luck_report(session, 0, seeds=(SEED, SEED) + others)
    catalog = metric_catalog(session.scenario)
    finals = [replay_games(session.scenario, (seed,), session.turns, catalog)[0, -1]
              for seed in others]
    k = next(n for n, key in enumerate(catalog)
             if (key.indicator, key.subject) == ("score", "washington"))
    metric = report.metric("score", "washington")
    real = metric.real_by_turn[-1]
    below = sum(f[k] < real for f in finals)
    equal = 2 + sum(f[k] == real for f in finals)
    assert metric.final_percentile == pytest.approx(100 * (below + 0.5 * equal) / 5)
    assert len({f[k] for f in finals} | {real}) > 1  # the seeds did change the outcome


def test_luck_cli(played, tmp_path, capsys):
    db, session_id, _fork = played
    out = tmp_path / "luck.json"
    assert main(["luck", session_id[:6], "--runs", "6", "--db", str(db),
                 "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "re-run with 6 other seeds" in text and "score washington" in text
    data = json.loads(out.read_text())
    assert data["runs"] == 6 and len(data["seeds"]) == 6 and SEED not in data["seeds"]
    score = next(m for m in data["metrics"] if m["indicator"] == "score")
    assert len(score["real_by_turn"]) == len(score["p05_by_turn"]) == 4
    assert main(["luck", "nosuchsession", "--db", str(db)]) == 2
    assert "nosuchsession" in capsys.readouterr().err


def test_compare_a_session_and_its_fork(played, tmp_path, capsys):
    db, session_id, fork_id = played
    session, fork = read_session(db, session_id), read_session(db, fork_id)
    assert session.forks == (fork_id,) and fork.parent_turn == 3
    comparison = compare_sessions([session, fork])
    assert [s.turns_played for s in comparison.sessions] == [4, 4]
    budget = comparison.metric("budget_usd_m", "washington")
    assert budget.values[0][:2] == budget.values[1][:2]  # the same first two turns
    assert budget.diverges_at() == 3  # the fork paid for a price floor on turn 3
    assert all(m.diverges_at() in (None, 3, 4) for m in comparison.metrics)
    out = tmp_path / "compare.json"
    assert main(["compare", session_id, "--db", str(db), "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert fork_id in text and "budget_usd_m washington" in text and "turn 3" in text
    data = json.loads(out.read_text())
    assert [s["session_id"] for s in data["sessions"]] == [session_id, fork_id]


def test_compare_refuses_what_cannot_be_compared(played, tmp_path, capsys):
    db, _session, fork_id = played
    assert main(["compare", fork_id, "--db", str(db)]) == 2
    assert "has no forks" in capsys.readouterr().err
    other = Exercise.create(db, load_scenario(Path(MINI).parent / "tiny.yaml"), 1)
    other.play_turn()
    assert main(["compare", fork_id, other.id, "--db", str(db)]) == 2
    assert "another scenario" in capsys.readouterr().err
