"""Orders: one team's instance of a move type, its validation, and binding its parameters
into the effect primitives' arguments; and the facilitator's ``Override`` of an outcome."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from wargame.scenario.expressions import ExpressionError, evaluate, is_expression
from wargame.scenario.model import Effect, MoveType, ParamSpec, Scenario
from wargame.scenario.primitives import PRIMITIVE_ARGS, SPREAD_ARGUMENTS


FACILITATOR = "facilitator"  # the white cell: may order any move, including teams: [] ones


@dataclass(frozen=True)
class Order:
    team: str
    move: str
    params: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "team": self.team, "move": self.move, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "Order":
        return cls(team=str(raw["team"]), move=str(raw["move"]),
                   params=dict(raw.get("params") or {}), id=str(raw.get("id", "")))

    def __hash__(self) -> int:
        return hash((self.id, self.team, self.move, tuple(sorted(map(str, self.params.items())))))


class Override(BaseModel):
    """The facilitator's ruling on one order, with a written reason: ``rejected`` sets an
    order aside, ``accepted`` admits one the rules rejected, ``scaled`` multiplies one
    numeric parameter by ``factor`` before the order is checked and bound (the engine
    receives the scaled order; its outcome then reads ``overridden``)."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)
    order_id: str
    status: Literal["accepted", "rejected", "scaled"]
    reason: str = ""
    param: str | None = None
    factor: float | None = Field(None, gt=0)


def scalable_params(move: MoveType) -> tuple[ParamSpec, ...]:
    """The parameters of a move an override may scale: its numbers (not its choices of
    actor, material or stage)."""
    return tuple(spec for spec in move.params if spec.type in ("number", "integer"))


def scaled_order(move: MoveType, order: Order, param: str, factor: float
                 ) -> tuple[Order, float, float]:
    """``order`` with ``param`` multiplied by ``factor``, kept within the parameter's
    bounds (an integer rounded); returns (the order, the old value, the new value).
    ``ValueError`` when ``param`` is not a numeric parameter of the move."""
    spec = next((s for s in scalable_params(move) if s.name == param), None)
    if spec is None:
        raise ValueError(f"'{move.name}' has no numeric parameter '{param}'")
    old = float(with_defaults(move, order.params).get(param, 0) or 0)
    new = old * float(factor)
    if spec.min is not None:
        new = max(new, spec.min)
    if spec.max is not None:
        new = min(new, spec.max)
    value: float | int = int(round(new)) if spec.type == "integer" else new
    return Order(order.team, order.move, {**order.params, param: value}, order.id), old, value


def with_defaults(move: MoveType, params: dict[str, Any]) -> dict[str, Any]:
    full = {spec.name: spec.default for spec in move.params if spec.default is not None}
    full.update(params)
    return full


def order_cost(move: MoveType, params: dict[str, Any]) -> tuple[float, float]:
    """(budget USD m, political capital) an order costs when submitted."""
    budget = move.cost.budget
    if move.cost.per_unit_param:
        try:
            budget += move.cost.per_unit_budget * float(params.get(move.cost.per_unit_param, 0))
        except (TypeError, ValueError):
            pass
    return budget, move.cost.political_capital


class _Label:
    """A parameter's title, worked out only if a message needs it."""

    __slots__ = ("spec",)

    def __init__(self, spec: ParamSpec):
        self.spec = spec

    def __str__(self) -> str:
        return self.spec.title

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)


