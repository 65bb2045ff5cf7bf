"""``view_for(exercise, viewer)``: THE one function that decides what a viewer sees of a
session: its state, its log, its results and its orders, by the same two rules.

1. Each event's visibility (data stored with it, ``wargame.session.visibility.may_see``):
   a team's sealed orders reach only that team and the facilitator until the turn is
   committed; notes, random draws and the seed reach only the facilitator.
2. Covert moves (``MoveType.public`` False): another team or the public never sees a
   covert order, its outcome, an override of it or an explanation naming it, until the
   exercise has ended (the final debrief reveals everything). The ordering team and the
   facilitator see them.

The state follows the engine's fog of war: a team gets the engine's ``TeamView``; the
public the public indicators and the public measures in force; the facilitator everything.
Indicators in results: the facilitator gets the full ``TurnIndicators``, a team the public
ones and its own actors', the public the public ones.

Scores are public once the turn is committed (the exercise's rule: the projector shows the
standings to the room): every viewer gets each team's score and its breakdown by objective
(``ResultView.scores``, ``PublicState.scores``). Budgets and political capital stay with
the team and the facilitator; a breakdown term on a budget or political-capital objective
shows it as a share of its starting value, which the score itself reveals anyway.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from wargame.engine import (
    FACILITATOR,
    Explanation,
    FiredInject,
    GameState,
    Order,
    OrderOutcome,
    TeamScore,
    TeamView,
    TurnIndicators,
    team_view,
)
from wargame.engine.measures import ORDER_GROUP
from wargame.engine.view import OwnIndicators, PublicIndicators, VisibleMeasure
from wargame.scenario.model import Scenario
from wargame.session.events import (
    FacilitatorOrders,
    LoggedEvent,
    OrdersSubmitted,
    OverrideRuling,
    TurnResolved,
)
from wargame.session.phases import ENDED, Phase
from wargame.session.visibility import Viewer, may_see

if TYPE_CHECKING:
    from wargame.session.exercise import Exercise


class PublicState(BaseModel):
    """What everyone (the room, the projector) may know of the world now."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    turn: int
    public: PublicIndicators | None = None  # the last committed turn's public indicators
    measures: tuple[VisibleMeasure, ...] = ()  # public measures in force
    scores: dict[str, TeamScore] = {}  # every team's, the last committed turn's (public)


@dataclass(frozen=True)
class FacilitatorState:
    turn: int
    state: GameState
    indicators: TurnIndicators | None  # the last committed turn's, in full


@dataclass(frozen=True)
class ResultView:
    """One committed turn as the viewer may see it."""

    turn: int
    outcomes: tuple[OrderOutcome, ...]
    explanations: tuple[Explanation, ...]
    injects_fired: tuple[FiredInject, ...]
    public: PublicIndicators
    own: OwnIndicators | None = None  # a team's own actors
    indicators: TurnIndicators | None = None  # the facilitator only
    scores: Mapping[str, TeamScore] = field(default_factory=dict)  # every team's: public


@dataclass(frozen=True)
class SessionView:
    viewer: Viewer
    session_id: str
    name: str
    turn: int
    phase: Phase
    paused: bool
    state: FacilitatorState | TeamView | PublicState
    log: tuple[LoggedEvent, ...]
    results: tuple[ResultView, ...]
    orders: Mapping[int, Mapping[str, tuple[Order, ...]]]  # turn -> team -> orders
    submitted: tuple[str, ...]  # who has submitted this turn (never what)

    @property
    def ended(self) -> bool:
        return self.phase == ENDED


def public_indicators(ind: TurnIndicators) -> PublicIndicators:
    return PublicIndicators(turn=ind.turn, world_price_usd_per_kg=ind.world_price_usd_per_kg,
                            price_index_vs_baseline=ind.price_index_vs_baseline,
                            supply_met_share=ind.supply_met_share, flows=ind.flows)


def public_scores(ind: TurnIndicators) -> Mapping[str, TeamScore]:
    """Every team's score and its breakdown: public once the turn is committed."""
    return MappingProxyType(dict(ind.scores))


