"""Every fault on the line to the exchange, through CryptexClient: a sentence, never a crash.

A :class:`~tests.faults.proxy.FaultProxy` sits between a real client and the session's
sandbox exchange. Reads retry by themselves and succeed once the fault stops; calls that
move money are never sent twice (the proxy counts what reached it and what it passed on),
and what the client says about them matches what the exchange did.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest

from cryptex_desktop.api import (
    BadResponse,
    ConnectError,
    Credentials,
    CryptexClient,
    CryptexError,
    OutcomeUnknown,
    RateLimitError,
    RequestTimeout,
    TransportError,
)
from tests.faults.proxy import Fault, FaultProxy

#: An order nobody will take: selling 0.01 BTC for ten million dollars each.
SELL_PRICE = Decimal("10000000")
SELL_AMOUNT = Decimal("0.01")
#: What a client waits for an answer in these tests, unless a case asks for less.
READ_TIMEOUT = 5.0


@dataclass(frozen=True)
class Case:
    """One fault, and what a read and a money call through it must end in."""

    fault: Fault
    options: dict[str, Any] = field(default_factory=dict)
    #: The error a read raises after its retries (None: the read succeeds).
    read_error: type[CryptexError] | None = None
    #: The error a money call raises (None: it succeeds).
    money_error: type[CryptexError] | None = None
    #: Words the error's sentence contains.
    says: str = ""
    #: The client's read timeout, for the latency that outlasts it.
    read_timeout: float = READ_TIMEOUT


CASES = {
    "latency within the timeout": Case(Fault.LATENCY, {"delay": 0.3}),
    "latency beyond the timeout": Case(
        Fault.LATENCY, {"delay": 1.5}, RequestTimeout, OutcomeUnknown,
        "did not answer within 0.6 seconds", read_timeout=0.6),
    "connection refused": Case(
        Fault.REFUSED, {}, ConnectError, ConnectError, "Could not reach the exchange"),
    "dropped before forwarding": Case(
        Fault.DROP_BEFORE_FORWARD, {}, TransportError, OutcomeUnknown,
        "broke before the exchange answered"),
    "dropped after forwarding": Case(
        Fault.DROP_AFTER_FORWARD, {}, TransportError, OutcomeUnknown,
        "broke before the exchange answered"),
    "HTTP 500": Case(Fault.HTTP_500, {}, BadResponse, OutcomeUnknown, "HTTP 500"),
    "HTTP 502": Case(Fault.HTTP_502, {}, BadResponse, OutcomeUnknown, "HTTP 502"),
    "HTML error page": Case(
        Fault.HTML_PAGE, {}, BadResponse, OutcomeUnknown, "a web page instead of data"),
    "truncated body": Case(Fault.TRUNCATED, {}, BadResponse, OutcomeUnknown, "could not read"),
    "truncated body, honest length": Case(
        Fault.TRUNCATED, {"honest_length": True}, BadResponse, OutcomeUnknown, "malformed data"),
    "empty body": Case(Fault.EMPTY_BODY, {}, BadResponse, OutcomeUnknown, "an empty answer"),
    "JSON labelled text/html": Case(Fault.WRONG_CONTENT_TYPE),
    "10 MB body": Case(Fault.HUGE_BODY, {}, BadResponse, OutcomeUnknown, "far too large"),
    "10 MB body, no length": Case(
        Fault.HUGE_BODY, {"declare_length": False}, BadResponse, OutcomeUnknown, "far too large"),
    "429 with Retry-After": Case(
        Fault.RATE_LIMITED, {"retry_after": 1}, RateLimitError, RateLimitError,
        "too many requests"),
}

#: Faults a read gets past by trying again, when they strike once.
ONCE_CASES = {name: case for name, case in CASES.items()
              if case.read_error is not None and case.fault is not Fault.REFUSED}


def assert_sentence(error: BaseException, account_secret: str = "") -> None:
    """What a person would read: a whole sentence, no class names, markup or secrets."""
    text = str(error)
    assert text[:1].isupper() and text.rstrip().endswith((".", "…")), text
    for leak in ("Traceback", "Error(", "<html", "<!DOCTYPE", "urllib3", "requests."):
        assert leak not in text, text
    if account_secret:
        assert account_secret not in text


@pytest.fixture
def account(make_account):
    return make_account(USD="1000", BTC="1")


@pytest.fixture
def client_through(tmp_path, account):
    """``client_through(proxy, read_timeout)``: a client of ``account`` that talks via the proxy."""
    clients: list[CryptexClient] = []

    def make(proxy: FaultProxy, read_timeout: float = READ_TIMEOUT) -> CryptexClient:
        creds = Credentials(account.username, account.key, account.secret)
        client = CryptexClient(proxy.url, creds, tmp_path / "nonces", backoff=0.02,
                               read_timeout=read_timeout)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def free_btc(client: CryptexClient) -> Decimal:
    return client.info().balances.get("BTC", Decimal(0))


def test_an_honest_proxy_changes_nothing_and_keeps_one_connection_alive(
    fault_proxy, client_through
):
    client = client_through(fault_proxy)
    for _ in range(5):
        assert client.info().balances["USD"] == Decimal("1000")
    assert fault_proxy.received["Info"] == fault_proxy.forwarded["Info"] == 5
    assert fault_proxy.connections == 1  # keep-alive, as with the real exchange
    assert not fault_proxy.injected


def test_a_refused_port_refuses_at_once_and_accepts_again_on_the_same_port(fault_proxy):
    port = urlsplit(fault_proxy.url).port
    fault_proxy.set_fault(Fault.REFUSED)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    fault_proxy.clear()
    socket.create_connection(("127.0.0.1", port), timeout=5).close()


@pytest.mark.parametrize("name", list(CASES))
def test_a_read_through_a_fault_ends_in_a_sentence_and_recovers_when_it_stops(
    name, fault_proxy, client_through, account
):
    case = CASES[name]
    client = client_through(fault_proxy, case.read_timeout)
    fault_proxy.set_fault(case.fault, **case.options)

    if case.read_error is None:
        assert client.info().balances["USD"] == Decimal("1000")
        assert fault_proxy.received["Info"] == 1
    else:
        with pytest.raises(CryptexError) as raised:
            client.info()
        assert type(raised.value) is case.read_error  # that type, and nothing else
        assert case.says in str(raised.value)
        assert_sentence(raised.value, account.secret)
        # A read is tried three times in all, then reported.
        expected = 0 if case.fault is Fault.REFUSED else 3
        assert fault_proxy.received["Info"] == expected

    fault_proxy.clear()
    assert client.info().balances["USD"] == Decimal("1000")  # back by itself


@pytest.mark.parametrize("name", list(ONCE_CASES))
def test_a_read_that_meets_a_fault_once_retries_by_itself_and_succeeds(
    name, fault_proxy, client_through, monkeypatch
):
    case = ONCE_CASES[name]
    client = client_through(fault_proxy, case.read_timeout)
    fault_proxy.set_fault(case.fault, times=1, **case.options)
    # What the client asks the clock to wait, read from its sleeps rather than a stopwatch.
    waits: list[float] = []
    sleep, caller = time.sleep, threading.current_thread()

    def recorded_sleep(seconds: float) -> None:
        if threading.current_thread() is caller:
            waits.append(seconds)
        sleep(seconds)

    monkeypatch.setattr(time, "sleep", recorded_sleep)

    assert client.info().balances["USD"] == Decimal("1000")

    assert fault_proxy.received["Info"] == 2
    assert fault_proxy.injected[case.fault] == 1
    if case.fault is Fault.RATE_LIMITED:
        assert waits == [case.options["retry_after"]]  # it waited as the exchange asked


@pytest.mark.parametrize("name", list(CASES))
def test_a_money_call_through_a_fault_is_sent_once_and_says_what_the_exchange_did(
    name, fault_proxy, client_through, account
):
    case = CASES[name]
    client = client_through(fault_proxy, case.read_timeout)
    assert free_btc(client) == Decimal("1")  # also brings the nonce in step
    # Only the trade meets the fault (a refused port refuses everything).
    only_trade = None if case.fault is Fault.REFUSED else {"Trade"}
    fault_proxy.set_fault(case.fault, methods=only_trade, **case.options)

    error: CryptexError | None = None
    try:
        client.trade("BTC_USD", "sell", SELL_PRICE, SELL_AMOUNT)
    except CryptexError as raised:
        error = raised
    assert (None if error is None else type(error)) is case.money_error
    if error is not None:
        assert_sentence(error, account.secret)

    # Never resent: the proxy saw it at most once; refused, it provably never left.
    assert fault_proxy.received["Trade"] == (0 if case.fault is Fault.REFUSED else 1)
    reached = fault_proxy.forwarded["Trade"]
    if isinstance(error, OutcomeUnknown):
        assert not error.had_no_effect
        assert_sentence(error.cause)
    elif error is not None:
        assert error.had_no_effect and reached == 0  # it says nothing changed: it did not
    if case.fault is Fault.LATENCY:
        # A request held up on the way still arrives, after the client stopped waiting.
        assert fault_proxy.wait_for(lambda: fault_proxy.answered["Trade"] == 1)
        reached = 1

    fault_proxy.clear()
    # What the exchange did matches what reached it: the sell reserved exactly its amount.
    expected = Decimal("1") - SELL_AMOUNT if reached else Decimal("1")
    assert free_btc(client) == expected
    assert fault_proxy.received["Trade"] <= 1  # nor sent again once the line was good
