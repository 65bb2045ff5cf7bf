"""Issue 8: each market mechanism checked with a paired run on the default scenario, the
same orders and seed with the mechanism and without it (its parameter set to the value
that switches it off). The rule each pair checks is in its docstring; the mechanisms and
their default parameters are documented in scenarios/README.md, "Market dynamics", and in
the engine modules (``pricing.py``, ``demand.py``, ``supply.py``, ``trade.py``,
``flow.py``, ``market.py``)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from wargame.engine import Order, initial_state, resolve_turn
from wargame.engine.orders import FACILITATOR
from wargame.scenario.loader import load_scenario
from wargame.scenario.model import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def sc() -> Scenario:
    return load_scenario(SCENARIOS / "rare-earth-shock-2025.yaml")


def with_market(sc: Scenario, **values: Any) -> Scenario:
    """The scenario with some ``market:`` parameters set (a Figure without a source)."""
    data = sc.to_json_dict()
    for name, value in values.items():
        data["market"][name] = [{"value": v} for v in value] if isinstance(value, list) \
            else {"value": value}
    return Scenario.model_validate(data)


def play(sc: Scenario, orders: dict[int, list[Order]], turns: int) -> list:
    state = initial_state(sc)
    out = []
    for turn in range(1, turns + 1):
        result = resolve_turn(sc, state, orders.get(turn, []), explain=False, deck=False)
        assert all(o.status != "rejected" for o in result.outcomes), result.outcomes
        out.append(result)
        state = result.state
    return out


def price(result, material: str, stage: str, actor: str) -> float:
    return result.indicators.price_by_actor_usd_per_kg[material][stage][actor]


def index(sc: Scenario, material: str, stage: str, actor: str) -> tuple[int, int, int]:
    return (sc.material_index[material], sc.material(material).stage_index(stage),
            sc.actor_index[actor])


FREEZE_USA = {1: [Order("beijing", "export_licence_regime",
                        {"target": "USA", "material": m, "level": "freeze", "duration": 4})
                  for m in ("ndpr", "dytb")]}
GLOBAL_FREEZE = {1: [Order("beijing", "global_licence_regime",
                           {"material": "ndpr", "level": "freeze", "duration": 4})]}


# ----------------------------------------------------------------- 1. price formation

def test_partial_adjustment_builds_prices_over_turns(sc):
    """Rule: prices close ``price_adjustment_per_quarter`` of the gap to the clearing price
    each quarter. With 0.5 the first turn's US magnet price is well below what an instant
    market (1.0) jumps to, and it keeps building in the second turn."""
    gradual = play(sc, FREEZE_USA, 2)
    instant = play(with_market(sc, price_adjustment_per_quarter=1.0), FREEZE_USA, 2)
    first = price(gradual[0], "ndpr", "magnet", "USA")
    assert first < 0.8 * price(instant[0], "ndpr", "magnet", "USA")
    assert price(gradual[1], "ndpr", "magnet", "USA") > first


def test_upstream_costs_pass_through_by_cost_share(sc):
    """Rule: a stage's reference price moves with its input cost (x ``pass_through``).
    Halving China's NdPr separation for three turns lifts magnet prices in China with
    pass-through; without it (0) they move less. A magnet is never cheaper than its oxide."""
    cut = {1: [Order(FACILITATOR, "white_cell_capacity",
                     {"actor": "CHN", "material": "ndpr", "stage": "separate", "factor": 0.6,
                      "duration": 3})]}
    passed = play(sc, cut, 3)
    held = play(with_market(sc, pass_through=0.0), cut, 3)
    assert price(passed[2], "ndpr", "magnet", "CHN") > price(held[2], "ndpr", "magnet", "CHN")
    yield_ = sc.material("ndpr").stages[2].yield_.value
    for result in passed + held:
        for actor in ("CHN", "USA", "JPN"):
            assert price(result, "ndpr", "magnet", actor) >= \
                price(result, "ndpr", "separate", actor) / yield_ * 0.999


# ----------------------------------------------------------------- 2. two-tier prices

def test_leakage_links_the_exporters_home_price_to_the_export_price(sc):
    """Rule: a restricting exporter's reference price moves towards what its restricted
    customers pay by the leaking share of its held-back exports. Under a global NdPr freeze
    China's home magnet price rises more with leakage (0.1) than without (0), and less than
    the export price."""
    leaky = play(sc, GLOBAL_FREEZE, 3)
    tight = play(with_market(sc, leakage_share=0.0), GLOBAL_FREEZE, 3)
    home, abroad = price(leaky[2], "ndpr", "magnet", "CHN"), price(leaky[2], "ndpr", "magnet", "USA")
    assert home > price(tight[2], "ndpr", "magnet", "CHN")
    assert home < abroad


# ----------------------------------------------------------------- 3. demand

def test_demand_thrifts_with_time_at_high_prices(sc):
    """Rule: the demand level moves each year ``demand_adjustment_per_year`` of the way to
    (price ratio) ** -(long-run - short-run elasticity). After four turns of a freeze, US
    NdPr demand has thrifted; with a long run no more elastic than the short run
    (``long_run_multiple`` 1) it has not (sectors with elasticities of their own, such as
    defence, are left out: the multiple does not apply to them)."""
    m, _s, a = index(sc, "ndpr", "magnet", "USA")
    own = [k for k, sector in enumerate(sc.sectors) if sector.elasticity_long_run is None]
    thrift = play(sc, FREEZE_USA, 4)[-1].state.market.demand_level[a, own, m]
    none = play(with_market(sc, long_run_multiple=1.0), FREEZE_USA, 4)[-1].state.market.demand_level[a, own, m]
    assert np.allclose(none, 1.0)
    assert thrift.min() < 0.995


def test_feared_restrictions_raise_stock_targets(sc):
    """Rule: while a supplier restricts, importers add ``precautionary_cover_days`` of use
    to their target stock. Under a slow-walk on the USA, the US magnet stock target is
    higher with 30 days than with none."""
    slow = {1: [Order("beijing", "export_licence_regime",
                      {"target": "USA", "material": "ndpr", "level": "slow_walk", "duration": 3})]}
    m, s, a = index(sc, "ndpr", "magnet", "USA")
    fear = play(sc, slow, 2)[-1].state.stock_target[m, s, a]
    calm = play(with_market(sc, precautionary_cover_days=0.0), slow, 2)[-1].state.stock_target[m, s, a]
    assert fear > calm


# ----------------------------------------------------------------- 4. supply

def test_idle_capacity_answers_the_price_importers_pay(sc):
    """Rule: run rates move towards capacity with the netback producers earn (elasticity
    ``supply_elasticity``). When US magnet prices rise under the freeze, US separation
    (idle capacity) runs harder; with elasticity 0 it does not."""
    m, s, a = index(sc, "ndpr", "separate", "USA")
    answer = max(r.state.utilisation[m, s, a] for r in play(sc, FREEZE_USA, 4))
    still = max(r.state.utilisation[m, s, a]
                for r in play(with_market(sc, supply_elasticity=0.0), FREEZE_USA, 4))
    assert answer > still + 1e-6


# ----------------------------------------------------------------- 5. ramp-up

def test_new_capacity_ramps_up():
    """Rule: a new plant runs at its stage's ramp-up profile share of nameplate (Senkaku's
    separation: 27 %, 50 %, 75 %, 90 %, 100 % by year, from Lynas and Molycorp). Molycorp's
    first year of output (from turn 10) is lower than if it ran at nameplate at once."""
    senkaku = load_scenario(SCENARIOS / "senkaku-2010.yaml")
    data = senkaku.to_json_dict()
    for material in data["materials"]:
        for stage in material["stages"]:
            stage["ramp_up"] = [{"value": 1.0}]
    data["market"]["ramp_up"] = [{"value": 1.0}]
    flat_sc = Scenario.model_validate(data)
    m, s, a = index(senkaku, "light", "separate", "USA")

    def first_year(scenario):
        state, made = initial_state(scenario), []
        for _turn in range(13):
            result = resolve_turn(scenario, state, [], explain=False)
            made.append(float(result.state.market.sales[m, s, a]))
            state = result.state
        return sum(made[9:13])

    ramped, flat = first_year(senkaku), first_year(flat_sc)
    assert 0.0 < ramped < 0.7 * flat


# ----------------------------------------------------------------- 6. trade structure

def test_contracts_drift_towards_suppliers_that_deliver(sc):
    """Rule: an importer whose contracts fail shifts ``contract_drift_per_quarter`` of the
    way to the mix it received. Under a four-turn freeze the US contract share from China
    for magnets falls; with drift 0 it stays."""
    m, s, a = index(sc, "ndpr", "magnet", "USA")
    c = sc.actor_index["CHN"]
    drift = play(sc, FREEZE_USA, 4)[-1].state.market.contract[m, s, c, a]
    fixed = play(with_market(sc, contract_drift_per_quarter=0.0), FREEZE_USA, 4)[-1].state.market.contract[m, s, c, a]
    assert drift < fixed - 0.01


def test_bilateral_trade_shares_set_each_importers_mix():
    """Rule: ``trade_shares`` set an importer's baseline origin mix. Senkaku's Japan buys
    78 % of its light rare earths from China, 11 % each from La Rochelle and the rest of
    the world; without the entry it would buy pro rata to exporters' surplus."""
    senkaku = load_scenario(SCENARIOS / "senkaku-2010.yaml")
    state = initial_state(senkaku)
    m, s, j = index(senkaku, "light", "separate", "JPN")
    share = state.market.contract[m, s, :, j]
    assert share[senkaku.actor_index["CHN"]] == pytest.approx(0.78, abs=1e-6)
    data = senkaku.to_json_dict()
    data["trade_shares"] = [t for t in data["trade_shares"] if t["importer"] != "JPN"]
    plain = initial_state(Scenario.model_validate(data)).market.contract[m, s, :, j]
    assert abs(plain[senkaku.actor_index["CHN"]] - 0.78) > 0.05


