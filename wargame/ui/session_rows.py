"""The saved sessions as the start screen lists them: typed rows read from the store's
``summaries()``, Qt-free so the start screen can import them without the controller."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SessionRow:
    """One saved session as the start screen lists it (texts made printable). ``damaged``:
    what is wrong with a session that cannot be opened (None: it is sound); ``teams``:
    (team id, "human" | "bot")."""

    id: str
    short_id: str
    name: str
    scenario: str
    turn: int | None
    phase: str
    status: str
    last_played: str  # 'YYYY-MM-DD HH:MM'
    created: str
    fork: str  # "fork of ... at turn N", or ""
    damaged: str | None
    teams: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        """Its name, or its short id when it has none."""
        return self.name or self.short_id or self.id[:8]


def list_sessions(db_path: str | Path) -> list[SessionRow]:
    """Saved sessions for the start screen, most recently played first, from the store's
    ``summaries()``; a damaged session is listed too (``damaged``: what is wrong), so one
    bad row never hides the others."""
    from wargame.store.store import SessionStore
    from wargame.store.text import printable

    path = Path(db_path)
    if not path.exists():
        return []
    store = SessionStore(path)
    try:
        return [SessionRow(
            id=s.id, short_id=printable(s.short_id), name=printable(s.name),
            scenario=printable(s.scenario_title or s.scenario_id), turn=s.turn,
            phase="damaged" if s.damaged else s.phase, status=s.status,
            last_played=s.last_played_at[:16].replace("T", " "),
            created=s.created_at[:16].replace("T", " "), fork=printable(s.fork_label),
            damaged=s.problem, teams=tuple((t.team, t.controller) for t in s.teams))
            for s in store.summaries()]
    finally:
        store.close()
