"""How a turn's policy is built fast gives what applying every measure in turn gives.

``policy.build_policy`` shares what does not depend on the turn's draws between games
(the measures that draw nothing, the restrictions' status), writes every row of licence
approvals into the allowed shares in one pass and rounds the recorded shares in one pass.
Each case states the rule it checks against the plain way of doing the same."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from wargame.engine import LicenceDraw, bot_orders, policy, rules_for
from wargame.engine.draws import (
    DelayDraw, approvals, certain_row, keyed_approvals, rounded_shares,
)
from wargame.engine.game import play_games
from wargame.engine.measures import Measure
from wargame.engine.planning import plan_turn
from wargame.engine.policy import (
    DRAWING, OPEN, apply_compiled, build_policy, compiled, empty_policy, restriction_plan,
    turn_draws, turn_measures,
)
from wargame.engine.rules import _BoundedCache
from wargame.scenario.loader import load_scenario

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "rare-earth-shock-2025.yaml"


@pytest.fixture(scope="module")
def plans():
    """Turn plans of bot games of the default scenario: many licence restrictions, bans and
    extraterritorial rules, some on the same exporter and material."""
    scenario = load_scenario(DEFAULT)
    rules = rules_for(scenario)
    bots = [t.id for t in scenario.teams]
    found = []
    for results in play_games(scenario, (3, 4, 5), 6, (), bots):
        for result in results:
            state = result.state
            orders = [o for team in bots for o in bot_orders(scenario, state, team)]
            found.append(plan_turn(rules, state, orders))
    return rules, found


def _one_measure_at_a_time(rules, plan):
    """The policy of applying every measure in its order to fresh arrays, then the
    extraterritorial rules stage by stage, then opening every country's own pairs."""
    pol = empty_policy(rules.baseline)
    for measure in plan.measures:
        apply_compiled(rules.baseline, pol, compiled(rules, measure), measure,
                       plan.state.turn, plan.turn_seed, True)
    origin = plan.state.origin
    for m, smask, author, importer_allow, threshold, status, _mid in pol.extraterritorial:
        hit = (origin[m, :, :, author] >= threshold) & smask[:, None]
        hit[:, author] = False
        for s in np.nonzero(hit.any(axis=1))[0]:
            exporters = np.nonzero(hit[s])[0]
            pol.allow[m, s, exporters] = np.minimum(pol.allow[m, s, exporters],
                                                    importer_allow[None, :])
            st = pol.status[m, s, exporters]
            affected = importer_allow < 1.0
            st[:, affected] = np.maximum(st[:, affected], status)
            pol.status[m, s, exporters] = st
    A = rules.baseline.n_actors
    pol.allow[:, :, np.arange(A), np.arange(A)] = 1.0
    pol.status[:, :, np.arange(A), np.arange(A)] = OPEN
    return pol


def test_a_policy_built_in_one_pass_equals_every_measure_applied_in_turn(plans):
    """Rule: the shared parts and the one-pass caps give the same arrays, bit for bit,
    and the same records as applying every measure in its order (cases: every turn of
    three bot games, with restrictions that cap the same pairs and rules that bite)."""
    rules, found = plans
    shared_caps = bites = 0
    for plan in found:
        fast = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                            plan.state.origin)
        slow = _one_measure_at_a_time(rules, plan)
        assert turn_draws(fast) == slow.draws  # the records, made when first read
        for name, value in vars(slow).items():
            if isinstance(value, np.ndarray):
                got = getattr(fast, name)
                assert got.dtype == value.dtype and np.array_equal(got, value, equal_nan=True), name
            elif name not in ("extraterritorial", "licence_draws"):
                assert getattr(fast, name) == value, name
        drawing = [(compiled(rules, m), m) for m in plan.measures
                   if compiled(rules, m)[0] in DRAWING]
        shared_caps += restriction_plan(rules, drawing).starts is not None
        bites += any((plan.state.origin[m, :, :, a] >= t).any()
                     for m, _s, a, _r, t, _st, _id in slow.extraterritorial)
    assert shared_caps and bites  # the cases reach both


def test_licence_records_keep_each_draw_to_six_decimals(plans):
    """Rule: a record holds, by importer, the keyed Beta draw of its measure rounded to six
    decimals by Python's ``round`` (records are stored and read aloud)."""
    rules, found = plans
    seen = 0
    for plan in found[:6]:
        pol = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                           plan.state.origin)
        by_id = {m.id: m for m in plan.measures}
        for draw in turn_draws(pol):
            if not isinstance(draw, LicenceDraw):
                continue
            licence = compiled(rules, by_id[draw.measure_id])[1]
            key = draw.measure_id + (":extraterritorial" if draw.extraterritorial else ":licence")
            drawn = keyed_approvals(plan.turn_seed, key, licence.mean, licence.concentration,
                                    len(licence.importers))
            assert draw.approved_share_by_importer == {
                importer: round(float(share), 6)
                for importer, share in zip(licence.importer_ids, drawn)}
            seen += 1
    assert seen


HALVES = [k / 128 for k in range(1, 128, 2)]  # share * 1e6 is exactly an integer and a half


