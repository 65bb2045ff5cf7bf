"""``wargame report SESSION [--db FILE] --format html|pdf|csv|xlsx --out PATH [--public]``:
the after-action report of a saved session, made from the database alone. Top-level imports
stay light: the report's libraries load only when the command runs."""
from __future__ import annotations

import argparse
from pathlib import Path

from wargame.errors import UserError, os_error_text
from wargame.session.commands import _add_db, _open

FORMATS = ("html", "pdf", "csv", "xlsx")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report", help="write the after-action report of a session",
        description="Write the after-action report of a saved session: overview, the "
        "timeline turn by turn (injects, every team's orders and outcomes, overrides with "
        "their reasons, notes, explanations), charts and final standings, the improvement "
        "plan from the hot wash and an annex of baseline figures with their sources. "
        "html: one self-contained file; pdf: A4 pages; csv: a folder with one tidy table "
        "per kind (indicators, scores, flows, orders, outcomes, overrides, injects, "
        "explanations, notes, events, hot_wash, baseline_figures); xlsx: one sheet per "
        "table. Orders of a turn not yet resolved are never included.")
    p.add_argument("session", help="session id (or a unique prefix)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="output format (default: from the --out file's extension)")
    p.add_argument("--out", type=Path, required=True, metavar="PATH",
                   help="the file to write (for csv: a folder)")
    p.add_argument("--public", action="store_true",
                   help="the public edition: without the facilitator's notes, and without "
                        "covert moves and the seed until the exercise has ended")
    _add_db(p)
    p.set_defaults(func=report_command)


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = args.out.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise UserError(f"{args.out}: say which format with --format {'|'.join(FORMATS)} "
                    "(the file name does not end in one)")


def report_command(args: argparse.Namespace) -> int:
    from wargame.report.gather import ReportError, build_report
    from wargame.report.model import Audience
    from wargame.store.store import StoreError

    fmt = _format_of(args)
    audience = Audience.PUBLIC if args.public else Audience.FACILITATOR
    with _open(args) as store:
        try:
            report = build_report(store, args.session, audience)
        except (StoreError, ReportError) as exc:
            raise UserError(str(exc)) from None
    from wargame.report.export import write_report
    from wargame.report.pdf import PdfUnavailable

    try:
        written = write_report(report, fmt, args.out)
    except PdfUnavailable as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"{args.out}: cannot write ({os_error_text(exc)})") from None
    where = args.out if len(written) == 1 else f"{args.out}/ ({len(written)} tables)"
    print(f"session {report.facts.session_id}: {audience.value} report written to {where}")
    return 0
