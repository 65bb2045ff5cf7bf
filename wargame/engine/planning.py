"""Planning a turn: orders, injects and standing orders become the turn's measures.

``plan_turn`` draws the turn seed, puts the orders in their canonical order (team rank in
the scenario, then order id, naturally sorted: ``t1-x-2`` before ``t1-x-10``), checks each
against the rules in that order (so which of a team's orders is unaffordable never depends
on how the list was given), charges what is accepted, and binds every accepted order,
standing order (turn 1) and fired inject into ``Measure`` records with stable ids:

=================  =============================  ==========================
made by            measure id                     group
=================  =============================  ==========================
order ``o``        ``o/<effect index>``           ``order:o``
standing order n   ``standing:n/<effect index>``  ``standing:n``
inject ``i``       ``inject:i@<turn>/<effect>``   ``inject:i``
=================  =============================  ==========================

Every random draw is keyed on those ids (``draws.py``), so leaving an order out, or giving
the orders in another order, changes no other draw.

What an order's content decides (its legality, wording, cost and bound effects) is worked
out once per content and kept (``KnownOrder``), and the immutable records a turn makes
(measures, plain outcomes, fired injects) are kept by all they are made of: the games of a
sweep give the same orders and fire the same deck, so they share them (``_PlanCaches``). Which deck injects fire (scheduled,
random, conditional, follow-ups) is ``conditions.fire_deck``. A coalition move
(``MoveType.requires``) takes effect only with its quorum of teams (``_take_orders``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from wargame.engine.conditions import fire_deck
from wargame.engine.draws import turn_seed as next_turn_seed
from wargame.engine.lifecycle import end_measures
from wargame.engine.measures import INJECT_GROUP, ORDER_GROUP, STANDING_GROUP, Measure
from wargame.engine.orders import (
    FACILITATOR, CheckedOrder, Order, Override, bind_effect_args, check_order, order_duration,
    params_key, scaled_order, spread_effect, unaffordable, with_defaults,
)
from wargame.engine.results import (
    OUTCOME_ACCEPTED, OUTCOME_NO_QUORUM, OUTCOME_OVERRIDDEN, OUTCOME_REJECTED, FiredInject,
    OrderOutcome,
)
from wargame.engine.rules import CompiledRules, _BoundedCache
from wargame.engine.state import GameState
from wargame.engine.phrases import describe_order, measure_label, move_phrase
from wargame.engine.wording import team_label
from wargame.scenario.model import Effect, Inject, MoveType, Quorum, Scenario
from wargame.scenario.primitives import PERMANENT_PRIMITIVES


@dataclass(frozen=True)
class TurnPlan:
    """What the turn will apply, before anything moves."""

    measures: tuple[Measure, ...]  # active this turn: carried over, then new ones
    fired: tuple[FiredInject, ...]
    outcomes: tuple[OrderOutcome, ...]  # one per order, in canonical order
    state: GameState  # the state after costs, before measures start (never mutated)
    turn_seed: int
    # this turn's ``end_measure`` groups: (group, label, what each did: 'ends ...'), the
    # enders themselves act once and are not among ``measures``
    endings: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # (ender group, a measure it ended or amended as it stood before): the what-if without
    # the ender puts these back (``simulate.prepare_plan``), so its effect is measured
    undone: tuple[tuple[str, Measure], ...] = ()
    # the exercise's last turn when a session ends before the scenario does (explanations
    # say "after the exercise's last turn"); None: the scenario's
    last_turn: int | None = None


# ----------------------------------------------------------------- canonical orders

@lru_cache(maxsize=4096)  # a sweep sorts the same bot order ids in every game
def _natural(text: str) -> tuple:
    """'t1-x-10' after 't1-x-2': digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


def _content(order: Order) -> str:
    return json.dumps({"move": order.move, "params": order.params}, sort_keys=True,
                      default=str)


