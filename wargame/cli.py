"""The ``wargame`` command. Sub-commands live beside the code they drive; each package's
``commands`` module registers its own (and keeps its top-level imports light, so each
command pays only for what it uses), so this file only assembles them and is the boundary
where every error becomes one clear line instead of a traceback:

* a problem the user can fix (``UserError``: a bad file, an unknown id): exit 2;
* input too large or too deeply nested for Python itself (``RecursionError``,
  ``MemoryError``): exit 2 as well;
* anything else is a bug: one line naming the log file, where the traceback is written
  (``wargame.logfile``), exit 3.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wargame.errors import UserError, printable

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 3

__all__ = ["UserError", "build_parser", "main"]

COMMAND_MODULES = (
    "wargame.scenario.commands",
    "wargame.analysis.commands",
    "wargame.analysis.scenario_lint",  # after the scenario commands: it extends validate
    "wargame.session.commands",
    "wargame.report.commands",
    "wargame.report_analysis",  # after the report command: it adds `report --luck`
    "wargame.report.briefing_command",  # scenario-doc
    "wargame.ui.commands",
)


def _version_line() -> str:
    """What a bug report needs: the package version and the engine model version (sessions
    recorded under another model version may replay differently)."""
    from wargame.resources import package_version

    try:
        from wargame.engine.version import ENGINE_MODEL_VERSION
    except ImportError:  # older engines kept no model version
        return f"wargame {package_version()}"
    return f"wargame {package_version()} (engine model {ENGINE_MODEL_VERSION})"


class _VersionAction(argparse.Action):
    """``--version``, worked out only when asked (it imports the engine's version module)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "print the version and exit"):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(_version_line())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="Crisis exercises about critical minerals: validate scenarios, run games "
        "headless, manage saved sessions, or open the desktop app.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--screenshot", metavar="DIR",
                        help="render the main views of a scripted two-turn game offscreen as PNGs")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that part of the product is not installed in this build
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.screenshot:
            from wargame.ui.commands import screenshot_command

            return screenshot_command(args)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"wargame: {printable(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except (RecursionError, MemoryError) as exc:
        where = _log(exc)
        print(f"wargame: the input is too large or too deeply nested to handle "
              f"({type(exc).__name__}){where}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # the boundary: never a traceback on the terminal
        where = _log(exc)
        first = printable(str(exc).splitlines()[0][:200] if str(exc) else "")
        print(f"wargame: unexpected error, a bug in wargame ({type(exc).__name__}: "
              f"{first}){where}", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def _log(exc: BaseException) -> str:
    from wargame.logfile import log_unexpected

    try:
        path = log_unexpected(exc, "the wargame command")
    except Exception:  # pragma: no cover - logging must never raise here
        path = None
    return f"; details in {path}" if path else ""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
