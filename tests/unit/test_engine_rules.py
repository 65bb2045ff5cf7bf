"""Rule tables: set up, give orders, resolve, assert. Each case's docstring-like ``rule``
states the rule it checks. Fixture: tests/fixtures/engine_rules.yaml (round numbers, yields
1.0; quiet world: mine 300 -> separate 300 -> magnet 300 t/yr = demand)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.engine import Order, initial_state, resolve_turn, validate_order
from wargame.engine.state import baseline
from wargame.scenario.loader import load_scenario

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "engine_rules.yaml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(FIXTURE)


def modified(sc, **changes):
    """A fresh, validated copy of the scenario with some top-level fields replaced."""
    from wargame.scenario.model import Scenario

    return Scenario.model_validate({**sc.model_dump(by_alias=True), **changes})


def play(sc, turns_orders, turns=None, seed=3):
    """Play turns; ``turns_orders`` maps turn -> list of Orders. Returns the results."""
    state = initial_state(sc, seed)
    results = []
    for turn in range(1, (turns or max(turns_orders or {1: 0}) + 1) + 1):
        result = resolve_turn(sc, state, turns_orders.get(turn, []), explain=False)
        assert all(o.status != "rejected" for o in result.outcomes), result.outcomes
        results.append(result)
        state = result.state
    return results


def met(result, actor, sector):
    return result.indicators["supply_met"][actor][sector]


def price(result, actor, stage="magnet"):
    return result.indicators["prices_by_actor"]["ree"][stage][actor]


def test_quiet_world_is_an_equilibrium(sc):
    """Rule: with no orders, supply meets demand everywhere and prices stay at baseline."""
    results = play(sc, {}, turns=8)
    for r in results:
        assert all(v == pytest.approx(1.0) for ks in r.indicators["supply_met"].values() for v in ks.values())
        assert r.indicators["price_index"]["ree"] == pytest.approx(1.0, abs=1e-6)
        assert r.ledger_gap < 1e-6


CASES = [
    # (name, rule, orders on turn 1, check(result_turn1, quiet_turn1))
    ("export_restriction freeze",
     "A magnet freeze on the USA cuts US supply by China's share of its imports, defence "
     "less than EVs (priority rationing); US magnet prices rise and China's fall (two-tier "
     "pricing).",
     [Order("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"})],
     lambda r, q: (met(r, "USA", "ev") < 0.75 and met(r, "USA", "defence") > met(r, "USA", "ev")
                   and price(r, "USA") > 1.5 * price(q, "USA") and price(r, "CHN") < price(q, "CHN"))),
    ("export_restriction slow-walk is milder than a freeze",
     "A slow-walk approves about 60 % of requested exports.",
     [Order("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "slow_walk"})],
     lambda r, q: 0.5 < met(r, "USA", "ev") < 0.9),
    ("extraterritorial rule",
     "Japan's magnets carry Chinese-origin oxide above the de minimis share, so the rule caps "
     "Japan's exports to the USA too.",
     [Order("beijing", "origin_rule", {"target": "USA"})],
     lambda r, q: _jpn_to_usa(r) < 0.2 * _jpn_to_usa(q) and met(r, "USA", "ev") < 0.2),
    ("export_ban on ore",
     "Indonesia's ore ban stops ore exports; China's separation runs short of ore.",
     [Order("jakarta", "ore_ban", {})],
     lambda r, q: not _flow(r, "mine", "IDN", "CHN") and _flow(q, "mine", "IDN", "CHN") > 0
     and r.indicators["ore_processed_home"]["ree"].get("IDN", 0) == pytest.approx(0.0)),
    ("tariff",
     "A tariff raises the importer's landed price and earns it revenue.",
     [Order("brussels", "tariff", {"exporter": "CHN", "rate": 0.5})],
     lambda r, q: price(r, "EU") > price(q, "EU") and r.indicators["budget"]["brussels"] > 1000),
    ("tech_export_control",
     "A technology export control caps the target sector's output at 1 - severity.",
     [Order("washington", "tech_control", {"target": "CHN", "sector": "ev", "severity": 0.4})],
     lambda r, q: met(r, "CHN", "ev") == pytest.approx(0.6)),
    ("set_parameter capacity",
     "The white cell halves China's mine capacity: ore runs short downstream.",
     [Order("brussels", "white_cell", {"parameter": "capacity", "actor": "CHN", "value": 0.5})],
     lambda r, q: r.indicators["price_index"]["ree"] > 1.05 and
     min(v for ks in r.indicators["supply_met"].values() for v in ks.values()) < 0.95),
    ("stockpile build",
     "Building a strategic stockpile buys extra magnets into the buyer's stock, out of a "
     "tight market: others get less.",
     [Order("washington", "stockpile", {"action": "build", "tonnes": 5})],
     lambda r, q: r.indicators["stocks"].get("USA", {}).get("ree", 0) > 1.0
     and met(r, "EU", "ev") < 1.0),
    ("price_floor",
     "A floor above the market price costs its payer the gap times the producer's output.",
     [Order("washington", "floor", {"producer": "USA", "floor": 150})],
     lambda r, q: r.indicators["budget"]["washington"] == pytest.approx(1000 - 50 * 5 / 1000, rel=1e-3)),
]


def _flow(result, stage, exporter, importer):
    for e, i, tonnes, _status in result.indicators["flows"]["ree"][stage]:
        if e == exporter and i == importer:
            return tonnes
    return 0.0


def _jpn_to_usa(result):
    return _flow(result, "magnet", "JPN", "USA")


@pytest.mark.parametrize("name,rule,orders,check", CASES, ids=[c[0] for c in CASES])
def test_rule_table(sc, name, rule, orders, check):
    quiet = play(sc, {}, turns=1)[0]
    result = play(sc, {1: orders}, turns=1)[0]
    assert check(result, quiet), rule
    assert result.ledger_gap < 1e-6


def test_restriction_lapses_and_supply_recovers(sc):
    """Rule: a two-turn freeze ends after its duration; supply recovers after it lapses."""
    order = Order("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze",
                                          "turns": 2})
    results = play(sc, {1: [order]}, turns=6)
    assert met(results[0], "USA", "ev") < 0.75 and met(results[1], "USA", "ev") < 0.75
    assert met(results[3], "USA", "ev") > 0.97
    assert results[5].indicators["price_index"]["ree"] < results[1].indicators["price_index"]["ree"]


def test_invest_capacity_arrives_after_lead_time(sc):
    """Rule: a magnet plant (lead time 0.5 years = 2 quarterly turns) adds capacity then."""
    order = Order("washington", "invest", {"stage": "magnet", "tonnes": 40})
    results = play(sc, {1: [order]}, turns=4)
    cap = [r.state.capacity[0, 2, 1] for r in results]
    assert cap[0] == pytest.approx(5.0) and cap[1] == pytest.approx(5.0)
    assert cap[2] == pytest.approx(15.0)
    assert results[0].indicators["budget"]["washington"] == pytest.approx(1000 - 10 - 40)


def test_investment_delay_is_a_seeded_draw(sc):
    """Rule: each pending investment may slip one turn with the delay probability (seeded)."""
    delayed = modified(sc, delay_probability=1.0)
    order = Order("washington", "invest", {"stage": "magnet", "tonnes": 40})
    state = initial_state(delayed, 1)
    for turn in range(1, 5):
        result = resolve_turn(delayed, state, [order] if turn == 1 else [], explain=False)
        state = result.state
    assert state.capacity[0, 2, 1] == pytest.approx(5.0)  # always slips at p = 1
    assert any(d["kind"] == "delay" and d["slipped"] for d in result.draws)


@pytest.mark.parametrize("primitive_move", ["stake", "offtake"])
def test_reserved_share_served_first_in_a_shortage(sc, primitive_move):
    """Rule: an equity stake or offtake reserves a share of the seller's output for the buyer,
    so the buyer is served before others when supply is short."""
    cut = Order("brussels", "white_cell", {"parameter": "capacity", "actor": "CHN", "value": 0.6})
    params = {"host": "JPN", "share": 0.8} if primitive_move == "stake" else {"seller": "JPN", "share": 0.8}
    deal = Order("washington", primitive_move, params)
    without = play(sc, {1: [cut]}, turns=1)[0]
    with_deal = play(sc, {1: [cut, deal]}, turns=1)[0]
    assert _jpn_to_usa(with_deal) > _jpn_to_usa(without)
    assert met(with_deal, "USA", "ev") > met(without, "USA", "ev")


def test_stockpile_release_cushions_a_freeze(sc):
    """Rule: releasing a strategic stockpile adds to supply while it lasts."""
    stocked = modified(sc, stocks=[{"actor": "USA", "material": "ree", "stage": "magnet",
                                    "tonnes": 40, "strategic": True}])
    freeze = Order("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"})
    release = Order("washington", "stockpile", {"action": "release", "tonnes": 10})
    base_case = play(stocked, {1: [freeze]}, turns=1)[0]
    cushioned = play(stocked, {1: [freeze, release]}, turns=1)[0]
    assert met(cushioned, "USA", "ev") > met(base_case, "USA", "ev") + 0.1


def test_recycling_adds_secondary_supply_and_counts_for_crma(sc):
    """Rule: recycling capacity arrives after its lead time, adds supply without ore, and
    counts towards the EU's CRMA recycling benchmark."""
    results = play(sc, {1: [Order("brussels", "recycle", {"tonnes": 40})]}, turns=4)
    assert results[0].indicators["crma"]["EU"]["ree"]["recycling"] == pytest.approx(0.0)
    assert results[3].indicators["crma"]["EU"]["ree"]["recycling"] > 0.15
    assert all(r.ledger_gap < 1e-6 for r in results)


