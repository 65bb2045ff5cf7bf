"""What happens to measures and investments over a turn: the one-off consequences when a
measure starts (capacity into the pipeline; stock, price, budget or political capital
changes), investments arriving or slipping a turn (a keyed draw), and the measures carried
to the next turn. The records themselves are ``measures.py``."""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable

from wargame.engine.baseline import Baseline
from wargame.engine.draws import DelayDraw, keyed_uniform
from wargame.engine.lookups import stage_index
from wargame.engine.measures import Measure, PipelineEntry
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario
from wargame.scenario.primitives import PERMANENT_PRIMITIVES


# ----------------------------------------------------------------- when a measure starts

def capacity_entry(sc: Scenario, base: Baseline, measure: Measure) -> PipelineEntry | None:
    """The pipeline entry a capacity-building measure (``invest_capacity``,
    ``equity_stake``, ``recycling``) makes when it starts: what was ordered (t/yr) and the
    turn it is due (start turn + lead time in turns). None for other measures."""
    prim, args = measure.primitive, measure.args
    if prim not in ("invest_capacity", "equity_stake", "recycling"):
        return None
    years = base.turn_fraction
    actor = args.get("actor") if prim != "equity_stake" else args.get("host")
    if actor not in sc.actor_index or args.get("material") not in sc.material_index:
        return None
    m = sc.material_index[args["material"]]
    s = stage_index(sc, m, args.get("stage"))
    per_year = float(args.get("tonnes_per_year") or 0)
    if per_year <= 0:
        return None
    lead_years = args.get("lead_time_years")
    lead = base.lead_turns[m, s] if lead_years in (None, "") else \
        max(1, round(float(lead_years) / years))
    delay = args.get("delay_probability")
    return PipelineEntry(
        id=measure.id, group=measure.group, label=measure.label, team=measure.team,
        public=measure.public, actor=actor, material=args["material"],
        stage=sc.materials[m].stages[s].id, tonnes_per_year=per_year,
        tonnes_per_turn=per_year * years, due_turn=measure.start_turn + int(lead),
        recycled=prim == "recycling",
        delay_probability=None if delay in (None, "") else float(delay))


# the pipeline entry of a starting capacity measure, by the measure itself: the games of a
# sweep share their measures (``planning._PlanCaches``) and an entry is immutable, so each
# is made once. Keyed by id() with the measure, scenario and baseline held in the entry,
# so an id is never reused while its entry is kept. Bounded.
_ENTRIES: dict[int, tuple[Measure, Scenario, Baseline, PipelineEntry | None]] = {}
_ENTRIES_LIMIT = 4096


def _kept_capacity_entry(sc: Scenario, base: Baseline, measure: Measure,
                         ) -> PipelineEntry | None:
    """``capacity_entry``, kept (see ``_ENTRIES``)."""
    kept = _ENTRIES.get(id(measure))
    if kept is not None and kept[0] is measure and kept[1] is sc and kept[2] is base:
        return kept[3]
    entry = capacity_entry(sc, base, measure)
    if len(_ENTRIES) >= _ENTRIES_LIMIT:
        _ENTRIES.clear()
    _ENTRIES[id(measure)] = (measure, sc, base, entry)
    return entry


def start_measure(sc: Scenario, base: Baseline, state: GameState, measure: Measure) -> None:
    """One-off consequences when a measure starts: capacity into the pipeline, stock, price,
    budget or political capital changes."""
    prim, args = measure.primitive, measure.args
    years = base.turn_fraction
    if prim in ("invest_capacity", "equity_stake", "recycling"):
        entry = _kept_capacity_entry(sc, base, measure)
        if entry is not None:
            state.pipeline.append(entry)
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
            arr = state.writable("stock" if parameter == "stock" else "price")
            for s in stages:
                for a in actors:
                    scale = years if (parameter == "stock" and op != "scale") else 1.0
                    arr[m, s, a] = max(0.0, _one_off(arr[m, s, a], op, value * scale))


