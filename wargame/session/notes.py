"""The facilitator's notes: written, edited and deleted as events (the log keeps every
version); the list shows each note's current text."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from wargame.session.events import LoggedEvent, Note, NoteDeleted, NoteEdited


@dataclass(frozen=True)
class NoteView:
    """A note as the list shows it: ``seq`` identifies it (for edit and delete)."""

    seq: int
    turn: int
    text: str
    phase: str | None
    written_at: str
    edited_at: str | None = None
    deleted: bool = False
    versions: int = 1  # how many texts it has had


def current_notes(events: Iterable[LoggedEvent]) -> list[NoteView]:
    """Fold note, note_edited and note_deleted events into the notes' current state."""
    notes: dict[int, NoteView] = {}
    for event in events:
        payload = event.payload
        if isinstance(payload, Note):
            notes[event.seq] = NoteView(event.seq, event.turn, payload.text,
                                        payload.phase.value if payload.phase else None,
                                        event.created_at)
        elif isinstance(payload, NoteEdited) and payload.note_seq in notes:
            note = notes[payload.note_seq]
            notes[payload.note_seq] = replace(note, text=payload.text,
                                              edited_at=event.created_at,
                                              versions=note.versions + 1)
        elif isinstance(payload, NoteDeleted) and payload.note_seq in notes:
            notes[payload.note_seq] = replace(notes[payload.note_seq], deleted=True)
    return list(notes.values())
