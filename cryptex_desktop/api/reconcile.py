"""After a lost answer: did the money-moving request happen? Ask the exchange, never resend.

When Trade, CancelOrder, Withdraw, CouponCreate or CouponRedeem ends in
:class:`~cryptex_desktop.api.errors.OutcomeUnknown`, these functions look at what the
exchange reports now (orders, fills, balances, unconfirmed transactions) and return a
:class:`Finding`: it happened, it did not, or the exchange cannot say yet. Each reads only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .client import CryptexClient
from .money import money_context
from .types import Order, OrderStatus

#: How far back to look for an order whose answer was lost (exchange clocks differ).
LOOKBACK = timedelta(minutes=15)


@dataclass(frozen=True)
class Finding:
    """What the exchange shows about a request whose answer was lost.

    ``happened`` is True (it was carried out), False (it was not) or None (cannot tell);
    ``detail`` says so in a sentence; ``found`` holds what proves it (an Order...), if any.
    """

    happened: bool | None
    detail: str
    found: Any = None


def check_trade(
    client: CryptexClient,
    pair: str,
    type: str,
    price: Decimal,
    amount: Decimal,
    sent_at: datetime,
    known_order_ids: Collection[int] = (),
) -> Finding:
    """Look for a new order with exactly these terms among open orders and recent fills."""
    def matches(order: Order) -> bool:
        return (order.order_id not in known_order_ids and order.pair == pair
                and order.type == type and order.price == price and order.amount == amount
                and order.timestamp >= sent_at - LOOKBACK)

    for order in client.active_orders(pair=pair):
        if matches(order):
            return Finding(True, "The order was placed and is open.", order)
    ids: set[int] = set()
    for fill in client.trade_history(pair=pair, since=sent_at - LOOKBACK):
        ids.add(fill.buy_order_id if fill.type == "buy" else fill.sell_order_id)
    for order_id in sorted(ids - set(known_order_ids), reverse=True):
        order = client.order_info(order_id)
        if matches(order):
            return Finding(True, "The order was placed and has already filled.", order)
    return Finding(False, "The exchange has no such order: it was not placed.")


def check_cancel(client: CryptexClient, order_id: int) -> Finding:
    """Whether the order is cancelled now."""
    order = client.order_info(order_id)
    if order.status == OrderStatus.CANCELLED:
        return Finding(True, "The order is cancelled.", order)
    if order.status == OrderStatus.FILLED:
        return Finding(False, "The order filled before it could be cancelled.", order)
    return Finding(False, "The order is still open: it was not cancelled.", order)


def check_withdraw(
    client: CryptexClient,
    currency: str,
    amount: Decimal,
    address: str,
    known_txids: Collection[str] = (),
) -> Finding:
    """Look for the outgoing transaction among the unconfirmed ones."""
    with money_context():
        for tx in client.unconfirmed_transactions(currency=currency):
            if (tx.txid not in known_txids and tx.address == address
                    and tx.amount == -amount):
                return Finding(True, "The withdrawal was sent and is being confirmed.", tx)
    return Finding(None, "The exchange does not list this withdrawal yet. Check your balance "
                         "and the Deposit tab's list of transactions in a few minutes before "
                         "trying again.")


def check_balance_change(
    client: CryptexClient,
    currency: str,
    before: Mapping[str, Decimal],
    expected_change: Decimal,
    with_reserves: bool = False,
) -> Finding:
    """Whether ``currency``'s balance moved by exactly ``expected_change`` since ``before``."""
    now = client.info(with_reserves=with_reserves).balances.get(currency, Decimal(0))
    with money_context():
        change = now - before.get(currency, Decimal(0))
    if change == expected_change:
        return Finding(True, "Your balance shows that it went through.", now)
    if change == 0:
        return Finding(False, "Your balance has not changed: it did not go through.", now)
    return Finding(None, "Your balance changed by a different amount, so the app cannot tell. "
                         "Check your balances and history.", now)
