"""The hot wash: what the room said straight after the exercise (what went well, what to
improve, who does what by when, and who played which team). The report turns it into its
improvement plan (``wargame.report.hotwash`` stores and reads it).

It is an event of the session's log (kind ``hot_wash``, payload the whole ``HotWash``; the
last one written counts), so its model lives here with the other event payloads
(``wargame.session.events.HotWashRecorded``). Facilitator-written text meant for the report:
visible to everyone.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wargame.scenario.model import plain_text

HOT_WASH = "hot_wash"  # the event kind
MAX_ITEMS = 200  # per list: a hot wash is a page, not a database
MAX_ITEM_CHARS = 2000

ItemText = Annotated[str, Field(max_length=MAX_ITEM_CHARS)]
ShortText = Annotated[str, Field(max_length=200)]


class HotWashError(ValueError):
    """A hot wash that cannot be stored or read back (says what and where)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ActionItem(_Frozen):
    """One line of the improvement plan: what, who, by when (free text, e.g. "2026-03")."""

    what: Annotated[str, Field(min_length=1, max_length=MAX_ITEM_CHARS)]
    who: ShortText = ""
    by_when: ShortText = ""

    @field_validator("what", "who", "by_when")
    @classmethod
    def _plain(cls, value: str) -> str:
        return plain_text(value)


class HotWash(_Frozen):
    went_well: tuple[ItemText, ...] = Field(default=(), max_length=MAX_ITEMS)
    to_improve: tuple[ItemText, ...] = Field(default=(), max_length=MAX_ITEMS)
    actions: tuple[ActionItem, ...] = Field(default=(), max_length=MAX_ITEMS)
    players: dict[Annotated[str, Field(max_length=64)], ShortText] = Field(
        default_factory=dict, max_length=64)  # team id -> who played it

    @field_validator("went_well", "to_improve")
    @classmethod
    def _items(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(plain_text(item) for item in items if item.strip())

    @field_validator("players")
    @classmethod
    def _players(cls, players: dict[str, str]) -> dict[str, str]:
        return {team: plain_text(names) for team, names in players.items() if names.strip()}

    @property
    def is_empty(self) -> bool:
        return not (self.went_well or self.to_improve or self.actions or self.players)

    def to_payload(self) -> dict:
        return self.model_dump(mode="json")

    @classmethod
    def from_payload(cls, raw: object, where: str = "hot wash") -> "HotWash":
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            at = ".".join(map(str, first["loc"])) or "payload"
            raise HotWashError(f"{where}: {at}: {first['msg']}") from None


__all__ = ["ActionItem", "HOT_WASH", "HotWash", "HotWashError", "MAX_ITEMS", "MAX_ITEM_CHARS"]
