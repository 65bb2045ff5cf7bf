"""Measures in force and the investment pipeline: the typed records a ``GameState`` keeps
between turns, what happens once when a measure starts, and how investments arrive.

A ``Measure`` is one effect primitive with its arguments bound, from an order, an inject or
a standing order. It stays in the state while active and is re-applied to fresh policy
arrays every turn (``policy.py``), so a lapse needs no undo. Its ``id`` is stable (made from
the order id, the inject id and turn, or the standing order's index: ``planning.py``) because
every random draw it makes is keyed on it (``draws.py``).

A ``PipelineEntry`` is capacity being built: it arrives at the start of ``due_turn`` unless
its seeded delay draw makes it slip a turn.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from pydantic import TypeAdapter

from wargame.engine.baseline import Baseline
from wargame.engine.draws import DelayDraw, keyed_uniform
from wargame.engine.lookups import stage_index
from wargame.scenario.model import Scenario
from wargame.scenario.primitives import PERMANENT_PRIMITIVES

if TYPE_CHECKING:
    from wargame.engine.state import GameState

ORDER_GROUP = "order:"  # group prefixes: which order, inject or standing order made a measure
INJECT_GROUP = "inject:"
STANDING_GROUP = "standing:"


@dataclass(frozen=True)
class Measure:
    """One active effect. ``group`` names what made it (``order:<order id>``,
    ``inject:<inject id>``, ``standing:<index>``): explanations leave a whole group out.
    ``end_turn`` None = permanent; the measure acts on turns ``start_turn`` up to
    ``end_turn - 1``. ``public`` is False for a covert move (``MoveType.public``): other
    teams do not see it, nor explanations naming it read to the room."""

    id: str
    group: str
    label: str  # "Beijing's Export licence regime", read aloud in explanations
    team: str | None  # the team that ordered it (None for a background inject)
    primitive: str
    args: dict[str, Any]
    start_turn: int
    end_turn: int | None
    public: bool = True

    @cached_property
    def compile_key(self) -> tuple:
        """The content that decides the measure's compiled form (``policy.compiled``):
        primitive, permanence and the arguments as a canonical tuple."""
        try:
            args = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                for k, v in self.args.items()))
            hash(args)
        except TypeError:  # an unhashable argument: its repr is canonical enough
            args = (repr(sorted(self.args.items())),)
        return (self.primitive, self.end_turn is None, args)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "group": self.group, "label": self.label, "team": self.team,
                "primitive": self.primitive, "args": dict(self.args),
                "start_turn": self.start_turn, "end_turn": self.end_turn,
                "public": self.public}


@dataclass(frozen=True)
class PipelineEntry:
    """Capacity being built (``invest_capacity``, ``equity_stake``, ``recycling``).
    ``tonnes_per_year`` is what was ordered; ``tonnes_per_turn`` what it adds per turn of
    the scenario. It arrives at the start of ``due_turn`` unless it slips."""

    id: str  # the measure's id (its delay draws are keyed on it)
    group: str
    label: str
    team: str | None
    public: bool
    actor: str  # where the capacity is built
    material: str
    stage: str
    tonnes_per_year: float
    tonnes_per_turn: float
    due_turn: int
    recycled: bool = False  # recycling capacity (secondary supply)
    delay_probability: float | None = None  # None: the scenario's (or a set_parameter's)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_MEASURES = TypeAdapter(list[Measure])
_PIPELINE = TypeAdapter(list[PipelineEntry])


def measures_from_json(raw: Iterable[Mapping[str, Any]]) -> list[Measure]:
    """Stored measures back as typed ones (validated). States written before measures
    were typed (``start``/``end`` keys, no ``public``) are read too; their order measures
    are taken as covert, so an old session never shows another team's covert move."""
    items = [dict(item) for item in raw or ()]
    for item in items:
        if "start" in item and "start_turn" not in item:
            item["start_turn"] = item.pop("start")
            item["end_turn"] = item.pop("end", None)
            item.setdefault("public", not str(item.get("group", "")).startswith(ORDER_GROUP))
    return _MEASURES.validate_python(items)


def pipeline_from_json(raw: Iterable[Mapping[str, Any]], turn_fraction: float | None = None,
                       ) -> list[PipelineEntry]:
    """Stored pipeline entries back as typed ones (validated); old entries (``due``,
    ``tonnes`` per turn) are converted when the turn length is known."""
    items = [dict(item) for item in raw or ()]
    for item in items:
        if "due" in item and "due_turn" not in item:
            per_turn = float(item.pop("tonnes", 0.0))
            years = turn_fraction or 1.0
            item.update(due_turn=item.pop("due"), tonnes_per_turn=per_turn,
                        tonnes_per_year=per_turn / years, team=item.get("team"),
                        public=not str(item.get("group", "")).startswith(ORDER_GROUP))
    return _PIPELINE.validate_python(items)


# ----------------------------------------------------------------- when a measure starts

