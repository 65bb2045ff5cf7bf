"""Moves as a team would say them: "Beijing's Dy/Tb licence freeze on the European Union",
"Washington's 200 t/yr of new Dy/Tb separation capacity", never the catalogue's generic
label ("Export licence regime on a country") or a form ("factor (0.5 = halve) 0.5").

A phrase is built from an effect's BOUND arguments (the material, stage, actors and numbers
the order named), so an order, a standing order and an inject read alike, and the same
words appear in the outcomes table, the measures in force, the investment pipeline and the
explanations. Shares are said in per cent, prices in USD/kg, capacity in what was ordered
(t/yr). Pure text; no rules live here.
"""
from __future__ import annotations

from typing import Any, Mapping

from wargame.engine.orders import (
    FACILITATOR, Order, bind_effect_args, order_duration, spread_effect, with_defaults,
)
from wargame.engine.wording import (
    country, finite_number, join, level_word, lower_name, material_stage, material_word, percent,
    possessive, stage_word, team_label,
)
from wargame.scenario.model import MoveType, Scenario
from wargame.scenario.primitives import PERMANENT_PRIMITIVES

# ----------------------------------------------------------------- names in a sentence

def actor_word(sc: Scenario, actor: Any) -> str:
    """'the United States', 'China'; '$all' is 'all destinations'."""
    if actor in (None, "$all", "all"):
        return "all destinations"
    if isinstance(actor, (list, tuple)):
        return join([actor_word(sc, a) for a in actor]) if actor else "no one"
    return country(sc.actor(actor).name) if actor in sc.actor_index else str(actor)


def team_word(sc: Scenario, team: Any) -> str:
    return team_label(sc, team) if team else ""


def change_percent(factor: Any) -> str:
    """A scale factor as a change: 1.2 -> '+20 %', 0.5 -> '−50 %'."""
    change = (finite_number(factor) - 1.0) * 100
    return f"{'+' if change >= 0 else '−'}{abs(change):,.0f} %"


def tonnes(value: Any) -> str:
    number = finite_number(value)
    return f"{number:,.0f}" if abs(number) >= 10 else f"{number:,.3g}"


def _stages(sc: Scenario, material: Any, stages: Any) -> str:
    """'' for every stage; ' (mining stage)', ' (separation and magnet making stages)'."""
    if stages in (None, "all"):
        return ""
    if material not in sc.material_index:
        return ""
    mat = sc.material(material)
    if stages == "first":
        ids = [mat.stages[0].id]
    elif stages == "last":
        ids = [mat.stages[-1].id]
    else:
        ids = list(stages) if isinstance(stages, (list, tuple)) else [stages]
    words = [stage_word(sc, material, s) for s in ids]
    return f" ({join(words)} stage{'s' if len(words) > 1 else ''})" if words else ""


def _is_everyone(value: Any) -> bool:
    return value in (None, "$all", "all")


def _materials(sc: Scenario, a: Mapping[str, Any]) -> tuple[str, Any]:
    """(the material(s) as words, one material id for its stages' names): 'NdPr',
    'NdPr, Dy/Tb and light rare earths' for an effect over several (``materials: [...]``,
    or export_quota's shared tonnage), 'all materials'."""
    mat = a.get("material")
    if mat is None and a.get("materials") not in (None, "", []):
        mat = a["materials"]
    if mat in ("all", "$all"):
        return "all materials", None
    if isinstance(mat, (list, tuple)):
        if len(mat) == 1:
            return material_word(sc, mat[0]), mat[0]
        return (join([material_word(sc, x) for x in mat]) if mat else "no material",
                mat[0] if mat else None)
    return material_word(sc, mat), mat


def _sector_word(sc: Scenario, sector: Any) -> str:
    """'wind power', 'wind power and electric vehicles', 'all sectors'."""
    if sector in (None, "all", "$all"):
        return "all sectors"
    if isinstance(sector, (list, tuple)):
        return join([_sector_word(sc, x) for x in sector]) if sector else "no sector"
    return lower_name(sc.sector(sector).name) if sector in sc.sector_index else str(sector)


def _move_word(sc: Scenario, move_id: Any) -> str:
    """A move of the catalogue named inside a sentence: 'ore export ban'."""
    move = sc.move_index.get(move_id) if isinstance(move_id, str) else None
    return lower_name(move.name) if move is not None else str(move_id).replace("_", " ")


