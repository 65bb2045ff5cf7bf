"""What one team may see (fog of war): ``team_view`` builds a typed ``TeamView``.

A team sees its own actors' indicators, its budget, political capital, the capacity it is
building and the measures in force that are its own or public; of the world only public
information (prices, headline supply met, trade flows). Covert measures (``Measure.public``
False, from ``MoveType.public``) of other teams are never in it. It never sees another
team's draft or submitted orders: those are not in the state.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wargame.engine.measures import INJECT_GROUP, PipelineEntry
from wargame.engine.orders import order_cost, with_defaults
from wargame.engine.results import ActorIndicators, FlowRow, TeamScore, TurnIndicators
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class OwnIndicators(ActorIndicators):
    """The team's own actors' indicators (same names and units as ``TurnIndicators``)."""

    score: TeamScore | None = None


class PublicIndicators(_Frozen):
    """What everyone may know of the last turn."""

    turn: int
    world_price_usd_per_kg: dict[str, dict[str, float]]
    price_index_vs_baseline: dict[str, float]
    supply_met_share: dict[str, dict[str, float]]
    flows: tuple[FlowRow, ...] = ()


class VisibleMeasure(_Frozen):
    label: str
    primitive: str
    start_turn: int
    end_turn: int | None  # None: permanent
    own: bool  # ordered by the viewing team
    public: bool


class MoveOption(_Frozen):
    """A move the team may order, with what it costs at its default parameters."""

    id: str
    name: str
    category: str
    description: str
    budget_usd_m: float
    political_capital: float


class TeamView(_Frozen):
    team: str
    turn: int
    actors: tuple[str, ...]
    budget_usd_m: float
    political_capital: float
    own: OwnIndicators | None = None  # None before the first turn is resolved
    public: PublicIndicators | None = None
    measures: tuple[VisibleMeasure, ...] = ()
    pipeline: tuple[PipelineEntry, ...] = ()
    moves: tuple[MoveOption, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def team_view(scenario: Scenario, state: GameState, team_id: str,
              last_indicators: TurnIndicators | None = None) -> TeamView:
    """``team_id``'s view of ``state``, with the last resolved turn's indicators."""
    t = scenario.team_index[team_id]
    actors = tuple(scenario.team_actors(team_id))
    own = public = None
    if last_indicators is not None:
        own = OwnIndicators(**last_indicators.restricted_to(actors),
                            score=last_indicators.scores.get(team_id))
        public = PublicIndicators(
            turn=last_indicators.turn,
            world_price_usd_per_kg=last_indicators.world_price_usd_per_kg,
            price_index_vs_baseline=last_indicators.price_index_vs_baseline,
            supply_met_share=last_indicators.supply_met_share,
            flows=last_indicators.flows)
    measures = tuple(
        VisibleMeasure(label=m.label, primitive=m.primitive, start_turn=m.start_turn,
                       end_turn=m.end_turn, own=m.team == team_id, public=m.public)
        for m in state.measures if m.team == team_id or m.public)
    pipeline = tuple(
        entry for entry in state.pipeline
        if entry.team == team_id or (entry.public and (
            entry.actor in actors or entry.group.startswith(INJECT_GROUP))))
    moves = []
    for move in scenario.moves:
        if move.allowed_for(team_id):
            budget, capital = order_cost(move, with_defaults(move, {}))
            moves.append(MoveOption(id=move.id, name=move.name, category=move.category,
                                    description=move.description, budget_usd_m=budget,
                                    political_capital=capital))
    return TeamView(team=team_id, turn=state.turn, actors=actors,
                    budget_usd_m=float(state.budget[t]),
                    political_capital=float(state.political_capital[t]),
                    own=own, public=public, measures=measures, pipeline=pipeline,
                    moves=tuple(moves))
