"""The after-action report as typed data: what ``gather.build_report`` reads from the store
and every output (HTML, PDF, CSV, xlsx) renders. Nothing here reads a file or knows a format.

The structure follows exercise practice (overview, timeline, analysis, improvement plan):
``SessionFacts`` and ``TeamEntry`` are the overview; ``TurnRecord`` per turn is the timeline
(injects, every team's orders with their outcomes, overrides with reasons, notes, the
explanations and the turn's ``TurnIndicators``); ``Standing`` rows are the final standings
against each team's objectives; ``HotWash`` is the improvement plan; ``BaselineFigure`` rows
are the annex; ``BranchComparison`` sets a fork beside the line it left; ``AnalysisSection``
is where other analyses (``wargame.analysis``: "was it luck?", branch sweeps) add a section.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from wargame.engine import TurnIndicators
from wargame.report.hotwash import HotWash


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Audience(StrEnum):
    """Who the report is for. ``facilitator``: everything of the committed turns, notes and
    covert moves included (the exercise control's record). ``public``: what the room may see
    (no notes, no covert move or explanation naming one until the exercise has ended)."""

    FACILITATOR = "facilitator"
    PUBLIC = "public"


class SessionFacts(_Frozen):
    session_id: str
    scenario_id: str
    scenario_title: str
    scenario_summary: str = ""
    scenario_hash: str
    start_date: str = ""  # the scenario's calendar start ("2025-12"), display only
    turn_length_months: int
    seed: int | None  # None in a public report of a running exercise (it predicts every draw)
    engine_model_version: int | None  # None: recorded before model versions existed
    wargame_version: str
    created_at: str  # ISO timestamps of the session's first and last logged events
    last_event_at: str
    status: str
    phase: str
    current_turn: int
    turn_limit: int
    turns_committed: int
    parent_session: str | None = None
    parent_turn: int | None = None


class TeamEntry(_Frozen):
    team: str
    name: str
    controller: Literal["human", "bot"]
    players: str = ""  # names written on the hot-wash page (the store keeps no player names)
    actors: tuple[str, ...] = ()  # ids of the actors the team plays
    colour: str = "#777777"


class InjectEntry(_Frozen):
    inject_id: str
    title: str
    text: str = ""
    how: str  # "scheduled", "drawn", "condition", "follow-up", "by hand"


class OrderEntry(_Frozen):
    """One order of a committed turn, with what became of it."""

    order_id: str
    team: str  # team id, or "facilitator" for the white cell
    team_name: str
    move: str
    params_json: str  # the order's parameters as canonical JSON (sorted keys)
    description: str  # the move and its parameters, read aloud (without the team)
    covert: bool
    status: str  # accepted / rejected / overridden
    detail: str = ""


class OverrideEntry(_Frozen):
    order_id: str
    order_description: str
    status: str
    reason: str


class NoteEntry(_Frozen):
    seq: int
    turn: int
    phase: str = ""
    created_at: str
    text: str


class LogEntry(_Frozen):
    """One event of the session's log as this report's audience may see it, in one line."""

    seq: int
    turn: int
    created_at: str
    kind: str
    summary: str


class ExplanationEntry(_Frozen):
    text: str
    public: bool = True
    groups: tuple[str, ...] = ()
    kind: str = "change"  # the engine's ``Explanation.kind``: event, order, change, news


class TurnRecord(_Frozen):
    """One turn of the timeline. ``committed`` False: the turn in progress, shown with its
    injects and notes only (its sealed orders and pending rulings never appear)."""

    turn: int
    committed: bool
    calendar: str = ""  # "Dec 2025 - Feb 2026"
    injects: tuple[InjectEntry, ...] = ()
    orders: tuple[OrderEntry, ...] = ()
    overrides: tuple[OverrideEntry, ...] = ()
    notes: tuple[NoteEntry, ...] = ()
    explanations: tuple[ExplanationEntry, ...] = ()
    indicators: TurnIndicators | None = None


class StandingTerm(_Frozen):
    label: str
    indicator: str
    raw_value: float
    weight: float
    contribution: float


class Standing(_Frozen):
    """A team's final score against its objectives, with its rank (1 = best)."""

    rank: int
    team: str
    name: str
    total: float
    terms: tuple[StandingTerm, ...] = ()


class BaselineFigure(_Frozen):
    """A baseline number of the scenario and where it came from (the annex)."""

    topic: str  # "Capacity", "Stocks", "Demand", "Prices", "Teams", ...
    subject: str  # "China · NdPr · separation"
    quantity: str  # "capacity", "output", "price", ...
    value: float
    unit: str
    source_key: str = ""
    source: str = ""  # the citation from the scenario's ``sources:``
    note: str = ""


class HeadlineRow(_Frozen):
    """One headline number of one turn on two lines of play."""

    turn: int
    measure: str  # "Score: Beijing", "Price index: NdPr"
    this_value: float | None
    other_value: float | None


class BranchComparison(_Frozen):
    """This session beside another line of play of the same exercise, from the branch point
    on: the session it was forked from (``relation`` "parent"), a fork of it ("fork"), or a
    line of play a rewind set aside ("archived": this session, ``other_branch``)."""

    relation: Literal["parent", "fork", "archived"]
    other_session: str
    other_branch: int = 0  # 0 = the other session's live line
    branch_turn: int  # both lines share every turn before this one
    rows: tuple[HeadlineRow, ...] = ()


class AnalysisTable(_Frozen):
    columns: tuple[str, ...]
    rows: tuple[tuple[str | float | int | None, ...], ...] = ()


class AnalysisSection(_Frozen):
    """A section another part of wargame adds to the report (for example "Was it luck?"
    from ``wargame.analysis``): a title, a paragraph, an optional table and an optional SVG
    chart (an SVG document as text, drawn by the analysis itself)."""

    title: str
    intro: str = ""
    table: AnalysisTable | None = None
    chart_svg: str | None = None


class AfterActionReport(_Frozen):
    audience: Audience
    generated_at: str
    facts: SessionFacts
    teams: tuple[TeamEntry, ...]
    turns: tuple[TurnRecord, ...]
    standings: tuple[Standing, ...] = ()
    hot_wash: HotWash = Field(default_factory=HotWash)
    annex: tuple[BaselineFigure, ...] = ()
    sources: dict[str, str] = Field(default_factory=dict)  # key -> citation, those cited
    branches: tuple[BranchComparison, ...] = ()
    analysis: tuple[AnalysisSection, ...] = ()
    log: tuple[LogEntry, ...] = ()
    names: dict[str, dict[str, str]] = Field(default_factory=dict)  # kind -> id -> name

    @property
    def committed_turns(self) -> tuple[TurnRecord, ...]:
        return tuple(t for t in self.turns if t.committed)

    @property
    def indicators(self) -> list[TurnIndicators]:
        return [t.indicators for t in self.turns if t.indicators is not None]

    def name(self, kind: str, ident: str) -> str:
        """The display name of an actor, material, sector, team or stage id."""
        return self.names.get(kind, {}).get(ident, ident)


__all__ = [
    "AfterActionReport", "AnalysisSection", "AnalysisTable", "Audience", "BaselineFigure",
    "BranchComparison", "ExplanationEntry", "HeadlineRow", "InjectEntry", "LogEntry", "NoteEntry",
    "OrderEntry", "OverrideEntry", "SessionFacts", "Standing", "StandingTerm", "TeamEntry",
    "TurnRecord",
]
