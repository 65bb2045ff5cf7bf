"""The validated, immutable definition of an exercise.

Scenario files are YAML (see ``scenarios/README.md``); the loader turns them into these
pydantic models and maps every validation problem back to ``FILE:LINE:COL``. This module is
pure (no YAML, no I/O) so that the engine can depend on it.

Every baseline number may be a plain number or ``{value, source, note}``: the source key is
what a facilitator sees in a tooltip, so a figure can always be traced to the calibration
sheet or another public source.

Files are hostile: every number must be finite and within a documented range, every text
of bounded length and free of control characters (names and ids also of bidirectional
overrides). The limits are in ``wargame.limits`` and ``scenarios/README.md``.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from wargame.limits import (
    MAX_BUDGET_USD_M,
    MAX_DAYS,
    MAX_ELASTICITY,
    MAX_ID_CHARS,
    MAX_MAGNITUDE,
    MAX_NAME_CHARS,
    MAX_POLITICAL_CAPITAL,
    MAX_PRIORITY,
    MAX_SEED,
    MAX_TEXT_CHARS,
    MAX_TONNES,
    MAX_TURNS,
    MAX_USD_PER_KG,
    MAX_YEARS,
)
from wargame.scenario.conditions import check_condition_text

# the scenario format this build writes (see wargame.scenario.upgrade); 2 added conditional
# injects, follow-ups and coalition moves (``requires``); 3 the market (``market:``, trade
# shares, local prices, quotas, duties, ...) and dropped price_response.pullback/smoothing
SCHEMA_VERSION = 3

# --------------------------------------------------------------------------- texts

_NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TEXT_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newline and tab are fine


def _forbidden(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (f"contains a bidirectional-override character ({code}), which makes it "
                "display differently from what it is: remove it")
    return f"contains a control character ({code}): remove it"


def plain_name(value: str) -> str:
    """A name, label or short value: one line, no control or bidi-override characters."""
    bad = _NAME_FORBIDDEN.search(value)
    if bad:
        raise ValueError(_forbidden(bad.group()))
    return value


def plain_text(value: str) -> str:
    """A description or briefing: lines and tabs allowed, other control characters not."""
    bad = _TEXT_FORBIDDEN.search(value)
    if bad:
        raise ValueError(_forbidden(bad.group()))
    return value


Name = Annotated[str, Field(max_length=MAX_NAME_CHARS), AfterValidator(plain_name)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS), AfterValidator(plain_text)]
Colour = Annotated[str, Field(pattern=r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,30})$")]


def plain_value(value: Any) -> Any:
    """A literal in effect arguments and order parameters: a finite number of bounded size,
    a short plain text, true/false, nothing, or a flat list of those."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, (int, float)):
            if not abs(item) <= MAX_MAGNITUDE:  # also NaN
                raise ValueError(f"must be a finite number of at most {MAX_MAGNITUDE:g} "
                                 f"in size (got {item:g})")
        elif isinstance(item, str):
            if len(item) > MAX_NAME_CHARS:
                raise ValueError(f"is too long (at most {MAX_NAME_CHARS} characters)")
            plain_name(item)
        elif isinstance(item, (list, dict)) and isinstance(value, list):
            raise ValueError("a list may hold only single values")
    return value

# --------------------------------------------------------------------------- figures


