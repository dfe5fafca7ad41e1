"""Public market data for the screens: tickers, order books and recent trades, kept fresh.

The :class:`MarketFeed` runs the unsigned requests of
:class:`~cryptex_desktop.api.market.MarketDataClient` on a thread pool of its own, never on
the :class:`~cryptex_desktop.ui.dispatcher.Dispatcher`'s, so a slow or refused market request
never holds up a signed call and uses no nonce.

Screens say what they need while they are on show (:meth:`MarketFeed.watch`) and stop
(:meth:`MarketFeed.unwatch`) when they go. The feed asks every few seconds only while someone
watches and the main window is on screen (not hidden, not minimized), one request per kind
and market at a time. When market data cannot be had it says so once (:attr:`unavailable`),
waits as long as the exchange or the backoff says, and tries again by itself.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from cryptex_desktop.api.market import MarketDataClient, MarketUnavailable, OrderBook, Ticker
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.connection import Connection, Endpoint

log = logging.getLogger(__name__)

#: Seconds between two rounds of market requests while a screen watches.
DEFAULT_POLL_SECONDS = 5.0


def unavailable_sentence() -> str:
    """What a person reads when market prices cannot be had, whatever the cause."""
    return _("Market prices are not available right now. The app will try again by itself.")


class MarketKind(enum.Enum):
    """What a screen can ask the feed for."""

    TICKERS = "tickers"  # every market's last price (pair is not used)
    BOOK = "book"  # one market's order book
    TRADES = "trades"  # one market's latest trades


@dataclass(frozen=True)
class _Watch:
    pair: str | None
    kinds: frozenset[MarketKind]


#: One request: what, and for which market ("" for every market's tickers).
_RequestKey = tuple[MarketKind, str]


class _FeedSignals(QObject):
    """The one object the feed's pool threads report through (epoch, request, result, error)."""

    finished = Signal(int, object, object, object)


