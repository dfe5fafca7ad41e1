"""A fault-injecting HTTP proxy on loopback, between the client and the sandbox, for tests.

``FaultProxy(upstream_url)`` listens on 127.0.0.1 and forwards each HTTP request to the
exchange, over a fresh upstream connection per request. Towards the client it behaves
like a keep-alive HTTP/1.1 server, so ``requests`` reuses its connections as it would
with the real exchange. ``set_fault`` changes what happens to the next requests;
``clear`` goes back to honest forwarding::

    with FaultProxy(sandbox.url) as proxy:
        proxy.set_fault(Fault.DROP_AFTER_FORWARD, methods={"Trade"}, times=1)
        ...                      # the next Trade is carried out, its answer never returns
        assert proxy.received["Trade"] == 1 and proxy.forwarded["Trade"] == 1

Faults play in order: ``then`` queues another one that takes over once the earlier ones
have acted their ``times``. A fault limited to ``methods`` leaves other requests alone.

Counted, per API method: requests ``received``, ``forwarded`` to the exchange and
``answered`` by it; per fault: how often it was ``injected``; and client ``connections``.
The proxy reads the API method name from each form body and nothing else of it: keys,
signatures, nonces and coupon codes pass through untouched and are never kept or logged.
"""

from __future__ import annotations

import contextlib
import enum
import http.client
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Headers that describe one hop, not the message: never passed on.
_HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
    "upgrade", "content-length", "host",
})
_MAX_HEAD = 64 * 1024
_MAX_BODY = 1024 * 1024
#: Longest a held request waits for its release before it goes on anyway.
_LONGEST_HOLD = 60.0


class Fault(enum.Enum):
    """What can go wrong between the app and the exchange, one kind at a time."""

    #: Each request waits ``delay`` seconds first; or, given a ``threading.Event`` as
    #: ``until``, until it is set (at most a minute): a request held at will.
    LATENCY = "added latency"
    #: Nobody listens on the port: connecting is refused until ``clear()``.
    REFUSED = "connection refused"
    #: The request is read, then the connection closes; the exchange never sees it.
    DROP_BEFORE_FORWARD = "dropped before forwarding"
    #: The exchange carries the request out; the connection closes before its answer.
    DROP_AFTER_FORWARD = "dropped after forwarding"
    #: The answer is HTTP 500; the exchange still gets the request, unless ``forward=False``.
    HTTP_500 = "HTTP 500"
    #: The answer is a gateway's HTTP 502 page; the exchange never sees the request, unless
    #: ``forward=True``.
    HTTP_502 = "HTTP 502"
    #: A web page instead of data, HTTP ``status`` (a captive portal, a firewall); the
    #: exchange never sees the request, unless ``forward=True``.
    HTML_PAGE = "HTML error page"
    #: The exchange's answer cut in half; the headers still promise all of it
    #: unless ``honest_length=True``.
    TRUNCATED = "truncated body"
    #: HTTP 200 with no body at all.
    EMPTY_BODY = "empty body"
    #: The exchange's real JSON answer, labelled text/html.
    WRONG_CONTENT_TYPE = "JSON sent as text/html"
    #: ``size`` bytes (10 MB) of answer, with its length declared unless
    #: ``declare_length=False`` (then it ends when the connection closes).
    HUGE_BODY = "10 MB body"
    #: HTTP 429 with ``Retry-After: retry_after`` (the exchange never sees the request).
    RATE_LIMITED = "429 with Retry-After"


#: Whether the exchange gets the request (for faults with a ``forward`` option: by default).
_FORWARDS = {
    Fault.LATENCY: True,
    Fault.DROP_BEFORE_FORWARD: False,
    Fault.DROP_AFTER_FORWARD: True,
    Fault.HTTP_500: True,
    Fault.HTTP_502: False,
    Fault.HTML_PAGE: False,
    Fault.TRUNCATED: True,
    Fault.EMPTY_BODY: True,
    Fault.WRONG_CONTENT_TYPE: True,
    Fault.HUGE_BODY: True,
    Fault.RATE_LIMITED: False,
}