def _ended(sc: Scenario, a: Mapping[str, Any], m: str, owner_actor: str | None) -> str:
    """What an ``end_measure`` covers: "Jakarta's ore export ban (nickel)", "its export
    duty (NdPr)" (the ordering team's own), "the event 'Court ruling'"."""
    if a.get("move"):
        team = a.get("team")
        own = team in sc.team_index and owner_actor in sc.team_actors(team)
        whose = "its " if own else f"{possessive(team_word(sc, team))} " if team else "every "
        what = whose + _move_word(sc, a["move"])
    else:
        inject = next((i for i in sc.injects if i.id == a.get("inject")), None)
        what = f"the event '{inject.title if inject else a.get('inject')}'"
    return what + (f" ({m})" if a.get("material") else "")


# ----------------------------------------------------------------- one effect

def effect_phrase(sc: Scenario, primitive: str, args: Mapping[str, Any],
                  owner_actor: str | None = None) -> str:
    """One bound effect as words, without whose it is ("Dy/Tb licence freeze on the
    European Union"). ``owner_actor`` (the ordering team's actor) is left unsaid where it
    is the obvious one."""
    a = args
    m, mat = _materials(sc, a)

    def place(actor: Any) -> str:  # 'in Japan' unless it is the owner's own
        return "" if actor in (None, owner_actor) else f" in {actor_word(sc, actor)}"

    def route(to: str) -> str:  # ' from Japan on the United States' (owner left unsaid)
        targets = "" if _is_everyone(a.get("importers")) else \
            f" {to} {actor_word(sc, a.get('importers'))}"
        source = "" if a.get("exporter") in (None, owner_actor) else \
            f" from {actor_word(sc, a.get('exporter'))}"
        return source + targets

    stages = _stages(sc, mat, a.get("stages"))
    if primitive in ("export_restriction", "export_ban"):
        what = level_word(sc, a.get("level")) if primitive == "export_restriction" \
            else "export ban"
        return f"{m} {what}{route('on')}{stages}"
    if primitive == "export_quota":
        per = " to each destination" if a.get("per") == "destination" else ""
        amount = f"{tonnes(a.get('tonnes_per_year'))} t/yr"
        shared = isinstance(a.get("materials"), (list, tuple)) and len(a["materials"]) > 1 \
            or a.get("materials") in ("all", "$all")  # one tonnage for them all
        what = f"{amount} export quota shared by {m}" if shared else \
            f"{amount} {m} export quota"
        return f"{what}{per}{route('on')}{stages}"
    if primitive == "export_duty":
        return f"{percent(a.get('rate'))} export duty on {m}{route('to')}{stages}"
    if primitive == "end_measure":
        what = _ended(sc, a, m, owner_actor)
        if a.get("level") not in (None, ""):
            return f"change of {what} to {level_word(sc, a.get('level'))}"
        if a.get("scale") not in (None, ""):
            return f"change of {what} ({change_percent(a.get('scale'))})"
        return f"end of {what}"
    if primitive == "extraterritorial_rule":
        author = actor_word(sc, a.get("author"))
        targets = "" if _is_everyone(a.get("importers")) else \
            f" bound for {actor_word(sc, a.get('importers'))}"
        level = level_word(sc, a.get("level") or "freeze")
        return (f"extraterritorial rule on {m} containing {author}-origin material above "
                f"{percent(a.get('threshold') or 0.001)}{targets} ({level})")
    if primitive == "invest_capacity":
        lead = a.get("lead_time_years")
        lead_text = f", {finite_number(lead):g}-year lead time" if lead not in (None, "") else ""
        return (f"{tonnes(a.get('tonnes_per_year'))} t/yr of new "
                f"{material_stage(sc, mat, a.get('stage'))} capacity{place(a.get('actor'))}"
                + (f" ({lead_text[2:]})" if lead_text else ""))
    if primitive == "recycling":
        return (f"{tonnes(a.get('tonnes_per_year'))} t/yr {m} recycling (into "
                f"{stage_word(sc, mat, a.get('stage'))}){place(a.get('actor'))}")
    if primitive == "equity_stake":
        host = actor_word(sc, a.get("host"))
        new = finite_number(a.get("tonnes_per_year"))
        parts = ([f"{tonnes(new)} t/yr of new capacity"] if new > 0 else []) + \
            [f"{percent(a.get('reserved_share'))} of its output reserved"
             + ("" if a.get("investor") in (None, owner_actor)
                else f" for {actor_word(sc, a.get('investor'))}")]
        return (f"equity stake in {possessive(host)} "
                f"{material_stage(sc, mat, a.get('stage'))} ({', '.join(parts)})")
    if primitive == "offtake":
        buyer = "" if a.get("buyer") in (None, owner_actor) else \
            f" for {actor_word(sc, a.get('buyer'))}"
        return (f"offtake of {percent(a.get('share'))} of "
                f"{possessive(actor_word(sc, a.get('seller')))} "
                f"{material_stage(sc, mat, a.get('stage'))} output{buyer}")
    if primitive == "price_floor":
        return (f"USD {finite_number(a.get('floor')):,.0f}/kg price floor for "
                f"{possessive(actor_word(sc, a.get('producer')))} "
                f"{material_stage(sc, mat, a.get('stage'))}")
    if primitive == "stockpile":
        what = material_stage(sc, mat, a.get("stage"))
        amount = f"{tonnes(a.get('tonnes'))} t a turn"
        if a.get("action") == "release":
            return f"release of {amount} from the {what} stockpile{place(a.get('actor'))}"
        return f"purchase of {amount} into the {what} stockpile{place(a.get('actor'))}"
    if primitive == "substitution":
        who = "" if a.get("actor") in (None, owner_actor) else \
            f" in {actor_word(sc, a.get('actor'))}"
        sector = _sector_word(sc, a.get("sector"))
        return (f"substitution of {percent(a.get('share'))} of the {m} used in {sector}{who} "
                f"(from {finite_number(a.get('lag_turns')):g} turns on)")
    if primitive == "tariff":
        return (f"{percent(a.get('rate'))} tariff on {m} from "
                f"{actor_word(sc, a.get('exporters'))}{_stages(sc, mat, a.get('stages'))}")
    if primitive == "tech_export_control":
        sector = _sector_word(sc, a.get("sector"))
        return (f"technology export controls on {possessive(actor_word(sc, a.get('target')))} "
                f"{sector} ({percent(a.get('severity'))} of its output lost)")
    if primitive == "set_parameter":
        return _set_parameter_phrase(sc, a)
    return primitive.replace("_", " ")


