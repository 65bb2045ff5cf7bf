"""Bots with a posture (hawkish, balanced, dovish) chosen at set-up: each pursues its
team's objectives with a rule-based policy and reacts to what the other teams did last turn.
Deterministic given the state (no draws of their own), cheap enough for sweeps.

Each turn the bot scores every move its team may make and orders the best one if it scores
above the posture's threshold (at most one order a turn):

- a move is *coercive* if one of its effects restricts others (export restriction or ban,
  extraterritorial rule, technology control, tariff), *resilient* if it builds supply
  (investment, equity stake, offtake, recycling, substitution, stockpile, price floor),
  else *other*;
- coercive moves are worth the posture's ``coercion`` x the team's leverage (its largest
  share of world processing of a material), plus its ``retaliation`` when a rival's
  coercive order from last turn hits the team's actors; a retaliation aims at that rival;
- resilient moves are worth the posture's ``resilience`` x what the team lacks: the
  shortfall of its worst-supplied sector last turn, the rise of the prices it pays, and
  how much of its objectives' weight is on supply;
- a move the team's bot ordered that is still in force (or still being built), or that
  lapsed at the end of last turn, loses ``REPEAT_PENALTY``, so a bot varies its moves
  instead of repeating one;
- parameters are set as the rule-based bots set them (``bot_params.fill_params``), in the
  manner of a hawk for coercive moves and of a builder for the others.

=========  ========  ===========  ==========  =========
posture    coercion  retaliation  resilience  threshold
=========  ========  ===========  ==========  =========
hawkish    1.0       2.0          0.6         0.15
balanced   0.45      1.0          1.0         0.3
dovish     0.0       0.0          1.2         0.45
=========  ========  ===========  ==========  =========
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.engine.bot_params import fill_params
from wargame.engine.measures import ORDER_GROUP
from wargame.engine.orders import Order
from wargame.engine.planning import order_problems
from wargame.engine.rules import rules_for
from wargame.engine.state import GameState
from wargame.scenario.model import MoveType, Scenario

POSTURES = ("hawkish", "balanced", "dovish")
COERCIVE = frozenset({"export_restriction", "export_ban", "extraterritorial_rule",
                      "tech_export_control", "tariff"})
RESILIENT = frozenset({"invest_capacity", "equity_stake", "offtake", "recycling",
                       "substitution", "stockpile", "price_floor"})
REPEAT_PENALTY = 0.6
BOT_ORDER_MARK = "-bot-"  # bot order ids: t<turn>-<team>-bot-<move id>


@dataclass(frozen=True)
class Posture:
    coercion: float  # weight of coercive moves, unprovoked (x leverage 0..1)
    retaliation: float  # added to coercive moves when a rival hit the team last turn
    resilience: float  # weight of resilient moves (x need)
    threshold: float  # a move must score above this to be ordered


PROFILES = {
    "hawkish": Posture(coercion=1.0, retaliation=2.0, resilience=0.6, threshold=0.15),
    "balanced": Posture(coercion=0.45, retaliation=1.0, resilience=1.0, threshold=0.3),
    "dovish": Posture(coercion=0.0, retaliation=0.0, resilience=1.2, threshold=0.45),
}


def move_kind(move: MoveType) -> str:
    primitives = {e.primitive for e in move.effects}
    if primitives & COERCIVE:
        return "coercive"
    if primitives & RESILIENT:
        return "resilient"
    return "other"


def _names(value: Any) -> set[str] | None:
    """Actor ids an argument names; None means every actor ($all or unset)."""
    if value in (None, "$all", "all"):
        return None
    if isinstance(value, (list, tuple)):
        return {str(v) for v in value}
    return {str(value)}


def _hits(measure: Any, own: set[str]) -> bool:
    """Whether a coercive measure bites on one of ``own``'s actors."""
    args = measure.args
    prim = measure.primitive
    if prim in ("export_restriction", "export_ban", "extraterritorial_rule"):
        named = _names(args.get("importers"))
    elif prim == "tech_export_control":
        named = _names(args.get("target"))
    elif prim == "tariff":
        named = _names(args.get("exporters"))
    else:
        return False
    return named is None or bool(named & own)


def provokers(scenario: Scenario, state: GameState, team_id: str) -> list[str]:
    """Teams whose coercive orders, given last turn, hit this team's actors (in the
    scenario's team order)."""
    own = set(scenario.team_actors(team_id))
    hit = {m.team for m in state.measures
           if m.start_turn == state.turn - 1 and m.group.startswith(ORDER_GROUP)
           and m.team not in (None, team_id) and m.primitive in COERCIVE and _hits(m, own)}
    return [t.id for t in scenario.teams if t.id in hit]


def _recent_moves(scenario: Scenario, state: GameState, team_id: str) -> set[str]:
    """Moves this team's bot ordered that are still in force or being built, or that
    lapsed at the end of last turn (``state.last['lapsed_groups']``: their order groups;
    bot order ids name the move)."""
    recent: set[str] = set()
    lapsed = [g for g in (state.last or {}).get("lapsed_groups", [])
              if g.startswith(f"{ORDER_GROUP}t") and f"-{team_id}{BOT_ORDER_MARK}" in g]
    for group in lapsed + [m.group for m in state.measures if m.team == team_id] + \
            [e.group for e in state.pipeline if e.team == team_id]:
        order_id = group[len(ORDER_GROUP):] if group.startswith(ORDER_GROUP) else ""
        if BOT_ORDER_MARK in order_id:
            recent.add(order_id.split(BOT_ORDER_MARK, 1)[1])
    return recent


