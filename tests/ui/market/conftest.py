"""Fixtures of the market-data widget tests: books and trades to show, in English and Russian.

Every test here runs twice, under an English and a Russian default ``QLocale``, so numbers
are written with either marks ("1,234.56" and "1 234,56") and nothing may depend on which.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale

from cryptex_desktop.api.market import BookLevel, MarketTrade, OrderBook

LOCALES = {
    "english": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    "russian": QLocale(QLocale.Language.Russian, QLocale.Country.Russia),
}


@pytest.fixture(autouse=True, params=sorted(LOCALES))
def number_locale(request: pytest.FixtureRequest) -> Iterator[str]:
    """The default locale for one run of the test; the previous one again afterwards."""
    previous = QLocale()
    QLocale.setDefault(LOCALES[request.param])
    yield request.param
    QLocale.setDefault(previous)


def make_book(levels: int = 5, *, pair: str = "BTC_USD", mid: str = "27000",
              step: str = "0.5", seed: int = 7) -> OrderBook:
    """A book with ``levels`` on each side around ``mid``, amounts varied but repeatable."""
    rng = random.Random(seed)
    middle, gap = Decimal(mid), Decimal(step)
    asks = tuple(
        BookLevel(middle + gap * (n + 1), Decimal(rng.randint(1, 400_000_000)).scaleb(-8))
        for n in range(levels))
    bids = tuple(
        BookLevel(middle - gap * (n + 1), Decimal(rng.randint(1, 400_000_000)).scaleb(-8))
        for n in range(levels))
    return OrderBook(pair, bids, asks)


def make_trades(count: int, *, start: datetime | None = None, seed: int = 2026,
                mean_gap_seconds: int = 45) -> list[MarketTrade]:
    """``count`` trades of BTC/USD, oldest first, a price that wanders and pauses."""
    rng = random.Random(seed)
    moment = start or datetime(2026, 9, 1, tzinfo=UTC)
    price = 27_000.0  # a random walk to draw prices from; each becomes an exact Decimal
    trades = []
    for number in range(count):
        moment += timedelta(milliseconds=rng.randint(0, 2 * mean_gap_seconds * 1000))
        price *= 1 + rng.gauss(0, 0.001)
        trades.append(MarketTrade(number + 1, Decimal(f"{price:.2f}"),
                                  Decimal(rng.randint(1, 200_000_000)).scaleb(-8), moment))
    return trades
