"""Every random draw of a turn: where its randomness comes from, what keys it, and the typed
record kept of it.

The state's PCG64 stream gives one 63-bit *turn seed* per turn (``turn_seed``), whatever the
orders. Every draw of the turn is then keyed by the turn seed and a stable identity of what
draws:

- the licence approvals of an export restriction: ``<measure id>:licence``
  (of an extraterritorial rule: ``<measure id>:extraterritorial``);
- whether a pending investment slips a turn: ``<pipeline entry id>:delay``;
- whether a random inject of the deck fires: ``inject:<inject id>``.

Measure ids come from the order id and effect index, the inject id and turn, or the standing
order's index (``planning.py``), never from a counter. So (a) setting one order aside changes
only the draws keyed on that order, (b) the order in which orders are given changes nothing,
and (c) leave-one-out explanations see exactly the same draws as the turn itself (common
random numbers).

A (turn seed, key) pair is hashed with keyed BLAKE2b (the turn seed is the hash key): a
uniform draw is 53 bits of the hash; the licence approvals (Beta draws) come from a PCG64
whose whole state (128-bit state and increment) is the hash. A sweep makes a dozen keyed
draws per game and turn, and building a NumPy generator from a seed (``SeedSequence``) cost
15-25 us each, more than resolving the game's flow; setting a generator's state costs a few.
(Engine model 6; before, each pair seeded its own ``PCG64([turn_seed, crc32(key)])``.)

Nothing here holds a generator shared between threads: a thread's own PCG64 is reset
entirely from the hash before each keyed draw and read at once, so no draw depends on
another and turns may be resolved on any thread. (Each thread also keeps the
approvals it drew for its latest turn seed: what-if variants of a turn ask for them again.)
"""
from __future__ import annotations

import hashlib
import threading
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

_UNIT = 2.0 ** -53
_MASK128 = (1 << 128) - 1


