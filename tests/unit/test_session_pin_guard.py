"""``PinGuard``: wrong PINs make the next attempt wait longer; a right PIN resets the count;
while a door waits the PIN is not even checked. Time is a fake clock (no wall-clock test)."""
from __future__ import annotations

import pytest

from wargame.session.pin_guard import FACILITATOR_DOOR, PinGuard, PinWait, pin_advice


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def right(pin):
    return pin == "246810"


def test_delays_grow_after_the_free_attempts_and_are_capped():
    guard = PinGuard(free_attempts=3, base_delay_seconds=2, max_delay_seconds=60)
    assert [guard.delay_after(n) for n in range(1, 10)] == [0, 0, 2, 4, 8, 16, 32, 60, 60]


def test_wrong_pins_make_the_door_wait_and_a_right_pin_resets_it():
    clock = FakeClock()
    guard = PinGuard(free_attempts=2, base_delay_seconds=5, clock=clock)
    assert not guard.check(FACILITATOR_DOOR, "1", right)
    assert guard.wait_seconds(FACILITATOR_DOOR) == 0
    assert not guard.check(FACILITATOR_DOOR, "2", right)
    assert guard.wait_seconds(FACILITATOR_DOOR) == 5
    calls = []
    with pytest.raises(PinWait, match="try again in 5 s") as info:
        guard.check(FACILITATOR_DOOR, "246810", lambda pin: calls.append(pin) or True)
    assert calls == []  # not even looked at while waiting
    assert info.value.wait_seconds == 5
    clock.now += 5
    assert not guard.check(FACILITATOR_DOOR, "3", right)
    assert guard.wait_seconds(FACILITATOR_DOOR) == 10
    clock.now += 10
    assert guard.check(FACILITATOR_DOOR, "246810", right)
    assert guard.failures(FACILITATOR_DOOR) == 0 and guard.wait_seconds(FACILITATOR_DOOR) == 0


def test_doors_are_counted_apart():
    clock = FakeClock()
    guard = PinGuard(free_attempts=1, clock=clock)
    assert not guard.check("beijing", "0", right)
    with pytest.raises(PinWait, match="team beijing"):
        guard.check("beijing", "0", right)
    assert guard.check(FACILITATOR_DOOR, "246810", right)


def test_short_facilitator_pins_get_advice():
    assert "6 or more" in pin_advice("1234", facilitator=True)
    assert pin_advice("123456", facilitator=True) is None
    assert pin_advice("12", facilitator=False) is None
