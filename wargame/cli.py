"""The ``wargame`` command. Sub-commands live beside the code they drive; each package's
``commands`` module registers its own, so this file only assembles them and turns user
errors into one clear line and exit code 2 instead of a traceback."""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wargame.errors import UserError

__all__ = ["UserError", "build_parser", "main"]

COMMAND_MODULES = (
    "wargame.scenario.commands",
    "wargame.analysis.commands",
    "wargame.store.commands",
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="Crisis exercises about critical minerals: validate scenarios, run games "
        "headless, manage saved sessions, or open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=_version_line())
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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.screenshot:
            from wargame.ui.commands import screenshot_command

            return screenshot_command(args)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"wargame: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
