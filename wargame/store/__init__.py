"""Sessions saved to SQLite: the event log, snapshots, migrations (``store``, ``schema``), the
``Exercise`` controller (``exercise``), replay (``replay``) and the CLI (``commands``).

``wargame.store.store`` and ``wargame.store.schema`` do not import the engine, so the store can
be opened (listing, export, import, rewind, fork) without it. The names below are loaded on
first use (PEP 562), so that ``wargame validate`` (which imports ``wargame.store.commands`` to
build the command line) does not pay for sqlite-utils."""
from __future__ import annotations

import importlib
from typing import Any

_FROM_STORE = (
    "BOT", "HUMAN", "LIVE", "Branch", "Event", "SessionNotFound", "SessionRecord",
    "SessionStore", "Snapshot", "StoreError", "TeamSetup", "default_db_path", "hash_pin",
    "verify_pin",
)

__all__ = sorted(_FROM_STORE + ("SCHEMA_VERSION",))


def __getattr__(name: str) -> Any:
    if name == "SCHEMA_VERSION":
        return importlib.import_module("wargame.store.schema").SCHEMA_VERSION
    if name in _FROM_STORE:
        return getattr(importlib.import_module("wargame.store.store"), name)
    raise AttributeError(f"module 'wargame.store' has no attribute {name!r}")
