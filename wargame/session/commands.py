"""Sub-commands for saved sessions: ``sessions``, ``replay``, ``rewind``, ``fork``, ``export``
and ``import``. Every one takes ``--db FILE`` (default: the user data directory, see
``wargame.store.default_db_path``). User errors exit 2 with one line, never a traceback.

Facilitator actions (rewind, fork, an export with the open turn's sealed orders) ask for
the facilitator PIN when the session has one: ``--pin`` or a prompt that does not echo.
A session open in an app (it holds the session's lock) is not rewound behind its back.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.errors import UserError, os_error_text
from wargame.store.paths import default_db_path

if TYPE_CHECKING:  # imported when a command runs: building the parser stays light
    from wargame.session.exercise import Exercise
    from wargame.store.store import SessionStore

CLI_OWNER = "wargame command line"


def _user_error(message: str) -> Exception:
    return UserError(message)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", type=Path, default=None,
                        help=f"session database (default: {default_db_path()}, "
                             "or $WARGAME_DB when set)")


def _add_pin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pin", metavar="PIN", default=None,
                        help="the facilitator PIN, when the session has one (without it you "
                             "are asked, and the PIN is not shown; a PIN given here can be "
                             "seen by other users of this computer)")


def _open(args: argparse.Namespace) -> "SessionStore":
    from wargame.store.store import SessionStore, StoreError

    try:
        return SessionStore(args.db)
    except StoreError as exc:
        raise _user_error(str(exc)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("sessions", help="list saved sessions",
                              description="List the sessions in the database: a header line, "
                              "then one line per session, most recently played first. A "
                              "damaged session is listed as damaged; the others still list.")
    _add_db(p)
    p.set_defaults(func=sessions_command)

    p = subparsers.add_parser("replay", help="replay a session from its event log",
                              description="Fold the session's event log from turn 1. With "
                              "--verify, check every snapshot: its content against its stored "
                              "hash, the log's replay against it, and that each turn was "
                              "committed once: exit 0 when all pass, 1 naming the first turn "
                              "and the check that failed.")
    p.add_argument("session", help="session id (or a unique prefix)")
    p.add_argument("--verify", action="store_true", help="check every stored snapshot")
    _add_db(p)
    p.set_defaults(func=replay_command)

    p = subparsers.add_parser("rewind", help="rewind a session to the start of a turn",
                              description="Go back to the start of turn N, for a reason. The "
                              "later turns are kept in an archived branch, never deleted; the "
                              "rewind is logged in the notes.")
    p.add_argument("session")
    p.add_argument("--to-turn", type=int, required=True, metavar="N")
    p.add_argument("--reason", required=True, help="why (logged in the notes)")
    _add_pin(p)
    _add_db(p)
    p.set_defaults(func=rewind_command)

    p = subparsers.add_parser("fork", help="start a new session from a turn of an old one",
                              description="Make a new session that starts where SESSION stood "
                              "at the start of turn N (same scenario, seed, teams and PINs).")
    p.add_argument("session")
    p.add_argument("--from-turn", type=int, required=True, metavar="N")
    p.add_argument("--name", default=None, help="the new session's name")
    _add_pin(p)
    _add_db(p)
    p.set_defaults(func=fork_command)

    p = subparsers.add_parser("export", help="write a session to a JSON file",
                              description="Write everything about a session (scenario, teams, "
                              "log, snapshots, archived branches) to one JSON file. With a "
                              "facilitator PIN set and not given, the open turn's sealed "
                              "orders are left out (the file says so).")
    p.add_argument("session")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.json")
    p.add_argument("--drafts", action="store_true",
                   help="include the teams' unsubmitted drafts (needs the facilitator PIN "
                        "when one is set)")
    _add_pin(p)
    _add_db(p)
    p.set_defaults(func=export_command)

    p = subparsers.add_parser("import", help="add a session from an exported JSON file",
                              description="Check an exported session through and through "
                              "(format, scenario and its hash, every event, a replay against "
                              "every snapshot) and add it, all or nothing; it gets a new id "
                              "if its id is already taken in this database.")
    p.add_argument("file", type=Path, metavar="FILE.json")
    _add_db(p)
    p.set_defaults(func=import_command)


HEADER = (f"{'ID':<9} {'SCENARIO':<24} {'TURN':>4} {'STATUS':<7} {'PLAYED':<16} "
          f"{'CREATED':<16} {'PHASE':<12} NAME")


def _when(stamp: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, TypeError):
        return "?"


def format_session_line(summary: Any) -> str:
    """One ``SessionSummary`` as a line of ``wargame sessions`` (every text escaped)."""
    from wargame.store.text import printable

    turn = "?" if summary.turn is None else str(summary.turn)
    line = (f"{printable(summary.short_id):<9} {printable(summary.scenario_id)[:24]:<24} "
            f"{turn:>4} {printable(summary.status):<7} {_when(summary.last_played_at):<16} "
            f"{_when(summary.created_at):<16} {printable(summary.phase):<12} "
            f"{printable(summary.name)}")
    if summary.damaged:
        return line + f" DAMAGED: {printable(summary.problem)}"
    if summary.parent_session:
        line += f" ({printable(summary.fork_label)})"
    return line


def sessions_command(args: argparse.Namespace) -> int:
    from wargame.store.store import StoreError

    path = args.db if args.db is not None else default_db_path()
    if not Path(path).exists():
        print(HEADER)
        print(f"(no session database at {path} yet)", file=sys.stderr)
        return 0
    with _open(args) as store:
        try:
            lines = [format_session_line(summary) for summary in store.summaries()]
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    print(HEADER)  # only once the file has been read: an error is then the only output
    for line in lines:
        print(line)
    return 0


def replay_command(args: argparse.Namespace) -> int:
    from wargame.session.errors import ExerciseError
    from wargame.session.replay import CHECKS, replay_session
    from wargame.store.store import StoreError

    with _open(args) as store:
        try:
            report = replay_session(store, args.session)
        except (StoreError, ExerciseError) as exc:
            raise _user_error(str(exc)) from None
    if report.note:
        print(f"note: {report.note}")
    if not args.verify:
        print(f"session {report.session_id}: initial state {report.initial_actual[:12]}")
        for check in report.turns:
            print(f"turn {check.turn:>3}: {check.orders:>3} orders -> {check.replayed[:12]}")
        return 0
    for check in report.turns:
        mark = "ok" if check.ok else "DIFFERS (" + "; ".join(
            f"check '{CHECKS[name]}' failed" for name in check.failed) + ")"
        print(f"turn {check.turn:>3}: {mark}")
    for line in report.problems()[1:]:
        print(line)
    print(report.summary())
    return 0 if report.ok else 1


def _facilitator_key(args: argparse.Namespace, ex: "Exercise", *, required: bool):
    """The facilitator key for a command (see ``door_key``)."""
    from wargame.session.pin_guard import FACILITATOR_DOOR

    return door_key(args, ex, FACILITATOR_DOOR, required=required)


def door_key(args: argparse.Namespace, ex: "Exercise", door: str, *, required: bool):
    """The key of ``door`` (the facilitator, or a team id) for a command: None when that
    door has no PIN; from ``--pin`` or a prompt (not echoed, three tries, growing waits
    after wrong ones). Without a terminal and without ``--pin``: refused when ``required``,
    else None (the caller redacts)."""
    import getpass

    from wargame.session.errors import PinRequired
    from wargame.session.pin_guard import FACILITATOR_DOOR, PinWait

    if not ex.needs_pin(door):
        return None
    who = "facilitator" if door == FACILITATOR_DOOR else f"team {door}"
    if args.pin is not None:
        try:
            return ex.unlock(door, args.pin)
        except (PinRequired, PinWait) as exc:
            raise _user_error(f"session {ex.id}: {exc}") from None
    if not sys.stdin.isatty():
        if required:
            raise _user_error(f"session {ex.id} has a {who} PIN: give it with --pin "
                              f"or run the command in a terminal to be asked for it")
        return None
    for _ in range(3):
        try:
            return ex.unlock(door, getpass.getpass(f"{who.capitalize()} PIN: "))
        except PinRequired as exc:
            print(f"wargame: {exc}", file=sys.stderr)
        except PinWait as exc:
            raise _user_error(str(exc)) from None
    if required:
        raise _user_error(f"session {ex.id}: wrong {who} PIN")
    return None


def _exercise(store: "SessionStore", session_id: str, *, write: bool) -> "Exercise":
    """The session, opened as the command line: holding its lock when it will change it
    (refused, naming the holder, while an app has it open)."""
    from wargame.session.errors import ExerciseError
    from wargame.session.exercise import Exercise
    from wargame.session.lock import LockHeld
    from wargame.store.store import StoreError

    try:
        return Exercise.open(store, session_id, owner=CLI_OWNER if write else None,
                             read_only=not write, explain=False)
    except LockHeld as exc:
        raise _user_error(f"{exc.problem}; close it there first (or, if that app crashed, "
                          f"open the session in the app and take it over)") from None
    except (StoreError, ExerciseError) as exc:
        raise _user_error(str(exc)) from None


def rewind_command(args: argparse.Namespace) -> int:
    from wargame.session.errors import ExerciseError
    from wargame.store.store import StoreError

    with _open(args) as store:
        ex = _exercise(store, args.session, write=True)
        try:
            key = _facilitator_key(args, ex, required=True)
            branch = ex.rewind(args.to_turn, args.reason, key)
        except (StoreError, ExerciseError) as exc:
            raise _user_error(f"session {ex.id}: {exc}") from None
        finally:
            ex.close()
    print(f"session {ex.id}: rewound to the start of turn {args.to_turn}; turns "
          f"{branch.from_turn}..{branch.to_turn} ({branch.events} events, snapshots of turns "
          f"{', '.join(map(str, branch.snapshot_turns)) or 'none'}) kept as archived branch "
          f"{branch.branch}; the reason is in the notes")
    return 0


def fork_command(args: argparse.Namespace) -> int:
    from wargame.session.errors import ExerciseError
    from wargame.store.store import StoreError

    with _open(args) as store:
        ex = _exercise(store, args.session, write=False)
        try:
            key = _facilitator_key(args, ex, required=True)
            fork = ex.fork(args.from_turn, key, name=args.name)
            fork.close()
        except (StoreError, ExerciseError) as exc:
            raise _user_error(f"session {ex.id}: {exc}") from None
    print(f"{fork.id}: new session forked from {ex.id} at the start of turn "
          f"{args.from_turn} ({fork.name})")
    return 0


def _write_json(out: Path, data: dict) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".json", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"), allow_nan=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        raise _user_error(f"{out}: cannot write ({os_error_text(exc)})") from None


def export_command(args: argparse.Namespace) -> int:
    from wargame.session.errors import ExerciseError
    from wargame.session.transfer import export_session
    from wargame.store.store import StoreError

    with _open(args) as store:
        ex = _exercise(store, args.session, write=False)
        try:
            key = _facilitator_key(args, ex, required=args.drafts)
            result = export_session(store, ex.id, facilitator=key is not None,
                                    include_drafts=args.drafts)
        except (StoreError, ExerciseError) as exc:
            raise _user_error(str(exc)) from None
    _write_json(args.out, result.data)
    print(f"session {ex.id} exported to {args.out}")
    if result.redacted_events:
        print(f"note: {result.redacted_events} sealed event(s) of the open turn were left out "
              f"(give the facilitator PIN to include them)", file=sys.stderr)
    return 0


def import_command(args: argparse.Namespace) -> int:
    """The file is read with bounded size and nesting (``wargame.bounded_files``), then
    verified through and through (``wargame.session.transfer``) before anything is written.
    A problem of the file names the file; a problem of the database names the database."""
    from wargame.session.transfer import ImportRefused, import_file, read_export
    from wargame.store.store import ImportFileError, StoreError

    data = read_export(args.file)
    with _open(args) as store:
        try:
            record = import_file(store, data)
        except ImportRefused as exc:
            raise _user_error(f"{args.file}: {exc}") from None
        except ImportFileError as exc:
            raise _user_error(f"{args.file}: {exc.problem}") from None
        except StoreError as exc:
            raise _user_error(str(exc)) from None
    original = data.get("session", {}).get("id")
    note = "" if record.id == original else f" (id {original} was taken)"
    print(f"{record.id}: imported{note}")
    return 0
