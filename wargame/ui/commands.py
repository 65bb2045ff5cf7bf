"""CLI entry points of the desktop app: ``wargame app [SCENARIO] [--db FILE]`` and
``wargame --screenshot DIR`` (every main view at 1024x640 and 1920x1080, light and dark)."""
from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "app", help="open the desktop app (facilitator console, hot-seat turns, projector)",
        description="Open the desktop app. With SCENARIO, that scenario is selected on the "
        "start screen.")
    parser.add_argument("scenario", nargs="?", help="a scenario file (YAML)")
    parser.add_argument("--db", metavar="FILE", help="the session database (default: your "
                        "data folder)")
    parser.set_defaults(func=app_command)


def _user_error(message: str) -> int:
    print(f"wargame: {message}", file=sys.stderr)
    return 2


def app_command(args) -> int:
    if args.scenario:
        from wargame.scenario.loader import scenario_argument

        args.scenario = str(scenario_argument(args.scenario))
    if args.scenario and not Path(args.scenario).is_file():
        return _user_error(f"no scenario file {args.scenario!r} (nor a shipped scenario of "
                           "that name: `wargame scenarios` lists them)")
    if args.db and Path(args.db).is_dir():
        return _user_error(f"--db {args.db!r} is a directory, not a database file")
    from wargame.ui.app import run

    return run(args.scenario, args.db)


def screenshot_command(args) -> int:
    out = Path(args.screenshot)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _user_error(f"cannot create {out}: {exc.strerror}")
    from wargame.ui.screenshots import take_all

    paths = take_all(out)
    for path in paths:
        print(path)
    return 0
