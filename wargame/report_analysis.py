"""What batch analysis adds to the after-action report: "Was it luck?" (the session's orders
re-run with other seeds, ``wargame.analysis.luck``) and, when the session has forks, every
headline number of its branches side by side (``wargame.analysis.compare``); and the option
that asks for them, ``wargame report ... --luck N``.

Why this module sits at the top of the package, outside the layers: ``wargame.analysis``
and ``wargame.report`` are independent siblings in the import-linter layers contract
(ui > analysis | report > session ...), so neither may import the other. This is glue that
assembles the two, as ``wargame.cli`` assembles the commands: it turns the analysis'
typed results into the report's ``AnalysisSection`` and hands them to ``build_report`` via
the report command's extension point (``report_analysis``).

The sections re-run every team's orders, covert ones included, and show every team's
score: they are in the facilitator's edition only.
"""
from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wargame.errors import UserError

if TYPE_CHECKING:
    from wargame.analysis.compare import BranchComparison
    from wargame.analysis.luck import LuckReport
    from wargame.report.model import AnalysisSection
    from wargame.scenario.model import Scenario
    from wargame.session.exercise import Exercise
    from wargame.session.visibility import Viewer

LUCK_ROWS = 12  # headline numbers furthest from the re-runs' median, after the scores
COMPARED_ROWS = 20  # headline numbers that differ between branches, after the scores
MAX_COMPARED_FORKS = 6


def register(subparsers: Any) -> None:
    """Give ``wargame report`` the ``--luck N`` option (no command of its own)."""
    report = getattr(subparsers, "choices", {}).get("report")
    if report is None:
        return
    report.add_argument(
        "--luck", type=int, metavar="N", default=None,
        help="add 'Was it luck?' to the analysis: the session's orders re-run with N other "
             "seeds and where the real outcome sits among them; and, when the session has "
             "forks, every headline number of its branches side by side (facilitator's "
             "edition only)")
    report.set_defaults(report_analysis=analysis_sections)


def analysis_sections(args: argparse.Namespace, ex: "Exercise", viewer: "Viewer"
                      ) -> list["AnalysisSection"]:
    """The sections ``--luck`` asks for (none without it)."""
    if args.luck is None:
        return []
    if not viewer.is_facilitator:
        raise UserError("--luck is for the facilitator's edition only: it re-runs every "
                        "team's orders, covert ones included, and shows every team's score")
    from tqdm.auto import tqdm

    with tqdm(total=args.luck, unit="game", file=sys.stderr, leave=False) as bar:
        return luck_sections(args.db, ex.id, ex.scenario, args.luck, on_progress=bar.update)


def luck_sections(db: Any, session_id: str, scenario: "Scenario", runs: int,
                  on_progress: Callable[[int], None] | None = None
                  ) -> list["AnalysisSection"]:
    """"Was it luck?" with ``runs`` re-runs and, when the session has forks, its branches
    side by side: what ``--luck N`` adds to the facilitator's edition (the CLI and the
    app's File > Export report both call this). ``on_progress`` hears how many re-runs
    each batch finished."""
    from wargame.analysis.compare import compare_sessions
    from wargame.analysis.luck import MAX_LUCK_RUNS, luck_report
    from wargame.analysis.session_reader import read_session

    if not 1 <= runs <= MAX_LUCK_RUNS:
        raise UserError(f"--luck must be from 1 to {MAX_LUCK_RUNS:,} re-runs")
    played = read_session(db, session_id)
    luck = luck_report(played, runs, on_progress=on_progress)
    sections = [luck_section(luck, scenario, [t.turn for t in played.turns])]
    if played.forks:
        forks = [read_session(db, fork) for fork in played.forks[:MAX_COMPARED_FORKS]]
        sections.append(comparison_section(compare_sessions([played, *forks]), scenario))
    return sections


def names_of(scenario: "Scenario") -> dict[str, dict[str, str]]:
    """Display names by kind (team, material, actor, sector) and id, for ``measure_name``."""
    return _names(scenario)


def _names(scenario: "Scenario") -> dict[str, dict[str, str]]:
    return {"team": {t.id: t.name for t in scenario.teams},
            "material": {m.id: m.name for m in scenario.materials},
            "actor": {a.id: a.name for a in scenario.actors},
            "sector": {s.id: s.name for s in scenario.sectors}}


