"""``GameState``: the world at the start of a turn, serialisable and hashable.

Arrays are indexed ``[material, stage, actor]`` like the ``Baseline`` (``baseline.py``);
quantities are tonnes of contained material (stocks) or tonnes per turn (capacity), prices
USD/kg, budgets USD million. Measures in force and the investment pipeline are typed records
(``measures.py``). What the market remembers between turns (demand levels, contracts,
sales, licence queues, ramping plants) is a ``MarketState`` (``market_state.py``); a state
stored before the market had one reads back without it, and the market starts it from the
baseline on the next turn. The new game's state is made by ``setup.initial_state``.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wargame.engine.conditions import DeckState
from wargame.engine.market_state import MarketState, read_only_view, stack_market
from wargame.engine.measures import (
    Measure, PipelineEntry, measures_from_json, pipeline_from_json,
)

ARRAY_FIELDS = (
    "capacity", "recycle_capacity", "utilisation", "base_utilisation",
    "stock", "stock_target", "strategic", "price", "origin",
)


_PLAIN = (str, int, float, bool, type(None))


def _entry_json(entry: PipelineEntry) -> dict[str, Any]:
    """``entry.to_json()`` (``dataclasses.asdict``) without asdict's recursion and deep
    copies, which cost most of a state's hash: an entry's fields are plain values, kept as
    they are (anything else goes through ``to_json``)."""
    out = {f.name: getattr(entry, f.name) for f in _PIPELINE_FIELDS}
    return out if all(isinstance(v, _PLAIN) for v in out.values()) else entry.to_json()


_PIPELINE_FIELDS = dataclasses.fields(PipelineEntry)


# ``json.dumps(value, sort_keys=True, separators=(",", ":"))``'s encoder, made once; a
# state holds no cycles, so it skips the check for them (the same text, sooner)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False)


def _canonical(value: Any) -> str:
    """The canonical JSON a state's hash reads: sorted keys, no spaces."""
    return _CANONICAL.encode(value)


# the canonical JSON of measures and pipeline entries, by the object itself: both are
# immutable (frozen, a measure's arguments never changed in place), and the games of a
# sweep share most of theirs (``planning._PlanCaches``; a starting measure's pipeline
# entry is kept by the measure), so each is written once. Keyed by id() with the object
# held in the entry, so an id is never reused while its entry is kept. Bounded.
_OBJECT_JSON: dict[int, tuple[Any, str]] = {}
_OBJECT_JSON_LIMIT = 4096


def _kept_json(item: Measure | PipelineEntry) -> str:
    """``_canonical`` of a measure's ``to_json()`` or a pipeline entry's (``_entry_json``)."""
    kept = _OBJECT_JSON.get(id(item))
    if kept is not None and kept[0] is item:
        return kept[1]
    text = _canonical(_entry_json(item) if isinstance(item, PipelineEntry)
                      else item.to_json())
    if len(_OBJECT_JSON) >= _OBJECT_JSON_LIMIT:
        _OBJECT_JSON.clear()
    _OBJECT_JSON[id(item)] = (item, text)
    return text


def _json_list(items: list[Any]) -> str:
    """The canonical JSON of a list of measures or pipeline entries: ``_canonical`` of the
    list of their JSON is the list's items' texts joined by commas in brackets."""
    return "[" + ",".join(map(_kept_json, items)) + "]"


# the rest's keys as canonical JSON
_KEY_JSON = {key: _canonical(key)
             for key in ("turn", "seed", "measures", "pipeline", "rng_state", "last", "deck")}


def _array_to_json(array: np.ndarray) -> dict[str, Any]:
    return {"shape": list(array.shape), "data": np.asarray(array, dtype=float).ravel().tolist()}


def _array_from_json(name: str, raw: dict[str, Any]) -> np.ndarray:
    array = np.array(raw["data"], dtype=float).reshape(raw["shape"])
    if not np.isfinite(array).all():
        raise ValueError(f"stored state: '{name}' holds a number that is not finite")
    return array


