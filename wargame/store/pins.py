"""PIN hashes: salted scrypt, with exactly the parameters this version writes.

Only ``scrypt$16384$8$1$<32 hex salt>$<64 hex digest>`` is ever stored. A stored hash with
other parameters is refused, not tried: a crafted import carrying ``n=2**40`` would otherwise
make every PIN check raise (or allocate gigabytes). ``verify_pin`` answers False for any hash
this version did not write; ``import`` refuses such files before inserting anything.

What a PIN protects: the hand-over of one laptop between teams and the facilitator (a player
at the curtain cannot read another team's orders or take facilitator actions). What it does
not protect: the database file itself. Whoever has the file can read every order with
sqlite3; the hashes only keep the PINs themselves from being read back.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, DIGEST_BYTES = 16, 32
PIN_HASH_PATTERN = re.compile(
    rf"scrypt\${SCRYPT_N}\${SCRYPT_R}\${SCRYPT_P}\$[0-9a-f]{{{SALT_BYTES * 2}}}"
    rf"\$[0-9a-f]{{{DIGEST_BYTES * 2}}}")
MAX_PIN_LENGTH = 128


def _digest(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                          dklen=DIGEST_BYTES)


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN, safe to store."""
    if not isinstance(pin, str) or not pin:
        raise ValueError("a PIN must be a non-empty string")
    if len(pin) > MAX_PIN_LENGTH:
        raise ValueError(f"a PIN may have at most {MAX_PIN_LENGTH} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${_digest(pin, salt).hex()}"


def is_valid_pin_hash(stored: object) -> bool:
    """True for a hash with exactly the format and parameters ``hash_pin`` writes."""
    return isinstance(stored, str) and PIN_HASH_PATTERN.fullmatch(stored) is not None


def verify_pin(pin: str | None, stored: str | None) -> bool:
    """True when ``pin`` matches ``stored`` (a ``hash_pin`` result); no PIN set = any PIN.
    A hash in any other format (other scrypt parameters included) never matches."""
    if stored is None:
        return True
    if not is_valid_pin_hash(stored):
        return False
    pin = "" if pin is None else str(pin)
    if len(pin) > MAX_PIN_LENGTH:
        return False
    *_, salt, digest = stored.split("$")
    return hmac.compare_digest(_digest(pin, bytes.fromhex(salt)).hex(), digest)
