"""Cross-reference checks pydantic cannot do alone: ids, references, effect arguments.

Each problem carries a path (keys and list indices, as in the file) that the loader maps to
``FILE:LINE:COL``. ``balance_report`` is a separate, advisory "lint": an unbalanced
baseline is legal but drifts on a quiet turn, which misleads an exercise.
"""
from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from wargame.scenario.conditions import INDICATORS, indicator_calls, parse_condition
from wargame.scenario.expressions import ExpressionError, is_expression, references
from wargame.scenario.model import (
    STABLE_SUPPLY, Effect, Figure, MoveType, ParamSpec, Scenario,
)
from wargame.scenario.primitives import PRIMITIVE_ARGS, SETTABLE_PARAMETERS, SPREAD_ARGUMENTS, Arg

Path_ = tuple[Any, ...]
BALANCE_TOLERANCE = 0.02

# which order-parameter types may feed an argument of each kind
_PARAM_TYPES_FOR_KIND: dict[str, set[str]] = {
    "actor": {"actor"},
    "actors": {"actor", "actors"},
    "material": {"material"},
    "materials": {"material"},
    "stage": {"stage"},
    "stages": {"stage", "choice"},
    "sector": {"sector"},
    "sectors": {"sector"},
    "team": {"team"},
    "number": {"number", "integer"},
    "share": {"number"},
    "level": {"choice"},
    "parameter": {"choice"},
    "move": {"choice"},
    "inject": {"choice"},
}
_STAGE_WORDS = ("all", "first", "last")


@dataclass(frozen=True)
class Issue:
    """A problem at a path in the scenario file."""

    path: Path_
    message: str
    at_key: bool = False  # point at the key itself (a misspelt name), not its value
    ref: str | None = None  # the id the issue is about (an unknown or unused one)


def _known(ids: Iterable[str]) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
    return f"known: {shown}" if ids else "none are defined"


