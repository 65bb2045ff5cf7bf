"""PIN-checked access: ``AccessKey``, the proof that someone gave the right PIN.

The facilitator's PIN guards every facilitator action; a team's PIN guards its orders and
its draft. The app asks for a PIN once (``Exercise.unlock``) and keeps the key it gets for
the console session, never the PIN in clear. A key opens one door (the facilitator or one
team) of every session whose PIN for that door is the same hash (a fork keeps its
parent's PINs), and stops working when the PIN changes. Wrong PINs go through a
``PinGuard``: growing delays.

A key is made only by ``unlock_key``: it carries a private proof, so a hand-made
``AccessKey`` is refused.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from wargame.session.errors import PinRequired
from wargame.session.pin_guard import FACILITATOR_DOOR, PinGuard
from wargame.store.pins import verify_pin

_PROOF = secrets.token_bytes(16)  # this process's private mark of a genuine key


@dataclass(frozen=True)
class AccessKey:
    """Proof that the PIN of ``door`` ("facilitator" or a team id) was given."""

    door: str
    pin_hash: str | None
    _proof: bytes = field(default=b"", repr=False, compare=False)

    def opens(self, door: str, pin_hash: str | None) -> bool:
        return self._proof == _PROOF and self.door == door and self.pin_hash == pin_hash


def unlock_key(door: str, pin: str | None, pin_hash: str | None, guard: PinGuard
               ) -> AccessKey:
    """An ``AccessKey`` for ``door`` if ``pin`` is right (any PIN when none is set);
    ``PinRequired`` when wrong, ``PinWait`` when the door must wait after wrong PINs."""
    if pin_hash is None:
        return AccessKey(door, None, _PROOF)
    if not guard.check(door, pin, lambda given: verify_pin(given or "", pin_hash)):
        who = "facilitator" if door == FACILITATOR_DOOR else f"team {door}"
        raise PinRequired(door, f"wrong {who} PIN")
    return AccessKey(door, pin_hash, _PROOF)


Access = AccessKey | str | None
"""What a guarded method takes: a key from ``unlock``, or the PIN itself (checked through
the guard on the spot: the CLI's way), or None when no PIN is set."""