@dataclass
class GameState:
    """Everything about the world at the start of ``turn``; serialisable, hashable."""

    turn: int
    capacity: np.ndarray
    recycle_capacity: np.ndarray
    utilisation: np.ndarray
    base_utilisation: np.ndarray
    stock: np.ndarray
    stock_target: np.ndarray
    strategic: np.ndarray
    price: np.ndarray
    origin: np.ndarray  # (M, S, A, A): share of actor's holding by origin actor
    budget: np.ndarray  # (T,) USD million
    political_capital: np.ndarray  # (T,)
    measures: list[Measure] = field(default_factory=list)  # in force, in canonical order
    pipeline: list[PipelineEntry] = field(default_factory=list)  # capacity being built
    rng_state: dict[str, Any] = field(default_factory=dict)  # PCG64 state: one seed a turn
    seed: int = 0
    # last turn's headline figures (JSON, engine-internal): what the next turn's
    # explanations compare against, and the labels of measures that lapsed
    last: dict[str, Any] = field(default_factory=dict)
    market: MarketState | None = None
    # what the inject deck remembers (conditions' figures, firings, follow-ups): immutable
    deck: DeckState = field(default_factory=DeckState)

    def copy(self, share_arrays: bool = False) -> "GameState":
        """A copy that owns its budgets and lists; its arrays are copies too, or with
        ``share_arrays`` read-only views of this state's (a batch copies each game's
        state only to stack it: the few arrays a turn changes before that are copied when
        changed, ``writable``)."""
        own = read_only_view if share_arrays else np.ndarray.copy
        return GameState(
            turn=self.turn,
            **{name: own(getattr(self, name)) for name in ARRAY_FIELDS},
            budget=self.budget.copy(),
            political_capital=self.political_capital.copy(),
            # measures, pipeline entries, headlines and the PCG64 state are never mutated
            # in place (they are replaced: ``draws.turn_seed`` gives a new state), so
            # shallow copies of the lists are enough, and the rest is shared
            measures=list(self.measures),
            pipeline=list(self.pipeline),
            rng_state=self.rng_state,
            seed=self.seed,
            last=self.last,
            market=None if self.market is None else self.market.copy(share_arrays),
            deck=self.deck,
        )

    def shallow_copy(self) -> "GameState":
        """``copy.copy(self)``: a new state sharing every field's object, made without
        ``copy``'s generic protocol (planning makes one per game and turn)."""
        new = GameState.__new__(GameState)
        new.__dict__.update(self.__dict__)
        return new

    def writable(self, name: str) -> np.ndarray:
        """The array ``name`` (one of ``ARRAY_FIELDS``), copied first if it is a read-only
        view of another state's (``copy(share_arrays=True)``): write through this."""
        array = getattr(self, name)
        if not array.flags.writeable:
            array = array.copy()
            setattr(self, name, array)
        return array

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only, finite numbers only (a non-finite array is a bug: it
        raises ``ValueError`` naming the array rather than being stored)."""
        out: dict[str, Any] = {"turn": self.turn, "seed": self.seed}
        for name in ARRAY_FIELDS + ("budget", "political_capital"):
            array = getattr(self, name)
            if not np.isfinite(array).all():
                raise ValueError(f"state of turn {self.turn}: '{name}' is not finite")
            out[name] = _array_to_json(array)
        # the small rest through JSON: plain types, and nothing shared with this state
        out.update(json.loads(json.dumps(self._rest(), allow_nan=False)))
        if self.market is not None:
            out["market"] = self.market.to_json()
        return out

    def _rest(self) -> dict[str, Any]:
        rest = {"measures": [m.to_json() for m in self.measures],
                "pipeline": [_entry_json(e) for e in self.pipeline],
                "rng_state": self.rng_state, "last": self.last}
        if not self.deck.empty:  # absent when the deck keeps nothing: older states hash alike
            rest["deck"] = self.deck.to_json()
        return rest

    def _rest_json(self) -> str:
        """``_canonical({"turn": ..., "seed": ..., **self._rest()})``, written part by part
        (the same text: a dict is its sorted ``"key":value`` pairs) so that each measure's
        and pipeline entry's part is written once (``_kept_json``)."""
        parts = {"turn": _canonical(self.turn), "seed": _canonical(self.seed),
                 "measures": _json_list(self.measures),
                 "pipeline": _json_list(self.pipeline),
                 "rng_state": _canonical(self.rng_state), "last": _canonical(self.last)}
        if not self.deck.empty:
            parts["deck"] = _canonical(self.deck.to_json())
        return "{" + ",".join(f"{_KEY_JSON[key]}:{parts[key]}" for key in sorted(parts)) + "}"

    @classmethod
    def from_dict(cls, raw: dict[str, Any], turn_length_years: float | None = None,
                  ) -> "GameState":
        """A stored state back (validated: finite arrays, typed measures and pipeline;
        raises ``ValueError`` or pydantic's ``ValidationError`` on a bad one).
        ``turn_length_years`` (the scenario's) is needed only to read a pipeline stored by
        an older version (``measures.pipeline_from_json``)."""
        arrays = {name: _array_from_json(name, raw[name])
                  for name in ARRAY_FIELDS + ("budget", "political_capital")}
        return cls(turn=int(raw["turn"]), seed=int(raw.get("seed", 0)),
                   measures=measures_from_json(raw.get("measures", [])),
                   pipeline=pipeline_from_json(raw.get("pipeline", []), turn_length_years),
                   rng_state=copy.deepcopy(raw.get("rng_state", {})),
                   last=copy.deepcopy(raw.get("last", {})),
                   market=MarketState.from_json(raw["market"]) if raw.get("market") else None,
                   deck=DeckState.from_json(raw.get("deck")), **arrays)

    def content_hash(self) -> str:
        """SHA-256 over the arrays' little-endian float64 bytes and the canonical JSON of
        the rest. JSON stores floats with their shortest exact repr, so a state that went
        through ``to_dict``/``from_dict`` hashes the same."""
        digest = hashlib.sha256()
        for name in ARRAY_FIELDS + ("budget", "political_capital"):
            array = np.ascontiguousarray(getattr(self, name), dtype="<f8")
            digest.update(name.encode())
            digest.update(repr(array.shape).encode())
            digest.update(array)  # its bytes, read in place
        digest.update(self._rest_json().encode())
        if self.market is not None:
            digest.update(b"market")
            digest.update(self.market.hash_bytes())
        return digest.hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GameState) and self.content_hash() == other.content_hash()


def stack_states(states: list[GameState]) -> GameState:
    """Several states as one whose material axis holds every state's materials in turn.
    Materials never interact within a turn's flow, so stacked what-if variants of a turn can
    be resolved in one pass; only the arrays the flow reads are meaningful."""
    first = states[0]
    arrays = {name: np.concatenate([getattr(s, name) for s in states], axis=0)
              for name in ARRAY_FIELDS}
    market = None
    if all(s.market is not None for s in states):
        market = stack_market([s.market for s in states])
    return GameState(turn=first.turn, budget=first.budget.copy(),
                     political_capital=first.political_capital.copy(), market=market, **arrays)
