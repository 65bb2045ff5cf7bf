"""Rule-based bots so a game runs with any team absent. Deterministic given the state.

Each style picks from the team's own move catalog by the primitive its moves use, so a bot
works with any scenario: a hawk restricts exports when its rivals restrict it or its leverage
is high; a builder invests, stockpiles and signs offtakes when short; a producer bans ore
exports to push processing home, and invests in refining; a diplomat and a passive bot do
little. Parameters are filled with each parameter's default or a sensible in-range choice.
"""
from __future__ import annotations

import dataclasses
import weakref
from typing import Sequence

from wargame.engine.bot_params import fill_params
from wargame.engine.orders import Order
from wargame.engine.planning import KnownOrder, known_order, order_problems
from wargame.engine.posture_bots import posture_orders
from wargame.engine.rules import CompiledRules, _BoundedCache, rules_for
from wargame.engine.state import GameState
from wargame.scenario.model import MoveType, Scenario

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


# coalition moves (``requires``): builders and diplomats commit them on the same turns
# (1, 5, 9, ...), so bots can make a quorum together; the one chosen rotates the same way
COALITION_STYLES = ("builder", "diplomat")
COALITION_CADENCE = 4

# the orders a bot tries, in order, each with what the rules say of it
Candidates = tuple[tuple[Order, KnownOrder], ...]


def _bots_can_form(scenario: Scenario, move: MoveType) -> bool:
    """Whether the teams whose bots join coalitions can make this move's quorum (a bot
    does not spend a turn on a coalition that bots alone can never form)."""
    joiners = {t.id for t in scenario.teams if t.bot in COALITION_STYLES
               and move.allowed_for(t.id)}
    quorum = move.requires
    return len(joiners) >= quorum.teams and all(t in joiners for t in quorum.including)


