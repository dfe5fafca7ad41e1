"""``CryptexClient``: the twelve methods of the Cryptex API v1, signed, typed and safe.

One client holds one keep-alive HTTP session. Signed requests for one key go out one at a
time (a lock spans choosing the nonce and sending), so nonces reach the exchange in order
even when many threads share the client.

Calls that only read retry by themselves after a lost connection or a rate-limit answer.
Calls that move money (Trade, CancelOrder, Withdraw, CouponCreate, CouponRedeem) are never
sent twice, with one exception: a request refused for its nonce had no effect, so it is
signed again with a fresh nonce and sent once more. When such a call's answer is lost
after the request may have reached the exchange, it raises :class:`OutcomeUnknown`.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar
from urllib.parse import urlencode, urlsplit

from cryptex_desktop.i18n import _

from .errors import (
    BadResponse,
    ConfigurationError,
    ConnectError,
    CryptexError,
    NonceError,
    OutcomeUnknown,
    RateLimitError,
    RequestTimeout,
    TransportError,
    refusal_from_message,
)
from .money import to_decimal, to_wire
from .nonces import NonceBook, NonceSource
from .signing import Credentials
from .types import (
    BalanceSheet,
    Cancellation,
    Coupon,
    Deposit,
    DepositAddress,
    Order,
    PlacedOrder,
    Redemption,
    Trade,
    Transaction,
    Withdrawal,
    compact_timestamp,
    coupon_currency,
)

if TYPE_CHECKING:  # requests is imported with the first session, not with the app's window
    import requests

log = logging.getLogger(__name__)

LIVE_URL = "https://cryptex.net/api/v1"

#: The API methods that move money: never repeated after a lost answer.
MONEY_MOVING = frozenset({"Trade", "CancelOrder", "Withdraw", "CouponCreate", "CouponRedeem"})

#: Largest answer read; a longer one is refused rather than held in memory.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
#: Longest wait a read-only call sleeps through by itself for a rate limit.
MAX_AUTOMATIC_WAIT = 5.0

T = TypeVar("T")


@cache
def _never_sent_errors() -> tuple[type[BaseException], ...]:
    """urllib3's errors that mean the request never left this machine."""
    import requests
    import urllib3.exceptions

    return (
        urllib3.exceptions.NewConnectionError,
        urllib3.exceptions.ConnectTimeoutError,
        urllib3.exceptions.NameResolutionError,
        requests.exceptions.ConnectTimeout,
        requests.exceptions.SSLError,  # the TLS handshake comes before the request
    )


@cache
def _cut_short_errors() -> tuple[type[BaseException], ...]:
    """requests' errors for an answer that stopped part way."""
    import requests

    return (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)

_send_locks: dict[int, threading.Lock] = {}
_send_locks_guard = threading.Lock()


def _send_lock(source: NonceSource) -> threading.Lock:
    """One lock per nonce source, shared by every client that signs with it."""
    with _send_locks_guard:
        return _send_locks.setdefault(id(source), threading.Lock())


