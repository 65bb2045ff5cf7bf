"""``wargame simulate``: a whole game headless, from a scenario, a seed, an orders file and
bots; prints a per-turn summary, optionally writes a byte-stable JSON and saves a session."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wargame.errors import UserError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "simulate", help="run a game headless",
        description="Run a game headless. Orders come from --orders (a YAML list of "
        "{turn, team, move, params}) and from bots for the teams named by --bots.")
    p.add_argument("scenario", help="scenario file (YAML)")
    p.add_argument("--turns", type=int, help="turns to play (default: the scenario's)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--orders", metavar="FILE", help="YAML list of {turn, team, move, params}")
    p.add_argument("--bots", default="", metavar="all|TEAM,...",
                   help="teams played by bots: 'all' or a comma-separated list")
    p.add_argument("--json", metavar="OUT", help="write the per-turn results as JSON")
    p.add_argument("--db", metavar="FILE", help="save the game as a session in this database")
    p.add_argument("--no-explain", action="store_true", help="skip the explanations (faster)")
    p.add_argument("--quiet", action="store_true", help="print only the final line")
    p.set_defaults(func=simulate_command)


def load_orders_file(path: str, scenario: Any) -> list[tuple[int, Any]]:
    """Parse and check an orders file; every problem is reported as FILE:ITEM: message."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from wargame.engine import Order

    file = Path(path)
    if not file.exists() or file.is_dir():
        raise UserError(f"{path}: no such orders file")
    try:
        with open(file, encoding="utf-8") as handle:  # also a pipe, e.g. <(...)
            raw = YAML(typ="safe", pure=True).load(handle.read())
    except OSError as exc:
        raise UserError(f"{path}: cannot read the orders file: {exc.strerror}") from None
    except (YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise UserError(f"{path}: expected a list of {{turn, team, move, params}} items")
    problems, orders = [], []
    for n, item in enumerate(raw, 1):
        where = f"{path}: item {n}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping with turn, team, move, params")
            continue
        unknown = set(item) - {"turn", "team", "move", "params", "id"}
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        turn = item.get("turn")
        if not isinstance(turn, int) or isinstance(turn, bool) or turn < 1:
            problems.append(f"{where}: 'turn' must be a whole number from 1")
            continue
        team, move = item.get("team"), item.get("move")
        if team not in scenario.team_index:
            problems.append(f"{where}: unknown team {team!r} (known: {', '.join(scenario.team_index)})")
            continue
        if move not in scenario.move_index:
            problems.append(f"{where}: unknown move {move!r}")
            continue
        if not scenario.move_index[move].allowed_for(team):
            problems.append(f"{where}: team {team!r} may not use move {move!r}")
            continue
        params = item.get("params") or {}
        if not isinstance(params, dict):
            problems.append(f"{where}: 'params' must be a mapping")
            continue
        orders.append((turn, Order(team=team, move=move, params=dict(params),
                                   id=str(item.get("id") or f"t{turn}-{team}-{n}"))))
    if problems:
        raise UserError("bad orders file:\n  " + "\n  ".join(problems))
    return orders


def _bot_teams(spec: str, scenario: Any) -> list[str]:
    if not spec:
        return []
    if spec.strip() == "all":
        return [t.id for t in scenario.teams]
    teams = [t.strip() for t in spec.split(",") if t.strip()]
    unknown = [t for t in teams if t not in scenario.team_index]
    if unknown:
        raise UserError(f"unknown team(s) for --bots: {', '.join(unknown)} "
                        f"(known: {', '.join(scenario.team_index)})")
    return teams


def turn_record(result: Any) -> dict[str, Any]:
    """One turn of ``simulate --json``: headline indicators under the engine's typed names
    (``TurnIndicators``), scores with their breakdown, outcomes, explanations, injects."""
    ind = result.indicators
    return {"turn": result.turn,
            "world_price_usd_per_kg": ind.world_price_usd_per_kg,
            "price_index_vs_baseline": ind.price_index_vs_baseline,
            "supply_met_share": ind.supply_met_share,
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
    from wargame.engine import run_game
    from wargame.scenario.loader import ScenarioError, load_scenario

    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        raise UserError(f"invalid scenario:\n{exc}") from None
    if args.turns is not None and args.turns < 1:
        raise UserError("--turns must be at least 1")
    orders = load_orders_file(args.orders, scenario) if args.orders else []
    bots = _bot_teams(args.bots, scenario)
    seed = scenario.default_seed if args.seed is None else args.seed
    turns = args.turns or scenario.turns
    explain = not args.no_explain

    def report(_orders: Any, result: Any) -> None:
        if not args.quiet:
            print(_summary_line(scenario, result))
            for outcome in result.outcomes:
                if outcome.status == "rejected":
                    print(f"    rejected: {outcome.description}: {outcome.detail}")
            for line in result.explanation_texts()[:6]:
                print(f"    {line}")
            sys.stdout.flush()

    if args.db:
        results, session_id = _simulate_into_store(args.db, scenario, seed, turns, orders,
                                                   bots, report)
    else:
        results = run_game(scenario, seed=seed, turns=turns, orders=orders, bots=bots,
                           explain=explain, on_turn=report)
        session_id = None
    final = results[-1].state if results else None
    if args.json:
        payload = {"scenario": scenario.id, "scenario_hash": scenario.content_hash, "seed": seed,
                   "turns": [turn_record(r) for r in results],
                   "state_hash": final.content_hash() if final else None}
        Path(args.json).write_text(json.dumps(payload, sort_keys=True, indent=1) + "\n",
                                   encoding="utf-8")
    tail = f"; saved as session {session_id}" if session_id else ""
    print(f"{scenario.id}: {len(results)} turn(s) played, seed {seed}, "
          f"state {final.content_hash()[:12] if final else '-'}{tail}")
    return 0


def _legal_orders(scenario: Any, state: Any, by_team: dict[str, list]) -> dict[str, list]:
    """Drop illegal orders (with a message) so one bad order does not stop a saved game:
    the same rule the engine applies when it rejects an order in an unsaved run."""
    from wargame.engine import describe_order, validate_order

    legal: dict[str, list] = {}
    for team, orders in by_team.items():
        kept: list = []
        for order in orders:
            problems = validate_order(scenario, state, order, kept)
            if problems:
                print(f"    rejected: {describe_order(scenario, order)}: {'; '.join(problems)}")
            else:
                kept.append(order)
        legal[team] = kept
    return legal


def _simulate_into_store(db: str, scenario: Any, seed: int, turns: int, orders: list,
                         bots: list[str], report: Any) -> tuple[list, str]:
    """Each turn is committed as it is played, so a killed run keeps every finished turn."""
    from wargame.store.exercise import Exercise, ExerciseError
    from wargame.store.store import StoreError

    by_turn: dict[int, dict[str, list]] = {}
    for turn, order in orders:
        by_turn.setdefault(turn, {}).setdefault(order.team, []).append(order)
    setup = {t.id: ("bot" if t.id in bots else "human") for t in scenario.teams}
    try:
        exercise = Exercise.create(db, scenario, seed, setup, turn_limit=turns)
        results = []
        for _ in range(turns):
            turn = exercise.state.turn
            legal = _legal_orders(scenario, exercise.state, by_turn.get(turn, {}))
            result = exercise.play_turn(legal)
            report(None, result)
            results.append(result)
        exercise.end()
    except (ExerciseError, StoreError) as exc:
        raise UserError(str(exc)) from None
    return results, exercise.id
