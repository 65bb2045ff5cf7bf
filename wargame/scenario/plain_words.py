"""A scenario's moves, injects and conditions in plain words, for people who do not read
YAML: the briefing book (``wargame scenario-doc``) and the facilitator's deck list.

Pure text from the validated model: ids become names, ``$param`` references become "the
<parameter> chosen", ``$self`` the ordering team's country (or an inject's ``by`` actor).
"""
from __future__ import annotations

from typing import Any

from wargame.scenario.conditions import (
    Arithmetic, Call, Compare, Expr, HeldFor, Logic, Name, Negate, Not, Number, TRADE_STATUS,
    parse_condition,
)
from wargame.scenario.model import Effect, Inject, MoveType, Scenario
from wargame.scenario.expressions import is_expression, with_names
from wargame.scenario.primitives import PRIMITIVE_ARGS

_STAGE_WORDS = {"all": "every stage", "first": "the first stage", "last": "the last stage"}


class _Words:
    """Names for one move's or inject's arguments."""

    def __init__(self, sc: Scenario, move: MoveType | None = None, inject: Inject | None = None):
        self.sc = sc
        self.move = move
        self.inject = inject

    def param(self, name: str) -> str:
        if self.move is not None:
            for spec in self.move.params:
                if spec.name == name:
                    return f"the chosen {spec.title.lower()}"
        return f"the chosen {name.replace('_', ' ')}"

    def actor(self, value: Any) -> str:
        if isinstance(value, list):
            return _join([self.actor(v) for v in value])
        if value == "$self":
            if self.inject is not None and self.inject.by in self.sc.actor_index:
                return self.sc.actor(self.inject.by).name
            if self.move is not None and self.move.teams != "all" and len(self.move.teams) == 1:
                own = self.sc.team_actors(self.move.teams[0])
                if own:  # a move of one team: its country by name
                    return self.sc.actor(own[0]).name
            return "the ordering team's country"
        if value == "$all":
            return "every other country"
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        return self.sc.actor(value).name if value in self.sc.actor_index else str(value)

    def team(self, value: Any) -> str:
        if value == "$team":
            if self.inject is not None and self.inject.by in self.sc.actor_index:
                team = self.sc.actor(self.inject.by).team
                return self.sc.team(team).name if team else "nobody"
            if self.move is not None and self.move.teams != "all" and len(self.move.teams) == 1 \
                    and self.move.teams[0] in self.sc.team_index:
                return self.sc.team(self.move.teams[0]).name
            return "the ordering team"
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        return self.sc.team(value).name if value in self.sc.team_index else str(value)

    def material(self, value: Any) -> str:
        if value in ("all", "$all"):
            return "every material"
        if isinstance(value, list):
            return _join([self.material(v) for v in value])
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        return self.sc.material(value).name if value in self.sc.material_index else str(value)

    def stage(self, value: Any, material: Any) -> str:
        if isinstance(value, list):
            return _join([self.stage(v, material) for v in value])
        if value in _STAGE_WORDS:
            return _STAGE_WORDS[value]
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        if material in self.sc.material_index:
            for stage in self.sc.material(material).stages:
                if stage.id == value:
                    return stage.name.lower()
        return str(value)

    def sector(self, value: Any) -> str:
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        return self.sc.sector(value).name if value in self.sc.sector_index else str(value)

    def number(self, value: Any, share: bool = False, unit: str = "") -> str:
        if isinstance(value, dict) and "value" in value:  # {value, source}
            value = value["value"]
        if isinstance(value, str) and is_expression(value):  # '$tonnes * 0.96'
            return with_names(value, self.param)
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:.0%}" if share else f"{_number(value)}{unit}"
        return str(value)

    def level(self, value: Any) -> str:
        if isinstance(value, str) and value.startswith("$"):
            return self.param(value[1:])
        found = self.sc.level_index.get(value) if isinstance(value, str) else None
        if found is None:
            return str(value)
        return f"{found.name.lower()} (about {found.mean:.0%} of requests approved)"


