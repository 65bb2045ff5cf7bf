"""The market's building blocks, one rule each, on small arrays: licence queue, quota
pools with leakage, contract drift, ramp-up profile, processors' plans, fear of
restrictions. (The paired runs with and without each mechanism, on whole scenarios, are in
``test_market_mechanisms.py``.)"""
from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.demand import restriction_exposure
from wargame.engine.flow import QuotaPool, _allocate, _license
from wargame.engine import supply
from wargame.engine.supply import planned_output, plant_ramp_share, ramp_share
from wargame.engine.trade import drift_contracts


def test_licence_queue_delays_routine_trade_but_holds_back_a_freeze():
    """Rule: refused applications stay on file and are approved at the same rate later,
    so routine licensing (97 %) ships all requests on average while a freeze keeps
    shipments near 5 % of requests for as long as it lasts."""
    requested = np.array([[[0.0, 100.0], [0.0, 0.0]]])
    restricted = np.array([[[False, True], [False, False]]])
    shipped_total = {}
    for mean in (0.97, 0.05):
        allow = np.where(restricted, mean, 1.0)
        queue, total = None, 0.0
        for _turn in range(12):
            shipped, _leaked, queue, _pairs = _license(requested, allow, restricted, queue, None)
            total += shipped[0, 0, 1]
        shipped_total[mean] = total / 12
    assert shipped_total[0.97] == pytest.approx(100.0, rel=0.01)
    assert shipped_total[0.05] < 0.5 * 100.0


def test_quota_pool_caps_exports_and_leaks_a_share_outside_it():
    """Rule: a tonnage quota caps an exporter's exports to the importers it covers; a
    leakage share of what exceeds it leaves anyway and does not count against it."""
    offer = np.array([[100.0, 0.0, 0.0]])
    demand = np.array([[0.0, 50.0, 50.0]])
    none = np.zeros((1, 3, 3))
    allow = np.ones((1, 3, 3))
    pool = QuotaPool(material=0, exporter=0, stages=np.array([True]),
                     importers=np.array([False, True, True]), tonnes_per_turn=40.0,
                     leakage_share=0.25)
    left = np.array([40.0])
    flows, _req, leaked, _queue = _allocate(offer, demand, none, allow, none, 0.0,
                                            pools=[(0, pool)], quota_left=left)
    exported = flows[0, 0, 1:].sum()
    assert exported == pytest.approx(40.0 + 0.25 * 60.0)
    assert leaked[0, 0, 1:].sum() == pytest.approx(15.0)
    assert left[0] == pytest.approx(0.0)


def test_contracts_drift_only_when_they_fail():
    """Rule: an importer whose contracts were all honoured keeps them; one cut off by a
    supplier shifts part of the way towards the suppliers that delivered."""
    contract = np.zeros((1, 1, 3, 3))
    contract[0, 0, 0, 2], contract[0, 0, 1, 2] = 0.8, 0.2
    requested = contract * 100.0
    honoured = requested.copy()
    assert np.allclose(drift_contracts(contract, honoured, requested, 0.5), contract)
    cut = requested.copy()
    cut[0, 0, 0, 2] = 0.0  # the main supplier delivered nothing, the other its share
    after = drift_contracts(contract, cut, requested, 0.5)
    assert after[0, 0, 0, 2] == pytest.approx(0.8 - 0.5 * 0.8 * 0.8)
    assert after[0, 0, :, 2].sum() == pytest.approx(1.0)


def test_ramp_up_profile_is_read_at_mid_turn():
    """Rule: new capacity runs at the profile's share of nameplate by year of operation,
    read at the middle of each turn; quarterly turns average near the first-year share."""
    profile = np.array([0.35, 0.7, 0.9, 1.0])
    first_year = [float(ramp_share(profile, age, 0.25)) for age in range(4)]
    assert first_year == sorted(first_year) and first_year[0] < 0.35 < first_year[-1]
    assert np.mean(first_year) == pytest.approx(0.31, abs=0.03)
    assert float(ramp_share(profile, 20, 0.25)) == pytest.approx(1.0)