#: The options each fault takes, with their defaults.
_OPTIONS: dict[Fault, dict[str, Any]] = {
    Fault.LATENCY: {"delay": 1.0, "until": None},
    Fault.REFUSED: {},
    Fault.DROP_BEFORE_FORWARD: {},
    Fault.DROP_AFTER_FORWARD: {},
    Fault.HTTP_500: {"forward": None},
    Fault.HTTP_502: {"forward": None},
    Fault.HTML_PAGE: {"forward": None, "status": 200},
    Fault.TRUNCATED: {"honest_length": False},
    Fault.EMPTY_BODY: {},
    Fault.WRONG_CONTENT_TYPE: {},
    Fault.HUGE_BODY: {"size": 10 * 1024 * 1024, "declare_length": True},
    Fault.RATE_LIMITED: {"retry_after": 1},
}

_HTML_PAGE = (b"<!DOCTYPE html><html><head><title>Service unavailable</title></head><body>"
              b"<h1>We'll be back soon</h1><p>The site is down for maintenance.</p>"
              b"</body></html>")
_BAD_GATEWAY = (b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
                b"Gateway</h1></center><hr><center>nginx</center></body></html>")


@dataclass
class _Rule:
    """One queued fault: what, with which options, for which methods, how many more times."""

    fault: Fault
    options: dict[str, Any]
    methods: frozenset[str] | None
    remaining: int | None

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method in self.methods


@dataclass
class _Request:
    """One HTTP request as read from the client."""

    path: str
    headers: list[tuple[str, str]]
    body: bytes
    method: str  # the API method from the form body, "" if none
    wants_close: bool


