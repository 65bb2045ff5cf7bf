"""Export and import of sessions, with the checks that need the engine.

Export: everything about a session, except what the facilitator PIN protects. With a
facilitator PIN set and not given, the open turn's sealed orders (every team's, the white
cell's, and overrides not yet committed) are left out and the file says it is
``redacted``; drafts are exported only when asked for, and only with the PIN.

Import: an export file is hostile until proven otherwise. ``verify_export`` checks, before
anything is written:

1. the file against the export format (``wargame.store.export_format``: types, bounds,
   finite numbers, texts without control characters, PIN hashes with exactly the
   parameters this version writes, known controllers);
2. the scenario: it must validate, and its content must hash to the hash it is filed under
   (a scenario altered under the genuine scenario's hash would otherwise poison every later
   session made from the genuine file in that database); the teams must be its teams;
3. every event: its payload against its kind, its visibility the one of its kind;
4. the live line replayed from turn 1 against every snapshot, each snapshot's hash
   recomputed from its content (no stored hash is trusted), and each stored result against
   the replayed one; archived snapshots against their own hashes.

Then ``SessionStore.import_session`` writes it all in one transaction: all or nothing.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.engine import ENGINE_MODEL_VERSION, GameState
from wargame.scenario.model import Scenario
from wargame.session.events import DamagedEvent, LoggedEvent, SessionCreated, TurnResolved
from wargame.session.replay import replay_events
from wargame.session.visibility import Visibility
from wargame.store import LIVE, Event, SessionRecord, SessionStore, Snapshot, TeamSetup
from wargame.store.export_format import SessionExport, parse_export


class ImportRefused(ValueError):
    """The export file is refused; the message says what is wrong and where."""


@dataclass(frozen=True)
class ExportResult:
    data: dict
    redacted_events: int  # sealed events of the open turn left out
    drafts: int  # drafts included


def _resolved_turns(events: list[Event]) -> set[int]:
    return {e.turn for e in events if e.kind == "turn_resolved" and e.branch == LIVE}


def export_session(store: SessionStore, session_id: str, *, facilitator: bool,
                   include_drafts: bool = False) -> ExportResult:
    """The export of ``session_id``. ``facilitator``: the facilitator PIN was given (or
    none is set); without it the open turn's sealed events and every draft stay out."""
    record = store.session(session_id)
    trusted = facilitator or record.facilitator_pin_hash is None
    resolved = _resolved_turns(store.events(session_id))
    left_out = 0

    def keep(event: Event) -> bool:
        nonlocal left_out
        if trusted or event.branch != LIVE or event.turn in resolved:
            return True
        try:
            visibility = LoggedEvent.from_stored(event).visibility
        except DamagedEvent:
            left_out += 1
            return False
        if visibility.audience != "public" and visibility.until_resolved:
            left_out += 1
            return False
        return True

    data = store.export_session(session_id, include_drafts=include_drafts and trusted,
                                keep_event=keep)
    return ExportResult(data, left_out, len(data["drafts"]))


def _refuse(problem: str) -> ImportRefused:
    return ImportRefused(problem)


def _model_hint(live: list[LoggedEvent]) -> str:
    """Why a replay may differ when the file was recorded under another engine model: the
    check cannot tell the engine's change from tampering, so the file is refused, and the
    user is told what would import it."""
    created = next((e.payload for e in live if isinstance(e.payload, SessionCreated)), None)
    recorded = created.engine_model_version if created is not None else None
    if recorded == ENGINE_MODEL_VERSION:
        return ""
    what = "before engine model versions were kept" if recorded is None else \
        f"by engine model {recorded}"
    return (f". The file was recorded {what} and this wargame runs engine model "
            f"{ENGINE_MODEL_VERSION}, whose turns come out differently, so the file cannot "
            f"be verified by replaying it here: import it with a wargame that runs engine "
            f"model {recorded if recorded is not None else 'it was recorded by'} "
            f"('wargame --version' says which)")


def _record(export: SessionExport) -> SessionRecord:
    s = export.session
    return SessionRecord(
        id=s.id, scenario_id=s.scenario_id, scenario_hash=s.scenario_hash, seed=s.seed,
        turn_limit=s.turn_limit, timer_seconds=s.timer_seconds,
        facilitator_pin_hash=s.facilitator_pin_hash, created_at=s.created_at,
        updated_at=s.updated_at, status=s.status, phase=s.phase, turn=s.turn,
        parent_session=s.parent_session, parent_turn=s.parent_turn,
        teams=tuple(TeamSetup(t.team, t.controller, t.pin_hash, t.posture) for t in s.teams),
        name=s.name)