def canonical_orders(sc: Scenario, orders: Iterable[Order], turn: int) -> list[Order]:
    """The orders sorted by team rank (the scenario's team order, the white cell last),
    then order id; an order without an id gets one from its content, and a repeated id is
    made unique (``~2``, ``~3`` in content order), so the result does not depend on the
    order the orders came in."""
    rank = {team.id: n for n, team in enumerate(sc.teams)}
    rank.setdefault(FACILITATOR, len(rank))
    named: list[Order] = []
    for order in orders:
        if not order.id:
            digest = hashlib.sha256(_content(order).encode()).hexdigest()[:10]
            order = dataclasses.replace(order, id=f"t{turn}-{order.team}-{digest}")
        named.append(order)
    named.sort(key=lambda o: (rank.get(o.team, len(rank) + 1), o.team, _natural(o.id)))
    out: list[Order] = []
    start = 0
    while start < len(named):  # runs of one id: ordered by content, then numbered
        end = start + 1
        while end < len(named) and named[end].id == named[start].id:
            end += 1
        run = named[start:end] if end - start == 1 else sorted(named[start:end], key=_content)
        out.extend(order if n == 0 else dataclasses.replace(order, id=f"{order.id}~{n + 1}")
                   for n, order in enumerate(run))
        start = end
    return out


# ----------------------------------------------------------------- binding measures

def _bound_args(rules: CompiledRules, move_id: str, index: int, effect: Effect,
                params: dict[str, Any], self_actor: str | None, team: str | None,
                ) -> dict[str, Any]:
    """An order's effect arguments; the same order bound again shares them (and so their
    compiled form). Keyed by content: move id, effect index, parameters, actor, team."""
    given = params_key(params)
    if given is None:  # a parameter that is not a plain value: bind without sharing
        return bind_effect_args(rules.scenario, effect.primitive, effect.args, params,
                                self_actor, team)
    key = (move_id, index, given, self_actor, team)
    args = rules.order_args.get(key)
    if args is None:
        args = rules.order_args.put(key, bind_effect_args(
            rules.scenario, effect.primitive, effect.args, params, self_actor, team))
    return args


def _said(rules: CompiledRules, move_id: str, params: dict[str, Any], team: str,
          label: bool) -> str:
    """An order's measure label (``label``) or its one-line description, as ``phrases.py``
    words it; worded once per content (move, parameters, team)."""
    sc = rules.scenario
    order = Order(team, move_id, params)

    def word() -> str:
        return measure_label(sc, sc.move_index[move_id], params, team) if label \
            else describe_order(sc, order)

    given = params_key(params)
    if given is None:
        return word()
    key = (label, move_id, given, team)
    said = rules.phrases.get(key)
    return said if said is not None else rules.phrases.put(key, word())


def _end_turn(primitive: str, turn: int, duration: int) -> int | None:
    """Capacity-building effects and duration 0 are permanent (None)."""
    return None if duration == 0 or primitive in PERMANENT_PRIMITIVES else turn + duration


# a move's effects bound for one order: (measure id tail ``<effect index>[:<material>]``,
# primitive, arguments)
BoundEffects = tuple[tuple[str, str, dict[str, Any]], ...]


def _bind_effects(rules: CompiledRules, move_id: str, params: dict[str, Any],
                  team: str | None) -> BoundEffects:
    sc = rules.scenario
    actors = sc.team_actors(team) if team in sc.team_index else ()
    self_actor = actors[0] if actors else None
    move = sc.move_index[move_id]
    return tuple((f"{k}{suffix}", effect.primitive, args)
                 for k, effect in enumerate(move.effects)
                 for suffix, args in spread_effect(
                     sc, effect, _bound_args(rules, move_id, k, effect, params, self_actor,
                                             team),
                     params, self_actor, team))


def _effect_measures(effects: BoundEffects, move_id: str, team: str | None, base_id: str,
                     group: str, label: str, turn: int, duration: int, public: bool,
                     ) -> list[Measure]:
    return [Measure(id=f"{base_id}/{tail}", group=group, label=label, team=team,
                    primitive=primitive, args=args,
                    start_turn=turn, end_turn=_end_turn(primitive, turn, duration),
                    public=public, source=f"move:{move_id}")
            for tail, primitive, args in effects]


def order_measures(rules: CompiledRules, move_id: str, params: dict[str, Any],
                   team: str | None, base_id: str, group: str, label: str, turn: int,
                   duration: int, public: bool) -> list[Measure]:
    """One measure per effect of a move, arguments bound, ids ``<base_id>/<effect index>``
    (an effect over several materials or sectors: one per material, ``...:<material>``)."""
    return _effect_measures(_bind_effects(rules, move_id, params, team), move_id, team,
                            base_id, group, label, turn, duration, public)