def turn_seed(rng_state: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The turn's seed (the next 63 bits of the state's PCG64 stream) and the advanced
    stream state. This thread's bit generator, its whole state set first: nothing is
    shared between threads."""
    bits = _THREAD.stream  # this thread's own (building a PCG64 seeds it: ~15 us)
    bits.state = rng_state
    seed = int(bits.random_raw()) >> 1
    return seed, bits.state


def initial_rng_state(seed: int) -> dict[str, Any]:
    """The PCG64 state a new game starts from."""
    return np.random.PCG64(int(seed)).state


def _keyed_hash(turn_seed: int, key: str, size: int) -> int:
    """``size`` bytes of keyed BLAKE2b of ``key`` under the turn seed, as an integer."""
    digest = hashlib.blake2b(key.encode(), digest_size=size,
                             key=int(turn_seed).to_bytes(8, "little")).digest()
    return int.from_bytes(digest, "little")


class _ThreadGenerator(threading.local):
    """One PCG64 per thread, reset from a keyed hash before every keyed draw; and the
    approvals drawn on this thread for its latest turn seed (``approvals``), with that
    seed as the hash key."""

    def __init__(self) -> None:
        self.bits = np.random.PCG64(0)
        self.generator = np.random.Generator(self.bits)
        self.stream = np.random.PCG64(0)  # for ``turn_seed``: set, read once, left
        self.rows_seed: int | None = None
        self.rows_key = b""
        self.rows: dict[tuple, np.ndarray] = {}


_THREAD = _ThreadGenerator()


def _keyed_generator(turn_seed: int, key: str, hash_key: bytes | None = None,
                     ) -> np.random.Generator:
    """This thread's generator, its whole state set from (turn seed, key); read it before
    the next keyed draw on this thread. ``hash_key``: the turn seed as ``_keyed_hash``
    keys the hash, if the caller has it."""
    if hash_key is None:
        bits = _keyed_hash(turn_seed, key, 32)
    else:
        bits = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=32,
                                              key=hash_key).digest(), "little")
    _THREAD.bits.state = {"bit_generator": "PCG64",
                          "state": {"state": bits & _MASK128, "inc": (bits >> 128) | 1},
                          "has_uint32": 0, "uinteger": 0}
    return _THREAD.generator


def keyed_uniform(turn_seed: int, key: str) -> float:
    """One uniform draw in [0, 1) for (turn, key). Not cached: one keyed hash costs about
    what a cache lookup does, and a sweep never asks twice (a new turn seed every turn)."""
    return (_keyed_hash(turn_seed, key, 8) >> 11) * _UNIT


def draw_approvals(rng: np.random.Generator, mean: float, concentration: float,
                   size: int) -> np.ndarray:
    """Shares of requested exports licensed: Beta around ``mean`` (0 and 1 are certain)."""
    if mean <= 0.0:
        return np.zeros(size)
    if mean >= 1.0:
        return np.ones(size)
    return rng.beta(mean * concentration, (1 - mean) * concentration, size=size)


def keyed_approvals(turn_seed: int, key: str, mean: float, concentration: float,
                    size: int) -> tuple[float, ...]:
    """The approvals of one restriction for (turn, key): ``size`` Beta draws."""
    if mean <= 0.0 or mean >= 1.0:  # certain: no draw
        return tuple(draw_approvals(None, mean, concentration, size))  # type: ignore[arg-type]
    return tuple(draw_approvals(_keyed_generator(turn_seed, key), mean, concentration, size))


def certain_row(mean: float, importers: tuple[int, ...], n_actors: int) -> np.ndarray | None:
    """The row of a restriction whose approvals are certain (a ban approves nothing, a mean
    of 1 everything), read-only; None when they are drawn. It depends on no turn, so a
    compiled measure keeps it (``policy.py``)."""
    if 0.0 < mean < 1.0:
        return None
    row = np.ones(n_actors)
    row[list(importers)] = draw_approvals(None, mean, 0.0, len(importers))  # type: ignore[arg-type]
    row.setflags(write=False)
    return row


def approvals(turn_seed: int, key: str, mean: float, concentration: float,
              size: int) -> np.ndarray:
    """``keyed_approvals`` as a read-only array, for a restriction whose approvals are
    drawn (``0 < mean < 1``; ``policy.py`` writes them into its row of approvals).

    The draws of the latest turn seed drawn on this thread are kept: what-if variants of
    a turn (``explain.py``) draw the same again, one after another. A sweep draws for a
    new turn seed on every policy it builds, and a cache over all seeds (an LRU cache of
    rows) cost more to fill than it saved there."""
    memo = _THREAD
    if memo.rows_seed != turn_seed:
        memo.rows_seed, memo.rows = turn_seed, {}
        memo.rows_key = int(turn_seed).to_bytes(8, "little")
    args = (key, mean, concentration, size)
    drawn = memo.rows.get(args)
    if drawn is None:
        drawn = draw_approvals(_keyed_generator(turn_seed, key, memo.rows_key), mean,
                               concentration, size)
        drawn.setflags(write=False)
        memo.rows[args] = drawn
    return drawn


def rounded_shares(shares: np.ndarray) -> np.ndarray:
    """``round(share, 6)`` of every number of an array, equal to Python's ``round`` of
    each, in one pass: the records keep approvals (shares 0..1) to six decimals, the
    states the stage price indices.

    Python rounds the exact binary value to the nearest sixth decimal (halves to even) and
    returns the double nearest that decimal. ``rint(share * 1e6) / 1e6`` gives the same:
    for a number of at most 1,000 the product, rounded once, is within 6e-8 of the exact
    one, so its nearest integer is the exact one's unless the product lies within that of
    a half; the division of two exact integers is rounded to the nearest double. Numbers
    whose product is within 1e-6 of a half, and larger numbers, are rounded one by one."""
    scaled = shares * 1e6
    nearest = np.rint(scaled)
    out = nearest / 1e6
    near_half = (np.abs(scaled - nearest) > 0.5 - 1e-6) | (np.abs(shares) > 1e3)
    if near_half.any():
        for index in zip(*np.nonzero(near_half)):
            out[index] = round(float(shares[index]), 6)
    return out


# ----------------------------------------------------------------- records of the draws

class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class LicenceDraw(_Record):
    """The licence approvals drawn for one export restriction this turn (only restrictions
    whose level is neither a ban nor fully open draw)."""

    kind: Literal["licence"] = "licence"
    measure_id: str
    exporter: str  # actor id
    material: str  # material id
    level: str  # restriction level id (or its mean, written as a number)
    approved_share_by_importer: dict[str, float]  # importer actor id -> share 0..1
    # an extraterritorial rule's draw: ``exporter`` is the rule's author, and the shares
    # apply to other countries' exports carrying its origin content
    extraterritorial: bool = False


class DelayDraw(_Record):
    """Whether one pending investment, due this turn, slipped by a turn."""

    kind: Literal["delay"] = "delay"
    pipeline_id: str
    probability: float = Field(ge=0, le=1)
    slipped: bool


Draw = Annotated[Union[LicenceDraw, DelayDraw], Field(discriminator="kind")]
DRAWS = TypeAdapter(list[Draw])


def draws_from_json(raw: Any) -> list[LicenceDraw | DelayDraw]:
    """Stored draw records back as typed ones (validated)."""
    return DRAWS.validate_python(raw or [])
