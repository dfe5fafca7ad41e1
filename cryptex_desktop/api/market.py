"""Public market data: tickers, order books and recent trades, read with unsigned GETs. No Qt.

The exchange answers these without a key or a nonce (``API-CONTRACT.md``, "Public market
data"). :class:`MarketDataClient` has its own HTTP session and shares nothing with
:class:`~cryptex_desktop.api.client.CryptexClient`, so a slow or refused market request never
holds up a signed call, and it is safe to call from a worker thread of its own.

Every failure, from a lost connection to the front proxy's HTML page, 403 or 429, is one
:class:`MarketUnavailable` ("Market prices are not available right now.") carrying how long
to wait before asking again; prices are a nice-to-have, never an error dialog.

From a Python prompt::

    from cryptex_desktop.api import MarketDataClient
    market = MarketDataClient("https://cryptex.net/api/v1")
    market.ticker("BTC_USD").last
    market.order_book("BTC_USD").spread
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from cryptex_desktop.i18n import N_, _

from .client import MAX_RESPONSE_BYTES, check_url
from .currencies import PAIR_CODE
from .errors import CryptexError, clean_message
from .money import money_context, to_decimal
from .types import parse_timestamp

if TYPE_CHECKING:  # requests is imported with the first session, not with the app's window
    import requests

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What a person reads first whenever market data cannot be had, whatever the cause (each
#: error's whole message is one sentence of its own in the catalogue, beginning with this).
UNAVAILABLE_SENTENCE = N_("Market prices are not available right now.")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Ticker:
    """One market's last 24 hours: last traded price, high, low, and volume.

    ``pair`` is the upper-case code (``"BTC_USD"``). Prices are in the quote currency; so is
    ``volume`` (what changed hands in 24 h, counted in the quote currency). A figure the
    exchange did not send, or a price of 0 (no trade), is ``None``; a market with no trades
    in 24 h has ``volume == 0``.
    """

    pair: str
    last: Decimal | None
    high: Decimal | None
    low: Decimal | None
    volume: Decimal | None


@dataclass(frozen=True)
class BookLevel:
    """One price level of an order book: everything offered at ``price``, in the base currency."""

    price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class OrderBook:
    """A market's open orders by price level.

    ``bids`` (buyers) run from the highest price down, ``asks`` (sellers) from the lowest up,
    whatever order the exchange sent them in.
    """

    pair: str
    bids: tuple[BookLevel, ...]
    asks: tuple[BookLevel, ...]

    @property
    def best_bid(self) -> Decimal | None:
        """The highest price a buyer offers, or ``None`` when nobody is buying."""
        return self.bids[0].price if self.bids else None

    @property
    def best_ask(self) -> Decimal | None:
        """The lowest price a seller asks, or ``None`` when nobody is selling."""
        return self.asks[0].price if self.asks else None

    @property
    def spread(self) -> Decimal | None:
        """Best ask minus best bid, or ``None`` when either side is empty."""
        if self.best_bid is None or self.best_ask is None:
            return None
        with money_context():
            return self.best_ask - self.best_bid


@dataclass(frozen=True)
class MarketTrade:
    """One fill on a market, as anyone can see it: no side, no account.

    ``time`` is an aware UTC datetime; ``amount`` is in the base currency, ``price`` in the
    quote currency.
    """

    trade_id: int
    price: Decimal
    amount: Decimal
    time: datetime


# --------------------------------------------------------------------------- errors


class MarketUnavailable(CryptexError):
    """Market data could not be had for now; ask again after ``retry_after`` seconds.

    ``str()`` begins "Market prices are not available right now." ``detail`` says why, for
    the log (never a secret: these requests carry none).
    """

    def __init__(self, detail: str = "", retry_after: float = 0.0) -> None:
        super().__init__(_("Market prices are not available right now. "
                           "The app will try again by itself."))
        self.detail = clean_message(detail)
        self.retry_after = retry_after


class UnknownMarket(MarketUnavailable):
    """The exchange does not list this market (HTTP 404 with its refusal)."""

    def __init__(self, pair: str, detail: str = "", retry_after: float = 0.0) -> None:
        super().__init__(detail, retry_after)
        self.pair = pair
        base, _sep, quote = pair.partition("_")
        self.message = _(
            "Market prices are not available right now. The exchange does not list the "
            "market {base}/{quote}; choose another market."
        ).format(base=base, quote=quote)


class Backoff:
    """Exponential waits between attempts: ``initial``, doubled on each failure, up to ``maximum``.

    ``next_delay()`` gives the wait after one more failure; ``reset()`` after a success.
    Thread-safe; no clock, no Qt, so a caller may use it with any timer.
    """

    def __init__(
        self, initial: float = 5.0, maximum: float = 300.0, factor: float = 2.0
    ) -> None:
        if initial <= 0 or maximum < initial or factor < 1:
            raise ValueError("backoff needs 0 < initial <= maximum and factor >= 1")
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self._failures = 0
        self._next = initial
        self._lock = threading.Lock()

    @property
    def failures(self) -> int:
        """Failures in a row since the last success."""
        return self._failures

    def next_delay(self) -> float:
        """Count one more failure and return how many seconds to wait before the next try."""
        with self._lock:
            delay = self._next
            self._next = min(self.maximum, self._next * self.factor)
            self._failures += 1
            return delay

    def reset(self) -> None:
        """A request succeeded: the next failure waits ``initial`` again."""
        with self._lock:
            self._failures = 0
            self._next = self.initial


# --------------------------------------------------------------------------- parsing


def normalise_pair(pair: str) -> str:
    """``"btc_usd"`` or ``"BTC_USD"`` -> ``"BTC_USD"``; ``ValueError`` for anything else."""
    code = pair.strip().upper() if isinstance(pair, str) else ""
    if not PAIR_CODE.match(code):
        raise ValueError(f"not a market: {pair!r}")
    return code


def _figure(value: object) -> Decimal | None:
    """A non-negative number from a string or number; absent or empty -> ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = to_decimal(value)
    if number < 0:
        raise ValueError("negative figure")
    return number


