"""The app's side of the journal: the open account's journal, and one lane its calls run on.

:class:`JournalKeeper` opens the connected account's :class:`~cryptex_desktop.journal.Journal`
when the :class:`~cryptex_desktop.ui.connection.Connection` connects (closing the one before),
and runs every journal call on a lane of its own: a ``QThreadPool`` of one thread, so calls
run one after another in the order asked, never on the UI thread and never in the queue of
signed exchange calls. Results come back to the UI thread through one long-lived signals
object (see :mod:`cryptex_desktop.ui.dispatcher` for why).

A money action's intent is the one exception: it must be on disk before the request leaves,
so :class:`MoneyJournalHooks` writes it on the Dispatcher's worker, just before sending (the
journal is thread-safe); the outcome goes back through the lane.

When a journal opens, intents begun and never completed (the app stopped while sending)
are checked with the exchange and completed, and the person is told what became of them.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.api.reconcile import Finding, check_withdraw
from cryptex_desktop.api.types import Transaction
from cryptex_desktop.i18n import _
from cryptex_desktop.journal import (
    CouponCreatedRecord,
    Journal,
    JournalClosedError,
    NewerJournalError,
    Outcome,
    WithdrawalRecord,
    journal_name,
)
from cryptex_desktop.ui.connection import Connection, Endpoint
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe_check_failure
from cryptex_desktop.ui.formatting import format_money
from cryptex_desktop.ui.money_action import ActionReport
from cryptex_desktop.ui.money_action import Outcome as ActionOutcome
from cryptex_desktop.ui.pool_job import JobSignals, PoolJob

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a money action waits (on its worker, never the UI thread) for the journal to open.
OPEN_WAIT_SECONDS = 10.0

_OUTCOMES = {
    ActionOutcome.DONE: Outcome.DONE,
    ActionOutcome.REFUSED: Outcome.REFUSED,
    ActionOutcome.UNKNOWN: Outcome.UNKNOWN,
}


def journal_outcome(outcome: ActionOutcome) -> Outcome:
    """A money action's outcome as the journal writes it."""
    return _OUTCOMES[outcome]


def open_problem_sentence(error: BaseException) -> str:
    """Why the account's journal could not be opened, in one sentence for the status bar."""
    if isinstance(error, NewerJournalError):
        return _(
            "Your activity list was saved by a newer version of Cryptex Desktop and this one "
            "cannot read it: install the newer version to see it (trading and sending still work)."
        )
    return _(
        "The app could not open its record of your activity, so new deposits, withdrawals and "
        "coupons are not being remembered: restart the app, and if this keeps happening, look "
        "in the log folder (Help > Open log folder)."
    )


class JournalWriteFailed(CryptexError):
    """The intent of a money action could not be written, so the request was not sent."""

    def __init__(self) -> None:
        super().__init__(_(
            "The app could not write this down on your computer before sending it, so it sent "
            "nothing. Check that the disk is not full, then try again."
        ))


@dataclass
class _Job:
    on_result: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    epoch: int
    writes: bool


@dataclass(frozen=True)
class _Opened:
    journal: Journal | None
    pending: list[WithdrawalRecord | CouponCreatedRecord]
    error: BaseException | None = None