MEASURES = {"score": ("Score", "team"), "budget_usd_m": ("Budget left, USD million", "team"),
            "political_capital": ("Political capital", "team"),
            "price_index_vs_baseline": ("Price index", "material"),
            "price_at_cap_share": ("Share of prices at the cap", "material"),
            "supply_met_share": ("Supply met", "actor/sector")}


def measure_name(indicator: str, subject: str, label: str,
                 names: Mapping[str, Mapping[str, str]]) -> str:
    """'Score: Beijing', 'Supply met: China · Defence', an objective by its label."""
    if indicator not in MEASURES:
        team, _, _ = subject.partition("/")
        return f"{names['team'].get(team, team)}: {label or indicator}"
    words, kind = MEASURES[indicator]
    if kind == "actor/sector":
        actor, _, sector = subject.partition("/")
        what = f"{names['actor'].get(actor, actor)} · {names['sector'].get(sector, sector)}"
    else:
        what = names[kind].get(subject, subject)
    return f"{words}: {what}"


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def luck_section(luck: "LuckReport", scenario: "Scenario", turns: Sequence[int]
                 ) -> "AnalysisSection":
    """"Was it luck?" as a report section: every team's score, then the headline numbers
    whose real final value sits furthest from the re-runs' median; a band chart of the
    scores."""
    from wargame.report.charts import Band, bands_svg
    from wargame.report.model import AnalysisSection, AnalysisTable

    names = _names(scenario)
    others = sorted((m for m in luck.metrics
                     if m.indicator not in ("score", "objective_value")
                     and not math.isnan(m.final_percentile)),
                    key=lambda m: -abs(m.final_percentile - 50.0))[:LUCK_ROWS]
    rows = tuple((measure_name(m.indicator, m.subject, m.label, names),
                  _finite(m.real_by_turn[-1]), _finite(m.median_by_turn[-1]),
                  _finite(m.p05_by_turn[-1]), _finite(m.p95_by_turn[-1]),
                  None if math.isnan(m.final_percentile) else round(m.final_percentile))
                 for m in [*luck.scores, *others])
    colours = {t.id: t.colour for t in scenario.teams}
    chart = bands_svg(list(turns), [
        Band(names["team"].get(m.subject, m.subject), colours.get(m.subject, "#777777"),
             m.real_by_turn, m.p05_by_turn, m.median_by_turn, m.p95_by_turn)
        for m in luck.scores], "Score") if luck.scores and turns else None
    return AnalysisSection(
        title="Was it luck?",
        intro=(f"The session's orders, the injects fired by hand and the facilitator's "
               f"rulings re-run with {luck.runs} other seeds, so every random draw changes "
               f"(licence approvals, investment delays, random injects). A percentile of 90 "
               f"means 90 % of the re-runs ended lower than the real game. In the chart the "
               f"shaded band holds the middle 90 % of the re-runs, the dashed line is their "
               f"median and the dots are the real game."),
        table=AnalysisTable(columns=("Measure at the last turn", "Real", "Median of re-runs",
                                     "5 %", "95 %", "Percentile"), rows=rows),
        chart_svg=chart)


def comparison_section(comparison: "BranchComparison", scenario: "Scenario"
                       ) -> "AnalysisSection":
    """The session and its forks: every team's final score, then the headline numbers that
    differ between them, with the turn they first differ at."""
    from wargame.report.model import AnalysisSection, AnalysisTable

    names = _names(scenario)
    differing = [m for m in comparison.metrics
                 if m.indicator not in ("score", "objective_value") and m.diverges_at()]
    chosen = [m for m in comparison.metrics if m.indicator == "score"] + \
        differing[:COMPARED_ROWS]

    def final(values: tuple[float | None, ...]) -> float | None:
        return next((v for v in reversed(values) if v is not None), None)

    rows = tuple((measure_name(m.indicator, m.subject, m.label, names),
                  *(final(v) for v in m.values), m.diverges_at()) for m in chosen)
    columns = ("Final value", *(s.session_id + (f" (fork at turn {s.parent_turn})"
                                                if s.parent_session else "")
                                for s in comparison.sessions), "Differs from turn")
    return AnalysisSection(
        title="Branches compared",
        intro=(f"This session and its {len(comparison.sessions) - 1} fork(s): every team's "
               f"score at each line's last resolved turn, then the headline numbers that "
               f"differ between the lines (at most {COMPARED_ROWS}), with the turn they first "
               f"differ at."),
        table=AnalysisTable(columns=columns, rows=rows))
