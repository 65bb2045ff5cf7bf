"""Undo/redo of a team's draft orders on a bare QUndoStack (no window, no engine)."""
import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QUndoStack  # noqa: E402

from wargame.ui.draft_commands import (  # noqa: E402
    AddOrderCommand,
    ClearDraftCommand,
    DraftModel,
    EditOrderCommand,
    MoveOrderCommand,
    RemoveOrderCommand,
)

FREEZE = {"move": "licence_freeze", "params": {"material": "ree", "level": "freeze"}}
STAKE = {"move": "equity_stake", "params": {"host": "australia", "share": 0.3}}
FLOOR = {"move": "price_floor", "params": {"floor": 110.0}}


@pytest.fixture
def stack(qapp):
    return QUndoStack()


def test_add_undo_redo(stack):
    draft = DraftModel("washington")
    stack.push(AddOrderCommand(draft, FREEZE))
    stack.push(AddOrderCommand(draft, STAKE))
    assert draft.entries() == [FREEZE, STAKE]
    stack.undo()
    assert draft.entries() == [FREEZE]
    stack.undo()
    assert draft.entries() == []
    assert not stack.canUndo()
    stack.redo()
    stack.redo()
    assert draft.entries() == [FREEZE, STAKE]


def test_remove_restores_position(stack):
    draft = DraftModel()
    for entry in (FREEZE, STAKE, FLOOR):
        stack.push(AddOrderCommand(draft, entry))
    stack.push(RemoveOrderCommand(draft, 1))
    assert draft.entries() == [FREEZE, FLOOR]
    stack.undo()
    assert draft.entries() == [FREEZE, STAKE, FLOOR]


def test_edit_and_reorder(stack):
    draft = DraftModel()
    stack.push(AddOrderCommand(draft, FREEZE))
    stack.push(AddOrderCommand(draft, FLOOR))
    changed = {"move": "price_floor", "params": {"floor": 150.0}}
    stack.push(EditOrderCommand(draft, 1, changed))
    assert draft[1] == changed
    stack.push(MoveOrderCommand(draft, 1, 0))
    assert draft.entries() == [changed, FREEZE]
    stack.undo()
    stack.undo()
    assert draft.entries() == [FREEZE, FLOOR]


def test_clear_is_one_step(stack):
    draft = DraftModel()
    stack.push(AddOrderCommand(draft, FREEZE))
    stack.push(AddOrderCommand(draft, STAKE))
    stack.push(ClearDraftCommand(draft))
    assert len(draft) == 0
    stack.undo()
    assert draft.entries() == [FREEZE, STAKE]


def test_new_edit_discards_redo_branch(stack):
    draft = DraftModel()
    stack.push(AddOrderCommand(draft, FREEZE))
    stack.undo()
    stack.push(AddOrderCommand(draft, STAKE))
    assert not stack.canRedo()
    assert draft.entries() == [STAKE]


def test_entries_are_copies(stack):
    draft = DraftModel()
    entry = {"move": "m", "params": {"x": 1}}
    stack.push(AddOrderCommand(draft, entry))
    entry["params"]["x"] = 99
    draft.entries()[0]["params"]["x"] = 42
    assert draft[0]["params"]["x"] == 1


def test_changed_signal(stack, qtbot):
    draft = DraftModel()
    with qtbot.waitSignal(draft.changed):
        stack.push(AddOrderCommand(draft, FREEZE))
    with qtbot.waitSignal(draft.changed):
        stack.undo()
