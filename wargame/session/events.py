"""Event kinds and their typed payloads: a discriminated union on the kind.

Every change to a session is an event in the store's log: ``(seq, turn, kind, payload,
visibility)``. Here each kind has one pydantic model; ``EventPayload`` is the union,
discriminated on ``kind``, so a payload read back is validated (types, finite numbers, known
fields) and a reader never guesses a key. The store keeps the kind in its own column and the
payload without it (``payload_json``).

Each model says who may see an event of its kind (``visibility()``): the value written with
the event (``events.visibility``) and checked by ``wargame.session.visibility.may_see``.

Kinds added by schema 3: ``inject_retracted``, ``note_edited``, ``note_deleted``; overrides
gained ``scaled`` (a numeric parameter scaled by a factor). ``hot_wash`` (the report's
after-exercise hot wash) needs no schema change.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from wargame.engine.orders import FACILITATOR, Order
from wargame.scenario.model import Inject
from wargame.session.hotwash import HotWash
from wargame.session.phases import Phase
from wargame.session.visibility import Visibility
from wargame.store import Event
from wargame.store.export_format import check_json_value
from wargame.store.text import MAX_TEXT_LENGTH, bad_character


class EventKind(StrEnum):
    SESSION_CREATED = "session_created"
    PHASE = "phase"
    ORDERS_SUBMITTED = "orders_submitted"
    FACILITATOR_ORDERS = "facilitator_orders"
    INJECT_FIRED = "inject_fired"
    INJECT_RETRACTED = "inject_retracted"
    OVERRIDE = "override"
    NOTE = "note"
    NOTE_EDITED = "note_edited"
    NOTE_DELETED = "note_deleted"
    PAUSED = "paused"
    RESUMED = "resumed"
    RANDOM_DRAWS = "random_draws"
    DECK_INJECTS = "deck_injects_fired"
    TURN_RESOLVED = "turn_resolved"
    REWOUND = "rewound"
    FORKED = "forked"
    HOT_WASH = "hot_wash"


SESSION_CREATED = EventKind.SESSION_CREATED
PHASE = EventKind.PHASE
ORDERS_SUBMITTED = EventKind.ORDERS_SUBMITTED
FACILITATOR_ORDERS = EventKind.FACILITATOR_ORDERS
INJECT_FIRED = EventKind.INJECT_FIRED
INJECT_RETRACTED = EventKind.INJECT_RETRACTED
OVERRIDE = EventKind.OVERRIDE
NOTE = EventKind.NOTE
NOTE_EDITED = EventKind.NOTE_EDITED
NOTE_DELETED = EventKind.NOTE_DELETED
PAUSED = EventKind.PAUSED
RESUMED = EventKind.RESUMED
RANDOM_DRAWS = EventKind.RANDOM_DRAWS
DECK_INJECTS = EventKind.DECK_INJECTS
TURN_RESOLVED = EventKind.TURN_RESOLVED
REWOUND = EventKind.REWOUND
FORKED = EventKind.FORKED
HOT_WASH = EventKind.HOT_WASH


def _finite_json(value: Any) -> Any:
    check_json_value(value)
    return value


def _clean_text(value: str) -> str:
    problem = bad_character(value, allow_newlines=True)
    if problem:
        raise ValueError(f"contains {problem}")
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(_finite_json)]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), AfterValidator(_clean_text)]
RequiredText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH),
                         AfterValidator(_clean_text)]
SmallId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@#-]{1,128}$")]
Seq = Annotated[int, Field(ge=1)]
Turn = Annotated[int, Field(ge=0, le=10_000)]


def _checked_order(order: Order) -> Order:
    check_json_value(dict(order.params), "params")
    return order


OrderItem = Annotated[Order, AfterValidator(_checked_order)]


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def visibility(self) -> Visibility:
        """Who may see an event with this payload (the default for its kind)."""
        return Visibility.everyone()

    def to_json(self) -> dict[str, Any]:
        """The stored form: JSON types, without the kind (the store's own column)."""
        return self.model_dump(mode="json", exclude={"kind"})


class SessionCreated(_Payload):
    kind: Literal["session_created"] = "session_created"
    scenario_id: str = ""
    scenario_hash: str = ""
    seed: int | None = None
    wargame_version: str = "unknown"
    engine_model_version: int | None = None  # None: recorded before model versions
    teams: dict[str, Literal["human", "bot"]] = Field(default_factory=dict)

    def visibility(self) -> Visibility:
        return Visibility.facilitator_only()  # the seed predicts every draw


class PhaseChanged(_Payload):
    kind: Literal["phase"] = "phase"
    phase: Phase


class OrdersSubmitted(_Payload):
    """A team's orders for the turn (the last submission counts): sealed until resolved."""

    kind: Literal["orders_submitted"] = "orders_submitted"
    team: SmallId
    orders: tuple[OrderItem, ...] = ()

    @field_validator("orders")
    @classmethod
    def _own_orders(cls, orders: tuple[Order, ...], info: Any) -> tuple[Order, ...]:
        team = info.data.get("team")
        for order in orders:
            if order.team != team:
                raise ValueError(f"an order of team {order.team!r} in {team!r}'s submission")
        return orders

    def visibility(self) -> Visibility:
        return Visibility.sealed_for(self.team)


class FacilitatorOrders(_Payload):
    """The white cell's orders for the turn: the facilitator's until resolved."""

    kind: Literal["facilitator_orders"] = "facilitator_orders"
    team: Literal["facilitator"] = FACILITATOR
    orders: tuple[OrderItem, ...] = ()

    def visibility(self) -> Visibility:
        return Visibility.facilitator_until_resolved()


class FreeInject(BaseModel):
    """An inject the facilitator wrote on the spot (no effects)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: SmallId
    title: RequiredText
    text: Text = ""


class InjectFired(_Payload):
    """An inject fired by hand: a deck inject by id, a free-text one, or a full ``Inject``.
    ``forced``: the facilitator confirmed firing one already scheduled or fired this turn."""

    kind: Literal["inject_fired"] = "inject_fired"
    inject: SmallId | FreeInject | Inject
    by: str = "facilitator"
    forced: bool = False

    @property
    def inject_id(self) -> str:
        return self.inject if isinstance(self.inject, str) else self.inject.id

    @property
    def title(self) -> str | None:
        return None if isinstance(self.inject, str) else self.inject.title


class InjectRetracted(_Payload):
    """A hand-fired inject taken back before the orders opened (names its event)."""

    kind: Literal["inject_retracted"] = "inject_retracted"
    fired_seq: Seq
    inject_id: SmallId
    reason: Text = ""


class OverrideRuling(_Payload):
    """The facilitator's ruling on one order during adjudication, with a reason:
    ``rejected`` sets it aside, ``accepted`` admits one the rules rejected, ``scaled``
    multiplies a numeric parameter by ``factor`` (the engine receives the scaled order)."""

    kind: Literal["override"] = "override"
    order_id: SmallId
    status: Literal["accepted", "rejected", "scaled"]
    reason: RequiredText
    param: SmallId | None = None
    factor: Annotated[float, Field(gt=0, le=100)] | None = None

    @model_validator(mode="after")
    def _scaled_needs_both(self) -> "OverrideRuling":
        scaled = self.status == "scaled"
        if scaled != (self.factor is not None) or scaled != (self.param is not None):
            raise ValueError("a 'scaled' ruling names a parameter and a factor; others "
                             "name neither")
        return self

    def visibility(self) -> Visibility:
        return Visibility.facilitator_until_resolved()


class Note(_Payload):
    kind: Literal["note"] = "note"
    text: RequiredText
    phase: Phase | None = None

    def visibility(self) -> Visibility:
        return Visibility.facilitator_only()


class NoteEdited(_Payload):
    kind: Literal["note_edited"] = "note_edited"
    note_seq: Seq
    text: RequiredText

    def visibility(self) -> Visibility:
        return Visibility.facilitator_only()


class NoteDeleted(_Payload):
    kind: Literal["note_deleted"] = "note_deleted"
    note_seq: Seq

    def visibility(self) -> Visibility:
        return Visibility.facilitator_only()


class Paused(_Payload):
    kind: Literal["paused"] = "paused"
    phase: Phase | None = None


class Resumed(_Payload):
    kind: Literal["resumed"] = "resumed"
    phase: Phase | None = None


class RandomDraws(_Payload):
    kind: Literal["random_draws"] = "random_draws"
    draws: tuple[JsonObject, ...] = ()

    def visibility(self) -> Visibility:
        return Visibility.facilitator_only()

    def to_json(self) -> dict[str, Any]:
        return {"draws": list(self.draws)}  # JSON already


class DeckInjectsFired(_Payload):
    kind: Literal["deck_injects_fired"] = "deck_injects_fired"
    injects: tuple[JsonObject, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"injects": list(self.injects)}


class TurnResolved(_Payload):
    """A committed turn: the engine's result (without the new state, which is the next
    snapshot) and the new state's hash."""

    kind: Literal["turn_resolved"] = "turn_resolved"
    result: JsonObject
    state_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]

    def to_json(self) -> dict[str, Any]:
        return {"result": self.result, "state_hash": self.state_hash}  # JSON already


