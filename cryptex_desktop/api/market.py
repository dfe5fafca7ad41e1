"""The exchange's public market data: order book, recent trades and ticker of one market.

provisional: replaced by the market-data client (only the types the market widgets use).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class BookLevel:
    """One price level of an order book: the price and the amount offered at it."""

    price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class OrderBook:
    """Both sides of a market's order book: bids from the highest price, asks from the lowest."""

    pair: str
    bids: tuple[BookLevel, ...]
    asks: tuple[BookLevel, ...]


@dataclass(frozen=True)
class MarketTrade:
    """One trade of a market, anyone's: ``time`` is aware, in UTC."""

    trade_id: int
    price: Decimal
    amount: Decimal
    time: datetime


@dataclass(frozen=True)
class Ticker:
    """A market's last price and its 24 h high, low and volume (in the quote currency)."""

    pair: str
    last: Decimal | None
    high: Decimal | None
    low: Decimal | None
    volume: Decimal | None
