"""The client on a bad line: lost answers, refused connections, rate limits and odd bodies.

A scripted server on loopback plays one behaviour per request, so each case is exact.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

from cryptex_desktop.api import (
    BadResponse,
    ConnectError,
    Credentials,
    CryptexClient,
    ExchangeRefusal,
    OutcomeUnknown,
    RateLimitError,
    RequestTimeout,
)

OK_INFO = b'{"status": "ok", "data": {"balances": {"USD": "1.5"}, "open_orders": 0}}'


def http(status: str, body: bytes, *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class ScriptedServer(socketserver.ThreadingTCPServer):
    """Answers request N with ``script[N]``: bytes to send, or ``None`` to hang up silently."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, script: list[bytes | None]) -> None:
        self.script = list(script)
        self.requests_seen = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length")), 0)
        while len(rest) < length:
            rest += self.request.recv(65536)
        server: ScriptedServer = self.server  # type: ignore[assignment]
        with server.lock:
            reply = server.script[min(server.requests_seen, len(server.script) - 1)]
            server.requests_seen += 1
        if reply is not None:
            self.request.sendall(reply)
        self.request.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def scripted(tmp_path) -> Iterator:
    servers: list[ScriptedServer] = []
    clients: list[CryptexClient] = []

    def start(*script: bytes | None) -> tuple[ScriptedServer, CryptexClient]:
        server = ScriptedServer(list(script))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}/api/v1"
        client = CryptexClient(url, Credentials("u", "k", "s"), tmp_path, backoff=0.01,
                               read_timeout=5)
        clients.append(client)
        return server, client

    yield start
    for client in clients:
        client.close()
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_reading_call_retries_a_lost_answer_by_itself(scripted):
    server, client = scripted(None, http("200 OK", OK_INFO))
    assert str(client.info().balances["USD"]) == "1.5"
    assert server.requests_seen == 2


def test_a_money_call_whose_answer_is_lost_is_not_sent_again(scripted):
    server, client = scripted(None, http("200 OK", b'{"status": "ok", "data": "Opened"}'))
    with pytest.raises(OutcomeUnknown) as lost:
        client.withdraw("1", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "BTC")
    assert server.requests_seen == 1
    assert lost.value.method == "Withdraw"
    assert "may or may not have gone through" in str(lost.value)


@pytest.mark.parametrize(
    "reply",
    [
        http("502 Bad Gateway", b"<html>bad gateway</html>", "Content-Type: text/html"),
        http("200 OK", b"<html>maintenance</html>", "Content-Type: text/html"),
        http("200 OK", b""),
        http("200 OK", b'{"status": "ok", "data": {"order": "x"}}'),
    ],
)
def test_a_money_call_with_an_unreadable_answer_has_an_unknown_outcome(scripted, reply):
    server, client = scripted(reply)
    with pytest.raises(OutcomeUnknown):
        client.trade("BTC_USD", "buy", "1", "1")
    assert server.requests_seen == 1


def test_a_money_call_refused_for_its_nonce_is_signed_again_once(scripted):
    refusal = b'{"status": "error", "error": "invalid nonce: sent 1, must be greater than 41"}'
    server, client = scripted(
        http("200 OK", refusal),
        http("200 OK", b'{"status": "ok", "data": {"order": 7, "balances": {}}}'),
    )
    assert client.trade("BTC_USD", "buy", "1", "1").order_id == 7
    assert server.requests_seen == 2 and client.nonce_refusals == 1
    assert client._nonces.last == 42


def test_btce_style_nonce_wording_resyncs_too(scripted):
    refusal = (b'{"success": 0, "status": "error", "error": "invalid nonce parameter; '
               b"on key:4000, you sent:'3', you should send:4001\"}")
    _, client = scripted(http("200 OK", refusal), http("200 OK", OK_INFO))
    client.info()
    assert client._nonces.last == 4001


def test_a_refused_connection_is_a_plain_transport_error_even_for_money(
    tmp_path, refusing_url
):
    client = CryptexClient(refusing_url, Credentials("u", "k", "s"), tmp_path, backoff=0.01)
    with pytest.raises(ConnectError) as refused:
        client.trade("BTC_USD", "buy", "1", "1")  # never sent, so certainly not executed
    assert refused.value.had_no_effect
    assert "Check your internet connection" in str(refused.value)


def test_rate_limit_is_waited_out_for_reads_and_reported_for_money(scripted):
    limited = http("429 Too Many Requests", b'{"status": "error", "error": "too many requests"}',
                   "Retry-After: 0")
    server, client = scripted(limited, http("200 OK", OK_INFO))
    client.info()
    assert server.requests_seen == 2
    _, money = scripted(limited)
    with pytest.raises(RateLimitError):
        money.coupon_redeem("CTX-USD-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd")


def test_html_and_empty_answers_to_reads_become_bad_response_after_retries(scripted):
    server, client = scripted(http("503 Service Unavailable", b"<html>down</html>"))
    with pytest.raises(BadResponse) as bad:
        client.active_orders()
    assert server.requests_seen == 3
    assert "could not read" in str(bad.value)
    _, client404 = scripted(http("404 Not Found", b"nope"))
    with pytest.raises(BadResponse):
        client404.info()


def test_other_status_words_and_message_fields_are_refusals(scripted):
    _, client = scripted(http("200 OK", b'{"status": "fail", "message": "pair is closed"}'))
    with pytest.raises(ExchangeRefusal) as refused:
        client.info()
    assert "Pair is closed" in str(refused.value)


def test_a_huge_answer_is_refused_not_loaded(scripted, monkeypatch):
    import cryptex_desktop.api.client as client_module

    monkeypatch.setattr(client_module, "MAX_RESPONSE_BYTES", 1000)
    _, client = scripted(http("200 OK", b'{"status": "ok", "data": "' + b"x" * 5000 + b'"}'))
    with pytest.raises(BadResponse) as bad:
        client.info()
    assert "too large" in str(bad.value)


def test_waits_are_told_with_the_plural_the_number_needs():
    """One second is "1 second"; any other number, whole or not, is "seconds"."""
    assert "please wait about 1 second and try again" in str(RateLimitError(1))
    assert "please wait about 3 seconds and try again" in str(RateLimitError(3))
    assert "please wait a little while and try again" in str(RateLimitError(None))
    assert "did not answer within 1 second." in str(RequestTimeout(1))
    assert "did not answer within 0.6 seconds." in str(RequestTimeout(0.6))
    assert "did not answer within 1.5 seconds." in str(RequestTimeout(1.5))
