"""Fixtures shared by the whole suite: a real sandbox exchange on loopback, and accounts on it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api import Credentials, CryptexClient
from cryptex_desktop.sandbox import Account, SandboxServer

# Headless by default, as CI runs it; set QT_QPA_PLATFORM=xcb to watch the GUI tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_names = itertools.count(1)


@pytest.fixture(autouse=True)
def english_numbers() -> Iterator[None]:
    """Numbers are written and read the English way ("1,234.56") whatever the machine's language.

    A test about another language sets ``QLocale.setDefault`` itself; this puts it back.
    """
    from PySide6.QtCore import QLocale  # here, so that tests without Qt never load it

    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox exchange for the session: no market maker, no automatic blocks, no rate limit."""
    data_dir = tmp_path_factory.mktemp("sandbox")
    server = SandboxServer(data_dir, port=0, block_seconds=0, market_maker=False, rate_limit=None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_account(sandbox: SandboxServer):
    """Create a fresh funded account on the session sandbox: ``make_account(USD="100")``."""

    def make(**fund: str) -> Account:
        name = f"user{next(_names)}"
        return sandbox.exchange.create_user(name, {c: Decimal(a) for c, a in fund.items()})

    return make


@pytest.fixture
def make_client(sandbox: SandboxServer, tmp_path: Path):
    """A CryptexClient for an account of the session sandbox, closed after the test."""
    clients: list[CryptexClient] = []

    def make(account: Account, **options: object) -> CryptexClient:
        creds = Credentials(account.username, account.key, account.secret)
        client = CryptexClient(sandbox.url, creds, tmp_path / "client", **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