def _set_parameter_phrase(sc: Scenario, a: Mapping[str, Any]) -> str:
    parameter, op, value = a.get("parameter"), a.get("op") or "scale", a.get("value")
    mat, stage = a.get("material"), a.get("stage")

    def how(unit: str) -> str:
        if op == "scale":
            return change_percent(value)
        if op == "add":
            number = finite_number(value)
            return f"{'+' if number >= 0 else '−'}{tonnes(abs(number))}{unit}"
        return f"set to {tonnes(value)}{unit}"

    if parameter == "utilisation" and op == "set":
        return (f"change of {possessive(actor_word(sc, a.get('actor')))} "
                f"{material_stage(sc, mat, stage)} run rate (set to {percent(value)})")
    if parameter in ("capacity", "utilisation", "stock"):
        where = possessive(actor_word(sc, a.get("actor"))) + " " if a.get("actor") else ""
        what = material_stage(sc, mat, stage) if stage else material_word(sc, mat)
        noun = {"capacity": "capacity", "utilisation": "run rate", "stock": "stocks"}[parameter]
        unit = {"capacity": " t/yr", "utilisation": "", "stock": " t"}[parameter]
        return f"change of {where}{what} {noun} ({how(unit)})"
    if parameter == "demand":
        sector = lower_name(sc.sector(a["sector"]).name) if a.get("sector") in sc.sector_index \
            else "all sectors"
        return (f"change of {possessive(actor_word(sc, a.get('actor')))} {sector} demand for "
                f"{material_word(sc, mat)} ({how(' t/yr')})")
    if parameter == "price":
        what = material_stage(sc, mat, stage) if stage else material_word(sc, mat)
        return f"{what} price change ({how(' USD/kg')})"
    if parameter == "budget":
        number = finite_number(value)
        return (f"budget change for {team_word(sc, a.get('team'))} "
                f"({'+' if number >= 0 else '−'}USD {abs(number):,.0f} m)" if op == "add"
                else f"budget change for {team_word(sc, a.get('team'))} ({how(' USD m')})")
    if parameter == "political_capital":
        return f"political capital change for {team_word(sc, a.get('team'))} ({how('')})"
    if parameter == "delay_probability":
        if op == "set":
            return (f"permitting climate: a {percent(value)} chance each turn that an "
                    "investment slips")
        if op == "add":
            points = finite_number(value) * 100
            return (f"permitting climate: the chance each turn that an investment slips "
                    f"{'up' if points >= 0 else 'down'} {abs(points):.0f} points")
        return (f"permitting climate: the chance each turn that an investment slips "
                f"changed by {change_percent(value)}")
    return f"change of {str(parameter).replace('_', ' ')} ({how('')})"