def _check_param(scenario: Scenario, team: str, spec: ParamSpec, value: Any,
                 params: dict[str, Any]) -> str | None:
    label = _Label(spec)  # formatted only into a message
    if value is None:
        return f"'{label}' is missing"
    kind = spec.type
    if kind in ("number", "integer"):
        if isinstance(value, bool):
            return f"'{label}' must be a number"
        try:
            number = float(value)
        except (TypeError, ValueError):
            return f"'{label}' must be a number, not {value!r}"
        if not math.isfinite(number):  # NaN passes every later comparison
            return f"'{label}' must be a finite number, not {number}"
        if kind == "integer" and number != int(number):
            return f"'{label}' must be a whole number"
        if spec.min is not None and number < spec.min:
            return f"'{label}' must be at least {spec.min:g} (got {number:g})"
        if spec.max is not None and number > spec.max:
            return f"'{label}' must be at most {spec.max:g} (got {number:g})"
        return None
    if kind == "choice":
        return None if value in spec.choices else \
            f"'{label}' must be one of {', '.join(spec.choices)} (got {value!r})"
    if kind == "actors":  # several actors at once
        if not isinstance(value, (list, tuple)) or not value:
            return f"'{label}' must be a list of one or more actors"
        if len(set(value)) != len(value):
            return f"'{label}' names an actor twice"
        single = spec.model_copy(update={"type": "actor"})
        for item in value:
            problem = _check_param(scenario, team, single, item, params)
            if problem:
                return problem
        return None
    known = {
        "actor": scenario.actor_index, "material": scenario.material_index,
        "sector": scenario.sector_index, "team": scenario.team_index,
    }
    if kind in known:
        if value not in known[kind]:
            return f"unknown {kind} '{value}' for '{label}'"
        if kind == "actor" and spec.scope != "any" and team != FACILITATOR:
            own = value in scenario.team_actors(team)
            if spec.scope == "own" and not own:
                return f"'{label}' must be one of your own actors"
            if spec.scope == "other" and own:
                return f"'{label}' must be another team's or a background actor"
        return None
    if kind == "stage":
        material_id = params.get(spec.material_param) if spec.material_param else None
        materials = [scenario.material(material_id)] if material_id in scenario.material_index \
            else list(scenario.materials)
        if not any(value == st.id for mat in materials for st in mat.stages):
            return f"unknown stage '{value}' for '{label}'"
        return None
    return f"parameter type '{kind}' is not supported"


def _legality(scenario: Scenario, order: Order) -> list[str]:
    """Why the order is illegal whatever the state (team, move, parameters); empty when
    it is legal. Depends on the scenario and the order's team, move and parameters only."""
    white_cell = order.team == FACILITATOR
    if order.team not in scenario.team_index and not white_cell:
        return [f"unknown team '{order.team}'"]
    move = scenario.move_index.get(order.move)
    if move is None:
        return [f"unknown move '{order.move}'"]
    if not white_cell and not move.allowed_for(order.team):
        return [f"{scenario.team(order.team).name} may not use '{move.name}'"]
    problems: list[str] = []
    params = with_defaults(move, order.params)
    declared = {spec.name for spec in move.params}
    for name in order.params:
        if name not in declared:
            problems.append(f"'{move.name}' has no parameter '{name}'")
    for spec in move.params:
        problem = _check_param(scenario, order.team, spec, params.get(spec.name), params)
        if problem:
            problems.append(problem)
    return problems


def unaffordable(scenario: Scenario, state: Any, team: str, budget: float,
                 capital: float) -> list[str]:
    """Why a team cannot pay ``budget`` (USD m) and ``capital`` in all this turn from what
    ``state`` leaves it; empty when it can (or when there is no state)."""
    if state is None:
        return []
    problems: list[str] = []
    team_idx = scenario.team_index[team]
    if budget > float(state.budget[team_idx]) + 1e-9:
        problems.append(f"not affordable: costs USD {budget:,.0f} m in all this turn, "
                        f"budget left USD {float(state.budget[team_idx]):,.0f} m")
    if capital > float(state.political_capital[team_idx]) + 1e-9:
        problems.append(f"not enough political capital: needs {capital:g} in all this turn, "
                        f"has {float(state.political_capital[team_idx]):g}")
    return problems


def validate_order(scenario: Scenario, state: Any, order: Order,
                   already: Iterable[Order] = ()) -> list[str]:
    """Reasons the order is illegal or unaffordable; empty when it may be submitted.
    ``already`` are the team's other orders this turn (their costs count)."""
    problems = _legality(scenario, order)
    if problems or order.team == FACILITATOR:
        return problems  # the white cell spends no team's budget
    move = scenario.move_index[order.move]
    budget, capital = order_cost(move, with_defaults(move, order.params))
    for other in already:
        if other.team == order.team and other.move in scenario.move_index:
            b, c = order_cost(scenario.move_index[other.move],
                              with_defaults(scenario.move_index[other.move], other.params))
            budget += b
            capital += c
    return unaffordable(scenario, state, order.team, budget, capital)


@dataclass(frozen=True)
class CheckedOrder:
    """What the rules say about an order's content alone (team, move, parameters): its
    legality problems, and, when its move exists, its parameters with defaults and its
    cost. Affordability depends on the state and is checked apart (``unaffordable``)."""

    problems: tuple[str, ...]  # empty: legal
    move: MoveType | None
    params: dict[str, Any]  # with defaults (shared by every order of this content: read only)
    budget_usd_m: float
    political_capital: float