def test_substitution_cuts_demand_after_its_lag(sc):
    """Rule: substitution removes a share of a sector's demand after the lag, ramping up."""
    order = Order("brussels", "substitute", {"sector": "ev", "share": 0.5})
    results = play(sc, {1: [order]}, turns=4)
    need = [r.indicators["shortfall_tonnes"] for r in results]
    prices = [r.indicators["prices_by_actor"]["ree"]["magnet"]["CHN"] for r in results]
    imports = [_flow(r, "magnet", "CHN", "EU") for r in results]
    assert prices[0] == pytest.approx(100.0, rel=1e-3)  # lag: nothing yet
    assert imports[3] < 0.6 * imports[0]  # the EU needs fewer magnets
    assert prices[3] < 95.0  # exporters' glut lowers their price
    assert need  # indicators computed every turn


def test_illegal_orders_are_rejected_with_a_reason(sc):
    """Rule: an order of another team's move, an unknown actor or an unaffordable order is
    rejected with a reason, not crashed on."""
    state = initial_state(sc, 1)
    assert "may not use" in validate_order(sc, state, Order("washington", "restrict", {}))[0]
    assert any("unknown actor" in p for p in validate_order(
        sc, state, Order("beijing", "restrict", {"target": "ZZZ", "stage": "magnet", "level": "freeze"})))
    assert any("not affordable" in p for p in validate_order(
        sc, state, Order("washington", "invest", {"stage": "magnet", "tonnes": 1000})))
    assert any("at most" in p for p in validate_order(
        sc, state, Order("washington", "invest", {"stage": "magnet", "tonnes": 5000})))
    assert "unknown move" in validate_order(sc, state, Order("washington", "nope", {}))[0]
    result = resolve_turn(sc, state, [Order("washington", "restrict", {})], explain=False)
    assert result.outcomes[0].status == "rejected" and "may not use" in result.outcomes[0].detail