def _number(value: float) -> str:
    """1,500 and 150,000 rather than 1.5e+03; small numbers as written (0.8, 2.5)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _args(effect: Effect) -> dict[str, Any]:
    """The effect's arguments with the primitive's defaults filled in."""
    table = PRIMITIVE_ARGS.get(effect.primitive, {})
    out = {name: arg.default for name, arg in table.items() if not arg.required}
    out.update(effect.args)
    return out


def effect_in_words(sc: Scenario, effect: Effect, move: MoveType | None = None,
                    inject: Inject | None = None) -> str:
    """One effect as a sentence: "China licenses exports of NdPr (magnet) to ..."."""
    w = _Words(sc, move, inject)
    a = _args(effect)
    p = effect.primitive
    material = a.get("material")
    mat = w.material(material if material is not None or a.get("materials") is None
                     else a["materials"])
    if p == "export_restriction":
        return (f"{w.actor(a['exporter'])} licenses exports of {mat} "
                f"({w.stage(a['stages'], material)}) to {w.actor(a['importers'])}: "
                f"{w.level(a.get('level'))}")
    if p == "extraterritorial_rule":
        return (f"{w.actor(a['author'])} requires its licence for goods sent to "
                f"{w.actor(a['importers'])} that hold at least "
                f"{w.number(a['threshold'], share=True)} of {mat} "
                f"({w.stage(a['stages'], material)}) of its origin: {w.level(a['level'])}")
    if p == "export_ban":
        return (f"{w.actor(a['exporter'])} bans exports of {mat} "
                f"({w.stage(a['stages'], material)}) to {w.actor(a['importers'])}")
    if p == "export_quota":
        shared = " (one tonnage shared, the dearest first)" \
            if a.get("materials") not in (None, "") else ""
        per = " to each destination" if a.get("per") == "destination" else ""
        leak = a.get("leakage_share")
        leaks = "the scenario's leakage share" if leak is None else \
            w.number(leak, share=True)
        return (f"{w.actor(a['exporter'])} caps exports of {mat}{shared} "
                f"({w.stage(a['stages'], material)}) to {w.actor(a['importers'])} at "
                f"{w.number(a['tonnes_per_year'])} t/yr{per} (leakage: {leaks})")
    if p == "export_duty":
        return (f"{w.actor(a['exporter'])} puts a {w.number(a['rate'], share=True)} export "
                f"duty on {mat} ({w.stage(a['stages'], material)}) to "
                f"{w.actor(a['importers'])}; the revenue goes to it")
    if p == "end_measure":
        kind = "move" if a.get("move") else "inject"  # validated: one of the two is given
        source = a.get(kind)
        named = w.param(source[1:]) if isinstance(source, str) and source.startswith("$") \
            else f"'{source}'"
        what = f"the measures of {kind} {named}"
        if a.get("team"):
            what += f" ordered by {w.team(a['team'])}"
        if a.get("material"):
            what += f" on {mat}"
        if a.get("level") not in (None, ""):
            return f"{what} continue at {w.level(a['level'])}"
        if a.get("scale") not in (None, ""):
            return f"{what} continue with their tonnes or rate x {w.number(a['scale'])}"
        return f"{what} end now"
    if p == "invest_capacity":
        lead = a.get("lead_time_years")
        when = (f"ready after {w.number(lead)} years" if lead is not None
                else "ready after the stage's lead time")
        return (f"{w.actor(a['actor'])} builds {w.number(a['tonnes_per_year'])} t/yr of "
                f"{mat} capacity ({w.stage(a['stage'], material)}), {when}, and may slip")
    if p == "equity_stake":
        return (f"{w.actor(a['investor'])} takes a stake in {mat} "
                f"({w.stage(a['stage'], material)}) in {w.actor(a['host'])}: "
                f"{w.number(a['tonnes_per_year'])} t/yr "
                f"of new capacity financed and {w.number(a['reserved_share'], share=True)} of "
                f"the output reserved for {w.actor(a['investor'])}")
    if p == "offtake":
        return (f"{w.actor(a['buyer'])} reserves {w.number(a['share'], share=True)} of the "
                f"{mat} output ({w.stage(a['stage'], material)}) of {w.actor(a['seller'])}")
    if p == "price_floor":
        return (f"{w.team(a['payer'])} guarantees {w.actor(a['producer'])} at least USD "
                f"{w.number(a['floor'])}/kg for {mat} ({w.stage(a['stage'], material)}), "
                "paying the gap from its budget")
    if p == "stockpile":
        verb = {"build": "buys into", "release": "releases from"}.get(a.get("action"),
                                                                      "moves")
        return (f"{w.actor(a['actor'])} {verb} its strategic stock of {mat} "
                f"({w.stage(a['stage'], material)}): {w.number(a['tonnes'])} t a turn")
    if p == "recycling":
        return (f"{w.actor(a['actor'])} adds {w.number(a['tonnes_per_year'])} t/yr of "
                f"recycled {mat} ({w.stage(a['stage'], material)}), after "
                f"{w.number(a['lead_time_years'])} years")
    if p == "substitution":
        return (f"the {w.sector(a['sector'])} of {w.actor(a['actor'])} cuts its use of {mat} by "
                f"{w.number(a['share'], share=True)}, starting after "
                f"{w.number(a['lag_turns'])} turns and ramping up")
    if p == "tariff":
        return (f"{w.actor(a['importer'])} puts a {w.number(a['rate'], share=True)} tariff on "
                f"{mat} ({w.stage(a['stages'], material)}) from {w.actor(a['exporters'])}")
    if p == "tech_export_control":
        return (f"{w.actor(a['author'])} withholds technology from the "
                f"{w.sector(a['sector'])} of {w.actor(a['target'])}: "
                f"{w.number(a['severity'], share=True)} of its output cannot be made")
    if p == "set_parameter":
        return _set_parameter(w, a)
    shown = ", ".join(f"{k} {v}" for k, v in effect.args.items())
    return f"{p.replace('_', ' ')}: {shown}" if shown else p.replace("_", " ")


def _set_parameter(w: _Words, a: dict[str, Any]) -> str:
    parameter = a.get("parameter")
    what = w.param(parameter[1:]) if isinstance(parameter, str) and parameter.startswith("$") \
        else str(parameter).replace("_", " ")
    whose = []
    if a.get("actor") is not None:
        whose.append(w.actor(a["actor"]))
    if a.get("team") is not None:
        whose.append(w.team(a["team"]))
    if a.get("sector") is not None:
        whose.append(w.sector(a["sector"]))
    if a.get("material") is not None:
        stage = f" ({w.stage(a['stage'], a['material'])})" if a.get("stage") else ""
        whose.append(w.material(a["material"]) + stage)
    of = f" of {', '.join(whose)}" if whose else ""
    value = w.number(a.get("value"))
    op = a.get("op", "scale")
    if op == "set":
        return f"sets {what}{of} to {value}"
    if op == "add":
        return f"adds {value} to {what}{of}"
    return f"multiplies {what}{of} by {value}"


def move_in_words(sc: Scenario, move: MoveType) -> list[str]:
    return [effect_in_words(sc, effect, move=move) for effect in move.effects]


def who_may_use(sc: Scenario, move: MoveType) -> str:
    if move.teams == "all":
        return "every team"
    if not move.teams:
        return "the facilitator only"
    return _join([sc.team(t).name if t in sc.team_index else t for t in move.teams])


def cost_in_words(move: MoveType) -> str:
    parts = []
    if move.cost.budget:
        parts.append(f"USD {move.cost.budget:,.4g} m")
    if move.cost.per_unit_param:
        parts.append(f"USD {move.cost.per_unit_budget:,.4g} m per unit of "
                     f"{move.cost.per_unit_param.replace('_', ' ')}")
    if move.cost.political_capital:
        parts.append(f"{move.cost.political_capital:g} political capital")
    return " + ".join(parts) or "nothing"


def duration_in_words(move: MoveType) -> str:
    if isinstance(move.duration, str):
        name = move.duration[1:]
        label = next((spec.title.lower() for spec in move.params if spec.name == name), name)
        return f"as many turns as the {label} chosen"
    if move.duration == 0 or all(e.primitive in ("invest_capacity", "equity_stake",
                                                 "recycling") for e in move.effects):
        return "permanent"
    return f"{move.duration} turn" + ("s" if move.duration != 1 else "")


def quorum_in_words(sc: Scenario, move: MoveType) -> str | None:
    if move.requires is None:
        return None
    text = (f"a coalition move: it takes effect only when at least {move.requires.teams} "
            "teams order it in the same turn")
    if move.requires.including:
        text += ", including " + _join([sc.team(t).name if t in sc.team_index else t
                                        for t in move.requires.including])
    return text


# ----------------------------------------------------------------- injects and conditions


def trigger_in_words(sc: Scenario, inject: Inject) -> str:
    window = ""
    if inject.from_turn > 1 or inject.until_turn is not None:
        window = f" from turn {inject.from_turn}" + (
            f" to turn {inject.until_turn}" if inject.until_turn is not None else "")
    condition = (f" if {condition_in_words(sc, inject.condition)}"
                 if inject.condition is not None else "")
    if inject.turn is not None:
        return f"at the start of turn {inject.turn}{condition}"
    if inject.probability is not None:
        return (f"with a {inject.probability:.0%} chance each turn{window}"
                f"{' while ' + condition_in_words(sc, inject.condition) if condition else ''}"
                f"{'' if inject.repeat or not condition else ' (once)'}")
    if inject.condition is not None:
        again = ", and again each time it holds after a break" if inject.repeat else " (once)"
        return f"when {condition_in_words(sc, inject.condition)}{window}{again}"
    return "when the facilitator chooses (or as a follow-up)"


_READINGS = {
    "supply_met": "{p[0]} {1} supply met",
    "material_met": "{p[0]} need for {1} met",
    "shortfall": "{p[0]} {1} shortfall (t/yr)",
    "price_index": "the {0} price index (1 = baseline)",
    "price": "the {0} price ({1}, USD/kg)",
    "dependency": "{p[0]} dependence on {1}",
    "stock": "{p[0]} stocks of {1} (t)",
    "capacity": "{p[0]} {1} capacity ({2}, t/yr)",
    "ore_processed_home": "the share of {p[0]} {1} ore processed at home",
    "import_bill": "{p[0]} import bill (USD m a turn)",
    "export_revenue": "{p[0]} export revenue (USD m a turn)",
    "revenue": "{p[0]} revenue (USD m a turn)",
    "value_added": "{p[0]} value added (USD m a turn)",
    "budget": "{p[0]} budget left (USD m)",
    "political_capital": "{p[0]} political capital",
    "restriction": "the trade status from {0} to {1} in {2}",
    "fired": "the times '{0}' has fired",
}
_OPS = {"<": "is below", "<=": "is at most", ">": "is above", ">=": "is at least",
        "==": "is", "!=": "is not"}
_SHARE_READINGS = {"supply_met", "material_met", "dependency", "ore_processed_home"}


def condition_in_words(sc: Scenario, text: str) -> str:
    """A condition read aloud: "United States' defence supply met is below 80% at the end of
    each of the last 2 turns"."""
    return _words(sc, parse_condition(text))