def _price(value: object) -> Decimal | None:
    """A ticker's price; ``0`` is what an exchange sends for "no trade yet", so ``None``."""
    number = _figure(value)
    return None if number is None or number == 0 else number


def _required(value: object) -> Decimal:
    number = _figure(value)
    if number is None:
        raise ValueError("missing figure")
    return number


def _entries(value: object) -> list[Any]:
    """A list as it is, or a dict's values (``{"0": ..., "1": ...}``)."""
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        return list(value.values())
    raise ValueError("expected a list")


def _unwrap(data: object, *keys: str) -> object:
    """``data`` itself, or its one member under any of ``keys`` when it was wrapped once more."""
    if isinstance(data, Mapping):
        for key in keys:
            for name in (key, key.upper(), key.lower()):
                if name in data:
                    return data[name]
    return data


def parse_ticker(pair: str, data: object) -> Ticker:
    """A ticker from ``{last, high, low, volume}`` (strings or numbers, extra fields ignored)."""
    data = _unwrap(data, "ticker", pair, pair.lower())
    if not isinstance(data, Mapping):
        raise ValueError("a ticker must be an object")
    return Ticker(
        pair=normalise_pair(pair),
        last=_price(data.get("last")),
        high=_price(data.get("high")),
        low=_price(data.get("low")),
        volume=_figure(data.get("volume", data.get("vol"))),
    )


def _ticker_pair(entry: Mapping[str, Any], key: object) -> str:
    if "base" in entry and "quote" in entry:
        return normalise_pair(f"{entry['base']}_{entry['quote']}")
    for name in ("pair", "market", "symbol"):
        if isinstance(entry.get(name), str):
            return normalise_pair(entry[name])
    if isinstance(key, str):
        return normalise_pair(key)
    raise ValueError("a ticker without a market")


def parse_tickers(data: object) -> dict[str, Ticker]:
    """Every market's ticker, keyed ``"BTC_USD"``, from a list or a dict keyed by market.

    An entry that cannot be read is left out (one odd market must not hide the others);
    when none can be read the whole answer is unreadable.
    """
    data = _unwrap(data, "tickers")
    if isinstance(data, list):
        items: Iterable[tuple[object, object]] = ((None, entry) for entry in data)
    elif isinstance(data, Mapping):
        items = data.items()
    else:
        raise ValueError("tickers must be a list or an object")
    tickers: dict[str, Ticker] = {}
    unreadable = 0
    for key, entry in items:
        try:
            if not isinstance(entry, Mapping):
                raise ValueError("a ticker must be an object")
            pair = _ticker_pair(entry, key)
            tickers[pair] = parse_ticker(pair, entry)
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            unreadable += 1
            log.debug("market data: ticker %r left out (%s)", key, type(error).__name__)
    if unreadable and not tickers:
        raise ValueError("no ticker could be read")
    return tickers


