"""The inject deck at play: which injects fire each turn, follow-up chains, and the figures
conditions read.

Conditions are written in the language of ``wargame.scenario.conditions`` (parsed and
checked when the scenario loads). At the start of each turn ``fire_deck`` checks every
inject of the deck against the figures *recorded at the end of the previous turns*
(``DeckState.history``): a condition is checked only once every figure it reads is known
(from turn 2, or turn N + 1 with ``for N turns``). Then:

- a **scheduled** inject fires at its turn (if it has a condition, only when it holds);
- a **random** inject fires with its probability in its window, drawn with the keyed draw
  ``inject:<id>`` (with a condition: only while it holds, and once unless ``repeat``);
- a **conditional** inject fires at the first check where its condition holds; with
  ``repeat`` it fires again each time the condition holds after a check where it did not;
- a **follow-up** fires ``after_turns`` after the inject that scheduled it fired (by any
  route, by hand too), with its own probability drawn as ``followup:<parent>><id>@<turn>``,
  and only if its own condition (if any) holds then.

``record_turn`` appends the figures the deck's conditions read (only those) to the state at
the end of each turn, keeping as many turns as the longest ``for N turns`` needs, so the
state stays small and serialisable. A scenario whose deck has no conditions and no
follow-ups keeps an empty ``DeckState`` (its states hash as before).

``upcoming_injects`` lists what the deck may still fire, for the facilitator.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

from pydantic import BaseModel, ConfigDict, TypeAdapter

from wargame.engine.draws import keyed_uniform
from wargame.scenario.conditions import (
    Call, Expr, describe, evaluate, indicator_calls, lookback, parse_condition,
)
from wargame.scenario.model import Inject, Scenario

MAX_PENDING = 1_000  # follow-ups waiting at once (a facilitator firing chains by hand)

FiringHow = Literal["scheduled", "drawn", "condition", "follow-up", "by hand"]

# ----------------------------------------------------------------- state kept between turns


@dataclass(frozen=True)
class PendingFollowUp:
    """An inject scheduled by another that fired: it fires at the start of ``due_turn``."""

    due_turn: int
    inject: str
    parent: str
    probability: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"due_turn": self.due_turn, "inject": self.inject, "parent": self.parent,
                "probability": self.probability}


@dataclass(frozen=True)
class DeckState:
    """What the deck remembers between turns (immutable; replaced each turn).

    ``history``: per past turn (oldest first, at most the deck's look-back), the value of
    every indicator reading its conditions name, keyed ``name(arg,...)``;
    ``fired``: times each inject has fired so far (any route);
    ``armed``: for repeatable conditional injects, whether the condition did not hold at
    the last check (so it may fire when it next holds);
    ``pending``: follow-ups scheduled and not yet due."""

    history: tuple[dict[str, float], ...] = ()
    fired: dict[str, int] = field(default_factory=dict)
    armed: dict[str, bool] = field(default_factory=dict)
    pending: tuple[PendingFollowUp, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.history or self.fired or self.armed or self.pending)

    def to_json(self) -> dict[str, Any]:
        # a figure not known (NaN) is stored as null: stored states hold finite JSON only
        history = [{k: (None if math.isnan(v) else v) for k, v in h.items()}
                   for h in self.history]
        return {"history": history, "fired": dict(self.fired),
                "armed": dict(self.armed), "pending": [p.to_json() for p in self.pending]}

    @classmethod
    def from_json(cls, raw: Any) -> "DeckState":
        """A stored deck state back, validated (finite values, whole counts)."""
        return _STORED.validate_python(raw or {}).to_state()


class _StoredPending(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    due_turn: int
    inject: str
    parent: str
    probability: float | None = None


class _StoredDeck(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    history: list[dict[str, float | None]] = []  # null: not known at the end of that turn
    fired: dict[str, int] = {}
    armed: dict[str, bool] = {}
    pending: list[_StoredPending] = []

    def to_state(self) -> DeckState:
        history = tuple({k: (math.nan if v is None else v) for k, v in turn.items()}
                        for turn in self.history)
        return DeckState(history=history, fired=dict(self.fired),
                         armed=dict(self.armed),
                         pending=tuple(PendingFollowUp(**p.model_dump()) for p in self.pending))


_STORED = TypeAdapter(_StoredDeck)

# ----------------------------------------------------------------- the compiled deck


@dataclass(frozen=True)
class CompiledDeck:
    """The deck's conditions parsed once per scenario (``CompiledRules.deck``)."""

    conditions: dict[str, Expr]  # inject id -> parsed condition
    lookbacks: dict[str, int]  # inject id -> past turns its condition reads
    readings: tuple[Call, ...]  # every recorded indicator reading, once each
    history_turns: int  # turns of history kept
    active: bool  # any condition or follow-up: the deck keeps a state at all
    # without conditions, the injects that may fire on their own by turn (``_on_their_own``)
    by_turn: dict[int, tuple[tuple[Inject, bool], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def records(self) -> bool:
        return bool(self.readings)


def compile_deck(scenario: Scenario) -> CompiledDeck:
    conditions: dict[str, Expr] = {}
    lookbacks: dict[str, int] = {}
    readings: dict[str, Call] = {}
    for inject in scenario.injects:
        if inject.condition is None:
            continue
        expr = parse_condition(inject.condition)
        conditions[inject.id] = expr
        lookbacks[inject.id] = lookback(expr)
        for call in indicator_calls(expr):
            if call.name != "fired":
                readings.setdefault(call.key, call)
    active = bool(conditions) or any(i.follow_ups for i in scenario.injects)
    return CompiledDeck(conditions=conditions, lookbacks=lookbacks,
                        readings=tuple(readings.values()),
                        history_turns=max(lookbacks.values(), default=0), active=active)


def condition_holds(deck: CompiledDeck, state: DeckState, inject_id: str, turn: int,
                    ) -> bool | None:
    """Whether an inject's condition holds at the start of ``turn`` (None: it has none;
    False also while the figures it reads are not yet known)."""
    expr = deck.conditions.get(inject_id)
    if expr is None:
        return None
    if len(state.history) < deck.lookbacks[inject_id]:
        return False

    def value_of(call: Call, ago: int) -> float:
        if call.name == "fired":
            return float(state.fired.get(call.args[0], 0))
        if ago >= len(state.history):
            return math.nan
        return state.history[-1 - ago].get(call.key, math.nan)

    return evaluate(expr, value_of, turn)


# ----------------------------------------------------------------- firing


def fire_deck(deck: CompiledDeck, scenario: Scenario, state: DeckState, turn: int,
              turn_seed: int, by_hand: Sequence[Inject] = (), automatic: bool = True,
              ) -> tuple[list[tuple[Inject, FiringHow]], DeckState]:
    """The injects that fire at the start of ``turn`` (deck order, then follow-ups, then
    those fired by hand) and the deck state after it. ``automatic=False`` fires only the
    hand-fired ones (a quiet run); their follow-ups are still scheduled."""
    fired: list[tuple[Inject, FiringHow]] = []
    armed = dict(state.armed)
    if automatic and not deck.conditions:  # what fires reads the turn and the draws alone
        for inject, drawn in _on_their_own(deck, scenario, turn):
            if not drawn:
                fired.append((inject, "scheduled"))
            elif keyed_uniform(turn_seed, f"inject:{inject.id}") < inject.probability:
                fired.append((inject, "drawn"))
    elif automatic:
        for inject in scenario.injects:
            holds = condition_holds(deck, state, inject.id, turn)
            how = _automatic(inject, holds, state, turn, turn_seed)
            if inject.condition is not None and inject.repeat:
                armed[inject.id] = not holds
            if how is not None:
                fired.append((inject, how))
    if automatic:
        by_id = {inject.id: inject for inject in scenario.injects} if state.pending else {}
        for due in state.pending:
            child = by_id.get(due.inject)
            if due.due_turn != turn or child is None:
                continue
            if due.probability is not None and keyed_uniform(
                    turn_seed, f"followup:{due.parent}>{due.inject}@{turn}") >= due.probability:
                continue
            if condition_holds(deck, state, child.id, turn) is False:
                continue
            fired.append((child, "follow-up"))
    fired.extend((inject, "by hand") for inject in by_hand)
    if not deck.active:
        return fired, state
    counts = dict(state.fired)
    pending = [p for p in state.pending if p.due_turn > turn]
    for inject, _ in fired:
        counts[inject.id] = counts.get(inject.id, 0) + 1
        for follow_up in inject.follow_ups:
            if len(pending) < MAX_PENDING:
                pending.append(PendingFollowUp(turn + follow_up.after_turns, follow_up.inject,
                                               inject.id, follow_up.probability))
    return fired, DeckState(history=state.history, fired=counts, armed=armed,
                            pending=tuple(pending))


_BY_TURN_LIMIT = 1024  # turns kept per deck (a game has a few dozen)


def _on_their_own(deck: CompiledDeck, scenario: Scenario, turn: int,
                  ) -> tuple[tuple[Inject, bool], ...]:
    """In a deck without conditions, the injects that may fire on their own at ``turn``, in
    deck order, each with whether its draw decides (``_automatic`` where no condition
    holds or fails: scheduled ones fire, random ones within their window draw), worked
    out once per turn: the games of a sweep fire the same deck."""
    found = deck.by_turn.get(turn)
    if found is None:
        found = tuple((inject, inject.turn is None) for inject in scenario.injects
                      if _may_fire_alone(inject, turn))
        if len(deck.by_turn) >= _BY_TURN_LIMIT:
            deck.by_turn.clear()
        deck.by_turn[turn] = found
    return found


def _may_fire_alone(inject: Inject, turn: int) -> bool:
    """``_automatic`` of an inject without a condition, before its draw: scheduled for
    this turn, or drawn for within its window."""
    if inject.turn is not None:
        return inject.turn == turn
    return inject.probability is not None and inject.from_turn <= turn \
        and (inject.until_turn is None or turn <= inject.until_turn)


def _automatic(inject: Inject, holds: bool | None, state: DeckState, turn: int,
               turn_seed: int) -> FiringHow | None:
    """How the deck fires ``inject`` on its own this turn (None: it does not)."""
    if holds is False:
        return None
    if inject.turn is not None:
        return "scheduled" if inject.turn == turn else None
    if turn < inject.from_turn or (inject.until_turn is not None and turn > inject.until_turn):
        return None
    spent = holds is not None and not inject.repeat and state.fired.get(inject.id, 0) > 0
    if inject.probability is not None:
        if spent:
            return None
        return "drawn" if keyed_uniform(turn_seed, f"inject:{inject.id}") \
            < inject.probability else None
    if holds is None or spent:
        return None
    if inject.repeat and not state.armed.get(inject.id, True):
        return None  # it held at the last check too: it fires again only after a break
    return "condition"


# ----------------------------------------------------------------- recording figures


def reading_value(scenario: Scenario, call: Call, indicators: Any, capacity_per_year: Any,
                  ) -> float:
    """One indicator reading from a turn's ``TurnIndicators`` (and, for ``capacity``, the
    state's capacity as tonnes per year: ``capacity_per_year(actor, material, stage)``)."""
    args = call.args
    name = call.name
    ind = indicators
    if name == "supply_met":
        return float(ind.supply_met_share.get(args[0], {}).get(args[1], 1.0))
    if name == "material_met":
        return float(ind.material_met_share.get(args[0], {}).get(args[1], 1.0))
    if name == "shortfall":
        return float(ind.shortfall_tonnes_per_year.get(args[0], {}).get(args[1], 0.0))
    if name == "price_index":
        return float(ind.price_index_vs_baseline.get(args[0], math.nan))
    if name == "price":
        by_stage = (ind.world_price_usd_per_kg if len(args) == 2
                    else ind.price_by_actor_usd_per_kg).get(args[0], {}).get(args[1], {})
        value = by_stage if len(args) == 2 else by_stage.get(args[2], math.nan)
        return float(value) if not isinstance(value, dict) else math.nan
    if name == "dependency":
        table = (ind.dependency_share_all_materials_by_value if len(args) == 2
                 else ind.dependency_share_by_material.get(args[2], {}))
        return float(table.get(args[0], {}).get(args[1], 0.0))
    if name == "stock":
        return float(ind.stocks_tonnes.get(args[0], {}).get(args[1], 0.0))
    if name == "capacity":
        return float(capacity_per_year(*args))
    if name == "ore_processed_home":
        return float(ind.ore_processed_home_share.get(args[1], {}).get(args[0], 0.0))
    if name in ("import_bill", "export_revenue", "revenue", "value_added"):
        field_name = {"import_bill": "import_bill_usd_m_per_turn",
                      "export_revenue": "export_revenue_usd_m_per_turn",
                      "revenue": "revenue_usd_m_per_turn",
                      "value_added": "value_added_usd_m_per_turn"}[name]
        return float(getattr(ind, field_name).get(args[0], 0.0))
    if name == "budget":
        return float(ind.budget_usd_m.get(args[0], math.nan))
    if name == "political_capital":
        return float(ind.political_capital.get(args[0], math.nan))
    if name == "restriction":
        codes = {"open": 0, "slowed": 1, "frozen": 2, "banned": 3}
        return float(max((codes[str(row.status)] for row in ind.flows
                          if row.exporter == args[0] and row.importer == args[1]
                          and row.material == args[2]), default=0))
    raise KeyError(f"no reading for indicator '{name}'")


def record_turn(deck: CompiledDeck, scenario: Scenario, state: DeckState, indicators: Any,
                capacity_per_year: Any) -> DeckState:
    """The deck state with this turn's readings appended (oldest dropped past the
    look-back). Unknown figures are kept as NaN: comparisons with them are false."""
    if not deck.records:
        return state
    turn = {call.key: reading_value(scenario, call, indicators, capacity_per_year)
            for call in deck.readings}
    history = (state.history + (turn,))[-max(deck.history_turns, 1):]
    return DeckState(history=history, fired=state.fired, armed=state.armed,
                     pending=state.pending)


# ----------------------------------------------------------------- the facilitator's view


class UpcomingInject(BaseModel):
    """An inject the deck may still fire, as the facilitator sees it. ``trigger``: how it
    would fire; ``due_turn``: when (scheduled, follow-up), ``from_turn``/``until_turn``:
    the window it is checked in; ``condition``: its condition in canonical form;
    ``holds_now``: whether the condition holds on the latest figures (None: no condition);
    ``after``: the inject a follow-up is waiting on; ``times_fired`` so far."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    inject_id: str
    title: str
    trigger: Literal["scheduled", "random", "conditional", "follow-up", "hand"]
    due_turn: int | None = None
    from_turn: int | None = None
    until_turn: int | None = None
    probability: float | None = None
    condition: str | None = None
    holds_now: bool | None = None
    after: str | None = None
    times_fired: int = 0


def upcoming_injects(deck: CompiledDeck, scenario: Scenario, state: DeckState, turn: int,
                     ) -> list[UpcomingInject]:
    """What may still fire from ``turn`` on: scheduled injects not yet due, random and
    conditional ones whose window is open and that may fire again, waiting follow-ups,
    and the hand-fired part of the deck; scheduled and follow-ups by due turn first."""
    out: list[UpcomingInject] = []
    last = scenario.turns
    for inject in scenario.injects:
        times = state.fired.get(inject.id, 0)
        expr = deck.conditions.get(inject.id)
        common = dict(inject_id=inject.id, title=inject.title, times_fired=times,
                      condition=describe(expr) if expr is not None else None,
                      holds_now=condition_holds(deck, state, inject.id, turn))
        trigger = inject.trigger
        if trigger == "scheduled":
            if turn <= inject.turn <= last:
                out.append(UpcomingInject(trigger=trigger, due_turn=inject.turn, **common))
            continue
        if trigger in ("random", "conditional"):
            until = min(inject.until_turn or last, last)
            spent = expr is not None and times > 0 and not inject.repeat
            if until >= turn and not spent:
                out.append(UpcomingInject(trigger=trigger, from_turn=max(inject.from_turn, turn),
                                          until_turn=until, probability=inject.probability,
                                          **common))
            continue
        out.append(UpcomingInject(trigger="hand", **common))
    by_id = {inject.id: inject for inject in scenario.injects}
    for due in state.pending:
        child = by_id.get(due.inject)
        if child is None or due.due_turn < turn or due.due_turn > last:
            continue
        expr = deck.conditions.get(child.id)
        out.append(UpcomingInject(
            inject_id=child.id, title=child.title, trigger="follow-up", due_turn=due.due_turn,
            probability=due.probability, after=due.parent,
            condition=describe(expr) if expr is not None else None,
            holds_now=condition_holds(deck, state, child.id, turn),
            times_fired=state.fired.get(child.id, 0)))
    rank = {"scheduled": 0, "follow-up": 0, "conditional": 1, "random": 2, "hand": 3}
    return sorted(out, key=lambda u: (rank[u.trigger], u.due_turn or 0))
