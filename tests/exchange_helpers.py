"""What GUI tests ask the exchange behind the app's back: orders, balances, trades, addresses.

Each call goes through the app's own dispatcher (off the UI thread, on the client the app
uses, so with its nonces and, in the fault tests, through its proxy) and waits for the
answer. A call that fails raises its error in the test, as a client call would.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cryptex_desktop.api.types import Order, Trade
from cryptex_desktop.ui.context import AppContext
from tests.gui_checks import WAIT_MS


def ask_exchange(qtbot, app_context: AppContext, call: Callable[[Any], Any]) -> Any:
    """Run ``call(client)`` through the app's dispatcher and return its result."""
    results: list[Any] = []
    errors: list[BaseException] = []
    app_context.dispatcher.submit(call, on_result=results.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(results or errors), timeout=WAIT_MS)
    if errors:
        raise errors[0]
    return results[0]


def free_on_exchange(qtbot, app_context: AppContext, currency: str) -> Decimal:
    """What the exchange says is free to use in ``currency``."""
    sheet = ask_exchange(qtbot, app_context, lambda client: client.info())
    return sheet.balances.get(currency, Decimal(0))


def place_order(qtbot, app_context: AppContext, pair: str, side: str, price: str,
                amount: str) -> int:
    """An order placed straight through the client (not through the Trade tab); its id."""
    placed = ask_exchange(qtbot, app_context, lambda client: client.trade(
        pair, side, Decimal(price), Decimal(amount)))
    return placed.order_id


def order_on_exchange(qtbot, app_context: AppContext, order_id: int) -> Order:
    """The order as the exchange tells it now."""
    return ask_exchange(qtbot, app_context, lambda client: client.order_info(order_id))


def open_orders_on_exchange(qtbot, app_context: AppContext) -> list[Order]:
    """The account's open orders as the exchange tells them."""
    return ask_exchange(qtbot, app_context, lambda client: client.active_orders())


def trades_on_exchange(qtbot, app_context: AppContext, pair: str | None = None) -> list[Trade]:
    """Every trade of the account (of ``pair``, if given), newest first, as the exchange tells."""
    return ask_exchange(qtbot, app_context, lambda client: client.trade_history(
        pair=pair, count=1000, order="DESC"))


def outgoing_on_exchange(qtbot, app_context: AppContext,
                         currency: str = "BTC") -> list[tuple[str, Decimal]]:
    """The withdrawals the exchange lists as unconfirmed: (address, amount)."""
    transactions = ask_exchange(
        qtbot, app_context, lambda client: client.unconfirmed_transactions(currency=currency))
    return [(tx.address, tx.amount) for tx in transactions if not tx.is_incoming]


def deposit_address(qtbot, app_context: AppContext, currency: str) -> str:
    """A new address of the account to deposit ``currency`` to."""
    return ask_exchange(qtbot, app_context,
                        lambda client: client.get_new_address(currency)).address


def coupon_code(qtbot, app_context: AppContext, currency: str, amount: str,
                recipient: str | None = None) -> str:
    """A coupon made straight through the client, for tests about redeeming."""
    coupon = ask_exchange(qtbot, app_context, lambda client: client.coupon_create(
        currency, Decimal(amount), recipient))
    return coupon.code
