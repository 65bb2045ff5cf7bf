"""Rule-based bots so a game runs with any team absent. Deterministic given the state.

Each style picks from the team's own move catalog by the primitive its moves use, so a bot
works with any scenario: a hawk restricts exports when its rivals restrict it or its leverage
is high; a builder invests, stockpiles and signs offtakes when short; a producer bans ore
exports to push processing home, and invests in refining; a diplomat and a passive bot do
little. Parameters are filled with each parameter's default or a sensible in-range choice.
"""
from __future__ import annotations

from typing import Any

from wargame.engine.orders import Order, validate_order
from wargame.engine.state import GameState
from wargame.scenario.model import MoveType, ParamSpec, Scenario

STYLE_PRIMITIVES = {
    "hawk": ("export_restriction", "extraterritorial_rule", "tech_export_control", "stockpile"),
    "builder": ("invest_capacity", "offtake", "equity_stake", "stockpile", "recycling",
                "price_floor", "substitution"),
    "producer": ("export_ban", "invest_capacity", "offtake", "tariff"),
    "diplomat": ("offtake",),
    "passive": (),
}
# how often (every N turns) a style acts, so bots don't spend everything at once
CADENCE = {"hawk": 3, "builder": 2, "producer": 3, "diplomat": 4, "passive": 0}


def _choose(scenario: Scenario, team_id: str, spec: ParamSpec, params: dict[str, Any],
            turn: int) -> Any:
    if spec.default is not None:
        return spec.default
    own = scenario.team_actors(team_id)
    if spec.type == "actor":
        options = [a.id for a in scenario.actors
                   if (spec.scope != "own" or a.id in own) and (spec.scope != "other" or a.id not in own)]
        # rivals first: actors played by another team
        options.sort(key=lambda a: (scenario.actor(a).team is None, a))
        return options[turn % len(options)] if options else None
    if spec.type == "material":
        return scenario.materials[turn % len(scenario.materials)].id
    if spec.type == "stage":
        mat = params.get(spec.material_param) if spec.material_param else None
        material = scenario.material(mat) if mat in scenario.material_index else scenario.materials[0]
        return material.stages[min(1, len(material.stages) - 1)].id
    if spec.type == "sector":
        return scenario.sectors[0].id
    if spec.type == "team":
        others = [t.id for t in scenario.teams if t.id != team_id]
        return others[turn % len(others)] if others else team_id
    if spec.type == "choice":
        return spec.choices[min(1, len(spec.choices) - 1)]
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else max(low, 1.0)
    value = low + (high - low) * 0.3
    return int(round(value)) if spec.type == "integer" else round(value, 3)


def _fill(scenario: Scenario, team_id: str, move: MoveType, turn: int) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for spec in move.params:  # material before stage: stage options depend on it
        params[spec.name] = _choose(scenario, team_id, spec, params, turn)
    return params


def bot_orders(scenario: Scenario, state: GameState, team_id: str) -> list[Order]:
    team = scenario.team(team_id)
    style = team.bot
    cadence = CADENCE.get(style, 0)
    if not cadence or state.turn % cadence != 1 % cadence:
        return []
    wanted = STYLE_PRIMITIVES.get(style, ())
    candidates = [m for m in scenario.moves if m.allowed_for(team_id)
                  and any(e.primitive in wanted for e in m.effects)]
    if not candidates:
        return []
    candidates.sort(key=lambda m: (min(wanted.index(e.primitive) for e in m.effects
                                       if e.primitive in wanted), m.id))
    pick = candidates[(state.turn // max(cadence, 1)) % len(candidates)]
    order = Order(team=team_id, move=pick.id, params=_fill(scenario, team_id, pick, state.turn),
                  id=f"t{state.turn}-{team_id}-bot")
    return [order] if not validate_order(scenario, state, order) else []