def _session_for(url: str, key: str) -> requests.Session:
    """A keep-alive session that reads the environment once, not on every request.

    With ``trust_env`` requests looks up proxies, ``~/.netrc`` and CA bundle variables
    again for each call (half of a loopback call's time); the proxy for ``url`` and any
    CA bundle named in the environment are read here instead.
    """
    import requests
    import requests.adapters

    session = requests.Session()
    session.trust_env = False
    session.proxies.update(requests.utils.get_environ_proxies(url))
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if ca_bundle:
        session.verify = ca_bundle
    session.headers.update({
        "User-Agent": "CryptexDesktop/0.1",
        "Key": key,
        "Content-Type": "application/x-www-form-urlencoded",
    })
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=4, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def check_url(url: str) -> str:
    """The exchange URL if it is safe to send credentials to: https, or http to loopback only."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.strip()
    if parts.scheme == "http" and host:
        if host == "localhost":
            return url.strip()
        try:
            if ipaddress.ip_address(host).is_loopback:
                return url.strip()
        except ValueError:
            pass
        raise ConfigurationError(_(
            "The exchange address must start with https:// so that your keys travel encrypted. "
            "Plain http:// is only allowed for a demo exchange on this computer."
        ))
    raise ConfigurationError(_(
        "The exchange address is not a web address. It should look like https://cryptex.net/api/v1."
    ))


class CryptexClient:
    """A signed client for one account on one Cryptex server.

    ``data_dir`` holds the nonce counter of each key (see :mod:`.nonces`); pass the same
    :class:`NonceBook` to clients that share a key in one process.
    """

    def __init__(
        self,
        url: str,
        credentials: Credentials,
        data_dir: Path | str | None = None,
        *,
        nonce_book: NonceBook | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        max_attempts: int = 3,
        backoff: float = 0.25,
    ) -> None:
        if nonce_book is None:
            if data_dir is None:
                raise ConfigurationError(_(
                    "The client needs a folder to keep its request counter in."
                ))
            nonce_book = NonceBook(data_dir)
        self.url = check_url(url)
        self.host = urlsplit(self.url).netloc
        self.credentials = credentials
        self._nonces = nonce_book.source(self.url, credentials.key)
        self._lock = _send_lock(self._nonces)
        self._timeout = (connect_timeout, read_timeout)
        self._max_attempts = max(1, max_attempts)
        self._backoff = backoff
        #: How many requests the exchange refused for their nonce (each re-signed once).
        self.nonce_refusals = 0
        self._session = _session_for(self.url, credentials.key)

    def __repr__(self) -> str:
        return f"CryptexClient({self.url!r}, user={self.credentials.username!r})"

    def close(self) -> None:
        """Close the keep-alive connection."""
        self._session.close()

    def __enter__(self) -> CryptexClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API methods --------------------------------------------------------------------

    def info(self, with_reserves: bool = False) -> BalanceSheet:
        """Balances per currency and the number of open orders.

        Without ``with_reserves`` balances are what is free to use; with it they also
        count what open orders and held coupons reserve.
        """
        params = {"with_reserves": "1"} if with_reserves else {}
        return self._parse(self.call("Info", params), BalanceSheet.from_wire)

    def get_new_address(self, currency: str) -> DepositAddress:
        """A fresh address to deposit ``currency`` to."""
        data = self.call("GetNewAddress", {"currency": currency})
        return self._parse(data, lambda d: DepositAddress.from_wire(d, currency))

    def deposit_info(self, address: str) -> Deposit:
        """The latest deposit to ``address``: amount, confirmations and whether it is credited."""
        data = self.call("DepositInfo", {"address": address})
        return self._parse(data, lambda d: Deposit.from_wire(d, address))

    def withdraw(self, amount: Decimal | str, address: str, currency: str) -> Withdrawal:
        """Send ``amount`` of ``currency`` to ``address``. Moves money."""
        amount = _amount(amount)
        data = self.call(
            "Withdraw", {"amount": to_wire(amount), "address": address, "currency": currency}
        )

        def read(d: object) -> Withdrawal:
            if not isinstance(d, str):
                raise ValueError("withdrawal answer is not text")
            return Withdrawal(currency, amount, address, d)

        return self._parse(data, read, method="Withdraw")

    def active_orders(self, pair: str | None = None, order: str | None = None) -> list[Order]:
        """This user's orders that can still fill, optionally for one pair."""
        data = self.call("ActiveOrders", _optional(pair=pair, order=order))
        return self._parse(data, lambda d: [Order.from_wire(o) for o in _list(d)])

    def unconfirmed_transactions(
        self, pair: str | None = None, currency: str | None = None, order: str | None = None
    ) -> list[Transaction]:
        """Deposits and withdrawals still gaining confirmations (withdrawals are negative)."""
        data = self.call(
            "UnconfirmedTransactions", _optional(pair=pair, currency=currency, order=order)
        )

        def read(d: object) -> list[Transaction]:
            if isinstance(d, list) and not d:
                return []  # an empty JSON object may be encoded as a list by some servers
            if not isinstance(d, Mapping):
                raise ValueError("expected an object of currencies")
            return [
                Transaction.from_wire(tx, str(code).upper())
                for code, txs in d.items()
                for tx in _list(txs)
            ]

        return self._parse(data, read)

    def order_info(self, order_id: int) -> Order:
        """One order of this user, whatever its status."""
        data = self.call("OrderInfo", {"order_id": str(int(order_id))})

        def read(d: object) -> Order:
            if not isinstance(d, Mapping) or not d:
                raise ValueError("expected an object keyed by order id")
            wanted = str(int(order_id))
            for key, value in d.items():
                if str(key) == wanted:
                    return Order.from_wire(value)
            if len(d) == 1:
                return Order.from_wire(next(iter(d.values())))
            raise ValueError("the answer is about another order")

        return self._parse(data, read)

    def cancel_order(self, order_id: int) -> Cancellation:
        """Cancel an active order; its reserve returns to the free balance. Moves money."""
        data = self.call("CancelOrder", {"order_id": str(int(order_id))})
        return self._parse(data, Cancellation.from_wire, method="CancelOrder")

    def trade_history(
        self,
        pair: str | None = None,
        since: datetime | int | None = None,
        end: datetime | int | None = None,
        count: int | None = None,
        order: str | None = None,
    ) -> list[Trade]:
        """This user's fills, newest first unless ``order="ASC"``; at most 1,000 per call."""
        params = _optional(
            pair=pair,
            since=_time_param(since),
            end=_time_param(end),
            count=None if count is None else str(int(count)),
            order=order,
        )
        data = self.call("TradeHistory", params)
        return self._parse(data, lambda d: [Trade.from_wire(t) for t in _list(d)])

    def trade(
        self, pair: str, type: str, price: Decimal | str, amount: Decimal | str
    ) -> PlacedOrder:
        """Place a limit order: ``type`` "buy" spends the quote currency. Moves money."""
        params = {
            "pair": pair,
            "type": type,
            "price": to_wire(_amount(price)),
            "amount": to_wire(_amount(amount)),
        }
        return self._parse(self.call("Trade", params), PlacedOrder.from_wire, method="Trade")

    def coupon_create(
        self, currency: str, amount: Decimal | str, recipient: str | None = None
    ) -> Coupon:
        """Turn ``amount`` of ``currency`` into a coupon code. Moves money.

        The result may be held for moderation, in which case it carries no code yet.
        """
        amount = _amount(amount)
        params = _optional(currency=currency, amount=to_wire(amount), recipient=recipient)
        data = self.call("CouponCreate", params)
        return self._parse(
            data, lambda d: Coupon.from_wire(d, currency, amount), method="CouponCreate"
        )

    def coupon_redeem(self, code: str) -> Redemption:
        """Redeem a coupon code into this account. Moves money."""
        code = code.strip()
        data = self.call("CouponRedeem", {"code": code})
        currency = coupon_currency(code) or ""
        return self._parse(
            data, lambda d: Redemption.from_wire(d, currency), method="CouponRedeem"
        )

    # -- the transport ------------------------------------------------------------------------

    def call(self, method: str, params: Mapping[str, str] | None = None) -> Any:
        """Send one signed API request and return its ``data``, or raise a typed error."""
        params = dict(params or {})
        moves_money = method in MONEY_MOVING
        attempt = 0
        resigned = False
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                data = self._send_once(method, params, moves_money)
            except NonceError as error:
                if resigned:
                    raise
                # The refused request had no effect: skip past what the exchange has seen.
                resigned = True
                attempt -= 1
                self.nonce_refusals += 1
                if error.must_exceed is not None:
                    self._nonces.advance_past(error.must_exceed)
                log.info("%s: nonce refused, signing again", method)
                continue
            except (TransportError, RateLimitError, BadResponse) as error:
                wait = self._retry_wait(error, attempt, moves_money)
                if wait is None:
                    log.info("%s failed: %s", method, type(error).__name__)
                    raise
                log.info("%s: %s, retrying in %.2fs", method, type(error).__name__, wait)
                time.sleep(wait)
                continue
            log.debug("%s ok in %.1f ms", method, (time.perf_counter() - started) * 1000)
            return data

    def _retry_wait(self, error: CryptexError, attempt: int, moves_money: bool) -> float | None:
        """How long to wait before trying a failed call again, or None to give up."""
        if moves_money or attempt >= self._max_attempts:
            return None
        if isinstance(error, BadResponse) and 400 <= error.status_code < 500:
            return None  # the exchange understood and said no: asking again will not help
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return error.retry_after if error.retry_after <= MAX_AUTOMATIC_WAIT else None
        return self._backoff * (2 ** (attempt - 1)) * (0.5 + random.random())

    def _send_once(self, method: str, params: dict[str, str], moves_money: bool) -> Any:
        import requests

        with self._lock:
            nonce = self._nonces.next()
            body = urlencode({"method": method, "nonce": str(nonce), **params}).encode()
            headers = {"Sign": self.credentials.sign(nonce)}
            try:
                response = self._session.post(
                    self.url, data=body, headers=headers, timeout=self._timeout,
                    allow_redirects=False, stream=True,
                )
                try:
                    content = _read_capped(response)
                finally:
                    response.close()
            except requests.RequestException as error:
                failure = self._transport_failure(error)
                if moves_money and not _never_sent(error):
                    raise OutcomeUnknown(method, failure) from None
                raise failure from None
            except BadResponse as error:
                if moves_money:
                    raise OutcomeUnknown(method, error) from None
                raise
        return self._decode(method, response, content, moves_money)

    def _transport_failure(self, error: requests.RequestException) -> TransportError | BadResponse:
        import requests

        if isinstance(error, requests.exceptions.SSLError):
            failure = ConnectError(self.host)
            failure.message = _(
                "The connection to {host} is not secure (its certificate could not be "
                "checked). Nothing was sent. Check the exchange address in Settings."
            ).format(host=self.host)
            return failure
        if _never_sent(error):
            return ConnectError(self.host)
        if isinstance(error, requests.Timeout):
            return RequestTimeout(self._timeout[1])
        if isinstance(error, requests.ConnectionError):
            return TransportError(_(
                "The connection to {host} broke before the exchange answered. "
                "The app will try again by itself."
            ).format(host=self.host))
        # Translators: what went wrong, shown in brackets in "...could not read (...)".
        if isinstance(error, _cut_short_errors()):
            return BadResponse(_("the answer was cut short"))
        return BadResponse(_("the connection failed in an unexpected way"))

    def _decode(
        self, method: str, response: requests.Response, content: bytes, moves_money: bool
    ) -> Any:
        return decode_answer(response.status_code, response.headers, content, method, moves_money)

    def _parse(self, data: Any, read: Callable[[Any], T], method: str | None = None) -> T:
        """Read ``data`` into a typed result; anything unreadable becomes a typed error."""
        try:
            return read(data)
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as error:
            # Translators: {error} is a Python error's name (ValueError), left as it is.
            failure = BadResponse(_("{error} in the answer").format(
                error=type(error).__name__), 200)
            if method is not None:
                # The exchange said ok, so it acted; only its details are unreadable.
                raise OutcomeUnknown(method, failure) from None
            raise failure from None