def _level(entry: object) -> BookLevel:
    if isinstance(entry, Mapping):
        price, amount = entry["price"], entry.get("amount", entry.get("volume"))
    elif isinstance(entry, list | tuple) and len(entry) >= 2:
        price, amount = entry[0], entry[1]
    else:
        raise ValueError("a book level must be [price, amount]")
    return BookLevel(_required(price), _required(amount))


def _levels(value: object, highest_first: bool) -> tuple[BookLevel, ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping) and value and all(
        not isinstance(v, list | tuple | Mapping) for v in value.values()
    ):
        # {price: amount}, as some servers send a book
        levels = [BookLevel(_required(p), _required(a)) for p, a in value.items()]
    else:
        levels = [_level(entry) for entry in _entries(value)]
    levels = [level for level in levels if level.amount > 0]
    levels.sort(key=lambda level: level.price, reverse=highest_first)
    return tuple(levels)


def parse_order_book(pair: str, data: object) -> OrderBook:
    """A book from ``{bids: [[price, amount], ...], asks: [...]}``, sorted best first."""
    data = _unwrap(data, "orderbook", "order_book", pair, pair.lower())
    if not isinstance(data, Mapping) or not ({"bids", "asks"} & set(data)):
        raise ValueError("an order book must have bids or asks")
    return OrderBook(
        pair=normalise_pair(pair),
        bids=_levels(data.get("bids"), highest_first=True),
        asks=_levels(data.get("asks"), highest_first=False),
    )


def parse_trade_time(value: object) -> datetime:
    """An aware UTC datetime from ISO-8601 (no zone means UTC), Unix seconds or YYYYMMDDhhmmss."""
    if isinstance(value, str) and not value.strip().isdigit():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    return parse_timestamp(value)


def _trade(entry: object) -> MarketTrade:
    if not isinstance(entry, Mapping):
        raise ValueError("a trade must be an object")
    trade_id = entry.get("tid", entry.get("id", entry.get("trade_id")))
    if isinstance(trade_id, str) and trade_id.strip().isdigit():
        trade_id = int(trade_id.strip())
    if isinstance(trade_id, Decimal) and trade_id == trade_id.to_integral_value():
        trade_id = int(trade_id)
    if not isinstance(trade_id, int) or isinstance(trade_id, bool):
        raise ValueError("a trade id must be a whole number")
    moment = entry.get("date", entry.get("timestamp", entry.get("time")))
    return MarketTrade(
        trade_id, _required(entry.get("price")), _required(entry.get("amount")),
        parse_trade_time(moment),
    )


def parse_trades(data: object) -> tuple[MarketTrade, ...]:
    """Recent trades, oldest first, from a list (or a dict of them) of ``{tid, price, ...}``."""
    data = _unwrap(data, "trades")
    trades = [_trade(entry) for entry in _entries(data)]
    trades.sort(key=lambda trade: (trade.time, trade.trade_id))
    return tuple(trades)


# --------------------------------------------------------------------------- the client


def _session(url: str) -> requests.Session:
    """A keep-alive session of the market lane's own: no key, no signature, no form body."""
    import requests
    import requests.adapters

    session = requests.Session()
    session.trust_env = False
    session.proxies.update(requests.utils.get_environ_proxies(url))
    session.headers.update({"User-Agent": "CryptexDesktop/0.1", "Accept": "application/json"})
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=4, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _retry_after(value: str | None) -> float:
    text = (value or "").strip()
    return float(text) if text.isdigit() and int(text) < 86400 else 0.0  # seconds, not money