# ----------------------------------------------------------------- 7. quotas, duties, leakage

def _senkaku_turn(orders):
    senkaku = load_scenario(SCENARIOS / "senkaku-2010.yaml")
    return senkaku, resolve_turn(senkaku, initial_state(senkaku), orders, explain=False,
                                 deck=False)


def test_a_tonnage_quota_caps_exports_and_leaks_a_share():
    """Rule: a tonnage quota caps the exporter's exports; ``leakage_share`` of what it
    blocks leaves anyway. China's exports under a 20,000 t/yr quota: at the quota plus the
    leaked share of the excess; with leakage 0, at the quota."""
    exports = {}
    for leak in (0.0, 0.2):
        _sc, result = _senkaku_turn([Order("beijing", "export_quota",
                                           {"tonnes_per_year": 20000, "duration": 2,
                                            "leakage_share": leak})])
        exports[leak] = sum(f.tonnes_per_year for f in result.indicators.flows
                            if f.exporter == "CHN")
    _sc, quiet = _senkaku_turn([])
    baseline = sum(f.tonnes_per_year for f in quiet.indicators.flows if f.exporter == "CHN")
    assert exports[0.0] == pytest.approx(20000, rel=0.01)
    assert 20000 < exports[0.2] < baseline


def test_an_export_duty_earns_revenue_and_opens_a_price_wedge():
    """Rule: an export duty's revenue goes to the exporter's team, and importers pay at
    least the exporter's price plus duty. A 25 % duty on light rare earths (15 % standing)
    raises Beijing's budget and Japan's price over China's."""
    senkaku, duty = _senkaku_turn([Order("beijing", "change_duty",
                                         {"material": "light", "scale": 25 / 15})])
    _sc, quiet = _senkaku_turn([])
    assert duty.indicators.budget_usd_m["beijing"] > quiet.indicators.budget_usd_m["beijing"]
    ratio = lambda r: price(r, "light", "separate", "JPN") / price(r, "light", "separate", "CHN")  # noqa: E731
    assert ratio(duty) > ratio(quiet)
