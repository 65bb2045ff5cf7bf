"""Score inputs read for a whole batch of games at once (``engine/stacked_scores.py``) give
exactly the numbers of each game's own ``ScoreInputs``: every team's total and every
objective's raw value, and every headline metric a sweep records."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.analysis.engine_adapter import (
    BotSpec, GameSpec, metric_catalog, play_games as sweep_games, read_results,
)
from wargame.engine import Order, rules_for, run_game
from wargame.engine.game import play_batches
from wargame.engine.indicators import score_values
from wargame.engine.resolve import quiet_reference
from wargame.engine.stacked_scores import stacked_score_values
from wargame.scenario.loader import load_scenario

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml"
SHIPPED = REPO / "scenarios"

# a price floor and a tariff move money at the market; a freeze restricts licences
MINI_ORDERS = (
    (1, Order("washington", "price_floor", {}, id="floor")),
    (2, Order("washington", "chip_controls", {}, id="chips")),
    (2, Order("beijing", "export_licences",
              {"material": "ree", "targets": "USA", "level": "freeze"}, id="freeze")),
)

CASES = [  # (scenario, scripted orders): every shipped scenario, and the mini one with orders
    (MINI, MINI_ORDERS),
    *[(path, ()) for path in sorted(SHIPPED.glob("*.yaml"))],
]


@pytest.mark.parametrize("path,orders", CASES, ids=lambda c: getattr(c, "stem", None))
def test_stacked_scores_equal_each_games_own(path, orders):
    """Rule: for every game of a batch and every turn, the stacked score values equal
    ``score_values`` of that game's ``ScoreInputs``, to the last bit."""
    scenario = load_scenario(path)
    reference = quiet_reference(rules_for(scenario))
    bots = [t.id for t in scenario.teams]
    for batch in play_batches(scenario, [1, 2, 3, 4], 5, orders, bots):
        stacked = stacked_score_values(scenario, batch.score_inputs, reference)
        for g, result in enumerate(batch.results):
            alone = score_values(scenario, result.score_inputs, reference)
            assert {team: (float(total[g]), tuple(float(r[g]) for r in raws))
                    for team, (total, raws) in stacked.items()} == alone, (g, result.turn)


@pytest.mark.parametrize("path", [MINI, SHIPPED / "rare-earth-shock-2025.yaml"],
                         ids=lambda p: p.stem)
def test_sweep_metrics_of_a_batch_equal_each_games_own(path):
    """Rule: the headline metrics a sweep records for a batch (read from the stacked score
    inputs) equal those read from each game's own results (NaN where a metric does not
    apply)."""
    scenario = load_scenario(path)
    catalog = metric_catalog(scenario)
    bots = tuple(BotSpec(t.id) for t in scenario.teams)
    seeds = (5, 6, 7)
    played = sweep_games(scenario, [GameSpec(g, 0, s) for g, s in enumerate(seeds)], 4, bots,
                         (), catalog)
    for g, seed in enumerate(seeds):
        alone = run_game(scenario, seed=seed, turns=4, bots=[b.team for b in bots],
                         explain=False)
        expected = read_results(scenario, alone, catalog)
        assert np.array_equal(played.values[g], expected, equal_nan=True), seed


@pytest.mark.parametrize("shipping", ["all", "some", "none"])
def test_origin_contributions_are_einsums_sums_to_the_bit(shipping):
    """Rule: the value of final-stage supply by origin adds the exporters one by one and
    skips those shipping nothing at the last stage: bit for bit the einsum it replaced,
    including exporters whose flows are all zero and shares that are zero."""
    from types import SimpleNamespace

    from wargame.engine.indicators import origin_contributions

    rng = np.random.default_rng(11)
    M, S, A = 6, 3, 5
    flows = rng.random((M, S, A, A)) * 1e4 * (rng.random((M, S, A, A)) > 0.3)
    if shipping == "some":
        flows[:, :, [1, 3]] = 0.0
    elif shipping == "none":
        flows[:] = 0.0
    origin = rng.random((M, S, A, A))
    origin[rng.random(origin.shape) > 0.7] = 0.0
    stage_count = np.array([3, 2, 3, 1, 3, 2])
    base = SimpleNamespace(n_materials=M, stage_count=stage_count,
                           base_price=rng.random((M, S)) * 100)
    rows, last = np.arange(M), stage_count - 1
    expected = np.einsum("mei,meo->mio", flows[rows, last], origin[rows, last]) \
        * base.base_price[rows, last][:, None, None]
    got = origin_contributions(base, origin, SimpleNamespace(flows=flows))
    assert got.tobytes() == expected.tobytes()
