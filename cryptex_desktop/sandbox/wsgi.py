"""The sandbox's HTTP face: a WSGI app that turns form posts into :meth:`Exchange.handle` calls.

``POST /api/v1`` (or ``POST /``) with an ``application/x-www-form-urlencoded`` body of
``method``, ``nonce`` and parameters, headers ``Key`` and ``Sign``. Answers are JSON,
always ``{"status": "ok", "data": ...}`` or ``{"status": "error", "error": ...}``:

- an API refusal is HTTP 200, as the contract says;
- transport problems use their HTTP codes with the same refusal body: 404 another path,
  405 not POST, 413 a body over 64 KiB, 415 a body that is not a form, 400 a form that
  cannot be read, 429 too many requests for one key (with ``Retry-After``), 503 when the
  database stayed locked by another process (with ``Retry-After``); only a body over 1 MiB
  is refused by waitress itself, before the app, with a plain-text 413;
- anything unexpected is 500 ``internal error``, logged with its traceback but never with
  the request's parameters or headers.

Public market data answers ``GET`` under the same base path, without a key or a nonce:
``GET /api/v1/tickers`` and ``GET /api/v1/{base}_{quote}/ticker|orderbook|trades`` (also
without the ``/api/v1`` prefix, as ``POST /`` is); the pair in either case, an unknown one
a 404 refusal, another verb a 405. They are rate limited like the API, per client address
instead of per key (429 with ``Retry-After``).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from urllib.parse import parse_qsl
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from .exchange import Exchange, log_internal_error
from .market_data import json_text

#: A WSGI application, as PEP 3333 describes it.
WSGIApp = WSGIApplication

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 64
API_PATHS = frozenset({"", "/", "/api/v1", "/api/v1/"})
FORM_TYPE = "application/x-www-form-urlencoded"
API_PREFIX = "/api/v1"
#: What a pair's public path may end in.
PAIR_REQUESTS = frozenset({"ticker", "orderbook", "trades"})


class RateLimiter:
    """A token bucket per API key: ``rate`` requests a second, bursts of up to ``rate``.

    Thread-safe. Keeps at most ``max_keys`` buckets, forgetting full ones first.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if not rate > 0:
            raise ValueError("the rate limit must be greater than 0 requests per second")
        self.rate = float(rate)  # requests per second, not money
        self.capacity = max(1.0, self.rate)
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int | None:
        """Take one request from ``key``'s bucket: ``None`` if allowed, else seconds to wait."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                if len(self._buckets) > self._max_keys:
                    self._forget_full(now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))

    def _forget_full(self, now: float) -> None:
        for key, (tokens, then) in list(self._buckets.items()):
            if tokens + (now - then) * self.rate >= self.capacity:
                del self._buckets[key]
        if len(self._buckets) > self._max_keys:
            self._buckets.clear()  # a flood of keys: start over rather than grow


class _BadRequest(Exception):
    """A request the app answers with an HTTP error code and this refusal message."""

    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


def make_app(exchange: Exchange, *, rate_limit: float | None = 50.0) -> WSGIApp:
    """The WSGI app serving ``exchange``; ``rate_limit`` requests/s per key, ``None`` or 0: off."""
    limiter = RateLimiter(rate_limit) if rate_limit else None

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            route = market_route(environ.get("PATH_INFO", ""))
            if route is not None:
                _check_market_request(environ, limiter)
                status, answer = exchange.public_market_data(*route)
                headers = [("Retry-After", "1")] if status == 503 else []
                return _respond(start_response, status, answer, headers, exact_numbers=True)
            method, params, key, sign = _read_request(environ, limiter)
            status, body = exchange.handle(method, params, key, sign)
            headers = [("Retry-After", "1")] if status == 503 else []
            return _respond(start_response, status, body, headers)
        except _BadRequest as bad:
            return _respond(
                start_response, bad.status, {"status": "error", "error": bad.message}, bad.headers
            )
        except Exception as error:
            log_internal_error("the sandbox WSGI app", error)
            return _respond(start_response, 500, {"status": "error", "error": "internal error"})

    return app


def market_route(path: str) -> tuple[str, str] | None:
    """``("tickers", "")`` or ``(request, pair)`` for a public market-data path, else ``None``."""
    rest = path[len(API_PREFIX):] if path.startswith(API_PREFIX + "/") else path
    parts = rest.strip("/").split("/")
    if parts == ["tickers"]:
        return "tickers", ""
    if len(parts) == 2 and parts[1] in PAIR_REQUESTS and parts[0]:
        return parts[1], parts[0]
    return None


def _check_market_request(environ: WSGIEnvironment, limiter: RateLimiter | None) -> None:
    """A public GET may go ahead; ``_BadRequest`` for another verb or too many requests."""
    if environ.get("REQUEST_METHOD") != "GET":
        raise _BadRequest(
            405, "method not allowed: market data answers GET requests only", [("Allow", "GET")]
        )
    if limiter is not None:
        # Anonymous: one bucket per client address, apart from the API keys' buckets.
        wait = limiter.retry_after("address " + str(environ.get("REMOTE_ADDR", "")))
        if wait is not None:
            raise _BadRequest(429, "too many requests", [("Retry-After", str(wait))])


def _read_request(
    environ: WSGIEnvironment, limiter: RateLimiter | None
) -> tuple[str, dict[str, str], str | None, str | None]:
    """(method, params, key, sign) of a valid API request; ``_BadRequest`` otherwise."""
    if environ.get("PATH_INFO", "") not in API_PATHS:
        raise _BadRequest(404, "not found: the API answers POST /api/v1")
    if environ.get("REQUEST_METHOD") != "POST":
        raise _BadRequest(
            405, "method not allowed: the API answers POST requests only", [("Allow", "POST")]
        )
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("", FORM_TYPE):
        raise _BadRequest(415, f"unsupported content type: send {FORM_TYPE}")
    length_text = environ.get("CONTENT_LENGTH", "") or "0"
    if not length_text.isdigit():
        raise _BadRequest(400, "malformed request: bad Content-Length")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        raise _BadRequest(413, f"request body too large: at most {MAX_BODY_BYTES} bytes")
    key = environ.get("HTTP_KEY") or None
    sign = environ.get("HTTP_SIGN") or None
    if limiter is not None and key is not None:
        wait = limiter.retry_after(key)
        if wait is not None:
            raise _BadRequest(429, "too many requests", [("Retry-After", str(wait))])
    body = environ["wsgi.input"].read(length) if length else b""
    fields = _parse_form(body)
    method = fields.pop("method", "")
    return method, fields, key, sign


def _parse_form(body: bytes) -> dict[str, str]:
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=bool(text),
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeError, ValueError):
        raise _BadRequest(400, "malformed request: the body is not a readable form") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise _BadRequest(
                400, f"malformed parameter: {name[:40]} (given more than once)"
            )
        fields[name] = value
    return fields


def _respond(
    start_response: StartResponse,
    status: int,
    body: dict[str, object],
    headers: list[tuple[str, str]] | None = None,
    *,
    exact_numbers: bool = False,
) -> list[bytes]:
    # json_text writes the book's Decimals as exact JSON numbers; json.dumps is faster.
    text = json_text(body) if exact_numbers else json.dumps(body, ensure_ascii=False)
    payload = text.encode("utf-8")
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(payload))),
            ("Cache-Control", "no-store"),
            *(headers or []),
        ],
    )
    return [payload]
