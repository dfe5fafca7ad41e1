"""Which exchange the app talks to: the built-in demo exchange, or the person's live account.

Connecting never blocks the UI thread: starting the demo exchange and reading the keychain
both happen on a worker thread, and the result comes back as a signal.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from cryptex_desktop.api import CryptexClient, CryptexError, NonceBook
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.dispatcher import Dispatcher

if TYPE_CHECKING:  # the sandbox is imported when demo mode starts, not with the app
    from cryptex_desktop.sandbox import SandboxServer

log = logging.getLogger(__name__)

#: Seconds between blocks on the demo exchange, so deposits confirm while a person watches.
DEMO_BLOCK_SECONDS = 5.0


@dataclass(frozen=True)
class Endpoint:
    """Where requests go and who signs them, plus how to name it to a person."""

    url: str
    credentials: Credentials
    is_demo: bool

    @property
    def label(self) -> str:
        """``DEMO`` or ``LIVE: username``: shown in the title and status bar."""
        if self.is_demo:
            return _("DEMO")
        return _("LIVE: {user}").format(user=self.credentials.username)


class MissingCredentials(CryptexError):
    """The live account is set up, but its key and secret are not in the keychain."""

    def __init__(self) -> None:
        super().__init__(_(
            "Your live account's API key and secret were not found in this computer's keychain "
            "(it may be locked, or they were kept for one session only). Open Settings to enter "
            "them again, or switch to demo mode."
        ))


class DemoExchangeBusy(CryptexError):
    """Another program already runs the demo exchange on this app's data."""

    def __init__(self) -> None:
        super().__init__(_(
            "The demo exchange could not start: another program is using its data (another "
            "copy of Cryptex Desktop, or cryptex-sandbox serve on the same folder). Close it, "
            "then start the app again."
        ))


class DemoExchange:
    """The sandbox exchange run inside the app, on a free loopback port, with fake money."""

    def __init__(self, data_dir: Path, block_seconds: float = DEMO_BLOCK_SECONDS) -> None:
        self.data_dir = data_dir
        self.block_seconds = block_seconds
        self.server: SandboxServer | None = None

    def start(self) -> Endpoint:
        """Start the server (blocking: call it off the UI thread) and return its demo account."""
        from cryptex_desktop.sandbox import SandboxServer  # heavy; only demo mode needs it
        from cryptex_desktop.sandbox.server import DataDirBusy

        if self.server is None:
            try:
                self.server = SandboxServer(
                    self.data_dir, port=0, block_seconds=self.block_seconds, market_maker=True
                ).start()
            except DataDirBusy:
                raise DemoExchangeBusy() from None
        account = self.server.demo_account
        creds = Credentials(account.username, account.key, account.secret)
        return Endpoint(self.server.url, creds, is_demo=True)

    def stop(self) -> None:
        """Stop the server; its data stays for the next start."""
        if self.server is not None:
            self.server.stop()
            self.server = None