def check_order(scenario: Scenario, order: Order) -> CheckedOrder:
    """The order's ``CheckedOrder`` (``validate_order`` without the state)."""
    move = scenario.move_index.get(order.move)
    params = with_defaults(move, order.params) if move is not None else {}
    budget, capital = order_cost(move, params) if move is not None else (0.0, 0.0)
    return CheckedOrder(tuple(_legality(scenario, order)), move, params, budget, capital)


def _value_key(value: Any) -> tuple:
    """A parameter value as a hashable tuple telling apart what the rules tell apart: the
    type (1, 1.0 and True; a list and a tuple) and a float's sign of zero (its hex)."""
    kind = value.__class__
    if kind is str or kind is int or kind is bool or value is None:
        return (kind, value)
    if isinstance(value, float):
        return (kind, value.hex())
    if kind is list or kind is tuple:
        return (kind, tuple(_value_key(item) for item in value))
    raise TypeError(f"no content key for a {kind.__name__}")


def params_key(params: dict[str, Any]) -> tuple | None:
    """Parameters as a canonical hashable tuple, for caches keyed by an order's content;
    None when a value is not a plain one (str, number, bool, None, list or tuple of those):
    then the caller works without the cache."""
    try:
        return tuple(sorted([(name, _value_key(value)) for name, value in params.items()]))
    except TypeError:
        return None


def _resolve_value(value: Any, kind: str, scenario: Scenario, params: dict[str, Any],
                   self_actor: str | None, team: str | None) -> Any:
    if isinstance(value, dict) and "value" in value:  # a literal given with its source
        value = value["value"]
    if kind in ("number", "share") and is_expression(value):  # '$tonnes * 0.96'
        try:
            return evaluate(value, params)
        except ExpressionError:
            return None  # the scenario checks refuse a bad expression before play
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name in params:  # a declared parameter named 'team' is that parameter, not
            return params[name]  # the ordering team (the white cell's budget move)
        if name == "self":
            return self_actor
        if name == "team":
            return team
        if name == "all":
            return "$all"
        return params.get(name)
    if isinstance(value, list):
        return [_resolve_value(v, kind, scenario, params, self_actor, team) for v in value]
    return value


def bind_effect_args(scenario: Scenario, primitive: str, raw_args: dict[str, Any],
                     params: dict[str, Any], self_actor: str | None,
                     team: str | None) -> dict[str, Any]:
    """Literal arguments with defaults filled and references replaced by values."""
    bound: dict[str, Any] = {}
    for name, spec in PRIMITIVE_ARGS[primitive].items():
        raw = raw_args.get(name, spec.default)
        bound[name] = _resolve_value(raw, spec.kind, scenario, params, self_actor, team)
    return bound


def spread_effect(scenario: Scenario, effect: Effect, bound: dict[str, Any],
                  params: dict[str, Any], self_actor: str | None, team: str | None,
                  ) -> list[tuple[str, dict[str, Any]]]:
    """An effect over several materials or sectors at once (``materials: [a, b]``,
    ``sectors: all``) as one argument set per material (and sector): [(id suffix
    ``:<material>``/``:<sector>``, arguments), ...]; an effect without them as [("",
    bound)]. Each part becomes its own measure, with a stable id of its own."""
    spread = [(plural, single) for plural, single in SPREAD_ARGUMENTS.items()
              if plural in effect.args and plural not in PRIMITIVE_ARGS[effect.primitive]]
    if not spread:
        return [("", bound)]
    parts: list[tuple[str, dict[str, Any]]] = [("", dict(bound))]
    for plural, single in spread:
        value = _resolve_value(effect.args[plural], plural, scenario, params, self_actor, team)
        index = scenario.material_index if single == "material" else scenario.sector_index
        if value in (None, "all", "$all"):
            items = list(index)
        else:
            items = [v for v in (value if isinstance(value, list) else [value]) if v in index]
        parts = [(suffix + f":{item}", {**args, single: item})
                 for suffix, args in parts for item in items]
    return parts


def order_duration(move: MoveType, params: dict[str, Any]) -> int:
    if isinstance(move.duration, str):
        try:
            return max(0, int(float(params.get(move.duration[1:], 1))))
        except (TypeError, ValueError):
            return 1
    return move.duration