class Figure(BaseModel):
    """A number with where it came from."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    value: float  # finite (allow_inf_nan=False); each use bounds its range (TonnesFigure...)
    source: Name | None = None
    note: Text | None = None

    def __float__(self) -> float:  # lets engine code write float(fig)
        return float(self.value)


def _figure_from_number(raw: Any) -> Any:
    if isinstance(raw, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(raw, (int, float)):
        return {"value": raw}
    return raw


AnyFigure = Annotated[Figure, BeforeValidator(_figure_from_number)]


def _non_negative(fig: Figure) -> Figure:
    if fig.value < 0:
        raise ValueError(f"must not be negative (got {fig.value:g})")
    return fig


def _at_most(limit: float, unit: str) -> AfterValidator:
    def check(fig: Figure) -> Figure:
        if fig.value > limit:
            raise ValueError(f"must be at most {limit:g}{unit} (got {fig.value:g})")
        return fig
    return AfterValidator(check)


def _positive(fig: Figure) -> Figure:
    if fig.value <= 0:
        raise ValueError(f"must be more than 0 (got {fig.value:g})")
    return fig


def _share(fig: Figure) -> Figure:
    if not 0 <= fig.value <= 1:
        raise ValueError(f"must be a share between 0 and 1 (got {fig.value:g})")
    return fig


NonNegFigure = Annotated[AnyFigure, AfterValidator(_non_negative)]  # bounded by each use
ShareFigure = Annotated[AnyFigure, AfterValidator(_share)]
TonnesFigure = Annotated[NonNegFigure, _at_most(MAX_TONNES, " t")]
DaysFigure = Annotated[NonNegFigure, _at_most(MAX_DAYS, " days")]
PriceFigure = Annotated[NonNegFigure, _at_most(MAX_USD_PER_KG, " USD/kg")]
BudgetFigure = Annotated[NonNegFigure, _at_most(MAX_BUDGET_USD_M, " USD million")]
CapitalFigure = Annotated[NonNegFigure, _at_most(MAX_POLITICAL_CAPITAL, "")]
YearsFigure = Annotated[NonNegFigure, _at_most(MAX_YEARS, " years")]
ElasticityFigure = Annotated[AnyFigure, AfterValidator(_positive),
                             _at_most(MAX_ELASTICITY, "")]
# a response that may be switched off (supply, destocking, the long-run multiple)
ResponseFigure = Annotated[NonNegFigure, _at_most(MAX_ELASTICITY, "")]

Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$", min_length=1,
                          max_length=MAX_ID_CHARS)]
Number = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
TurnCount = Annotated[int, Field(ge=0, le=MAX_TURNS)]
Seed = Annotated[int, Field(ge=0, lt=MAX_SEED)]


class _Model(BaseModel):
    # allow_inf_nan=False: NaN and infinity are refused in every float field
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              allow_inf_nan=False)


# --------------------------------------------------------------------------- world


class Actor(_Model):
    """A country or bloc that holds capacity, stocks and demand."""

    id: Id
    name: Name
    team: Id | None = None  # the team that plays this actor; None = not played (background)
    position: tuple[Annotated[float, Field(ge=-180, le=180)],
                    Annotated[float, Field(ge=-90, le=90)]] = (0.0, 0.0)  # lon, lat (map)
    bloc: Name | None = None  # for grouping in charts (e.g. "West", "China", "Producers")
    description: Text = ""


class Objective(_Model):
    """One weighted term of a team's score. ``indicator`` names an engine indicator:
    ``supply_met`` (needs ``sector``), ``dependency`` (needs ``origin``), ``price`` (needs
    ``material``), ``budget``, ``political_capital``, ``revenue``, ``value_added``,
    ``import_bill``, ``crma`` (EU benchmarks met, 0..4)."""

    indicator: Literal[
        "supply_met", "dependency", "price", "budget", "political_capital",
        "revenue", "value_added", "import_bill", "crma",
    ]
    weight: Number
    sector: Id | None = None
    origin: Id | None = None
    material: Id | None = None
    actor: Id | None = None  # defaults to the team's first actor
    label: Name = ""


class Team(_Model):
    id: Id
    name: Name
    budget: BudgetFigure  # USD million available for the whole exercise
    political_capital: CapitalFigure = Figure(value=100)
    colour: Colour = "#777777"
    bot: Literal["hawk", "builder", "producer", "diplomat", "passive"] = "passive"
    objectives: tuple[Objective, ...] = ()
    briefing: Text = ""


class Stage(_Model):
    id: Id
    name: Name
    # tonnes out per tonne in (processing losses are a named sink)
    yield_: ShareFigure = Field(default=Figure(value=1.0), alias="yield")
    price: PriceFigure  # baseline USD/kg paid at this stage
    lead_time_years: YearsFigure = Figure(value=3.0)  # for new capacity at this stage
    # share of nameplate a new plant at this stage runs at, by year of operation (the last
    # share holds from then on); None = the scenario's ``market.ramp_up``
    ramp_up: tuple[ShareFigure, ...] | None = Field(None, min_length=1, max_length=12)


class Material(_Model):
    id: Id
    name: Name
    unit: Name = "t"
    stages: tuple[Stage, ...] = Field(min_length=1, max_length=4)
    # short-run price elasticity of demand (positive number; small = inelastic)
    elasticity: ElasticityFigure = Figure(value=0.3)
    price_floor_factor: float = Field(0.3, gt=0, le=1)  # prices never fall below base x this
    price_cap_factor: float = Field(15.0, ge=1, le=1e6)  # ... nor rise above base x this
    stock_rebuild_share: float = Field(0.25, ge=0, le=1)  # of the gap to target, per turn
    # long-run (3-5 years) price elasticity of demand; None = short-run x the scenario's
    # ``market.long_run_multiple``
    long_run_elasticity: ElasticityFigure | None = None
    # the stage whose price is the material's headline price (default: the last stage)
    headline_stage: Id | None = None
    description: Text = ""

    @model_validator(mode="after")
    def _headline_is_a_stage(self) -> "Material":
        if self.headline_stage is not None and \
                self.headline_stage not in [st.id for st in self.stages]:
            raise ValueError(f"headline_stage '{self.headline_stage}' is not one of this "
                             f"material's stages ({', '.join(st.id for st in self.stages)})")
        return self

    @field_validator("stages")
    @classmethod
    def _unique_stage_ids(cls, stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
        seen: set[str] = set()
        for stage in stages:
            if stage.id in seen:
                raise ValueError(f"duplicate stage id '{stage.id}'")
            seen.add(stage.id)
        return stages

    def stage_index(self, stage_id: str) -> int:
        for index, stage in enumerate(self.stages):
            if stage.id == stage_id:
                return index
        raise KeyError(stage_id)


class Sector(_Model):
    id: Id
    name: Name
    # lower is served first when supply is short (defence = 1); claims are weighted by
    # priority ** -strength, so 0 is not a priority
    priority: int = Field(5, ge=1, le=MAX_PRIORITY)
    colour: Colour = "#888888"
    # price elasticities of this sector's demand; None = the material's; 0 = it buys at any
    # price (defence: never priced out, only rationed)
    elasticity_short_run: ResponseFigure | None = None
    elasticity_long_run: ResponseFigure | None = None


class CapacityEntry(_Model):
    """Nameplate capacity and actual output of one actor at one stage, per year."""

    actor: Id
    material: Id
    stage: Id
    capacity: TonnesFigure  # tonnes per year
    output: TonnesFigure | None = None  # tonnes per year actually produced; default = capacity
    recycled: bool = False  # secondary supply (counts for the CRMA recycling benchmark)

    @model_validator(mode="after")
    def _output_within_capacity(self) -> "CapacityEntry":
        if self.output is not None and self.output.value > self.capacity.value * 1.0001:
            raise ValueError(
                f"output {self.output.value:g} exceeds capacity {self.capacity.value:g}"
            )
        return self


class StockEntry(_Model):
    """Inventory held by an actor at a stage; give tonnes, or days of that actor's use."""

    actor: Id
    material: Id
    stage: Id
    tonnes: TonnesFigure | None = None
    days: DaysFigure | None = None
    strategic: bool = False  # government stockpile: released only by orders

    @model_validator(mode="after")
    def _one_of(self) -> "StockEntry":
        if (self.tonnes is None) == (self.days is None):
            raise ValueError("give exactly one of 'tonnes' or 'days'")
        return self


