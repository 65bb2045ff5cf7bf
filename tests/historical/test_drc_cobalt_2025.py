"""DR Congo cobalt 2025: the historical moves (the export suspension of 22 Feb 2025, its
extensions and the quotas from 16 Oct 2025) played on ``scenarios/drc-cobalt-2025.yaml``
(``drc_moves.py``), each stylised fact of the episode checked within a stated tolerance
(scenarios/README.md, "DR Congo cobalt 2025", lists the facts with their sources). Turns
are quarters: T1 = Mar-May 2025, T2 = Jun-Aug 2025, T3 = Sep-Nov 2025, T4 = Dec 2025-Feb
2026.

The facts are checked on the median path of three seeds (the scenario's default seed and
the next two, ``drc_moves.median_episode``), as the Senkaku test does.

The scenario's parameters come from sources, not from fitting this run. Facts the model
does not reproduce are marked ``xfail(strict=True)`` with what the model does instead, so
a change that fixes one is noticed (the strict mark then fails) and the mark is removed.
"""
from __future__ import annotations

import numpy as np
import pytest
from drc_moves import MATERIAL, SCENARIO, Episode, median_episode

from wargame.engine import initial_state, resolve_turn
from wargame.scenario.loader import load_scenario

SEEDS = (2025, 2026, 2027)  # the scenario's default_seed and the next two
DRC_MINE_2024 = 220000.0  # t/yr (U-CO)


@pytest.fixture(scope="module")
def episode() -> Episode:
    return median_episode(SEEDS)


def test_eight_quiet_turns_stay_at_the_2025_baseline():
    """No moves: prices stay at the Jan-Feb 2025 baseline and material is conserved."""
    sc = load_scenario(SCENARIO)
    state = initial_state(sc)
    for _turn in range(8):
        result = resolve_turn(sc, state, [], explain=False)
        for stage in sc.material(MATERIAL).stages:
            price = result.indicators.price_by_actor_usd_per_kg[MATERIAL][stage.id]["CHN"]
            assert price == pytest.approx(stage.price.value, rel=0.05), \
                f"T{result.turn}: {stage.id} drifted"
        assert result.ledger_gap < 1e-3
        state = result.state


# ----------------------------------------------------------------- 1. prices

@pytest.mark.xfail(strict=True, reason="the model's hydroxide is ~1.55x at the end of T1: prices "
                   "answer stock cover only (no expectations), and 30 days of precautionary cover "
                   "barely moves cover against ~230 days of hydroxide stock and cargoes at sea")
def test_fact_1_hydroxide_roughly_doubles_within_weeks(episode):
    """SPG-CO: hydroxide 5.60 USD/lb (Jan 2025) -> ~12 (Mar 2025), 2.1x. Tolerance: 1.6-3.0x
    in T1 (Mar-May)."""
    assert 1.6 <= episode.hydroxide[0] <= 3.0


def test_fact_1b_hydroxide_rises_before_and_more_than_metal(episode):
    """SPG-CO, CRU25: hydroxide 2.1x by March while metal was 1.55x in June: payables rose,
    the refiners' margin was squeezed. In T1 hydroxide's multiple exceeds metal's."""
    assert episode.hydroxide[0] > episode.metal[0]


def test_fact_2_metal_about_one_and_a_half_times_by_june(episode):
    """CRU25: metal ~10 USD/lb (Feb) -> 15.50 (Jun 2025), 1.55x. June lies between the end of
    T1 (May) and the end of T2 (Aug): the path passes through 1.2-2.0x there (T1 at most
    2.0x, T2 at least 1.2x)."""
    assert episode.metal[0] <= 2.0
    assert episode.metal[1] >= 1.2


@pytest.mark.xfail(strict=True, reason="the model's metal is ~3.3x in T3 (Sep-Nov 2025): China's "
                   "refiners keep their run rate and draw their hydroxide stock to a fifth of "
                   "normal, the storage curve (destocking elasticity 0.5: half the stock, 4x the "
                   "price) takes hydroxide to ~5.6x, and cost pass-through carries it to metal")
def test_fact_2b_metal_about_twice_by_october(episode):
    """ECO25: USD 42,725/t on 12 Oct 2025 (19.4 USD/lb, 1.94x Feb). Tolerance 1.5-2.6x in T3."""
    assert 1.5 <= episode.metal[2] <= 2.6


@pytest.mark.xfail(strict=True, reason="the model's metal is ~4.4x in T4 (Dec 2025-Feb 2026), "
                   "for the reasons of fact 2b")
def test_fact_2c_metal_about_two_and_a_half_times_by_december(episode):
    """RTR-CO2: metal ~24 USD/lb in Dec 2025, 2.4x Feb. Tolerance 1.8-3.2x in T4."""
    assert 1.8 <= episode.metal[3] <= 3.2


def test_fact_3_no_peak_after_ten_months(episode):
    """RTR-CO2, calibration G8: no peak after 10 months of suspension (shipping lag plus
    6-12 months of stocks): the metal price still rises through T1-T4."""
    assert np.all(np.diff(episode.metal[:4]) > 0)


# ----------------------------------------------------------------- 2. stocks and flows

def test_fact_4_stocks_outside_the_drc_are_drawn_down(episode):
    """RTR-AH, RTR-CO: the world outside the DRC lived on its stocks (8-10 months of use in
    mid-2025, plus the cargoes at sea): by T3 they have fallen, by a quarter to four fifths
    of the day-one stock (~183 kt of DRC exports were lost by December, derived)."""
    left = episode.stock_outside_drc[2] / episode.stock_outside_drc_day_one
    assert 0.2 <= left <= 0.75


def test_fact_5_the_drc_stocks_what_it_cannot_export(episode):
    """CRU25: ~80 kt of cobalt stocked in the DRC by June 2025. Tolerance: 40-110 kt at the
    end of T1 (May), more at the end of T2."""
    assert 40000 <= episode.drc_stock[0] <= 110000
    assert episode.drc_stock[1] > episode.drc_stock[0]


@pytest.mark.xfail(strict=True, reason="the model's DRC mines cut their run rate as unsold stock "
                   "piles up (220 -> ~167 -> ~106 kt/yr in T1-T3): by-product cobalt is not tied "
                   "to copper output, so mine supply is price- and glut-elastic")
def test_fact_6_drc_mine_output_is_kept_up(episode):
    """CRU25: the big miners raised output under the ban (CMOC +13 % H1, Glencore +50 % Q1):
    mine supply inelastic, exports policy-set. Tolerance: T1-T3 average at least 90 % of
    2024's 220,000 t/yr."""
    assert episode.drc_mine_output[:3].mean() >= 0.9 * DRC_MINE_2024


def test_fact_7_chinas_imports_of_hydroxide_fall(episode):
    """DRC, CREST25: no exports under the suspension (the first cargo under the quota was
    still pending in late 2025): China's refiners import only Indonesian and other feed.
    Tolerance: T1-T2 imports below 30 % of the baseline; still below 70 % in T4 under the
    quota."""
    base = episode.china_hydroxide_imports_baseline
    assert episode.china_hydroxide_imports[:2].max() < 0.3 * base
    assert episode.china_hydroxide_imports[3] < 0.7 * base
