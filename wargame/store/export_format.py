"""The session export file (``wargame export`` / ``wargame import``), as pydantic models.

An import file is hostile until proven otherwise: it is validated against these models
before a single row is written. They check the shape and types of everything, bound every
text and count, refuse numbers that are not finite (NaN, infinity, or ``1e999``, which JSON
readers turn into infinity), refuse control and bidi-override characters in ids and names,
accept PIN hashes only with the parameters this version writes, and only known controllers.
The deeper checks that need the engine (the scenario's content hash and validity, replaying
the log against every snapshot, the payload of each event kind) are made by the session
layer before it calls ``SessionStore.import_session``.

Version history of the file format: 1 = schema 1..2 (no names, no visibility); 2 = adds the
session ``name``, each event's ``visibility``, optional sealed ``drafts`` and ``redacted``
(the open turn's sealed orders were left out because no facilitator PIN was given); 3 = adds
each bot team's ``posture``.
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from wargame.limits import MAX_NESTING, MAX_SEED
from wargame.store.pins import PIN_HASH_PATTERN
from wargame.store.records import BOT_POSTURES, CONTROLLERS, LIVE
from wargame.store.text import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, bad_character

EXPORT_FORMAT = "wargame-session"
EXPORT_VERSION = 3
READABLE_EXPORT_VERSIONS = (1, 2, 3)

MAX_JSON_DEPTH = MAX_NESTING
MAX_STRING = 1_000_000
MAX_TURN = 10_000
MAX_EVENTS = 1_000_000
MAX_SNAPSHOTS = 100_000
MAX_TEAMS = 64


def _no_bad_characters(text: str) -> str:
    problem = bad_character(text)
    if problem:
        raise ValueError(f"contains {problem}")
    return text


def _timestamp(text: str) -> str:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not an ISO 8601 date and time") from None
    return text


Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME_LENGTH),
                 AfterValidator(_no_bad_characters)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH)]
Timestamp = Annotated[str, StringConstraints(max_length=40), AfterValidator(_timestamp)]
PinHash = Annotated[str, StringConstraints(pattern=f"^{PIN_HASH_PATTERN.pattern}$")]
Turn = Annotated[int, Field(ge=0, le=MAX_TURN)]


def check_json_value(value: Any, where: str = "", depth: int = 0) -> None:
    """Refuse what JSON should never carry here: non-finite numbers, non-string keys,
    nesting deeper than ``MAX_JSON_DEPTH``, strings over ``MAX_STRING`` characters.
    Iterative enough for the depth bound (recursion stops at the bound)."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"{where or 'value'}: nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where or 'value'}: {value} is not a finite number")
        return
    if isinstance(value, int):
        return
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ValueError(f"{where or 'value'}: a text of {len(value)} characters")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_json_value(item, f"{where}[{index}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where or 'value'}: key {key!r} is not text")
            check_json_value(item, f"{where}.{key}" if where else key, depth + 1)
        return
    raise ValueError(f"{where or 'value'}: {type(value).__name__} is not a JSON value")


def _json_checked(value: Any) -> Any:
    check_json_value(value)
    return value


JsonValue = Annotated[Any, AfterValidator(_json_checked)]
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_checked)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              allow_inf_nan=False)


class ExportTeam(_Strict):
    team: Identifier
    controller: Literal[CONTROLLERS]  # type: ignore[valid-type]
    pin_hash: PinHash | None = None
    posture: Literal[BOT_POSTURES] | None = None  # type: ignore[valid-type]  # version 3

    @model_validator(mode="after")
    def _posture_for_bots_only(self) -> "ExportTeam":
        if self.posture is not None and self.controller != "bot":
            raise ValueError(f"team {self.team}: a {self.controller} has no bot posture")
        return self


class ExportSession(_Strict):
    id: Identifier
    name: Name = ""
    scenario_id: Identifier
    scenario_hash: Hash
    seed: Annotated[int, Field(ge=0, lt=MAX_SEED)]
    turn_limit: Annotated[int, Field(ge=1, le=MAX_TURN)] | None = None
    timer_seconds: Annotated[int, Field(ge=1, le=7 * 24 * 3600)] | None = None
    facilitator_pin_hash: PinHash | None = None
    created_at: Timestamp
    updated_at: Timestamp
    status: Literal["active", "paused", "ended"]
    phase: Kind
    turn: Turn
    parent_session: Identifier | None = None
    parent_turn: Turn | None = None
    teams: Annotated[list[ExportTeam], Field(min_length=1, max_length=MAX_TEAMS)]

    @field_validator("teams")
    @classmethod
    def _unique_teams(cls, teams: list[ExportTeam]) -> list[ExportTeam]:
        seen = [t.team for t in teams]
        dupes = sorted({t for t in seen if seen.count(t) > 1})
        if dupes:
            raise ValueError(f"team(s) listed twice: {', '.join(dupes)}")
        return teams

    @model_validator(mode="after")
    def _parent_pair(self) -> "ExportSession":
        if (self.parent_session is None) != (self.parent_turn is None):
            raise ValueError("parent_session and parent_turn go together")
        return self


