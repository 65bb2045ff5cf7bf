"""Branches side by side: a session and its forks ("what if Brussels had done X"), every
headline number per turn, for a table and a chart. ``BranchComparison`` holds no Qt: the
app's comparison view and ``wargame compare`` read it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from wargame.analysis.engine_adapter import metric_catalog, read_results
from wargame.analysis.session_reader import PlayedSession
from wargame.errors import UserError


@dataclass(frozen=True)
class ComparedSession:
    session_id: str
    label: str
    parent_session: str | None
    parent_turn: int | None  # the turn it was forked at (its own play starts there)
    turns_played: int


@dataclass(frozen=True)
class ComparedMetric:
    indicator: str
    subject: str
    label: str
    unit: str
    values: tuple[tuple[float | None, ...], ...]  # [session][turn - 1]; None: not played

    def diverges_at(self) -> int | None:
        """The first turn at which the sessions' values differ (None: never)."""
        for t in range(max((len(v) for v in self.values), default=0)):
            seen = {v[t] for v in self.values if t < len(v) and v[t] is not None}
            if len(seen) > 1:
                return t + 1
        return None


@dataclass(frozen=True)
class BranchComparison:
    scenario_id: str
    sessions: tuple[ComparedSession, ...]
    turns: int  # the longest session's resolved turns
    metrics: tuple[ComparedMetric, ...]

    def metric(self, indicator: str, subject: str) -> ComparedMetric:
        for item in self.metrics:
            if (item.indicator, item.subject) == (indicator, subject):
                return item
        raise KeyError((indicator, subject))


def compare_sessions(sessions: Sequence[PlayedSession]) -> BranchComparison:
    """Every headline number of every session per turn (sessions of one scenario)."""
    if not sessions:
        raise UserError("nothing to compare: name a session")
    first = sessions[0]
    for other in sessions[1:]:
        if other.scenario.content_hash != first.scenario.content_hash:
            raise UserError(f"session {other.session_id} was played on another scenario "
                            f"({other.scenario.id}) than {first.session_id}: only a session "
                            "and its forks (same scenario) can be compared")
    catalog = metric_catalog(first.scenario)
    paths = [read_results(first.scenario, [t.result for t in s.turns], catalog)
             for s in sessions]
    metrics = []
    for k, key in enumerate(catalog):
        values = tuple(tuple(None if math.isnan(v) else float(v) for v in path[:, k])
                       for path in paths)
        if all(v is None for row in values for v in row):
            continue
        metrics.append(ComparedMetric(key.indicator, key.subject, key.label, key.unit, values))
    described = tuple(ComparedSession(s.session_id, s.label, s.parent_session, s.parent_turn,
                                      len(s.turns)) for s in sessions)
    return BranchComparison(first.scenario.id, described,
                            max(len(s.turns) for s in sessions), tuple(metrics))


def render_comparison(comparison: BranchComparison, limit: int = 20) -> str:
    """A text table: each session's final value of the team scores, then of the headline
    numbers that differ between the sessions, with the turn they first differ at."""
    ids = [s.session_id[:10] for s in comparison.sessions]
    lines = [f"Branches of {comparison.scenario_id}:"]
    lines += [f"- {s.label}: {s.turns_played} turn(s)" for s in comparison.sessions]
    lines += ["", f"{'final value':40} " + " ".join(f"{i:>10}" for i in ids) + "  differs from"]

    def row(m: ComparedMetric) -> str:
        finals = [next((v for v in reversed(vals) if v is not None), None) for vals in m.values]
        cells = " ".join(f"{v:10.3f}" if v is not None else f"{'-':>10}" for v in finals)
        turn = m.diverges_at()
        return f"{(m.indicator + ' ' + m.subject)[:40]:40} {cells}  " + \
            (f"turn {turn}" if turn else "-")

    lines += [row(m) for m in comparison.metrics if m.indicator == "score"]
    differing = [m for m in comparison.metrics
                 if m.indicator not in ("score", "objective_value") and m.diverges_at()]
    if differing:
        lines += ["", "Headline numbers that differ:"]
        lines += [row(m) for m in differing[:limit]]
        if len(differing) > limit:
            lines.append(f"... and {len(differing) - limit} more (--json for all)")
    return "\n".join(lines) + "\n"