class DemandEntry(_Model):
    """What a sector of an actor consumes of a material's last stage, tonnes per year."""

    actor: Id
    sector: Id
    material: Id
    tonnes_per_year: TonnesFigure


class RestrictionLevel(_Model):
    """A licensing regime: each turn the share of requested exports approved is drawn from a
    Beta distribution with this mean (seeded). ``concentration`` = a + b (high = predictable)."""

    id: Id
    name: Name
    mean: float = Field(ge=0, le=1)
    concentration: float = Field(20.0, gt=0, le=1e6)


# --------------------------------------------------------------------------- moves

ParamType = Literal["actor", "actors", "material", "stage", "sector", "team", "number", "integer",
                    "choice"]

PRIMITIVES = (
    "export_restriction",
    "extraterritorial_rule",
    "export_ban",
    "export_quota",
    "export_duty",
    "end_measure",
    "invest_capacity",
    "equity_stake",
    "offtake",
    "price_floor",
    "stockpile",
    "recycling",
    "substitution",
    "tariff",
    "tech_export_control",
    "set_parameter",
)
Primitive = Literal[PRIMITIVES]  # type: ignore[valid-type]  # the same names, one list


class ParamSpec(_Model):
    """A typed parameter a player fills in when giving an order."""

    name: Id
    type: ParamType
    label: Name = ""
    help: Text = ""
    min: Number | None = None
    max: Number | None = None
    default: Annotated[Any, AfterValidator(plain_value)] = None
    choices: tuple[Name, ...] = ()
    # for actor parameters: which actors may be named
    scope: Literal["any", "own", "other"] = "any"
    # for stage parameters: the material parameter whose stages are offered
    material_param: Id | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "ParamSpec":
        if self.type == "choice" and not self.choices:
            raise ValueError("a 'choice' parameter needs 'choices'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is greater than max {self.max:g}")
        return self

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