def own_indicators(ind: TurnIndicators, team: str, actors: tuple[str, ...]) -> OwnIndicators:
    mine = set(actors)

    def keep(values: Mapping[str, Any]) -> dict[str, Any]:
        return {a: v for a, v in values.items() if a in mine}

    return OwnIndicators(
        supply_met_share=keep(ind.supply_met_share),
        material_met_share=keep(ind.material_met_share),
        shortfall_tonnes_per_year=keep(ind.shortfall_tonnes_per_year),
        dependency_share_by_material={m: keep(v) for m, v in
                                      ind.dependency_share_by_material.items()},
        dependency_share_all_materials_by_value=keep(
            ind.dependency_share_all_materials_by_value),
        import_bill_usd_m_per_turn=keep(ind.import_bill_usd_m_per_turn),
        export_revenue_usd_m_per_turn=keep(ind.export_revenue_usd_m_per_turn),
        revenue_usd_m_per_turn=keep(ind.revenue_usd_m_per_turn),
        value_added_usd_m_per_turn=keep(ind.value_added_usd_m_per_turn),
        stocks_tonnes=keep(ind.stocks_tonnes),
        crma_benchmarks=tuple(r for r in ind.crma_benchmarks if r.actor in mine),
        score=ind.scores.get(team))


class _Rules:
    """The two rules, bound to one session and one viewer."""

    def __init__(self, scenario: Scenario, viewer: Viewer, events: list[LoggedEvent],
                 ended: bool):
        self.scenario = scenario
        self.viewer = viewer
        self.ended = ended
        self._results: dict[int, ResultView] = {}
        self.resolved = {e.turn for e in events if isinstance(e.payload, TurnResolved)}
        self.order_team: dict[str, str] = {}
        self.order_move: dict[str, str] = {}
        for e in events:
            if isinstance(e.payload, (OrdersSubmitted, FacilitatorOrders)):
                for order in e.payload.orders:
                    self.order_team[order.id] = order.team
                    self.order_move[order.id] = order.move

    def sees_event(self, event: LoggedEvent) -> bool:
        return may_see(self.viewer, event.visibility,
                       turn_resolved=event.turn in self.resolved)

    def sees_order(self, team: str, move: str) -> bool:
        if self.viewer.is_facilitator or self.ended:
            return True
        if self.viewer.kind == "team" and self.viewer.team == team:
            return True
        spec = self.scenario.move_index.get(move)
        return spec is None or spec.public

    def sees_order_id(self, order_id: str) -> bool:
        team = self.order_team.get(order_id)
        if team is None:
            return self.viewer.is_facilitator or self.ended
        return self.sees_order(team, self.order_move[order_id])

    def sees_explanation(self, explanation: Explanation) -> bool:
        if explanation.public or self.viewer.is_facilitator or self.ended:
            return True
        named = [g[len(ORDER_GROUP):] for g in explanation.groups if g.startswith(ORDER_GROUP)]
        return bool(named) and all(self.sees_order_id(order_id) for order_id in named)

    def result(self, event: LoggedEvent) -> ResultView:
        if event.seq not in self._results:  # read once: the log and the results share it
            self._results[event.seq] = self._read_result(event)
        return self._results[event.seq]

    def _read_result(self, event: LoggedEvent) -> ResultView:
        raw = event.payload.result
        indicators = TurnIndicators.from_json_dict(raw["indicators"])
        outcomes = tuple(o for o in (OrderOutcome.model_validate(x)
                                     for x in raw.get("outcomes", []))
                         if self.sees_order(o.team, o.move))
        explanations = tuple(x for x in (Explanation.model_validate(e)
                                         for e in raw.get("explanations", []))
                             if self.sees_explanation(x))
        fired = tuple(FiredInject.model_validate(i) for i in raw.get("injects_fired", []))
        own = None
        if self.viewer.kind == "team":
            team = str(self.viewer.team)
            own = own_indicators(indicators, team, tuple(self.scenario.team_actors(team)))
        return ResultView(event.turn, outcomes, explanations, fired,
                          public_indicators(indicators), own,
                          indicators if self.viewer.is_facilitator else None,
                          public_scores(indicators))

    def redacted(self, event: LoggedEvent) -> LoggedEvent | None:
        """The event as the viewer may see it (None: not at all)."""
        if not self.sees_event(event):
            return None
        payload = event.payload
        if self.viewer.is_facilitator:
            return event
        if isinstance(payload, (OrdersSubmitted, FacilitatorOrders)):
            kept = tuple(o for o in payload.orders if self.sees_order(o.team, o.move))
            if kept != payload.orders:
                payload = payload.model_copy(update={"orders": kept})
        elif isinstance(payload, OverrideRuling):
            if not self.sees_order_id(payload.order_id):
                return None
        elif isinstance(payload, TurnResolved):
            view = self.result(event)
            payload = payload.model_copy(update={"result": {
                "turn": view.turn,
                "outcomes": [o.model_dump(mode="json") for o in view.outcomes],
                "explanations": [x.model_dump(mode="json") for x in view.explanations],
                "injects_fired": [i.model_dump(mode="json") for i in view.injects_fired],
                "public": view.public.model_dump(mode="json"),
                "scores": {t: s.model_dump(mode="json") for t, s in view.scores.items()},
                "own": view.own.model_dump(mode="json") if view.own else None}})
        if payload is event.payload:
            return event
        return LoggedEvent(event.seq, event.turn, event.created_at, event.branch, payload,
                           event.visibility)


