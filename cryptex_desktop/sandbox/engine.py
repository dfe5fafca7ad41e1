"""The matching engine: a price-time priority order book per pair, kept in SQLite.

A new order first reserves what it could spend (price x amount of the quote currency
for a buy, the amount of the base currency for a sell), then takes liquidity from the
best resting orders on the other side while prices cross, each fill at the resting
order's price, oldest first at one price. Whatever is left rests in the book, so after
every operation the best bid is below the best ask. Each side of a fill pays the fee on
what it receives, cut to that currency's decimals; the fee account gets the rest. A buy
that fills below its limit gets the difference back at once. Self-trades are allowed.
"""

from __future__ import annotations

import decimal
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from cryptex_desktop.api.currencies import CURRENCIES, PAIRS, Pair
from cryptex_desktop.api.money import MONEY_CONTEXT, quantize_down, to_wire

from . import accounts
from .store import Refusal, Tx, amount_of, amount_text, price_key

ACTIVE = 0
PARTLY_FILLED = 1
FILLED = 2
CANCELLED = 3

#: Money arithmetic in the engine must be exact: a rounding here would create or lose value.
_EXACT = MONEY_CONTEXT.copy()
_EXACT.traps[decimal.Inexact] = True

_BATCH = 32

_ASKS_CROSSING = (
    "SELECT * FROM orders WHERE pair = ? AND side = 'sell' AND status IN (0, 1) "
    "AND price_key <= ? ORDER BY price_key ASC, id ASC LIMIT ?"
)
_BIDS_CROSSING = (
    "SELECT * FROM orders WHERE pair = ? AND side = 'buy' AND status IN (0, 1) "
    "AND price_key >= ? ORDER BY price_key DESC, id ASC LIMIT ?"
)


@dataclass
class _Order:
    """An order while the engine works on it."""

    id: int
    account_id: int
    side: str
    price: Decimal
    amount: Decimal
    filled: Decimal
    reserve: Decimal

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> _Order:
        return cls(
            id=row["id"],
            account_id=row["account_id"],
            side=row["side"],
            price=amount_of(row["price"]),
            amount=amount_of(row["amount"]),
            filled=amount_of(row["filled"]),
            reserve=amount_of(row["reserve"]),
        )

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.filled

    @property
    def status(self) -> int:
        if self.filled == self.amount:
            return FILLED
        return PARTLY_FILLED if self.filled > 0 else ACTIVE


