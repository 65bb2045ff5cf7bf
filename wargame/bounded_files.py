"""Reading a user-supplied file with bounded work: the first line of defence against
hostile files (``/dev/zero`` given as a path, a FIFO that never ends, a 200 MB file).

Only regular files are read, their size is checked before reading, and at most the limit
plus one byte is ever read (a file that grows while it is read is refused too). A refusal
is a ``FileRefused`` naming the file and what to do.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from wargame.errors import UserError
from wargame.limits import MAX_NESTING, MiB

__all__ = ["FileRefused", "read_text_bounded", "read_json_bounded", "json_depth_exceeds"]


class FileRefused(UserError):
    """A file that is not read (or not used): ``path: problem``."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


def _size_text(size: int) -> str:
    return f"{size / MiB:.1f} MiB" if size >= MiB else f"{size:,} bytes"


def read_bytes_bounded(path: str | os.PathLike, max_bytes: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is refused.

    ``what`` names the kind of file in messages ("scenario file", "orders file").
    """
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below)
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileRefused(name, f"no such {what}") from None
    except IsADirectoryError:
        raise FileRefused(name, f"is a directory, not {_a(what)}") from None
    except OSError as exc:
        raise FileRefused(name, f"cannot read the {what} ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused(name, f"is a directory, not {_a(what)}")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(name, f"is not a regular file (a device, pipe or socket); "
                                    f"save the {what} as an ordinary file and give its path")
        if info.st_size > max_bytes:
            raise FileRefused(name, f"is too large for {_a(what)} ({_size_text(info.st_size)}; "
                                    f"the limit is {_size_text(max_bytes)}); is it the "
                                    f"right file?")
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            raise FileRefused(name, f"grew beyond the {what} limit of "
                                    f"{_size_text(max_bytes)} while it was read")
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(name, f"cannot read the {what} ({exc.strerror})") from None
    finally:
        os.close(fd)


def read_text_bounded(path: str | os.PathLike, max_bytes: int, what: str) -> str:
    """``read_bytes_bounded`` decoded as UTF-8 (a BOM is dropped)."""
    data = read_bytes_bounded(path, max_bytes, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileRefused(str(path), f"line {line}: not UTF-8 text (byte "
                                     f"0x{data[exc.start]:02x}); save the {what} as UTF-8"
                          ) from None


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """True when lists/objects nest deeper than ``limit`` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows (numbers must be finite)")


def read_json_bounded(path: str | os.PathLike, max_bytes: int, what: str,
                      max_depth: int = MAX_NESTING) -> Any:
    """A JSON file read with bounded size and nesting; NaN and Infinity are refused."""
    text = read_text_bounded(path, max_bytes, what)
    name = str(path)
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        value = None
        deep = True
    except json.JSONDecodeError as exc:
        raise FileRefused(name, f"line {exc.lineno}, column {exc.colno}: not valid JSON "
                                f"({exc.msg}); is it the right file?") from None
    except ValueError as exc:
        raise FileRefused(name, f"not valid JSON: {exc}") from None
    else:
        deep = json_depth_exceeds(value, max_depth)
    if deep:
        raise FileRefused(name, f"nested more than {max_depth} levels deep: not {_a(what)} "
                                "this program wrote")
    return value


def is_regular_file(path: str | Path) -> bool:
    """A cheap pre-check for listings (``find_scenarios``): a regular file, no device."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