# ----------------------------------------------------------------- a move, an order

def _self_actor(sc: Scenario, team: str | None) -> str | None:
    actors = sc.team_actors(team) if team in sc.team_index else ()
    return actors[0] if actors else None


MAX_PHRASES = 3  # more effects than this: a move is told by its name


def move_phrase(sc: Scenario, move: MoveType, params: Mapping[str, Any],
                team: str | None) -> str:
    """What an order of ``move`` with ``params`` does, as ``team`` would say it (without
    the team's name): every effect, joined; a move of more than ``MAX_PHRASES`` effects
    (a package deal, a climb-down) by its name, since a room cannot follow a list of six."""
    full = with_defaults(move, dict(params))
    owner = _self_actor(sc, team)
    phrases = []
    for effect in move.effects:
        bound = bind_effect_args(sc, effect.primitive, effect.args, full, owner, team)
        for args in _gathered(spread_effect(sc, effect, bound, full, owner, team)):
            text = effect_phrase(sc, effect.primitive, args, owner)
            if text not in phrases:
                phrases.append(text)
    if not phrases or len(phrases) > MAX_PHRASES:
        name = move.name
        # "Climb down: general licences" -> "climb down: general licences" (not "DPA ...")
        return name[:1].lower() + name[1:] if name[1:2].islower() else name
    return join(phrases)



def _gathered(parts: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """An effect spread over several materials or sectors (``orders.spread_effect``: one
    argument set each) said once, with the materials (sectors) listed: "NdPr, Dy/Tb and
    light rare earths customs hold on Japan", not three phrases."""
    if len(parts) <= 1:
        return [args for _, args in parts]
    groups: dict[str, dict[str, Any]] = {}
    for _, args in parts:
        rest = repr(sorted((k, v) for k, v in args.items() if k not in ("material", "sector")))
        seen = groups.setdefault(rest, {**args, "material": [], "sector": []})
        for key in ("material", "sector"):
            if args.get(key) not in seen[key]:
                seen[key].append(args.get(key))
    out = []
    for args in groups.values():
        for key in ("material", "sector"):
            args[key] = args[key][0] if len(args[key]) == 1 else args[key]
        out.append(args)
    return out


def duration_phrase(move: MoveType, params: Mapping[str, Any]) -> str:
    """', for 2 turns', ', until the end of the exercise', or '' (capacity is permanent)."""
    if all(e.primitive in PERMANENT_PRIMITIVES for e in move.effects):
        return ""
    turns = order_duration(move, with_defaults(move, dict(params)))
    if turns <= 0:
        return ", until the end of the exercise"
    return ", for one turn" if turns == 1 else f", for {turns} turns"


def measure_label(sc: Scenario, move: MoveType, params: Mapping[str, Any],
                  team: str | None) -> str:
    """A measure's label, read aloud in explanations: "Beijing's Dy/Tb licence freeze on
    the European Union" (the white cell's moves: "the white cell's ...")."""
    return f"{possessive(team_word(sc, team))} {move_phrase(sc, move, params, team)}".strip()


def describe_move(sc: Scenario, move_id: str, params: Mapping[str, Any],
                  team: str | None = None) -> str:
    """An order as a sentence without its team, for the draft, the outcomes table and the
    debrief: "Dy/Tb slow-walked licences on the European Union, for 2 turns"."""
    move = sc.move_index.get(move_id)
    if move is None:
        return move_id
    text = move_phrase(sc, move, params, team) + duration_phrase(move, params)
    return text[:1].upper() + text[1:]


def describe_order(sc: Scenario, order: Order) -> str:
    """'Beijing: Dy/Tb slow-walked licences on the European Union, for 2 turns'."""
    team = sc.team(order.team).name if order.team in sc.team_index else \
        ("White cell" if order.team == FACILITATOR else order.team)
    return f"{team}: {describe_move(sc, order.move, order.params, order.team)}"


__all__ = [
    "actor_word", "change_percent", "describe_move", "describe_order", "duration_phrase",
    "effect_phrase", "material_stage", "material_word", "measure_label", "move_phrase",
    "percent", "stage_word", "tonnes",
]
