"""Entry point of the desktop bundle (the script PyInstaller freezes as ``wargame``).

It is the ``wargame`` command, with one difference: started with no arguments (a
double-click, or the menu entry) it opens the desktop app instead of printing help.
Every other command line goes to :func:`wargame.cli.main` unchanged.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

DEFAULT_ARGS = ("app",)


def launch_args(argv: Sequence[str]) -> list[str]:
    """The arguments handed to ``wargame.cli.main``: ``argv``, or ``app`` when it is empty."""
    return list(argv) if argv else list(DEFAULT_ARGS)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the ``wargame`` command on ``argv`` (default ``sys.argv[1:]``); return its exit code."""
    import wargame.cli  # looked up at call time, so tests can replace wargame.cli.main

    return int(wargame.cli.main(launch_args(sys.argv[1:] if argv is None else argv)) or 0)


if __name__ == "__main__":
    sys.exit(run())