class Cost(_Model):
    budget: float = Field(0.0, ge=0, le=MAX_BUDGET_USD_M)  # USD million, paid at submit
    political_capital: float = Field(0.0, ge=0, le=MAX_POLITICAL_CAPITAL)
    # an extra budget cost per unit of a numeric parameter (e.g. USD m per kt of capacity)
    per_unit_param: Id | None = None
    per_unit_budget: float = Field(0.0, ge=0, le=MAX_BUDGET_USD_M)


class Effect(_Model):
    """One engine primitive with its arguments. An argument is a literal or a reference:
    ``$param`` (an order parameter), ``$self`` (the ordering team's first actor),
    ``$team`` (the ordering team), ``$all`` (every other actor)."""

    primitive: Primitive
    args: dict[str, Annotated[Any, AfterValidator(plain_value)]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _flat_args(cls, raw: Any) -> Any:
        # designers write `- primitive: export_ban\n  exporter: $self`; gather the rest as args
        if isinstance(raw, dict) and "args" not in raw:
            raw = dict(raw)
            primitive = raw.pop("primitive", None)
            return {"primitive": primitive, "args": raw}
        return raw


class Quorum(_Model):
    """A coalition move takes effect only when at least ``teams`` different teams order it
    in the same turn (and every team in ``including`` is among them); otherwise no order of
    it takes effect, nothing is charged, and each outcome says who was missing."""

    teams: int = Field(ge=2, le=MAX_TURNS)
    including: tuple[Id, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, raw: Any) -> Any:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return {"teams": raw}  # `requires: 3`
        return raw


class MoveType(_Model):
    id: Id
    name: Name
    description: Text = ""
    category: Name = "general"
    teams: tuple[Id, ...] | Literal["all"] = "all"
    params: tuple[ParamSpec, ...] = ()
    cost: Cost = Cost()
    duration: TurnCount | Annotated[str, Field(max_length=MAX_ID_CHARS + 1)] = 1
    # turns; a literal or "$param"; 0 = permanent
    effects: tuple[Effect, ...] = Field(min_length=1)
    public: bool = True  # announced at reveal; False = covert, revealed only in the debrief
    requires: Quorum | None = None  # a coalition move: how many teams must commit together

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 0:
            raise ValueError("duration must be 0 (permanent) or more turns")
        if isinstance(value, str) and not value.startswith("$"):
            raise ValueError("duration must be a number of turns or a '$param' reference")
        return value

    def allowed_for(self, team_id: str) -> bool:
        return self.teams == "all" or team_id in self.teams

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(name)


Condition = Annotated[str, AfterValidator(check_condition_text)]  # see scenario.conditions


class FollowUp(_Model):
    """Another inject of the deck that an inject schedules when it fires (a chain)."""

    inject: Id
    after_turns: int = Field(1, ge=1, le=MAX_TURNS)  # fires at the start of turn + this
    probability: float | None = Field(None, ge=0, le=1)  # drawn when due (seeded); None = sure


class Inject(_Model):
    """A scripted, random or conditional event from the scenario's deck (or fired by the
    facilitator). ``condition`` gates every automatic firing: alone, the inject fires at
    the first check where it holds (again only with ``repeat``, after it stopped holding);
    with ``turn`` or ``probability`` it must hold as well. ``follow_ups`` schedule other
    injects whenever this one fires (by any route, by hand too)."""

    id: Id
    title: Name
    text: Text = ""
    turn: int | None = Field(None, ge=1, le=MAX_TURNS)  # fires at the start of this turn
    probability: float | None = Field(None, ge=0, le=1)  # or: chance per turn (seeded)
    from_turn: int = Field(1, ge=1, le=MAX_TURNS)
    until_turn: int | None = Field(None, ge=1, le=MAX_TURNS)
    by: Id | None = None  # the actor '$self' refers to in the effects
    duration: TurnCount = 1
    effects: tuple[Effect, ...] = ()
    condition: Condition | None = None  # checked each turn (scenario.conditions)
    repeat: bool = False  # a conditional inject may fire again once its condition re-arms
    follow_ups: tuple[FollowUp, ...] = Field((), max_length=20)

    @property
    def trigger(self) -> Literal["scheduled", "random", "conditional", "hand"]:
        """How the deck fires it on its own (a follow-up or the facilitator aside)."""
        if self.turn is not None:
            return "scheduled"
        if self.probability is not None:
            return "random"
        return "conditional" if self.condition is not None else "hand"

    @model_validator(mode="after")
    def _when(self) -> "Inject":
        if self.turn is not None and self.probability is not None:
            raise ValueError("give 'turn' or 'probability', not both")
        return self


class StandingOrder(_Model):
    """A measure already in force when the exercise starts (e.g. April 2025 licences)."""

    team: Id
    move: Id
    params: dict[Id, Annotated[Any, AfterValidator(plain_value)]] = Field(default_factory=dict)
    note: Text = ""


class PriceResponse(_Model):
    """How the flow shares a shortfall within a turn (how prices move is ``market:``)."""

    # how far importers left short can bid supply away from others within a turn:
    # 0 = contracts hold (a target bears the whole cut), 1 = fully fluid world market
    market_flexibility: float = Field(0.4, ge=0, le=1)
    # how strongly short supply goes to high-priority sectors first: claims are weighted by
    # priority ** -strength (1: defence at priority 1 is filled 3x as fully as priority 3)
    rationing_strength: float = Field(1.0, ge=0, le=20)


# producers' run rates answer price with at most this x the material's short-run demand
# elasticity, whatever ``market.supply_elasticity`` says (``engine.supply``): supply and
# demand answering each other's last price then cannot swing wider every turn (--lint says
# where it applies)
STABLE_SUPPLY = 2.0


class MarketParameters(_Model):
    """How the market moves: price formation, demand and supply response, stocks, trade
    structure (``scenarios/README.md``, "Market dynamics", gives each default's source or
    how it was estimated; ``wargame/engine/market.py`` the formulation). Every number may be
    a Figure with its own source."""

    # share of the gap (in log price) to the market-clearing price closed per quarter
    price_adjustment_per_quarter: ShareFigure = Figure(value=0.5)
    # long-run elasticity = short-run x this, where a material or sector gives none
    long_run_multiple: ResponseFigure = Figure(value=3.0)
    # share of the gap between the demand level and its long-run level closed per year
    demand_adjustment_per_year: ShareFigure = Figure(value=0.25)
    # share of the thrifting a high price paid for that is undone when the price falls
    thrift_reversal_share: ShareFigure = Figure(value=0.2)
    # elasticity of producers' run rate to the price they receive (netback)
    supply_elasticity: ResponseFigure = Figure(value=0.4)
    # share of the gap to the desired run rate closed per quarter
    utilisation_adjustment_per_quarter: ShareFigure = Figure(value=0.5)
    # how much slower users rebuild stocks while prices are high (destocking), and how
    # steeply prices rise as stocks run below normal (the storage curve: 1 / this)
    destocking_elasticity: ResponseFigure = Figure(value=0.5)
    # days of use added to an importer's target stock while a supplier restricts its exports
    # (precautionary buying), and to the restricting exporter's own users (speculation,
    # served after its export contracts)
    precautionary_cover_days: DaysFigure = Figure(value=30.0)
    # share of the gap between contract shares and the delivered mix closed per quarter, when
    # contracts fail
    contract_drift_per_quarter: ShareFigure = Figure(value=0.15)
    # share of licence- or quota-blocked exports that leaves anyway (smuggling, transshipment)
    leakage_share: ShareFigure = Figure(value=0.1)
    # share of nameplate a new plant runs at by year of operation (stages may set their own)
    ramp_up: tuple[ShareFigure, ...] = Field(
        default=(Figure(value=0.35), Figure(value=0.7), Figure(value=0.9), Figure(value=1.0)),
        min_length=1, max_length=12)
    # share of an upstream price change passed into the downstream reference price
    pass_through: ShareFigure = Figure(value=1.0)


class LocalPrice(_Model):
    """An actor's own baseline price at one stage where it differs from the stage's:
    two-tier prices in the baseline, e.g. a home price below the export price while an
    export duty is in force (the stage's ``price`` is then the export price)."""

    actor: Id
    material: Id
    stage: Id
    price: PriceFigure


class TradeShareEntry(_Model):
    """Where one importer buys one stage's product in the baseline: ``shares`` maps
    exporters to shares of the importer's imports (what is not given is spread over the
    other exporters in proportion to their baseline sales). ``import_share`` makes a
    producer import that share of its own use while it exports (two-way trade)."""

    importer: Id
    material: Id
    stage: Id
    shares: dict[Id, ShareFigure] = Field(default_factory=dict)
    import_share: ShareFigure | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _shares_add_up(self) -> "TradeShareEntry":
        total = sum(float(f.value) for f in self.shares.values())
        if total > 1.0001:
            raise ValueError(f"shares add up to {total:g}, more than 1")
        if self.importer in self.shares:
            raise ValueError(f"'{self.importer}' cannot import from itself")
        return self


class Trajectory(_Model):
    id: Id
    name: Name
    text: Text


# --------------------------------------------------------------------------- scenario


class Scenario(_Model):
    # the loader (the only way in) refuses versions this build does not read, with
    # FILE:LINE, and upgrades older ones (wargame.scenario.upgrade)
    schema_version: int = Field(SCHEMA_VERSION, ge=1)
    id: Id
    title: Name
    summary: Text = ""
    start_date: Annotated[Name, Field(max_length=40)] = ""  # e.g. "2025-12" (display only)
    turn_length_months: int = Field(3, ge=1, le=12)
    turns: int = Field(12, ge=1, le=200)
    default_seed: Seed = 2025
    sources: dict[Name, Text] = Field(default_factory=dict)
    trajectories: tuple[Trajectory, ...] = ()
    restriction_levels: tuple[RestrictionLevel, ...] = ()
    delay_probability: float = Field(0.15, ge=0, le=1)  # per pending investment and turn
    price_response: PriceResponse = PriceResponse()
    market: MarketParameters = MarketParameters()
    actors: tuple[Actor, ...] = Field(min_length=1)
    teams: tuple[Team, ...] = Field(min_length=1)
    materials: tuple[Material, ...] = Field(min_length=1)
    sectors: tuple[Sector, ...] = Field(min_length=1)
    capacities: tuple[CapacityEntry, ...] = ()
    stocks: tuple[StockEntry, ...] = ()
    demand: tuple[DemandEntry, ...] = ()
    trade_shares: tuple[TradeShareEntry, ...] = ()
    local_prices: tuple[LocalPrice, ...] = ()
    moves: tuple[MoveType, ...] = ()
    injects: tuple[Inject, ...] = ()
    in_force: tuple[StandingOrder, ...] = ()

    # ---- look-ups (cached; the model is frozen)
    @cached_property
    def actor_index(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.actors)}

    @cached_property
    def material_index(self) -> dict[str, int]:
        return {m.id: i for i, m in enumerate(self.materials)}

    @cached_property
    def sector_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.sectors)}

    @cached_property
    def team_index(self) -> dict[str, int]:
        return {t.id: i for i, t in enumerate(self.teams)}

    @cached_property
    def move_index(self) -> dict[str, MoveType]:
        return {m.id: m for m in self.moves}

    @cached_property
    def level_index(self) -> dict[str, RestrictionLevel]:
        return {lv.id: lv for lv in self.restriction_levels}

    @cached_property
    def _actors_by_team(self) -> dict[str, tuple[str, ...]]:
        grouped: dict[str, list[str]] = {}
        for actor in self.actors:
            if actor.team is not None:
                grouped.setdefault(actor.team, []).append(actor.id)
        return {team: tuple(ids) for team, ids in grouped.items()}

    def team_actors(self, team_id: str) -> tuple[str, ...]:
        return self._actors_by_team.get(team_id, ())

    def actor(self, actor_id: str) -> Actor:
        return self.actors[self.actor_index[actor_id]]

    def team(self, team_id: str) -> Team:
        return self.teams[self.team_index[team_id]]

    def material(self, material_id: str) -> Material:
        return self.materials[self.material_index[material_id]]

    def sector(self, sector_id: str) -> Sector:
        return self.sectors[self.sector_index[sector_id]]

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: identifies the exact rules a session was played on."""
        canonical = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True,
                               separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
