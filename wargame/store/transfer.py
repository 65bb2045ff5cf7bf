"""Export and import of a whole session (``wargame export`` / ``wargame import``).

Export writes the ``wargame.store.export_format`` layout; import checks a file against
that format first (``parse_export``) and then inserts everything in one transaction, so a
refused or failing import inserts nothing. The checks that need the engine (the scenario's
content hash and validity, replaying the log against every snapshot, each event's payload)
belong to the session layer, which makes them before it calls ``import_session``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wargame.store.connection import dumps, loads
from wargame.store.errors import ImportFileError, StoreError
from wargame.store.export_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    SessionExport,
    parse_export,
)
from wargame.store.records import Event, SessionRecord, TeamSetup
from wargame.store.schema import SCHEMA_VERSION
from wargame.store.text import default_session_name

if TYPE_CHECKING:
    from wargame.store.store import SessionStore


def export_session(store: "SessionStore", session_id: str, *, include_drafts: bool = False,
                   keep_event: Callable[[Event], bool] | None = None) -> dict:
    """Everything about one session (all branches) as a JSON-safe dict in the
    ``wargame.store.export_format`` layout. Drafts only with ``include_drafts``;
    ``keep_event(Event) -> bool``, when given, leaves out the events it refuses (the
    session layer's redaction of sealed orders) and marks the export ``redacted``."""
    record = store.session(session_id)
    with store._guard():
        events = store._events_where(store.db, "session_id = ?", [session_id])
        snapshots = [
            {"branch": r["branch"], "turn": r["turn"], "state": loads(r["state"]),
             "state_hash": r["state_hash"], "created_at": r["created_at"]}
            for r in store.db["snapshots"].rows_where("session_id = ?", [session_id],
                                                     order_by="branch, turn")]
        drafts = [
            {"team": r["team"], "turn": r["turn"], "payload": loads(r["payload"]),
             "saved_at": r["saved_at"]}
            for r in store.db["drafts"].rows_where("session_id = ?", [session_id],
                                                  order_by="team")] \
            if include_drafts else []
    kept = [e for e in events if keep_event is None or keep_event(e)]
    session = {
        "id": record.id, "name": record.name, "scenario_id": record.scenario_id,
        "scenario_hash": record.scenario_hash, "seed": record.seed,
        "turn_limit": record.turn_limit, "timer_seconds": record.timer_seconds,
        "facilitator_pin_hash": record.facilitator_pin_hash,
        "created_at": record.created_at, "updated_at": record.updated_at,
        "status": record.status, "phase": record.phase, "turn": record.turn,
        "parent_session": record.parent_session, "parent_turn": record.parent_turn,
        "teams": [{"team": t.team, "controller": t.controller, "pin_hash": t.pin_hash,
                   "posture": t.posture} for t in record.teams]}
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "session": session,
        "scenario": {"hash": record.scenario_hash,
                     "content": store.scenario_content(record.scenario_hash)},
        "events": [{"seq": e.seq, "branch": e.branch, "turn": e.turn, "kind": e.kind,
                    "payload": e.payload, "created_at": e.created_at,
                    "visibility": e.visibility} for e in kept],
        "snapshots": snapshots,
        "branches": [{"branch": b.branch, "from_turn": b.from_turn, "to_turn": b.to_turn,
                      "archived_at": b.archived_at, "reason": b.reason}
                     for b in store.branches(session_id)],
        "drafts": drafts,
        "redacted": len(kept) != len(events),
    }

def import_session(store: "SessionStore", data: SessionExport | Mapping[str, Any]
                   ) -> SessionRecord:
    """Add an exported session, all or nothing; it keeps its id unless that id is taken
    here. ``data`` is checked against the export format first (``parse_export``); the
    checks that need the engine (scenario hash, replay) are the session layer's, made
    before it calls this."""
    if not isinstance(data, SessionExport):
        try:
            data = parse_export(data)
        except ValueError as exc:
            raise store._fail(str(exc), ImportFileError) from None
    s = data.session
    try:
        with store.transaction() as db:
            sid = s.id
            if db.execute("select 1 from sessions where id = ?", [sid]).fetchone():
                sid = store._new_session_id(db)
            try:
                store._put_scenario(db, data.scenario.content, data.scenario.hash)
            except StoreError as exc:
                raise ImportFileError(store.path, f"its scenario is refused: {exc.problem}"
                                      ) from None
            db["sessions"].insert({
                "id": sid, "name": s.name or default_session_name(
                    str(data.scenario.content.get("title") or s.scenario_id),
                    datetime.fromisoformat(s.created_at)),
                "scenario_hash": s.scenario_hash, "scenario_id": s.scenario_id,
                "seed": s.seed, "turn_limit": s.turn_limit,
                "timer_seconds": s.timer_seconds,
                "facilitator_pin": s.facilitator_pin_hash, "created_at": s.created_at,
                "updated_at": s.updated_at, "status": s.status, "phase": s.phase,
                "turn": s.turn, "parent_session": s.parent_session,
                "parent_turn": s.parent_turn})
            db["teams"].insert_all([
                TeamSetup(t.team, t.controller, t.pin_hash, t.posture).row(sid, i)
                for i, t in enumerate(s.teams)])
            db["events"].insert_all([
                {"session_id": sid, "seq": e.seq, "branch": e.branch, "turn": e.turn,
                 "kind": e.kind, "payload": dumps(e.payload), "created_at": e.created_at,
                 "visibility": e.visibility} for e in data.events])
            db["snapshots"].insert_all([
                {"session_id": sid, "branch": sn.branch, "turn": sn.turn,
                 "state": dumps(sn.state), "state_hash": sn.state_hash,
                 "created_at": sn.created_at} for sn in data.snapshots])
            if data.branches:
                db["branches"].insert_all([
                    {"session_id": sid, "branch": b.branch, "from_turn": b.from_turn,
                     "to_turn": b.to_turn, "archived_at": b.archived_at,
                     "reason": b.reason} for b in data.branches])
            if data.drafts:
                db["drafts"].insert_all([
                    {"session_id": sid, "team": d.team, "turn": d.turn,
                     "payload": dumps(d.payload), "saved_at": d.saved_at}
                    for d in data.drafts])
    except (TypeError, ValueError) as exc:
        raise store._fail(f"incomplete or damaged ({type(exc).__name__}: {str(exc)[:80]!r})",
                          ImportFileError) from exc
    return store.session(sid)
