"""The market and flow compute some steps only where they can change anything (licensed
pairs, leaking exporters, failed contracts, open deep routes) and read per-scenario masks
cached on ``MarketConstants``. Each must give the dense formula's result bit for bit (the
golden master hashes states exactly). Each case sets up random arrays with few active
pairs, like a turn with a few restrictions, runs the fast path and the dense formula the
engine used before, and compares the bytes."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from wargame.engine import rules_for
from wargame.engine.flow import (
    EPS, QUEUE_TURNS, _fill, _license, _scale_rows, nonzero, rows_with_any,
)
from wargame.engine.market import held_back_exports
from wargame.engine.pricing import (
    OPEN_ROUTE, _arbitrage_cap, _source_weights, export_link,
)
from wargame.engine.supply import netback
from wargame.engine.trade import drift_contracts, drift_to_spare
from wargame.resources import default_scenario_path
from wargame.scenario.loader import load_scenario

M, S, A = 12, 3, 7
SEEDS = (0, 1, 2)


def _same(got, expected) -> None:
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()


def _few(rng: np.random.Generator, shape: tuple[int, ...], share: float) -> np.ndarray:
    """A boolean mask with about ``share`` of its entries True."""
    return rng.random(shape) < share


def _tonnes(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    values = rng.random(shape) * np.exp(rng.normal(0.0, 3.0, shape))
    values[_few(rng, shape, 0.3)] = 0.0
    return values


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("with_queue,with_leakage", [(False, False), (True, False),
                                                     (False, True), (True, True)])
def test_licence_decides_only_licensed_pairs_as_the_dense_rule(seed, with_queue, with_leakage):
    """Rule: the licence step over its licensed pairs equals the dense formula."""
    rng = np.random.default_rng(seed)
    requested = _tonnes(rng, (M, A, A))
    restricted = _few(rng, (M, A, A), 0.08)
    restricted[:, np.arange(A), np.arange(A)] = False
    allow = np.where(restricted, rng.random((M, A, A)), 1.0)
    queue = _tonnes(rng, (M, A, A)) * restricted if with_queue else None
    leakage = rng.random((M, A, A)) if with_leakage else None
    approved, leaked, queue_out, licensed = _license(requested, allow, restricted, queue,
                                                     leakage)
    assert np.array_equal(np.transpose(licensed), np.argwhere(restricted))
    on_file = requested if queue is None else requested + queue * restricted
    dense = np.where(restricted, on_file * allow, requested)
    refused = np.where(restricted, np.maximum(on_file - dense, 0.0), 0.0)
    _same(queue_out, np.minimum(refused, QUEUE_TURNS * requested))
    if leakage is None:
        assert leaked is None
    else:
        dense_leaked = np.maximum(requested - dense, 0.0) * leakage
        _same(leaked, dense_leaked)
        dense = dense + dense_leaked
    _same(approved, dense)


@pytest.mark.parametrize("seed", SEEDS)
def test_contracts_drift_only_where_they_failed_as_the_dense_rule(seed):
    """Rule: moving only the failed importers' shares equals the dense formula."""
    rng = np.random.default_rng(seed)
    contract = rng.random((M, S, A, A))
    contract[:, :, np.arange(A), np.arange(A)] = 0.0
    contract /= contract.sum(axis=2, keepdims=True)
    requested = _tonnes(rng, (M, S, A, A))
    flows = requested * np.where(_few(rng, (M, S, A, A), 0.1), rng.random((M, S, A, A)), 1.0)
    foreign = 1.0 - np.eye(A)
    imports = flows * foreign
    total = imports.sum(axis=2, keepdims=True)
    mix = np.where(total > EPS, imports / np.maximum(total, EPS), contract)
    asked = (requested * foreign).sum(axis=2, keepdims=True)
    missing = (np.maximum(requested - imports, 0.0) * foreign).sum(axis=2, keepdims=True)
    failed = np.where(asked > EPS, np.minimum(missing / np.maximum(asked, EPS), 1.0), 0.0)
    expected = contract + 0.3 * failed * (mix - contract)
    _same(drift_contracts(contract, flows, requested, 0.3), expected)
    _same(drift_contracts(contract, flows, requested, 0.3,
                          np.maximum(requested - flows, 0.0)), expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("with_cost", [False, True])
def test_contracts_drift_to_spare_output_as_the_dense_rule(seed, with_cost):
    """Rule: moving shares only along the pairs that reach spare output equals the
    dense formula: the importers offered something move and are normalised, the others
    keep their shares exactly (engine model 7)."""
    rng = np.random.default_rng(seed)
    contract = rng.random((M, S, A, A))
    contract /= contract.sum(axis=2, keepdims=True)
    spare = _tonnes(rng, (M, S, A))
    open_routes = ~_few(rng, (M, S, A, A), 0.1)
    price = 1.0 + rng.random((M, S, A))
    trade_cost = 1.0 + 0.2 * rng.random((M, S, A, A)) if with_cost else None
    imports = _tonnes(rng, (M, S, A))
    contract[:, :, :, 0], imports[:, :, 0] = 0.0, 0.0  # an importer with no contracts
    landed = price[:, :, :, None] * (1.0 if trade_cost is None else trade_cost)
    cheaper = landed < price[:, :, None, :] * (1.0 - 1e-6)
    reach = open_routes & cheaper & ~np.eye(A, dtype=bool)
    share = np.minimum(spare[:, :, :, None] * reach / np.maximum(imports[:, :, None, :], EPS),
                       1.0)
    share = np.where(imports[:, :, None, :] > EPS, share, 0.0)
    moved = contract + 0.25 * share
    totals = moved.sum(axis=2, keepdims=True)
    offered = (share > EPS).any(axis=2, keepdims=True)
    expected = np.where(offered & (totals > EPS), moved / np.maximum(totals, EPS), contract)
    assert offered.any() and not offered.all()  # the cases have both kinds of importer
    _same(drift_to_spare(contract, spare, open_routes, price, trade_cost, imports, 0.25),
          expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("with_cost", [False, True])
def test_export_link_over_leaking_rows_as_the_dense_rule(seed, with_cost):
    """Rule: the export link computed over the leaking exporters' rows equals the dense
    formula (link 0 and the home price elsewhere)."""
    rng = np.random.default_rng(seed)
    price = 1.0 + rng.random((M, S, A))
    contract = rng.random((M, S, A, A))
    severity = np.where(_few(rng, (M, S, A, A), 0.06), rng.random((M, S, A, A)), 0.0)
    leakage = rng.random((M, S, A, A))
    trade_cost = 1.0 + 0.2 * rng.random((M, S, A, A)) if with_cost else None
    imports = _tonnes(rng, (M, S, A))
    foreign = imports[:, :, None, :] * (1.0 - np.eye(A))
    tonnes = contract * imports[:, :, None, :] * (1.0 - np.eye(A))
    leaking = tonnes * severity * leakage
    total, moved = tonnes.sum(axis=3), leaking.sum(axis=3)
    customers = price[:, :, None, :] if trade_cost is None else price[:, :, None, :] / trade_cost
    export_price = np.where(moved > EPS, (leaking * customers).sum(axis=3)
                            / np.maximum(moved, EPS), price)
    link = np.where(total > EPS, moved / np.maximum(total, EPS), 0.0)
    got = export_link(price, contract, severity, leakage, trade_cost, foreign)
    _same(got[0], link)
    _same(got[1], export_price)
    assert export_link(price, contract, 0.0 * severity, leakage, trade_cost, foreign) is None


@pytest.mark.parametrize("seed", SEEDS)
def test_held_back_exports_over_held_rows_as_the_dense_rule(seed):
    """Rule: held-back exports summed over the rows with a measure equal the dense sum."""
    rng = np.random.default_rng(seed)
    requested = _tonnes(rng, (M, S, A, A))
    flows = requested * rng.random((M, S, A, A))
    severity = np.where(_few(rng, (M, S, A, A), 0.06), rng.random((M, S, A, A)), 0.0)
    flow = SimpleNamespace(requested=requested, flows=flows)
    mt = SimpleNamespace(severity=severity)
    expected = (np.maximum(requested - flows, 0.0) * (severity > EPS)).sum(axis=3)
    _same(held_back_exports(flow, mt), expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("with_cost", [False, True])
def test_arbitrage_cap_over_open_deep_pairs_as_the_dense_rule(seed, with_cost):
    """Rule: the cap read from the open deep pairs alone equals the dense minimum, with
    the cached ratio and mask equal to their per-stage formulas."""
    rules = rules_for(load_scenario(default_scenario_path()))
    mc = rules.tiled_market(3)
    Mt, St, At = mc.reference_price.shape
    rng = np.random.default_rng(seed)
    for s in range(St):
        ref = np.maximum(mc.reference_price[:, s], EPS)
        base = ref[:, :, None] if mc.base_trade_cost is None else \
            ref[:, :, None] * mc.base_trade_cost[:, s]
        ratio = np.maximum(ref[:, None, :] / base, 1.0)
        _same(mc.arbitrage_ratio[:, s], ratio)
        importer = mc.imports[:, s] > EPS
        severity = np.where(_few(rng, (Mt, At, At), 0.3), rng.random((Mt, At, At)), 0.0)
        deep = _few(rng, (Mt, At, At), 0.2)
        price = 1.0 + rng.random((Mt, At))
        trade_cost = 1.0 + 0.2 * rng.random((Mt, S, At, At)) if with_cost else None
        open_ = (severity < OPEN_ROUTE) & deep & importer[:, None, :]
        open_[:, np.arange(At), np.arange(At)] = False
        landed = price[:, :, None] * ratio
        if trade_cost is not None:
            landed = landed * trade_cost[:, s]
        capped = np.where(open_, landed, np.inf).min(axis=1)
        expected = np.where(np.isfinite(capped), np.maximum(capped, EPS), np.inf)
        _same(_arbitrage_cap(mc, s, price, trade_cost, severity < OPEN_ROUTE, deep), expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_source_weights_zero_only_idle_buyers_as_the_dense_rule(seed):
    """Rule: shares of receipts by source equal the dense formula, zero where a buyer
    received nothing, and index helpers equal ``np.nonzero``."""
    rng = np.random.default_rng(seed)
    flows = _tonnes(rng, (M, A, A))
    flows[:, :, :2] = 0.0  # buyers that received nothing
    received = flows.sum(axis=1, keepdims=True)
    expected = np.where(received > EPS, flows / np.maximum(received, EPS), 0.0)
    _same(_source_weights(flows), expected)
    mask = _few(rng, (M, S, A, A), 0.05)
    for got, want in zip(nonzero(mask), np.nonzero(mask)):
        _same(got, want)
    for got, want in zip(rows_with_any(mask), np.nonzero(mask.any(axis=-1))):
        _same(got, want)
    for got, want in zip(rows_with_any(mask & False), np.nonzero((mask & False).any(axis=-1))):
        _same(got, want)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("preference_kind", ["bool", "float", "broadcast"])
def test_spot_fill_over_offering_rows_as_the_dense_rule(seed, preference_kind):
    """Rule: the spot tier built from the rows of exporters with something on offer
    equals the dense formula (importers' receipts summed over exporters in order)."""
    rng = np.random.default_rng(seed)
    offer = _tonnes(rng, (M, A))
    offer[_few(rng, (M, A), 0.7)] = 0.0
    demand = _tonnes(rng, (M, A))
    preference = {"bool": _few(rng, (M, A, A), 0.8),
                  "float": rng.random((M, A, A)),
                  "broadcast": np.ones((1, A, A)) - np.eye(A)}[preference_kind]
    weight = preference * demand[:, None, :]
    share = weight / np.maximum(weight.sum(axis=2, keepdims=True), EPS)
    proposal = offer[:, :, None] * share
    received = proposal.sum(axis=1)
    cap = np.where(received > demand, demand / np.maximum(received, EPS), 1.0)
    _same(_fill(offer, demand, preference, None), proposal * cap[:, None, :])


@pytest.mark.parametrize("seed", SEEDS)
def test_rows_scaled_to_offers_as_the_dense_rule(seed):
    """Rule: scaling only the rows with an offer equals the dense formula (a row capped
    at 0 is empty)."""
    rng = np.random.default_rng(seed)
    flows = _tonnes(rng, (M, A, A))
    cap = _tonnes(rng, (M, A))
    cap[_few(rng, (M, A), 0.6)] = 0.0
    total = flows.sum(axis=2)
    scale = np.where(total > cap, cap / np.maximum(total, EPS), 1.0)
    _same(_scale_rows(flows, cap), flows * scale[:, :, None])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("with_cost", [False, True])
def test_netback_over_selling_producers_as_the_dense_rule(seed, with_cost):
    """Rule: netbacks read from the rows of producers that sold equal the dense formula
    (own price where nothing was sold)."""
    rng = np.random.default_rng(seed)
    flows = _tonnes(rng, (M, S, A, A))
    flows[_few(rng, (M, S, A), 0.5)] = 0.0
    price = 1.0 + rng.random((M, S, A))
    trade_cost = 1.0 + 0.2 * rng.random((M, S, A, A)) if with_cost else None
    paid = flows * price[:, :, None, :]
    if trade_cost is not None:
        paid = paid / trade_cost
    volume = flows.sum(axis=3)
    expected = np.where(volume > EPS, paid.sum(axis=3) / np.maximum(volume, EPS), price)
    _same(netback(price, flows, trade_cost), expected)
    _same(netback(price, flows, trade_cost, volume), expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_exposure_to_restrictions_sums_only_restricted_pairs_as_the_dense_rule(seed):
    """Rule: importers' exposure and exporters' restricted shares, summed over the pairs
    under a measure only, equal the dense sums (over exporters in order, over importers
    pairwise) to the last bit."""
    from wargame.engine.demand import FEAR_THRESHOLD, restriction_exposure

    rng = np.random.default_rng(seed)
    contract = _tonnes(rng, (M, S, A, A))
    contract /= np.maximum(contract.sum(axis=2, keepdims=True), EPS)
    severity = np.where(_few(rng, (M, S, A, A), 0.06), rng.random((M, S, A, A)), 0.0)
    severity[0, 0, 1] = 1.0  # a ban on every importer of one exporter
    imports = _tonnes(rng, (M, S, A))
    exposure, restricted = restriction_exposure(contract, severity, imports)

    def feared(share):
        return np.clip((share - FEAR_THRESHOLD) / (1.0 - FEAR_THRESHOLD), 0.0, 1.0)

    tonnes = contract * imports[:, :, None, :]
    exports, held = tonnes.sum(axis=3), (tonnes * severity).sum(axis=3)
    _same(exposure, feared((contract * severity).sum(axis=2)))
    _same(restricted, feared(np.where(exports > EPS, held / np.maximum(exports, EPS), 0.0)))
    assert (restricted > 0).any() and (exposure > 0).any()