def test_override_sets_an_order_aside(sc):
    """Rule: the facilitator can set an accepted order aside; it then has no effect."""
    state = initial_state(sc, 1)
    order = Order("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"}, id="o1")
    result = resolve_turn(sc, state, [order], explain=False,
                          overrides=[{"order_id": "o1", "status": "rejected", "reason": "white cell"}])
    assert result.outcomes[0].status == "overridden"
    assert met(result, "USA", "ev") == pytest.approx(1.0)


def test_explanations_attribute_the_shortfall(sc):
    """Rule: the explanation names the order that moved a headline indicator, by re-resolving
    without it with the same random draws."""
    state = initial_state(sc, 1)
    order = Order("beijing", "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"})
    result = resolve_turn(sc, state, [order], explain=True)
    text = " ".join(result.explanations)
    assert "without Beijing's Export licence regime it would have been 100 %" in text
    assert "The United States' evs supply" in text


def test_state_round_trips_and_hash_is_stable(sc):
    results = play(sc, {1: [Order("beijing", "restrict", {"target": "USA", "stage": "magnet",
                                                            "level": "freeze"})]}, turns=2)
    from wargame.engine import GameState, TurnResult
    state = results[-1].state
    again = GameState.from_dict(state.to_dict())
    assert again.content_hash() == state.content_hash()
    assert np.array_equal(again.origin, state.origin)
    assert TurnResult.from_dict(results[-1].to_dict()).to_dict() == results[-1].to_dict()