class JournalKeeper(QObject):
    """The connected account's journal, and the single lane every journal call runs on.

    ``changed`` comes after each write and after a journal opens (views read again);
    ``problem(str)`` says in one sentence that the journal could not be opened;
    ``news(str)`` tells what start-up reconciliation is doing and what it found.
    """

    changed = Signal()
    problem = Signal(str)
    news = Signal(str)
    #: A journal was opened for the account just connected (it may be None if it failed).
    opened = Signal()

    def __init__(self, connection: Connection, dispatcher: Dispatcher, data_dir: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._data_dir = data_dir
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one lane: calls run in the order they were asked
        self._signals = JobSignals(self)
        self._signals.finished.connect(self._on_finished)
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._epoch = 0
        # Set on the lane, read by money actions' workers: guarded by this condition.
        self._ready = threading.Condition()
        self._journal: Journal | None = None
        self._journal_name = ""
        self._wanted_name = ""
        self._wanted_client: CryptexClient | None = None
        self._failed_name = ""
        self._closed = False
        #: The last sentence of news, for tests and the status bar.
        self.last_news = ""
        #: The last problem sentence ("" when none).
        self.last_problem = ""
        connection.connected.connect(self._on_connected)

    # -- the journal in use ------------------------------------------------------------------

    @property
    def account_name(self) -> str:
        """The name of the journal in use or being opened (``demo``, ``live-…``; "" if none)."""
        return self._wanted_name

    def journal_for_send(self, client: CryptexClient | None = None,
                         timeout: float = OPEN_WAIT_SECONDS) -> Journal | None:
        """The connected account's journal, waiting for it to open (call from a worker only).

        None when no account is connected, its journal could not be opened, or ``client``
        is not the connected account's (a request of an account just switched away from
        must not be written in the new one's journal).
        """
        with self._ready:
            if client is not None and client is not self._wanted_client:
                return None
            self._ready.wait_for(
                lambda: self._closed or self._journal_name == self._wanted_name
                or self._failed_name == self._wanted_name,
                timeout,
            )
            if self._wanted_name and self._journal_name == self._wanted_name:
                return self._journal
            return None

    @Slot(object)
    def _on_connected(self, endpoint: Endpoint) -> None:
        name = journal_name(endpoint.url, endpoint.credentials.username, endpoint.is_demo)
        if name == self._wanted_name and self._journal is not None:
            with self._ready:
                self._wanted_client = self._dispatcher.client
            self.opened.emit()  # the same account again: its journal stays open; views re-read
            return
        self._epoch += 1
        with self._ready:
            self._wanted_name = name
            self._wanted_client = self._dispatcher.client  # set just before ``connected``
            self._failed_name = ""  # a failure of an earlier attempt says nothing of this one
        data_dir = self._data_dir
        self.last_problem = ""

        def open_journal() -> _Opened:
            self._swap(None, "")
            try:
                journal = Journal.for_account(data_dir, endpoint.url,
                                              endpoint.credentials.username, endpoint.is_demo)
            except (NewerJournalError, sqlite3.Error, OSError) as error:
                with self._ready:
                    self._failed_name = name
                    self._ready.notify_all()
                return _Opened(None, [], error)
            self._swap(journal, name)
            try:
                pending = journal.pending_intents()
            except sqlite3.Error as error:
                return _Opened(journal, [], error)
            return _Opened(journal, pending)

        self._start(open_journal, self._on_opened, None, writes=False)

    def _swap(self, journal: Journal | None, name: str) -> None:
        """On the lane: close the journal in use and put ``journal`` in its place."""
        with self._ready:
            old, self._journal, self._journal_name = self._journal, journal, name
            self._ready.notify_all()
        if old is not None:
            old.close()

    def _on_opened(self, opened: _Opened) -> None:
        if opened.error is not None:
            log.warning("the journal could not be opened: %s", type(opened.error).__name__)
            self.last_problem = open_problem_sentence(opened.error)
            self.problem.emit(self.last_problem)
        self.opened.emit()
        self.changed.emit()
        if opened.journal is not None:
            for intent in opened.pending:
                self._reconcile(opened.journal, intent)

    # -- running calls on the lane -----------------------------------------------------------

    def record(self, fn: Callable[[Journal], object]) -> None:
        """Write something: ``fn(journal)`` runs on the lane; ``changed`` follows.

        When ``fn`` returns 0 or False (no new trade merged, a deposit seen unchanged),
        nothing changed and ``changed`` is not emitted.
        """
        self._submit(fn, None, None, writes=True)

    def record_on(self, journal: Journal, fn: Callable[[Journal], object]) -> None:
        """Write to one journal in particular (an outcome goes where its intent went)."""
        self._start(lambda: fn(journal), None, None, writes=True)

    def read(self, fn: Callable[[Journal], T], on_result: Callable[[T], None],
             on_error: Callable[[BaseException], None] | None = None) -> None:
        """Read something: ``fn(journal)`` on the lane, ``on_result`` later on the UI thread.

        Nothing comes back when no journal is open, or when the account changed meanwhile.
        """
        self._submit(fn, on_result, on_error, writes=False)

    def _submit(self, fn: Callable[[Journal], Any], on_result: Callable[[Any], None] | None,
                on_error: Callable[[BaseException], None] | None, *, writes: bool) -> None:
        def call() -> Any:
            journal = self._journal  # read on the lane, which alone replaces it
            return _NO_JOURNAL if journal is None else fn(journal)

        self._start(call, on_result, on_error, writes=writes)

    def _start(self, call: Callable[[], Any], on_result: Callable[[Any], None] | None,
               on_error: Callable[[BaseException], None] | None, *, writes: bool) -> None:
        if self._closed:
            return
        job_id = next(self._ids)
        self._jobs[job_id] = _Job(on_result, on_error, self._epoch, writes)
        self._pool.start(PoolJob(job_id, call, self._signals))

    @Slot(int, object, object)
    def _on_finished(self, job_id: int, result: Any, error: BaseException | None) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None or result is _NO_JOURNAL:
            return
        if error is not None:
            if isinstance(error, JournalClosedError):
                log.info("a journal call came after its journal was closed")
            else:
                log.warning("a journal call failed: %s", type(error).__name__,
                            exc_info=error if not isinstance(error, sqlite3.Error) else None)
            if job.on_error is not None and job.epoch == self._epoch:
                job.on_error(error)
            return
        if job.writes and result is not False and result != 0:  # 0, False: nothing new
            self.changed.emit()
        if job.on_result is not None and job.epoch == self._epoch:
            try:
                job.on_result(result)
            except Exception:
                log.warning("a journal result handler failed", exc_info=True)

    def close(self) -> None:
        """Let queued writes finish (bounded), then close the journal."""
        self._closed = True
        self._pool.waitForDone(10_000)
        with self._ready:
            journal, self._journal, self._journal_name = self._journal, None, ""
            self._ready.notify_all()
        if journal is not None:
            journal.close()

    # -- start-up reconciliation -------------------------------------------------------------

    def _reconcile(self, journal: Journal, intent: WithdrawalRecord | CouponCreatedRecord) -> None:
        """Ask the exchange what became of an intent begun before the app stopped."""
        money = format_money(intent.amount, intent.currency)
        if isinstance(intent, WithdrawalRecord):
            self._tell(_("Checking what became of a withdrawal sent before the app closed…"))

            def check(client: CryptexClient) -> Finding:
                return check_withdraw(client, intent.currency, intent.amount, intent.address)
        else:
            self._tell(_("Checking what became of a coupon made before the app closed…"))

            def check(client: CryptexClient) -> Finding:
                return coupon_finding_without_balances(client)

        self._dispatcher.submit(
            check,
            on_result=lambda finding: self._on_reconciled(journal, intent, money, finding),
            on_error=lambda error: self._on_reconcile_failed(intent, money, error),
            priority=Priority.ACTION,
        )

    def _on_reconciled(self, journal: Journal, intent: WithdrawalRecord | CouponCreatedRecord,
                       money: str, finding: Finding) -> None:
        if finding.happened:
            outcome = Outcome.DONE
        elif finding.happened is False:
            outcome = Outcome.REFUSED
        else:
            outcome = Outcome.UNKNOWN
        if isinstance(intent, WithdrawalRecord):
            found = finding.found
            txid = found.txid if isinstance(found, Transaction) and found.txid else None
            confirmations = found.confirmations if isinstance(found, Transaction) else None
            self.record_on(journal, lambda j: j.complete_withdrawal(
                intent.id, outcome, txid, confirmations))
            sentence = _(
                "A withdrawal of {money} was being sent when the app closed. {detail}"
            ).format(money=money, detail=finding.detail)
        else:
            self.record_on(journal, lambda j: j.complete_coupon(intent.id, outcome))
            sentence = _(
                "A coupon of {money} was being made when the app closed. {detail}"
            ).format(money=money, detail=finding.detail)
        self._tell(sentence)

    def _on_reconcile_failed(self, intent: WithdrawalRecord | CouponCreatedRecord, money: str,
                             error: BaseException) -> None:
        if isinstance(intent, WithdrawalRecord):
            sentence = _(
                "A withdrawal of {money} was being sent when the app closed, and the app could "
                "not find out what became of it ({reason}). It will ask again the next time it "
                "starts; until then, check your balance before trying again.")
        else:
            sentence = _(
                "A coupon of {money} was being sent when the app closed, and the app could not "
                "find out what became of it ({reason}). It will ask again the next time it "
                "starts; until then, check your balance before trying again.")
        self._tell(sentence.format(money=money,
                                   reason=describe_check_failure(error).rstrip(".")))

    def _tell(self, sentence: str) -> None:
        self.last_news = sentence
        self.news.emit(sentence)


_NO_JOURNAL = object()


def coupon_finding_without_balances(_client: CryptexClient) -> Finding:
    """What can be said of a coupon begun before the app stopped: not whether it was made.

    A coupon is found only by its balance change, and the balances from before it was sent
    died with the app; so the finding is "cannot tell", with what to look at.
    """
    return Finding(None, _(
        "The app cannot tell from the exchange whether it was made: look at your balance and "
        "the Activity tab before making it again."
    ))



class MoneyJournalHooks:
    """What a money action writes in the journal: its intent before sending, its outcome after.

    ``begin(journal, subject) -> id`` runs on the Dispatcher's worker, just before the
    request is sent, so the intent is on disk before anything leaves; ``complete(journal,
    id, report)`` runs on the lane once the outcome is known, on the same journal.
    """

    def __init__(self, keeper: JournalKeeper, begin: Callable[[Journal, Any], int],
                 complete: Callable[[Journal, int, ActionReport], object]) -> None:
        self._keeper = keeper
        self._begin = begin
        self._complete = complete

    def begin(self, subject: Any, client: CryptexClient) -> tuple[Journal, int] | None:
        """On the worker: write the intent (None when no journal could be opened)."""
        journal = self._keeper.journal_for_send(client)
        if journal is None:
            return None  # the status bar has said why; money still moves
        try:
            return journal, self._begin(journal, subject)
        except (sqlite3.Error, OSError, ValueError, JournalClosedError) as error:
            log.warning("a money action's intent could not be written: %s",
                        type(error).__name__)
            raise JournalWriteFailed() from None

    def complete(self, token: tuple[Journal, int] | None, report: ActionReport) -> None:
        """On the UI thread: the outcome goes to the lane, to the journal the intent is in."""
        if token is None:
            return
        journal, record_id = token
        complete = self._complete
        self._keeper.record_on(journal, lambda j: complete(j, record_id, report))