def inject_measures(rules: CompiledRules, inject: Inject, turn: int, base_id: str,
                    group: str) -> list[Measure]:
    """An inject's effects bind the same way every time it fires: a deck inject's bound
    arguments are kept (by id: the deck is part of the scenario's content)."""
    sc = rules.scenario
    from_deck = _from_deck(rules, inject)
    key = ("inject", inject.id, turn, base_id, group)
    made = _plan_caches(rules).measures.get(key) if from_deck else None
    if made is None:
        made = tuple(_inject_measures(rules, inject, turn, base_id, group, from_deck))
        if from_deck:
            _plan_caches(rules).measures.put(key, made)
    return list(made)


def _from_deck(rules: CompiledRules, inject: Inject) -> bool:
    """Whether ``inject`` is the scenario's deck inject of its id (content, not a copy
    changed by hand)."""
    caches = _plan_caches(rules)
    if caches.deck is None:  # the first of each id, as a search of the deck finds it
        caches.deck = {}
        for item in rules.scenario.injects:
            caches.deck.setdefault(item.id, item)
    deck = caches.deck.get(inject.id)
    return deck is not None and (deck is inject or deck == inject)


def _inject_measures(rules: CompiledRules, inject: Inject, turn: int, base_id: str,
                     group: str, from_deck: bool) -> list[Measure]:
    sc = rules.scenario
    team = sc.actor(inject.by).team if inject.by in sc.actor_index else None
    bound = rules.inject_args.get(inject.id) if from_deck else None
    if bound is None:
        bound = tuple((k, effect, suffix, args) for k, effect in enumerate(inject.effects)
                      for suffix, args in spread_effect(
                          sc, effect, bind_effect_args(sc, effect.primitive, effect.args, {},
                                                       inject.by, team),
                          {}, inject.by, team))
        if from_deck:
            rules.inject_args.put(inject.id, bound)
    return [Measure(id=f"{base_id}/{k}{suffix}", group=group,
                    label=f"the event '{inject.title}'",
                    team=team, primitive=effect.primitive, args=args, start_turn=turn,
                    end_turn=_end_turn(effect.primitive, turn, inject.duration), public=True,
                    source=f"inject:{inject.id}")
            for k, effect, suffix, args in bound]


def standing_measures(rules: CompiledRules, turn: int) -> list[Measure]:
    """The measures of the scenario's standing orders (``in_force``), as of ``turn``
    (made once per turn: every game starts with the same)."""
    cache = _plan_caches(rules).measures
    made = cache.get(("standing", turn))
    if made is None:
        made = cache.put(("standing", turn), tuple(_standing_measures(rules, turn)))
    return list(made)


def _standing_measures(rules: CompiledRules, turn: int) -> list[Measure]:
    sc = rules.scenario
    out: list[Measure] = []
    for n, standing in enumerate(sc.in_force):
        if standing.move not in sc.move_index or standing.team not in sc.team_index:
            continue
        move = sc.move_index[standing.move]
        out += order_measures(
            rules, standing.move, with_defaults(move, standing.params), standing.team,
            f"{STANDING_GROUP}{n}", f"{STANDING_GROUP}{n}",
            f"{_said(rules, standing.move, standing.params, standing.team, True)} (in force)",
            turn, 0, move.public)
    return out


# ----------------------------------------------------------------- orders by content
# What the rules say about an order depends on its content (team, move, parameters) and the
# scenario alone, except whether the team can pay (the state's budgets): bots check the
# same few orders in every game of a sweep, and planning checks them again, so the
# content's part is worked out once per ``CompiledRules`` and content, the budgets' part
# every time.

@dataclass(frozen=True)
class KnownOrder:
    """An order's content as the rules see it: checked (``orders.CheckedOrder``), worded
    for its outcome, and what it charges (nothing for the white cell) with the outcome's
    wording of that cost."""

    checked: CheckedOrder
    description: str
    charge: tuple[float, float]  # (USD m, political capital)
    cost_detail: str
    key: tuple | None  # the content's key (``_content_key``); None: not cached


@dataclass(frozen=True)
class _BoundOrder:
    """An accepted order's measures before its id and turn are known."""

    label: str
    duration: int
    effects: BoundEffects


