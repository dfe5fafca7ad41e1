"""The worker layer: exchange calls run on a thread pool, results come back to the UI thread.

The UI thread never waits on the network. A screen hands the :class:`Dispatcher` a function
of the client (``lambda client: client.info()``) and two callbacks; the dispatcher runs the
function on its own ``QThreadPool`` and calls back on the UI thread.

Rules it keeps:

- Calls on one client go one at a time, so signed requests leave with nonces in order.
- A person's actions jump ahead of background refreshes waiting in the queue.
- A refresh already waiting under the same key is not queued twice (coalesced).
- Results for a client that is no longer current (the person switched accounts) are dropped.

Calls run as :class:`~cryptex_desktop.ui.pool_job.PoolJob` objects reporting through the
dispatcher's one long-lived :class:`~cryptex_desktop.ui.pool_job.JobSignals` (that module says
why).
"""

from __future__ import annotations

import enum
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.pool_job import JobSignals, PoolJob

log = logging.getLogger(__name__)

#: What a call gives back: whatever its function of the client returns.
T = TypeVar("T")

#: A function of the client, run on a pool thread: ``lambda client: client.info()``.
ClientCall = Callable[[CryptexClient], T]
#: Called on the UI thread with what the call returned.
ResultCallback = Callable[[T], None]
#: Called on the UI thread with what the call raised.
ErrorCallback = Callable[[BaseException], None]


class NotConnected(CryptexError):
    """A call was asked for before the app had connected to an exchange."""

    def __init__(self) -> None:
        super().__init__(_("The app is still connecting to the exchange. Try again in a moment."))


class Priority(enum.IntEnum):
    """What runs first when several calls wait: lower values first."""

    ACTION = 0  # something a person asked for just now
    REFRESH = 1  # keeping a view up to date


@dataclass
class _Job:
    # A job's result type is known where it is submitted, not in the queue: Any here.
    request_id: int
    call: ClientCall[Any]
    priority: Priority
    key: str | None
    epoch: int
    on_result: list[ResultCallback[Any]] = field(default_factory=list)
    on_error: list[ErrorCallback] = field(default_factory=list)
    submitted: float = field(default_factory=time.monotonic)


class Dispatcher(QObject):
    """Runs exchange calls off the UI thread, one at a time per client, actions first."""

    #: Calls waiting or running changed; the argument is how many.
    busyChanged = Signal(int)
    #: A call succeeded (request id); for "last successful update".
    succeeded = Signal(int)
    #: A call failed (request id, error). Failed actions are told by their screens.
    failed = Signal(int, object)
    #: A background refresh failed (error); for the status bar's last problem.
    refreshFailed = Signal(object)
    #: The client was replaced (another account); views should clear and refresh.
    clientChanged = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._signals = JobSignals(self)
        self._signals.finished.connect(self._on_finished)
        self._ids = itertools.count(1)
        self._client: CryptexClient | None = None
        self._epoch = 0
        self._queue: list[_Job] = []
        # The running call per client generation: a call still running for a client just
        # replaced must not hold up the new client's calls.
        self._running: dict[int, _Job] = {}

    # -- the client -------------------------------------------------------------------------

    @property
    def client(self) -> CryptexClient | None:
        """The client calls run against (None until an account is set up)."""
        return self._client

    def set_client(self, client: CryptexClient | None) -> None:
        """Use ``client`` from now on; waiting calls for the old one are dropped."""
        self._client = client
        self._epoch += 1
        self._queue.clear()
        self._emit_busy()
        self.clientChanged.emit()

    # -- submitting -------------------------------------------------------------------------

    def submit(
        self,
        call: ClientCall[T],
        *,
        on_result: ResultCallback[T] | None = None,
        on_error: ErrorCallback | None = None,
        priority: Priority = Priority.ACTION,
        key: str | None = None,
    ) -> int:
        """Queue ``call(client)``; its callbacks run later on the UI thread.

        With a ``key``, a call already waiting under that key absorbs this one (its callbacks
        are added); the returned id is then the waiting call's.
        """
        if key is not None:
            for waiting in self._queue:
                if waiting.key == key:
                    waiting.priority = min(waiting.priority, priority)
                    _add_callbacks(waiting, on_result, on_error)
                    self._queue.sort(key=_order)
                    return waiting.request_id
        job = _Job(next(self._ids), call, priority, key, self._epoch)
        _add_callbacks(job, on_result, on_error)
        self._queue.append(job)
        self._queue.sort(key=_order)
        self._emit_busy()
        self._start_next()
        return job.request_id

    @property
    def pending(self) -> int:
        """Calls waiting or running."""
        return len(self._queue) + (1 if self._epoch in self._running else 0)

    def is_waiting(self, key: str) -> bool:
        """Whether a call under ``key`` is queued or running."""
        running = self._running.get(self._epoch)
        return any(job.key == key for job in self._queue) or (
            running is not None and running.key == key
        )

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Drop waiting calls and wait (bounded) for the running one to end."""
        self._queue.clear()
        self._epoch += 1
        self._pool.waitForDone(timeout_ms)

    # -- running ----------------------------------------------------------------------------

    def _start_next(self) -> None:
        if self._epoch in self._running or not self._queue:
            return
        job = self._queue.pop(0)
        client = self._client
        if client is None:
            self._deliver_error(job, NotConnected())
            self._start_next()
            return
        self._running[job.epoch] = job
        call = job.call
        self._pool.start(PoolJob(job.request_id, lambda: call(client), self._signals))

    @Slot(int, object, object)
    def _on_finished(self, request_id: int, result: Any, error: BaseException | None) -> None:
        job = next((j for j in self._running.values() if j.request_id == request_id), None)
        try:
            if job is None:
                return
            del self._running[job.epoch]
            if job.epoch != self._epoch:
                log.debug("dropping result %d for a client no longer in use", request_id)
                return
            if error is None:
                self.succeeded.emit(request_id)
                for callback in job.on_result:
                    _guard(callback, result)
            else:
                self._deliver_error(job, error)
        finally:
            self._emit_busy()
            self._start_next()

    def _deliver_error(self, job: _Job, error: BaseException) -> None:
        if not _is_expected(error):
            log.error("unexpected failure in a background call", exc_info=error)
        self.failed.emit(job.request_id, error)
        if job.priority == Priority.REFRESH:
            self.refreshFailed.emit(error)
        for callback in job.on_error:
            _guard(callback, error)

    def _emit_busy(self) -> None:
        self.busyChanged.emit(self.pending)


def _order(job: _Job) -> tuple[int, int]:
    return (int(job.priority), job.request_id)


def _add_callbacks(
    job: _Job, on_result: ResultCallback[Any] | None, on_error: ErrorCallback | None
) -> None:
    if on_result is not None:
        job.on_result.append(on_result)
    if on_error is not None:
        job.on_error.append(on_error)


def _is_expected(error: BaseException) -> bool:
    return isinstance(error, CryptexError)


def _guard(callback: Callable[[T], None], value: T) -> None:
    """A failing callback must not stop the queue; it is logged, never shown as a traceback."""
    try:
        callback(value)
    except Exception:
        log.exception("a result handler failed")
