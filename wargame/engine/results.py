"""The typed contract of a resolved turn: what the store saves, the CLI prints as JSON, and
the UI and reports read. Field names carry their units; nobody guesses a key.

Units and conventions
---------------------
- ``*_tonnes_per_turn``: tonnes of contained material moved in one turn of the scenario
  (``turn_length_months``); ``*_tonnes_per_year``: the same as an annual rate;
  ``stocks_tonnes``: tonnes held (a level, not a rate).
- ``*_usd_per_kg``: prices; ``*_usd_m_per_turn``: USD million earned or paid in the turn;
  ``budget_usd_m``: USD million left for the rest of the exercise.
- ``*_share``: a share in 0..1. ``price_index_vs_baseline``: 1.0 = the scenario's price.
- Ids (actors, materials, stages, sectors, teams) are the scenario's; nested dicts go from
  the outer key named first in the field's comment to the inner one.

``TurnIndicators`` (one per turn; its per-actor fields are ``ActorIndicators``, which a
team's own view shares)
    ``turn``;
    ``world_price_usd_per_kg[material][stage]``: the international price, importers' prices
    weighted by their baseline use (an exporter's home price under its own export controls
    is not the world's price);
    ``price_by_actor_usd_per_kg[material][stage][actor]``: what each actor pays;
    ``price_index_vs_baseline[material]``: final-stage world price / baseline price;
    ``supply_met_share[actor][sector]``: share of the sector's demand met (actors and sectors
    with demand only);
    ``material_met_share[actor][material]``: share of the actor's final-stage need met;
    ``shortfall_tonnes_per_year[actor][sector]``: demand not met, as an annual rate;
    ``dependency_share_by_material[material][actor][origin]``: share of the actor's
    final-stage supply of that material originating in ``origin`` (origin = where it was
    refined; shares above 0.001);
    ``dependency_share_all_materials_by_value[actor][origin]``: the same over all materials,
    weighted by baseline value (an AGGREGATE; the per-material figures are above);
    ``import_bill_usd_m_per_turn[actor]``, ``export_revenue_usd_m_per_turn[actor]``:
    cross-border trade at each stage valued at the importer's / exporter's price;
    ``revenue_usd_m_per_turn[actor]``: value of everything the actor sold (home and abroad);
    ``value_added_usd_m_per_turn[actor]``: value of output minus value of inputs used;
    ``ore_processed_home_share[material][actor]``: share of an actor's mined ore that its
    own refiners took;
    ``crma_benchmarks``: ``CrmaBenchmarks`` rows for EU actors (id or bloc "EU");
    ``budget_usd_m[team]``, ``political_capital[team]`` (points; the scenario's start value
    is the reference);
    ``stocks_tonnes[actor][material]``: commercial + strategic stocks, all stages;
    ``flows``: ``FlowRow`` per cross-border (exporter, importer, material, stage) with a
    flow or a restricted request;
    ``quotas``: ``QuotaRow`` per tonnage export quota in force: quota, used and unfilled
    tonnes per year;
    ``scores[team]``: ``TeamScore`` with the per-objective breakdown.

Other records: ``OrderOutcome`` (``status``: ``OutcomeStatus``), ``FiredInject``,
``Explanation`` (text, the measure groups it names, whether it may be read to the room), the
draw records ``LicenceDraw``/``DelayDraw`` (``draws.py``), and ``TurnResult`` holding them
with the new ``GameState``. ``TurnResult.to_dict``/``from_dict`` are the store's payload;
every number in it is finite.
"""
from __future__ import annotations

import math
from enum import StrEnum
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from wargame.engine.draws import DelayDraw, LicenceDraw, draws_from_json
from wargame.engine.state import GameState


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


# ----------------------------------------------------------------- orders and events