class _PlanCaches:
    """What planning works out once per ``CompiledRules`` and content, bounded like its own
    caches: ``known`` and ``bound`` orders by content; the immutable records a turn makes
    (measures, outcomes, fired injects) by everything they are made of, so the games of a
    sweep share them instead of building equal ones (``Measure`` and the pydantic records
    are frozen, and no code tells equal ones apart by identity)."""

    __slots__ = ("known", "bound", "measures", "outcomes", "fired", "deck", "__weakref__")

    def __init__(self) -> None:
        self.deck: dict[str, Inject] | None = None  # the deck's injects by id (``_from_deck``)
        self.known: _BoundedCache[KnownOrder] = _BoundedCache()
        self.bound: _BoundedCache[_BoundOrder] = _BoundedCache()
        self.measures: _BoundedCache[tuple[Measure, ...]] = _BoundedCache()
        self.outcomes: _BoundedCache[OrderOutcome] = _BoundedCache()
        self.fired: _BoundedCache[FiredInject] = _BoundedCache()


# per CompiledRules (dropped with it): kept here, beside the code that fills them
_PLAN_CACHES: weakref.WeakKeyDictionary[CompiledRules, _PlanCaches] = \
    weakref.WeakKeyDictionary()


# the last rules asked for and their caches (a sweep asks for the same a dozen times per
# game and turn; ``WeakKeyDictionary.get`` makes a new weak reference each time)
_LAST_CACHES: tuple[weakref.ref, _PlanCaches] | None = None


def _plan_caches(rules: CompiledRules) -> _PlanCaches:
    global _LAST_CACHES
    last = _LAST_CACHES
    if last is not None and last[0]() is rules:
        return last[1]
    found = _PLAN_CACHES.get(rules)
    if found is None:
        found = _PLAN_CACHES.setdefault(rules, _PlanCaches())
    _LAST_CACHES = (weakref.ref(rules), found)
    return found


def _content_key(order: Order) -> tuple | None:
    """Everything about an order that decides what the rules say of it, bar the id."""
    given = params_key(order.params)
    return None if given is None else (order.team, order.move, given)


def _know(rules: CompiledRules, order: Order, key: tuple | None) -> KnownOrder:
    sc = rules.scenario
    checked = check_order(sc, order)
    charge = (checked.budget_usd_m, checked.political_capital) \
        if order.team in sc.team_index else (0.0, 0.0)  # the white cell pays nothing
    return KnownOrder(checked, describe_order(sc, order), charge, _outcome_detail(*charge),
                      key)


def known_order(rules: CompiledRules, order: Order) -> KnownOrder:
    """The order's ``KnownOrder``, worked out once per content."""
    key = _content_key(order)
    if key is None:
        return _know(rules, order, key)
    cache = _plan_caches(rules).known
    found = cache.get(key)
    return found if found is not None else cache.put(key, _know(rules, order, key))


class KnownOrders:
    """What the rules say of the orders one call plans (``batch.resolve_batch``: a batch of
    games), and their canonical order, by the order objects: the games of a batch give
    the same scripted orders and their bots the same order objects
    (``bots.shared_bot_orders``), so each is looked up once (``known_order`` keys its
    cache by the parameters' content) and each list of them sorted once. Holds the orders,
    so an id is never reused while kept; meant for one call, in which no order changes."""

    __slots__ = ("_by_object", "_sorted")

    def __init__(self) -> None:
        self._by_object: dict[int, tuple[Order, KnownOrder]] = {}
        self._sorted: dict[tuple[int, ...], tuple[tuple[Order, ...], list[Order]]] = {}

    def canonical(self, sc: Scenario, orders: Sequence[Order], turn: int) -> list[Order]:
        """``canonical_orders(sc, orders, turn)``: a new list, of the same objects for the
        same objects given (the orders made for id-less or repeated ids included)."""
        given = tuple(orders)
        key = (turn, *map(id, given))
        kept = self._sorted.get(key)
        if kept is None:  # the key's ids are those of the kept orders, alive while kept
            kept = self._sorted[key] = (given, canonical_orders(sc, given, turn))
        return list(kept[1])

    def of(self, rules: CompiledRules, order: Order) -> KnownOrder:
        kept = self._by_object.get(id(order))
        if kept is not None and kept[0] is order:
            return kept[1]
        known = known_order(rules, order)
        self._by_object[id(order)] = (order, known)
        return known


def order_problems(rules: CompiledRules, state: Any, order: Order,
                   charged: Sequence[tuple[str, KnownOrder]] = (),
                   known: KnownOrder | None = None) -> list[str]:
    """``orders.validate_order(rules.scenario, state, order, already)`` with ``charged``
    the (team, ``KnownOrder``) of ``already``: the same problems, the content's part
    looked up (or given: ``known``, the order's ``known_order``). Costs add up in the same
    order, so the sums are the same floats."""
    return _problems(rules, state, order.team,
                     known if known is not None else known_order(rules, order), charged)