class Connection(QObject):
    """Owns the current endpoint and its client, and hands the client to the dispatcher."""

    #: Connecting began; the argument says to what, in words.
    connecting = Signal(str)
    #: Connected: the endpoint is in use.
    connected = Signal(object)
    #: Connecting failed; the argument is a sentence for a person.
    failed = Signal(str)
    # Worker threads report through these long-lived signals (see dispatcher.py for why).
    _finished = Signal(object, object)
    _checked = Signal(int, object)

    def __init__(self, dispatcher: Dispatcher, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._data_dir = data_dir
        self._nonces = NonceBook(data_dir)
        self.demo = DemoExchange(data_dir / "demo-exchange")
        self.endpoint: Endpoint | None = None
        self._client: CryptexClient | None = None
        #: Why the last connection attempt failed (None after a success).
        self.failure: BaseException | None = None
        self._last_attempt: Callable[[], None] | None = None
        self._checks: dict[int, Callable[[BaseException | None], None]] = {}
        self._check_ids = itertools.count(1)
        self._finished.connect(self._on_finished)
        self._checked.connect(self._on_checked)

    @property
    def is_demo(self) -> bool:
        """Whether the app runs on the built-in demo exchange (fake money)."""
        return self.endpoint is None or self.endpoint.is_demo

    def connect_demo(self) -> None:
        """Start (if needed) and use the built-in demo exchange."""
        self._last_attempt = self.connect_demo
        self.connecting.emit(_("Starting the demo exchange…"))
        self._in_background(self.demo.start)

    def connect_live(
        self, url: str, credentials: Credentials | Callable[[], Credentials | None]
    ) -> None:
        """Use the person's live account at ``url``.

        ``credentials`` may be a function that reads them (from the keychain, which can
        take a moment or ask to be unlocked): it runs off the UI thread.
        """
        self._last_attempt = lambda: self.connect_live(url, credentials)
        self.connecting.emit(_("Connecting to {url}…").format(url=url))

        def endpoint() -> Endpoint:
            creds = credentials() if callable(credentials) else credentials
            if creds is None:
                raise MissingCredentials()
            return Endpoint(url, creds, is_demo=False)

        self._in_background(endpoint)

    def reconnect(self) -> None:
        """Try the last connection again (Try again after it failed)."""
        if self._last_attempt is not None:
            self._last_attempt()

    def check_key(self, url: str, credentials: Credentials,
                  on_done: Callable[[BaseException | None], None]) -> None:
        """Ask the exchange at ``url`` whether it accepts ``credentials``, with one call.

        Runs off the UI thread; ``on_done`` gets None when the key works, or the error.
        """
        check_id = next(self._check_ids)
        self._checks[check_id] = on_done
        nonces = self._nonces

        def run() -> None:
            error: BaseException | None = None
            try:
                client = CryptexClient(url, credentials, nonce_book=nonces)
                try:
                    client.info()
                finally:
                    client.close()
            except Exception as failure:  # told by the caller as a sentence
                error = failure
            self._checked.emit(check_id, error)

        threading.Thread(target=run, name="check-key", daemon=True).start()

    @Slot(int, object)
    def _on_checked(self, check_id: int, error: object) -> None:
        on_done = self._checks.pop(check_id, None)
        if on_done is not None:
            on_done(error if isinstance(error, BaseException) else None)

    def close(self) -> None:
        """Stop using the network and stop the demo exchange."""
        self._dispatcher.shutdown()
        if self._client is not None:
            self._client.close()
        self.demo.stop()

    def _in_background(self, work: Callable[[], Endpoint]) -> None:
        def run() -> None:
            try:
                endpoint = work()
                client = CryptexClient(endpoint.url, endpoint.credentials,
                                       nonce_book=self._nonces)
                self._finished.emit((endpoint, client), None)
            except Exception as error:  # reported as a sentence, never raised into Qt
                self._finished.emit(None, error)

        threading.Thread(target=run, name="connect", daemon=True).start()

    def _drop_client(self) -> None:
        old, self._client = self._client, None
        self.endpoint = None
        if old is not None:
            self._dispatcher.set_client(None)
            old.close()

    @Slot(object, object)
    def _on_finished(self, result: tuple[Endpoint, CryptexClient] | None, error: object) -> None:
        if result is None:
            self.failure = error if isinstance(error, BaseException) else None
            self._drop_client()  # the old account is not the one the person asked for
            if isinstance(error, CryptexError):
                log.warning("connecting failed: %s", type(error).__name__)
                self.failed.emit(str(error))
            else:
                log.error("connecting failed", exc_info=error if isinstance(error, Exception)
                          else None)
                self.failed.emit(_(
                    "The app could not start its connection to the exchange. Check Settings, "
                    "or restart the app."
                ))
            return
        endpoint, client = result
        self.failure = None
        old, self._client = self._client, client
        self.endpoint = endpoint
        self._dispatcher.set_client(client)
        if old is not None:
            old.close()
        self.connected.emit(endpoint)
