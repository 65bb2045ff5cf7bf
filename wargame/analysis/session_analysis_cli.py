"""``wargame luck SESSION --runs N`` and ``wargame compare SESSION [FORK...]``: analysis of
saved sessions, printed as short tables; ``--json OUT`` writes the whole result (the band
and real path per turn, or every headline number per session and turn) for charts."""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from wargame.errors import UserError, os_error_text


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "luck", help="was it luck? re-run a session's orders with other seeds",
        description="Re-run a saved session's orders (and injects fired by hand, and the "
        "facilitator's rulings) with N other seeds and show where the real outcome sits: "
        "the percentile of each team score and headline number among the re-runs.")
    p.add_argument("session", help="session id (or a unique prefix)")
    p.add_argument("--runs", type=int, default=200, metavar="N", help="re-runs (default 200)")
    p.add_argument("--seed", type=int, metavar="S",
                   help="seed the re-runs' seeds derive from (default: the session's)")
    p.add_argument("--db", metavar="FILE", help="sessions database (default: the app's)")
    p.add_argument("--json", metavar="OUT", help="write the whole report as JSON")
    p.set_defaults(func=luck_command)

    c = subparsers.add_parser(
        "compare", help="a session and its forks side by side",
        description="Headline numbers per turn of a session and its forks side by side "
        "(every fork of the session when none are named).")
    c.add_argument("session", help="session id (or a unique prefix)")
    c.add_argument("forks", nargs="*", metavar="FORK", help="forks (or other branches) to compare")
    c.add_argument("--db", metavar="FILE", help="sessions database (default: the app's)")
    c.add_argument("--json", metavar="OUT", help="write every number as JSON")
    c.set_defaults(func=compare_command)


def _write_json(path: str, report: Any) -> None:
    from wargame.analysis.sweep_output import _plain

    try:
        Path(path).write_text(json.dumps(_plain(dataclasses.asdict(report)), indent=1,
                                         sort_keys=True, allow_nan=False) + "\n",
                              encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot write the report: {os_error_text(exc)}") from None


def luck_command(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from wargame.analysis.luck import luck_report, render_luck
    from wargame.analysis.session_reader import read_session
    from wargame.limits import MAX_SEED

    if args.seed is not None and not 0 <= args.seed < MAX_SEED:
        raise UserError(f"--seed must be a whole number from 0 to 2**63 - 1 (got {args.seed})")
    session = read_session(args.db, args.session)
    with tqdm(total=args.runs, unit="game", file=sys.stderr, leave=False) as bar:
        report = luck_report(session, args.runs, args.seed, on_progress=bar.update)
    print(render_luck(report))
    if args.json:
        _write_json(args.json, report)
    return 0


def compare_command(args: argparse.Namespace) -> int:
    from wargame.analysis.compare import compare_sessions, render_comparison
    from wargame.analysis.session_reader import read_session

    first = read_session(args.db, args.session)
    names = args.forks or list(first.forks)
    if not names:
        raise UserError(f"session {first.session_id} has no forks: name the sessions to "
                        "compare it with")
    comparison = compare_sessions([first] + [read_session(args.db, n) for n in names])
    print(render_comparison(comparison))
    if args.json:
        _write_json(args.json, comparison)
    return 0