class OutcomeStatus(StrEnum):
    """What became of an order: the rules accepted or rejected it, or the facilitator
    overrode the rules (set an accepted order aside, or admitted a rejected one), or it was
    a legal order of a coalition move that too few teams committed this turn (``NO_QUORUM``:
    nothing charged, no effect; the detail says who committed and who was missing)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    OVERRIDDEN = "overridden"
    NO_QUORUM = "no_quorum"


OUTCOME_ACCEPTED = OutcomeStatus.ACCEPTED
OUTCOME_REJECTED = OutcomeStatus.REJECTED
OUTCOME_OVERRIDDEN = OutcomeStatus.OVERRIDDEN
OUTCOME_NO_QUORUM = OutcomeStatus.NO_QUORUM


class OrderOutcome(_Frozen):
    order_id: str
    team: str
    move: str
    status: OutcomeStatus
    detail: str = ""  # why rejected, what it cost, or the facilitator's reason
    description: str = ""  # 'Beijing: Export licence regime: material NdPr, ...'


class FiredInject(_Frozen):
    inject_id: str
    title: str
    text: str = ""
    # scheduled, drawn (random), condition (its condition held), follow-up (of another
    # inject), by hand (the facilitator)
    how: Literal["scheduled", "drawn", "condition", "follow-up", "by hand"]


class Explanation(_Frozen):
    """One sentence of the turn's explanation. ``groups`` are the measure groups it names
    (``order:<id>``, ``inject:<id>``, ``standing:<n>``); ``public`` is False when one of
    them is a covert move, so it is not read to the room (the facilitator sees it).
    ``kind``: ``event`` (an inject fired this turn, with its effect), ``order`` (an order
    of the turn: what it did, or why nothing yet, or why it was rejected), ``change`` (a
    headline figure that moved, and what moved it), ``news`` (licence draws of measures
    in force, investments slipping or arriving)."""

    text: str
    groups: tuple[str, ...] = ()
    public: bool = True
    kind: Literal["event", "order", "change", "news"] = "change"


# ----------------------------------------------------------------- indicators

class FlowStatus(StrEnum):
    """Restriction status of an (exporter, importer) pair at a stage, the worst that
    applies: open, slowed (licences at a mean below 1), frozen (below 0.5), banned."""

    OPEN = "open"
    SLOWED = "slowed"
    FROZEN = "frozen"
    BANNED = "banned"


FLOW_STATUS_BY_CODE = (FlowStatus.OPEN, FlowStatus.SLOWED, FlowStatus.FROZEN, FlowStatus.BANNED)


class FlowRow(_Frozen):
    """Material moved across a border in the turn (tonnes of contained material)."""

    exporter: str
    importer: str
    material: str
    stage: str
    tonnes_per_turn: float = Field(ge=0)
    tonnes_per_year: float = Field(ge=0)  # the same flow as an annual rate
    status: FlowStatus


class QuotaRow(_Frozen):
    """A tonnage export quota in force this turn (``export_quota``): how much of it was
    used and how much was left unfilled, as annual rates (tonnes of contained material)."""

    exporter: str
    materials: tuple[str, ...]  # several when the materials share one tonnage
    importers: tuple[str, ...]  # the destinations it covers
    stages: tuple[str, ...]  # stage ids (of the first material) whose exports count
    quota_tonnes_per_year: float = Field(ge=0)
    used_tonnes_per_year: float = Field(ge=0)
    unfilled_tonnes_per_year: float = Field(ge=0)
    fill_share: float = Field(ge=0, le=1)


class CrmaBenchmarks(_Frozen):
    """The EU Critical Raw Materials Act 2030 benchmarks for one actor and material:
    extraction >= 10 %, processing >= 40 %, recycling >= 25 % of consumption, and no more
    than 65 % from a single third country. Shares are of the actor's consumption."""

    actor: str
    material: str
    extraction_share: float
    processing_share: float
    recycling_share: float
    largest_third_country_share: float
    benchmarks_met: int = Field(ge=0, le=4)


class ScoreTerm(_Frozen):
    """One objective's part of a team's score: contribution = weight x raw_value."""

    label: str
    indicator: str  # the objective's indicator (``Objective.indicator``)
    raw_value: float
    weight: float
    contribution: float


