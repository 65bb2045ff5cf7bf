"""What the start screen needs from disk, read off the UI thread: the scenario files (parsed
and validated) and the saved sessions.

The window paints its start screen first and shows "Loading scenarios…"; this job runs on
the global ``QThreadPool`` and hands its :class:`StartData` back through a queued signal.
Loaded scenarios are kept in a :class:`ScenarioCache` keyed by the file's content hash, so
"Set up exercise…" opens its dialog at once instead of parsing the file again.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from wargame.ui.session_rows import SessionRow

log = logging.getLogger("wargame.ui")

# a scenario file bigger than this is refused before it is read (the loader has its own
# bounds too): 155 KiB today, so 16 MiB leaves room without reading a runaway file
MAX_SCENARIO_BYTES = 16 * 1024 * 1024


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes (bounded): the cache key of a loaded scenario."""
    path = Path(path)
    if path.stat().st_size > MAX_SCENARIO_BYTES:
        raise ValueError(f"{path}: the file is larger than {MAX_SCENARIO_BYTES // 2**20} MiB")
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ScenarioCache:
    """Scenarios already parsed and validated, keyed by resolved path and content hash: a
    file edited since it was loaded is loaded again, an unchanged one is not."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[str, Any]] = {}

    def put(self, path: str | Path, digest: str, scenario: Any) -> None:
        self._entries[Path(path).resolve()] = (digest, scenario)

    def get(self, path: str | Path) -> Any | None:
        """The cached scenario of ``path`` if the file has not changed, else None."""
        key = Path(path).resolve()
        entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            digest = file_digest(key)
        except (OSError, ValueError):
            return None
        return entry[1] if entry[0] == digest else None

    def load(self, path: str | Path) -> Any:
        """The scenario of ``path``: from the cache when unchanged, else parsed now."""
        cached = self.get(path)
        if cached is not None:
            return cached
        from wargame.scenario.loader import load_scenario

        digest = file_digest(path)
        scenario = load_scenario(path)
        self.put(path, digest, scenario)
        return scenario


@dataclass
class LoadedScenario:
    path: Path
    digest: str | None
    scenario: Any | None  # the validated Scenario, or None when the file has problems
    error: str | None = None


@dataclass
class StartData:
    """Everything the start screen shows, read in one background job."""

    scenarios: list[LoadedScenario] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    sessions_error: str | None = None


def read_start_data(extra_scenario: str | None, db_path: Path) -> StartData:
    """Scenario files of the shipped folder (plus ``extra_scenario`` first when it is not
    one of them) and the saved sessions of ``db_path``. Never raises: a problem is
    reported on the entry it concerns."""
    from wargame.resources import shipped_scenarios_dir
    from wargame.scenario.loader import find_scenarios, load_scenario

    data = StartData()
    paths: list[Path] = []
    try:
        directory = shipped_scenarios_dir()
        paths = list(find_scenarios(directory)) if directory.exists() else []
    except Exception as exc:  # noqa: BLE001 - shown, not fatal
        log.warning("cannot list scenarios: %s", exc)
    if extra_scenario and Path(extra_scenario).resolve() not in [p.resolve() for p in paths]:
        paths.insert(0, Path(extra_scenario))
    for path in paths:
        try:
            digest = file_digest(path)
            data.scenarios.append(LoadedScenario(Path(path), digest, load_scenario(path)))
        except Exception as exc:  # noqa: BLE001 - listed with its problems
            data.scenarios.append(LoadedScenario(Path(path), None, None, str(exc)))
    from wargame.ui.session_rows import list_sessions

    try:
        data.sessions = list_sessions(db_path)
    except Exception as exc:  # noqa: BLE001
        data.sessions_error = str(exc)
    return data


class _Signals(QObject):
    done = Signal(object)


class StartDataJob(QRunnable):
    """Runs :func:`read_start_data` on a pool thread; ``signals.done(StartData)`` comes back
    on the thread of whoever connected to it (the UI thread)."""

    def __init__(self, extra_scenario: str | None, db_path: Path) -> None:
        super().__init__()
        self.extra_scenario, self.db_path = extra_scenario, db_path
        self.signals = _Signals()

    def run(self) -> None:  # noqa: D401 - Qt's name
        try:
            data = read_start_data(self.extra_scenario, self.db_path)
        except Exception as exc:  # noqa: BLE001 - never lose the start screen
            log.exception("reading the start screen's data failed")
            data = StartData(sessions_error=str(exc))
        self.signals.done.emit(data)
