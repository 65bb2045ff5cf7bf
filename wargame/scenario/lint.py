"""Advisory checks of ``wargame validate --lint`` on a valid scenario: legal, but probably
not what the designer meant. Each warning carries the path of what it is about, so the
command prints it at ``FILE:LINE:COL`` like a problem.

- an inject whose condition can never hold (interval arithmetic over each indicator's
  possible range in this scenario, and the turns it is checked at);
- a move no team can use (no team allowed, dearer than every allowed team's means, or a
  coalition quorum larger than the teams that may join it);
- a material no sector demands (its price and supply met never matter);
- a number without a source (every figure written in the file should cite one).

The balance check is ``checks.balance_report``; a lint that needs a bot game (an
objective over an indicator that never changes) lives in the analysis layer
(``wargame.analysis.scenario_lint``), which the engine-free scenario layer cannot run.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from wargame.scenario.checks import Issue, Path_
from wargame.scenario.conditions import (
    INDICATORS, NEVER, Call, can_hold, lookback, parse_condition,
)
from wargame.scenario.model import Figure, Inject, MoveType, Scenario

RESTRICTING = frozenset({"export_restriction", "export_ban", "extraterritorial_rule",
                         "export_quota", "export_duty"})


def lint_issues(scenario: Scenario) -> list[Issue]:
    """Every advisory warning with its path (see the module docstring)."""
    issues: list[Issue] = []
    for index, inject in enumerate(scenario.injects):
        issues.extend(_never_holds(scenario, index, inject))
    for index, move in enumerate(scenario.moves):
        issues.extend(_unusable(scenario, index, move))
    issues.extend(_undemanded(scenario))
    issues.extend(_unsourced(scenario))
    return issues


# ----------------------------------------------------------------- conditions


def indicator_range(scenario: Scenario, call: Call) -> tuple[float, float]:
    """The values an indicator reading can take in this scenario (conservative)."""
    spec = INDICATORS[call.name]
    args = call.args
    low, high = spec.low, spec.high
    demand = {(d.actor, d.sector): 0.0 for d in scenario.demand}
    for d in scenario.demand:
        demand[(d.actor, d.sector)] += float(d.tonnes_per_year)
    if call.name == "supply_met" and demand.get((args[0], args[1]), 0.0) <= 0:
        return (1.0, 1.0)  # nothing demanded: always fully met
    if call.name == "shortfall":
        return (0.0, demand.get((args[0], args[1]), 0.0))
    if call.name == "material_met" and not any(
            d.actor == args[0] and d.material == args[1] for d in scenario.demand):
        return (1.0, 1.0)
    if call.name in ("price_index", "price") and args[0] in scenario.material_index:
        material = scenario.material(args[0])
        base = 1.0
        if call.name == "price":
            try:
                base = float(material.stages[material.stage_index(args[1])].price)
            except KeyError:
                return (low, high)
        return (base * material.price_floor_factor, base * material.price_cap_factor)
    if call.name == "ore_processed_home" and not any(
            c.actor == args[0] and c.material == args[1] and c.stage == _first_stage(
                scenario, c.material) for c in scenario.capacities):
        return (0.0, 0.0)  # mines nothing: nothing processed at home
    if call.name == "restriction" and not _can_be_restricted(scenario, args[2]):
        return (0.0, 0.0)
    return (low, high)


def _first_stage(scenario: Scenario, material_id: str) -> str | None:
    if material_id not in scenario.material_index:
        return None
    return scenario.material(material_id).stages[0].id


def _effects(scenario: Scenario) -> Iterator[Any]:
    for move in scenario.moves:
        yield from move.effects
    for inject in scenario.injects:
        yield from inject.effects


def _can_be_restricted(scenario: Scenario, material_id: str) -> bool:
    """Whether any move or inject restricts trade in the material (a literal id or a
    parameter that may name it)."""
    for effect in _effects(scenario):
        if effect.primitive in RESTRICTING:
            value = effect.args.get("material")
            if value == material_id or (isinstance(value, str) and value.startswith("$")):
                return True
    return False


def check_turns(scenario: Scenario, inject: Inject, needed: int) -> tuple[float, float]:
    """The first and last turn at which an inject's condition is checked."""
    if inject.turn is not None:
        return (float(inject.turn), float(inject.turn))
    first = max(inject.from_turn, needed + 1)
    last = min(inject.until_turn or scenario.turns, scenario.turns)
    return (float(first), float(last))