class MarketDataClient:
    """The four public market requests, as typed results; every failure is ``MarketUnavailable``.

    ``base_url`` is the API's base (``https://cryptex.net/api/v1``). It keeps a
    :class:`Backoff`: a failure's ``retry_after`` is the exchange's Retry-After when it sent
    one, else the next exponential wait; a success resets it. Safe to share between threads.
    """

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (5.0, 10.0),
        backoff: Backoff | None = None,
    ) -> None:
        self.base_url = check_url(base_url).rstrip("/")
        self._session = session if session is not None else _session(self.base_url)
        self._owns_session = session is None
        self._timeout = timeout
        self.backoff = backoff if backoff is not None else Backoff()

    def __repr__(self) -> str:
        return f"MarketDataClient({self.base_url!r})"

    def close(self) -> None:
        """Close the HTTP session (when this client made it)."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> MarketDataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tickers(self) -> dict[str, Ticker]:
        """Every market's ticker, keyed by upper-case pair code (``"BTC_USD"``)."""
        return self._get("tickers", parse_tickers)

    def ticker(self, pair: str) -> Ticker:
        """One market's ticker."""
        code = normalise_pair(pair)
        return self._get(f"{code.lower()}/ticker", lambda d: parse_ticker(code, d), code)

    def order_book(self, pair: str) -> OrderBook:
        """One market's order book by price level, best prices first on each side."""
        code = normalise_pair(pair)
        return self._get(f"{code.lower()}/orderbook", lambda d: parse_order_book(code, d), code)

    def trades(self, pair: str) -> tuple[MarketTrade, ...]:
        """One market's latest trades (the exchange sends 50), oldest first."""
        code = normalise_pair(pair)
        return self._get(f"{code.lower()}/trades", parse_trades, code)

    def _get(self, path: str, read: Callable[[Any], T], pair: str | None = None) -> T:
        try:
            status, headers, content = self._fetch(f"{self.base_url}/{path}")
            result = read_market_answer(status, headers, content, read, pair)
        except MarketUnavailable as error:
            wait = self.backoff.next_delay()
            if error.retry_after <= 0:
                error.retry_after = wait  # the exchange named no wait: back off exponentially
            log.info("market data: %s unavailable (%s)", path, error.detail)
            raise
        self.backoff.reset()
        return result

    def _fetch(self, url: str) -> tuple[int, Mapping[str, str], bytes]:
        import requests

        try:
            response = self._session.get(
                url, timeout=self._timeout, allow_redirects=False, stream=True
            )
            try:
                return response.status_code, response.headers, _read_capped(response)
            finally:
                response.close()
        except requests.Timeout:
            raise MarketUnavailable("no answer in time") from None
        except requests.RequestException as error:
            raise MarketUnavailable(f"no connection ({type(error).__name__})") from None


def _read_capped(response: requests.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise MarketUnavailable("the answer was far too large")
        chunks.append(chunk)
    return b"".join(chunks)


def read_market_answer(
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    read: Callable[[Any], T],
    pair: str | None = None,
) -> T:
    """One public answer read into a typed result by ``read``; any failure is MarketUnavailable."""
    data = decode_market_answer(status, headers, content, pair)
    try:
        return read(data)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError,
            RecursionError) as error:
        raise MarketUnavailable(f"unreadable answer ({type(error).__name__})") from None


def decode_market_answer(
    status: int, headers: Mapping[str, str], content: bytes, pair: str | None = None
) -> object:
    """The ``data`` of one public answer, or the :class:`MarketUnavailable` it amounts to.

    A body without the ``{"status": ...}`` envelope is taken as the data itself.
    """
    if status == 429:
        raise MarketUnavailable("too many requests (HTTP 429)",
                                _retry_after(headers.get("Retry-After")))
    if content.lstrip()[:1] == b"<" or "html" in headers.get("Content-Type", "").lower():
        raise MarketUnavailable(f"a web page instead of data (HTTP {status})",
                                _retry_after(headers.get("Retry-After")))
    try:
        body = json.loads(content.decode("utf-8"), parse_float=Decimal)
    except (ValueError, RecursionError):
        raise MarketUnavailable(f"unreadable answer (HTTP {status})") from None
    envelope = isinstance(body, Mapping) and "status" in body
    word = str(body.get("status", "")).strip().lower() if envelope else "ok"
    if status == 404 and pair is not None:
        reason = body.get("error", "") if envelope else ""
        raise UnknownMarket(pair, f"HTTP 404: {reason}")
    if not 200 <= status < 300:
        raise MarketUnavailable(f"HTTP {status}", _retry_after(headers.get("Retry-After")))
    if word != "ok":
        reason = body.get("error") or body.get("message") or word
        raise MarketUnavailable(f"refused: {reason}")
    if envelope:
        if "data" not in body:
            raise MarketUnavailable("an answer without data")
        return body["data"]
    return body
