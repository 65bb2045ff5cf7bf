"""What one team may see: the single place secrets are stripped (fog of war).

A team sees its own actors' indicators, budget, political capital, pending investments and
active measures; of everyone else only public information (prices, public measures, headline
supply). It never sees another team's draft or submitted orders: those are not in the state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wargame.engine.orders import order_cost, with_defaults
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario

PUBLIC_INDICATORS = ("prices", "price_index", "supply_met", "flows", "turn")


@dataclass
class TeamView:
    team: str
    turn: int
    actors: list[str]
    budget: float
    political_capital: float
    own: dict[str, Any]
    public: dict[str, Any]
    measures: list[dict[str, Any]] = field(default_factory=list)
    pipeline: list[dict[str, Any]] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def team_view(scenario: Scenario, state: GameState, team_id: str,
              last_indicators: dict[str, Any] | None = None) -> TeamView:
    t = scenario.team_index[team_id]
    actors = list(scenario.team_actors(team_id))
    ind = last_indicators or {}
    own: dict[str, Any] = {}
    for key in ("supply_met", "material_met", "dependency", "import_bill", "revenue",
                "value_added", "shortfall_tonnes", "stocks", "crma"):
        values = ind.get(key, {})
        own[key] = {a: values[a] for a in actors if a in values}
    if "scores" in ind:
        own["score"] = ind["scores"].get(team_id)
    public = {key: ind[key] for key in PUBLIC_INDICATORS if key in ind}
    measures = []
    for measure in state.measures:
        mine = measure.get("team") == team_id
        public_move = True
        group = measure.get("group", "")
        if group.startswith("order:"):
            # covert moves are shown only to their own team until the debrief reveals them
            move_public = [m for m in scenario.moves if measure["label"].endswith(m.name)]
            public_move = all(m.public for m in move_public) if move_public else True
        if mine or public_move:
            measures.append({"label": measure["label"], "primitive": measure["primitive"],
                             "since": measure["start"], "until": measure["end"], "own": mine})
    pipeline = [dict(entry) for entry in state.pipeline
                if entry["actor"] in actors or entry.get("group", "").startswith("inject:")]
    moves = []
    for move in scenario.moves:
        if move.allowed_for(team_id):
            budget, capital = order_cost(move, with_defaults(move, {}))
            moves.append({"id": move.id, "name": move.name, "category": move.category,
                          "description": move.description, "budget": budget,
                          "political_capital": capital})
    return TeamView(team=team_id, turn=state.turn, actors=actors,
                    budget=float(state.budget[t]), political_capital=float(state.political_capital[t]),
                    own=own, public=public, measures=measures, pipeline=pipeline, moves=moves)
