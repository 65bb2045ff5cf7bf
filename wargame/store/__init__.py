"""Sessions saved to SQLite, and nothing else: the event log, snapshots, migrations
(``store``, ``connection``, ``schema``), the session lock (``locks``) and drafts
(``drafts``), export and import (``transfer``, ``export_format``), PIN hashes (``pins``) and
checked text (``text``).

The store imports neither the engine nor the session layer: states and event payloads are
JSON values to it. ``wargame.session`` drives the engine on top of it.

The names below are loaded on first use (PEP 562), so that building the command line does
not pay for sqlite-utils."""
from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "wargame.store.errors": ("AlreadyCommitted", "ImportFileError", "LockHeld", "LockLost",
                             "SessionNotFound", "StaleSession", "StoreError"),
    "wargame.store.paths": ("default_db_path",),
    "wargame.store.pins": ("hash_pin", "is_valid_pin_hash", "verify_pin"),
    "wargame.store.records": ("BOT", "HUMAN", "LIVE", "Branch", "Draft", "Event", "Expected",
                              "LockHolder", "Presence", "SessionRecord", "SessionSummary",
                              "Snapshot", "TeamSetup", "TeamSummary"),
    "wargame.store.schema": ("SCHEMA_VERSION",),
    "wargame.store.store": ("SessionStore",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'wargame.store' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__