def _never_holds(scenario: Scenario, index: int, inject: Inject) -> list[Issue]:
    if inject.condition is None:
        return []
    expr = parse_condition(inject.condition)
    first, last = check_turns(scenario, inject, lookback(expr))
    path = ("injects", index, "condition")
    if first > last:
        return [Issue(path, f"can never be checked: it reads {lookback(expr)} turn(s) of "
                            f"figures, so it is first checked at turn {first:g}, after turn "
                            f"{last:g}")]
    if can_hold(expr, lambda call: indicator_range(scenario, call), (first, last)) == NEVER:
        reads = ", ".join(f"{c.name}({', '.join(c.args)}) in "
                          f"{_shown(indicator_range(scenario, c))}"
                          for c in _calls(expr))
        where = f"; {reads}" if reads else ""
        return [Issue(path, f"can never hold (checked at turns {first:g} to {last:g}"
                            f"{where}): the inject never fires")]
    return []


def _calls(expr: Any) -> list[Call]:
    from wargame.scenario.conditions import indicator_calls

    seen: dict[str, Call] = {}
    for call in indicator_calls(expr):
        seen.setdefault(call.key, call)
    return list(seen.values())


def _shown(bounds: tuple[float, float]) -> str:
    def one(value: float) -> str:
        return "infinity" if math.isinf(value) and value > 0 else \
            "-infinity" if math.isinf(value) else f"{value:g}"
    low, high = bounds
    return f"[{one(low)}, {one(high)}]" if low != high else f"always {one(low)}"


# ----------------------------------------------------------------- moves


def _unusable(scenario: Scenario, index: int, move: MoveType) -> list[Issue]:
    path = ("moves", index)
    if move.teams == ():
        return []  # `teams: []`: the facilitator's own move (the white cell may use any)
    allowed = [t for t in scenario.teams if move.allowed_for(t.id)]
    issues = []
    affordable = [t for t in allowed if move.cost.budget <= float(t.budget)
                  and move.cost.political_capital <= float(t.political_capital)]
    if not affordable:
        issues.append(Issue(path + ("cost",), f"no team can use move '{move.id}': it costs "
                                              f"more than every team allowed to use it has"))
    quorum = move.requires
    if quorum is not None:
        if quorum.teams > len(allowed):
            issues.append(Issue(path + ("requires",), f"no coalition can form: move "
                                f"'{move.id}' needs {quorum.teams} teams but only "
                                f"{len(allowed)} may use it"))
        outside = [t for t in quorum.including if t in scenario.team_index
                   and not move.allowed_for(t)]
        if outside:
            issues.append(Issue(path + ("requires", "including"),
                                f"no coalition can form: it must include "
                                f"{', '.join(outside)}, which may not use move '{move.id}'"))
    return issues


# ----------------------------------------------------------------- materials and sources


def _undemanded(scenario: Scenario) -> list[Issue]:
    issues = []
    for index, material in enumerate(scenario.materials):
        total = sum(float(d.tonnes_per_year) for d in scenario.demand
                    if d.material == material.id)
        if total <= 0:
            issues.append(Issue(("materials", index, "id"),
                                f"no sector demands material '{material.id}': its supply "
                                "and price change nothing a team is scored on; add demand "
                                "entries or remove it"))
    return issues


def _written_figures(value: Any, path: Path_) -> Iterator[tuple[Path_, Figure]]:
    """Figures the file gives (not defaults), with their paths; a material's first stage
    yield is not used, so it is not asked for a source."""
    if isinstance(value, BaseModel) and not isinstance(value, Figure):
        for name, field in type(value).model_fields.items():
            if name not in value.model_fields_set:
                continue
            item = getattr(value, name)
            shown = field.alias or name
            if isinstance(item, Figure):
                yield path + (shown,), item
            else:
                yield from _written_figures(item, path + (shown,))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _written_figures(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, Figure):
                yield path + (key,), item
            elif isinstance(item, (BaseModel, tuple, list)):
                yield from _written_figures(item, path + (key,))


def _unsourced(scenario: Scenario) -> list[Issue]:
    issues = []
    for path, figure in _written_figures(scenario, ()):
        if path[:1] == ("materials",) and path[2:] == ("stages", 0, "yield"):
            continue
        if figure.source is None:
            issues.append(Issue(path, f"the number {figure.value:g} has no source: write "
                                      f"{{value: {figure.value:g}, source: KEY}} with a key "
                                      "under 'sources:'"))
    return issues