class _FeedRunnable(QRunnable):
    """One market request on the feed's pool; holds plain data and the shared signals only."""

    def __init__(self, epoch: int, key: _RequestKey, call: Callable[[], Any],
                 signals: _FeedSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._epoch = epoch
        self._key = key
        self._call = call
        self._signals = signals

    def run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = self._call()
        except BaseException as exc:  # handed to the UI thread, never raised into Qt
            error = exc
        self._signals.finished.emit(self._epoch, self._key, result, error)


class MarketFeed(QObject):
    """Keeps the watched market data fresh on its own worker lane, while the window is on show.

    ``client_factory`` makes the :class:`MarketDataClient` for an endpoint's URL (tests may
    hand in another). The latest answers stay readable: :attr:`tickers` (with
    :attr:`tickers_time`, when they arrived), :meth:`book`.
    """

    #: Every market's ticker arrived (dict of pair code -> Ticker).
    tickersChanged = Signal(dict)
    #: One market's order book arrived (OrderBook).
    bookChanged = Signal(object)
    #: One market's latest trades arrived (pair code, tuple of MarketTrade).
    tradesChanged = Signal(str, tuple)
    #: Market data came back after being unavailable (and after the first success).
    available = Signal()
    #: Market data cannot be had for now; the argument is the sentence to show. Said once.
    unavailable = Signal(str)

    def __init__(
        self,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
        parent: QObject | None = None,
        client_factory: Callable[[str], MarketDataClient] = MarketDataClient,
    ) -> None:
        super().__init__(parent)
        self.poll_seconds = poll_seconds
        self._client_factory = client_factory
        # A lane of its own: one thread, never the signed Dispatcher's queue.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _FeedSignals(self)
        self._signals.finished.connect(self._on_finished)
        self._client: MarketDataClient | None = None
        # Replaced clients by epoch, closed once their requests under way have ended.
        self._retired: dict[int, MarketDataClient] = {}
        self._pending: dict[int, int] = {}  # requests under way, by epoch
        self._epoch = 0
        self._watches: dict[str, _Watch] = {}
        self._in_flight: set[_RequestKey] = set()
        self._window_active = False
        self._is_unavailable: bool | None = None  # None: nothing heard yet
        self._waiting_until = 0.0  # monotonic time before which no request goes out (backoff)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll)
        #: Every market's latest ticker, and when it arrived (aware UTC), once known.
        self.tickers: dict[str, Ticker] = {}
        self.tickers_time: datetime | None = None
        self._books: dict[str, OrderBook] = {}
        #: How many requests went out, per kind (for the status of the lane and for tests).
        self.requests_sent: dict[MarketKind, int] = {kind: 0 for kind in MarketKind}

    # -- where it asks --------------------------------------------------------------------------

    def follow(self, connection: Connection) -> None:
        """Ask the exchange ``connection`` uses; a new account or endpoint gets a new client."""
        connection.connected.connect(self._on_connected)
        connection.failed.connect(self._on_connect_failed)
        if connection.endpoint is not None:
            self.set_url(connection.endpoint.url)

    @Slot(object)
    def _on_connected(self, endpoint: Endpoint) -> None:
        self.set_url(endpoint.url)

    @Slot(str)
    def _on_connect_failed(self, _message: str) -> None:
        self.set_url(None)

    def set_url(self, url: str | None) -> None:
        """Ask the exchange at ``url`` from now on (None: nowhere); old answers are dropped."""
        old, self._client = self._client, None
        if old is not None:
            self._retired[self._epoch] = old
        self._epoch += 1
        self._in_flight.clear()
        self._waiting_until = 0.0
        self._is_unavailable = None
        self.tickers, self.tickers_time, self._books = {}, None, {}
        if url is not None:
            try:
                self._client = self._client_factory(url)
            except ValueError:  # an address the client refuses: no market data, said once
                log.warning("market data: the address was refused")
                self._is_unavailable = True
                self.unavailable.emit(unavailable_sentence())
        self._close_retired()
        self._update_polling(now=True)

    @property
    def client(self) -> MarketDataClient | None:
        """The client requests go through (None before an endpoint is known)."""
        return self._client

    # -- who needs what --------------------------------------------------------------------------

    def watch(self, consumer: str, pair: str | None, kinds: Iterable[MarketKind]) -> None:
        """``consumer`` (a screen's name) needs ``kinds`` of ``pair`` now, until it unwatches.

        Watching again replaces what it asked for before; new needs are asked for at once.
        """
        watch = _Watch(pair, frozenset(kinds))
        if self._watches.get(consumer) == watch:
            return
        self._watches[consumer] = watch
        self._update_polling(now=True)

    def unwatch(self, consumer: str) -> None:
        """``consumer`` no longer needs market data (it is hidden)."""
        if self._watches.pop(consumer, None) is not None:
            self._update_polling()

    def set_window_active(self, active: bool) -> None:
        """The main window is on screen (True) or hidden or minimized (False)."""
        if active == self._window_active:
            return
        self._window_active = active
        self._update_polling(now=active)

    def book(self, pair: str) -> OrderBook | None:
        """The latest order book of ``pair``, if one arrived for the current exchange."""
        return self._books.get(pair)

    @property
    def is_unavailable(self) -> bool:
        """Whether the last market request failed (the sentence is on show somewhere)."""
        return bool(self._is_unavailable)

    # -- the timer -------------------------------------------------------------------------------

    def is_polling(self) -> bool:
        """Whether a round of requests is scheduled."""
        return self._timer.isActive()

    def busy(self) -> bool:
        """Whether a request for the current exchange is under way."""
        return bool(self._in_flight)

    def scheduled_delay(self) -> float | None:
        """Seconds the next round was set to wait when it was scheduled (None: none scheduled)."""
        return self._timer.interval() / 1000 if self._timer.isActive() else None

    def _should_poll(self) -> bool:
        return self._client is not None and bool(self._watches) and self._window_active

    def _update_polling(self, now: bool = False) -> None:
        if not self._should_poll():
            self._timer.stop()
            return
        wait = max(0.0, self._waiting_until - time.monotonic())
        if wait > 0:  # backing off: keep to it, whatever asked
            if not self._timer.isActive():
                self._schedule(wait)
            return
        if now or not self._timer.isActive():
            self._schedule(0.0)

    def _schedule(self, seconds: float) -> None:
        self._timer.start(max(0, round(seconds * 1000)))

    @Slot()
    def _poll(self) -> None:
        client = self._client
        if client is None or not self._should_poll():
            return
        for key in self._wanted():
            if key in self._in_flight:
                continue  # one request per kind and market at a time
            self._in_flight.add(key)
            self._pending[self._epoch] = self._pending.get(self._epoch, 0) + 1
            self.requests_sent[key[0]] += 1
            self._pool.start(_FeedRunnable(self._epoch, key, _request(client, key),
                                           self._signals))
        self._schedule(self.poll_seconds)

    def _wanted(self) -> list[_RequestKey]:
        wanted: dict[_RequestKey, None] = {}
        for watch in self._watches.values():
            for kind in sorted(watch.kinds, key=lambda k: k.value):
                if kind is MarketKind.TICKERS:
                    wanted[(kind, "")] = None
                elif watch.pair:
                    wanted[(kind, watch.pair)] = None
        return list(wanted)

    # -- answers ---------------------------------------------------------------------------------

    @Slot(int, object, object, object)
    def _on_finished(self, epoch: int, key: _RequestKey, result: Any,
                     error: BaseException | None) -> None:
        left = self._pending.get(epoch, 1) - 1
        if left > 0:
            self._pending[epoch] = left
        else:
            self._pending.pop(epoch, None)
        if epoch != self._epoch:
            self._close_retired()
            return  # for an exchange no longer in use
        self._in_flight.discard(key)
        if error is not None:
            self._failed(key, error)
            return
        self._waiting_until = 0.0
        kind, pair = key
        if kind is MarketKind.TICKERS:
            self.tickers = dict(result)
            self.tickers_time = datetime.now(UTC)
        elif kind is MarketKind.BOOK:
            self._books[pair] = result
        if self._is_unavailable is not False:
            self._is_unavailable = False
            self.available.emit()
        if kind is MarketKind.TICKERS:
            self.tickersChanged.emit(self.tickers)
        elif kind is MarketKind.BOOK:
            self.bookChanged.emit(result)
        else:
            self.tradesChanged.emit(pair, tuple(result))

    def _failed(self, key: _RequestKey, error: BaseException) -> None:
        if key[0] is MarketKind.BOOK:
            self._books.pop(key[1], None)  # an old book would mislead: no book, no warning
        if isinstance(error, MarketUnavailable):
            wait = max(error.retry_after, self.poll_seconds)
        else:  # a bug, not the network: logged, and market data reads unavailable
            log.warning("market data: %s failed unexpectedly", key[0].value, exc_info=error)
            wait = max(self.poll_seconds * 2, 10.0)
        self._waiting_until = max(self._waiting_until, time.monotonic() + wait)
        if self._should_poll():
            self._schedule(wait)
        if not self._is_unavailable:
            self._is_unavailable = True
            self.unavailable.emit(unavailable_sentence())

    # -- the end ---------------------------------------------------------------------------------

    def _close_retired(self) -> None:
        for epoch in [e for e in self._retired if e not in self._pending]:
            self._retired.pop(epoch).close()

    def close(self, timeout_ms: int = 5000) -> None:
        """Stop asking, wait (bounded) for the request under way, close the clients."""
        self._timer.stop()
        self._watches.clear()
        self._epoch += 1
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        for client in [*self._retired.values(), *([self._client] if self._client else [])]:
            client.close()
        self._retired.clear()
        self._client = None


def _request(client: MarketDataClient, key: _RequestKey) -> Callable[[], Any]:
    kind, pair = key
    if kind is MarketKind.TICKERS:
        return client.tickers
    if kind is MarketKind.BOOK:
        return lambda: client.order_book(pair)
    return lambda: client.trades(pair)