def _scenario(export: SessionExport) -> Scenario:
    from wargame.scenario.loader import ScenarioError, scenario_from_dict

    try:
        scenario = scenario_from_dict(dict(export.scenario.content),
                                      name="<the scenario in the import file>")
    except ScenarioError as exc:
        raise _refuse(f"its scenario does not validate: {str(exc).splitlines()[0]}") from None
    if scenario.content_hash != export.scenario.hash:
        raise _refuse(f"its scenario's content does not match the hash it is filed under "
                      f"({export.scenario.hash[:12]}; the content hashes to "
                      f"{scenario.content_hash[:12]}): the scenario was altered")
    if scenario.id != export.session.scenario_id:
        raise _refuse(f"the session names scenario {export.session.scenario_id!r} but the "
                      f"file holds scenario {scenario.id!r}")
    teams = [t.team for t in export.session.teams]
    if teams != [t.id for t in scenario.teams]:
        raise _refuse(f"the session's teams ({', '.join(teams)}) are not the scenario's "
                      f"({', '.join(t.id for t in scenario.teams)})")
    return scenario


def _typed(export: SessionExport) -> list[LoggedEvent]:
    typed = []
    for e in export.events:
        event = Event(export.session.id, e.seq, e.turn, e.kind, e.payload, e.created_at,
                      e.branch, e.visibility)
        try:
            logged = LoggedEvent.from_stored(event)
        except DamagedEvent as exc:
            raise _refuse(f"event {e.seq} is damaged: {exc}") from None
        default = logged.payload.visibility()
        if e.visibility is not None and Visibility.parse(e.visibility) != default:
            raise _refuse(f"event {e.seq} ({e.kind}) claims visibility {e.visibility!r}; "
                          f"events of its kind are {default.to_text()!r}")
        typed.append(logged)
    if not any(t.kind == "session_created" for t in typed if t.branch == LIVE):
        raise _refuse("the log has no session_created event")
    return typed


def verify_export(data: Any) -> SessionExport:
    """``data`` (parsed JSON) checked through and through (see the module docstring);
    ``ImportRefused`` saying what is wrong, naming the turn or event."""
    try:
        export = parse_export(data)
    except ValueError as exc:
        raise _refuse(str(exc)) from None
    scenario = _scenario(export)
    typed = _typed(export)
    years = scenario.turn_length_months / 12
    snapshots = {s.turn: Snapshot(export.session.id, s.turn, dict(s.state), s.state_hash,
                                  s.created_at, s.branch)
                 for s in export.snapshots if s.branch == LIVE}
    live = [e for e in typed if e.branch == LIVE]
    report = replay_events(scenario, _record(export), live, snapshots)
    if not report.ok:
        raise _refuse(report.problems()[0] + _model_hint(live))
    for event in live:
        if isinstance(event.payload, TurnResolved):
            after = snapshots.get(event.turn + 1)
            if after is None or after.state_hash != event.payload.state_hash:
                raise _refuse(f"turn {event.turn}: the committed result names state "
                              f"{event.payload.state_hash[:12]}, not the snapshot's")
    replayed_turns = {c.turn for c in report.turns} | {min(snapshots) - 1}
    extra = sorted(t for t in snapshots if t - 1 not in replayed_turns)
    if extra:
        raise _refuse(f"the snapshot of turn {extra[0]} follows no committed turn")
    last = max(snapshots)
    if export.session.turn not in (last, last - 1):
        raise _refuse(f"the session says turn {export.session.turn} but its last snapshot "
                      f"is of turn {last}")
    for s in export.snapshots:
        if s.branch == LIVE:
            continue
        try:
            content = GameState.from_dict(dict(s.state), years).content_hash()
        except (ValueError, KeyError, TypeError) as exc:
            raise _refuse(f"archived branch {s.branch}, turn {s.turn}: the snapshot cannot "
                          f"be read ({type(exc).__name__})") from None
        if content != s.state_hash:
            raise _refuse(f"archived branch {s.branch}, turn {s.turn}: the snapshot does not "
                          f"match its stored hash")
    return export


def import_file(store: SessionStore, data: Mapping[str, Any] | Any) -> SessionRecord:
    """Verify ``data`` and add it to ``store`` in one transaction (see the module
    docstring). ``ImportRefused`` for the file's faults; ``StoreError`` for the
    database's."""
    export = verify_export(data)
    return store.import_session(export)


def read_export(path: str | Path) -> Any:
    """The JSON of an export file, read with bounded size and nesting."""
    from wargame.bounded_files import read_json_bounded
    from wargame.limits import MAX_IMPORT_BYTES

    return read_json_bounded(path, MAX_IMPORT_BYTES, "session export")
