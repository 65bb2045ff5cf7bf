"""``wargame scenario-doc FILE --out DIR``: the scenario's briefing books as HTML
(``briefing_book.py``)."""
from __future__ import annotations

import argparse
from pathlib import Path

from wargame.errors import UserError, os_error_text, printable


def register(subparsers: argparse._SubParsersAction) -> None:
    doc = subparsers.add_parser(
        "scenario-doc", help="write a scenario's briefing books (HTML, printable)",
        description="Write DIR/index.html, the facilitator's briefing book (teams and "
                    "objectives, every move in plain words, the inject deck, the baseline "
                    "with sources, the trajectories), and DIR/team-<id>.html for each team "
                    "(without the deck or other teams' briefings).")
    doc.add_argument("path", metavar="FILE", help="scenario file (YAML)")
    doc.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    doc.set_defaults(func=scenario_doc_command)


def scenario_doc_command(args: argparse.Namespace) -> int:
    from wargame.report.briefing_book import write_books
    from wargame.scenario.loader import ScenarioError, load_scenario, scenario_argument

    try:
        scenario = load_scenario(scenario_argument(args.path))
    except ScenarioError as exc:
        for problem in exc.problems:
            print(printable(str(problem)))
        return 2
    try:
        written = write_books(scenario, Path(args.out))
    except OSError as exc:
        raise UserError(f"{args.out}: cannot write the briefing books "
                        f"({os_error_text(exc)})") from None
    for path in written:
        print(printable(f"wrote {path}"))
    return 0
