"""The balance check and the summary bands on constructed sweep results, where every
answer is known: who wins how often, unused moves, still objectives, bounds reached."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.analysis.balance import balance_report, render_balance
from wargame.analysis.engine_adapter import BotSpec, PlayedOrder
from wargame.analysis.sweep import SweepResults
from wargame.analysis.sweep_plan import plan_sweep
from wargame.analysis.sweep_summary import band, summarise
from wargame.scenario.loader import load_scenario

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="module")
def constructed():
    """Four games of two turns of the mini scenario with made-up values: beijing wins
    games 0 and 1, washington game 2, game 3 is a tie of the two; washington's political
    capital runs out in game 1; beijing's first objective never moves."""
    scenario = load_scenario(MINI)
    plan = plan_sweep(scenario, 4, 1, 2, (BotSpec("beijing"), BotSpec("washington")))
    catalog = plan.catalog
    col = {(k.indicator, k.subject): n for n, k in enumerate(catalog)}
    values = np.full((4, 2, len(catalog)), 0.5)
    for k, key in enumerate(catalog):  # every other number moves a little between games
        values[:, :, k] += np.arange(4)[:, None] * 0.01 + np.arange(2)[None, :] * 0.001
    finals = {"beijing": [0.9, 0.8, 0.1, 0.6], "washington": [0.2, 0.3, 0.7, 0.6],
              "brussels": [0.1, 0.1, 0.1, 0.1]}
    for team, scores in finals.items():
        values[:, 1, col[("score", team)]] = scores
    values[:, :, col[("objective_value", "beijing/1")]] = 0.75
    for k, key in enumerate(catalog):
        if key.indicator == "price_at_cap_share":
            values[:, :, k] = 0.0  # no price at its cap
    values[1, 1, col[("political_capital", "washington")]] = 0.0
    orders = (PlayedOrder(0, 1, "beijing", "export_licences", "accepted"),
              PlayedOrder(2, 1, "washington", "build_capacity", "accepted"),
              PlayedOrder(3, 2, "washington", "offtake_deal", "rejected"))
    return SweepResults(plan, plan.games, values, orders, ("h",) * 4, {"kind": "test"})


def test_wins_share_ties(constructed):
    report = balance_report(constructed)
    wins = {w.team: w.win_share for w in report.wins}
    assert wins == {"beijing": pytest.approx(2.5 / 4), "washington": pytest.approx(1.5 / 4),
                    "brussels": 0.0}
    assert {w.team: w.median_final_score for w in report.wins}["beijing"] == pytest.approx(0.7)


def test_unused_moves_are_those_no_played_team_used(constructed):
    report = balance_report(constructed)
    scenario = constructed.plan.scenario
    playable = {m.id for m in scenario.moves
                if m.allowed_for("beijing") or m.allowed_for("washington")}
    assert set(report.unused_moves) == playable - {"export_licences", "build_capacity"}
    assert "offtake_deal" in report.unused_moves  # only rejected: never used
    use = {m.move: m for m in report.moves}
    assert (use["offtake_deal"].accepted_orders, use["offtake_deal"].rejected_orders) == (0, 1)


def test_objectives_that_never_moved(constructed):
    still = balance_report(constructed).still_objectives
    assert [(o.subject, o.value) for o in still] == [("beijing/1", 0.75)]


def test_bounds_reached(constructed):
    hits = balance_report(constructed).bound_hits
    assert [(h.indicator, h.subject, h.games_share, h.turns_share) for h in hits] == [
        ("political_capital", "washington", 0.25, 0.125)]
    assert hits[0].meaning == "political capital exhausted"
    text = render_balance(balance_report(constructed))
    assert "- beijing: 62 % of games" in text and "political capital exhausted in 25 % of games" in text


def test_band_is_the_5_to_95_percent_range():
    values = np.arange(101, dtype=float)[:, None]
    values = np.hstack([values, np.full((101, 1), np.nan)])  # a metric that never applied
    count, p05, median, p95, mean = band(values)
    assert count.tolist() == [101, 0]
    assert (p05[0], median[0], p95[0], mean[0]) == (5.0, 50.0, 95.0, 50.0)
    assert np.isnan(median[1])


def test_summary_rows_skip_metrics_without_values(constructed):
    rows = summarise(constructed)
    beijing = [r for r in rows if r.indicator == "score" and r.subject == "beijing" and r.turn == 2]
    assert len(beijing) == 1 and beijing[0].games == 4
    assert beijing[0].median == pytest.approx(0.7)
    assert len(rows) == 2 * len(constructed.plan.catalog)