class ExportScenario(_Strict):
    hash: Hash
    content: JsonObject


class ExportEvent(_Strict):
    seq: Annotated[int, Field(ge=1, le=2**53)]
    branch: Annotated[int, Field(ge=0, le=MAX_SNAPSHOTS)] = LIVE
    turn: Turn
    kind: Kind
    payload: JsonValue
    created_at: Timestamp
    visibility: Annotated[str, StringConstraints(max_length=200)] | None = None


class ExportSnapshot(_Strict):
    branch: Annotated[int, Field(ge=0, le=MAX_SNAPSHOTS)] = LIVE
    turn: Turn
    state: JsonObject
    state_hash: Hash
    created_at: Timestamp


class ExportBranch(_Strict):
    session_id: Identifier | None = None  # written by version 1, ignored
    branch: Annotated[int, Field(ge=1, le=MAX_SNAPSHOTS)]
    from_turn: Turn
    to_turn: Turn
    archived_at: Timestamp
    reason: Text = ""
    events: Annotated[int, Field(ge=0)] | None = None  # informative; recounted on import
    snapshot_turns: list[Turn] | None = None


class ExportDraft(_Strict):
    team: Identifier
    turn: Turn
    payload: JsonValue
    saved_at: Timestamp


class SessionExport(_Strict):
    """A whole session: what ``SessionStore.export_session`` writes."""

    format: Literal["wargame-session"]
    version: Literal[READABLE_EXPORT_VERSIONS]  # type: ignore[valid-type]
    schema_version: Annotated[int, Field(ge=1, le=1000)]
    session: ExportSession
    scenario: ExportScenario
    events: Annotated[list[ExportEvent], Field(min_length=1, max_length=MAX_EVENTS)]
    snapshots: Annotated[list[ExportSnapshot], Field(min_length=1, max_length=MAX_SNAPSHOTS)]
    branches: Annotated[list[ExportBranch], Field(max_length=MAX_SNAPSHOTS)] = []
    drafts: Annotated[list[ExportDraft], Field(max_length=MAX_TEAMS)] = []
    redacted: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "SessionExport":
        if self.session.scenario_hash != self.scenario.hash:
            raise ValueError("session.scenario_hash differs from scenario.hash")
        seqs = [e.seq for e in self.events]
        if any(b <= a for a, b in zip(seqs, seqs[1:])):
            raise ValueError("events: sequence numbers must be strictly increasing")
        numbers = [b.branch for b in self.branches]
        if len(set(numbers)) != len(numbers):
            raise ValueError("branches: a branch number is listed twice")
        known = {LIVE, *numbers}
        for where, branch in ([("events", e.branch) for e in self.events]
                              + [("snapshots", s.branch) for s in self.snapshots]):
            if branch not in known:
                raise ValueError(f"{where}: branch {branch} is not described in branches")
        keys = [(s.branch, s.turn) for s in self.snapshots]
        if len(set(keys)) != len(keys):
            raise ValueError("snapshots: two snapshots of the same branch and turn")
        if not any(s.branch == LIVE for s in self.snapshots):
            raise ValueError("snapshots: the live line has no snapshot")
        teams = {t.team for t in self.session.teams}
        for draft in self.drafts:
            if draft.team not in teams:
                raise ValueError(f"drafts: unknown team {draft.team!r}")
        return self


def parse_export(data: Any) -> SessionExport:
    """``data`` (parsed JSON) as a ``SessionExport``; ``ValueError`` with a readable list of
    problems (at most ten, each with its place in the file) otherwise."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError("not a wargame session export")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError("the export version is not a whole number")
    if version > max(READABLE_EXPORT_VERSIONS):
        raise ValueError(f"written by a newer wargame (export version {version}; this one "
                         f"reads {', '.join(map(str, READABLE_EXPORT_VERSIONS))}); "
                         f"upgrade wargame")
    try:
        return SessionExport.model_validate(data)
    except ValidationError as exc:
        raise ValueError("incomplete or damaged: " + describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError, limit: int = 10) -> str:
    lines = []
    for error in exc.errors(include_url=False, include_input=False)[:limit]:
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        lines.append(f"{where}: {error['msg']}")
    more = exc.error_count() - limit
    if more > 0:
        lines.append(f"... and {more} more problem(s)")
    return "; ".join(lines)
