"""``wargame validate`` and ``wargame scenarios``: the designer's check before a session
(``new-scenario`` and ``upgrade-scenario`` are in ``workbench.py``).

Output is one line per file or problem, so editors and CI can jump to ``FILE:LINE:COL``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.errors import printable
from wargame.limits import MAX_PROBLEMS_SHOWN

if TYPE_CHECKING:
    from wargame.scenario.loader import ScenarioFile

EXIT_OK = 0
EXIT_INVALID = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="check scenario files and report every problem as FILE:LINE:COL",
        description="Check scenario files (or every *.yaml in a directory). Exit 0 when all "
                    "are valid, 2 otherwise.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH",
                          help="a scenario file or a directory of them")
    validate.add_argument("--lint", action="store_true",
                          help="also warn of what is legal but probably not meant: an "
                               "unbalanced baseline, a stock in days of a use the actor does "
                               "not have, an investment that cannot arrive before the last "
                               "turn, a supply response capped for stability, a condition "
                               "that can never hold, a move no team can use, a material "
                               "nobody uses, a number without a source, an objective that "
                               "never moves in a bot game (warnings do not change the exit "
                               "code)")
    # the bot-game lint needs the engine: the analysis layer plugs it in here
    # (wargame.analysis.scenario_lint.register), as `bot_game_lint`
    validate.set_defaults(func=validate_command, bot_game_lint=None)

    scenarios = subparsers.add_parser("scenarios", help="list the shipped scenarios",
                                      description="List scenario files: id, title, turns, file.")
    scenarios.add_argument("directory", nargs="?", metavar="DIR",
                           help="directory to list (default: the shipped scenarios)")
    scenarios.set_defaults(func=scenarios_command)

    from wargame.scenario import workbench  # new-scenario, upgrade-scenario

    workbench.register(subparsers)


def _expand(paths: list[str]) -> tuple[list[Path], list[str]]:
    from wargame.scenario.loader import find_scenarios

    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = find_scenarios(path)
            if not found:
                errors.append(f"{raw}: no *.yaml scenario files in this directory")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            errors.append(f"{raw}: no such file or directory")
    return files, errors


def validate_command(args: argparse.Namespace) -> int:
    """Every problem of every file, sorted by line (at most ``MAX_PROBLEMS_SHOWN`` per
    file, then a count); control characters from a file are printed escaped."""
    from wargame.scenario.checks import lint_report
    from wargame.scenario.loader import ScenarioError, read_scenario

    files, errors = _expand(list(args.paths))
    for line in errors:
        print(printable(line), file=sys.stderr)
    ok = not errors
    for path in files:
        try:
            loaded = read_scenario(path)
        except ScenarioError as exc:
            ok = False
            for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
                print(printable(str(problem)))
            if len(exc.problems) > MAX_PROBLEMS_SHOWN:
                print(f"{printable(str(path))}: ... and "
                      f"{len(exc.problems) - MAX_PROBLEMS_SHOWN} more problems")
            continue
        scenario = loaded.scenario
        for note in loaded.notes:
            print(printable(f"{path}: note: {note}"))
        print(printable(f"{path}: ok ({scenario.title}, {len(scenario.actors)} actors, "
                        f"{len(scenario.teams)} teams, {len(scenario.moves)} moves)"))
        if getattr(args, "lint", False):
            for warning in lint_report(scenario):
                print(printable(f"{path}: warning: {warning}"))
            for line in lint_lines(loaded, str(path), getattr(args, "bot_game_lint", None)):
                print(printable(line))
    return EXIT_OK if ok else EXIT_INVALID


MAX_UNSOURCED_SHOWN = 20  # numbers without a source listed per file; the rest are counted


def lint_lines(loaded: "ScenarioFile", name: str, bot_game_lint: Any = None) -> list[str]:
    """The lint warnings of a loaded file at FILE:LINE:COL (``bot_game_lint``: a function
    of the scenario giving more ``Issue``s, from a layer that may run the engine)."""
    from wargame.scenario.lint import lint_issues
    from wargame.scenario.loader import format_path

    issues = lint_issues(loaded.scenario)
    if bot_game_lint is not None:
        issues += bot_game_lint(loaded.scenario)
    lines, unsourced = [], 0
    for issue in issues:
        if "has no source" in issue.message:
            unsourced += 1
            if unsourced > MAX_UNSOURCED_SHOWN:
                continue
        line, col = loaded.location(issue.path, issue.at_key)
        label = format_path(issue.path)
        where = f"{name}:{line}:{col}" if line > 0 else name
        lines.append(f"{where}: warning: {label}: {issue.message}" if label
                     else f"{where}: warning: {issue.message}")
    if unsourced > MAX_UNSOURCED_SHOWN:
        lines.append(f"{name}: warning: ... and {unsourced - MAX_UNSOURCED_SHOWN} more "
                     "numbers without a source")
    return lines


def scenarios_command(args: argparse.Namespace) -> int:
    from wargame.scenario.loader import (
        ScenarioError,
        default_scenario_path,
        find_scenarios,
        load_scenario,
    )

    directory = Path(args.directory) if args.directory else default_scenario_path().parent
    if not directory.is_dir():
        print(f"wargame: {directory}: no such directory", file=sys.stderr)
        return EXIT_INVALID
    files = find_scenarios(directory)
    if not files:
        print(f"{directory}: no scenario files")
        return EXIT_OK
    rows = []
    for path in files:
        try:
            scenario = load_scenario(path)
            rows.append((scenario.id, scenario.title, str(scenario.turns), str(path)))
        except ScenarioError as exc:
            rows.append(("?", f"INVALID ({len(exc.problems)} problem(s); run wargame "
                              "validate)", "-", str(path)))
    header = ("ID", "TITLE", "TURNS", "FILE")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(3)]
    for row in [header] + rows:
        print(printable("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths))
                        + "  " + row[3]))
    return EXIT_OK