def _coalition_candidates(rules: CompiledRules, team_id: str, turn: int) -> Candidates:
    """The coalition moves a builder or diplomat bot tries this turn, in order."""
    if turn % COALITION_CADENCE != 1 % COALITION_CADENCE:
        return ()
    scenario = rules.scenario
    key = ("coalition", team_id, turn)
    candidates = _bot_orders(rules).get(key)
    if candidates is None:
        moves = sorted((m for m in scenario.moves if m.requires is not None
                        and m.allowed_for(team_id) and _bots_can_form(scenario, m)),
                       key=lambda m: m.id)
        start = (turn // COALITION_CADENCE) % len(moves) if moves else 0
        candidates = _bot_orders(rules).put(key, _known_orders(
            rules, team_id, moves[start:] + moves[:start], turn))
    return candidates


# a bot's orders of a turn, in the order it tries them, per ``CompiledRules`` (bounded)
_BOT_ORDERS: weakref.WeakKeyDictionary[CompiledRules, _BoundedCache[Candidates]] = \
    weakref.WeakKeyDictionary()


def _bot_orders(rules: CompiledRules) -> _BoundedCache[Candidates]:
    found = _BOT_ORDERS.get(rules)
    return found if found is not None else _BOT_ORDERS.setdefault(rules, _BoundedCache())


def _known_orders(rules: CompiledRules, team_id: str, moves: Sequence[MoveType], turn: int,
                  ) -> Candidates:
    """The bot's order of each move this turn, in the order it tries them, with what the
    rules say of each: they depend on the scenario, team, move and turn alone, so the
    games of a sweep share them (``_BOT_ORDERS``)."""
    out = []
    for pick in moves:
        order = Order(team=team_id, move=pick.id,
                      params=fill_params(rules.scenario, team_id, pick, turn),
                      id=f"t{turn}-{team_id}-bot")
        out.append((order, known_order(rules, order)))
    return tuple(out)


def _first_affordable(rules: CompiledRules, state: GameState, candidates: Candidates,
                      ) -> list[Order]:
    """The first of the candidates that is legal and that the team can pay for."""
    for order, known in candidates:
        if not order_problems(rules, state, order, known=known):
            return [order]
    return []


def _style_moves(scenario: Scenario, team_id: str, style: str) -> tuple[MoveType, ...]:
    """The team's moves that use the style's preferred primitives, most preferred first
    (then by id); worked out once per scenario (``CompiledRules.bot_moves``). Coalition
    moves are left out: a bot alone cannot make their quorum (``_coalition_candidates``:
    builders and diplomats commit them together)."""
    rules = rules_for(scenario)
    key = (team_id, style)
    found = rules.bot_moves.get(key)
    if found is None:
        wanted = STYLE_PRIMITIVES.get(style, ())
        candidates = [m for m in scenario.moves if m.allowed_for(team_id)
                      and m.requires is None
                      and any(e.primitive in wanted for e in m.effects)]
        candidates.sort(key=lambda m: (min(wanted.index(e.primitive) for e in m.effects
                                           if e.primitive in wanted), m.id))
        found = rules.bot_moves.put(key, tuple(candidates))
    return found


def bot_orders(scenario: Scenario, state: GameState, team_id: str,
               posture: str | None = None) -> list[Order]:
    """``shared_bot_orders``, each order the caller's own (its parameters a copy)."""
    return [dataclasses.replace(order, params={
        name: list(value) if isinstance(value, list) else value
        for name, value in order.params.items()})
        for order in shared_bot_orders(scenario, state, team_id, posture)]


def shared_bot_orders(scenario: Scenario, state: GameState, team_id: str,
                      posture: str | None = None, rules: CompiledRules | None = None,
                      ) -> list[Order]:
    """The bot's orders this turn. With a ``posture`` (hawkish, balanced, dovish: see
    ``posture_bots.py``) the bot pursues its team's objectives and reacts to last turn;
    without one it plays the scenario's style for the team: at most one order a turn, on
    the style's cadence, the first legal one among the style's preferred moves (rotating
    with the turn); builders and diplomats first commit a coalition move on the coalition
    cadence when bots of those styles can make its quorum together. A bot never submits an
    illegal or unaffordable order. A style bot's orders are the same objects in every game
    that gives them (``_known_orders``): read only (``bot_orders`` gives copies); a batch
    of games checks each once (``planning.plan_turn``'s ``known``). ``rules``: the
    scenario's (``rules_for(scenario)`` when not given)."""
    if posture is not None:
        return posture_orders(scenario, state, team_id, posture)
    rules = rules or rules_for(scenario)
    return _style_orders(rules, state, _turn_candidates(rules, team_id, state.turn))


def batch_bot_orders(rules: CompiledRules, states: Sequence[GameState], team_id: str,
                     posture: str | None = None) -> list[list[Order]]:
    """``shared_bot_orders`` of each state, what a style bot tries worked out once per
    turn (a batch's games play the same turn): only what the team can pay is checked per
    game."""
    if posture is not None:
        return [posture_orders(rules.scenario, state, team_id, posture) for state in states]
    by_turn: dict[int, tuple[Candidates, Candidates]] = {}
    out = []
    for state in states:
        candidates = by_turn.get(state.turn)
        if candidates is None:
            candidates = by_turn[state.turn] = _turn_candidates(rules, team_id, state.turn)
        out.append(_style_orders(rules, state, candidates))
    return out


def _turn_candidates(rules: CompiledRules, team_id: str, turn: int,
                     ) -> tuple[Candidates, Candidates]:
    """(the coalition moves, the style's own moves) the team's style bot tries this turn,
    each in the order it tries them (empty off its cadences)."""
    style = rules.scenario.team(team_id).bot
    coalition = _coalition_candidates(rules, team_id, turn) if style in COALITION_STYLES \
        else ()
    cadence = CADENCE.get(style, 0)
    if not cadence or turn % cadence != 1 % cadence:
        return coalition, ()
    key = ("style", team_id, style, turn)
    own = _bot_orders(rules).get(key)
    if own is None:
        moves = _style_moves(rules.scenario, team_id, style)
        start = (turn // max(cadence, 1)) % len(moves) if moves else 0
        own = _bot_orders(rules).put(key, _known_orders(
            rules, team_id, moves[start:] + moves[:start], turn))
    return coalition, own


def _style_orders(rules: CompiledRules, state: GameState,
                  candidates: tuple[Candidates, Candidates]) -> list[Order]:
    """A coalition move the team can commit to, else its style's first affordable move."""
    coalition, own = candidates
    return _first_affordable(rules, state, coalition) or _first_affordable(rules, state, own)
