"""What the store hands out: frozen records, one per kind of row (no free-form dicts).

Payloads and states stay JSON values here (the store does not know the engine's types); the
session layer turns them into its typed events and the engine's state.
"""
from __future__ import annotations

import dataclasses
import os
from datetime import datetime
from typing import Any

from wargame.store.pins import hash_pin, verify_pin

LIVE = 0  # branch number of the live line of play; archived branches are 1, 2, ...

HUMAN = "human"
BOT = "bot"
CONTROLLERS = (HUMAN, BOT)
# a bot's posture, chosen at set-up (the engine's ``posture_bots.POSTURES``; a session test
# keeps the two equal, since the store may not import the engine); None: the scenario's style
BOT_POSTURES = ("hawkish", "balanced", "dovish")


@dataclasses.dataclass(frozen=True)
class TeamSetup:
    """Who plays a team: a human (optionally behind a PIN, stored hashed) or a bot (with
    an optional posture)."""

    team: str
    controller: str = HUMAN
    pin_hash: str | None = None
    posture: str | None = None

    def __post_init__(self) -> None:
        if self.controller not in CONTROLLERS:
            raise ValueError(f"team {self.team!r}: controller must be one of {CONTROLLERS}")
        if self.posture is not None and (self.controller != BOT
                                         or self.posture not in BOT_POSTURES):
            raise ValueError(f"team {self.team!r}: a posture belongs to a bot and is one of "
                             f"{', '.join(BOT_POSTURES)} (not {self.posture!r})")

    @classmethod
    def make(cls, team: str, controller: str = HUMAN, pin: str | None = None,
             posture: str | None = None) -> "TeamSetup":
        return cls(team, controller, hash_pin(pin) if pin else None, posture or None)

    def row(self, session_id: str, position: int) -> dict[str, Any]:
        """The ``teams`` row (create, fork and import write the same one)."""
        return {"session_id": session_id, "team_id": self.team, "position": position,
                "controller": self.controller, "pin_hash": self.pin_hash,
                "posture": self.posture}

    @property
    def is_bot(self) -> bool:
        return self.controller == BOT

    @property
    def has_pin(self) -> bool:
        return self.pin_hash is not None

    def check_pin(self, pin: str | None) -> bool:
        return verify_pin(pin or "", self.pin_hash)


@dataclasses.dataclass(frozen=True)
class SessionRecord:
    id: str
    scenario_id: str
    scenario_hash: str
    seed: int
    turn_limit: int | None
    timer_seconds: int | None
    facilitator_pin_hash: str | None
    created_at: str
    updated_at: str  # the last change to the game (what the lists call "last played")
    status: str  # "active", "paused", "ended"
    phase: str  # "briefing", "orders", "adjudication", "debrief", "ended"
    turn: int  # the turn being played (state.turn)
    parent_session: str | None = None
    parent_turn: int | None = None
    teams: tuple[TeamSetup, ...] = ()
    name: str = ""

    def team(self, team_id: str) -> TeamSetup:
        for setup in self.teams:
            if setup.team == team_id:
                return setup
        raise KeyError(team_id)


@dataclasses.dataclass(frozen=True)
class Expected:
    """What a writer believes the session looks like: the turn being played and the last
    event's sequence number. Every conditional write checks both inside its transaction."""

    turn: int
    last_seq: int


@dataclasses.dataclass(frozen=True)
class Event:
    session_id: str
    seq: int
    turn: int
    kind: str
    payload: Any
    created_at: str
    branch: int = LIVE
    visibility: str | None = None  # who may see it, as written by the session layer


@dataclasses.dataclass(frozen=True)
class Snapshot:
    session_id: str
    turn: int
    state: dict
    state_hash: str
    created_at: str
    branch: int = LIVE


@dataclasses.dataclass(frozen=True)
class Branch:
    """An archived line of play: what a rewind set aside (turns ``from_turn``..``to_turn``),
    with what it holds: ``events`` log entries and the snapshots of ``snapshot_turns``."""

    session_id: str
    branch: int
    from_turn: int
    to_turn: int
    archived_at: str
    reason: str = ""
    events: int = 0
    snapshot_turns: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class Draft:
    """A team's unsubmitted orders, saved sealed as they are edited (only that team's screen
    reads them back). ``payload`` is whatever the session layer stored (JSON)."""

    session_id: str
    team: str
    turn: int
    payload: Any
    saved_at: str


@dataclasses.dataclass(frozen=True)
class LockHolder:
    """Who holds a session open for writing, and since when.

    ``token`` is the holder's secret proof of ownership (never shown); ``heartbeat_at``
    is refreshed by the holder while it runs, so a holder whose heartbeat is old has most
    likely crashed."""

    session_id: str
    token: str
    owner: str
    host: str
    pid: int
    acquired_at: str
    heartbeat_at: str

    def describe(self) -> str:
        return f"{self.owner} on {self.host}, process {self.pid}"

    def age_seconds(self, now: datetime) -> float:
        return max(0.0, (now - datetime.fromisoformat(self.heartbeat_at)).total_seconds())

    def process_is_gone(self, host: str) -> bool:
        """True when the holder ran on this ``host`` and its process no longer exists
        (it certainly crashed). On another host nothing can be known: False."""
        if host != self.host:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except (PermissionError, OSError):
            return False
        return False


@dataclasses.dataclass(frozen=True)
class Presence:
    """One stretch of time during which an app held the session open (a lock tenure):
    from ``opened_at`` to ``closed_at`` (None while it is still open), last seen alive at
    ``seen_at``. The orders clock counts only inside these stretches."""

    opened_at: str
    seen_at: str
    closed_at: str | None
    owner: str


@dataclasses.dataclass(frozen=True)
class TeamSummary:
    team: str
    controller: str
    has_pin: bool
    posture: str | None = None


@dataclasses.dataclass(frozen=True)
class SessionSummary:
    """One row of a session list (``wargame sessions``, the start screen).

    ``problem`` is set when the row is damaged (an unknown controller, a field of the wrong
    type...): the row is still listed, marked as damaged, and the others are unaffected.
    Text fields are as stored; pass them through ``wargame.store.text.printable`` before
    printing them in a terminal."""

    id: str
    name: str
    scenario_id: str
    scenario_title: str
    turn: int | None
    phase: str
    status: str
    created_at: str
    last_played_at: str
    teams: tuple[TeamSummary, ...] = ()
    parent_session: str | None = None
    parent_name: str | None = None
    parent_turn: int | None = None
    problem: str | None = None

    @property
    def damaged(self) -> bool:
        return self.problem is not None

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def fork_label(self) -> str:
        """``fork of <name> at turn N`` (empty for a session that is not a fork)."""
        if not self.parent_session:
            return ""
        parent = self.parent_name or self.parent_session
        return f"fork of {parent} at turn {self.parent_turn}"