def test_baseline_converts_annual_figures_to_turns(sc):
    base = baseline(sc)
    assert base.turn_fraction == 0.25
    assert base.capacity[0, 0, 0] == pytest.approx(50.0)


def test_white_cell_may_order_any_move_without_paying(sc):
    """Rule: the facilitator (white cell) can order a move no team may use; no budget moves."""
    from wargame.engine import FACILITATOR

    no_team = modified(sc, moves=[{**m.model_dump(by_alias=True), "teams": []} if m.id == "white_cell"
                                  else m.model_dump(by_alias=True) for m in sc.moves])
    order = Order(FACILITATOR, "white_cell", {"parameter": "capacity", "actor": "CHN", "value": 0.5})
    assert validate_order(no_team, initial_state(no_team, 1), order) == []
    assert validate_order(no_team, initial_state(no_team, 1),
                          Order("brussels", "white_cell", {"parameter": "capacity", "actor": "CHN",
                                                           "value": 0.5}))
    result = resolve_turn(no_team, initial_state(no_team, 1), [order])
    assert result.outcomes[0].status == "accepted"
    assert result.indicators["budget"] == {"beijing": 1000, "washington": 1000, "brussels": 1000,
                                           "jakarta": 500}
    assert "White cell" in result.outcomes[0].description


def test_shortage_heals_after_a_shock_lapses(sc):
    """Rule: after a temporary supply cut, spare capacity and stock rebuilding bring supply
    back to demand; importers are not left short for good."""
    cut = Order("brussels", "white_cell", {"parameter": "capacity", "actor": "IDN", "value": 0.2})
    results = play(sc, {1: [cut]}, turns=12)
    assert min(v for ks in results[1].indicators["supply_met"].values() for v in ks.values()) < 0.95
    assert min(v for ks in results[-1].indicators["supply_met"].values() for v in ks.values()) > 0.99
    assert results[-1].indicators["price_index"]["ree"] == pytest.approx(1.0, abs=0.05)


