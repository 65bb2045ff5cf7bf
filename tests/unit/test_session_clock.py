"""The orders clock counts only while an app has the session open and the exercise is not
paused (issue 9, item 3). Cases on fixed timestamps: no wall clock is read or asserted."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from wargame.session.clock import ClockMark, orders_elapsed_seconds, orders_remaining_seconds
from wargame.store.records import Presence

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def iso(minutes: float) -> str:
    return at(minutes).isoformat()


def stretch(opened: float, closed: float | None, seen: float | None = None) -> Presence:
    seen = closed if seen is None else seen
    return Presence(iso(opened), iso(seen), None if closed is None else iso(closed), "app")


OPENED = [ClockMark(at(0), "opened")]


@pytest.mark.parametrize("marks, presence, now, minutes", [
    # no lock ever: wall time, as before
    (OPENED, [], 10, 10),
    # before the orders open there is nothing to count
    ([], [stretch(0, None, 9.9)], 10, None),
    # open all along
    (OPENED, [stretch(-5, None, 9.9)], 10, 10),
    # the app was closed from minute 3 to minute 8: 5 minutes do not count
    (OPENED, [stretch(-5, 3), stretch(8, None, 9.9)], 10, 5),
    # the app crashed at minute 4 (last heartbeat) and nobody has it open since
    (OPENED, [stretch(-5, None, 4)], 10, 4),
    # a crashed holder taken over at minute 7 counts up to its heartbeat only
    (OPENED, [stretch(-5, 4), stretch(7, None, 9.9)], 10, 7),
    # paused from 2 to 5
    (OPENED + [ClockMark(at(2), "paused"), ClockMark(at(5), "resumed")],
     [stretch(-5, None, 9.9)], 10, 7),
    # still paused since 6
    (OPENED + [ClockMark(at(6), "paused")], [stretch(-5, None, 9.9)], 10, 6),
    # paused while the app was also closed: not counted twice
    (OPENED + [ClockMark(at(2), "paused"), ClockMark(at(6), "resumed")],
     [stretch(-5, 4), stretch(5, None, 9.9)], 10, 6),
    # only the last opening counts (a rewound turn opened again)
    ([ClockMark(at(-30), "opened"), ClockMark(at(0), "opened")], [], 10, 10),
])
def test_orders_clock(marks, presence, now, minutes):
    elapsed = orders_elapsed_seconds(marks, presence, at(now))
    assert elapsed == (None if minutes is None else pytest.approx(minutes * 60))


def test_remaining_time_never_goes_below_zero():
    assert orders_remaining_seconds(None, OPENED, [], at(5)) is None
    assert orders_remaining_seconds(600, [], [], at(5)) == 600
    assert orders_remaining_seconds(600, OPENED, [], at(4)) == pytest.approx(360)
    assert orders_remaining_seconds(600, OPENED, [], at(40)) == 0
