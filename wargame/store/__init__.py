"""Sessions saved to SQLite, and nothing else: the event log, snapshots, migrations
(``store``, ``schema``), the session lock and drafts, the export file format
(``export_format``), PIN hashes (``pins``) and checked text (``text``).

The store imports neither the engine nor the session layer: states and event payloads are
JSON values to it. ``wargame.session`` drives the engine on top of it."""
from wargame.store.errors import (
    AlreadyCommitted,
    LockHeld,
    LockLost,
    SessionNotFound,
    StaleSession,
    StoreError,
)
from wargame.store.paths import default_db_path
from wargame.store.pins import hash_pin, is_valid_pin_hash, verify_pin
from wargame.store.records import (
    BOT,
    HUMAN,
    LIVE,
    Branch,
    Draft,
    Event,
    Expected,
    LockHolder,
    Presence,
    SessionRecord,
    SessionSummary,
    Snapshot,
    TeamSetup,
    TeamSummary,
)
from wargame.store.schema import SCHEMA_VERSION
from wargame.store.store import SessionStore

__all__ = [
    "BOT", "HUMAN", "LIVE", "SCHEMA_VERSION", "AlreadyCommitted", "Branch", "Draft", "Event",
    "Expected", "LockHeld", "LockHolder", "LockLost", "Presence", "SessionNotFound",
    "SessionRecord", "SessionStore", "SessionSummary", "Snapshot", "StaleSession",
    "StoreError", "TeamSetup", "TeamSummary", "default_db_path", "hash_pin",
    "is_valid_pin_hash", "verify_pin",
]
