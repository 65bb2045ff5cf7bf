"""The designers' balance check at the end of a sweep: which team wins how often, which
moves were never used, which objectives never moved, which indicators hit their caps.

"Wins" compares final-turn scores as the engine computes them: the highest score wins a
game, and a tie shares the win. Scores are comparable across teams only as far as the
scenario's objective weights make them so; the report says that.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.analysis.engine_adapter import metric_bounds
from wargame.analysis.sweep import SweepResults

STILL_TOLERANCE = 1e-9  # an objective whose values span less than this never moved
ACCEPTED = ("accepted", "overridden")


@dataclass(frozen=True)
class TeamWins:
    team: str
    win_share: float  # of games, 0..1 (ties split)
    median_final_score: float


@dataclass(frozen=True)
class MoveUse:
    move: str
    accepted_orders: int
    rejected_orders: int
    playable: bool  # some team allowed to use it was played (bot or orders file)


@dataclass(frozen=True)
class StillObjective:
    team: str
    subject: str  # team/N
    label: str
    value: float  # the value it kept in every game and turn


@dataclass(frozen=True)
class BoundHit:
    indicator: str
    subject: str
    meaning: str  # what reaching the bound means, in words
    games_share: float  # of games in which it happened at least once, 0..1
    turns_share: float  # of all game-turns, 0..1


@dataclass(frozen=True)
class BalanceReport:
    variant: int
    variant_label: str
    games: int
    complete: bool
    played_teams: tuple[str, ...]
    wins: tuple[TeamWins, ...]
    moves: tuple[MoveUse, ...]
    still_objectives: tuple[StillObjective, ...]
    bound_hits: tuple[BoundHit, ...]  # most frequent first

    @property
    def unused_moves(self) -> tuple[str, ...]:
        return tuple(m.move for m in self.moves if m.playable and not m.accepted_orders)


def balance_report(results: SweepResults, variant: int = 0) -> BalanceReport:
    plan = results.plan
    scenario = plan.variants[variant].scenario
    rows = results.variant_rows(variant)
    values = results.values[rows]  # (G, T, K)
    catalog = plan.catalog
    played = {b.team for b in plan.bots} | {o.team for o in plan.orders}
    games = {results.games[r].game for r in rows}

    score_cols = [k for k, key in enumerate(catalog) if key.indicator == "score"]
    final = values[:, -1, score_cols] if len(values) else np.zeros((0, len(score_cols)))
    shares = np.zeros(len(score_cols))
    for game_scores in final:
        if np.isnan(game_scores).all():
            continue
        best = np.nanmax(game_scores)
        winners = np.flatnonzero(game_scores >= best - 1e-12)
        shares[winners] += 1.0 / len(winners)
    wins = tuple(TeamWins(catalog[k].subject, float(shares[n] / max(len(final), 1)),
                          float(np.nanmedian(final[:, n])) if len(final) else float("nan"))
                 for n, k in enumerate(score_cols))

    accepted: dict[str, int] = {}
    rejected: dict[str, int] = {}
    for order in results.orders:
        if order.game in games:
            bucket = accepted if order.status in ACCEPTED else rejected
            bucket[order.move] = bucket.get(order.move, 0) + 1
    moves = tuple(MoveUse(move.id, accepted.get(move.id, 0), rejected.get(move.id, 0),
                          any(move.allowed_for(team) for team in played))
                  for move in scenario.moves)

    still = []
    hits = []
    for k, key in enumerate(catalog):
        column = values[:, :, k]
        finite = column[~np.isnan(column)]
        if key.indicator == "objective_value" and finite.size and \
                float(finite.max() - finite.min()) < STILL_TOLERANCE:
            still.append(StillObjective(key.subject.rsplit("/", 1)[0], key.subject, key.label,
                                        float(finite[0])))
        bounds = metric_bounds(scenario, key)
        if bounds is None or not finite.size:
            continue
        low, high = bounds.reached(column)
        for reached, meaning in ((low, bounds.low_means), (high, bounds.high_means)):
            if meaning and reached.any():
                hits.append(BoundHit(key.indicator, key.subject, meaning,
                                     float(reached.any(axis=1).mean()), float(reached.mean())))
    hits.sort(key=lambda h: (-h.games_share, -h.turns_share, h.indicator, h.subject))
    return BalanceReport(variant, plan.variants[variant].label, len(rows), results.complete,
                         tuple(sorted(played)), wins, moves, tuple(still), tuple(hits))


def render_balance(report: BalanceReport, limit: int = 12) -> str:
    """The report as short Markdown (printed at the end of a sweep, kept in report.md)."""
    lines = [f"## Balance check: {report.variant_label} ({report.games} games"
             + ("" if report.complete else ", PARTIAL: the sweep was interrupted") + ")", ""]
    if not report.games:
        return "\n".join(lines + ["No game finished."]) + "\n"
    if not report.played_teams:
        lines += ["No team was played (no --bots, no --orders): every game is the scenario's "
                  "injects alone.", ""]
    lines.append("Wins (highest final score; ties shared; scores are comparable across "
                 "teams only as far as the objective weights make them so):")
    for w in sorted(report.wins, key=lambda w: -w.win_share):
        lines.append(f"- {w.team}: {w.win_share * 100:.0f} % of games "
                     f"(median final score {w.median_final_score:.3f})")
    unused = report.unused_moves
    lines += ["", f"Moves never used by the teams played: {len(unused)}"
              + (": " + ", ".join(unused[:limit]) + (" ..." if len(unused) > limit else "")
                 if unused else "")]
    unplayable = [m.move for m in report.moves if not m.playable]
    if unplayable:
        lines.append(f"(not playable here, no team allowed to use them was played: "
                     f"{len(unplayable)})")
    lines += ["", f"Objectives that never moved: {len(report.still_objectives)}"]
    lines += [f"- {o.team}: {o.label} (always {o.value:.3f})"
              for o in report.still_objectives[:limit]]
    lines += ["", f"Indicators that hit a cap or limit: {len(report.bound_hits)}"]
    lines += [f"- {h.indicator} {h.subject}: {h.meaning} in {h.games_share * 100:.0f} % of "
              f"games ({h.turns_share * 100:.0f} % of turns)"
              for h in report.bound_hits[:limit]]
    if len(report.bound_hits) > limit:
        lines.append(f"- ... and {len(report.bound_hits) - limit} more (balance.json)")
    return "\n".join(lines) + "\n"
