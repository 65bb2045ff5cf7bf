"""The historical moves of DR Congo's 2025 cobalt export suspension and quotas (read from
``scenarios/orders/drc-cobalt-2025-historical.yaml``, which gives each move's source), and
the measures the stylised facts are checked on (``test_drc_cobalt_2025.py``;
scenarios/README.md, "DR Congo cobalt 2025"). Turns are quarters from March 2025 (T1
Mar-May 2025, T4 Dec 2025-Feb 2026).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from orders_by_turn import orders_by_turn

from wargame.engine import Order, initial_state, resolve_turn
from wargame.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO = SCENARIOS / "drc-cobalt-2025.yaml"
ORDERS = SCENARIOS / "orders" / "drc-cobalt-2025-historical.yaml"
TURNS = 8
MATERIAL = "cobalt"


def historical_moves() -> dict[int, list[Order]]:
    """The orders file's moves by turn."""
    return orders_by_turn(SCENARIO, ORDERS, TURNS)


@dataclass
class Episode:
    """Per-turn series of one run (index 0 = T1); prices as multiples of the Jan-Feb 2025
    baseline, tonnes per year unless named otherwise."""

    hydroxide: np.ndarray  # price China's refiners pay for hydroxide
    metal: np.ndarray  # price of refined cobalt in China
    drc_mine_output: np.ndarray  # t/yr
    drc_stock: np.ndarray  # t, commercial, all stages
    stock_outside_drc: np.ndarray  # t, commercial, all stages, every other actor
    stock_outside_drc_day_one: float  # t
    china_hydroxide_imports: np.ndarray  # t/yr
    china_hydroxide_imports_baseline: float  # t/yr, a quiet first turn's


def play(moves: dict[int, list[Order]] | None = None, turns: int = TURNS,
         seed: int | None = None) -> Episode:
    """The scenario played with ``moves`` (the historical ones by default), no explanations,
    with the scenario's default seed or ``seed``."""
    sc = load_scenario(SCENARIO)
    moves = historical_moves() if moves is None else moves
    m = sc.material_index[MATERIAL]
    cod = sc.actor_index["COD"]
    stages = sc.material(MATERIAL).stages
    base = {st.id: st.price.value for st in stages}
    state = initial_state(sc, seed)
    others = [i for a, i in sc.actor_index.items() if a != "COD"]
    day_one = float(state.stock[m][:, others].sum())
    quiet = resolve_turn(sc, state, [], explain=False).indicators
    baseline_imports = _china_hydroxide_imports(quiet)
    series: dict[str, list[float]] = {k: [] for k in ("hyd", "met", "out", "cod", "out_stock", "imp")}
    years = sc.turn_length_months / 12.0
    for turn in range(1, turns + 1):
        # the DRC mines' run rate this turn (set by last turn's market), t/yr
        series["out"].append(float(state.capacity[m, 0, cod] * state.utilisation[m, 0, cod]) / years)
        result = resolve_turn(sc, state, moves.get(turn, []), explain=False)
        rejected = [o for o in result.outcomes if o.status.value != "accepted"]
        assert not rejected, f"T{turn}: historical move refused: {rejected}"
        prices = result.indicators.price_by_actor_usd_per_kg[MATERIAL]
        series["hyd"].append(prices["mine"]["CHN"] / base["mine"])
        series["met"].append(prices["refine"]["CHN"] / base["refine"])
        st = result.state
        series["cod"].append(float(st.stock[m][:, cod].sum()))
        series["out_stock"].append(float(st.stock[m][:, others].sum()))
        series["imp"].append(_china_hydroxide_imports(result.indicators))
        state = st
    return Episode(hydroxide=np.array(series["hyd"]), metal=np.array(series["met"]),
                   drc_mine_output=np.array(series["out"]), drc_stock=np.array(series["cod"]),
                   stock_outside_drc=np.array(series["out_stock"]),
                   stock_outside_drc_day_one=day_one,
                   china_hydroxide_imports=np.array(series["imp"]),
                   china_hydroxide_imports_baseline=baseline_imports)


def _china_hydroxide_imports(indicators: object) -> float:
    return sum(f.tonnes_per_year for f in indicators.flows_at(MATERIAL, "mine")
               if f.importer == "CHN" and f.exporter != "CHN")


def median_episode(seeds: tuple[int, ...]) -> Episode:
    """The historical moves played once per seed, each series the median over the seeds
    turn by turn: the model's typical path, not one draw's."""
    runs = [play(seed=seed) for seed in seeds]

    def median(name: str) -> np.ndarray:
        return np.median(np.stack([getattr(r, name) for r in runs]), axis=0)

    return Episode(hydroxide=median("hydroxide"), metal=median("metal"),
                   drc_mine_output=median("drc_mine_output"), drc_stock=median("drc_stock"),
                   stock_outside_drc=median("stock_outside_drc"),
                   stock_outside_drc_day_one=runs[0].stock_outside_drc_day_one,
                   china_hydroxide_imports=median("china_hydroxide_imports"),
                   china_hydroxide_imports_baseline=runs[0].china_hydroxide_imports_baseline)
