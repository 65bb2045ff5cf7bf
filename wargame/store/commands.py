"""Sub-commands for saved sessions: ``sessions``, ``replay``, ``rewind``, ``fork``, ``export``
and ``import``. Every one takes ``--db FILE`` (default: the user data directory, see
``wargame.store.default_db_path``). User errors exit 2 with one line, never a traceback."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from wargame.errors import UserError, os_error_text, printable
from wargame.store.paths import default_db_path

if TYPE_CHECKING:  # imported when a command runs: building the parser stays light
    from wargame.store.store import SessionStore


def _user_error(message: str) -> Exception:
    return UserError(message)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", type=Path, default=None,
                        help=f"session database (default: {default_db_path()}, "
                             "or $WARGAME_DB when set)")


def _open(args: argparse.Namespace) -> "SessionStore":
    from wargame.store.store import SessionStore, StoreError

    try:
        return SessionStore(args.db)
    except StoreError as exc:
        raise _user_error(str(exc)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("sessions", help="list saved sessions",
                              description="List the sessions in the database: a header line, "
                              "then one line per session, most recently updated first.")
    _add_db(p)
    p.set_defaults(func=sessions_command)

    p = subparsers.add_parser("replay", help="replay a session from its event log",
                              description="Fold the session's event log from turn 1. With "
                              "--verify, check every stored snapshot hash: exit 0 when all "
                              "match, 1 naming the first turn that differs.")
    p.add_argument("session", help="session id (or a unique prefix)")
    p.add_argument("--verify", action="store_true", help="compare with the stored snapshots")
    _add_db(p)
    p.set_defaults(func=replay_command)

    p = subparsers.add_parser("rewind", help="rewind a session to the start of a turn",
                              description="Go back to the start of turn N. The later turns "
                              "are kept in an archived branch, never deleted.")
    p.add_argument("session")
    p.add_argument("--to-turn", type=int, required=True, metavar="N")
    p.add_argument("--reason", default="", help="why (kept with the archived branch)")
    _add_db(p)
    p.set_defaults(func=rewind_command)

    p = subparsers.add_parser("fork", help="start a new session from a turn of an old one",
                              description="Make a new session that starts where SESSION stood "
                              "at the start of turn N (same scenario, seed and teams).")
    p.add_argument("session")
    p.add_argument("--from-turn", type=int, required=True, metavar="N")
    _add_db(p)
    p.set_defaults(func=fork_command)

    p = subparsers.add_parser("export", help="write a session to a JSON file",
                              description="Write everything about a session (scenario, teams, "
                              "log, snapshots, archived branches) to one JSON file.")
    p.add_argument("session")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.json")
    _add_db(p)
    p.set_defaults(func=export_command)

    p = subparsers.add_parser("import", help="add a session from an exported JSON file",
                              description="Add an exported session; it gets a new id if its "
                              "id is already taken in this database.")
    p.add_argument("file", type=Path, metavar="FILE.json")
    _add_db(p)
    p.set_defaults(func=import_command)


HEADER = f"{'ID':<10} {'SCENARIO':<26} {'TURN':>4} {'STATUS':<7} {'UPDATED':<20} PHASE"


def format_session_line(record) -> str:
    updated = record.updated_at[:19].replace("T", " ")
    line = (f"{record.id:<10} {record.scenario_id:<26} {record.turn:>4} {record.status:<7} "
            f"{updated:<20} {record.phase}")
    if record.parent_session:
        line += f" (fork of {record.parent_session} at turn {record.parent_turn})"
    return line


def sessions_command(args: argparse.Namespace) -> int:
    from wargame.store.store import StoreError, default_db_path
    path = args.db if args.db is not None else default_db_path()
    if not Path(path).exists():
        print(HEADER)
        print(f"(no session database at {path} yet)", file=sys.stderr)
        return 0
    with _open(args) as store:
        try:
            lines = [printable(format_session_line(record))  # ids from an import
                     for record in store.list_sessions()]
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    print(HEADER)  # only once the file has been read: an error is then the only output
    for line in lines:
        print(line)
    return 0


def replay_command(args: argparse.Namespace) -> int:
    from wargame.store.store import StoreError
    from wargame.store.replay import replay_session

    with _open(args) as store:
        try:
            report = replay_session(store, args.session)
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    if not args.verify:
        print(f"session {report.session_id}: initial state {report.initial_actual[:12]}")
        for check in report.turns:
            print(f"turn {check.turn:>3}: {check.orders:>3} orders -> {check.actual[:12]}")
        return 0
    for check in report.turns:
        mark = "ok" if check.ok else "DIFFERS"
        print(f"turn {check.turn:>3}: {mark}")
    print(report.summary())
    return 0 if report.ok else 1


def rewind_command(args: argparse.Namespace) -> int:
    from wargame.store.store import StoreError
    with _open(args) as store:
        try:
            sid = store.resolve_id(args.session)
            branch = store.rewind(sid, args.to_turn, reason=args.reason)
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    print(f"session {sid}: rewound to the start of turn {args.to_turn}; turns "
          f"{branch.from_turn}..{branch.to_turn} kept as archived branch {branch.branch}")
    return 0


def fork_command(args: argparse.Namespace) -> int:
    from wargame.store.store import StoreError
    with _open(args) as store:
        try:
            sid = store.resolve_id(args.session)
            record = store.fork(sid, args.from_turn)
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    print(f"{record.id}: new session forked from {sid} at the start of turn {args.from_turn}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    from wargame.store.store import StoreError
    with _open(args) as store:
        try:
            sid = store.resolve_id(args.session)
            data = store.export_session(sid)
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    out: Path = args.out
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".json", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        raise _user_error(f"{out}: cannot write ({os_error_text(exc)})") from None
    print(f"session {sid} exported to {out}")
    return 0


def import_command(args: argparse.Namespace) -> int:
    """The file is read with bounded size and nesting (``wargame.bounded_files``); what it
    holds is checked by the store. A problem of the file names the file; a problem of the
    database names the database."""
    from wargame.bounded_files import read_json_bounded
    from wargame.limits import MAX_IMPORT_BYTES
    from wargame.store.store import ImportFileError, StoreError

    data = read_json_bounded(args.file, MAX_IMPORT_BYTES, "session export")
    with _open(args) as store:
        try:
            record = store.import_session(data)
        except ImportFileError as exc:
            raise _user_error(f"{args.file}: {exc.problem}") from None
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    original = data.get("session", {}).get("id")
    note = "" if record.id == original else f" (id {original} was taken)"
    print(f"{record.id}: imported{note}")
    return 0
