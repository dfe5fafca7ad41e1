"""Decides when the account cannot be used, so every screen can say so in one clear state.

Three situations take over the screens: no live key (the keychain has none), a key the
exchange refused, and an exchange that cannot be reached. A refused or missing key is
certain at once. An unreachable exchange is only said when nothing has loaded yet for this
account, or after :data:`FAILURES_BEFORE_UNREACHABLE` refreshes failed in a row: one lost
answer must not blank the app. Any successful call, and any new connection, ends it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from cryptex_desktop.api.errors import AuthenticationError, TransportError
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.connection import Connection, MissingCredentials
from cryptex_desktop.ui.dispatcher import Dispatcher
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.screens.base import AccountProblem, ProblemKind

#: Refreshes that must fail in a row, after something loaded, before the screens say so.
FAILURES_BEFORE_UNREACHABLE = 2


def key_refused_sentence(error: AuthenticationError) -> str:
    """What the screens say when the exchange refused the live key."""
    return _(
        "The exchange refused your API key, so nothing of your account can be shown. "
        "Enter your key and secret again in Settings (copy them from cryptex.net > Settings > "
        "API keys)."
    ) if not error.detail else _(
        "The exchange refused your API key (it said: “{detail}”), so nothing of your account "
        "can be shown. Enter your key and secret again in Settings."
    ).format(detail=error.detail)


def unreachable_sentence(error: BaseException | str) -> str:
    """What the screens say when the exchange cannot be reached."""
    return error if isinstance(error, str) else describe(error)


class AccountWatch(QObject):
    """Watches connections and calls; ``problemChanged`` carries an AccountProblem or None."""

    problemChanged = Signal(object)

    def __init__(self, connection: Connection, dispatcher: Dispatcher,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problem: AccountProblem | None = None
        self._loaded = False  # something succeeded for the account in use
        self._failures = 0  # refreshes failed in a row for want of an answer
        connection.connected.connect(self._on_new_account)
        connection.failed.connect(lambda _sentence: self._on_connect_failed(connection))
        dispatcher.clientChanged.connect(self._on_new_account)
        dispatcher.succeeded.connect(self._on_success)
        dispatcher.failed.connect(self._on_call_failed)
        dispatcher.refreshFailed.connect(self._on_refresh_failed)

    def problem(self) -> AccountProblem | None:
        """The problem the screens show now, if any."""
        return self._problem

    def _set(self, problem: AccountProblem | None) -> None:
        if problem != self._problem:
            self._problem = problem
            self.problemChanged.emit(problem)

    @Slot()
    def _on_new_account(self, *_args: object) -> None:
        self._loaded = False
        self._failures = 0
        self._set(None)

    def _on_connect_failed(self, connection: Connection) -> None:
        error = connection.failure
        if isinstance(error, MissingCredentials):
            self._set(AccountProblem(ProblemKind.NO_KEY, str(error)))
        elif isinstance(error, AuthenticationError):
            self._set(AccountProblem(ProblemKind.KEY_REFUSED, key_refused_sentence(error)))
        else:
            self._set(AccountProblem(ProblemKind.UNREACHABLE, unreachable_sentence(
                error if isinstance(error, BaseException) else _("The app could not connect "
                                                                 "to the exchange.")
            )))

    @Slot(int)
    def _on_success(self, _request_id: int) -> None:
        self._loaded = True
        self._failures = 0
        self._set(None)

    @Slot(int, object)
    def _on_call_failed(self, _request_id: int, error: object) -> None:
        if isinstance(error, AuthenticationError):
            self._set(AccountProblem(ProblemKind.KEY_REFUSED, key_refused_sentence(error)))

    @Slot(object)
    def _on_refresh_failed(self, error: object) -> None:
        if not isinstance(error, TransportError):
            return
        self._failures += 1
        if not self._loaded or self._failures >= FAILURES_BEFORE_UNREACHABLE:
            self._set(AccountProblem(ProblemKind.UNREACHABLE, unreachable_sentence(error)))
