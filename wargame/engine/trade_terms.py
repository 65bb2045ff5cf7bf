"""What a turn's trade looks like beyond licences and tariffs, as the flow reads it:
contract shares, export duties, leakage, tonnage quota pools, licence queues, home shares
and processors' plans (``TradeTerms``), built each turn by ``market.prepare_market``.
Kept apart from ``flow.py`` so that ``policy.py`` can name quota pools without importing
the flow."""
from __future__ import annotations

import dataclasses

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class QuotaPool:
    """A tonnage cap on one exporter's exports of one material to a set of importers over
    a set of stages (an ``export_quota`` measure; a quota per destination is one pool per
    importer). Stages draw on the pool upstream first. A ``leakage_share`` of what the cap
    blocks still leaves (smuggling) and does not count against the quota."""

    material: int
    exporter: int
    stages: np.ndarray  # (S,) bool
    importers: np.ndarray  # (A,) bool
    tonnes_per_turn: float
    leakage_share: float
    measure_id: str = ""
    # further materials sharing the tonnage (a quota over several materials), and the order
    # the pool serves its materials in when it binds (dearest first; set each turn by
    # ``market.prepare_market``; empty = pro rata)
    shared: tuple[int, ...] = ()
    order: tuple[int, ...] = ()

    @property
    def materials(self) -> tuple[int, ...]:
        """Every material the pool covers, its own first."""
        return (self.material,) + tuple(self.shared)

    def moved(self, where: "dict[int, int] | int") -> "QuotaPool":
        """The pool with its materials renumbered: by an offset (stacked variants) or a map
        (a selection of materials)."""
        if isinstance(where, int):
            fix = lambda m: m + where  # noqa: E731
        else:
            fix = where.__getitem__
        return dataclasses.replace(self, material=fix(self.material),
                                   shared=tuple(fix(m) for m in self.shared),
                                   order=tuple(fix(m) for m in self.order))


@dataclass(frozen=True)
class TradeTerms:
    """The turn's trade structure beyond licences and tariffs. ``None`` fields take the
    neutral default (no duty, no leakage, contracts pro rata to exporters' offers, all of
    an actor's own use served from its own output first, plans = run rates)."""

    contract: np.ndarray | None = None  # (M, S, E, I) importer I's contract share from E
    duty: np.ndarray | None = None  # (M, S, E, I) export duty rate set by E (0.25 = 25 %)
    leakage: np.ndarray | None = None  # (M, S, E, I) share of licence-blocked volume leaking
    home_share: np.ndarray | None = None  # (M, S, A) share of own use served from own output
    planned_output: np.ndarray | None = None  # (M, S, A) t per turn each plant means to make
    # (M, S, E, I) t of export applications a licence refused so far, still on file
    licence_queue: np.ndarray | None = None
    quotas: list[QuotaPool] = field(default_factory=list)
    # terms of several games (or what-if variants) stacked along the material axis
    # (``stack_terms``): each part's number of materials, in order, and which parts gave
    # each optional field (the others hold its neutral value). The flow takes its
    # branches per part, as each part alone would. Empty: one part, unstacked.
    part_sizes: tuple[int, ...] = ()
    parts_giving: dict[str, tuple[bool, ...]] = field(default_factory=dict)

    def giving(self, name: str) -> tuple[bool, ...]:
        """Which parts gave the optional field ``name`` (one part when not stacked)."""
        if not self.part_sizes:
            return (getattr(self, name) is not None,)
        return self.parts_giving[name]


NEUTRAL_TERMS = TradeTerms()
# the per-material arrays of ``TradeTerms`` (``None``: the neutral default)
TERMS_ARRAYS = ("contract", "duty", "leakage", "home_share", "planned_output", "licence_queue")


def part_starts(sizes: "tuple[int, ...] | list[int]") -> np.ndarray:
    """The first row of each stacked part, from the parts' numbers of materials."""
    return np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(int)


def _neutral(name: str, shape: tuple[int, ...]) -> np.ndarray:
    if name == "planned_output":
        raise ValueError("stacked trade terms need planned output for every part or none")
    return np.ones(shape) if name == "home_share" else np.zeros(shape)


def stack_terms(parts: list[TradeTerms], sizes: list[int]) -> TradeTerms:
    """Several variants' terms as one along the material axis (see ``state.stack_states``);
    ``sizes`` are the parts' numbers of materials: quota pools move to their part's place;
    a field left out by some parts takes its neutral value there."""
    def cat(name: str) -> np.ndarray | None:
        arrays = [getattr(t, name) for t in parts]
        if all(a is None for a in arrays):
            return None
        rest = next(a for a in arrays if a is not None).shape[1:]
        return np.concatenate([a if a is not None else _neutral(name, (size,) + rest)
                               for a, size in zip(arrays, sizes)])

    if any(t.part_sizes for t in parts):
        raise ValueError("stack_terms: the parts are already stacked terms")
    offsets = part_starts(sizes).tolist()
    pools = [pool.moved(int(offset)) for offset, part in zip(offsets, parts)
             for pool in part.quotas]
    return TradeTerms(**{name: cat(name) for name in TERMS_ARRAYS}, quotas=pools,
                      part_sizes=tuple(int(size) for size in sizes),
                      parts_giving={name: tuple(getattr(t, name) is not None for t in parts)
                                    for name in TERMS_ARRAYS})
