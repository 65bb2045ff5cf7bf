"""Undoable edits of one team's draft orders.

A draft is the list of orders a team is preparing during its hot-seat turn. Every edit is a
``QUndoCommand`` pushed on the team's own ``QUndoStack`` so Ctrl+Z / Ctrl+Shift+Z work
inside the draft, and only inside it: one stack per team and turn, dropped at submit, so a
player can never undo another team's move (boardgame.io #345). Facilitator rewind is a
separate, logged store operation.

Draft entries are plain dicts ``{"move": id, "params": {...}}`` so these commands can be
tested on a bare ``QUndoStack`` without the engine.
"""
from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand


class DraftModel(QObject):
    """The ordered list of a team's draft orders; emits ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, team: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self._entries: list[dict[str, Any]] = []

    # read
    def entries(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return copy.deepcopy(self._entries[index])

    # raw edits (used by the commands only)
    def _insert(self, index: int, entry: dict[str, Any]) -> None:
        self._entries.insert(index, copy.deepcopy(entry))
        self.changed.emit()

    def _take(self, index: int) -> dict[str, Any]:
        entry = self._entries.pop(index)
        self.changed.emit()
        return entry

    def _replace(self, index: int, entry: dict[str, Any]) -> dict[str, Any]:
        old = self._entries[index]
        self._entries[index] = copy.deepcopy(entry)
        self.changed.emit()
        return old

    def _move(self, src: int, dst: int) -> None:
        entry = self._entries.pop(src)
        self._entries.insert(dst, entry)
        self.changed.emit()

    def clear(self) -> None:
        self._entries.clear()
        self.changed.emit()


def describe_entry(entry: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v}" for k, v in entry.get("params", {}).items())
    return f"{entry.get('move', '?')}({params})"


class AddOrderCommand(QUndoCommand):
    """Append (or insert) an order to the draft."""

    def __init__(self, draft: DraftModel, entry: dict[str, Any], index: int | None = None,
                 label: str | None = None) -> None:
        super().__init__(f"Add {label or describe_entry(entry)}")
        self._draft = draft
        self._entry = copy.deepcopy(entry)
        self._index = index

    def redo(self) -> None:
        index = len(self._draft) if self._index is None else self._index
        self._index = index
        self._draft._insert(index, self._entry)

    def undo(self) -> None:
        self._draft._take(self._index)


class RemoveOrderCommand(QUndoCommand):
    """Remove the order at ``index`` from the draft."""

    def __init__(self, draft: DraftModel, index: int, label: str | None = None) -> None:
        super().__init__(f"Remove {label or describe_entry(draft[index])}")
        self._draft = draft
        self._index = index
        self._entry: dict[str, Any] | None = None

    def redo(self) -> None:
        self._entry = self._draft._take(self._index)

    def undo(self) -> None:
        assert self._entry is not None
        self._draft._insert(self._index, self._entry)


class EditOrderCommand(QUndoCommand):
    """Replace the order at ``index`` with a changed copy (new parameters)."""

    def __init__(self, draft: DraftModel, index: int, entry: dict[str, Any],
                 label: str | None = None) -> None:
        super().__init__(f"Edit {label or describe_entry(entry)}")
        self._draft = draft
        self._index = index
        self._new = copy.deepcopy(entry)
        self._old: dict[str, Any] | None = None

    def redo(self) -> None:
        self._old = self._draft._replace(self._index, self._new)

    def undo(self) -> None:
        assert self._old is not None
        self._draft._replace(self._index, self._old)


class MoveOrderCommand(QUndoCommand):
    """Reorder the draft: move the order at ``src`` to ``dst``."""

    def __init__(self, draft: DraftModel, src: int, dst: int) -> None:
        super().__init__("Reorder orders")
        self._draft, self._src, self._dst = draft, src, dst

    def redo(self) -> None:
        self._draft._move(self._src, self._dst)

    def undo(self) -> None:
        self._draft._move(self._dst, self._src)


class ClearDraftCommand(QUndoCommand):
    """Remove every order from the draft in one undoable step."""

    def __init__(self, draft: DraftModel) -> None:
        super().__init__("Clear draft")
        self._draft = draft
        self._saved: list[dict[str, Any]] = []

    def redo(self) -> None:
        self._saved = self._draft.entries()
        self._draft.clear()

    def undo(self) -> None:
        for index, entry in enumerate(self._saved):
            self._draft._insert(index, entry)