def start_measure(sc: Scenario, base: Baseline, state: "GameState", measure: Measure) -> None:
    """One-off consequences when a measure starts: capacity into the pipeline, stock, price,
    budget or political capital changes."""
    prim, args = measure.primitive, measure.args
    years = base.turn_fraction
    if prim in ("invest_capacity", "equity_stake", "recycling"):
        actor = args.get("actor") if prim != "equity_stake" else args.get("host")
        if actor not in sc.actor_index or args.get("material") not in sc.material_index:
            return
        m = sc.material_index[args["material"]]
        s = stage_index(sc, m, args.get("stage"))
        per_year = float(args.get("tonnes_per_year") or 0)
        if per_year <= 0:
            return
        lead_years = args.get("lead_time_years")
        lead = base.lead_turns[m, s] if lead_years in (None, "") else \
            max(1, round(float(lead_years) / years))
        delay = args.get("delay_probability")
        state.pipeline.append(PipelineEntry(
            id=measure.id, group=measure.group, label=measure.label, team=measure.team,
            public=measure.public, actor=actor, material=args["material"],
            stage=sc.materials[m].stages[s].id, tonnes_per_year=per_year,
            tonnes_per_turn=per_year * years, due_turn=measure.start_turn + int(lead),
            recycled=prim == "recycling",
            delay_probability=None if delay in (None, "") else float(delay)))
    elif prim == "set_parameter":
        parameter, op = args.get("parameter"), args.get("op") or "scale"
        value = float(args.get("value") or 0)
        if parameter == "capacity" and op in ("add", "set") and measure.end_turn is None:
            _permanent_capacity_change(sc, base, state, args, op, value)
            return
        if parameter in ("budget", "political_capital") and args.get("team") in sc.team_index:
            arr = state.budget if parameter == "budget" else state.political_capital
            t = sc.team_index[args["team"]]
            arr[t] = _one_off(arr[t], op, value)
        elif parameter in ("stock", "price") and args.get("material") in sc.material_index:
            m = sc.material_index[args["material"]]
            stages = [stage_index(sc, m, args["stage"])] if args.get("stage") else \
                list(range(base.stage_count[m]))
            actors = [sc.actor_index[args["actor"]]] if args.get("actor") in sc.actor_index \
                else list(range(base.n_actors))
            arr = state.stock if parameter == "stock" else state.price
            for s in stages:
                for a in actors:
                    scale = years if (parameter == "stock" and op != "scale") else 1.0
                    arr[m, s, a] = max(0.0, _one_off(arr[m, s, a], op, value * scale))


def _permanent_capacity_change(sc: Scenario, base: Baseline, state: "GameState",
                               args: dict[str, Any], op: str, value: float) -> None:
    """A permanent 'add' or 'set' of capacity (t/yr) changes the state itself, so it works
    where there was no capacity before (a new plant); new capacity runs at full rate."""
    if args.get("material") not in sc.material_index:
        return
    m = sc.material_index[args["material"]]
    stages = [stage_index(sc, m, args["stage"])] if args.get("stage") else \
        list(range(base.stage_count[m]))
    actors = [sc.actor_index[args["actor"]]] if args.get("actor") in sc.actor_index \
        else list(range(base.n_actors))
    for s in stages:
        for a in actors:
            old = state.capacity[m, s, a]
            new = max(0.0, old + value * base.turn_fraction if op == "add"
                      else value * base.turn_fraction)
            if new > old:
                _blend_new_capacity(state, m, s, a, old, new - old)
            state.capacity[m, s, a] = new


def _blend_new_capacity(state: "GameState", m: int, s: int, a: int, old: float,
                        added: float) -> None:
    """New plant runs at full rate: blend the actor's utilisation accordingly."""
    new = old + added
    state.base_utilisation[m, s, a] = (state.base_utilisation[m, s, a] * old + added) / new
    state.utilisation[m, s, a] = (state.utilisation[m, s, a] * old + added) / new


def _one_off(current: float, op: str, value: float) -> float:
    if op == "set":
        return value
    if op == "add":
        return current + value
    return current * value


# ----------------------------------------------------------------- the pipeline

def advance_pipeline(sc: Scenario, state: "GameState", turn_seed: int,
                     delay_probability: float) -> tuple[list[PipelineEntry], list[DelayDraw]]:
    """Entries due by this turn arrive (capacity added to the state) unless their keyed
    delay draw makes them slip a turn; returns (arrivals, the delay draws).
    ``delay_probability`` applies to entries that carry none of their own."""
    arrivals: list[PipelineEntry] = []
    draws: list[DelayDraw] = []
    keep: list[PipelineEntry] = []
    for entry in state.pipeline:
        if entry.due_turn > state.turn:
            keep.append(entry)
            continue
        p = delay_probability if entry.delay_probability is None else entry.delay_probability
        slip = keyed_uniform(turn_seed, f"{entry.id}:delay") < p
        draws.append(DelayDraw(
            pipeline_id=entry.id, probability=min(1.0, max(0.0, p)), slipped=bool(slip)))
        if slip:
            keep.append(dataclasses.replace(entry, due_turn=entry.due_turn + 1))
            continue
        m = sc.material_index[entry.material]
        s = sc.materials[m].stage_index(entry.stage)
        a = sc.actor_index[entry.actor]
        if entry.recycled:
            state.recycle_capacity[m, s, a] += entry.tonnes_per_turn
        else:
            old = state.capacity[m, s, a]
            _blend_new_capacity(state, m, s, a, old, entry.tonnes_per_turn)
            state.capacity[m, s, a] = old + entry.tonnes_per_turn
        arrivals.append(entry)
    state.pipeline = keep
    return arrivals, draws


# ----------------------------------------------------------------- between turns

def carry_over(measures: Iterable[Measure], turn: int) -> tuple[list[Measure], list[str]]:
    """(measures still active next turn, labels of those that lapse after ``turn``).
    Capacity investments live on as pipeline entries and new capacity, not as measures;
    an equity stake stays (its reserved share holds)."""
    kept, lapsed = [], set()
    for measure in measures:
        if measure.end_turn is not None and measure.end_turn <= turn + 1:
            lapsed.add(measure.label)
            continue
        if measure.primitive in PERMANENT_PRIMITIVES and measure.primitive != "equity_stake":
            continue
        kept.append(measure)
    return kept, sorted(lapsed)


__all__ = [
    "INJECT_GROUP", "Measure", "ORDER_GROUP", "PipelineEntry", "STANDING_GROUP",
    "advance_pipeline", "carry_over", "measures_from_json", "pipeline_from_json",
    "start_measure",
]
