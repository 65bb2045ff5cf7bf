"""Rule-based bots so a game runs with any team absent. Deterministic given the state.

Each style picks from the team's own move catalog by the primitive its moves use, so a bot
works with any scenario: a hawk restricts exports when its rivals restrict it or its leverage
is high; a builder invests, stockpiles and signs offtakes when short; a producer bans ore
exports to push processing home, and invests in refining; a diplomat and a passive bot do
little. Parameters are filled with each parameter's default or a sensible in-range choice.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from wargame.engine.orders import Order, validate_order
from wargame.engine.rules import rules_for
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


def _ranked(scores: np.ndarray, turn: int, top: int = 2) -> int:
    """Index among the ``top`` best scores: the best first, then rotating with the turn
    (bots vary their aim)."""
    order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0][:top]
    return order[(turn - 1) % len(order)] if order else int(np.argmax(scores))


def _choose(scenario: Scenario, team_id: str, spec: ParamSpec, params: dict[str, Any],
            turn: int) -> Any:
    """A parameter value that serves the team's interest: a hawk aims at the materials it
    dominates and the rivals that need them; a producer at its own ores; a builder at its
    largest import dependencies and at friendly suppliers."""
    style = scenario.team(team_id).bot
    own = [scenario.actor_index[a] for a in scenario.team_actors(team_id)]
    info = rules_for(scenario).bot_interests
    material = params.get(spec.material_param) if spec.material_param else None
    material = material or next((v for k, v in params.items()
                                 if v in scenario.material_index), None)
    if spec.type == "material":
        if style == "producer":
            scores = info.share[:, 0, own].sum(axis=1)
        elif style == "hawk":
            scores = info.share[:, min(1, info.share.shape[1] - 1), own].sum(axis=1)
        else:
            scores = info.deficit[:, own].sum(axis=1)
        return scenario.materials[_ranked(scores, turn, top=3)].id
    if spec.type == "actor":
        allowed = [i for i, a in enumerate(scenario.actors)
                   if (spec.scope != "own" or i in own) and (spec.scope != "other" or i not in own)]
        if not allowed:
            return None
        if spec.scope == "own":
            return scenario.actors[allowed[0]].id
        m = scenario.material_index.get(material, 0)
        rivals = {i for i, a in enumerate(scenario.actors)
                  if a.team and a.team != team_id and scenario.team(a.team).bot == "hawk"}
        if style == "hawk":  # the played rival that uses most of it
            scores = np.array([info.use_last[m, i] * (scenario.actors[i].team is not None)
                               if i in allowed and i not in own else 0.0
                               for i in range(len(scenario.actors))])
        else:  # a friendly supplier of it, at the stage the order is about
            stage = next((scenario.materials[m].stage_index(v) for k, v in params.items()
                          if any(v == st.id for st in scenario.materials[m].stages)), None)
            produced = info.output[m, stage] if stage is not None else info.output[m].sum(axis=0)
            scores = np.array([produced[i] if i in allowed and i not in rivals and i not in own
                               else 0.0 for i in range(len(scenario.actors))])
        pick = _ranked(scores, turn)
        return scenario.actors[pick if pick in allowed else allowed[0]].id
    if spec.type == "stage":
        mat = scenario.material(material) if material in scenario.material_index else scenario.materials[0]
        m = scenario.material_index[mat.id]
        if len(mat.stages) == 1:
            return mat.stages[0].id
        # where the team is shortest of its own needs, past the mine (mines take decades)
        gaps = [float((info.need[m, s, own] - info.output[m, s, own]).sum())
                for s in range(1, len(mat.stages))]
        return mat.stages[1 + int(np.argmax(gaps))].id if style != "producer" else mat.stages[1].id
    if spec.default is not None:
        return spec.default
    if spec.type == "sector":
        return min(scenario.sectors, key=lambda k: k.priority).id
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
    """Materials first (stages and targets depend on them), then stages, then the rest."""
    rank = {"material": 0, "stage": 1}
    params: dict[str, Any] = {}
    for spec in sorted(move.params, key=lambda p: rank.get(p.type, 2)):
        params[spec.name] = _choose(scenario, team_id, spec, params, turn)
    return {spec.name: params[spec.name] for spec in move.params}


# coalition moves (``requires``): builders and diplomats commit them on the same turns
# (1, 5, 9, ...), so bots can make a quorum together; the one chosen rotates the same way
COALITION_STYLES = ("builder", "diplomat")
COALITION_CADENCE = 4


def _bots_can_form(scenario: Scenario, move: MoveType) -> bool:
    """Whether the teams whose bots join coalitions can make this move's quorum (a bot
    does not spend a turn on a coalition that bots alone can never form)."""
    joiners = {t.id for t in scenario.teams if t.bot in COALITION_STYLES
               and move.allowed_for(t.id)}
    quorum = move.requires
    return len(joiners) >= quorum.teams and all(t in joiners for t in quorum.including)


def _coalition_order(scenario: Scenario, state: GameState, team_id: str) -> list[Order]:
    moves = sorted((m for m in scenario.moves if m.requires is not None
                    and m.allowed_for(team_id) and _bots_can_form(scenario, m)),
                   key=lambda m: m.id)
    if not moves or state.turn % COALITION_CADENCE != 1 % COALITION_CADENCE:
        return []
    start = (state.turn // COALITION_CADENCE) % len(moves)
    for pick in moves[start:] + moves[:start]:
        order = Order(team=team_id, move=pick.id,
                      params=_fill(scenario, team_id, pick, state.turn),
                      id=f"t{state.turn}-{team_id}-bot")
        if not validate_order(scenario, state, order):
            return [order]
    return []


def bot_orders(scenario: Scenario, state: GameState, team_id: str) -> list[Order]:
    """At most one order a turn, on the style's cadence; the first legal one among the
    style's preferred moves (rotating with the turn), so a bot never submits an illegal or
    unaffordable order. Builders and diplomats first commit a coalition move on the
    coalition cadence when bots of those styles can make its quorum together."""
    team = scenario.team(team_id)
    style = team.bot
    if style in COALITION_STYLES:
        joined = _coalition_order(scenario, state, team_id)
        if joined:
            return joined
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
    start = (state.turn // max(cadence, 1)) % len(candidates)
    for pick in candidates[start:] + candidates[:start]:
        order = Order(team=team_id, move=pick.id,
                      params=_fill(scenario, team_id, pick, state.turn),
                      id=f"t{state.turn}-{team_id}-bot")
        if not validate_order(scenario, state, order):
            return [order]
    return []