@pytest.mark.parametrize("shares", [
    np.random.default_rng(1).random((40, 11)),  # random shares
    np.array(HALVES),  # exactly half-way between two sixth decimals: to even
    np.array([np.nextafter(h, 0.0) for h in HALVES] + [np.nextafter(h, 1.0) for h in HALVES]),
    np.array([0.0, 1.0, 1e-9, 0.9999995, 0.0000005, 0.1234565, 0.3]),
    # price indices (stage prices kept in the state): up to the cap, halves included
    15.0 * np.random.default_rng(2).random((30, 8)),
    np.array([h + n for h in HALVES[:8] for n in (1.0, 7.0, 14.0)]),
    np.array([999.9999995, 1000.0000005, 123456.7890125, 1e6 - 1e-7]),  # beyond 1,000
])
def test_shares_rounded_in_one_pass_equal_python_round(shares):
    """Rule: ``rounded_shares`` rounds every number as Python's ``round(x, 6)`` does."""
    expected = [round(float(v), 6) for v in shares.ravel()]
    assert rounded_shares(shares).ravel().tolist() == expected


def test_approvals_are_the_keyed_draws_whatever_was_drawn_before():
    """Rule: ``approvals`` gives the keyed Beta draws, read-only; the same array comes back
    for the same turn seed (what-if variants re-draw it) and equal draws after those of
    other turn seeds; certain levels (a ban, fully open) draw nothing."""
    first = approvals(11, "m/0:licence", 0.4, 20.0, 3)
    expected = keyed_approvals(11, "m/0:licence", 0.4, 20.0, 3)
    assert first.tolist() == list(expected) and not first.flags.writeable
    assert approvals(11, "m/0:licence", 0.4, 20.0, 3) is first
    approvals(12, "m/0:licence", 0.4, 20.0, 3)
    again = approvals(11, "m/0:licence", 0.4, 20.0, 3)
    assert again is not first and again.tolist() == list(expected)
    importers = (0, 2, 3)
    assert certain_row(0.4, importers, 5) is None
    assert certain_row(0.0, importers, 5).tolist() == [0.0, 1.0, 0.0, 0.0, 1.0]
    assert certain_row(1.0, importers, 5).tolist() == [1.0] * 5


def test_turn_measures_kept_equal_turn_measures_made_afresh_and_stay_bounded(plans):
    """Rule: what a policy keeps of a list of measures (``policy.turn_measures``) gives
    the same policy as that worked out afresh; a list of other measure objects with the
    same ids is not taken for it; the keep is bounded."""
    rules, found = plans
    for plan in found[:8]:
        kept = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                            plan.state.origin)
        policy._TURN_MEASURES.clear()
        afresh = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                              plan.state.origin)
        assert turn_draws(kept) == turn_draws(afresh)
        for name, value in vars(afresh).items():
            if isinstance(value, np.ndarray):
                assert np.array_equal(getattr(kept, name), value, equal_nan=True), name
    plan = found[-1]
    measures = list(plan.measures)
    first = turn_measures(rules, measures, plan.state.turn)
    copies = [dataclasses.replace(m) for m in measures]
    other = turn_measures(rules, copies, plan.state.turn)
    assert other is not first and all(a is b for a, b in zip(other.measures, copies))
    assert turn_measures(rules, measures, plan.state.turn) is first
    for turn in range(policy._TURN_MEASURES_LIMIT + 3):
        turn_measures(rules, measures[:1], turn)
    assert len(policy._TURN_MEASURES) <= policy._TURN_MEASURES_LIMIT


def _measure(primitive="export_restriction", end_turn=None, **args):
    return Measure(id="x/0", group="order:x", label="x", team=None, primitive=primitive,
                   args=args or {"exporter": "CHN", "level": "freeze"}, start_turn=1,
                   end_turn=end_turn)


@pytest.mark.parametrize("a,b,same", [
    (_measure(), _measure(), True),  # equal content, another measure
    (_measure(), _measure(exporter="CHN", level="ban"), False),  # another level
    (_measure(), _measure(end_turn=4), False),  # temporary, not permanent
    (_measure(), _measure("export_ban"), False),  # another primitive
    (_measure(importers=["USA"]), _measure(importers="USA"), False),  # list, not one id
    (_measure(share={"a": 1}), _measure(share={"a": 1}), True),  # unhashable arguments too
])
def test_measures_compile_alike_exactly_when_their_content_is_equal(a, b, same):
    """Rule: a measure's compile key is the same for the same content, and differs when
    primitive, permanence or an argument differs."""
    assert (a.compile_key == b.compile_key) is same


def test_a_bounded_cache_finds_what_it_holds_after_emptying_itself():
    """Rule: a rules cache empties itself past its limit and keeps finding new entries."""
    cache: _BoundedCache[int] = _BoundedCache(limit=2)
    for key in range(5):
        assert cache.put(key, key * 10) == key * 10
        assert cache.get(key) == key * 10
    assert len(cache) <= 2 and cache.get(0) is None


def test_licence_records_are_made_once_when_first_read(plans):
    """Rule: ``build_policy`` leaves the licence records for later (sweeps never read them);
    ``turn_draws`` makes them once, before the turn's other draws, and reading again adds
    nothing. A policy built without a record has none to make."""
    rules, found = plans
    plan = next(p for p in found if _one_measure_at_a_time(rules, p).draws)
    pol = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                       plan.state.origin)
    assert pol.draws == [] and pol.licence_draws is not None
    delay = DelayDraw(pipeline_id="p", probability=0.1, slipped=False)
    pol.draws.append(delay)  # as ``simulate.prepare_plan`` adds the turn's delays
    first = list(turn_draws(pol))
    assert first[-1] is delay and first[:-1] == _one_measure_at_a_time(rules, plan).draws
    assert turn_draws(pol) == first and pol.licence_draws is None
    quiet = build_policy(rules, list(plan.measures), plan.state.turn, plan.turn_seed,
                         plan.state.origin, record=False)
    assert quiet.licence_draws is None and turn_draws(quiet) == []
