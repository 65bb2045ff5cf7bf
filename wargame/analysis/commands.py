"""``wargame simulate``: a whole game headless, from a scenario, a seed, an orders file and
bots; prints a per-turn summary, optionally writes a byte-stable JSON and saves a session.
The game itself is played by the session layer's one headless loop."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wargame.errors import UserError, os_error_text
from wargame.limits import MAX_SEED, MAX_TURNS


def register(subparsers: Any) -> None:
    from wargame.analysis import session_analysis_cli, sweep_cli

    _register_simulate(subparsers)
    sweep_cli.register(subparsers)
    session_analysis_cli.register(subparsers)


def _register_simulate(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "simulate", help="run a game headless",
        description="Run a game headless. Orders come from --orders (a YAML list of "
        "{turn, team, move, params}) and from bots for the teams named by --bots.")
    p.add_argument("scenario", help="scenario file (YAML)")
    p.add_argument("--turns", type=int, help="turns to play (default: the scenario's)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--orders", metavar="FILE", help="YAML list of {turn, team, move, params}")
    p.add_argument("--bots", default="", metavar="all|TEAM[=posture],...",
                   help="teams played by bots: 'all' or a comma-separated list, each with an "
                   "optional =posture (hawkish, balanced, dovish; without one, the "
                   "scenario's bot style): 'all=dovish', 'beijing=hawkish,washington'")
    p.add_argument("--json", metavar="OUT", help="write the per-turn results as JSON")
    p.add_argument("--db", metavar="FILE", help="save the game as a session in this database")
    p.add_argument("--no-explain", action="store_true", help="skip the explanations (faster)")
    p.add_argument("--quiet", action="store_true", help="print only the final line")
    p.set_defaults(func=simulate_command)


def load_orders_file(path: str, scenario: Any, turns: int | None = None
                     ) -> list[tuple[int, Any]]:
    """(turn, engine Order) pairs of an orders file (``wargame.scenario.orders_file``
    reads and checks it)."""
    from wargame.engine import Order
    from wargame.scenario.orders_file import load_orders_file as read_orders

    return [(o.turn, Order(team=o.team, move=o.move, params=o.params, id=o.id))
            for o in read_orders(path, scenario, turns)]


def turn_record(result: Any, scenario: Any = None) -> dict[str, Any]:
    """One turn of ``simulate --json``: indicators under the engine's typed names
    (``TurnIndicators``): prices (world, by actor and stage), supply met, dependency by
    origin per material, stocks, cross-border flows with their unit (from ``scenario``:
    each material's ``unit``), tonnage quotas with what was left unfilled; scores with
    their breakdown, outcomes, explanations, injects. A designer checks a calibration
    from this without Python."""
    ind = result.indicators
    units = {m.id: m.unit for m in scenario.materials} if scenario is not None else {}
    return {"turn": result.turn,
            "world_price_usd_per_kg": ind.world_price_usd_per_kg,
            "price_by_actor_usd_per_kg": ind.price_by_actor_usd_per_kg,
            "price_index_vs_baseline": ind.price_index_vs_baseline,
            "supply_met_share": ind.supply_met_share,
            "dependency_share_by_material": ind.dependency_share_by_material,
            "stocks_tonnes": ind.stocks_tonnes,
            "flows": [{**row.model_dump(mode="json"), "unit": units.get(row.material, "t")}
                      for row in ind.flows],
            "quotas": [row.model_dump(mode="json") for row in ind.quotas],
            "budget_usd_m": ind.budget_usd_m,
            "scores": {team: score.model_dump(mode="json") for team, score in ind.scores.items()},
            "explanations": [e.model_dump(mode="json") for e in result.explanations],
            "outcomes": [o.model_dump(mode="json") for o in result.outcomes],
            "injects": [i.title for i in result.injects_fired]}


def _summary_line(scenario: Any, result: Any) -> str:
    ind = result.indicators
    worst = min(((v, a, k) for a, ks in ind.supply_met_share.items() for k, v in ks.items()),
                default=(1.0, "-", "-"))
    top = max(ind.price_index_vs_baseline.items(), key=lambda kv: kv[1], default=("-", 1.0))
    accepted = sum(1 for o in result.outcomes if o.status != "rejected")
    return (f"turn {result.turn:>2}: {accepted} order(s), {len(result.injects_fired)} inject(s); "
            f"lowest supply {worst[1]}/{worst[2]} {worst[0] * 100:.0f} %; "
            f"highest price {top[0]} x{top[1]:.2f}")


def simulate_command(args: argparse.Namespace) -> int:
    """One game loop for both ``simulate`` and ``simulate --db``
    (``wargame.session.headless``): the same turns for the same inputs."""
    from wargame.analysis.sweep_cli import parse_bots
    from wargame.scenario.loader import ScenarioError, load_scenario, scenario_argument
    from wargame.session.errors import ExerciseError
    from wargame.session.headless import simulate
    from wargame.store.errors import StoreError

    try:
        scenario = load_scenario(scenario_argument(args.scenario))
    except ScenarioError as exc:
        raise UserError(f"invalid scenario:\n{exc}") from None
    if args.turns is not None and not 1 <= args.turns <= MAX_TURNS:
        raise UserError(f"--turns must be from 1 to {MAX_TURNS}")
    if args.seed is not None and not 0 <= args.seed < MAX_SEED:
        raise UserError(f"--seed must be a whole number from 0 to 2**63 - 1 (got {args.seed})")
    turns = args.turns or scenario.turns
    orders = load_orders_file(args.orders, scenario, turns) if args.orders else []
    bots = {spec.team: spec.posture for spec in parse_bots(args.bots, scenario)}
    seed = scenario.default_seed if args.seed is None else args.seed

    def report(result: Any, refused: list) -> None:
        if not args.quiet:
            print(_summary_line(scenario, result))
            for item in refused:
                print(f"    rejected at submission: {item.description}: "
                      f"{'; '.join(item.problems)}")
            for outcome in result.outcomes:
                if outcome.status == "rejected":
                    print(f"    rejected: {outcome.description}: {outcome.detail}")
            for line in result.explanation_texts()[:6]:
                print(f"    {line}")
            sys.stdout.flush()

    try:
        results, session_id = simulate(scenario, seed=seed, turns=turns, orders=orders,
                                       bots=bots, explain=not args.no_explain, db=args.db,
                                       on_turn=report)
    except (ExerciseError, StoreError) as exc:
        raise UserError(str(exc)) from None
    final = results[-1].state if results else None
    if args.json:
        payload = {"scenario": scenario.id, "scenario_hash": scenario.content_hash, "seed": seed,
                   "turns": [turn_record(r, scenario) for r in results],
                   "state_hash": final.content_hash() if final else None}
        try:
            Path(args.json).write_text(json.dumps(payload, sort_keys=True, indent=1,
                                                  allow_nan=False) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.json}: cannot write the results: {os_error_text(exc)}"
                            ) from None
    tail = f"; saved as session {session_id}" if session_id else ""
    print(f"{scenario.id}: {len(results)} turn(s) played, seed {seed}, "
          f"state {final.content_hash()[:12] if final else '-'}{tail}")
    return 0
