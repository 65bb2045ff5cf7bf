"""The orders clock: how long the orders of a turn have been open, counting only time that
matters.

Time counts from the moment the orders opened (the ``orders`` phase began, or a first
submission opened it) and only while

- an app had the session open (its lock's stretches of presence: from acquiring the lock to
  releasing it, or to its last heartbeat if it crashed; a holder still alive counts up to
  now), so the clock stops while no app has the session open; and
- the exercise was not paused.

A session never held by any lock (an old session, or one driven headless without a lock)
counts wall time, as before.

Pure functions over typed marks; the ``Exercise`` builds the marks from its log and the
store's lock records.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from wargame.store.locks import STALE_AFTER_SECONDS
from wargame.store.records import Presence

Interval = tuple[float, float]


@dataclass(frozen=True)
class ClockMark:
    """Something that happened to the clock at ``at``: the orders ``opened``, the exercise
    was ``paused`` or ``resumed``."""

    at: datetime
    what: Literal["opened", "paused", "resumed"]


def _seconds(moment: datetime | str) -> float:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.timestamp()


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return _merge(out)


def _subtract(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out = list(a)
    for b0, b1 in b:
        nxt = []
        for a0, a1 in out:
            if b1 <= a0 or b0 >= a1:
                nxt.append((a0, a1))
                continue
            if a0 < b0:
                nxt.append((a0, b0))
            if b1 < a1:
                nxt.append((b1, a1))
        out = nxt
    return out


def presence_intervals(presence: Sequence[Presence], now: datetime) -> list[Interval]:
    """When an app had the session open. A stretch still open counts up to ``now`` while
    its holder's heartbeat is fresh, else up to its last heartbeat (it crashed)."""
    now_s = _seconds(now)
    out = []
    for stretch in presence:
        start = _seconds(stretch.opened_at)
        if stretch.closed_at is not None:
            end = _seconds(stretch.closed_at)
        else:
            seen = _seconds(stretch.seen_at)
            end = now_s if now_s - seen <= STALE_AFTER_SECONDS else seen
        out.append((start, min(end, now_s)))
    return _merge(out)


def orders_elapsed_seconds(marks: Sequence[ClockMark], presence: Sequence[Presence],
                           now: datetime) -> float | None:
    """Seconds the orders have been open and counting (None: they have not opened).
    ``marks`` in log order; only the last opening counts."""
    opened = [m for m in marks if m.what == "opened"]
    if not opened:
        return None
    start = _seconds(opened[-1].at)
    now_s = _seconds(now)
    window = [(start, now_s)] if now_s > start else []
    if presence:
        window = _intersect(window, presence_intervals(presence, now))
    pauses: list[Interval] = []
    paused_since: float | None = None
    for mark in marks:
        if mark.what == "paused" and paused_since is None:
            paused_since = _seconds(mark.at)
        elif mark.what == "resumed" and paused_since is not None:
            pauses.append((paused_since, _seconds(mark.at)))
            paused_since = None
    if paused_since is not None:
        pauses.append((paused_since, now_s))
    counted = _subtract(window, _merge(pauses))
    return sum(end - start for start, end in counted)


def orders_remaining_seconds(timer_seconds: int | None, marks: Sequence[ClockMark],
                             presence: Sequence[Presence], now: datetime) -> float | None:
    """Seconds left (never below 0); the whole timer before the orders open; None without
    a timer."""
    if not timer_seconds:
        return None
    elapsed = orders_elapsed_seconds(marks, presence, now)
    if elapsed is None:
        return float(timer_seconds)
    return max(0.0, timer_seconds - elapsed)
