"""``CompiledRules``: everything derived from a scenario once, held in one explicit object.

A scenario is immutable and identified by its content hash; what the engine derives from it
(the ``Baseline`` arrays, each measure's compiled form, the bound arguments of orders and deck
injects, the quiet-turn reference figures scores are measured against, tiled baselines for
stacked explanations, the bots' view of their interests) is computed on first use and kept
here, never in the scenario model itself.

Get one with ``rules_for(scenario)`` (a small bounded cache keyed by
``scenario.content_hash``) or build one with ``compile_rules(scenario)`` and pass it to
``resolve_turn(..., rules=rules)``. Every cache in it is keyed by content (ids from the
scenario, canonical argument tuples), never by object identity, and bounded.

Thread safety: the caches are plain dicts filled on first use; two threads may both compute
the same entry, which is harmless (the results are equal), and a dict read or write is
atomic in CPython.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Generic, Hashable, TypeVar

import numpy as np

from wargame.engine.baseline import Baseline, build_baseline, select_baseline, tile_baseline
from wargame.engine.conditions import CompiledDeck, compile_deck
from wargame.engine.market_constants import MarketConstants, build_market_constants
from wargame.scenario.model import Scenario

T = TypeVar("T")
CACHE_LIMIT = 4096  # entries per cache before it is emptied (bounded work and memory)
RULES_CACHE_SIZE = 8  # scenarios kept by ``rules_for``
DRAWLESS_POLICY_LIMIT = 256  # policies of the measures that draw nothing (``policy.py``)
RESTRICTION_PLAN_LIMIT = 256  # status arrays and caps of the drawing measures (``policy.py``)


@dataclass(frozen=True)
class BotInterests:
    """Baseline shares the bots reason with (``bots.py``)."""

    share: np.ndarray  # (M, S, A) actor's share of world output at each stage
    use_last: np.ndarray  # (M, A) own use of the final stage's product, t per turn
    deficit: np.ndarray  # (M, A) import need, weighted by critical sectors and market value
    output: np.ndarray  # (M, S, A) baseline output, t per turn
    need: np.ndarray  # (M, S, A) baseline own use, t per turn


def _bot_interests(base: Baseline) -> BotInterests:
    output = base.capacity * base.utilisation + base.recycle_capacity  # (M, S, A)
    world = np.maximum(output.sum(axis=2, keepdims=True), 1e-12)
    last = base.stage_count - 1
    rows = np.arange(base.n_materials)
    use_last = base.use_need[rows, last]  # (M, A)
    out_last = output[rows, last]
    value = use_last * base.base_price[rows, last][:, None]
    # how much of its use an actor imports, counting more for materials its
    # highest-priority sectors need (defence) and, gently, for bigger markets
    imported = np.clip(1.0 - out_last / np.maximum(use_last, 1e-12), 0.0, 1.0)
    top = base.sector_priority == base.sector_priority.min()
    critical = 1.0 + (base.demand[:, top, :].sum(axis=1).T > 0)  # (M, A)
    deficit = imported * critical * np.log1p(value)
    return BotInterests(share=output / world, use_last=use_last, deficit=deficit,
                        output=output, need=base.use_need)


class _BoundedCache(Generic[T]):
    """A dict that empties itself when it grows past ``limit`` entries."""

    __slots__ = ("_data", "_limit", "get")

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        self._data: dict[Hashable, T] = {}
        self._limit = limit
        # the entry of a key, or None: the dict's own ``get`` (the hot path, a sweep makes
        # dozens of lookups per game and turn), valid for good as the dict is only cleared
        self.get: Callable[[Hashable], T | None] = self._data.get

    def put(self, key: Hashable, value: T) -> T:
        if len(self._data) >= self._limit:
            self._data.clear()
        self._data[key] = value
        return value

    def __len__(self) -> int:
        return len(self._data)


class CompiledRules:
    """What the engine derives from one scenario, computed once and shared by every turn,
    what-if variant and thread that plays it.

    - ``baseline``: the scenario's per-turn constants (``baseline.Baseline``);
    - ``market``: the market's constants (``market_constants.MarketConstants``), and
      ``tiled_market(copies)`` for stacked what-ifs;
    - ``compiled_measures``: a measure's compiled policy code by its content key
      (``policy.compiled``); ``drawless_policies``: the policy arrays of a turn's measures
      that draw nothing (``policy.drawless_policy``); ``restriction_plans``: what the
      measures that draw do whatever they draw (``policy.restriction_plan``);
    - ``order_args`` / ``inject_args``: effect arguments bound from an order's parameters or
      a deck inject (``planning.py``), so a repeated order shares them;
    - ``phrases``: an order's label and description read aloud (``phrases.py``), by content,
      so a repeated order (a standing order, a bot's) is worded once;
    - ``tiled(copies)``: the baseline repeated along the material axis (``explain.py``);
    - ``quiet_reference(build)``: the quiet turn-1 figures scores compare against;
    - ``start_world(build)``: the world before turn 1 apart from its seed (settled origin
      shares and licence queues do not depend on it), so a new game is a copy;
    - ``bot_interests``: baseline shares the bots reason with; ``bot_params``: the
      parameters a bot sets on a move, by (team, move, turn, style, target);
      ``bot_moves``: a style bot's candidate moves, by (team, style);
    - ``deck``: the inject deck's conditions, parsed (``conditions.CompiledDeck``).
    """

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.scenario_hash: str = scenario.content_hash
        self.baseline: Baseline = build_baseline(scenario)
        self.market: MarketConstants = build_market_constants(scenario, self.baseline)
        self._market_tiles: _BoundedCache[MarketConstants] = _BoundedCache()
        self._selections: _BoundedCache[tuple[Baseline, MarketConstants]] = _BoundedCache()
        self.compiled_measures: _BoundedCache[tuple] = _BoundedCache()
        # ~100 kB each (four (M, S, A, A) arrays): fewer kept
        self.drawless_policies: _BoundedCache[Any] = _BoundedCache(DRAWLESS_POLICY_LIMIT)
        # ~30 kB each (an (M, S, A, A) status array)
        self.restriction_plans: _BoundedCache[Any] = _BoundedCache(RESTRICTION_PLAN_LIMIT)
        self.order_args: _BoundedCache[dict[str, Any]] = _BoundedCache()
        self.inject_args: _BoundedCache[tuple[tuple[int, Any, str, dict[str, Any]], ...]] = \
            _BoundedCache()
        self.phrases: _BoundedCache[str] = _BoundedCache()
        self.bot_params: _BoundedCache[dict[str, Any]] = _BoundedCache()
        self.bot_moves: _BoundedCache[tuple] = _BoundedCache()
        self._tiles: _BoundedCache[Baseline] = _BoundedCache()
        self._quiet_reference: Any = None
        self._start_world: Any = None
        self._bot_interests: BotInterests | None = None
        self._deck: CompiledDeck | None = None

    def selected(self, materials: tuple[int, ...]) -> tuple[Baseline, MarketConstants]:
        """(baseline, market constants) of the listed materials only, in that order: what a
        stacked pass over the materials that what-if variants change needs."""
        found = self._selections.get(materials)
        if found is None:
            idx = np.asarray(materials, dtype=int)
            found = self._selections.put(materials, (select_baseline(self.baseline, idx),
                                                     self.market.selected(idx)))
        return found

    def tiled_market(self, copies: int) -> MarketConstants:
        """The market constants with materials repeated ``copies`` times (stacked what-ifs)."""
        found = self._market_tiles.get(copies)
        return found if found is not None else self._market_tiles.put(
            copies, self.market.tiled(copies))

    def tiled(self, copies: int) -> Baseline:
        """The baseline with its materials repeated ``copies`` times (stacked what-ifs)."""
        found = self._tiles.get(copies)
        return found if found is not None else self._tiles.put(
            copies, tile_baseline(self.baseline, copies))

    def quiet_reference(self, build: Callable[[], T]) -> T:
        """The quiet-turn reference figures, built by ``build`` on first use. (The builder
        resolves a turn, which this module cannot import without an import cycle.)"""
        if self._quiet_reference is None:
            self._quiet_reference = build()
        return self._quiet_reference

    def start_world(self, build: Callable[[], T]) -> T:
        """The seed-independent start of a game, built by ``build`` on first use (callers
        copy it: ``setup.initial_state``)."""
        if self._start_world is None:
            self._start_world = build()
        return self._start_world

    @property
    def bot_interests(self) -> BotInterests:
        if self._bot_interests is None:
            self._bot_interests = _bot_interests(self.baseline)
        return self._bot_interests

    @property
    def deck(self) -> CompiledDeck:
        if self._deck is None:
            self._deck = compile_deck(self.scenario)
        return self._deck

    def check(self, scenario: Scenario) -> None:
        """Refuse rules compiled for another scenario (a programming error, said clearly)."""
        if scenario is not self.scenario and scenario.content_hash != self.scenario_hash:
            raise ValueError(f"these rules were compiled for scenario {self.scenario.id!r} "
                             f"({self.scenario_hash[:12]}), not {scenario.id!r} "
                             f"({scenario.content_hash[:12]})")

    def __repr__(self) -> str:
        return f"CompiledRules({self.scenario.id!r}, {self.scenario_hash[:12]})"


def compile_rules(scenario: Scenario) -> CompiledRules:
    """A fresh ``CompiledRules`` for ``scenario`` (its caches fill as turns are played)."""
    return CompiledRules(scenario)


_RULES: OrderedDict[str, CompiledRules] = OrderedDict()
_RULES_LOCK = threading.Lock()


def rules_for(scenario: Scenario) -> CompiledRules:
    """The shared ``CompiledRules`` of ``scenario``, from a small LRU cache keyed by its
    content hash (equal content, equal rules, whichever object carries it)."""
    key = scenario.content_hash
    with _RULES_LOCK:
        rules = _RULES.get(key)
        if rules is not None:
            _RULES.move_to_end(key)
            return rules
    rules = compile_rules(scenario)
    with _RULES_LOCK:
        rules = _RULES.setdefault(key, rules)
        _RULES.move_to_end(key)
        while len(_RULES) > RULES_CACHE_SIZE:
            _RULES.popitem(last=False)
    return rules


def baseline(scenario: Scenario) -> Baseline:
    """The scenario's derived constants (``rules_for(scenario).baseline``)."""
    return rules_for(scenario).baseline
