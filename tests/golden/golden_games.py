"""The games the golden master pins: seeded 12-turn all-bot games of the shipped default
scenario and of a small fixture, and the dozen headline numbers recorded per turn.

Shared by ``test_golden_master.py`` (which replays them) and ``regenerate.py`` (which
records them)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
MASTER = Path(__file__).resolve().parent / "golden_master.json"
REGENERATE = "python -m tests.golden.regenerate"


@dataclass(frozen=True)
class Game:
    name: str
    scenario: str  # path from the repository root
    seed: int
    turns: int = 12


GAMES = (
    Game("default-2025", "scenarios/rare-earth-shock-2025.yaml", 2025),
    Game("default-7", "scenarios/rare-earth-shock-2025.yaml", 7),
    Game("mini-7", "tests/fixtures/scenarios/mini.yaml", 7),
)


def headlines(result: Any) -> dict[str, float]:
    """A dozen numbers that summarise a turn (compared with a tolerance)."""
    ind = result.indicators
    met = [v for sectors in ind.supply_met_share.values() for v in sectors.values()]
    index = list(ind.price_index_vs_baseline.values())
    return {
        "lowest_supply_met_share": min(met),
        "mean_supply_met_share": sum(met) / len(met),
        "highest_price_index": max(index),
        "mean_price_index": sum(index) / len(index),
        "shortfall_tonnes_per_year": sum(v for s in ind.shortfall_tonnes_per_year.values()
                                         for v in s.values()),
        "cross_border_tonnes_per_turn": sum(f.tonnes_per_turn for f in ind.flows),
        "import_bill_usd_m_per_turn": sum(ind.import_bill_usd_m_per_turn.values()),
        "revenue_usd_m_per_turn": sum(ind.revenue_usd_m_per_turn.values()),
        "budget_usd_m": sum(ind.budget_usd_m.values()),
        "political_capital": sum(ind.political_capital.values()),
        "score_total": sum(s.total for s in ind.scores.values()),
        "stocks_tonnes": sum(v for m in ind.stocks_tonnes.values() for v in m.values()),
    }


def play(game: Game) -> dict[str, Any]:
    """Play ``game``; its record: the scenario's content hash and, per turn, the state
    hash, the orders accepted, the injects fired and the headline numbers."""
    from wargame.engine import ENGINE_MODEL_VERSION, run_game
    from wargame.scenario.loader import load_scenario

    scenario = load_scenario(REPO / game.scenario)
    results = run_game(scenario, seed=game.seed, turns=game.turns,
                       bots=[t.id for t in scenario.teams], explain=True)
    return {
        "scenario": game.scenario, "scenario_hash": scenario.content_hash, "seed": game.seed,
        "engine_model_version": ENGINE_MODEL_VERSION,
        "turns": [{"turn": r.turn, "state_hash": r.state.content_hash(),
                   "accepted": sorted(o.order_id for o in r.outcomes if o.status != "rejected"),
                   "injects": [i.inject_id for i in r.injects_fired],
                   "headlines": headlines(r)} for r in results],
    }