def _permanent_capacity_change(sc: Scenario, base: Baseline, state: GameState,
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
            state.writable("capacity")[m, s, a] = new


def _blend_new_capacity(state: GameState, m: int, s: int, a: int, old: float,
                        added: float) -> None:
    """New plant runs at full rate: blend the actor's utilisation accordingly."""
    new = old + added
    state.writable("base_utilisation")[m, s, a] = \
        (state.base_utilisation[m, s, a] * old + added) / new
    state.writable("utilisation")[m, s, a] = (state.utilisation[m, s, a] * old + added) / new


def _one_off(current: float, op: str, value: float) -> float:
    if op == "set":
        return value
    if op == "add":
        return current + value
    return current * value


# ----------------------------------------------------------------- the pipeline

def advance_pipeline(sc: Scenario, state: GameState, turn_seed: int,
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
            state.writable("recycle_capacity")[m, s, a] += entry.tonnes_per_turn
        else:
            old = state.capacity[m, s, a]
            _blend_new_capacity(state, m, s, a, old, entry.tonnes_per_turn)
            state.writable("capacity")[m, s, a] = old + entry.tonnes_per_turn
        arrivals.append(entry)
    state.pipeline = keep
    return arrivals, draws


# ----------------------------------------------------------------- between turns

def carry_over(measures: Iterable[Measure], turn: int,
               ) -> tuple[list[Measure], list[str], list[str]]:
    """(measures still active next turn, labels and groups of those that lapse after
    ``turn``). Capacity investments live on as pipeline entries and new capacity, not as
    measures; an equity stake stays (its reserved share holds)."""
    kept, lapsed, groups = [], set(), set()
    for measure in measures:
        if measure.end_turn is not None and measure.end_turn <= turn + 1:
            lapsed.add(measure.label)
            groups.add(measure.group)
            continue
        if measure.primitive in PERMANENT_PRIMITIVES and measure.primitive != "equity_stake":
            continue
        kept.append(measure)
    return kept, sorted(lapsed), sorted(groups)


# ----------------------------------------------------------------- ending measures early

SCALED_ARGUMENTS = ("tonnes_per_year", "rate")  # what end_measure's ``scale`` multiplies


def _ends(ender: Measure, measure: Measure) -> bool:
    """Whether ``ender`` (an ``end_measure``) covers ``measure``: made by its move or
    inject, and when given, ordered by its team and on its material."""
    args = ender.args
    wanted = f"move:{args['move']}" if args.get("move") else \
        f"inject:{args['inject']}" if args.get("inject") else None
    if wanted is None or measure.source != wanted:
        return False
    if args.get("team") and measure.team != args["team"]:
        return False
    if not args.get("material"):
        return True
    covered = measure.args.get("materials")
    if covered in ("all", "$all"):
        return True
    return measure.args.get("material") == args["material"] or \
        (isinstance(covered, list) and args["material"] in covered)


def end_measures(measures: Iterable[Measure], turn: int,
                 ) -> tuple[list[Measure], list[tuple[Measure, str, Measure]]]:
    """Apply this turn's ``end_measure`` effects (a court ruling, a deal) to the measures in
    force: a covered measure ends now (it does not act this turn), or, with ``level`` or
    ``scale``, continues amended (a restriction at another level; a quota's tonnes, a
    duty's or tariff's rate times ``scale``). The enders themselves act once and are not
    kept. Returns (measures, [(ender, what it did, the measure before it), ...]) for the
    turn's record and its explanations (a what-if without the ender restores the measure)."""
    items = list(measures)
    if all(m.primitive != "end_measure" for m in items):  # nearly every turn: nothing to do
        return items, []
    enders = [m for m in items if m.primitive == "end_measure" and m.start_turn == turn]
    out: list[Measure] = []
    done: list[tuple[Measure, str, Measure]] = []
    for measure in items:
        if measure.primitive == "end_measure":
            continue
        original = measure
        for ender in enders:
            if measure is None or not _ends(ender, measure):
                continue
            level, scale = ender.args.get("level"), ender.args.get("scale")
            if level in (None, "") and scale in (None, ""):
                done.append((ender, f"ends {measure.label}", original))
                measure = None
                continue
            args = dict(measure.args)
            if level not in (None, "") and "level" in args:
                args["level"] = level
            if scale not in (None, ""):
                for key in SCALED_ARGUMENTS:
                    if isinstance(args.get(key), (int, float)):
                        args[key] = float(args[key]) * float(scale)
            done.append((ender, f"amends {measure.label}", original))
            measure = dataclasses.replace(measure, args=args)
        if measure is not None:
            out.append(measure)
    return out, done
