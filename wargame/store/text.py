"""Text that people type and other people read: session names, notes, reasons.

Names are shown in lists and terminals, so they are bounded and may not carry control
characters (a newline or an ANSI escape would rewrite the terminal) or bidirectional
overrides (U+202E turns "gnp.exe" into "exe.png" on screen). ``printable`` makes any stored
text safe to print, for rows written before these rules or by another program.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

from wargame.limits import BIDI_CONTROLS, MAX_NAME_CHARS, MAX_TEXT_CHARS

MAX_NAME_LENGTH = MAX_NAME_CHARS
MAX_TEXT_LENGTH = MAX_TEXT_CHARS  # a note, a reason, a free-text inject


def bad_character(text: str, *, allow_newlines: bool = False) -> str | None:
    """A description of the first character not allowed in ``text``, or None."""
    for index, char in enumerate(text):
        if allow_newlines and char in "\n\t":
            continue
        if char in BIDI_CONTROLS:
            return f"a bidirectional override (U+{ord(char):04X}) at position {index + 1}"
        if unicodedata.category(char) in ("Cc", "Cs") or char in "\u2028\u2029":
            return f"a control character (U+{ord(char):04X}) at position {index + 1}"
    return None


def _checked(text: object, what: str, max_length: int, allow_newlines: bool) -> str:
    if not isinstance(text, str):
        raise ValueError(f"{what} must be text")
    text = text.strip()
    if not text:
        raise ValueError(f"{what} may not be empty")
    if len(text) > max_length:
        raise ValueError(f"{what} may have at most {max_length} characters "
                         f"(this one has {len(text)})")
    problem = bad_character(text, allow_newlines=allow_newlines)
    if problem:
        raise ValueError(f"{what} may not contain {problem}")
    return text


def clean_name(text: object, what: str = "a name", *, max_length: int = MAX_NAME_LENGTH
               ) -> str:
    """``text`` stripped, checked: non-empty, at most ``max_length`` characters, no control
    or bidi-override characters. Raises ``ValueError`` saying what is wrong."""
    return _checked(text, what, max_length, allow_newlines=False)


def clean_text(text: object, what: str = "the text", *, max_length: int = MAX_TEXT_LENGTH
               ) -> str:
    """Like ``clean_name`` for longer text: newlines and tabs are allowed."""
    return _checked(text, what, max_length, allow_newlines=True)


def printable(text: object) -> str:
    """``text`` with every control or bidi character shown as an escape (``\\x1b``,
    ``\\u202e``): safe to print in a terminal or a list, whatever the database holds."""
    out = []
    for char in str(text):
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs") \
                or char in "\u2028\u2029":
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def default_session_name(title: str, when: datetime | None = None) -> str:
    """A session's name when none is given: the scenario's title and the local date and
    time it was created (``Rare-earth shock 2025, 2026-03-01 14:05``)."""
    when = (when or datetime.now(timezone.utc)).astimezone()
    stamp = when.strftime("%Y-%m-%d %H:%M")
    title = " ".join(printable(title).split())[:MAX_NAME_LENGTH - len(stamp) - 2]
    return f"{title or 'Session'}, {stamp}"
