"""Errors shared across layers. Kept in a module of their own so that running
``python -m wargame.cli`` (where the CLI module is ``__main__``) still catches them."""


class UserError(Exception):
    """A problem the user can fix (bad file, unknown id): printed as one line, exit 2."""
