"""One call run on a ``QThreadPool`` thread, reporting back through one long-lived signals object.

Why one long-lived signals object: a ``QObject`` made per job on the UI thread and freed on a
pool thread loses results and crashes now and then under PySide6. A :class:`PoolJob` holds
only plain data and the owner's single :class:`JobSignals`; the owner (the dispatcher, the
journal's lane) matches the id to what it was waiting for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal


class JobSignals(QObject):
    """The one object pool threads report through: (job id, result, error)."""

    finished = Signal(int, object, object)


class PoolJob(QRunnable):
    """Runs ``call()`` on a pool thread and reports its result or error with ``job_id``."""

    def __init__(self, job_id: int, call: Callable[[], Any], signals: JobSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job_id = job_id
        self._call = call
        self._signals = signals

    def run(self) -> None:
        """Call, and report whatever came of it; nothing escapes the pool thread."""
        result: Any = None
        error: BaseException | None = None
        try:
            result = self._call()
        except BaseException as exc:
            error = exc
        self._signals.finished.emit(self._job_id, result, error)
