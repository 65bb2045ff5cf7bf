"""Errors shared across layers. Kept in a module of their own so that running
``python -m wargame.cli`` (where the CLI module is ``__main__``) still catches them."""


class UserError(Exception):
    """A problem the user can fix (bad file, unknown id): printed as one line, exit 2."""


def os_error_text(exc: OSError) -> str:
    """An operating-system error in plain words (the shell's file size limit, a full disk)."""
    import errno

    if exc.errno == errno.EFBIG:
        return ("file size limit reached (the shell's 'ulimit -f'); raise the limit or "
                "write somewhere else")
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters other than newline and tab
    (an ANSI escape in a hostile id, say) are shown escaped, never sent raw."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)