def _problems(rules: CompiledRules, state: Any, team: str, known: KnownOrder,
              charged: Sequence[tuple[str, KnownOrder]]) -> list[str]:
    checked = known.checked
    if checked.problems or team == FACILITATOR:
        return list(checked.problems)  # the white cell spends no team's budget
    budget, capital = checked.budget_usd_m, checked.political_capital
    for other_team, other in charged:
        if other_team == team and other.checked.move is not None:
            budget += other.checked.budget_usd_m
            capital += other.checked.political_capital
    return unaffordable(rules.scenario, state, team, budget, capital)


def _bind(rules: CompiledRules, order: Order, known: KnownOrder) -> _BoundOrder:
    move, params = rules.scenario.move_index[order.move], known.checked.params
    return _BoundOrder(measure_label(rules.scenario, move, params, order.team),
                       order_duration(move, params),
                       _bind_effects(rules, order.move, params, order.team))


def _accepted_measures(rules: CompiledRules, order: Order, known: KnownOrder, turn: int,
                       ) -> list[Measure]:
    """An accepted order's measures; the same order (id and content) on the same turn
    makes the same measures, so they are made once (``_PlanCaches``)."""
    key = None if known.key is None else ("order", order.id, known.key, turn)
    cache = _plan_caches(rules).measures
    found = cache.get(key) if key is not None else None
    if found is None:
        bound = _bound_order(rules, order, known)
        move = rules.scenario.move_index[order.move]
        found = tuple(_effect_measures(bound.effects, order.move, order.team, order.id,
                                       f"{ORDER_GROUP}{order.id}", bound.label, turn,
                                       bound.duration, move.public))
        if key is not None:
            cache.put(key, found)
    return list(found)


def _bound_order(rules: CompiledRules, order: Order, known: KnownOrder) -> _BoundOrder:
    key = known.key  # the order's content is the known one's
    if key is None:
        return _bind(rules, order, known)
    cache = _plan_caches(rules).bound
    found = cache.get(key)
    return found if found is not None else cache.put(key, _bind(rules, order, known))


def _fired(rules: CompiledRules, inject: Inject, how: str) -> FiredInject:
    """The record of an inject firing (a deck inject's, made once per way it fires)."""
    if not _from_deck(rules, inject):
        return FiredInject(inject_id=inject.id, title=inject.title, text=inject.text,
                           how=how)
    cache = _plan_caches(rules).fired
    found = cache.get((inject.id, how))
    return found if found is not None else cache.put((inject.id, how), FiredInject(
        inject_id=inject.id, title=inject.title, text=inject.text, how=how))


# ----------------------------------------------------------------- the plan

def _outcome_detail(budget: float, capital: float) -> str:
    detail = (f"costs USD {budget:,.0f} m" if budget else "") + \
        (f", {capital:g} political capital" if capital else "")
    return detail.strip(", ")