@dataclass
class _Answer:
    """An HTTP answer to write back to the client."""

    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class FaultProxy:
    """A loopback HTTP proxy to ``upstream_url`` that breaks things on request; thread-safe.

    Also a context manager. ``url`` is where to point the client: the same path as the
    upstream, on the proxy's port. The port stays the same for the proxy's whole life,
    also across :attr:`Fault.REFUSED`.
    """

    def __init__(self, upstream_url: str, host: str = "127.0.0.1") -> None:
        parts = urlsplit(upstream_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError("the proxy forwards to a plain http:// exchange on this machine")
        self._upstream = (parts.hostname, parts.port or 80)
        self._host = host
        self._port = 0
        self._path = parts.path or "/"
        self._lock = threading.Condition()
        self._rules: list[_Rule] = []
        self._connections: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        #: While connections are refused: the port, bound but not listening, so that no other
        #: process can take it meanwhile (Linux refuses a connection to such a socket).
        self._held: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._closed = threading.Event()
        #: Requests that reached the proxy, per API method.
        self.received: Counter[str] = Counter()
        #: Requests passed on to the exchange, per API method.
        self.forwarded: Counter[str] = Counter()
        #: Requests the exchange has answered (its answer read by the proxy), per API method.
        self.answered: Counter[str] = Counter()
        #: Client connections accepted: with keep-alive, far fewer than requests.
        self.connections = 0
        #: How often each fault acted (REFUSED: how often listening stopped).
        self.injected: Counter[Fault] = Counter()
        self._listen()
        self.url = f"http://{host}:{self._port}{self._path}"

    def __repr__(self) -> str:
        return f"FaultProxy({self.url!r})"

    # -- switching faults -------------------------------------------------------------------

    def set_fault(
        self,
        fault: Fault,
        *,
        methods: Collection[str] | None = None,
        times: int | None = None,
        **options: Any,
    ) -> None:
        """From now on, ``fault`` for requests of ``methods`` (all if None), ``times`` times.

        ``times=None`` keeps it until :meth:`clear`. Unknown options raise ``TypeError``.
        """
        self.clear()
        self.then(fault, methods=methods, times=times, **options)

    def then(
        self,
        fault: Fault,
        *,
        methods: Collection[str] | None = None,
        times: int | None = None,
        **options: Any,
    ) -> None:
        """Queue ``fault`` to take over once every fault before it has acted its ``times``."""
        unknown = set(options) - set(_OPTIONS[fault])
        if unknown:
            raise TypeError(f"{fault.name} takes no option {sorted(unknown)}")
        if fault is Fault.REFUSED:
            if methods is not None or times is not None:
                raise ValueError("a refused connection cannot pick methods or count requests")
            with self._lock:
                if self._rules:
                    raise ValueError("REFUSED acts at once; it cannot wait behind other faults")
                self.injected[fault] += 1
            self._stop_listening(hold_port=True)
            self._close_connections()
            return
        rule = _Rule(fault, {**_OPTIONS[fault], **options},
                     None if methods is None else frozenset(methods), times)
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        """Forward honestly again; listen again if connections were being refused."""
        with self._lock:
            self._rules.clear()
        if self._listener is None and not self._closed.is_set():
            self._listen()

    # -- waiting for traffic ----------------------------------------------------------------

    def wait_for(self, condition: Callable[[], bool], timeout: float = 20.0) -> bool:
        """Block until ``condition()`` (about the counters) is true or ``timeout`` passes."""
        with self._lock:
            return self._lock.wait_for(condition, timeout)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop listening, close every connection and release held requests."""
        self._closed.set()
        with self._lock:
            self._rules.clear()
            self._lock.notify_all()
        self._stop_listening()
        if self._held is not None:
            self._held.close()
            self._held = None
        self._close_connections()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- listening --------------------------------------------------------------------------

    def _listen(self) -> None:
        listener, self._held = self._held, None
        if listener is None:
            listener = self._bound()
        listener.listen(64)
        listener.settimeout(0.5)  # a fallback wake-up where shutdown() does not end accept()
        self._port = listener.getsockname()[1]
        self._listener = listener
        self._accepting = threading.Thread(
            target=self._accept, args=(listener,), name="fault-proxy-accept", daemon=True
        )
        self._accepting.start()

    def _bound(self) -> socket.socket:
        bound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.bind((self._host, self._port))
        return bound

    def _stop_listening(self, *, hold_port: bool = False) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # ends a blocked accept() at once on Linux
        if self._accepting is not None:
            self._accepting.join(timeout=5)
        listener.close()
        if hold_port:
            self._held = self._bound()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                conn, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._listener is not listener:
                conn.close()  # accepted just as listening stopped: refuse it after all
                return
            conn.settimeout(None)
            with self._lock:
                self._connections.add(conn)
                self.connections += 1
            threading.Thread(
                target=self._serve, args=(conn,), name="fault-proxy-conn", daemon=True
            ).start()

    def _close_connections(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            _hang_up(conn)

    # -- serving one client connection ------------------------------------------------------

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        try:
            while not self._closed.is_set():
                request, buffer = _read_request(conn, buffer)
                if request is None or not self._answer(conn, request):
                    return
        except OSError:
            pass  # the client went away, or a fault closed the connection: both are fine
        finally:
            with self._lock:
                self._connections.discard(conn)
            _hang_up(conn)

    def _answer(self, conn: socket.socket, request: _Request) -> bool:
        """Act on one request; whether the connection may carry another."""
        rule = self._take_rule(request.method)
        if rule is None:
            return _reply(conn, request, self._forward(request))
        fault, options = rule.fault, rule.options
        if fault is Fault.LATENCY:
            self._hold(options["delay"], options["until"])
            if self._closed.is_set():
                return False  # a proxy closed meanwhile passes nothing on
        forward = options.get("forward")
        answer = None
        if _FORWARDS[fault] if forward is None else forward:
            answer = self._forward(request)
        if fault in (Fault.DROP_BEFORE_FORWARD, Fault.DROP_AFTER_FORWARD):
            return False
        if fault is Fault.HUGE_BODY:
            _send_huge(conn, int(options["size"]), bool(options["declare_length"]))
            return False
        if fault is Fault.TRUNCATED:
            assert answer is not None
            full = len(answer.body)
            answer.body = answer.body[: full // 2]
            _send(conn, answer, keep_alive=False,
                  length=len(answer.body) if options["honest_length"] else full)
            return False
        if fault is Fault.WRONG_CONTENT_TYPE:
            assert answer is not None
            answer.headers = [(name, value) for name, value in answer.headers
                              if name.lower() != "content-type"]
            answer.headers.append(("Content-Type", "text/html; charset=utf-8"))
        if fault not in (Fault.LATENCY, Fault.WRONG_CONTENT_TYPE):
            answer = _stand_in(fault, options)  # what answers in the exchange's place
        assert answer is not None
        return _reply(conn, request, answer)

    def _take_rule(self, method: str) -> _Rule | None:
        """Count the request and return the fault that acts on it, if any."""
        with self._lock:
            self.received[method] += 1
            rule = next((r for r in self._rules if r.remaining != 0), None)
            if rule is None or not rule.applies_to(method):
                self._lock.notify_all()
                return None
            if rule.remaining is not None:
                rule.remaining -= 1
            self.injected[rule.fault] += 1
            self._lock.notify_all()
            return rule

    def _hold(self, delay: float, until: threading.Event | None) -> None:
        if until is None:
            self._closed.wait(delay)
            return
        deadline = time.monotonic() + _LONGEST_HOLD
        while not (until.is_set() or self._closed.is_set()) and time.monotonic() < deadline:
            until.wait(0.05)

    def _forward(self, request: _Request) -> _Answer:
        """Send the request to the exchange and read its whole answer."""
        upstream = http.client.HTTPConnection(*self._upstream, timeout=30)
        try:
            headers = {name: value for name, value in request.headers
                       if name.lower() not in _HOP_BY_HOP}
            headers["Content-Length"] = str(len(request.body))
            headers["Connection"] = "close"
            with self._lock:
                self.forwarded[request.method] += 1
                self._lock.notify_all()
            upstream.request("POST", request.path, body=request.body, headers=headers)
            response = upstream.getresponse()
            body = response.read()
            with self._lock:
                self.answered[request.method] += 1
                self._lock.notify_all()
            kept = [(name, value) for name, value in response.getheaders()
                    if name.lower() not in _HOP_BY_HOP]
            return _Answer(response.status, response.reason, kept, body)
        finally:
            upstream.close()


def _read_request(conn: socket.socket, buffer: bytes) -> tuple[_Request | None, bytes]:
    """One request from ``conn`` (and what was read past it), or None when the client left."""
    while b"\r\n\r\n" not in buffer:
        if len(buffer) > _MAX_HEAD:
            return None, b""
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None, b""
    headers = [(name.strip(), value.strip()) for name, _, value in
               (line.partition(":") for line in lines[1:] if ":" in line)]
    named = {name.lower(): value for name, value in headers}
    length = int(named.get("content-length", "0") or 0)
    if length > _MAX_BODY:
        return None, b""
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    body, rest = rest[:length], rest[length:]
    form = parse_qs(body.decode("latin-1"), keep_blank_values=True)
    method = form.get("method", [""])[0]
    wants_close = named.get("connection", "").lower() == "close"
    return _Request(parts[1], headers, body, method, wants_close), rest


def _stand_in(fault: Fault, options: dict[str, Any]) -> _Answer:
    """The answer a fault sends instead of the exchange's."""
    if fault is Fault.HTTP_500:
        return _Answer(500, "Internal Server Error", [("Content-Type", "text/plain")],
                       b"Internal Server Error")
    if fault is Fault.HTTP_502:
        return _Answer(502, "Bad Gateway", [("Content-Type", "text/html")], _BAD_GATEWAY)
    if fault is Fault.HTML_PAGE:
        status = int(options["status"])
        return _Answer(status, http.client.responses.get(status, "Unknown"),
                       [("Content-Type", "text/html; charset=utf-8")], _HTML_PAGE)
    if fault is Fault.EMPTY_BODY:
        return _Answer(200, "OK", [("Content-Type", "application/json")], b"")
    assert fault is Fault.RATE_LIMITED, fault
    body = json.dumps({"status": "error", "error": "too many requests"}).encode()
    return _Answer(429, "Too Many Requests", [("Content-Type", "application/json"),
                                              ("Retry-After", str(options["retry_after"]))],
                   body)


def _reply(conn: socket.socket, request: _Request, answer: _Answer) -> bool:
    """Send a whole answer; whether the connection stays open for another request."""
    keep_alive = not request.wants_close
    _send(conn, answer, keep_alive=keep_alive)
    return keep_alive


def _send(conn: socket.socket, answer: _Answer, *, keep_alive: bool,
          length: int | None = None) -> None:
    head = [f"HTTP/1.1 {answer.status} {answer.reason}"]
    head.extend(f"{name}: {value}" for name, value in answer.headers)
    head.append(f"Content-Length: {len(answer.body) if length is None else length}")
    head.append(f"Connection: {'keep-alive' if keep_alive else 'close'}")
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + answer.body)


def _send_huge(conn: socket.socket, size: int, declare_length: bool) -> None:
    """``size`` bytes of a JSON string; the client is expected to give up part way."""
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", "Connection: close"]
    if declare_length:
        head.append(f"Content-Length: {size}")
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    prefix = b'{"status": "ok", "data": "'
    for chunk in _filler(size - len(prefix) - 2, prefix, b'"}'):
        conn.sendall(chunk)


def _filler(middle: int, prefix: bytes, suffix: bytes) -> Iterable[bytes]:
    yield prefix
    block = b"x" * (256 * 1024)
    while middle > 0:
        yield block[: min(middle, len(block))]
        middle -= len(block)
    yield suffix


def _hang_up(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()
