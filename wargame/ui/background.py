"""``BackgroundJob``: run a function on the global ``QThreadPool`` and hear back in the UI
thread (resolving a turn, "was it luck?" re-runs, branch comparisons, writing a report).

The job's signals live on a ``QObject`` made in the UI thread; connect them to slots of a
``QObject`` of the UI thread (a bound method of a widget or controller), so Qt queues every
call back to the UI thread. ``progress(done)`` is for functions that take an ``on_progress``
callable (``with_progress=True``); such a job can be cancelled (``cancel()``): the function
stops at its next progress report and the job emits ``cancelled`` instead of ``done``. A store given to the job gets this thread's sqlite
connection closed when the job ends (``SessionStore`` keeps one connection per thread).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger("wargame.ui")

# jobs whose window closed while they ran: kept so the pool never runs a deleted object
# (a few small objects per closed window, for the life of the app)
_ORPHANS: list["BackgroundJob"] = []


def keep_until_done(job: "BackgroundJob | None") -> None:
    """The owner of ``job`` goes away while it may still run: keep the job alive."""
    if job is not None:
        _ORPHANS.append(job)


class JobCancelled(Exception):
    """Raised inside a job's progress report once the job was cancelled."""


class JobSignals(QObject):
    done = Signal(object)
    cancelled = Signal()
    failed = Signal(str)
    # the session changed under the job (another window or program): the window reloads
    stale = Signal(str)
    progress = Signal(int)


class BackgroundJob(QRunnable):
    """Runs ``fn()`` (or ``fn(on_progress)`` with ``with_progress``) on a pool thread;
    reports through queued signals. Keep a reference until ``done`` or ``failed``."""

    def __init__(self, fn: Callable[..., Any], store: Any = None,
                 with_progress: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.store = store
        self.with_progress = with_progress
        self.signals = JobSignals()
        self._cancelled = False

    def cancel(self) -> None:
        """Stop at the next progress report (a job without progress runs to its end)."""
        self._cancelled = True

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled

    def _progress(self, done: int) -> None:
        if self._cancelled:
            raise JobCancelled
        self.signals.progress.emit(done)

    def run(self) -> None:  # noqa: D401 - Qt name
        from wargame.session.errors import SessionChanged

        try:
            if self._cancelled:
                raise JobCancelled
            result = self.fn(self._progress) if self.with_progress else self.fn()
        except JobCancelled:
            self.signals.cancelled.emit()
        except SessionChanged as exc:
            self.signals.stale.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the UI as a dialog
            log.exception("background job failed")
            from wargame.ui.dialogs import friendly_message

            self.signals.failed.emit(friendly_message(exc))
        else:
            if self._cancelled:  # cancelled after the last progress report: drop it
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)
        finally:
            if self.store is not None:
                try:
                    self.store.close()  # this thread's sqlite connection
                except Exception:  # noqa: BLE001
                    pass