def plan_turn(rules: CompiledRules, state: GameState, orders: Sequence[Order] = (),
              injects: Iterable[str | Inject] = (),
              overrides: Iterable[Override | Mapping[str, Any]] = (),
              deck: bool = True, known: KnownOrders | None = None) -> TurnPlan:
    """The turn's measures, outcomes and fired injects (see the module docstring).
    ``known``: the orders already looked up in this batch of games (``KnownOrders``)."""
    sc = rules.scenario
    # only the budgets change here; the arrays are copied before the flow touches them
    st = state.shallow_copy()
    st.budget, st.political_capital = state.budget.copy(), state.political_capital.copy()
    turn = st.turn
    seed, st.rng_state = next_turn_seed(st.rng_state)
    measures = list(st.measures)
    taken = {m.id for m in measures}
    new: list[Measure] = []

    def add(items: list[Measure]) -> None:
        for measure in items:
            if measure.id in taken:  # an id reused while its measure is still active
                measure = dataclasses.replace(measure, id=f"{measure.id}@t{turn}")
            taken.add(measure.id)
            new.append(measure)

    if turn == 1:
        add(standing_measures(rules, turn))
    rulings = {o.order_id: o for o in (item if isinstance(item, Override)
                                       else Override.model_validate(item)
                                       for item in overrides)}
    known = known or KnownOrders()
    taking = _take_orders(rules, state, known.canonical(sc, orders, turn), rulings, known)
    for order, known in taking.accepted:
        if order.team in sc.team_index:
            budget, capital = known.charge
            t = sc.team_index[order.team]
            st.budget[t] -= budget
            st.political_capital[t] = max(0.0, st.political_capital[t] - capital)
        add(_accepted_measures(rules, order, known, turn))
    by_hand = list(injects)
    if by_hand:
        by_id = {i.id: i for i in sc.injects}
        by_hand = [item if isinstance(item, Inject) else by_id[item] for item in by_hand
                   if isinstance(item, Inject) or item in by_id]
    firing, st.deck = fire_deck(rules.deck, sc, st.deck, turn, seed, by_hand, deck)
    fired: list[FiredInject] = []
    times: dict[str, int] = {}
    for inject, how in firing:
        times[inject.id] = times.get(inject.id, 0) + 1
        name = inject.id if times[inject.id] == 1 else f"{inject.id}#{times[inject.id]}"
        add(inject_measures(rules, inject, turn, f"{INJECT_GROUP}{name}@{turn}",
                            f"{INJECT_GROUP}{name}"))
        fired.append(_fired(rules, inject, how))
    outcomes = taking.outcomes
    active, endings = end_measures(measures + new, turn)
    said: dict[str, list[str]] = {m.group: [] for m in new if m.primitive == "end_measure"}
    labels = {m.group: m.label for m in new if m.primitive == "end_measure"}
    for ender, what, _ in endings:
        whats = said.setdefault(ender.group, [])
        if what not in whats:  # a measure over two materials is one measure per material
            whats.append(what)
    if endings:  # the order that ended or amended measures says which
        outcomes = tuple(o.model_copy(update={"detail": "; ".join(
            [o.detail] * bool(o.detail) + said[f"{ORDER_GROUP}{o.order_id}"])})
            if said.get(f"{ORDER_GROUP}{o.order_id}") else o for o in outcomes)
    return TurnPlan(measures=tuple(active), fired=tuple(fired),
                    outcomes=outcomes, state=st, turn_seed=seed,
                    endings=tuple((group, labels.get(group, group), tuple(whats))
                                  for group, whats in said.items()),
                    undone=tuple((ender.group, before) for ender, _, before in endings))


# ----------------------------------------------------------------- orders and coalitions

@dataclass(frozen=True)
class _Taken:
    outcomes: tuple[OrderOutcome, ...]  # one per order, canonical order
    accepted: tuple[tuple[Order, KnownOrder], ...]


def _take_orders(rules: CompiledRules, state: GameState, orders: list[Order],
                 rulings: Mapping[str, Override], known: KnownOrders) -> _Taken:
    """Which orders take effect, and each one's outcome. A coalition move (``requires``)
    takes effect only when enough teams' orders of it are accepted in the same turn: the
    orders are taken again with the coalition moves short of their quorum set aside (not
    charged, so the teams' other orders may become affordable), until every coalition move
    left has its quorum. At most one pass per coalition move."""
    sc = rules.scenario
    short: dict[str, tuple[str, ...]] = {}  # move id -> teams that committed it
    while True:
        taken = _take_once(rules, state, orders, rulings, short, known)
        committed: dict[str, list[str]] = {}
        for order, _ in taken.accepted:
            if sc.move_index[order.move].requires is not None:
                teams = committed.setdefault(order.move, [])
                if order.team not in teams:
                    teams.append(order.team)
        missing = {move_id: tuple(teams) for move_id, teams in committed.items()
                   if not _quorum_met(sc.move_index[move_id].requires, teams)}
        if not missing:
            return taken
        short.update(missing)


def _quorum_met(quorum: Quorum, teams: Sequence[str]) -> bool:
    return len(set(teams)) >= quorum.teams and all(t in teams for t in quorum.including)


def _quorum_detail(sc: Scenario, move: MoveType, order: Order,
                   committed: Sequence[str]) -> str:
    """Why a coalition move failed, with the move as the team would say it."""
    quorum = move.requires
    names = [team_label(sc, t) for t in committed]
    who = " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else "none"
    need = f"needs {quorum.teams} teams committing to it in the same turn"
    if quorum.including:
        need += ", including " + " and ".join(team_label(sc, t) for t in quorum.including)
    what = move_phrase(sc, move, order.params, order.team)
    return f"did not take effect: the {what} {need}; only {who} did (nothing was charged)"