def test_a_plants_kept_ramp_share_is_the_share_worked_out():
    """Rule: a plant's ramp share found among the kept ones is the share worked out, for
    any profile, age and turn length, and the kept shares are bounded."""
    profiles = [np.array([0.4, 0.8, 1.0]), np.array([0.6, 1.0]), np.array([0.4, 0.8, 0.95])]
    for _ in range(2):  # worked out, then kept
        for profile in profiles:
            for age in range(12):
                for years in (0.25, 0.5):
                    assert plant_ramp_share(profile, age, years) == \
                        float(ramp_share(profile, age, years))
    for age in range(supply._RAMP_SHARES_LIMIT + 3):
        plant_ramp_share(profiles[0], age, 0.25)
    assert len(supply._RAMP_SHARES) <= supply._RAMP_SHARES_LIMIT


def test_processors_plan_on_sales_but_starved_plants_keep_asking():
    """Rule: a plant plans on last turn's sales plus 25 %, less half its surplus stock; a
    plant that was short of input asks for its full run rate of input again."""
    sales = np.full((1, 2, 2), 80.0)
    input_met = np.array([[[1.0, 1.0], [1.0, 0.7]]])
    stock = np.array([[[0.0, 0.0], [10.0, 0.0]]])
    plan = planned_output(sales, input_met, stock, np.zeros((1, 2, 2)))
    assert plan[0, 1, 0] == pytest.approx(80.0 * 1.25 - 5.0)
    assert np.isinf(plan[0, 1, 1])  # starved of input: not held back
    assert np.isinf(plan[0, 0]).all()  # mines are not planned


def test_routine_licensing_is_not_feared_but_a_freeze_is():
    """Rule: precautionary buying answers how much of an importer's supply a restriction
    holds back; routine licensing (a few per cent) counts for nothing."""
    contract = np.zeros((1, 1, 2, 2))
    contract[0, 0, 0, 1] = 1.0
    imports = np.array([[[0.0, 100.0]]])
    routine = np.zeros((1, 1, 2, 2))
    routine[0, 0, 0, 1] = 0.03
    freeze = routine * 0 + contract * 0.95
    exposure, _ = restriction_exposure(contract, routine, imports)
    assert exposure[0, 0, 1] == 0.0
    exposure, held = restriction_exposure(contract, freeze, imports)
    assert exposure[0, 0, 1] > 0.9 and held[0, 0, 0] > 0.9


def _turn_with_leakage(leakage, shape=(1, 1, 2, 2)):
    from wargame.engine.market import MarketTurn
    from wargame.engine.trade_terms import TradeTerms
    return MarketTurn(terms=TradeTerms(), demand_response=None,
                      demand_level=np.ones((2, 1, shape[0])), normal_stock=None,
                      severity=np.zeros(shape), leakage=leakage, trade_cost=None, duty=None)


@pytest.mark.parametrize("leakages, expected", [
    # rule: one share for every pair of every stacked turn stays that one number
    ((0.2, 0.2), 0.2),
    # rule: otherwise each turn's shares, per pair, stacked along the material axis
    ((0.2, 0.3), [0.2, 0.3]),
    ((0.2, np.array([[[[0.5, 0.1], [0.1, 0.5]]]])), [0.2, [[0.5, 0.1], [0.1, 0.5]]]),
])
def test_stacked_market_turns_keep_one_leakage_share_as_a_number(leakages, expected):
    from wargame.engine.market import stack_market_turns
    stacked = stack_market_turns([_turn_with_leakage(x) for x in leakages], [1, 1])
    if np.isscalar(expected):
        assert np.isscalar(stacked.leakage) and stacked.leakage == expected
    else:
        want = np.concatenate([np.broadcast_to(np.asarray(x, dtype=float), (1, 1, 2, 2))
                               for x in expected])
        assert stacked.leakage.shape == (2, 1, 2, 2)
        assert np.array_equal(stacked.leakage, want)
