"""When the capacity an order would build arrives, before it is given: the order form tells
the team "1,500 t/yr of NdPr magnet making capacity arrives on turn 9" in the units it
ordered. The order is bound exactly as the turn would bind it (``planning.order_measures``)
and each capacity effect's pipeline entry made as the turn would make it
(``lifecycle.capacity_entry``), so the form and the outcome never disagree."""
from __future__ import annotations

from typing import Any, Mapping

from wargame.engine.lifecycle import capacity_entry
from wargame.engine.measures import PipelineEntry
from wargame.engine.orders import with_defaults
from wargame.engine.planning import order_measures
from wargame.engine.rules import CompiledRules, rules_for
from wargame.scenario.model import Scenario


def capacity_arrivals(scenario: Scenario, team: str, move_id: str,
                      params: Mapping[str, Any], turn: int,
                      rules: CompiledRules | None = None) -> list[PipelineEntry]:
    """The pipeline entries an order of ``move_id`` given on ``turn`` would make (empty for
    a move that builds nothing). ``due_turn`` is when it arrives unless it slips."""
    move = scenario.move_index.get(move_id)
    if move is None:
        return []
    rules = rules or rules_for(scenario)
    measures = order_measures(rules, move_id, with_defaults(move, dict(params)), team,
                              "preview", "order:preview", "", turn, 0, move.public)
    entries = (capacity_entry(scenario, rules.baseline, measure) for measure in measures)
    return [entry for entry in entries if entry is not None]


__all__ = ["capacity_arrivals"]
