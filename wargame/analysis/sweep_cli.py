"""``wargame sweep``: many games of one scenario (seeds and, if asked, varied numbers), a
tidy table of their headline numbers, a summary and the balance check, in a new folder."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wargame.errors import UserError
from wargame.limits import MAX_SEED, MAX_TURNS

MAX_WORKERS = 1024
EXIT_INTERRUPTED = 130


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "sweep", help="run many games and summarise them (balance check)",
        description="Run N games of a scenario with different seeds (and, with --vary, "
        "different scenario numbers) and write a tidy table of every game's headline "
        "numbers per turn, a summary (median, 5-95 % band) and a balance check to a new "
        "folder. Ctrl+C stops it and keeps the games that finished.")
    p.add_argument("scenario", help="scenario file (YAML)")
    p.add_argument("--runs", type=int, required=True, metavar="N",
                   help="games per variant (each with its own seed)")
    p.add_argument("--seed", type=int, metavar="S",
                   help="seed the games' seeds derive from (default: the scenario's)")
    p.add_argument("--bots", default="", metavar="all|TEAM=posture,...",
                   help="teams played by bots: 'all' or TEAM, each with an optional "
                   "=posture (hawkish, balanced, dovish; none: the scenario's bot style), "
                   "separated by commas, e.g. all=dovish or beijing=hawkish,washington")
    p.add_argument("--orders", metavar="FILE",
                   help="YAML list of {turn, team, move, params} given in every game")
    p.add_argument("--vary", action="append", default=[], metavar="PATH=a,b,c",
                   help="a scenario number to vary, e.g. price_response.market_flexibility=0.3,0.6 or "
                   "teams.beijing.budget=20000,30000 (repeat for more: every combination runs)")
    p.add_argument("--turns", type=int, metavar="T", help="turns per game (default: the scenario's)")
    p.add_argument("--workers", type=int, metavar="K",
                   help="local worker processes (default: one per CPU; 1 = this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://HOST:8786 (pip install 'wargame[cluster]')")
    p.add_argument("--out", required=True, metavar="DIR", help="new (or empty) output folder")
    p.add_argument("--format", choices=("parquet", "csv"),
                   help="table format (default: parquet when pyarrow is installed, else csv)")
    p.set_defaults(func=sweep_command)


def parse_bots(spec: str, scenario: Any) -> tuple[Any, ...]:
    """``all``, ``all=posture`` or ``TEAM[=posture],...`` -> BotSpec per team, in the
    scenario's team order."""
    from wargame.analysis.engine_adapter import BotSpec, bot_postures

    if not spec.strip():
        return ()
    chosen: dict[str, str | None] = {}
    for item in (i.strip() for i in spec.split(",")):
        if not item:
            continue
        team, _, posture = (part.strip() for part in item.partition("="))
        if posture and posture not in bot_postures():
            raise UserError(f"--bots {item}: unknown posture '{posture}' "
                            f"(postures: {', '.join(bot_postures())})")
        teams = [t.id for t in scenario.teams] if team == "all" else [team]
        for name in teams:
            if name not in scenario.team_index:
                raise UserError(f"unknown team '{name}' for --bots "
                                f"(known: {', '.join(scenario.team_index)})")
            chosen[name] = posture or None
    return tuple(BotSpec(t.id, chosen[t.id]) for t in scenario.teams if t.id in chosen)


def _check_numbers(args: argparse.Namespace, scenario: Any) -> int:
    from wargame.analysis.sweep_plan import MAX_SWEEP_GAMES

    if not 1 <= args.runs <= MAX_SWEEP_GAMES:
        raise UserError(f"--runs must be from 1 to {MAX_SWEEP_GAMES:,}")
    if args.turns is not None and not 1 <= args.turns <= MAX_TURNS:
        raise UserError(f"--turns must be from 1 to {MAX_TURNS}")
    if args.seed is not None and not 0 <= args.seed < MAX_SEED:
        raise UserError(f"--seed must be a whole number from 0 to 2**63 - 1 (got {args.seed})")
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise UserError(f"--workers must be from 1 to {MAX_WORKERS}")
    return args.turns or scenario.turns


def sweep_command(args: argparse.Namespace) -> int:
    from wargame.analysis.balance import balance_report, render_balance
    from wargame.analysis.commands import load_orders_file
    from wargame.analysis.engine_adapter import ScriptedOrder
    from wargame.analysis.runners import choose_runner
    from wargame.analysis.sweep import run_sweep
    from wargame.analysis.sweep_output import parquet_available, prepare_folder, write_sweep_folder
    from wargame.analysis.sweep_plan import plan_sweep
    from wargame.analysis.sweep_summary import summarise
    from wargame.analysis.vary import check_path, parse_vary
    from wargame.scenario.loader import ScenarioError, load_scenario, scenario_argument

    try:
        scenario = load_scenario(scenario_argument(args.scenario))
    except ScenarioError as exc:
        raise UserError(f"invalid scenario:\n{exc}") from None
    turns = _check_numbers(args, scenario)
    variations = [parse_vary(text) for text in args.vary]
    paths = [v.path for v in variations]
    if len(set(paths)) != len(paths):
        raise UserError("--vary: the same path is varied twice")
    for path in paths:
        check_path(scenario, path)
    bots = parse_bots(args.bots, scenario)
    orders = tuple(ScriptedOrder(turn, o.team, o.move, json.dumps(o.params, sort_keys=True),
                                 o.id)
                   for turn, o in (load_orders_file(args.orders, scenario, turns)
                                   if args.orders else []))
    fmt = args.format or ("parquet" if parquet_available() else "csv")
    if fmt == "parquet" and not parquet_available():
        raise UserError("--format parquet needs pyarrow: pip install 'wargame[parquet]' "
                        "(or use --format csv)")
    if args.format is None and fmt == "csv":
        print("pyarrow is not installed: writing CSV (pip install 'wargame[parquet]' for "
              "Parquet)", file=sys.stderr)
    runner = choose_runner(args.workers, args.scheduler)
    seed = scenario.default_seed if args.seed is None else args.seed
    plan = plan_sweep(scenario, args.runs, seed, turns, bots, orders, variations)
    folder = prepare_folder(args.out)
    results = run_sweep(plan, runner, progress=True)
    summary = summarise(results)
    balances = [balance_report(results, v.index) for v in plan.variants]
    arguments = {"scenario": args.scenario, "runs": args.runs, "seed": seed,
                 "bots": args.bots, "orders": args.orders, "vary": list(args.vary),
                 "turns": turns, "workers": args.workers, "scheduler": args.scheduler,
                 "out": args.out, "format": fmt}
    write_sweep_folder(folder, results, summary, balances, fmt, arguments)
    for report in balances:
        print(render_balance(report))
    if not results.complete:
        print(f"Interrupted: {len(results.games)} of {plan.planned_games} games finished and "
              f"were written to {folder} (the summary says it is partial).")
        return EXIT_INTERRUPTED
    print(f"{plan.planned_games} games of {turns} turns written to {folder}")
    return 0