def test_permanent_capacity_add_works_on_an_empty_stage(sc):
    """Rule: a permanent set_parameter 'add' builds capacity where there was none."""
    from wargame.engine import FACILITATOR
    from wargame.scenario.model import Inject

    plant = Inject.model_validate({"id": "new_plant", "title": "New plant", "duration": 0, "by": "EU",
                                   "effects": [{"primitive": "set_parameter", "parameter": "capacity",
                                                "op": "add", "value": 40, "actor": "EU",
                                                "material": "ree", "stage": "separate"}]})
    result = resolve_turn(sc, initial_state(sc, 1), [], injects=[plant])
    assert result.state.capacity[0, 1, 2] == pytest.approx(10.0)
    assert result.state.base_utilisation[0, 1, 2] == pytest.approx(1.0)
    assert FACILITATOR == "facilitator"


def test_priority_rationing_serves_defence_more_fully():
    """Rule: short supply is rationed by demand x priority ** -strength; nobody gets more
    than demand, and the whole supply is used."""
    import numpy as np
    from wargame.engine.flow import ration_by_priority

    demand = np.array([[[10.0], [30.0], [60.0]]])  # one actor, sectors of priority 1, 3, 3
    met_ = ration_by_priority(np.array([[40.0]]), demand, np.array([1, 3, 3]), 1.0)
    given = (met_ * demand).sum()
    assert given == pytest.approx(40.0, rel=1e-6)
    assert met_[0, 0, 0] == pytest.approx(3 * met_[0, 1, 0], rel=1e-6)
    strict = ration_by_priority(np.array([[40.0]]), demand, np.array([1, 3, 3]), 20.0)
    assert strict[0, 0, 0] == pytest.approx(1.0, abs=1e-3)


def test_white_cell_is_not_bound_by_actor_scopes(sc):
    """Rule: the white cell owns no actors, so 'own'/'other' scopes do not restrict it."""
    from wargame.engine import FACILITATOR

    order = Order(FACILITATOR, "restrict", {"target": "USA", "stage": "magnet", "level": "freeze"})
    assert validate_order(sc, initial_state(sc, 1), order) == []


def test_bots_aim_at_their_interests():
    """Rule: bots give legal orders that fit their role: a producer bans exports of its own
    main ore, a builder invests where its team imports most, a hawk restricts a material it
    dominates; and a whole game runs with bots only."""
    from wargame.engine import bot_orders, run_game

    default = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "rare-earth-shock-2025.yaml")
    state = initial_state(default)
    orders = {t.id: bot_orders(default, state, t.id) for t in default.teams}
    assert all(not validate_order(default, state, o) for os in orders.values() for o in os)
    jakarta = orders["jakarta"][0]
    assert jakarta.params.get("material") == "nickel"  # Indonesia's ore
    kinshasa = orders["kinshasa"][0]
    assert kinshasa.params.get("material") == "cobalt"  # the DRC's ore
    washington = orders["washington"][0]
    assert washington.params.get("material") in ("ndpr", "dytb", "gallium", "germanium")
    results = run_game(default, bots=[t.id for t in default.teams], explain=False)
    assert len(results) == default.turns
    assert all(o.status == "accepted" for r in results for o in r.outcomes)


def test_offtakes_never_promise_more_than_the_whole_output(sc):
    """Rule: two buyers each reserving 100 % of one seller's output share it; nobody is
    delivered more than it needs and no tonne is delivered twice (found by the
    conservation property test)."""
    deals = [Order("beijing", "offtake", {"seller": "USA", "share": 1.0}),
             Order("brussels", "offtake", {"seller": "USA", "share": 1.0})]
    result = play(sc, {1: deals}, turns=1)[0]
    shipped = {i: t for e, i, t, _s in result.indicators["flows"]["ree"]["magnet"] if e == "USA"}
    assert sum(shipped.values()) <= 20.0 + 1e-6  # the USA makes 20 t/yr of magnets
    assert shipped["CHN"] == pytest.approx(shipped["EU"])  # the two offtakes share it
    assert all(v <= 1.0 + 1e-9 for ks in result.indicators["supply_met"].values() for v in ks.values())
    assert result.ledger_gap < 1e-6