def _scaled(sc: Scenario, order: Order, ruling: Override | None) -> tuple[Order, str]:
    """The order as a ``scaled`` ruling makes it (its numeric parameter times the factor,
    within bounds), with the outcome's wording; unchanged without such a ruling."""
    if ruling is None or ruling.status != "scaled" or order.move not in sc.move_index:
        return order, ""
    move = sc.move_index[order.move]
    try:
        scaled, before, after = scaled_order(move, order, str(ruling.param),
                                             float(ruling.factor or 0))
    except ValueError as exc:
        return order, f"not scaled ({exc})"
    title = move.param(str(ruling.param)).title
    # read aloud: "new capacity (t/yr) from 3,000 to 1,500", not "3000 -> 1500"
    return scaled, (f"scaled by the facilitator ({title} from {_plain(before)} to "
                    f"{_plain(after)}): {ruling.reason}")


def _plain(value: float) -> str:
    """3000 -> '3,000', 0.25 -> '0.25', 1234567.5 -> '1,234,567.5' (never '1.2e+06')."""
    return f"{value:,.0f}" if float(value).is_integer() else \
        f"{value:,.3f}".rstrip("0").rstrip(".")


def _plain_outcome(rules: CompiledRules, oid: str, order: Order, known: KnownOrder,
                   ) -> OrderOutcome:
    """An order accepted without a ruling or a coalition: its outcome depends on its id
    and content alone (made once for them)."""
    def make() -> OrderOutcome:
        return OrderOutcome(order_id=oid, team=order.team, move=order.move,
                            status=OUTCOME_ACCEPTED, detail=known.cost_detail,
                            description=known.description)

    if known.key is None:
        return make()
    cache = _plan_caches(rules).outcomes
    found = cache.get((oid, known.key))
    return found if found is not None else cache.put((oid, known.key), make())


def _take_once(rules: CompiledRules, state: GameState, orders: list[Order],
               rulings: Mapping[str, Override], short: Mapping[str, tuple[str, ...]],
               knowing: KnownOrders) -> _Taken:
    sc = rules.scenario
    outcomes: list[OrderOutcome] = []
    accepted: list[tuple[Order, KnownOrder]] = []
    charged: list[tuple[str, KnownOrder]] = []
    for order in orders:
        oid = order.id
        ruling = rulings.get(oid)
        order, scaled_note = _scaled(sc, order, ruling)
        known = knowing.of(rules, order)
        description = known.description
        if ruling is not None and ruling.status == OUTCOME_REJECTED:
            outcomes.append(OrderOutcome(
                order_id=oid, team=order.team, move=order.move, status=OUTCOME_OVERRIDDEN,
                detail=f"set aside by the facilitator: {ruling.reason}",
                description=description))
            continue
        # against the budgets the turn started with: ``charged`` are this turn's orders
        problems = _problems(rules, state, order.team, known, charged)
        if problems and not (ruling is not None and ruling.status == OUTCOME_ACCEPTED):
            outcomes.append(OrderOutcome(
                order_id=oid, team=order.team, move=order.move, status=OUTCOME_REJECTED,
                detail="; ".join(([scaled_note] if scaled_note else []) + problems),
                description=description))
            continue
        move = sc.move_index[order.move]
        if order.move in short:
            outcomes.append(OrderOutcome(
                order_id=oid, team=order.team, move=order.move, status=OUTCOME_NO_QUORUM,
                detail=_quorum_detail(sc, move, order, short[order.move]),
                description=description))
            continue
        charged.append((order.team, known))
        accepted.append((order, known))
        if ruling is None and move.requires is None:  # the plain case, as every game has it
            outcomes.append(_plain_outcome(rules, oid, order, known))
            continue
        detail = (scaled_note if scaled_note else
                  f"admitted by the facilitator: {ruling.reason}" if ruling is not None
                  else known.cost_detail)
        if move.requires is not None and ruling is None:
            detail = "; ".join(filter(None, ["took effect with its coalition", detail]))
        outcomes.append(OrderOutcome(
            order_id=oid, team=order.team, move=order.move,
            status=OUTCOME_OVERRIDDEN if ruling is not None else OUTCOME_ACCEPTED,
            detail=detail, description=description))
    return _Taken(tuple(outcomes), tuple(accepted))
