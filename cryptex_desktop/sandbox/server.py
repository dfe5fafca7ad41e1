"""The sandbox exchange served over HTTP: waitress in a thread, plus a block miner thread.

``SandboxServer(data_dir).start()`` returns once the socket accepts connections; ``url``
is then ``http://HOST:PORT/api/v1``. Every ``block_seconds`` the miner mines one block and
the market maker (unless switched off) tops its orders up; it also tops them up when
another process (``cryptex-sandbox mine``) has mined. ``stop()`` shuts both threads down
and closes the database. Only one server may serve a data dir at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from waitress.server import create_server
from waitress.wasyncore import close_all

from .accounts import Account
from .exchange import Exchange, log_internal_error
from .markets import DEFAULT_FEE
from .wsgi import WSGIApp, make_app

try:
    import fcntl
except ImportError:  # Windows: one server per data dir is then only a convention
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: Bodies this large are refused by waitress itself (plain text 413) before the app sees them.
WAITRESS_BODY_LIMIT = 1024 * 1024
#: How often the miner looks for blocks mined by other processes.
POLL_SECONDS = 1.0
LOCK_NAME = "server.lock"


def _close_event_loop(server: Any, *, workers_left: bool) -> None:
    """Close waitress's sockets from inside its event loop, which then ends.

    The closing runs as a trigger thunk in the loop's own thread (closing from another
    thread races with ``select``). It waits until the trigger's wake-up byte is written, so
    the trigger's pipe is never closed under that write. If some worker thread is still
    busy (a request that did not finish in time), the trigger pipe is left open rather than
    risk that worker writing to a closed and reused file descriptor.
    """
    pulled = threading.Event()

    def close_all_sockets() -> None:
        pulled.wait(timeout=5)
        if workers_left:
            server.trigger.del_channel()
        close_all(server._map, ignore_all=True)

    server.trigger.pull_trigger(close_all_sockets)
    pulled.set()


class DataDirBusy(RuntimeError):
    """Another sandbox server already serves this data dir."""


class SandboxServer:
    """A running sandbox exchange on loopback (or ``host``); also a context manager.

    One-shot: after :meth:`stop` make a new one (on the same data dir) to serve again.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        block_seconds: float = 10.0,
        market_maker: bool = True,
        rate_limit: float | None = 50.0,
        fee: Decimal = DEFAULT_FEE,
        wrap_app: Callable[[WSGIApp], WSGIApp] | None = None,
        threads: int = 8,
        seed: int | str | None = None,
    ) -> None:
        if block_seconds < 0:
            raise ValueError("block_seconds must be 0 (never mine) or more")
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.block_seconds = float(block_seconds)  # a duration, not money
        self.market_maker = market_maker
        self.rate_limit = rate_limit
        self.threads = threads
        self._wrap_app = wrap_app
        # seed: the market maker's random walk (None: CRYPTEX_SANDBOX_SEED, else random).
        self.exchange = Exchange(self.data_dir, fee=fee, seed=seed)
        self.demo_account: Account = self.exchange.demo_account()
        self.url = ""
        # waitress's server; Any, as its stubs lack effective_port and the trigger used here.
        self._server: Any = None
        self._serve_thread: threading.Thread | None = None
        self._miner_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock_file: IO[bytes] | None = None

    def __repr__(self) -> str:
        return f"SandboxServer({str(self.data_dir)!r}, url={self.url!r})"

    def start(self) -> SandboxServer:
        """Listen, serve and mine; returns once connections are accepted.

        Raises ``OSError`` if the port cannot be bound and :class:`DataDirBusy` if another
        server serves this data dir.
        """
        if self._server is not None:
            raise RuntimeError("this sandbox server is already started")
        if self._stopping.is_set():
            raise RuntimeError("a stopped sandbox server cannot start again; make a new one")
        self._lock_data_dir()
        try:
            if self.market_maker:
                self.exchange.refresh_market_maker()  # so the book is full once start() returns
            # Read here, not when the miner thread first runs: a block mined by another
            # process before that (a busy machine may start the thread late) would else go
            # unnoticed, and the market maker would not refill after it.
            refreshed_at = self.exchange.height()
            app = make_app(self.exchange, rate_limit=self.rate_limit)
            if self._wrap_app is not None:
                app = self._wrap_app(app)
            # The listening socket is bound and listening when create_server returns.
            self._server = create_server(
                app,
                host=self.host,
                port=self.port,
                threads=self.threads,
                max_request_body_size=WAITRESS_BODY_LIMIT,
                ident="cryptex-sandbox",
                clear_untrusted_proxy_headers=True,
            )
            self.port = int(self._server.effective_port)
            host = self._server.effective_host
            shown_host = f"[{host}]" if ":" in host else host
            self.url = f"http://{shown_host}:{self.port}/api/v1"
            self.exchange.record_url(self.url)
        except BaseException:
            if self._server is not None:
                self._server.task_dispatcher.shutdown(timeout=5)
                self._server.close()  # the event loop never ran: closing here is safe
                self._server = None
            self._unlock_data_dir()
            raise
        self._serve_thread = threading.Thread(
            target=self._server.run, name="sandbox-http", daemon=True
        )
        self._serve_thread.start()
        self._miner_thread = threading.Thread(
            target=self._mine, args=(refreshed_at,), name="sandbox-miner", daemon=True
        )
        self._miner_thread.start()
        log.info("the sandbox exchange serves %s from %s", self.url, self.data_dir)
        return self

    def stop(self) -> None:
        """Stop serving and mining, wait for both threads, close the database. Idempotent.

        Requests already being answered are finished first (for up to 5 seconds).
        """
        self._stopping.set()
        server, self._server = self._server, None
        if server is not None:
            # Workers finish their requests while the event loop still delivers the answers.
            server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
            _close_event_loop(server, workers_left=bool(server.task_dispatcher.threads))
            if self._serve_thread is not None:
                self._serve_thread.join(timeout=10)
        if self._miner_thread is not None:
            self._miner_thread.join(timeout=30)
        self.exchange.close()
        self._unlock_data_dir()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _mine(self, refreshed_at: int) -> None:
        """Mine a block every ``block_seconds``; keep the market maker's orders topped up
        after every block since ``refreshed_at`` (the height it was last topped up at)."""
        next_block = time.monotonic() + self.block_seconds
        while not self._stopping.is_set():
            try:
                if self.block_seconds and time.monotonic() >= next_block:
                    self.exchange.mine(1)
                    next_block = time.monotonic() + self.block_seconds
                if self.market_maker:
                    current = self.exchange.height()
                    if current != refreshed_at:
                        self.exchange.refresh_market_maker()
                        refreshed_at = current
            except Exception as error:
                log_internal_error("the sandbox miner", error)
            wait = POLL_SECONDS
            if self.block_seconds:
                wait = min(wait, max(0.0, next_block - time.monotonic()))
            self._stopping.wait(wait)

    def _lock_data_dir(self) -> None:
        if fcntl is None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.data_dir / LOCK_NAME, "a+b")  # noqa: SIM115 - held until stop()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise DataDirBusy(
                f"another sandbox server already serves the data dir {self.data_dir}"
            ) from None
        self._lock_file = handle

    def _unlock_data_dir(self) -> None:
        handle, self._lock_file = self._lock_file, None
        if handle is not None:
            handle.close()  # closing releases the lock
