"""``wargame report SESSION [--db FILE] --format html|pdf|csv|xlsx --out PATH
[--public | --team ID] [--pin PIN]``: the after-action report of a saved session, as one
reader may see it (the session layer's ``view_for`` decides), made from the database alone.

The facilitator's edition (the default) needs the facilitator PIN when the session has one,
a team's edition the team's PIN; ``--pin`` or a prompt that does not echo. The public
edition needs none.

Extension point: other parts of wargame add sections to the report's analysis part by
giving the parser a default ``report_analysis``: a callable ``(args, exercise, viewer) ->
[AnalysisSection]`` called once the edition's PIN has been checked (``wargame.
report_analysis`` adds ``--luck`` that way: this package may not import the analysis one).

Top-level imports stay light: the report's libraries load only when the command runs."""
from __future__ import annotations

import argparse
from pathlib import Path

from wargame.errors import UserError, os_error_text
from wargame.session.commands import _add_db, _open, door_key

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
        "table. Each edition holds what its reader may see; orders of a turn not yet "
        "resolved are never included.")
    p.add_argument("session", help="session id (or a unique prefix)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="output format (default: from the --out file's extension)")
    p.add_argument("--out", type=Path, required=True, metavar="PATH",
                   help="the file to write (for csv: a folder)")
    edition = p.add_mutually_exclusive_group()
    edition.add_argument("--public", action="store_true",
                         help="the public edition: what the room may see (public figures; "
                              "no notes, no seed, no team's own figures; covert moves only "
                              "once the exercise has ended)")
    edition.add_argument("--team", metavar="ID", default=None,
                         help="a team's edition: what that team may see (its own orders and "
                              "figures, the public ones, other teams' orders once revealed)")
    p.add_argument("--pin", metavar="PIN", default=None,
                   help="the PIN of the edition's reader when it has one: the facilitator's "
                        "(the default edition) or the team's (--team); without it you are "
                        "asked, and the PIN is not shown")
    _add_db(p)
    p.set_defaults(func=report_command, report_analysis=None)


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = args.out.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise UserError(f"{args.out}: say which format with --format {'|'.join(FORMATS)} "
                    "(the file name does not end in one)")


def report_command(args: argparse.Namespace) -> int:
    from wargame.report.gather import ReportError, exercise_report, open_for_report
    from wargame.session.errors import ExerciseError
    from wargame.session.pin_guard import FACILITATOR_DOOR
    from wargame.session.visibility import Viewer
    from wargame.store.store import StoreError

    fmt = _format_of(args)
    if args.public:
        viewer = Viewer.public()
    elif args.team is not None:
        viewer = Viewer.of_team(args.team)
    else:
        viewer = Viewer.facilitator()
    with _open(args) as store:
        try:
            ex = open_for_report(store, args.session)
            if args.team is not None and args.team not in ex.team_order:
                raise UserError(f"session {ex.id} has no team {args.team!r} (its teams: "
                                f"{', '.join(ex.team_order)})")
            door = FACILITATOR_DOOR if viewer.is_facilitator else viewer.team
            key = door_key(args, ex, door, required=True) if door else None
            sections = args.report_analysis(args, ex, viewer) if args.report_analysis else ()
            report = exercise_report(ex, viewer, key=key, analysis=sections)
        except (StoreError, ReportError, ExerciseError) as exc:
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
    edition = f"team {viewer.team}" if viewer.team else viewer.kind
    print(f"session {report.facts.session_id}: {edition} report written to {where}")
    return 0
