"""``PinGuard``: wrong PIN attempts get a growing delay, the same for the app and the CLI.

After ``free_attempts`` wrong PINs for one door (the facilitator, or one team), the next
attempt must wait ``base_delay_seconds``, then twice that, and so on up to
``max_delay_seconds``; a right PIN opens the door and resets its count. While a door must
wait, ``check`` refuses without looking at the PIN (``PinWait`` says how long), so guessing
cannot go faster than the delays. The app shows the wait; the CLI prints it.

A guard lives as long as the app (or the CLI command): restarting the program starts
afresh. That limits guessing at the keyboard during an exercise, which is what PINs protect
(the hand-over of one laptop); it does not protect the database file, which whoever holds
it can read without any PIN (see the README).

Time comes from ``clock`` (monotonic seconds), so tests drive it without waiting.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

FACILITATOR_DOOR = "facilitator"
RECOMMENDED_FACILITATOR_PIN_LENGTH = 6


class PinWait(Exception):
    """Too many wrong PINs: try again in ``wait_seconds``."""

    def __init__(self, door: str, wait_seconds: float):
        self.door = door
        self.wait_seconds = wait_seconds
        who = "the facilitator" if door == FACILITATOR_DOOR else f"team {door}"
        super().__init__(f"too many wrong PINs for {who}: try again in "
                         f"{max(1, round(wait_seconds))} s")


@dataclass
class _Door:
    failures: int = 0
    locked_until: float = 0.0


@dataclass
class PinGuard:
    """Counts wrong PINs per door and makes the next attempt wait longer each time."""

    free_attempts: int = 3
    base_delay_seconds: float = 2.0
    max_delay_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _doors: dict[str, _Door] = field(default_factory=dict, repr=False)

    def wait_seconds(self, door: str) -> float:
        """How long until ``door`` accepts another attempt (0: now)."""
        state = self._doors.get(door)
        if state is None:
            return 0.0
        return max(0.0, state.locked_until - self.clock())

    def failures(self, door: str) -> int:
        state = self._doors.get(door)
        return 0 if state is None else state.failures

    def delay_after(self, failures: int) -> float:
        """The wait imposed after ``failures`` wrong PINs in a row."""
        extra = failures - self.free_attempts
        if extra < 0:
            return 0.0
        return min(self.max_delay_seconds, self.base_delay_seconds * 2 ** min(extra, 30))

    def check(self, door: str, pin: str | None, verify: Callable[[str | None], bool]) -> bool:
        """Verify ``pin`` for ``door`` with ``verify`` unless the door must wait (then
        ``PinWait``, and the PIN is not even looked at). Returns whether it was right."""
        wait = self.wait_seconds(door)
        if wait > 0:
            raise PinWait(door, wait)
        if verify(pin):
            self._doors.pop(door, None)
            return True
        state = self._doors.setdefault(door, _Door())
        state.failures += 1
        state.locked_until = self.clock() + self.delay_after(state.failures)
        return False

    def reset(self, door: str) -> None:
        self._doors.pop(door, None)


def pin_advice(pin: str, *, facilitator: bool) -> str | None:
    """A warning for a weak PIN (None when it is fine): the facilitator's should have at
    least six characters, since it guards every facilitator action."""
    if facilitator and len(pin) < RECOMMENDED_FACILITATOR_PIN_LENGTH:
        return (f"a facilitator PIN of {RECOMMENDED_FACILITATOR_PIN_LENGTH} or more digits is "
                f"recommended: it guards every facilitator action")
    return None
