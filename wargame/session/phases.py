"""The one table of phases, commands and next phases: what may be done when, and by whom.

A turn goes::

    briefing -> orders -> adjudication -> debrief -> (next turn) briefing ... -> ended

``PHASE_TABLE[phase][command]`` is the phase a command leads to (the same phase for a
command that does not move the turn on). ``COMMANDS[command]`` says who may give it (a team
for its own orders and draft, else the facilitator, behind the facilitator PIN when one is
set) and whether it may be given while the exercise is paused (nothing moves the turn on
while paused). ``Exercise`` checks every command against these tables; the app enables its
actions from ``allowed_commands`` instead of comparing phase strings.

``next_turn`` leads to ``briefing`` of the next turn, or to ``ended`` after the last turn
(the one transition the table cannot know: the turn limit is the session's).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from wargame.session.errors import ExerciseError
from wargame.session.visibility import Viewer, ViewerKind


class Phase(StrEnum):
    BRIEFING = "briefing"
    ORDERS = "orders"
    ADJUDICATION = "adjudication"
    DEBRIEF = "debrief"
    ENDED = "ended"


BRIEFING, ORDERS, ADJUDICATION, DEBRIEF, ENDED = (
    Phase.BRIEFING, Phase.ORDERS, Phase.ADJUDICATION, Phase.DEBRIEF, Phase.ENDED)
PHASES = tuple(Phase)


class Command(StrEnum):
    """Everything a person can do to a session."""

    # teams
    SUBMIT_ORDERS = "submit_orders"
    SAVE_DRAFT = "save_draft"
    # the turn (facilitator)
    BEGIN_ORDERS = "begin_orders"
    SUBMIT_FACILITATOR_ORDERS = "submit_facilitator_orders"
    FIRE_INJECT = "fire_inject"
    RETRACT_INJECT = "retract_inject"
    CLOSE_ORDERS = "close_orders"  # resolve: the engine proposes a result
    OVERRIDE = "override"
    COMMIT = "commit"
    NEXT_TURN = "next_turn"
    END = "end"
    # at any time (facilitator)
    PAUSE = "pause"
    RESUME = "resume"
    ADD_NOTE = "add_note"
    EDIT_NOTE = "edit_note"
    DELETE_NOTE = "delete_note"
    REWIND = "rewind"
    FORK = "fork"
    EXPORT = "export"
    RENAME = "rename"
    RECORD_HOT_WASH = "record_hot_wash"  # the room's debrief, the report's improvement plan
    VIEW_SEALED_ORDERS = "view_sealed_orders"  # read every team's orders before the reveal


@dataclass(frozen=True)
class CommandRule:
    """Who may give a command and whether it may be given while paused."""

    by: ViewerKind  # "team" (its own orders and draft) or "facilitator"
    while_paused: bool
    describe: str  # what the command does, for menus, tooltips and refusals


COMMANDS: Mapping[Command, CommandRule] = MappingProxyType({
    Command.SUBMIT_ORDERS: CommandRule("team", True, "submit a team's orders"),
    Command.SAVE_DRAFT: CommandRule("team", True, "keep a team's unsubmitted draft"),
    Command.BEGIN_ORDERS: CommandRule("facilitator", False, "open the orders"),
    Command.SUBMIT_FACILITATOR_ORDERS: CommandRule("facilitator", True,
                                                   "give the white cell's orders"),
    Command.FIRE_INJECT: CommandRule("facilitator", True, "fire an inject"),
    Command.RETRACT_INJECT: CommandRule("facilitator", True, "retract a fired inject"),
    Command.CLOSE_ORDERS: CommandRule("facilitator", False,
                                      "close the orders and propose a result"),
    Command.OVERRIDE: CommandRule("facilitator", True, "override an order's outcome"),
    Command.COMMIT: CommandRule("facilitator", False, "commit the turn"),
    Command.NEXT_TURN: CommandRule("facilitator", False, "go on to the next turn"),
    Command.END: CommandRule("facilitator", True, "end the exercise"),
    Command.PAUSE: CommandRule("facilitator", False, "pause the exercise"),
    Command.RESUME: CommandRule("facilitator", True, "resume the exercise"),
    Command.ADD_NOTE: CommandRule("facilitator", True, "add a note"),
    Command.EDIT_NOTE: CommandRule("facilitator", True, "edit a note"),
    Command.DELETE_NOTE: CommandRule("facilitator", True, "delete a note"),
    Command.REWIND: CommandRule("facilitator", True, "rewind to an earlier turn"),
    Command.FORK: CommandRule("facilitator", True, "fork a new session from a turn"),
    Command.EXPORT: CommandRule("facilitator", True, "export the session"),
    Command.RENAME: CommandRule("facilitator", True, "rename the session"),
    Command.RECORD_HOT_WASH: CommandRule("facilitator", True, "record the hot wash"),
    Command.VIEW_SEALED_ORDERS: CommandRule("facilitator", True,
                                            "read the teams' orders before the reveal"),
})

# commands that do not change the session they are given to (a read-only window may give
# them: a fork is a new session, an export a file)
READS_ONLY = frozenset({Command.FORK, Command.EXPORT, Command.VIEW_SEALED_ORDERS})

# commands possible in every phase, leaving the phase as it is
_ANY_TIME = (Command.PAUSE, Command.RESUME, Command.ADD_NOTE, Command.EDIT_NOTE,
             Command.DELETE_NOTE, Command.REWIND, Command.FORK, Command.EXPORT,
             Command.RENAME, Command.RECORD_HOT_WASH, Command.VIEW_SEALED_ORDERS)


def _row(phase: Phase, moves: Mapping[Command, Phase]) -> Mapping[Command, Phase]:
    row = {command: phase for command in _ANY_TIME}
    row.update(moves)
    return MappingProxyType(row)


PHASE_TABLE: Mapping[Phase, Mapping[Command, Phase]] = MappingProxyType({
    BRIEFING: _row(BRIEFING, {
        Command.BEGIN_ORDERS: ORDERS,
        Command.SUBMIT_ORDERS: ORDERS,  # the first submission opens the orders
        Command.SAVE_DRAFT: BRIEFING,
        Command.SUBMIT_FACILITATOR_ORDERS: BRIEFING,
        Command.FIRE_INJECT: BRIEFING,
        Command.RETRACT_INJECT: BRIEFING,  # only before the orders open
        Command.CLOSE_ORDERS: ADJUDICATION,
        Command.END: ENDED,
    }),
    ORDERS: _row(ORDERS, {
        Command.SUBMIT_ORDERS: ORDERS,
        Command.SAVE_DRAFT: ORDERS,
        Command.SUBMIT_FACILITATOR_ORDERS: ORDERS,
        Command.FIRE_INJECT: ORDERS,
        Command.CLOSE_ORDERS: ADJUDICATION,
        Command.END: ENDED,
    }),
    ADJUDICATION: _row(ADJUDICATION, {
        Command.CLOSE_ORDERS: ADJUDICATION,  # propose again (after an override)
        Command.OVERRIDE: ADJUDICATION,
        Command.COMMIT: DEBRIEF,
        Command.END: ENDED,
    }),
    DEBRIEF: _row(DEBRIEF, {
        Command.NEXT_TURN: BRIEFING,  # or ENDED after the last turn
        Command.END: ENDED,
    }),
    ENDED: _row(ENDED, {}),
})


class CommandNotAllowed(ExerciseError):
    """A command given in a phase, state or by a viewer that may not give it. The message
    says why and what would make it possible."""

    def __init__(self, command: Command, message: str):
        self.command = command
        super().__init__(message)


def refusal(phase: Phase | str, paused: bool, viewer: Viewer, command: Command | str,
            ) -> str | None:
    """Why ``viewer`` may not give ``command`` now (None: it may). Phase first, then the
    pause, then who gives it."""
    phase, command = Phase(phase), Command(command)
    rule = COMMANDS[command]
    row = PHASE_TABLE[phase]
    if command not in row:
        where = [p.value for p, commands in PHASE_TABLE.items() if command in commands]
        return (f"cannot {rule.describe} in the {phase.value} phase (possible in: "
                f"{', '.join(where) or 'no phase'})")
    if command is Command.PAUSE and paused:
        return "the exercise is already paused"
    if command is Command.RESUME and not paused:
        return "the exercise is not paused"
    if paused and not rule.while_paused:
        return f"the exercise is paused: resume it first to {rule.describe}"
    if viewer.kind != rule.by:
        if rule.by == "facilitator":
            return f"only the facilitator may {rule.describe}"
        return f"only a team may {rule.describe}"
    return None


def allowed_commands(phase: Phase | str, paused: bool, viewer: Viewer) -> frozenset[Command]:
    """Every command ``viewer`` may give now: what the app enables."""
    return frozenset(command for command in PHASE_TABLE[Phase(phase)]
                     if refusal(phase, paused, viewer, command) is None)


def is_allowed(phase: Phase | str, paused: bool, viewer: Viewer, command: Command | str
               ) -> bool:
    return refusal(phase, paused, viewer, command) is None


def check_command(phase: Phase | str, paused: bool, viewer: Viewer, command: Command | str
                  ) -> None:
    """Raise ``CommandNotAllowed`` (saying why) unless ``viewer`` may give ``command``."""
    reason = refusal(phase, paused, viewer, command)
    if reason is not None:
        raise CommandNotAllowed(Command(command), reason)


def next_phase(phase: Phase | str, command: Command | str) -> Phase:
    """The phase ``command`` leads to from ``phase`` (``KeyError`` if not allowed there)."""
    return PHASE_TABLE[Phase(phase)][Command(command)]
