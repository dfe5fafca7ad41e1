"""After a lost answer: did the money-moving request happen? Ask the exchange, never resend.

When Trade, CancelOrder, Withdraw, CouponCreate or CouponRedeem ends in
:class:`~cryptex_desktop.api.errors.OutcomeUnknown`, these functions look at what the
exchange reports now (orders, fills, balances, unconfirmed transactions) and return a
:class:`Finding`: it happened, it did not, or the exchange cannot say yet. Each reads only.

One check per money-moving method: :func:`check_trade`, :func:`check_cancel`,
:func:`check_withdraw`, :func:`check_coupon_create` and :func:`check_coupon_redeem`.
The balance-based ones compare with the balances read just before the request was sent,
so read them then (``client.info().balances``, and for a coupon also
``client.info(with_reserves=True).balances``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from cryptex_desktop.i18n import _

from .client import CryptexClient
from .currencies import currency_decimals
from .money import money_context, to_wire
from .types import Order, OrderStatus, Transaction

#: How far back to look for an order whose answer was lost (exchange clocks differ).
LOOKBACK = timedelta(minutes=15)


@dataclass(frozen=True)
class Finding:
    """What the exchange shows about a request whose answer was lost.

    ``happened`` is True (it was carried out), False (it was not) or None (cannot tell);
    ``detail`` says so in a sentence; ``found`` holds what proves it, if anything: the
    order, the withdrawal's transaction, or the balance now.
    """

    happened: bool | None
    detail: str
    found: Order | Transaction | Decimal | None = None


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
            return Finding(True, _("The order was placed and is open."), order)
    ids: set[int] = set()
    for fill in client.trade_history(pair=pair, since=sent_at - LOOKBACK):
        ids.add(fill.buy_order_id if fill.type == "buy" else fill.sell_order_id)
    for order_id in sorted(ids - set(known_order_ids), reverse=True):
        order = client.order_info(order_id)
        if matches(order):
            return Finding(True, _("The order was placed and has already filled."), order)
    return Finding(False, _("The exchange has no such order: it was not placed."))


def existing_order_ids(client: CryptexClient, pair: str, now: datetime) -> frozenset[int]:
    """This user's orders on ``pair`` that exist already: open ones, and those with recent fills.

    Read just before a Trade is sent, so that after a lost answer :func:`check_trade` cannot
    take one of them (say, the same order placed from another computer) for the new one.
    """
    ids = {order.order_id for order in client.active_orders(pair=pair)}
    for fill in client.trade_history(pair=pair, since=now - LOOKBACK):
        ids.add(fill.buy_order_id if fill.type == "buy" else fill.sell_order_id)
    return frozenset(ids)


def check_cancel(client: CryptexClient, order_id: int) -> Finding:
    """Whether the order is cancelled now."""
    order = client.order_info(order_id)
    if order.status == OrderStatus.CANCELLED:
        return Finding(True, _("The order is cancelled."), order)
    if order.status == OrderStatus.FILLED:
        return Finding(False, _("The order filled before it could be cancelled."), order)
    return Finding(False, _("The order is still open: it was not cancelled."), order)


def check_withdraw(
    client: CryptexClient,
    currency: str,
    amount: Decimal,
    address: str,
    known_txids: Collection[str] = (),
    before: Mapping[str, Decimal] | None = None,
) -> Finding:
    """Look for the outgoing transaction among the unconfirmed ones, then at the balance.

    ``before`` (the free balances read just before sending) lets the check say "it did not
    happen" when the exchange neither lists the withdrawal nor took its amount: a
    withdrawal leaves the free balance at once.
    """
    with money_context():
        for tx in client.unconfirmed_transactions(currency=currency):
            if (tx.txid not in known_txids and tx.address == address
                    and tx.amount == -amount):
                return Finding(True, _("The withdrawal was sent and is being confirmed."), tx)
    if before is not None:
        now = client.info().balances.get(currency, Decimal(0))
        with money_context():
            change = now - before.get(currency, Decimal(0))
            if change == 0:
                return Finding(False, _(
                    "The exchange does not list this withdrawal yet. Your {currency} balance "
                    "has not changed either, so it did not go through.").format(
                        currency=currency), now)
            if change == -amount:
                return Finding(True, _("The withdrawal was accepted: its amount has left your "
                                       "balance. The exchange will list it among your pending "
                                       "transactions shortly."), now)
    return Finding(None, _("The exchange does not list this withdrawal yet. Check your balance "
                           "and the Deposit tab's list of transactions in a few minutes before "
                           "trying again."))


def check_coupon_create(
    client: CryptexClient,
    currency: str,
    amount: Decimal,
    before: Mapping[str, Decimal],
    before_total: Mapping[str, Decimal] | None = None,
) -> Finding:
    """Whether a coupon was made: its amount leaves the free balance at once.

    The exchange shows a coupon's code only in the answer that was lost, so a coupon that
    was made cannot be handed to the person now: the finding says so and points to support.
    With ``before_total`` (balances with reserves, read before sending) a coupon held for
    moderation, which has no code yet, is told apart: its amount is still in the total.
    """
    with money_context():
        taken = -amount
    free = check_balance_change(client, currency, before, taken)
    if not free.happened:
        return free
    if before_total is not None:
        held = check_balance_change(client, currency, before_total, Decimal(0),
                                    with_reserves=True)
        if held.happened:
            return Finding(True, _("Your balance shows that it went through: the coupon was "
                                   "created and is held for a manual check. Its code is issued "
                                   "on cryptex.net once the check passes; nothing was lost."),
                           free.found)
    return Finding(True, _("Your balance shows that it went through. The coupon was created, "
                           "but its code was lost with the connection and the exchange does not "
                           "show codes twice. Contact Cryptex support on cryptex.net with the "
                           "time and the amount to recover it; do not create it again."),
                   free.found)


def check_coupon_redeem(
    client: CryptexClient, currency: str, before: Mapping[str, Decimal]
) -> Finding:
    """Whether a coupon of ``currency`` was redeemed: the free balance rose since ``before``.

    A code does not say its amount, so any rise counts (``found`` is the new balance).
    """
    now = client.info().balances.get(currency, Decimal(0))
    with money_context():
        rise = now - before.get(currency, Decimal(0))
    if rise > 0:
        return Finding(True, _("Your {currency} balance rose by {amount}, so the coupon was "
                               "redeemed.").format(currency=currency,
                                                   amount=_money(rise, currency)), now)
    if rise == 0:
        return Finding(False, _("Your balance has not changed: the coupon was not redeemed. You "
                                "can safely try again; a coupon can only ever be redeemed once."),
                       now)
    return Finding(None, _("Your {currency} balance changed in another way meanwhile, so the "
                           "app cannot tell. Check your balances before trying again.").format(
                               currency=currency), now)


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
        return Finding(True, _("Your balance shows that it went through."), now)
    if change == 0:
        return Finding(False, _("Your balance has not changed: it did not go through."), now)
    return Finding(None, _("Your balance changed by a different amount, so the app cannot tell. "
                           "Check your balances and history."), now)


def _money(amount: Decimal, currency: str) -> str:
    """``12.50 USD``: the amount with its currency's decimals (at least), and its code."""
    text = to_wire(amount)
    decimals = len(text.partition(".")[2])
    wanted = max(decimals, currency_decimals(currency))
    return f"{amount:.{wanted}f} {currency}"
