"""A committed turn as the room may now see it (``RevealedTurn``): every team's orders with
their outcome, the events, the facilitator's overrides with their reasons, and the public
explanations. Built from an exercise's committed record only (``revealed_turn``), so the
turn in progress never appears; read by the debrief, the projector and the report.
"""
from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from wargame.engine.phrases import describe_move
from wargame.engine.results import Explanation

FACILITATOR = "facilitator"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RevealedOrder(_Frozen):
    team: str  # the team's name ("White cell" for the facilitator's orders)
    text: str  # the order as a sentence: "Dy/Tb licensing freeze on the United States"
    status: str  # accepted / rejected / overridden
    detail: str = ""  # why rejected, what it cost, or the facilitator's reason
    covert: bool = False


class RevealedOverride(_Frozen):
    order: str  # "Washington: Offtake of 30 % of Australia's NdPr mining output"
    status: str
    reason: str


class RevealedTurn(_Frozen):
    """One committed turn as shown: for the room only explanations that may be read to it
    (``revealed_turn``); the facilitator's replay adds the others, which the panels mark."""

    turn: int
    orders: tuple[RevealedOrder, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    events: tuple[str, ...] = ()  # titles of the events (injects) of the turn
    overrides: tuple[RevealedOverride, ...] = ()

    def of_kind(self, *kinds: str) -> list[str]:
        """The explanation sentences of these kinds, in order."""
        return [e.text for e in self.explanations if e.kind in kinds]


class CommittedRecord(Protocol):
    """What ``revealed_turn`` reads of an exercise (``session.exercise.Exercise``; its
    ``overrides_log`` gives ``OverrideView``s: turn, order_id, description, status, reason,
    param, factor)."""

    scenario: Any

    def committed_turns(self) -> list[int]: ...
    def results(self) -> list[tuple[int, dict]]: ...
    def revealed_orders(self) -> dict[int, list[dict]]: ...
    def injects(self) -> list[tuple[int, Any, str]]: ...  # (turn, InjectStatus, source)
    def overrides_log(self) -> list[Any]: ...


def team_name(scenario: Any, team: str) -> str:
    if team in scenario.team_index:
        return scenario.team(team).name
    return "White cell" if team == FACILITATOR else team



def revealed_turn(record: CommittedRecord, turn: int | None = None) -> RevealedTurn | None:
    """Committed turn ``turn`` (default: the last one) as the room may see it; None when
    that turn has not been committed."""
    committed = record.committed_turns()
    if not committed:
        return None
    turn = committed[-1] if turn is None else turn
    if turn not in committed:
        return None
    scenario = record.scenario
    result = dict(record.results()).get(turn, {})
    rows = record.revealed_orders().get(turn, [])
    orders, described = [], {}
    for row in rows:
        team = str(row.get("team", ""))
        text = describe_move(scenario, str(row.get("move", "")), row.get("params") or {}, team)
        described[str(row.get("id", ""))] = f"{team_name(scenario, team)}: {text}"
        orders.append(RevealedOrder(
            team=team_name(scenario, team), text=text,
            status=str(row.get("status") or "").lower(), detail=str(row.get("detail") or ""),
            covert=not row.get("public", True)))
    overrides = tuple(
        RevealedOverride(order=described.get(o.order_id, o.description),
                         status=str(o.status) + (f" ({o.param} × {o.factor:g})"
                                                 if getattr(o, "factor", None) else ""),
                         reason=o.reason)
        for o in record.overrides_log() if o.turn == turn)
    explanations = tuple(e for e in (Explanation.model_validate(raw)
                                     for raw in result.get("explanations", [])) if e.public)
    events = tuple(status.title for t, status, _source in record.injects() if t == turn)
    return RevealedTurn(turn=turn, orders=tuple(orders), explanations=explanations,
                        events=events, overrides=overrides)


def revealed_from_turn(turn: Any, facilitator: bool = True) -> RevealedTurn | None:
    """A committed ``TurnRecord`` of the after-action report (``report.gather``) as a
    ``RevealedTurn``, so the replay browser shows a past turn in the same words as the live
    debrief. ``facilitator``: explanations not read to the room are included (the panels
    mark them). None for a turn not yet committed."""
    if turn is None or not turn.committed:
        return None
    return RevealedTurn(
        turn=turn.turn,
        orders=tuple(RevealedOrder(team=o.team_name, text=o.description, status=o.status,
                                   detail=o.detail, covert=o.covert) for o in turn.orders),
        explanations=tuple(Explanation(text=e.text, groups=e.groups, public=e.public,
                                       kind=e.kind)
                           for e in turn.explanations if e.public or facilitator),
        events=tuple(i.title for i in turn.injects),
        overrides=tuple(RevealedOverride(order=o.order_description, status=o.status,
                                         reason=o.reason) for o in turn.overrides))


__all__ = ["CommittedRecord", "RevealedOrder", "RevealedOverride", "RevealedTurn",
           "revealed_from_turn", "revealed_turn", "team_name"]