def decode_answer(
    status: int, headers: Mapping[str, str], content: bytes, method: str, moves_money: bool
) -> Any:
    """The ``data`` of one HTTP answer, or the typed error it amounts to."""
    if status == 429:
        raise RateLimitError(_retry_after(headers.get("Retry-After")))
    try:
        body = _parse_json(content) if content.strip() else None
    except ValueError:
        body = None
    if isinstance(body, Mapping) and "status" in body:
        word = str(body.get("status", "")).strip().lower()
        if word == "ok" and 200 <= status < 300:
            if "data" not in body:
                return _unknown_or(method, moves_money, BadResponse(_("no data"), status))
            return body["data"]
        if status < 500:
            message = body.get("error") or body.get("message") or body.get("data")
            if not isinstance(message, str) or not message.strip():
                message = (_("the exchange answered '{status}' without a reason")
                           .format(status=word) if word
                           else _("the exchange answered without a status or a reason"))
            raise refusal_from_message(message)
    failure = _describe_bad_answer(status, headers.get("Content-Type", ""), content)
    if 400 <= status < 500:
        raise failure  # refused before it was carried out: no effect
    return _unknown_or(method, moves_money, failure)


def _unknown_or(method: str, moves_money: bool, failure: BadResponse) -> NoReturn:
    if moves_money:
        raise OutcomeUnknown(method, failure)
    raise failure


