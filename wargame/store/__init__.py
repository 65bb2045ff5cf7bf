"""Sessions saved to SQLite: the event log, snapshots, migrations (``store``, ``schema``), the
``Exercise`` controller (``exercise``), replay (``replay``) and the CLI (``commands``).

``wargame.store.store`` and ``wargame.store.schema`` do not import the engine, so the store can
be opened (listing, export, import, rewind, fork) without it."""
from wargame.store.schema import SCHEMA_VERSION
from wargame.store.store import (
    BOT,
    HUMAN,
    LIVE,
    Branch,
    Event,
    SessionNotFound,
    SessionRecord,
    SessionStore,
    Snapshot,
    StoreError,
    TeamSetup,
    default_db_path,
    hash_pin,
    verify_pin,
)

__all__ = [
    "BOT", "HUMAN", "LIVE", "SCHEMA_VERSION", "Branch", "Event", "SessionNotFound",
    "SessionRecord", "SessionStore", "Snapshot", "StoreError", "TeamSetup", "default_db_path",
    "hash_pin", "verify_pin",
]