def wire_timestamp(unix_seconds: int) -> int:
    """Unix seconds as the ``YYYYMMDDhhmmss`` integer (UTC) orders and history use."""
    return int(datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y%m%d%H%M%S"))


def reserve_of(pair: Pair, side: str, price: Decimal, amount: Decimal) -> tuple[str, Decimal]:
    """The currency and amount an order of ``amount`` at ``price`` holds while it rests."""
    if side == "sell":
        return pair.base, amount
    try:
        with decimal.localcontext(_EXACT):
            return pair.quote, price * amount
    except decimal.Inexact:
        raise Refusal("malformed parameter: amount (price x amount is too large)") from None


def _after_fee(gross: Decimal, fee_rate: Decimal, decimals: int) -> tuple[Decimal, Decimal]:
    """(what the receiver gets, the fee): the net is cut down to the currency's decimals."""
    with decimal.localcontext(_EXACT):
        net = quantize_down(gross * (1 - fee_rate), decimals)
        return net, gross - net


def place_order(
    tx: Tx,
    account_id: int,
    pair: Pair,
    side: str,
    price: Decimal,
    amount: Decimal,
    *,
    fee_rate: Decimal,
    fee_account_id: int,
    now: int,
) -> int:
    """Reserve, match and rest an order; returns its id. Refuses if the funds are short.

    ``price`` and ``amount`` must already be valid for the pair (the API layer checks).
    """
    if side not in ("buy", "sell"):
        raise ValueError(f"not an order side: {side!r}")
    reserve_currency, reserve = reserve_of(pair, side, price, amount)
    accounts.debit(tx, account_id, reserve_currency, reserve)
    key = price_key(price, pair.price_decimals)
    order_id = tx.execute(
        "INSERT INTO orders (account_id, pair, side, price, price_key, amount, filled, reserve,"
        " status, created) VALUES (?, ?, ?, ?, ?, ?, '0', ?, 0, ?)",
        (account_id, pair.code, side, amount_text(price), key, amount_text(amount),
         amount_text(reserve), now),
    ).lastrowid
    assert order_id is not None
    taker = _Order(order_id, account_id, side, price, amount, Decimal(0), reserve)
    credits: defaultdict[tuple[int, str], Decimal] = defaultdict(Decimal)
    crossing = _ASKS_CROSSING if side == "buy" else _BIDS_CROSSING
    with decimal.localcontext(_EXACT):
        while taker.remaining > 0:
            rows = tx.execute(crossing, (pair.code, key, _BATCH)).fetchall()
            if not rows:
                break
            for row in rows:
                maker = _Order.from_row(row)
                quantity = min(taker.remaining, maker.remaining)
                _fill(tx, pair, taker, maker, quantity, fee_rate, fee_account_id, now, credits)
                _save_order(tx, maker)
                if taker.remaining == 0:
                    break
        _save_order(tx, taker)
        for (credited_id, currency), total in credits.items():
            accounts.credit(tx, credited_id, currency, total)
    return order_id


def _fill(
    tx: Tx,
    pair: Pair,
    taker: _Order,
    maker: _Order,
    quantity: Decimal,
    fee_rate: Decimal,
    fee_account_id: int,
    now: int,
    credits: defaultdict[tuple[int, str], Decimal],
) -> None:
    """One fill of ``quantity`` at the maker's price: move reserves, pay both sides and fees."""
    price = maker.price
    buy, sell = (taker, maker) if taker.side == "buy" else (maker, taker)
    base_decimals = CURRENCIES[pair.base].decimals
    quote_decimals = CURRENCIES[pair.quote].decimals
    buyer_gets, buyer_fee = _after_fee(quantity, fee_rate, base_decimals)
    seller_gets, seller_fee = _after_fee(price * quantity, fee_rate, quote_decimals)
    buy.reserve -= buy.price * quantity
    sell.reserve -= quantity
    buy.filled += quantity
    sell.filled += quantity
    improvement = (buy.price - price) * quantity
    credits[(buy.account_id, pair.base)] += buyer_gets
    credits[(sell.account_id, pair.quote)] += seller_gets
    credits[(fee_account_id, pair.base)] += buyer_fee
    credits[(fee_account_id, pair.quote)] += seller_fee
    if improvement:
        credits[(buy.account_id, pair.quote)] += improvement
    tx.execute(
        "INSERT INTO fills (pair, price, amount, buy_order_id, sell_order_id, buyer_id,"
        " seller_id, taker_side, buyer_fee, seller_fee, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (pair.code, amount_text(price), amount_text(quantity), buy.id, sell.id,
         buy.account_id, sell.account_id, taker.side, amount_text(buyer_fee),
         amount_text(seller_fee), now),
    )


def _save_order(tx: Tx, order: _Order) -> None:
    tx.execute(
        "UPDATE orders SET filled = ?, reserve = ?, status = ? WHERE id = ?",
        (amount_text(order.filled), amount_text(order.reserve), order.status, order.id),
    )


def _own_order(tx: Tx, account_id: int, order_id: int) -> sqlite3.Row:
    row = tx.execute(
        "SELECT * FROM orders WHERE id = ? AND account_id = ?", (order_id, account_id)
    ).fetchone()
    if row is None:
        raise Refusal(f"unknown order: {order_id}")
    return row


def cancel_order(tx: Tx, account_id: int, order_id: int) -> None:
    """Cancel an active order of this account and free what it still reserves."""
    row = _own_order(tx, account_id, order_id)
    if row["status"] not in (ACTIVE, PARTLY_FILLED):
        raise Refusal(f"order not active: {order_id}")
    cancel(tx, row)


def cancel(tx: Tx, row: sqlite3.Row) -> None:
    """Cancel the order in ``row`` (any owner) and return its reserve to the free balance."""
    pair = PAIRS[row["pair"]]
    currency = pair.quote if row["side"] == "buy" else pair.base
    accounts.credit(tx, row["account_id"], currency, amount_of(row["reserve"]))
    tx.execute(
        "UPDATE orders SET status = ?, reserve = '0' WHERE id = ?",
        (CANCELLED, row["id"]),
    )


def order_to_wire(row: sqlite3.Row) -> dict[str, object]:
    """An order as the API shows it."""
    return {
        "order_id": row["id"],
        "timestamp": wire_timestamp(row["created"]),
        "pair": row["pair"],
        "type": row["side"],
        "price": to_wire(amount_of(row["price"])),
        "amount": to_wire(amount_of(row["amount"])),
        "filled": to_wire(amount_of(row["filled"])),
        "status": row["status"],
    }


def order_info(tx: Tx, account_id: int, order_id: int) -> dict[str, object]:
    """One order of this account, whatever its status."""
    return order_to_wire(_own_order(tx, account_id, order_id))


