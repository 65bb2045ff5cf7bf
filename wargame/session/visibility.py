"""Who may see what: viewers, and the visibility every event carries as data.

A viewer is the facilitator, one team, or the public (the projector, the room, an export
made without the facilitator PIN). An event's ``Visibility`` says who may see it:

- ``public``: everyone;
- ``facilitator``: the facilitator only (notes, random draws, the session's seed);
- ``team:<id> until resolved``: that team and the facilitator until the event's turn is
  committed, then everyone (a team's sealed orders);
- ``facilitator until resolved``: the facilitator until the turn is committed, then
  everyone (the white cell's orders, overrides).

Covert moves (``MoveType.public`` False) are a second, finer rule applied to the CONTENT of
resolved turns by ``wargame.session.views.view_for``: another team or the public never sees
a covert order, its outcome or an explanation naming it until the exercise has ended.

The visibility is stored with each event (``events.visibility``), so what a viewer sees is a
property of the data, checked by one function (``may_see``), not of each screen's code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ViewerKind = Literal["facilitator", "team", "public"]


@dataclass(frozen=True)
class Viewer:
    """Who is looking: ``Viewer.facilitator()``, ``Viewer.of_team("beijing")`` or
    ``Viewer.public()``."""

    kind: ViewerKind
    team: str | None = None

    def __post_init__(self) -> None:
        if (self.kind == "team") != (self.team is not None):
            raise ValueError("a team viewer names its team; other viewers name none")

    @classmethod
    def facilitator(cls) -> "Viewer":
        return cls("facilitator")

    @classmethod
    def public(cls) -> "Viewer":
        return cls("public")

    @classmethod
    def of_team(cls, team: str) -> "Viewer":
        return cls("team", team)

    @property
    def is_facilitator(self) -> bool:
        return self.kind == "facilitator"

    def __str__(self) -> str:
        return f"team {self.team}" if self.kind == "team" else f"the {self.kind}"


FACILITATOR = Viewer.facilitator()
PUBLIC = Viewer.public()

_TEXT = re.compile(r"^(public|facilitator|team:([A-Za-z0-9_.-]{1,64}))( until resolved)?$")


@dataclass(frozen=True)
class Visibility:
    """Who may see one event. ``audience``: public, facilitator, or one team (``team``);
    ``until_resolved``: the restriction lasts until the event's turn is committed, after
    which everyone may see it."""

    audience: Literal["public", "facilitator", "team"]
    team: str | None = None
    until_resolved: bool = False

    def __post_init__(self) -> None:
        if (self.audience == "team") != (self.team is not None):
            raise ValueError("a team visibility names its team; others name none")
        if self.audience == "public" and self.until_resolved:
            raise ValueError("public is public: nothing to wait for")

    @classmethod
    def everyone(cls) -> "Visibility":
        return cls("public")

    @classmethod
    def facilitator_only(cls) -> "Visibility":
        return cls("facilitator")

    @classmethod
    def sealed_for(cls, team: str) -> "Visibility":
        """A team's sealed orders: that team and the facilitator until the turn resolves."""
        return cls("team", team, until_resolved=True)

    @classmethod
    def facilitator_until_resolved(cls) -> "Visibility":
        return cls("facilitator", until_resolved=True)

    def to_text(self) -> str:
        """The stored form: ``public``, ``facilitator``, ``team:beijing until resolved``."""
        who = f"team:{self.team}" if self.audience == "team" else self.audience
        return who + (" until resolved" if self.until_resolved else "")

    @classmethod
    def parse(cls, text: str) -> "Visibility":
        """The stored form back; ``ValueError`` for anything else."""
        match = _TEXT.match(text or "")
        if match is None:
            raise ValueError(f"not a visibility: {text!r}")
        if match.group(2):
            return cls("team", match.group(2), bool(match.group(3)))
        return cls(match.group(1), None, bool(match.group(3)))  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.to_text()


def may_see(viewer: Viewer, visibility: Visibility, *, turn_resolved: bool) -> bool:
    """THE rule: may ``viewer`` see an event with ``visibility`` whose turn is (or is not
    yet) committed? The facilitator sees everything."""
    if viewer.is_facilitator or visibility.audience == "public":
        return True
    if visibility.until_resolved and turn_resolved:
        return True
    return visibility.audience == "team" and viewer.kind == "team" \
        and viewer.team == visibility.team
