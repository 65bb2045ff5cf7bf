"""``MarketState``: what the market remembers between turns, kept in the ``GameState``.

- ``demand_level`` (A, K, M): the position of each sector's demand curve relative to the
  baseline (1 = baseline). High prices lower it over the years (thrifting, substitution);
  it recovers only partly when they fall (``demand.py``).
- ``contract`` (M, S, E, I): each importer's contract shares by exporter, drifting towards
  the suppliers that delivered (``trade.py``).
- ``sales`` (M, S, A): last turn's sales (own use included) of each producer, t per turn,
  ``unsold`` the output it could not sell, and ``input_met`` the share of the input it
  asked for that it got: what processors plan their output on (``supply.py``).
- ``licence_queue`` (M, S, E, I): export applications a licence refused, still on file
  (``flow._license``): routine licensing delays trade a turn, a freeze holds it back.
- ``ramping``: new capacity still ramping up, one ``RampEntry`` per arrival.

Arrays are serialised like the ``GameState``'s (shape and data), so a state written and
read back hashes the same.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RampEntry:
    """New capacity that came on line at the start of ``online_turn`` and runs below
    nameplate for the stage's ramp-up profile. ``reserved_for`` names an investor whose
    equity stake reserves this capacity's output (``reserves: new``), with its share."""

    actor: str
    material: str
    stage: str
    tonnes_per_turn: float
    online_turn: int
    source_id: str = ""  # the measure that built it
    reserved_for: str | None = None
    reserved_share: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "material": self.material, "stage": self.stage,
                "tonnes_per_turn": self.tonnes_per_turn, "online_turn": self.online_turn,
                "source_id": self.source_id, "reserved_for": self.reserved_for,
                "reserved_share": self.reserved_share}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "RampEntry":
        tonnes = float(raw["tonnes_per_turn"])
        share = float(raw.get("reserved_share", 0.0))
        if not (np.isfinite(tonnes) and tonnes >= 0 and 0.0 <= share <= 1.0):
            raise ValueError("stored state: a ramp-up entry holds a number out of range")
        return cls(actor=str(raw["actor"]), material=str(raw["material"]),
                   stage=str(raw["stage"]), tonnes_per_turn=tonnes,
                   online_turn=int(raw["online_turn"]), source_id=str(raw.get("source_id", "")),
                   reserved_for=raw.get("reserved_for"), reserved_share=share)


MARKET_ARRAYS = ("demand_level", "contract", "sales", "unsold", "input_met", "licence_queue")


@dataclass
class MarketState:
    demand_level: np.ndarray  # (A, K, M)
    contract: np.ndarray  # (M, S, E, I)
    sales: np.ndarray  # (M, S, A) t per turn
    unsold: np.ndarray  # (M, S, A) t per turn
    input_met: np.ndarray  # (M, S, A) share of the input it asked for each plant got
    licence_queue: np.ndarray  # (M, S, E, I) t
    ramping: list[RampEntry] = field(default_factory=list)

    def copy(self, share_arrays: bool = False) -> "MarketState":
        """A copy with its own list of ramping plants; its arrays are copies, or with
        ``share_arrays`` read-only views (``GameState.copy``: nothing changes the market's
        arrays in place before a batch stacks them)."""
        own = read_only_view if share_arrays else np.ndarray.copy
        return MarketState(**{name: own(getattr(self, name)) for name in MARKET_ARRAYS},
                           ramping=list(self.ramping))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in MARKET_ARRAYS:
            array = getattr(self, name)
            if not np.isfinite(array).all():
                raise ValueError(f"market '{name}' is not finite")
            out[name] = {"shape": list(array.shape),
                         "data": np.asarray(array, dtype=float).ravel().tolist()}
        out["ramping"] = [entry.to_json() for entry in self.ramping]
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "MarketState":
        arrays = {}
        for name in MARKET_ARRAYS:
            array = np.array(raw[name]["data"], dtype=float).reshape(raw[name]["shape"])
            if not np.isfinite(array).all():
                raise ValueError(f"stored state: market '{name}' holds a number that is not finite")
            arrays[name] = array
        return cls(**arrays, ramping=[RampEntry.from_json(e) for e in raw.get("ramping", [])])

    def hash_bytes(self) -> bytes:
        parts = [np.ascontiguousarray(getattr(self, name), dtype="<f8").tobytes()
                 for name in MARKET_ARRAYS]
        ramping = json.dumps([e.to_json() for e in self.ramping], sort_keys=True,
                             separators=(",", ":"))
        return b"".join(parts) + ramping.encode()


def read_only_view(array: np.ndarray) -> np.ndarray:
    """``array``'s data seen through a view that refuses writes (the array itself stays
    writable): a copy-on-write share (``GameState.copy``, ``MarketState.copy``)."""
    view = array.view()
    view.setflags(write=False)
    return view


def stack_market(parts: list[MarketState]) -> MarketState:
    """Several variants' market states along the material axis (``state.stack_states``)."""
    return MarketState(
        demand_level=np.concatenate([p.demand_level for p in parts], axis=2),
        contract=np.concatenate([p.contract for p in parts], axis=0),
        sales=np.concatenate([p.sales for p in parts], axis=0),
        unsold=np.concatenate([p.unsold for p in parts], axis=0),
        input_met=np.concatenate([p.input_met for p in parts], axis=0),
        licence_queue=np.concatenate([p.licence_queue for p in parts], axis=0),
        ramping=[],
    )
