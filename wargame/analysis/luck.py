""""Was it luck?": a played session's orders re-run across N other seeds, and where the
real outcome sits in that distribution, per team score and headline number.

The other seeds change every random draw (licence approvals, investment delays, random
injects); the orders, the injects fired by hand and the facilitator's rulings stay as
played. A real final score at the 95th percentile means the dice were kind: 95 % of
the re-runs ended lower. ``LuckReport`` is what the app's debrief chart (the band and the
real path) and the after-action report read; it holds no Qt.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from wargame.analysis.engine_adapter import metric_catalog, read_results, replay_games
from wargame.analysis.session_reader import PlayedSession
from wargame.analysis.sweep_plan import game_seed
from wargame.analysis.sweep_summary import band
from wargame.errors import UserError

MAX_LUCK_RUNS = 100_000
LUCK_BATCH_GAMES = 32


def percentile_of(real: float, values: np.ndarray) -> float:
    """Where ``real`` sits among ``values``, 0..100: the share of values below it plus half
    the share equal to it (so a value equal to all of them sits at 50); NaN values are
    left out, and no values at all give NaN."""
    finite = values[~np.isnan(values)]
    if not finite.size or np.isnan(real):
        return float("nan")
    below = float((finite < real).sum())
    equal = float((finite == real).sum())
    return 100.0 * (below + 0.5 * equal) / finite.size


@dataclass(frozen=True)
class LuckMetric:
    indicator: str
    subject: str
    label: str
    unit: str
    real_by_turn: tuple[float, ...]  # the session's own values, turn 1 on
    p05_by_turn: tuple[float, ...]  # the re-runs' 5-95 % band and median, per turn
    median_by_turn: tuple[float, ...]
    p95_by_turn: tuple[float, ...]
    final_percentile: float  # of the real final value among the re-runs' final values, 0..100


@dataclass(frozen=True)
class LuckReport:
    session_id: str
    scenario_id: str
    session_seed: int
    runs: int
    seeds: tuple[int, ...]
    turns: int
    metrics: tuple[LuckMetric, ...]

    def metric(self, indicator: str, subject: str) -> LuckMetric:
        for item in self.metrics:
            if (item.indicator, item.subject) == (indicator, subject):
                return item
        raise KeyError((indicator, subject))

    @property
    def scores(self) -> tuple[LuckMetric, ...]:
        return tuple(m for m in self.metrics if m.indicator == "score")


def luck_seeds(session_seed: int, runs: int, root_seed: int | None = None) -> tuple[int, ...]:
    """``runs`` seeds other than the session's, derived as a sweep's are (from
    ``root_seed``, by default the session's own seed)."""
    root = session_seed if root_seed is None else root_seed
    seeds: list[int] = []
    r = 0
    while len(seeds) < runs:
        seed = game_seed(root, r)
        if seed != session_seed:
            seeds.append(seed)
        r += 1
    return tuple(seeds)


def luck_report(session: PlayedSession, runs: int, root_seed: int | None = None,
                seeds: tuple[int, ...] | None = None,
                on_progress: Callable[[int], None] | None = None) -> LuckReport:
    """Re-run ``session``'s turns with ``runs`` other seeds (or exactly ``seeds``), in
    batches through the batched engine; ``on_progress`` hears how many games each batch
    finished."""
    if not session.turns:
        raise UserError(f"session {session.session_id} has no resolved turn yet")
    if seeds is None:
        if not 1 <= runs <= MAX_LUCK_RUNS:
            raise UserError(f"--runs must be from 1 to {MAX_LUCK_RUNS:,}")
        seeds = luck_seeds(session.seed, runs, root_seed)
    scenario = session.scenario
    catalog = metric_catalog(scenario)
    real = read_results(scenario, [t.result for t in session.turns], catalog)  # (T, K)
    parts = []
    for start in range(0, len(seeds), LUCK_BATCH_GAMES):
        batch = seeds[start:start + LUCK_BATCH_GAMES]
        parts.append(replay_games(scenario, batch, session.turns, catalog))
        if on_progress is not None:
            on_progress(len(batch))
    runs_values = np.concatenate(parts)  # (G, T, K)
    _count, p05, median, p95, _mean = band(runs_values, axis=0)  # (T, K)
    metrics = []
    for k, key in enumerate(catalog):
        if np.isnan(real[:, k]).all():
            continue
        metrics.append(LuckMetric(
            key.indicator, key.subject, key.label, key.unit,
            tuple(float(v) for v in real[:, k]), tuple(float(v) for v in p05[:, k]),
            tuple(float(v) for v in median[:, k]), tuple(float(v) for v in p95[:, k]),
            percentile_of(float(real[-1, k]), runs_values[:, -1, k])))
    return LuckReport(session.session_id, scenario.id, session.seed, len(seeds), tuple(seeds),
                      len(session.turns), tuple(metrics))


def render_luck(report: LuckReport, limit: int = 15) -> str:
    """The report as a short text table: every team score, then the headline numbers whose
    real final value sits furthest from the re-runs' median."""
    lines = [f"Was it luck? Session {report.session_id} ({report.scenario_id}), "
             f"{report.turns} turn(s) re-run with {report.runs} other seeds.",
             "A percentile of 90 means 90 % of the re-runs ended lower than the real game.", "",
             f"{'':44} {'real':>9} {'median':>9} {'5-95 % band':>21} {'pct':>5}"]

    def row(m: LuckMetric) -> str:
        name = f"{m.indicator} {m.subject}"[:44]
        return (f"{name:44} {m.real_by_turn[-1]:9.3f} {m.median_by_turn[-1]:9.3f} "
                f"{m.p05_by_turn[-1]:9.3f} to {m.p95_by_turn[-1]:9.3f} "
                f"{m.final_percentile:5.0f}")

    lines += [row(m) for m in report.scores]
    others = [m for m in report.metrics if m.indicator not in ("score", "objective_value")
              and not np.isnan(m.final_percentile)]
    others.sort(key=lambda m: -abs(m.final_percentile - 50.0))
    if others:
        lines += ["", "Headline numbers furthest from the middle of the re-runs:"]
        lines += [row(m) for m in others[:limit]]
    return "\n".join(lines) + "\n"
