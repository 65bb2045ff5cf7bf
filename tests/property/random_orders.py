"""Hypothesis helpers shared by the property tests: the scenarios, and random orders that
are legal in form (a move the team may use, parameters of the right kinds and ranges)."""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from wargame.engine import Order
from wargame.engine.bot_params import fill_params
from wargame.scenario.loader import load_scenario

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCENARIOS = {
    "rules": load_scenario(FIXTURES / "engine_rules.yaml"),
    "mini": load_scenario(FIXTURES / "scenarios" / "mini.yaml"),
    "default": load_scenario(FIXTURES.parent.parent / "scenarios" / "rare-earth-shock-2025.yaml"),
}


def random_order(sc, data, turn: int, with_id: bool = True) -> Order:
    move = data.draw(st.sampled_from(sc.moves))
    team = data.draw(st.sampled_from([t.id for t in sc.teams if move.allowed_for(t.id)]
                                     or [sc.teams[0].id]))
    params = fill_params(sc, team, move, data.draw(st.integers(0, 20)))
    for spec in move.params:
        if spec.type in ("number", "integer"):
            low = spec.min if spec.min is not None else 0.0
            high = spec.max if spec.max is not None else 100.0
            value = data.draw(st.floats(low, high, allow_nan=False))
            params[spec.name] = int(round(value)) if spec.type == "integer" else value
        elif spec.type == "choice":
            params[spec.name] = data.draw(st.sampled_from(spec.choices))
        elif spec.type == "actor":
            options = [a.id for a in sc.actors
                       if (spec.scope != "own" or a.team == team)
                       and (spec.scope != "other" or a.team != team)]
            if options:
                params[spec.name] = data.draw(st.sampled_from(options))
    order_id = f"t{turn}-{team}-{data.draw(st.integers(0, 10**6))}" if with_id else ""
    return Order(team=team, move=move.id, params=params, id=order_id)