def active_orders(
    tx: Tx, account_id: int, pair: str | None = None, descending: bool = False
) -> list[dict[str, object]]:
    """This account's orders with status 0 or 1, oldest first unless ``descending``."""
    direction = "DESC" if descending else "ASC"
    pair_clause = "" if pair is None else " AND pair = ?"
    values: tuple[object, ...] = (account_id,) if pair is None else (account_id, pair)
    # Only fixed strings are put into the query; every value is bound.
    query = (
        f"SELECT * FROM orders WHERE account_id = ? AND status IN (0, 1){pair_clause} "  # noqa: S608
        f"ORDER BY created {direction}, id {direction}"
    )
    rows = tx.execute(query, values)
    return [order_to_wire(row) for row in rows]


def open_order_count(tx: Tx, account_id: int) -> int:
    """How many orders of this account rest in the book."""
    row = tx.execute(
        "SELECT COUNT(*) FROM orders WHERE account_id = ? AND status IN (0, 1)", (account_id,)
    ).fetchone()
    return int(row[0])


def reserved(tx: Tx, account_id: int | None = None) -> dict[str, Decimal]:
    """What open orders reserve, per currency: of one account, or of all when ``None``."""
    totals = {code: Decimal(0) for code in CURRENCIES}
    if account_id is None:
        rows = tx.execute("SELECT pair, side, reserve FROM orders WHERE status IN (0, 1)")
    else:
        rows = tx.execute(
            "SELECT pair, side, reserve FROM orders WHERE status IN (0, 1) AND account_id = ?",
            (account_id,),
        )
    with decimal.localcontext(_EXACT):
        for row in rows:
            pair = PAIRS[row["pair"]]
            currency = pair.quote if row["side"] == "buy" else pair.base
            totals[currency] += amount_of(row["reserve"])
    return totals


def best_prices(tx: Tx, pair: str) -> tuple[Decimal | None, Decimal | None]:
    """(best bid, best ask) of a pair's book, ``None`` for an empty side."""
    bid = tx.execute(
        "SELECT price FROM orders WHERE pair = ? AND side = 'buy' AND status IN (0, 1) "
        "ORDER BY price_key DESC LIMIT 1",
        (pair,),
    ).fetchone()
    ask = tx.execute(
        "SELECT price FROM orders WHERE pair = ? AND side = 'sell' AND status IN (0, 1) "
        "ORDER BY price_key ASC LIMIT 1",
        (pair,),
    ).fetchone()
    return (
        None if bid is None else amount_of(bid["price"]),
        None if ask is None else amount_of(ask["price"]),
    )


def trade_history(
    tx: Tx,
    account_id: int,
    *,
    pair: str | None = None,
    since: int | None = None,
    end: int | None = None,
    count: int = 1000,
    descending: bool = True,
) -> list[dict[str, object]]:
    """This account's fills, seen from its side; ``since``/``end`` are Unix seconds, inclusive.

    ``count`` limits after sorting: ``descending`` gives the newest, ascending the oldest
    (page forward with ``since``). A self-trade appears once, from the taker's side.
    """
    clauses = ["(buyer_id = ? OR seller_id = ?)"]
    values: list[object] = [account_id, account_id]
    if pair is not None:
        clauses.append("pair = ?")
        values.append(pair)
    if since is not None:
        clauses.append("created >= ?")
        values.append(since)
    if end is not None:
        clauses.append("created <= ?")
        values.append(end)
    direction = "DESC" if descending else "ASC"
    values.append(count)
    # The clauses and the direction are fixed strings above; every value is bound.
    query = (
        f"SELECT * FROM fills WHERE {' AND '.join(clauses)} "  # noqa: S608
        f"ORDER BY id {direction} LIMIT ?"
    )
    return [_fill_to_wire(row, account_id) for row in tx.execute(query, values)]


def _fill_to_wire(row: sqlite3.Row, account_id: int) -> dict[str, object]:
    is_buyer = row["buyer_id"] == account_id
    is_seller = row["seller_id"] == account_id
    taker_side = row["taker_side"]
    side = taker_side if is_buyer and is_seller else ("buy" if is_buyer else "sell")
    pair = PAIRS[row["pair"]]
    fee = row["buyer_fee"] if side == "buy" else row["seller_fee"]
    return {
        "transaction_id": row["id"],
        "buy_order_id": row["buy_order_id"],
        "sell_order_id": row["sell_order_id"],
        "timestamp": wire_timestamp(row["created"]),
        "pair": pair.code,
        "type": side,
        "price": to_wire(amount_of(row["price"])),
        "amount": to_wire(amount_of(row["amount"])),
        "is_instant_buy": 1 if side == taker_side else 0,
        "fee": to_wire(amount_of(fee)),
        "fee_currency": pair.base if side == "buy" else pair.quote,
    }
