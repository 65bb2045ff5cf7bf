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

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wargame.engine import TurnIndicators
from wargame.report.hotwash import HotWash


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Audience(StrEnum):
    """Who the report is for: each edition holds exactly what the session layer's
    ``view_for`` lets that viewer see, of the committed turns. ``facilitator``: everything,
    notes and covert moves included (the exercise control's record). ``team``: what one
    team may see (its own orders and indicators, the public ones, other teams' orders once
    revealed). ``public``: what the room may see (public indicators, no notes, no covert
    move until the exercise has ended)."""

    FACILITATOR = "facilitator"
    TEAM = "team"
    PUBLIC = "public"


class SessionLink(_Frozen):
    """Another session of the same exercise: where this one came from or what came of it."""

    session_id: str
    name: str = ""
    forked_at_turn: int | None = None  # the turn the fork starts at (its branch point)


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
    session_name: str = ""
    # where this session came from, oldest first: the session it was forked from, the one
    # that one was forked from... each with the turn the next one starts at
    lineage: tuple[SessionLink, ...] = ()
    forks: tuple[SessionLink, ...] = ()  # sessions forked from this one
    # set when the session was recorded under another engine model version than this
    # wargame runs (a replay may then differ because the engine changed)
    model_version_note: str | None = None


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


class RetractedInject(_Frozen):
    """An inject fired by hand and taken back before the orders opened: it never fired."""

    inject_id: str
    title: str
    reason: str = ""


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
    """The ruling in force on one order (the last one given), with its reason; a
    ``scaled`` ruling multiplied the order's parameter ``param`` by ``factor``."""

    order_id: str
    order_description: str
    status: str  # accepted / rejected / scaled
    reason: str
    param: str | None = None
    factor: float | None = None


class NoteEntry(_Frozen):
    """A facilitator's note with its current text (a deleted note is not listed)."""

    seq: int
    turn: int
    phase: str = ""
    created_at: str
    text: str
    edited_at: str | None = None  # when its text was last changed
    versions: int = 1  # how many texts it has had


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
    retracted_injects: tuple[RetractedInject, ...] = ()
    orders: tuple[OrderEntry, ...] = ()
    overrides: tuple[OverrideEntry, ...] = ()
    notes: tuple[NoteEntry, ...] = ()
    explanations: tuple[ExplanationEntry, ...] = ()
    # the turn's indicators as the audience may see them: all of them for the facilitator;
    # for a team the public ones and its own actors'; for the public the public ones; for
    # everyone every team's score (public once committed). Fields the audience may not see
    # are empty.
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
    team: str | None = None  # the team of a team edition
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

    @model_validator(mode="after")
    def _team_edition_names_its_team(self) -> "AfterActionReport":
        if (self.audience is Audience.TEAM) != (self.team is not None):
            raise ValueError("a team's edition names its team; other editions name none")
        return self

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
    "OrderEntry", "OverrideEntry", "RetractedInject", "SessionFacts", "SessionLink",
    "Standing", "StandingTerm", "TeamEntry", "TurnRecord",
]
