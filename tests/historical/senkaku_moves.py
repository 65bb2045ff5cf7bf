"""The historical moves of the 2010-2014 rare-earth episode (read from
``scenarios/orders/senkaku-2010-historical.yaml``, which gives each move's source), and the
measures the stylised facts are checked on (``test_senkaku_2010.py``; scenarios/README.md, "Senkaku
2010"). Turns are quarters from Q3 2010 (T1) to Q2 2015 (T20). Lynas, Molycorp and SARECO
arrive by the scenario's own injects (lead times from their filings).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from orders_by_turn import orders_by_turn

from wargame.engine import Order, initial_state, resolve_turn
from wargame.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO = SCENARIOS / "senkaku-2010.yaml"
ORDERS = SCENARIOS / "orders" / "senkaku-2010-historical.yaml"
MATERIALS = ("ndpr", "dy", "light")
TURNS = 20


def historical_moves() -> dict[int, list[Order]]:
    """The orders file's moves by turn."""
    return orders_by_turn(SCENARIO, ORDERS, TURNS)


HISTORICAL_MOVES = historical_moves()

# FOB levels before the episode the facts are stated against (USD/kg oxide)
ND_2009 = 19.12  # Nd oxide, 2009 average (WTOC10)
DY_2008_09 = 105.0  # Dy oxide, 2008-09: 118.49 (2008, MIN11b) and 91 (Jan 2009, QM)
LACE_END_2009 = 5.6  # La and Ce oxide, Jan 2010: 23.50 / 3.7 and 22.50 / 4.6 (JMB-A)
# basket weights: 2010 tonnage of each group (scenario demand)
BASKET_WEIGHTS = {"ndpr": 26000.0, "dy": 1500.0, "light": 96500.0}


@dataclass
class Episode:
    """Per-turn series of one run (index 0 = T1)."""

    fob: dict[str, np.ndarray]  # price Japan pays, USD/kg oxide
    home: dict[str, np.ndarray]  # price in China
    china_exports: np.ndarray  # t/yr, all rare earths, all stages
    japan_from_china: np.ndarray  # t/yr
    japan_imports: np.ndarray  # t/yr
    new_output: np.ndarray  # t/yr separated outside China by plants built in the game
    quota: np.ndarray  # t/yr in force each turn (nan = none)

    def basket(self, prices: dict[str, np.ndarray]) -> np.ndarray:
        total = sum(BASKET_WEIGHTS.values())
        return sum(prices[m] * w / total for m, w in BASKET_WEIGHTS.items())


def play(moves: dict[int, list[Order]] | None = None, turns: int = TURNS,
         seed: int | None = None) -> Episode:
    """The scenario played with ``moves`` (the historical ones by default), no explanations,
    with the scenario's default seed or ``seed``."""
    sc = load_scenario(SCENARIO)
    moves = HISTORICAL_MOVES if moves is None else moves
    state = initial_state(sc, seed)
    series: dict[str, list] = {k: [] for k in ("exp", "jfc", "jim", "new", "quota")}
    fob = {m: [] for m in MATERIALS}
    home = {m: [] for m in MATERIALS}
    for turn in range(1, turns + 1):
        result = resolve_turn(sc, state, moves.get(turn, []), explain=False)
        rejected = [o for o in result.outcomes if o.status.value != "accepted"]
        assert not rejected, f"T{turn}: historical move refused: {rejected}"
        ind = result.indicators
        for m in MATERIALS:
            fob[m].append(ind.price_by_actor_usd_per_kg[m]["separate"]["JPN"])
            home[m].append(ind.price_by_actor_usd_per_kg[m]["separate"]["CHN"])
        series["quota"].append(sum(q.quota_tonnes_per_year for q in ind.quotas)
                               if ind.quotas else np.nan)
        series["exp"].append(sum(f.tonnes_per_year for f in ind.flows if f.exporter == "CHN"))
        series["jfc"].append(sum(f.tonnes_per_year for f in ind.flows
                                 if f.importer == "JPN" and f.exporter == "CHN"))
        series["jim"].append(sum(f.tonnes_per_year for f in ind.flows if f.importer == "JPN"))
        st = result.state
        years = sc.turn_length_months / 12.0
        sold = st.market.sales  # (M, S, A) t per turn
        series["new"].append(sum(float(sold[sc.material_index[m], 1, sc.actor_index[a]])
                                 for m in MATERIALS for a in NEW_PLANTS) / years)
        state = st
    return Episode(fob={m: np.array(v) for m, v in fob.items()},
                   home={m: np.array(v) for m, v in home.items()},
                   china_exports=np.array(series["exp"]),
                   japan_from_china=np.array(series["jfc"]),
                   japan_imports=np.array(series["jim"]),
                   new_output=np.array(series["new"]),
                   quota=np.array(series["quota"]))


def median_episode(seeds: tuple[int, ...]) -> Episode:
    """The historical moves played once per seed, each series the median over the seeds
    turn by turn: the model's typical path, not one draw's. (A single licence draw can move
    a series for quarters: with engine model 6 the default seed draws the T2 customs hold
    on Japan's Dy at 0.36 approval, a 1-in-800 draw of Beta(14, 6), and Dy then peaks in
    T4; over 60 other seeds the facts pass as often under model 5's draws as under 6's.)"""
    runs = [play(seed=seed) for seed in seeds]

    def median(series: list[np.ndarray]) -> np.ndarray:
        return np.median(np.stack(series), axis=0)

    return Episode(fob={m: median([r.fob[m] for r in runs]) for m in MATERIALS},
                   home={m: median([r.home[m] for r in runs]) for m in MATERIALS},
                   china_exports=median([r.china_exports for r in runs]),
                   japan_from_china=median([r.japan_from_china for r in runs]),
                   japan_imports=median([r.japan_imports for r in runs]),
                   new_output=median([r.new_output for r in runs]),
                   quota=runs[0].quota)  # the quota in force is set by the moves alone


NEW_PLANTS = ("USA", "MYS")  # Molycorp and Lynas: no separation at the start
NEW_NAMEPLATE = 19050.0 + 11000.0  # t/yr REO (MC12, NMIN12)