def _unknown(kind: str, value: Any, ids: Iterable[str], of: str = "") -> str:
    """``unknown actor 'USAA' (did you mean 'USA'? known: CHN, USA, EU)``."""
    ids = list(ids)
    close = difflib.get_close_matches(str(value), ids, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown {kind} '{value}'{of} ({hint}{_known(ids)})"


def is_figure_arg(value: Any) -> bool:
    """An effect argument written as a Figure: ``{value: 96600, source: DRC, note: ...}``."""
    return isinstance(value, dict) and "value" in value and \
        set(value) <= {"value", "source", "note"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    def __init__(self, scenario: Scenario):
        self.s = scenario
        self.issues: list[Issue] = []
        self.actors = [a.id for a in scenario.actors]
        self.teams = [t.id for t in scenario.teams]
        self.materials = {m.id: m for m in scenario.materials}
        self.sectors = [s.id for s in scenario.sectors]
        self.levels = [lv.id for lv in scenario.restriction_levels]
        self.moves = {m.id: m for m in scenario.moves}

    def add(self, path: Path_, message: str, at_key: bool = False, ref: Any = None) -> None:
        self.issues.append(Issue(tuple(path), message, at_key,
                                 ref if isinstance(ref, str) else None))

    # ---- helpers
    def ref(self, path: Path_, kind: str, value: Any, ids: Iterable[str]) -> bool:
        ids = list(ids)
        if value is not None and value not in ids:
            self.add(path, _unknown(kind, value, ids), ref=value)
            return False
        return True

    def stage_ref(self, path: Path_, material_id: str | None, stage_id: Any) -> None:
        material = self.materials.get(material_id) if material_id else None
        if material is None:
            every = sorted({st.id for m in self.s.materials for st in m.stages})
            self.ref(path, "stage", stage_id, every)
            return
        stage_ids = [st.id for st in material.stages]
        if stage_id not in stage_ids:
            self.add(path, _unknown("stage", stage_id, stage_ids,
                                    of=f" for material '{material.id}'"), ref=stage_id)

    # ---- checks
    def run(self) -> list[Issue]:
        self.duplicates()
        self.actor_team_links()
        self.baseline_entries()
        self.objectives()
        for index, move in enumerate(self.s.moves):
            self.move(index, move)
        self.injects()
        self.in_force()
        self.trade_shares()
        self.local_prices()
        self.figure_sources()
        return self.issues

    def local_prices(self) -> None:
        first: dict[tuple[str, str, str], int] = {}
        for index, entry in enumerate(self.s.local_prices):
            path = ("local_prices", index)
            self.ref(path + ("actor",), "actor", entry.actor, self.actors)
            if self.ref(path + ("material",), "material", entry.material, self.materials):
                self.stage_ref(path + ("stage",), entry.material, entry.stage)
            key = (entry.actor, entry.material, entry.stage)
            if key in first:
                self.add(path, f"duplicate local price for {'/'.join(key)} "
                               f"(also local_prices[{first[key]}])")
            first.setdefault(key, index)

    def trade_shares(self) -> None:
        first: dict[tuple[str, str, str], int] = {}
        for index, entry in enumerate(self.s.trade_shares):
            path = ("trade_shares", index)
            self.ref(path + ("importer",), "actor", entry.importer, self.actors)
            if self.ref(path + ("material",), "material", entry.material, self.materials):
                self.stage_ref(path + ("stage",), entry.material, entry.stage)
            for exporter in entry.shares:
                self.ref(path + ("shares", exporter), "actor", exporter, self.actors)
            key = (entry.importer, entry.material, entry.stage)
            if key in first:
                self.add(path, f"duplicate trade shares for {'/'.join(key)} "
                               f"(also trade_shares[{first[key]}])")
            first.setdefault(key, index)

    def duplicates(self) -> None:
        for field in ("actors", "teams", "materials", "sectors", "moves", "injects",
                      "restriction_levels", "trajectories"):
            first: dict[str, int] = {}
            for index, item in enumerate(getattr(self.s, field)):
                if item.id in first:
                    self.add((field, index, "id"),
                             f"duplicate id '{item.id}' (also {field}[{first[item.id]}])")
                else:
                    first[item.id] = index
        for index, move in enumerate(self.s.moves):
            seen: dict[str, int] = {}
            for p_index, spec in enumerate(move.params):
                if spec.name in seen:
                    self.add(("moves", index, "params", p_index, "name"),
                             f"duplicate parameter '{spec.name}' in move '{move.id}'")
                seen.setdefault(spec.name, p_index)

    def actor_team_links(self) -> None:
        for index, actor in enumerate(self.s.actors):
            self.ref(("actors", index, "team"), "team", actor.team, self.teams)
        played = {a.team for a in self.s.actors}
        for index, team in enumerate(self.s.teams):
            if team.id not in played:
                self.add(("teams", index, "id"),
                         f"team '{team.id}' plays no actor: give some actor 'team: {team.id}'",
                         ref=team.id)

    def baseline_entries(self) -> None:
        for field, keys in (("capacities", ("actor", "material", "stage")),
                            ("stocks", ("actor", "material", "stage", "strategic")),
                            ("demand", ("actor", "sector", "material"))):
            first: dict[tuple, int] = {}
            for index, entry in enumerate(getattr(self.s, field)):
                path = (field, index)
                self.ref(path + ("actor",), "actor", entry.actor, self.actors)
                if self.ref(path + ("material",), "material", entry.material, self.materials):
                    if hasattr(entry, "stage"):
                        self.stage_ref(path + ("stage",), entry.material, entry.stage)
                if hasattr(entry, "sector"):
                    self.ref(path + ("sector",), "sector", entry.sector, self.sectors)
                key = tuple(getattr(entry, k) for k in keys)
                if key in first:
                    what = "/".join(str(k) for k in key if not isinstance(k, bool))
                    self.add(path, f"duplicate entry for {what} (also {field}[{first[key]}]); "
                                   "add the figures up into one entry")
                else:
                    first[key] = index

    def objectives(self) -> None:
        needs = {"supply_met": "sector", "dependency": "origin", "price": "material"}
        for t_index, team in enumerate(self.s.teams):
            for o_index, objective in enumerate(team.objectives):
                path = ("teams", t_index, "objectives", o_index)
                self.ref(path + ("sector",), "sector", objective.sector, self.sectors)
                self.ref(path + ("origin",), "actor", objective.origin, self.actors)
                self.ref(path + ("material",), "material", objective.material, self.materials)
                self.ref(path + ("actor",), "actor", objective.actor, self.actors)
                field = needs.get(objective.indicator)
                if field and getattr(objective, field) is None:
                    self.add(path + ("indicator",),
                             f"indicator '{objective.indicator}' needs '{field}'")

    # ---- moves
    def move(self, index: int, move: MoveType) -> None:
        path = ("moves", index)
        if move.teams != "all":
            for t_index, team_id in enumerate(move.teams):
                self.ref(path + ("teams", t_index), "team", team_id, self.teams)
        params = {spec.name: spec for spec in move.params}
        for p_index, spec in enumerate(move.params):
            self.param_spec(path + ("params", p_index), spec, params)
        if move.requires is not None:
            for t_index, team_id in enumerate(move.requires.including):
                self.ref(path + ("requires", "including", t_index), "team", team_id,
                         self.teams)
        if isinstance(move.duration, str):
            self.numeric_param(path + ("duration",), move.duration[1:], params,
                               {"integer", "number"}, "duration")
        if move.cost.per_unit_param is not None:
            self.numeric_param(path + ("cost", "per_unit_param"), move.cost.per_unit_param,
                               params, {"integer", "number"}, "per_unit_param")
        for e_index, effect in enumerate(move.effects):
            self.effect(path + ("effects", e_index), effect, params, inject=None)

    def numeric_param(self, path: Path_, name: str, params: dict[str, ParamSpec],
                      types: set[str], what: str) -> None:
        if name not in params:
            self.add(path, _unknown("parameter", name, params) + f" for {what}")
        elif params[name].type not in types:
            self.add(path, f"{what} needs a number parameter, but '{name}' is a "
                           f"{params[name].type}")

    def param_spec(self, path: Path_, spec: ParamSpec, params: dict[str, ParamSpec]) -> None:
        if spec.material_param is not None:
            if spec.type != "stage":
                self.add(path + ("material_param",),
                         "material_param only applies to 'stage' parameters")
            target = params.get(spec.material_param)
            if target is None:
                self.add(path + ("material_param",),
                         _unknown("parameter", spec.material_param, params))
            elif target.type != "material":
                self.add(path + ("material_param",),
                         f"'{spec.material_param}' is a {target.type} parameter, "
                         "not a material one")
        if spec.default is not None:
            message = self.param_value_problem(spec, spec.default, params, {})
            if message:
                self.add(path + ("default",), message)

    def param_value_problem(self, spec: ParamSpec, value: Any, params: dict[str, ParamSpec],
                            given: dict[str, Any]) -> str | None:
        """What is wrong with ``value`` for a parameter (None when fine)."""
        if spec.type == "actors":
            if not isinstance(value, list) or not value:
                return f"'{spec.name}' must be a list of one or more actors"
            bad = [v for v in value if v not in self.actors]
            return _unknown("actor", bad[0], self.actors) if bad else None
        if isinstance(value, (dict, list)):
            return f"'{spec.name}' must be a single value (got a list or mapping)"
        if spec.type in ("number", "integer"):
            if not _is_number(value) or (spec.type == "integer" and value != int(value)):
                return f"'{spec.name}' must be {'a whole' if spec.type == 'integer' else 'a'} " \
                       f"number (got {value!r})"
            if spec.min is not None and value < spec.min:
                return f"'{spec.name}' must be at least {spec.min:g} (got {value:g})"
            if spec.max is not None and value > spec.max:
                return f"'{spec.name}' must be at most {spec.max:g} (got {value:g})"
            return None
        if spec.type == "choice":
            return None if value in spec.choices else \
                f"'{spec.name}' must be one of {', '.join(spec.choices)} (got {value!r})"
        if spec.type == "stage":
            material = given.get(spec.material_param) if spec.material_param else None
            if material not in self.materials:
                every = {st.id for m in self.s.materials for st in m.stages}
                return None if value in every else _unknown("stage", value, sorted(every))
            stage_ids = [st.id for st in self.materials[material].stages]
            return None if value in stage_ids else \
                _unknown("stage", value, stage_ids, of=f" for material '{material}'")
        ids = {"actor": self.actors, "material": list(self.materials), "sector": self.sectors,
               "team": self.teams}[spec.type]
        return None if value in ids else _unknown(spec.type, value, ids)

    def effect(self, path: Path_, effect: Effect, params: dict[str, ParamSpec] | None,
               inject: Any) -> None:
        table: dict[str, Arg] = PRIMITIVE_ARGS.get(effect.primitive, {})
        spread = {plural: single for plural, single in SPREAD_ARGUMENTS.items()
                  if single in table and plural not in table}
        for plural, single in spread.items():
            if plural not in effect.args:
                continue
            if effect.args.get(single) is not None:
                self.add(path + (plural,), f"give '{single}' or '{plural}', not both")
            self.arg_value(path + (plural,), plural, plural, effect.args[plural], effect,
                           params, inject)
        for name in effect.args:
            if name in spread:
                continue
            if name not in table:
                close = difflib.get_close_matches(name, list(table), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.add(path + (name,), f"unknown argument '{name}' for {effect.primitive} "
                                         f"({hint}allowed: {', '.join(table)})", at_key=True)
        for name, arg in table.items():
            if name in effect.args:
                value = effect.args[name]
                if value is None and arg.required:
                    self.add(path + (name,), f"{effect.primitive} needs a value for '{name}'")
                elif value is not None:
                    self.arg_value(path + (name,), name, arg.kind, value, effect, params,
                                   inject)
            elif arg.required and not any(single == name and plural in effect.args
                                          for plural, single in spread.items()):
                self.add(path, f"{effect.primitive} needs '{name}' ({arg.kind})")
            elif arg.kind == "level" and isinstance(arg.default, str) \
                    and arg.default not in self.levels:
                self.add(path, f"{effect.primitive} uses restriction level '{arg.default}' "
                               f"when 'level' is not given, but no such level is defined "
                               f"({_known(self.levels)})")
        if effect.primitive == "set_parameter":
            self.set_parameter(path, effect)
        if effect.primitive == "export_quota" and \
                (effect.args.get("material") is None) == (effect.args.get("materials") is None):
            self.add(path, "export_quota needs 'material' or 'materials' (one of them)")
        if effect.primitive == "end_measure" and \
                (effect.args.get("move") is None) == (effect.args.get("inject") is None):
            self.add(path, "end_measure needs 'move' or 'inject' (one of them): the measures "
                           "to end or amend")

    def set_parameter(self, path: Path_, effect: Effect) -> None:
        parameter = effect.args.get("parameter")
        selectors = SETTABLE_PARAMETERS.get(parameter) if isinstance(parameter, str) else None
        if selectors is None:
            return
        missing = [name for name in selectors if effect.args.get(name) is None]
        if missing:
            self.add(path, f"set_parameter of '{parameter}' needs "
                           + " and ".join(f"'{name}'" for name in missing))

    def arg_value(self, path: Path_, name: str, kind: str, value: Any, effect: Effect,
                  params: dict[str, ParamSpec] | None, inject: Any) -> None:
        if is_figure_arg(value):  # {value, source, note}: a literal with its source
            source = value.get("source")
            if source is not None and source not in self.s.sources:
                self.add(path + ("source",), _unknown("source", source, self.s.sources)
                         + "; add it under 'sources:'")
            value = value["value"]
            path = path + ("value",)
        if kind in ("materials", "sectors") and isinstance(value, str) and value in ("all", "$all"):
            return
        if kind in ("actors", "stages", "materials", "sectors") and isinstance(value, list):
            if not value:
                self.add(path, f"'{name}' must not be an empty list")
            single = kind[:-1]
            for index, item in enumerate(value):
                if isinstance(item, str) and item in ("$all", "all"):
                    self.add(path + (index,), f"'{item}' cannot be inside a list")
                else:
                    self.arg_value(path + (index,), name, single, item, effect, params, inject)
            return
        if isinstance(value, (dict, list)):
            self.add(path, f"'{name}' must be a single value, not a "
                           f"{'list' if isinstance(value, list) else 'mapping'}")
            return
        if kind in ("number", "share") and is_expression(value):
            self.expression(path, name, value, params)
            return
        if isinstance(value, str) and value.startswith("$"):
            self.reference(path, name, kind, value, effect, params, inject)
            return
        if kind in ("actor", "actors"):
            if isinstance(value, str):
                self.ref(path, "actor", value, self.actors)
            else:
                self.add(path, f"'{name}' must be an actor id (got {value!r})")
        elif kind in ("material", "materials"):
            self.ref(path, "material", value, self.materials)
        elif kind in ("stage", "stages"):
            if kind == "stages" and value in _STAGE_WORDS:
                return
            material = effect.args.get("material")
            literal_material = material if isinstance(material, str) and \
                not material.startswith("$") else None
            self.stage_ref(path, literal_material, value)
        elif kind in ("sector", "sectors"):
            self.ref(path, "sector", value, self.sectors)
        elif kind == "team":
            self.ref(path, "team", value, self.teams)
        elif kind == "level":
            self.ref(path, "restriction level", value, self.levels)
        elif kind == "number":
            if not _is_number(value):
                self.add(path, f"'{name}' must be a number (got {value!r})")
        elif kind == "share":
            if not _is_number(value) or not 0 <= value <= 1:
                self.add(path, f"'{name}' must be a share between 0 and 1 (got {value!r})")
        elif kind == "parameter":
            if value not in SETTABLE_PARAMETERS:
                self.add(path, _unknown("settable parameter", value, SETTABLE_PARAMETERS))
        elif kind == "move":
            self.ref(path, "move", value, self.moves)
        elif kind == "inject":
            self.ref(path, "inject", value, [i.id for i in self.s.injects])
        elif kind.startswith("choice:"):
            options = kind.split(":", 1)[1].split("|")
            if value not in options:
                self.add(path, f"'{name}' must be one of {', '.join(options)} (got {value!r})")

    def expression(self, path: Path_, name: str, value: str,
                   params: dict[str, ParamSpec] | None) -> None:
        """Arithmetic in a number argument: numbers, $parameters of number type, + - * /
        and parentheses (``expressions.py``)."""
        try:
            names = references(value)
        except ExpressionError as exc:
            self.add(path, f"'{name}': {exc}")
            return
        for ref in names:
            if params is None:
                self.add(path, f"'{name}': injects have no parameters (${ref}); write numbers")
            elif ref not in params:
                self.add(path, f"'{name}': " + _unknown("parameter", "$" + ref,
                                                        ["$" + p for p in params]))
            elif params[ref].type not in ("number", "integer"):
                self.add(path, f"'{name}': ${ref} is a {params[ref].type} parameter; "
                               "arithmetic needs numbers")

    def reference(self, path: Path_, name: str, kind: str, value: str, effect: Effect,
                  params: dict[str, ParamSpec] | None, inject: Any) -> None:
        if value == "$self":
            if kind not in ("actor", "actors"):
                self.add(path, f"'$self' is an actor, but '{name}' needs a {kind}")
            elif inject is not None and inject.by is None:
                self.add(path, "'$self' in an inject needs the inject's 'by' actor")
            return
        if value == "$team":
            if kind != "team":
                self.add(path, f"'$team' is a team, but '{name}' needs a {kind}")
            elif inject is not None and (inject.by is None or inject.by not in self.actors
                                         or self.s.actor(inject.by).team is None):
                self.add(path, "'$team' in an inject needs a 'by' actor that a team plays")
            return
        if value == "$all":
            if kind != "actors":
                self.add(path, f"'$all' means every other actor; '{name}' needs one {kind}")
            return
        param_name = value[1:]
        if params is None:
            self.add(path, f"'{value}': injects have no parameters; write the value itself")
            return
        spec = params.get(param_name)
        if spec is None:
            self.add(path, _unknown("parameter", value, ["$" + p for p in params])
                     + " ($self, $team and $all are also allowed where they fit)")
            return
        if kind.startswith("choice:"):
            options = kind.split(":", 1)[1].split("|")
            if spec.type != "choice":
                self.add(path, f"'{name}' needs a choice parameter, but '{value}' is a "
                               f"{spec.type}")
            else:
                bad = [c for c in spec.choices if c not in options]
                if bad:
                    self.add(path, f"choices {', '.join(bad)} of '{value}' are not valid for "
                                   f"'{name}' (allowed: {', '.join(options)})")
            return
        allowed = _PARAM_TYPES_FOR_KIND.get(kind, set())
        if spec.type not in allowed:
            self.add(path, f"'{name}' needs a {kind}, but parameter '{value}' is a {spec.type}")
            return
        if kind == "level":
            for choice in spec.choices:
                if choice not in self.levels:
                    self.add(path, f"choice '{choice}' of '{value}' is not a restriction "
                                   f"level ({_known(self.levels)})")
        elif kind in ("move", "inject"):
            known = self.moves if kind == "move" else [i.id for i in self.s.injects]
            for choice in spec.choices:
                if choice not in known:
                    self.add(path, f"choice '{choice}' of '{value}' is not a {kind} id "
                                   f"({_known(known)})")
        elif kind == "parameter":
            for choice in spec.choices:
                if choice not in SETTABLE_PARAMETERS:
                    self.add(path, f"choice '{choice}' of '{value}' is not a settable "
                                   f"parameter ({_known(SETTABLE_PARAMETERS)})")
        elif kind == "share":
            if (spec.min is not None and spec.min < 0) or (spec.max is not None
                                                            and spec.max > 1):
                self.add(path, f"'{name}' is a share (0..1), so parameter '{value}' needs "
                               "min >= 0 and max <= 1")
        elif kind == "stages" and spec.type == "choice":
            material = effect.args.get("material")
            stage_ids = [st.id for st in self.materials[material].stages] \
                if isinstance(material, str) and material in self.materials else \
                sorted({st.id for m in self.s.materials for st in m.stages})
            for choice in spec.choices:
                if choice not in stage_ids and choice not in _STAGE_WORDS:
                    self.add(path, f"choice '{choice}' of '{value}' is not a stage "
                                   f"({_known(stage_ids + list(_STAGE_WORDS))})")
        elif kind in ("stage", "stages"):
            material = effect.args.get("material")
            if isinstance(material, str) and material.startswith("$") \
                    and spec.material_param is not None \
                    and spec.material_param != material[1:]:
                self.add(path, f"parameter '{value}' offers stages of "
                               f"'${spec.material_param}' but the material here is "
                               f"'{material}'")

    # ---- injects and standing orders
    def injects(self) -> None:
        for index, inject in enumerate(self.s.injects):
            path = ("injects", index)
            self.ref(path + ("by",), "actor", inject.by, self.actors)
            if inject.turn is not None and inject.turn > self.s.turns:
                self.add(path + ("turn",), f"turn {inject.turn} is after the last turn "
                                           f"({self.s.turns}); it would never fire")
            if inject.until_turn is not None and inject.until_turn < inject.from_turn:
                self.add(path + ("until_turn",), f"until_turn {inject.until_turn} is before "
                                                 f"from_turn {inject.from_turn}")
            for e_index, effect in enumerate(inject.effects):
                self.effect(path + ("effects", e_index), effect, None, inject=inject)
            if inject.condition is not None:
                self.condition(path + ("condition",), inject.condition)
            ids = [i.id for i in self.s.injects]
            for f_index, follow_up in enumerate(inject.follow_ups):
                self.ref(path + ("follow_ups", f_index, "inject"), "inject", follow_up.inject,
                         ids)

    def condition(self, path: Path_, text: str) -> None:
        """Every id a condition names must exist (its syntax was checked by the model)."""
        for call in indicator_calls(parse_condition(text)):
            spec = INDICATORS[call.name]
            material = None
            for kind, value in zip(spec.args, call.args):
                if kind == "material":
                    material = value
                known = self.stage_ids(material) if kind == "stage" else {
                    "actor": self.actors, "sector": self.sectors, "team": self.teams,
                    "material": list(self.materials),
                    "inject": [i.id for i in self.s.injects]}[kind]
                if value not in known:
                    of = f" of material '{material}'" if kind == "stage" and material else ""
                    self.add(path, _unknown(kind, value, known, of=of)
                             + f" in {call.name}({', '.join(call.args)})", ref=value)

    def stage_ids(self, material_id: str | None) -> list[str]:
        material = self.materials.get(material_id) if material_id else None
        if material is None:
            return sorted({st.id for m in self.s.materials for st in m.stages})
        return [st.id for st in material.stages]

    def in_force(self) -> None:
        for index, order in enumerate(self.s.in_force):
            path = ("in_force", index)
            team_ok = self.ref(path + ("team",), "team", order.team, self.teams)
            move = self.moves.get(order.move)
            if move is None:
                self.add(path + ("move",), _unknown("move", order.move, self.moves),
                         ref=order.move)
                continue
            if team_ok and not move.allowed_for(order.team):
                self.add(path + ("team",), f"team '{order.team}' may not use move "
                                           f"'{move.id}' (teams: {', '.join(move.teams)})")
            params = {spec.name: spec for spec in move.params}
            given = {spec.name: spec.default for spec in move.params if spec.default is not None}
            given.update(order.params)
            for name in order.params:
                if name not in params:
                    self.add(path + ("params", name),
                             _unknown("parameter", name, params, of=f" of move '{move.id}'"),
                             at_key=True)
            for spec in move.params:
                if spec.name not in given:
                    self.add(path + ("params",), f"move '{move.id}' needs parameter "
                                                 f"'{spec.name}' ({spec.type})")
                elif spec.name in order.params:
                    message = self.param_value_problem(spec, order.params[spec.name], params,
                                                       given)
                    if message:
                        self.add(path + ("params", spec.name), message)

    # ---- figures
    def figure_sources(self) -> None:
        for path, figure in _figures(self.s, ()):
            if figure.source is not None and figure.source not in self.s.sources:
                self.add(path + ("source",),
                         _unknown("source", figure.source, self.s.sources)
                         + "; add it under 'sources:'")


@functools.lru_cache(maxsize=None)
def _fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, name in the file) of a model's fields (``model_fields`` is slow)."""
    return tuple((name, field.alias or name) for name, field in model.model_fields.items())


def _figures(value: Any, path: Path_) -> Iterator[tuple[Path_, Figure]]:
    if isinstance(value, Figure):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, shown in _fields(type(value)):
            yield from _figures(getattr(value, name), path + (shown,))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _figures(item, path + (index,))


def check_scenario(scenario: Scenario) -> list[Issue]:
    """Every cross-reference problem of a structurally valid scenario."""
    return _Checker(scenario).run()


# --------------------------------------------------------------------------- balance lint


def world_output(scenario: Scenario, material_id: str, recycled: bool | None = None) -> list[float]:
    """Annual world output per stage of a material (output, or capacity when not given);
    ``recycled`` True/False keeps only secondary/primary entries, None counts both."""
    material = scenario.material(material_id)
    totals = [0.0] * len(material.stages)
    for entry in scenario.capacities:
        if entry.material == material_id and (recycled is None or entry.recycled == recycled):
            try:
                stage = material.stage_index(entry.stage)
            except KeyError:
                continue
            totals[stage] += float(entry.output if entry.output is not None else entry.capacity)
    return totals


def _apart(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b)) if max(abs(a), abs(b)) > 0 else 0.0


def balance_report(scenario: Scenario, tolerance: float = BALANCE_TOLERANCE) -> list[str]:
    """Warnings where a material's baseline does not balance (see scenarios/README.md):
    world output at stage s x yield of stage s+1 should match world output at s+1, and the
    last stage's world output should match world demand."""
    warnings = []
    for material in scenario.materials:
        # recycled output needs no input from the stage above: it only adds supply
        out = world_output(scenario, material.id)
        primary = world_output(scenario, material.id, recycled=False)
        stages = material.stages
        for s in range(len(stages) - 1):
            fed = out[s] * float(stages[s + 1].yield_)
            if _apart(fed, primary[s + 1]) > tolerance:
                warnings.append(
                    f"material '{material.id}': stage '{stages[s].id}' world output "
                    f"{out[s]:,.0f} t x yield {float(stages[s + 1].yield_):g} of "
                    f"'{stages[s + 1].id}' = {fed:,.0f} t, but '{stages[s + 1].id}' world "
                    f"primary output is {primary[s + 1]:,.0f} t "
                    f"({_apart(fed, primary[s + 1]):.0%} apart)")
        demand = sum(float(d.tonnes_per_year) for d in scenario.demand
                     if d.material == material.id)
        if _apart(out[-1], demand) > tolerance:
            warnings.append(
                f"material '{material.id}': last stage '{stages[-1].id}' world output "
                f"{out[-1]:,.0f} t/yr but world demand is {demand:,.0f} t/yr "
                f"({_apart(out[-1], demand):.0%} apart)")
    return warnings


# --------------------------------------------------------------------------- other lint

_BUILDERS = ("invest_capacity", "equity_stake", "recycling")


def own_use(scenario: Scenario) -> dict[tuple[str, str, str], float]:
    """Each (actor, material, stage)'s own use per year in the baseline: what its next
    stage takes in (output / yield), or its sectors' demand at the last stage."""
    use: dict[tuple[str, str, str], float] = {}
    for entry in scenario.capacities:
        if entry.recycled or entry.material not in scenario.material_index:
            continue
        material = scenario.material(entry.material)
        ids = [st.id for st in material.stages]
        if entry.stage not in ids or ids.index(entry.stage) == 0:
            continue
        index = ids.index(entry.stage)
        out = float(entry.output if entry.output is not None else entry.capacity)
        key = (entry.actor, entry.material, ids[index - 1])
        use[key] = use.get(key, 0.0) + out / max(float(material.stages[index].yield_), 1e-9)
    for entry in scenario.demand:
        if entry.material in scenario.material_index:
            key = (entry.actor, entry.material, scenario.material(entry.material).stages[-1].id)
            use[key] = use.get(key, 0.0) + float(entry.tonnes_per_year)
    return use


def stock_days_report(scenario: Scenario) -> list[str]:
    """A stock given in days of use for an actor that has no use of that stage holds
    nothing: the designer probably meant tonnes, or another stage."""
    use = own_use(scenario)
    warnings = []
    for index, entry in enumerate(scenario.stocks):
        if entry.days is None or float(entry.days) <= 0:
            continue
        if use.get((entry.actor, entry.material, entry.stage), 0.0) <= 0.0:
            warnings.append(
                f"stocks[{index}]: {float(entry.days):g} days of {entry.actor}'s use of "
                f"'{entry.material}' at stage '{entry.stage}' is 0 t: {entry.actor} neither "
                f"processes nor consumes that stage's product in the baseline; give tonnes, "
                f"or the stage it does use")
    return warnings


def _literal(value: Any, params: dict[str, ParamSpec]) -> Any:
    """A literal argument, or a parameter's default (None when neither is known)."""
    if isinstance(value, str) and value.startswith("$"):
        spec = params.get(value[1:])
        return spec.default if spec is not None else None
    if is_figure_arg(value):
        return value["value"]
    return value


def _lead_years(scenario: Scenario, effect: Effect, params: dict[str, ParamSpec]) -> float | None:
    lead = _literal(effect.args.get("lead_time_years"), params)
    if effect.primitive == "recycling" and lead is None:
        lead = 2.0  # the primitive's default
    if _is_number(lead):
        return float(lead)
    material = _literal(effect.args.get("material"), params)
    stage = _literal(effect.args.get("stage"), params)
    if material not in scenario.material_index:
        return None
    stages = scenario.material(material).stages
    found = [st for st in stages if st.id == stage]
    return float(found[0].lead_time_years) if found else None


def arrival_report(scenario: Scenario) -> list[str]:
    """Investments that cannot arrive before the exercise ends: a scheduled inject whose
    lead time runs past the last turn, and a move whose lead time (with its parameters'
    defaults) is longer than the whole exercise."""
    years = scenario.turn_length_months / 12.0
    warnings = []
    for index, inject in enumerate(scenario.injects):
        first = inject.turn if inject.turn is not None else inject.from_turn
        for e_index, effect in enumerate(inject.effects):
            if effect.primitive not in _BUILDERS:
                continue
            lead = _lead_years(scenario, effect, {})
            if lead is None:
                continue
            arrives = first + max(1, round(lead / years))
            if arrives > scenario.turns:
                warnings.append(
                    f"injects[{index}].effects[{e_index}]: inject '{inject.id}' at turn "
                    f"{first} adds capacity with a {lead:g}-year lead time, due at turn "
                    f"{arrives}, after the last turn ({scenario.turns}): it never arrives")
    for index, move in enumerate(scenario.moves):
        params = {spec.name: spec for spec in move.params}
        for e_index, effect in enumerate(move.effects):
            if effect.primitive not in _BUILDERS:
                continue
            lead = _lead_years(scenario, effect, params)
            if lead is None:
                continue
            turns = max(1, round(lead / years))
            if 1 + turns > scenario.turns:
                warnings.append(
                    f"moves[{index}].effects[{e_index}]: move '{move.id}' builds capacity with "
                    f"a {lead:g}-year lead time ({turns} turns): even ordered on turn 1 it "
                    f"arrives after the last turn ({scenario.turns})")
    return warnings


def stability_report(scenario: Scenario) -> list[str]:
    """Materials whose producers answer price less than ``market.supply_elasticity`` says:
    the engine caps the run-rate elasticity at ``STABLE_SUPPLY`` x the material's short-run
    demand elasticity, so that supply and demand answering each other's last price cannot
    swing wider every turn (a cobweb)."""
    wanted = float(scenario.market.supply_elasticity.value)
    out = []
    for index, material in enumerate(scenario.materials):
        cap = STABLE_SUPPLY * max(float(material.elasticity.value), 0.02)
        if wanted > cap + 1e-12:
            out.append(f"materials[{index}] ({material.id}): supply answers price with "
                       f"elasticity {cap:g}, not market.supply_elasticity {wanted:g}: at most "
                       f"{STABLE_SUPPLY:g} x its short-run demand elasticity "
                       f"({float(material.elasticity.value):g}), so prices cannot swing wider "
                       "every turn")
    return out


def lint_report(scenario: Scenario) -> list[str]:
    """Every advisory warning of ``wargame validate --lint``."""
    return balance_report(scenario) + stock_days_report(scenario) + arrival_report(scenario) \
        + stability_report(scenario)
