"""One request that moves money, from the person's "yes" to one outcome they can trust.

Trade, CancelOrder, Withdraw, CouponCreate and CouponRedeem all go the same way, and
:class:`MoneyAction` is that way, written once:

1. On the worker, note what the exchange shows before sending (open orders, pending
   transactions, balances), then send the request **once**.
2. The answer arrives: the outcome is ``DONE``. The exchange refuses: ``REFUSED``, nothing
   happened.
3. The answer is lost (:class:`~cryptex_desktop.api.errors.OutcomeUnknown`): the request is
   never sent again. The action says "Checking with the exchange what happened…" and runs
   the request's check (:mod:`cryptex_desktop.api.reconcile`) against what was noted:
   ``DONE`` if it happened, ``REFUSED`` if it did not, ``UNKNOWN`` if the exchange cannot
   say yet or cannot be asked.
4. The person switches accounts meanwhile: answers for the old account will never arrive,
   so the action gives up with ``UNKNOWN`` and says where to look (on the next turn of the
   event loop, after the screens have forgotten the old account's messages).

The worker returns what it noted together with the answer (or inside the lost-answer
error); nothing shared is changed on the pool thread. A screen keeps only its own words
(:class:`ActionWords`) and what it does with the outcome.
"""

from __future__ import annotations

import enum
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.errors import CryptexError, OutcomeUnknown
from cryptex_desktop.api.reconcile import Finding
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe_action_failure, describe_check_failure

log = logging.getLogger(__name__)

Noted = TypeVar("Noted")
Answer = TypeVar("Answer")


class Outcome(enum.Enum):
    """How a money action ended, as far as the app knows."""

    DONE = "done"  # the exchange carried it out
    REFUSED = "refused"  # it did not happen: refused, or the check showed it was not carried out
    UNKNOWN = "unknown"  # it may have happened: the person must look before acting again


def _note_nothing(_client: CryptexClient) -> None:
    return None


@dataclass(frozen=True)
class MoneyRequest(Generic[Noted, Answer]):
    """What runs on the worker: what to note first, the one request, and its check.

    ``note(client)`` reads what the check will compare with; ``send(client, noted)`` is the
    money call itself; ``check(client, noted)`` says after a lost answer whether it happened.
    """

    send: Callable[[CryptexClient, Noted], Answer]
    check: Callable[[CryptexClient, Noted], Finding]
    note: Callable[[CryptexClient], Noted] = _note_nothing  # type: ignore[assignment]


def _default_found(_subject: Any, finding: Finding) -> str:
    return _("The connection dropped, but the exchange carried it out: {detail}").format(
        detail=finding.detail)


def _default_refused(_subject: Any, error: BaseException) -> str:
    return describe_action_failure(error)


@dataclass(frozen=True)
class ActionWords:
    """The sentences that differ from one money action to the next.

    ``done(subject, answer)`` after the exchange's answer; ``found(subject, finding)`` when a
    check after a lost answer shows it happened; ``not_done`` follows the check's own sentence
    when it did not happen; ``check_failed`` (with ``{reason}``) when the app could not find
    out; ``switched`` when the account changed while the request was on its way.
    """

    sending: str
    done: Callable[[Any, Any], str]
    not_done: str
    check_failed: str
    switched: str
    found: Callable[[Any, Finding], str] = _default_found
    refused: Callable[[Any, BaseException], str] = _default_refused
    checking: str = ""


@dataclass(frozen=True)
class ActionReport:
    """One outcome with its sentence, and what it is about.

    ``subject`` is what the screen started the action with (its terms); ``answer`` the
    exchange's answer when it arrived; ``finding`` the check's result after a lost answer.
    """

    outcome: Outcome
    sentence: str
    subject: Any
    answer: Any = None
    finding: Finding | None = None
    error: BaseException | None = None

    @property
    def done(self) -> bool:
        """Whether the exchange carried it out."""
        return self.outcome is Outcome.DONE


class JournalHooks(Protocol):
    """What a money action writes down: the intent before sending, the outcome after.

    ``begin(subject, client)`` runs on the worker just before the request is sent on
    ``client`` (the intent must be on disk before anything leaves; if it raises, nothing is
    sent) and returns a token;
    ``complete(token, report)`` runs on the UI thread with the outcome.
    """

    def begin(self, subject: Any, client: CryptexClient) -> Any: ...

    def complete(self, token: Any, report: ActionReport) -> None: ...


@dataclass(frozen=True)
class _Sent:
    noted: Any
    answer: Any


class _AnswerLost(CryptexError):
    """The worker's way of handing back what it noted with a lost answer."""

    had_no_effect = False

    def __init__(self, noted: Any, cause: OutcomeUnknown) -> None:
        super().__init__(cause.message)
        self.noted = noted
        self.cause = cause


