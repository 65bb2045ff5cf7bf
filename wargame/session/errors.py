"""What the session layer refuses, as typed errors (each an ``ExerciseError``, so a caller
that only wants a message catches that; the app catches the subclasses to do better: ask
for a PIN, show the wait, reload a stale window, confirm a double fire)."""
from __future__ import annotations


class ExerciseError(Exception):
    """An action that is not possible now (wrong phase, unknown team, bad PIN...)."""


class OrdersRejected(ExerciseError):
    """Some orders are not legal; ``problems`` maps the order's position to its problems."""

    def __init__(self, team: str, problems: dict[int, list[str]]):
        self.team = team
        self.problems = problems
        lines = [f"order {i + 1}: {'; '.join(msgs)}" for i, msgs in sorted(problems.items())]
        super().__init__(f"{team}: orders rejected: " + " | ".join(lines))


class PinRequired(ExerciseError):
    """The action needs a PIN (the facilitator's, or a team's) that was not given or is
    wrong. ``door`` is "facilitator" or the team id."""

    def __init__(self, door: str, message: str):
        self.door = door
        super().__init__(message)


class SessionChanged(ExerciseError):
    """This window's view is out of date: another window or program changed the session
    (or took it over). Nothing was saved; reload the session to go on."""


class ReadOnlySession(ExerciseError):
    """The session was opened read-only (another app holds it): nothing can be changed."""


class InjectAlreadyDue(ExerciseError):
    """The inject is already scheduled, drawn or fired this turn: firing it again would
    apply it twice. Fire again with ``force=True`` only after the facilitator confirms."""

    def __init__(self, inject_id: str, why: str):
        self.inject_id = inject_id
        super().__init__(f"inject {inject_id!r} {why}; firing it again would apply it twice "
                         f"(confirm to fire it anyway)")