class Rewound(_Payload):
    kind: Literal["rewound"] = "rewound"
    to_turn: Turn
    archived_branch: Annotated[int, Field(ge=1)]
    reason: Text = ""
    phase: Phase = Phase.BRIEFING


class Forked(_Payload):
    kind: Literal["forked"] = "forked"
    from_session: SmallId
    from_turn: Turn
    phase: Phase = Phase.BRIEFING
    state_hash: str = ""


class HotWashRecorded(_Payload, HotWash):
    """The room's hot wash after the exercise (the last one recorded counts); the payload
    is the whole ``HotWash``. Visible to everyone: it is meant for the report."""

    kind: Literal["hot_wash"] = "hot_wash"


EventPayload = Annotated[
    Union[SessionCreated, PhaseChanged, OrdersSubmitted, FacilitatorOrders, InjectFired,
          InjectRetracted, OverrideRuling, Note, NoteEdited, NoteDeleted, Paused, Resumed,
          RandomDraws, DeckInjectsFired, TurnResolved, Rewound, Forked, HotWashRecorded],
    Field(discriminator="kind")]

PAYLOAD_ADAPTER: TypeAdapter[Any] = TypeAdapter(EventPayload)

PAYLOAD_TYPES: Mapping[str, type[_Payload]] = {
    cls.model_fields["kind"].default: cls
    for cls in (SessionCreated, PhaseChanged, OrdersSubmitted, FacilitatorOrders, InjectFired,
                InjectRetracted, OverrideRuling, Note, NoteEdited, NoteDeleted, Paused,
                Resumed, RandomDraws, DeckInjectsFired, TurnResolved, Rewound, Forked,
                HotWashRecorded)}