class TeamScore(_Frozen):
    """A team's score: the sum of its objectives' contributions. Each raw value is on a
    'one means as good as the baseline' scale (see ``indicators.objective_value``), so a
    team holding the baseline scores about the sum of its positive weights minus its
    negative-weighted dependencies."""

    total: float
    terms: tuple[ScoreTerm, ...] = ()


class ActorIndicators(_Frozen):
    """The indicators that belong to actors (a team sees its own: ``view.OwnIndicators``)."""

    supply_met_share: dict[str, dict[str, float]]
    material_met_share: dict[str, dict[str, float]]
    shortfall_tonnes_per_year: dict[str, dict[str, float]]
    dependency_share_by_material: dict[str, dict[str, dict[str, float]]]  # [material][actor]
    dependency_share_all_materials_by_value: dict[str, dict[str, float]]
    import_bill_usd_m_per_turn: dict[str, float]
    export_revenue_usd_m_per_turn: dict[str, float]
    revenue_usd_m_per_turn: dict[str, float]
    value_added_usd_m_per_turn: dict[str, float]
    stocks_tonnes: dict[str, dict[str, float]]
    crma_benchmarks: tuple[CrmaBenchmarks, ...] = ()

    def crma_of(self, actor: str) -> dict[str, CrmaBenchmarks]:
        """An actor's CRMA rows by material (empty for non-EU actors)."""
        return {row.material: row for row in self.crma_benchmarks if row.actor == actor}

    def restricted_to(self, actors: Iterable[str]) -> dict[str, Any]:
        """These fields with only ``actors``' entries (for a team's own view)."""
        keep = set(actors)
        out: dict[str, Any] = {}
        for name in ActorIndicators.model_fields:
            value = getattr(self, name)
            if name == "crma_benchmarks":
                out[name] = tuple(row for row in value if row.actor in keep)
            elif name == "dependency_share_by_material":
                out[name] = {m: {a: v for a, v in by_actor.items() if a in keep}
                             for m, by_actor in value.items()}
            else:
                out[name] = {a: v for a, v in value.items() if a in keep}
        return out


class TurnIndicators(ActorIndicators):
    """A turn's indicators; see this module's docstring for every field and unit."""

    turn: int
    world_price_usd_per_kg: dict[str, dict[str, float]]
    price_by_actor_usd_per_kg: dict[str, dict[str, dict[str, float]]]
    price_index_vs_baseline: dict[str, float]
    ore_processed_home_share: dict[str, dict[str, float]]
    budget_usd_m: dict[str, float]
    political_capital: dict[str, float]
    flows: tuple[FlowRow, ...] = ()
    quotas: tuple[QuotaRow, ...] = ()
    scores: dict[str, TeamScore] = Field(default_factory=dict)

    def flows_at(self, material: str, stage: str) -> list[FlowRow]:
        """The cross-border flows of one material at one stage."""
        return [f for f in self.flows if f.material == material and f.stage == stage]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json_dict(cls, raw: Any) -> "TurnIndicators":
        """Stored indicators back, validated (finite numbers, known fields, ranges)."""
        return cls.model_validate(raw)


# ----------------------------------------------------------------- the turn