@dataclass(frozen=True)
class VisibleHistory:
    """A line of play's log and committed results as one viewer may see them."""

    log: tuple[LoggedEvent, ...]
    results: tuple[ResultView, ...]


def visible_history(scenario: Scenario, viewer: Viewer, events: Sequence[LoggedEvent], *,
                    ended: bool) -> VisibleHistory:
    """The log and results of one line of play (a session's live line, an archived branch,
    another session) as ``viewer`` may see them, by the two rules of this module; ``ended``:
    the session has ended (covert moves are then revealed). ``view_for`` and the
    after-action report both read sessions through it."""
    events = list(events)
    rules = _Rules(scenario, viewer, events, ended)
    log = tuple(e for e in (rules.redacted(event) for event in events) if e is not None)
    results = tuple(rules.result(e) for e in events if isinstance(e.payload, TurnResolved))
    return VisibleHistory(log, results)


def view_for(ex: "Exercise", viewer: Viewer) -> SessionView:
    """Everything ``viewer`` may see of ``ex`` (see the module docstring)."""
    from wargame.session.exercise import typed_events

    ended = ex.phase == ENDED
    history = visible_history(ex.scenario, viewer, typed_events(ex.store.events(ex.id)),
                              ended=ended)
    log, results = history.log, history.results
    orders: dict[int, dict[str, tuple[Order, ...]]] = {}
    for event in log:
        if isinstance(event.payload, (OrdersSubmitted, FacilitatorOrders)):
            orders.setdefault(event.turn, {})[event.payload.team] = event.payload.orders
    last = ex.last_result
    indicators = last.indicators if last is not None else None
    state: FacilitatorState | TeamView | PublicState
    if viewer.is_facilitator:
        state = FacilitatorState(ex.state.turn, ex.state, indicators)
    elif viewer.kind == "team":
        state = team_view(ex.scenario, ex.state, str(viewer.team), indicators)
    else:
        measures = tuple(
            VisibleMeasure(label=m.label, primitive=m.primitive, start_turn=m.start_turn,
                           end_turn=m.end_turn, own=False, public=m.public)
            for m in ex.state.measures if m.public or ended)
        state = PublicState(turn=ex.state.turn, measures=measures,
                            public=public_indicators(indicators) if indicators else None,
                            scores=dict(public_scores(indicators)) if indicators else {})
    ordered = {turn: {t: by_team[t] for t in [*ex.team_order, FACILITATOR] if t in by_team}
               for turn, by_team in orders.items()}
    return SessionView(viewer, ex.id, ex.name, ex.turn, ex.phase, ex.paused, state, log,
                       results, ordered, tuple(ex.submitted_teams()))
