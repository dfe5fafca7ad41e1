"""Shared fixtures for the sandbox exchange's tests: an exchange, a server, signed callers."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Account, Exchange, SandboxServer

RICH = {"BTC": Decimal("10"), "LTC": Decimal("1000"), "USD": Decimal("100000"),
        "EUR": Decimal("100000"), "RUR": Decimal("10000000")}


def wait_until(condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.02)


class InProcessCaller:
    """Signs and sends API calls straight to ``Exchange.handle`` for one account."""

    def __init__(self, exchange: Exchange, account: Account) -> None:
        self.exchange = exchange
        self.account = account
        self._nonces = itertools.count(1)

    def call(self, method: str, **params: str) -> tuple[int, dict[str, Any]]:
        nonce = next(self._nonces)
        signature = sign(self.account.secret, nonce, self.account.username, self.account.key)
        return self.exchange.handle(
            method, {"nonce": str(nonce), **params}, self.account.key, signature
        )

    def ok(self, method: str, **params: str) -> Any:
        status, body = self.call(method, **params)
        assert (status, body["status"]) == (200, "ok"), body
        return body["data"]

    def refused(self, method: str, **params: str) -> str:
        status, body = self.call(method, **params)
        assert (status, body["status"]) == (200, "error"), body
        return str(body["error"])


class HttpCaller:
    """Signs and posts API calls to a running sandbox server for one account."""

    def __init__(self, url: str, account: Account) -> None:
        self.url = url
        self.account = account
        self.session = requests.Session()
        self._nonces = itertools.count(1)

    def post(self, method: str, **params: str) -> requests.Response:
        nonce = next(self._nonces)
        signature = sign(self.account.secret, nonce, self.account.username, self.account.key)
        return self.session.post(
            self.url,
            data={"method": method, "nonce": str(nonce), **params},
            headers={"Key": self.account.key, "Sign": signature},
            timeout=30,
        )

    def ok(self, method: str, **params: str) -> Any:
        response = self.post(method, **params)
        body = response.json(parse_float=Decimal)
        assert (response.status_code, body["status"]) == (200, "ok"), body
        return body["data"]

    def refused(self, method: str, **params: str) -> str:
        response = self.post(method, **params)
        body = response.json()
        assert (response.status_code, body["status"]) == (200, "error"), body
        return str(body["error"])


def assert_conserved(exchange: Exchange) -> None:
    """Every currency's holdings equal what came in minus what went out."""
    for currency, figures in exchange.audit().items():
        assert figures["held"] == figures["expected"], (currency, figures)


@pytest.fixture(scope="session", name="wait_until")
def wait_until_fixture() -> Callable[..., Any]:
    """:func:`wait_until`: poll a condition with a deadline instead of sleeping and hoping."""
    return wait_until


@pytest.fixture(scope="session", name="assert_conserved")
def assert_conserved_fixture() -> Callable[[Exchange], None]:
    """:func:`assert_conserved`: the exchange's audit balances in every currency."""
    return assert_conserved


@pytest.fixture(scope="session")
def signed_caller() -> type[InProcessCaller]:
    """The in-process caller class, for tests that build their own exchange."""
    return InProcessCaller


@pytest.fixture(scope="session")
def rich() -> dict[str, Decimal]:
    """A funding large enough for any single test trade."""
    return dict(RICH)


@pytest.fixture
def exchange(tmp_path: Path) -> Iterator[Exchange]:
    """A fresh in-process exchange in a temporary data dir."""
    ex = Exchange(tmp_path / "exchange")
    yield ex
    ex.close()


@pytest.fixture
def caller(exchange: Exchange) -> Callable[..., InProcessCaller]:
    """``caller("alice", fund={...})``: a new funded user and an in-process caller for it."""

    def make(username: str, fund: dict[str, Decimal] | None = None) -> InProcessCaller:
        return InProcessCaller(exchange, exchange.create_user(username, fund))

    return make


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    """A quiet server on a free port: no market maker, no mining, no rate limit."""
    with SandboxServer(
        tmp_path / "server", port=0, block_seconds=0, market_maker=False, rate_limit=None
    ) as running:
        yield running


@pytest.fixture
def http_caller(server: SandboxServer) -> Callable[..., HttpCaller]:
    """``http_caller("bob", fund={...})``: a new funded user and an HTTP caller for it."""
    made: list[HttpCaller] = []

    def make(username: str, fund: dict[str, Decimal] | None = None) -> HttpCaller:
        made.append(HttpCaller(server.url, server.exchange.create_user(username, fund)))
        return made[-1]

    yield make
    for each in made:
        each.session.close()