class TurnResult:
    """A resolved turn: the new state, an outcome per order (in the canonical order:
    team rank, then order id), the injects that fired, the explanations, the random draws
    and the indicators. ``indicators`` (and the draws' records) are built on first access (resolving and explaining
    need only the arrays), as the app and ``simulate`` always do; so may ``explanations``
    be (a turn resolved without explaining narrates it when first read: sweeps never do)."""

    def __init__(self, turn: int, state: GameState, outcomes: list[OrderOutcome],
                 explanations: list[Explanation] | Callable[[], list[Explanation]],
                 injects_fired: list[FiredInject] = (),
                 draws: list[LicenceDraw | DelayDraw]
                 | Callable[[], list[LicenceDraw | DelayDraw]] = (),
                 indicators: TurnIndicators | Callable[[], TurnIndicators] | None = None,
                 ledger_gap: float | Callable[[], float] = 0.0,
                 score_inputs: Callable[[], Any] | None = None):
        self.turn = turn
        self.state = state
        self.outcomes = list(outcomes)
        self._explanations = explanations if callable(explanations) else list(explanations)
        self.injects_fired = list(injects_fired)
        self._draws = draws if callable(draws) else list(draws)
        self._indicators = indicators
        self._ledger_gap = ledger_gap
        self._score_inputs = score_inputs

    @property
    def draws(self) -> list[LicenceDraw | DelayDraw]:
        """The turn's random draws (records made when first read, as sweeps never do)."""
        if callable(self._draws):
            self._draws = list(self._draws())
        return self._draws

    @property
    def explanations(self) -> list[Explanation]:
        if callable(self._explanations):
            self._explanations = list(self._explanations())
        return self._explanations

    @property
    def indicators(self) -> TurnIndicators:
        if callable(self._indicators):
            self._indicators = self._indicators()
        if self._indicators is None:
            raise ValueError(f"turn {self.turn}: no indicators were recorded")
        return self._indicators

    @property
    def score_inputs(self) -> Any:
        """What scores read (``indicators.ScoreInputs``), built without the rest of the
        indicators when the turn was resolved here, else the indicators themselves (a
        stored turn): ``indicators.score_values`` takes either. Batch runs read this."""
        if self._score_inputs is None:
            return self.indicators
        if callable(self._score_inputs):
            self._score_inputs = self._score_inputs()
        return self._score_inputs

    @property
    def ledger_gap(self) -> float:
        """Largest per-material gap in the material balance (tonnes; ~0 when conserved)."""
        if callable(self._ledger_gap):
            self._ledger_gap = self._ledger_gap()
        return self._ledger_gap

    def explanation_texts(self, public_only: bool = False) -> list[str]:
        return [e.text for e in self.explanations if e.public or not public_only]

    def __repr__(self) -> str:
        return (f"TurnResult(turn={self.turn}, outcomes={len(self.outcomes)}, "
                f"state={self.state.content_hash()[:10]})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TurnResult) and self.to_dict() == other.to_dict()

    def to_dict(self) -> dict[str, Any]:
        """The store's payload: plain JSON types, finite numbers only (every record was
        validated with ``allow_inf_nan=False`` when made; the state checks its arrays)."""
        gap = float(self.ledger_gap)
        if not math.isfinite(gap):
            raise ValueError(f"turn {self.turn}: the material ledger is not finite")
        return {"turn": self.turn, "state": self.state.to_dict(),
                "outcomes": [o.model_dump(mode="json") for o in self.outcomes],
                "indicators": self.indicators.to_json_dict(),
                "explanations": [e.model_dump(mode="json") for e in self.explanations],
                "injects_fired": [i.model_dump(mode="json") for i in self.injects_fired],
                "draws": [d.model_dump(mode="json") for d in self.draws],
                "ledger_gap": gap}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "TurnResult":
        """A stored payload back, every part validated."""
        return cls(turn=int(raw["turn"]), state=GameState.from_dict(raw["state"]),
                   outcomes=[OrderOutcome.model_validate(o) for o in raw["outcomes"]],
                   indicators=TurnIndicators.from_json_dict(raw["indicators"]),
                   explanations=[Explanation.model_validate(e) for e in raw["explanations"]],
                   injects_fired=[FiredInject.model_validate(i)
                                  for i in raw.get("injects_fired", [])],
                   draws=draws_from_json(raw.get("draws", [])),
                   ledger_gap=float(raw.get("ledger_gap", 0)))


__all__ = [
    "ActorIndicators", "CrmaBenchmarks", "DelayDraw", "Explanation", "FLOW_STATUS_BY_CODE", "FiredInject",
    "FlowRow", "FlowStatus", "LicenceDraw", "OUTCOME_ACCEPTED", "OUTCOME_NO_QUORUM",
    "OUTCOME_OVERRIDDEN", "OUTCOME_REJECTED", "OrderOutcome", "OutcomeStatus", "ScoreTerm", "TeamScore",
    "TurnIndicators", "TurnResult",
]