assert set(PAYLOAD_TYPES) == {k.value for k in EventKind}


class DamagedEvent(ValueError):
    """A stored event whose payload does not match its kind (crafted or damaged)."""

    def __init__(self, seq: int, kind: str, problem: str):
        self.seq = seq
        self.kind = kind
        super().__init__(f"event {seq} ({kind}): {problem}")


def payload_json(payload: _Payload) -> dict[str, Any]:
    """The stored form of a payload: JSON types, without the kind (the store's column)."""
    return payload.to_json()


def parse_payload(kind: str, raw: Any, seq: int = 0) -> _Payload:
    """A stored payload back as its typed model; ``DamagedEvent`` naming what is wrong."""
    if kind not in PAYLOAD_TYPES:
        raise DamagedEvent(seq, kind, "unknown kind of event")
    if not isinstance(raw, dict):
        raise DamagedEvent(seq, kind, f"its payload is {type(raw).__name__}, not an object")
    try:
        return PAYLOAD_ADAPTER.validate_python({**raw, "kind": kind})
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "payload"
        raise DamagedEvent(seq, kind, f"{where}: {first['msg']}") from None


@dataclass(frozen=True)
class LoggedEvent:
    """A stored event with its typed payload and its visibility."""

    seq: int
    turn: int
    created_at: str
    branch: int
    payload: Any  # one of the EventPayload models
    visibility: Visibility

    @property
    def kind(self) -> EventKind:
        return EventKind(self.payload.kind)

    @classmethod
    def from_stored(cls, event: Event) -> "LoggedEvent":
        """Validate a stored event: payload against its kind, visibility parsed (an event
        written before visibility was stored gets its kind's default)."""
        payload = parse_payload(event.kind, event.payload, event.seq)
        if event.visibility is None:
            visibility = payload.visibility()
        else:
            try:
                visibility = Visibility.parse(event.visibility)
            except ValueError as exc:
                raise DamagedEvent(event.seq, event.kind, str(exc)) from None
        return cls(event.seq, event.turn, event.created_at, event.branch, payload, visibility)

