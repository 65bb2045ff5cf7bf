"""The historical moves of the 2010-2014 rare-earth episode, and the measures the stylised
facts are checked on (``test_senkaku_2010.py``; scenarios/README.md, "Senkaku 2010").

Turns are quarters from Q3 2010 (T1) to Q2 2015 (T20). The moves, with their sources (keys
of ``scenarios/senkaku-2010.yaml``):

====  ==========================================================================  ==========
turn  move                                                                        source
====  ==========================================================================  ==========
T1    2010 quota: 27,908 t/yr for H2 (30,258 - 16,304 first batch, annualised);    RTR11
      exports exceeded it with licences carried over: 0.8 of the excess leaves     (see note)
T2    customs hold of all rare earths bound for Japan (21 Sep - 19 Nov 2010)       SMM10
T3    2011 quota 30,184 t; Nd duty 15 -> 25 %; mining cut to 2011 output            CD12,
      (world 111,000 t: China ~0.83 of 2010); Tokyo: Sojitz/JOGMEC-Lynas deal,      GTA2151,
      0.77 of LAMP's output (8,500 of 11,000 t/yr)                                  WHA13, AFR11
T7    2012 quota 30,996 t; mining at 100,000 t (a further x 0.95)                   XIN12, INN14
T11   2013 quota 31,001 t                                                          AFP13
T15   2014 quota (H1 batch 15,110 t x 2), until ended                              ABC13
T19   WTO ruling implemented: quotas end (1 Jan 2015)                              PMR15
T20   duties end (1 May 2015)                                                      BOF15
====  ==========================================================================  ==========

Note on T1: China's 2010 exports (~39,000 t: 35,000 t Jan-Nov, +14.5 % y/y, RTR11) were
above the 30,258 t quota; licences carried over from 2009 and product forms counted outside
the quota let them through (research note, section 2.1). The share of the excess over the
quota that leaves is (39,000 - 30,258) / (40,817 - 30,258) = 0.83 of the baseline's excess,
rounded to 0.8 (derived, not tuned to a model run). From 2011 the scenario's leakage share
(0.2, DB11) applies.

Lynas, Molycorp and SARECO arrive by the scenario's own injects (lead times from their
filings).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wargame.engine import Order, initial_state, resolve_turn
from wargame.engine.orders import FACILITATOR
from wargame.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "senkaku-2010.yaml"
MATERIALS = ("ndpr", "dy", "light")
TURNS = 20


def _quota(tonnes: float, duration: int, leakage: float = 0.2) -> Order:
    return Order("beijing", "export_quota",
                 {"tonnes_per_year": tonnes, "duration": duration, "leakage_share": leakage})


HISTORICAL_MOVES: dict[int, list[Order]] = {
    1: [_quota(27908, 2, leakage=0.8)],
    2: [Order("beijing", "customs_hold", {"target": "JPN", "material": m, "level": "halt",
                                          "duration": 1}) for m in MATERIALS],
    3: [_quota(30184, 4), Order("beijing", "change_duty", {"material": "ndpr", "scale": 25 / 15})]
       + [Order("beijing", "mining_cap", {"material": m, "factor": 0.83}) for m in MATERIALS]
       + [Order("tokyo", "offtake_deal", {"seller": "MYS", "material": m, "share": 0.77,
                                          "duration": 0}) for m in ("ndpr", "light")],
    7: [_quota(30996, 4)] + [Order("beijing", "mining_cap", {"material": m, "factor": 0.95})
                             for m in MATERIALS],
    11: [_quota(31001, 4)],
    15: [_quota(30220, 0)],
    19: [Order(FACILITATOR, "wto_ruling", {"measure": "export_quota", "material": "light"})],
    20: [Order(FACILITATOR, "wto_ruling", {"measure": "export_duty", "material": m})
         for m in MATERIALS],
}

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


QUOTA_BY_TURN = {**{t: 27908.0 for t in (1, 2)}, **{t: 30184.0 for t in range(3, 7)},
                 **{t: 30996.0 for t in range(7, 11)}, **{t: 31001.0 for t in range(11, 15)},
                 **{t: 30220.0 for t in range(15, 19)}}


def play(moves: dict[int, list[Order]] | None = None, turns: int = TURNS) -> Episode:
    """The scenario played with ``moves`` (the historical ones by default), no explanations."""
    sc = load_scenario(SCENARIO)
    moves = HISTORICAL_MOVES if moves is None else moves
    state = initial_state(sc)
    series: dict[str, list] = {k: [] for k in ("exp", "jfc", "jim", "new")}
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
                   quota=np.array([QUOTA_BY_TURN.get(t, np.nan) for t in range(1, turns + 1)]))


NEW_PLANTS = ("USA", "MYS")  # Molycorp and Lynas: no separation at the start
NEW_NAMEPLATE = 19050.0 + 11000.0  # t/yr REO (MC12, NMIN12)