def _parse_json(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8"), parse_float=Decimal)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _read_capped(response: requests.Response) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        raise BadResponse(_("the answer was far too large"), response.status_code)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise BadResponse(_("the answer was far too large"), response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def _describe_bad_answer(status: int, content_type: str, content: bytes) -> BadResponse:
    # Translators: each goes in brackets in "The exchange sent an answer the app could not read
    # (...)": a noun phrase, not a sentence.
    if status >= 500:
        what = _("a server error, HTTP {status}").format(status=status)
    elif status >= 400:
        what = f"HTTP {status}"  # a code, not words
    elif not content.strip():
        what = _("an empty answer")
    elif "html" in content_type.lower() or content.lstrip()[:1] == b"<":
        what = _("a web page instead of data")
    else:
        what = _("malformed data")
    return BadResponse(what, status)


def _never_sent(error: BaseException) -> bool:
    """Whether a requests error happened before any byte of the request left."""
    never_sent = _never_sent_errors()
    seen: set[int] = set()
    stack: list[object] = [error]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, never_sent):
            return True
        stack.extend(current.args)
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
    return False


def _retry_after(value: str | None) -> int | None:
    """Retry-After as whole seconds (RFC 9110 delay-seconds); an HTTP-date is not honoured."""
    text = (value or "").strip()
    if not text.isdigit() or int(text) >= 86400:
        return None
    return int(text)


def _amount(value: Decimal | str | int) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError:
        raise ConfigurationError(_(
            "{value} is not an amount the app can send; amounts are decimal numbers."
        ).format(value=repr(value))) from None


def _time_param(value: datetime | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return str(compact_timestamp(value))
    return str(int(value))


def _optional(**params: str | None) -> dict[str, str]:
    return {name: value for name, value in params.items() if value is not None}


def _list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        return list(value.values())  # some servers send {"0": {...}, "1": {...}}
    raise ValueError("expected a list")
