"""Public market data from the sandbox's own book and fills, in the contract's exact shapes.

Each function takes a read transaction and returns the ``data`` of one public GET answer
(``API-CONTRACT.md``, "Public market data"):

- :func:`tickers` / :func:`ticker`: ``last`` is the latest fill's price; ``high``, ``low``
  and ``volume`` cover the fills of the last 24 hours, ``volume`` counted in the quote
  currency (price x amount). Prices are strings; ``volume`` is a string, or the number
  ``0`` when the pair had no fill in 24 hours. A price nobody traded at reads ``"0"``.
- :func:`order_book`: one ``[price, amount]`` per price level, JSON numbers (``Decimal``
  here; :func:`json_text` writes them exactly), bids from the highest price down, asks from
  the lowest up. The engine never leaves the book crossed.
- :func:`trades`: the latest ``TRADES_SHOWN`` fills, oldest first, ``tid`` an integer,
  ``date`` ISO-8601 in UTC with milliseconds and no zone.

Pair codes come in either case (:func:`pair_of`); an unknown one is a 404 refusal.
"""

from __future__ import annotations

import decimal
import json
from datetime import UTC, datetime
from decimal import Decimal

from cryptex_desktop.api.currencies import PAIRS, Pair
from cryptex_desktop.api.money import MONEY_CONTEXT, to_wire

from .store import Refusal, Tx, amount_of

#: How many recent trades ``GET .../trades`` shows.
TRADES_SHOWN = 50
#: The window of the tickers' high, low and volume, in seconds.
TICKER_WINDOW_SECONDS = 24 * 60 * 60

#: Sums of many fills stay exact: a rounding here would misstate the volume.
_EXACT = MONEY_CONTEXT.copy()
_EXACT.traps[decimal.Inexact] = True


def pair_of(code: str) -> Pair:
    """The pair named in a path, ``btc_usd`` or ``BTC_USD``; a 404 refusal for anything else."""
    pair = PAIRS.get(code.upper()) if code.isascii() else None
    if pair is None:
        raise Refusal(f"unknown pair: {code[:40]}", http_status=404)
    return pair


def _ticker_figures(tx: Tx, pair: Pair, now: int) -> dict[str, object]:
    latest = tx.execute(
        "SELECT price FROM fills WHERE pair = ? ORDER BY created DESC, id DESC LIMIT 1",
        (pair.code,),
    ).fetchone()
    rows = tx.execute(
        "SELECT price, amount FROM fills WHERE pair = ? AND created > ?",
        (pair.code, now - TICKER_WINDOW_SECONDS),
    ).fetchall()
    high = low = None
    volume = Decimal(0)
    with decimal.localcontext(_EXACT):
        for row in rows:
            price = amount_of(row["price"])
            high = price if high is None or price > high else high
            low = price if low is None or price < low else low
            volume += price * amount_of(row["amount"])
    return {
        "last": "0" if latest is None else to_wire(amount_of(latest["price"])),
        "high": "0" if high is None else to_wire(high),
        "low": "0" if low is None else to_wire(low),
        "volume": to_wire(volume) if rows else 0,
    }


def ticker(tx: Tx, code: str, now: int) -> dict[str, object]:
    """``{last, low, high, volume}`` of one pair."""
    figures = _ticker_figures(tx, pair_of(code), now)
    return {name: figures[name] for name in ("last", "low", "high", "volume")}


def tickers(tx: Tx, now: int) -> list[dict[str, object]]:
    """``[{base, quote, last, high, low, volume}, ...]``, one per pair, in the pairs' order."""
    return [
        {"base": pair.base, "quote": pair.quote, **_ticker_figures(tx, pair, now)}
        for pair in PAIRS.values()
    ]


def _levels(tx: Tx, pair: Pair, side: str) -> list[list[Decimal]]:
    direction = "DESC" if side == "buy" else "ASC"
    # Only a fixed word is put into the query; every value is bound. The book indexes serve it.
    rows = tx.execute(
        "SELECT price, amount, filled FROM orders WHERE pair = ? AND side = ? "  # noqa: S608
        f"AND status IN (0, 1) ORDER BY price_key {direction}, id ASC",
        (pair.code, side),
    )
    levels: list[list[Decimal]] = []
    with decimal.localcontext(_EXACT):
        for row in rows:
            price = amount_of(row["price"])
            left = amount_of(row["amount"]) - amount_of(row["filled"])
            if levels and levels[-1][0] == price:
                levels[-1][1] += left
            else:
                levels.append([price, left])
    return levels


def order_book(tx: Tx, code: str) -> dict[str, object]:
    """``{bids: [[price, amount], ...], asks: [...]}`` aggregated by price level."""
    pair = pair_of(code)
    return {"bids": _levels(tx, pair, "buy"), "asks": _levels(tx, pair, "sell")}


def trade_date(created: int) -> str:
    """A fill's time as the public trades show it: ``2018-04-28T04:40:52.000`` (UTC)."""
    return datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%S.000")


def trades(tx: Tx, code: str) -> list[dict[str, object]]:
    """The latest ``TRADES_SHOWN`` fills of a pair, oldest first: ``{tid, price, amount, date}``."""
    pair = pair_of(code)
    rows = tx.execute(
        "SELECT id, price, amount, created FROM fills WHERE pair = ? "
        "ORDER BY created DESC, id DESC LIMIT ?",
        (pair.code, TRADES_SHOWN),
    ).fetchall()
    return [
        {
            "tid": row["id"],
            "price": to_wire(amount_of(row["price"])),
            "amount": to_wire(amount_of(row["amount"])),
            "date": trade_date(row["created"]),
        }
        for row in reversed(rows)
    ]


def json_text(value: object) -> str:
    """JSON of an answer, with each ``Decimal`` written as an exact JSON number."""
    if isinstance(value, Decimal):
        return to_wire(value)
    if isinstance(value, dict):
        return "{" + ", ".join(
            f"{json.dumps(str(key))}: {json_text(item)}" for key, item in value.items()
        ) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json_text(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)