@dataclass(frozen=True)
class _TeamView:
    """What a posture bot reads of its team that the scenario alone decides, worked out
    once per team (``CompiledRules.bot_moves``, under the key ``(team, POSTURE_VIEW)``)."""

    candidates: tuple[tuple[MoveType, str, int], ...]  # (move, kind, crc32 of its id)
    own: tuple[int, ...]  # the team's actors (indices)
    import_weights: tuple[float, ...]  # per material, its share of the import need
    supply_factor: float  # 0.5 + its objectives' share of weight on supply met
    leverage: float  # its largest share of world output of a material past the mine


POSTURE_VIEW = "posture view"  # no bot style is named so (``Team.bot``)


def _team_view(scenario: Scenario, team_id: str) -> _TeamView:
    rules = rules_for(scenario)
    key = (team_id, POSTURE_VIEW)
    found = rules.bot_moves.get(key)
    if found is None:
        found = rules.bot_moves.put(key, _build_team_view(scenario, team_id))
    return found


def _build_team_view(scenario: Scenario, team_id: str) -> _TeamView:
    """Coalition moves (``requires``) are not candidates: a bot alone cannot make a quorum,
    and the room would hear "needs 3 teams" every turn."""
    own = tuple(scenario.actor_index[a] for a in scenario.team_actors(team_id))
    info = rules_for(scenario).bot_interests
    deficit = info.deficit[:, list(own)].sum(axis=1) if own \
        else np.zeros(len(scenario.materials))
    weights = deficit / deficit.sum() if deficit.sum() > 0 else deficit
    team = scenario.team(team_id)
    supply_weight = sum(abs(o.weight) for o in team.objectives if o.indicator == "supply_met")
    total_weight = sum(abs(o.weight) for o in team.objectives) or 1.0
    leverage = 0.0
    if own:  # past the mine: the second stage (the only one of a one-stage material)
        share = info.share  # (M, S, A)
        leverage = float(share[:, min(1, share.shape[1] - 1), list(own)].sum(axis=1).max())
    candidates = tuple((move, move_kind(move), zlib.crc32(move.id.encode()))
                       for move in scenario.moves
                       if move.allowed_for(team_id) and move.requires is None)
    return _TeamView(candidates, own, tuple(weights.tolist()),
                     0.5 + supply_weight / total_weight, leverage)


def _need(scenario: Scenario, state: GameState, view: _TeamView) -> float:
    """What the team lacks, 0..~2: its worst sector's shortfall last turn, the rise of the
    world prices of the materials it imports most, weighted by how much of its objectives
    is about supply."""
    last = state.last or {}
    table, has = last.get("supply_table"), last.get("has_demand")
    shortfall = 0.0
    if table is not None and has is not None:
        met = [table[a][k] for a in view.own for k in range(len(scenario.sectors)) if has[a][k]]
        shortfall = 1.0 - min(met) if met else 0.0
    prices = last.get("price_index") or {}
    scarcity = sum(w * max(0.0, float(prices.get(m.id, 1.0)) - 1.0)
                   for w, m in zip(view.import_weights, scenario.materials))
    return (shortfall + min(scarcity, 1.0)) * view.supply_factor


def _tie_break(crc: int, turn: int) -> float:
    """A tiny, deterministic, turn-varying nudge so equal scores do not always pick the
    same move (``crc`` the crc32 of the move's id)."""
    return ((crc + 7919 * turn) % 97) * 1e-5


def posture_orders(scenario: Scenario, state: GameState, team_id: str,
                   posture: str) -> list[Order]:
    """At most one order: the best-scoring legal move above the posture's threshold.
    Coalition moves (``requires``) are not candidates: a bot alone cannot make a quorum, and
    the room would hear "needs 3 teams" every turn."""
    if posture not in PROFILES:
        raise ValueError(f"unknown bot posture {posture!r} (postures: {', '.join(POSTURES)})")
    profile = PROFILES[posture]
    view = _team_view(scenario, team_id)
    provoked = provokers(scenario, state, team_id)
    need = _need(scenario, state, view)
    leverage = view.leverage
    recent = _recent_moves(scenario, state, team_id)
    scored: list[tuple[float, str, MoveType, str]] = []
    for move, kind, crc in view.candidates:
        if kind == "coercive":
            value = profile.coercion * leverage + (profile.retaliation if provoked else 0.0)
        elif kind == "resilient":
            value = profile.resilience * need
        else:
            value = 0.3 * profile.resilience * need
        if move.id in recent:
            value -= REPEAT_PENALTY
        value += _tie_break(crc, state.turn)
        if value > profile.threshold:
            scored.append((value, move.id, move, kind))
    scored.sort(key=lambda item: (-item[0], item[1]))
    target = None
    if provoked:
        actors = scenario.team_actors(provoked[0])
        target = actors[0] if actors else None
    for _value, _id, move, kind in scored:
        coercive = kind == "coercive"
        params = fill_params(scenario, team_id, move, state.turn,
                             style="hawk" if coercive else "builder",
                             target=target if coercive else None)
        order = Order(team=team_id, move=move.id, params=params,
                      id=f"t{state.turn}-{team_id}{BOT_ORDER_MARK}{move.id}")
        if not order_problems(rules_for(scenario), state, order):
            return [order]
    return []