class MoneyAction(QObject):
    """Sends one money request at a time, checks after a lost answer, reports one outcome.

    ``busyChanged(bool)`` says whether a request is on its way (for the button and form);
    ``progress(str)`` gives a sentence to show while waiting ("Sending…", "Checking with the
    exchange what happened…"); ``finished(ActionReport)`` comes exactly once per :meth:`start`.
    """

    busyChanged = Signal(bool)
    progress = Signal(str)
    finished = Signal(object)

    def __init__(self, dispatcher: Dispatcher, words: ActionWords,
                 parent: QObject | None = None, *,
                 journal_hooks: JournalHooks | None = None) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._words = words
        self._journal_hooks = journal_hooks
        # The journal's token of the attempt on its way, written by its worker before sending.
        self._journal_token: list[Any] = []
        self._attempts = itertools.count(1)
        self._attempt = 0  # the attempt on its way; 0 when idle
        self._subject: Any = None
        self._checking = False
        dispatcher.clientChanged.connect(self._on_client_changed)

    # -- asking -------------------------------------------------------------------------------

    def is_busy(self) -> bool:
        """Whether a request is on its way or being checked."""
        return self._attempt != 0

    def is_checking(self) -> bool:
        """Whether the answer was lost and the app is asking the exchange what happened."""
        return self._checking

    def start(self, subject: Any, request: MoneyRequest[Any, Any]) -> bool:
        """Send ``request`` once; ``subject`` comes back in the report. False if one is busy."""
        if self.is_busy():
            return False
        attempt = next(self._attempts)
        self._attempt = attempt
        self._subject = subject
        self._checking = False
        self.busyChanged.emit(True)
        self.progress.emit(self._words.sending)
        hooks = self._journal_hooks
        token: list[Any] = []
        self._journal_token = token

        def run(client: CryptexClient) -> _Sent:
            noted = request.note(client)
            if hooks is not None:
                token.append(hooks.begin(subject, client))  # on disk before the request leaves
            try:
                return _Sent(noted, request.send(client, noted))
            except OutcomeUnknown as lost:
                raise _AnswerLost(noted, lost) from lost

        self._dispatcher.submit(
            run,
            on_result=lambda sent: self._on_sent(attempt, sent),
            on_error=lambda error: self._on_send_failed(attempt, request, error),
            priority=Priority.ACTION,
        )
        return True

    # -- hearing back ---------------------------------------------------------------------------

    def _on_sent(self, attempt: int, sent: _Sent) -> None:
        if attempt != self._attempt:
            return
        subject = self._subject
        self._finish(ActionReport(Outcome.DONE, self._words.done(subject, sent.answer), subject,
                                  answer=sent.answer))

    def _on_send_failed(self, attempt: int, request: MoneyRequest[Any, Any],
                        error: BaseException) -> None:
        if attempt != self._attempt:
            return
        subject = self._subject
        if not isinstance(error, _AnswerLost):
            self._finish(ActionReport(Outcome.REFUSED, self._words.refused(subject, error),
                                      subject, error=error))
            return
        log.info("a money request's answer was lost; checking with the exchange")
        self._checking = True
        self.progress.emit(self._words.checking or _("Checking with the exchange what happened…"))
        noted = error.noted
        self._dispatcher.submit(
            lambda client: request.check(client, noted),
            on_result=lambda finding: self._on_checked(attempt, finding, error.cause),
            on_error=lambda check_error: self._on_check_failed(attempt, check_error),
            priority=Priority.ACTION,
        )

    def _on_checked(self, attempt: int, finding: Finding, lost: OutcomeUnknown) -> None:
        if attempt != self._attempt:
            return
        subject = self._subject
        if finding.happened:
            report = ActionReport(Outcome.DONE, self._words.found(subject, finding), subject,
                                  finding=finding, error=lost)
        elif finding.happened is False:
            # Translators: two whole sentences, one after the other (the check's, then what to do).
            sentence = _("{finding} {then}").format(finding=finding.detail,
                                                    then=self._words.not_done)
            report = ActionReport(Outcome.REFUSED, sentence, subject, finding=finding, error=lost)
        else:
            report = ActionReport(Outcome.UNKNOWN, finding.detail, subject, finding=finding,
                                  error=lost)
        self._finish(report)

    def _on_check_failed(self, attempt: int, error: BaseException) -> None:
        if attempt != self._attempt:
            return
        subject = self._subject
        sentence = self._words.check_failed.format(reason=describe_check_failure(error))
        self._finish(ActionReport(Outcome.UNKNOWN, sentence, subject, error=error))

    @Slot()
    def _on_client_changed(self) -> None:
        if not self.is_busy():
            return
        # Told on the next turn of the event loop: screens forget the old account's messages
        # when it changes, and this sentence is about the new situation, so it comes after.
        attempt = self._attempt
        QTimer.singleShot(0, self, lambda: self._give_up(attempt))

    def _give_up(self, attempt: int) -> None:
        if attempt != self._attempt:
            return
        subject = self._subject
        self._finish(ActionReport(Outcome.UNKNOWN, self._words.switched, subject))

    def _finish(self, report: ActionReport) -> None:
        if self._journal_hooks is not None and self._journal_token:
            self._journal_hooks.complete(self._journal_token[0], report)
        self._journal_token = []
        self._attempt = 0
        self._subject = None
        self._checking = False
        self.busyChanged.emit(False)
        self.finished.emit(report)