def _possessive(name: str) -> str:
    """"China's", "the United States'" (a plural-looking name takes the apostrophe only)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _name_of(sc: Scenario, value: str) -> str:
    for index, lookup in ((sc.actor_index, sc.actor), (sc.team_index, sc.team),
                          (sc.material_index, sc.material)):
        if value in index:
            return lookup(value).name
    if value in sc.sector_index:
        name = sc.sector(value).name  # inside a sentence: "defence", but "EV" stays
        return name if any(c.isupper() for c in name[1:]) else name[:1].lower() + name[1:]
    for inject in sc.injects:
        if inject.id == value:
            return inject.title
    return value


def _fired_in_words(sc: Scenario, expr: Compare) -> str | None:
    """``fired(x) >= 1`` -> "'X' has fired"; ``fired(x) == 0`` -> "'X' has not fired yet";
    other counts -> "'X' has fired at least 2 times" (not "the times 'X' has fired is ...")."""
    left, right = expr.left, expr.right
    if not (isinstance(left, Call) and left.name == "fired" and len(left.args) == 1
            and isinstance(right, Number) and float(right.value).is_integer()):
        return None
    inject, n = f"'{_name_of(sc, left.args[0])}'", int(right.value)
    # the smallest count that satisfies the comparison, or the largest, per operator
    times = lambda k: "once" if k == 1 else f"{k} times"  # noqa: E731
    never = f"{inject} has not fired yet"
    table = {
        ">=": f"{inject} has fired" if n <= 1 else f"{inject} has fired at least {times(n)}",
        ">": f"{inject} has fired" if n == 0 else f"{inject} has fired more than {times(n)}",
        "==": never if n == 0 else f"{inject} has fired exactly {times(n)}",
        "!=": f"{inject} has fired" if n == 0 else f"{inject} has not fired exactly {times(n)}",
        "<": never if n == 1 else f"{inject} has fired fewer than {times(n)}",
        "<=": never if n == 0 else f"{inject} has fired at most {times(n)}",
    }
    return table.get(expr.op)


def _words(sc: Scenario, expr: Expr, share: bool = False) -> str:
    if isinstance(expr, Number):
        return f"{expr.value:.0%}" if share and 0 <= expr.value <= 1.5 else f"{expr.value:g}"
    if isinstance(expr, Name):
        return "the turn" if expr.name == "turn" else f"'{expr.name}'"
    if isinstance(expr, Call):
        template = _READINGS.get(expr.name, expr.name + "({})")
        names = [_name_of(sc, a) for a in expr.args]
        return template.format(*names, "", "", "", p=[_possessive(n) for n in names])
    if isinstance(expr, Negate):
        return f"minus {_words(sc, expr.operand)}"
    if isinstance(expr, Arithmetic):
        op = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}[expr.op]
        return f"({_words(sc, expr.left)} {op} {_words(sc, expr.right)})"
    if isinstance(expr, Compare):
        fired = _fired_in_words(sc, expr)
        if fired:
            return fired
        is_share = isinstance(expr.left, Call) and expr.left.name in _SHARE_READINGS
        right = expr.right
        if isinstance(right, Name) and right.name in TRADE_STATUS:
            return f"{_words(sc, expr.left)} {_OPS[expr.op]} {right.name}"
        return f"{_words(sc, expr.left)} {_OPS[expr.op]} {_words(sc, right, is_share)}"
    if isinstance(expr, Not):
        return f"it is not so that {_words(sc, expr.operand)}"
    if isinstance(expr, Logic):
        return f" {expr.op} ".join(_words(sc, o) for o in expr.operands)
    if isinstance(expr, HeldFor):
        return (f"{_words(sc, expr.operand)} at the end of each of the last {expr.turns} turns"
                if expr.turns > 1 else f"{_words(sc, expr.operand)} at the end of the last turn")
    return str(expr)
