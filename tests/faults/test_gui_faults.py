"""The app on a bad line, as a person sees it: sentences, no crash, and nothing sent twice.

The real main window is switched from its embedded demo exchange to the same exchange
behind a :class:`~tests.faults.proxy.FaultProxy` (as a live account on an http address on
this machine). Faults on background reads must show as a sentence in the status bar and
clear by themselves once the line is good again. For each of the five money actions, the
answer is lost after the exchange acted, or before it saw the request: the screen must say
it is checking, then say in words what really happened, and the proxy must have seen the
request exactly once.
"""

from __future__ import annotations

import functools
import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from cryptex_desktop.api import CryptexClient
from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.types import OrderStatus
from cryptex_desktop.ui import connection as connection_module
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.screens.coupons import CouponsScreen
from cryptex_desktop.ui.screens.open_orders import OpenOrdersScreen
from cryptex_desktop.ui.screens.trade import TradeScreen
from cryptex_desktop.ui.screens.withdraw import WithdrawScreen
from tests.exchange_helpers import (
    free_on_exchange,
    open_orders_on_exchange,
    order_on_exchange,
    outgoing_on_exchange,
    place_order,
)
from tests.faults.proxy import Fault, FaultProxy
from tests.gui_checks import WAIT_MS, modal_dialog

CHECKING = "Checking with the exchange what happened…"
DROPS = {"after": Fault.DROP_AFTER_FORWARD, "before": Fault.DROP_BEFORE_FORWARD}
WHEN = list(DROPS)


def assert_sentence(text: str) -> None:
    assert text[:1].isupper() and text.endswith((".", "…")), text
    for leak in ("Traceback", "Error(", "<html", "<!DOCTYPE", "urllib3"):
        assert leak not in text, text


def settled(window, app_context) -> bool:
    """Nothing in flight, no problem shown, and the last update went through."""
    return (app_context.dispatcher.pending == 0 and window.status.error_label.full_text() == ""
            and window.status.updated_label.text().startswith("Updated"))


def switch_to_proxy(qtbot, window, app_context, demo_exchange, proxy_to) -> FaultProxy:
    """Switch the app to its demo exchange behind a new fault proxy; wait for balances."""
    made = proxy_to(app_context.connection.demo.server.url)
    app_context.settings.refresh_seconds = 2  # so recovering "by itself" comes soon
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_live(made.url, demo_exchange.demo_account().credentials())
    qtbot.waitUntil(lambda: app_context.wallet.known and settled(window, app_context),
                    timeout=WAIT_MS)
    return made


@pytest.fixture
def proxy(qtbot, window, app_context, demo_exchange, proxy_to) -> FaultProxy:
    """The app on its demo exchange behind a fault proxy, balances loaded."""
    return switch_to_proxy(qtbot, window, app_context, demo_exchange, proxy_to)


# -- faults on the way, while the app keeps itself up to date --------------------------------

READ_FAULTS = {
    "connection refused": (Fault.REFUSED, {}, "Could not reach the exchange"),
    "HTTP 500": (Fault.HTTP_500, {}, "a server error, HTTP 500"),
    "HTML error page": (Fault.HTML_PAGE, {}, "a web page instead of data"),
    "truncated body": (Fault.TRUNCATED, {}, "could not read"),
    "429 with Retry-After": (Fault.RATE_LIMITED, {"retry_after": 1}, "too many requests"),
    "dropped connection": (Fault.DROP_AFTER_FORWARD, {}, "broke before the exchange answered"),
}


@pytest.mark.parametrize("name", list(READ_FAULTS))
def test_a_fault_on_the_line_shows_a_sentence_and_clears_by_itself_when_it_stops(
    name, qtbot, window, app_context, proxy
):
    fault, options, says = READ_FAULTS[name]
    proxy.set_fault(fault, **options)
    window.refresh_now()

    qtbot.waitUntil(lambda: window.status.error_label.full_text() != "", timeout=WAIT_MS)
    shown = window.status.error_label.full_text()
    assert says in shown
    assert_sentence(shown)
    assert window.isVisible()

    proxy.clear()  # the line is good again; nobody presses anything
    qtbot.waitUntil(lambda: settled(window, app_context), timeout=WAIT_MS)


def test_a_slow_exchange_shows_requests_in_progress_and_the_window_keeps_working(
    qtbot, window, app_context, proxy
):
    answer_may_come = threading.Event()
    proxy.set_fault(Fault.LATENCY, methods={"Info"}, times=1, until=answer_may_come)
    try:
        window.refresh_now()
        qtbot.waitUntil(lambda: proxy.injected[Fault.LATENCY] == 1, timeout=WAIT_MS)
        assert "Talking to the exchange" in window.status.in_flight_label.text()
        # The window still answers while the exchange does not: switching tabs works.
        trade = window.show_screen(TradeScreen.NAME)
        assert window.tabs.currentWidget() is trade
        assert window.status.error_label.full_text() == ""
    finally:
        answer_may_come.set()
    qtbot.waitUntil(lambda: settled(window, app_context), timeout=WAIT_MS)


def test_an_exchange_too_slow_to_answer_is_a_sentence_and_the_app_recovers(
    qtbot, window, app_context, demo_exchange, proxy_to, monkeypatch
):
    # The app waits 20 seconds for an answer; a shorter wait keeps this test short.
    monkeypatch.setattr(connection_module, "CryptexClient",
                        functools.partial(CryptexClient, read_timeout=1.0))
    slow = switch_to_proxy(qtbot, window, app_context, demo_exchange, proxy_to)
    slow.set_fault(Fault.LATENCY, methods={"Info"}, delay=2.0)
    window.refresh_now()

    qtbot.waitUntil(lambda: window.status.error_label.full_text() != "", timeout=WAIT_MS)
    shown = window.status.error_label.full_text()
    assert "did not answer within" in shown
    assert_sentence(shown)

    slow.clear()
    qtbot.waitUntil(lambda: settled(window, app_context), timeout=WAIT_MS)


# -- money actions whose answer is lost -------------------------------------------------------


def lose_the_answer(
    qtbot, proxy: FaultProxy, method: str, when: str, first_check: str,
    press: QAbstractButton, checking: QLabel, checking_text: str = CHECKING,
) -> None:
    """Press ``press`` with ``method``'s answer lost ``when``, and watch the screen check.

    The check's first read (``first_check``) is held at the proxy until the screen has
    said that it is checking, so the test sees that sentence without racing it.
    """
    check_may_go = threading.Event()
    proxy.set_fault(DROPS[when], methods={method}, times=1)
    proxy.then(Fault.LATENCY, methods={first_check}, times=1, until=check_may_go)
    try:
        qtbot.mouseClick(press, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: checking.text() == checking_text, timeout=WAIT_MS)
        assert proxy.received[method] == 1
    finally:
        check_may_go.set()


def assert_sent_once(proxy: FaultProxy, method: str, when: str) -> None:
    assert proxy.received[method] == 1, "a money action was sent again"
    assert proxy.forwarded[method] == (1 if when == "after" else 0)


@pytest.mark.parametrize("when", WHEN)
def test_an_order_whose_answer_is_lost_is_looked_up_and_reported_in_words(
    when, qtbot, window, app_context, proxy
):
    screen = window.show_screen(TradeScreen.NAME)
    screen.pair_combo.setCurrentIndex(screen.pair_combo.findData("BTC_USD"))
    qtbot.mouseClick(screen.buy_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.price_edit, "30000")
    qtbot.keyClicks(screen.amount_edit, "0.1")
    qtbot.mouseClick(screen.place_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.value_text("You pay") == "3,000.00 USD"

    lose_the_answer(qtbot, proxy, "Trade", when, "ActiveOrders", dialog.confirm_button,
                    screen.result_label)
    assert screen.place_button.is_busy()
    qtbot.waitUntil(lambda: not screen.place_button.is_busy(), timeout=WAIT_MS)

    text = screen.result_label.text()
    orders = open_orders_on_exchange(qtbot, app_context)
    if when == "after":
        assert text.startswith("The connection dropped, but the exchange has your order #")
        assert text.endswith("The order was placed and is open.")
        assert screen.result_tone() == "success"
        assert [(o.price, o.amount) for o in orders] == [(Decimal("30000"), Decimal("0.1"))]
        assert f"#{orders[0].order_id}:" in text
    else:
        assert text == (
            "The connection dropped before the exchange confirmed the order. The exchange has "
            "no such order: it was not placed. Nothing was spent; you can place it again."
        )
        assert screen.result_tone() == "problem"
        assert orders == []
        assert screen.amount_edit.text() == "0.1"  # nothing typed is lost
    assert_sent_once(proxy, "Trade", when)


@pytest.mark.parametrize("when", WHEN)
def test_a_cancel_whose_answer_is_lost_is_checked_on_the_order_and_reported(
    when, qtbot, window, app_context, proxy
):
    order_id = place_order(qtbot, app_context, "BTC_USD", "buy", "30000", "0.1")
    app_context.refresher.stop()  # the list must not change under the click
    screen = window.show_screen(OpenOrdersScreen.NAME)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.select_order(order_id), timeout=WAIT_MS)
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.value_text("Back to your available balance") == "3,000.00 USD"

    lose_the_answer(qtbot, proxy, "CancelOrder", when, "OrderInfo", dialog.confirm_button,
                    screen.result_label,
                    f"Checking with the exchange what happened to order #{order_id}…")
    assert screen.cancel_button.is_busy()
    qtbot.waitUntil(lambda: not screen.cancel_button.is_busy(), timeout=WAIT_MS)

    order = order_on_exchange(qtbot, app_context, order_id)
    if when == "after":
        assert screen.result_label.text() == (
            f"Order #{order_id} is cancelled. Back in your available balance: "
            "3,000.00 USD."
        )
        assert order.status == OrderStatus.CANCELLED
    else:
        assert screen.result_label.text() == (
            f"Order #{order_id}: the exchange did not confirm the cancel, so the app "
            "checked. The order is still open: it was not cancelled."
        )
        assert order.status == OrderStatus.ACTIVE
    assert_sent_once(proxy, "CancelOrder", when)


@pytest.mark.parametrize("when", WHEN)
def test_a_withdrawal_whose_answer_is_lost_is_looked_for_and_reported(
    when, qtbot, window, app_context, proxy
):
    screen = window.show_screen(WithdrawScreen.NAME)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("BTC"))
    recipient = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, recipient)
    qtbot.keyClicks(screen.amount_edit, "0.3")
    qtbot.mouseClick(screen.withdraw_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.value_text("You send") == "0.30000000 BTC"

    lose_the_answer(qtbot, proxy, "Withdraw", when, "UnconfirmedTransactions",
                    dialog.confirm_button, screen.result_label)
    assert screen.withdraw_button.is_busy()
    qtbot.waitUntil(lambda: not screen.withdraw_button.is_busy(), timeout=WAIT_MS)

    outgoing = outgoing_on_exchange(qtbot, app_context, "BTC")
    if when == "after":
        assert screen.result_label.text() == (
            "The withdrawal was sent and is being confirmed. 0.3 BTC is on its way to the "
            "address below. It needs 3 confirmations; you can follow it on the Deposit tab."
        )
        assert screen.sent_address() == recipient
        assert not screen.result_label.is_problem()
        assert outgoing == [(recipient, Decimal("-0.3"))]
    else:
        assert screen.result_label.text() == (
            "The exchange does not list this withdrawal yet. Your BTC balance has not changed "
            "either, so it did not go through. Nothing was sent; you can try again."
        )
        assert screen.result_label.is_problem() and screen.sent_address() == ""
        assert outgoing == []
        assert screen.address_edit.text() == recipient and screen.amount_edit.text() == "0.3"
    assert_sent_once(proxy, "Withdraw", when)


@pytest.mark.parametrize("when", WHEN)
def test_a_coupon_whose_answer_is_lost_is_reported_honestly(
    when, qtbot, window, app_context, proxy
):
    screen = window.show_screen(CouponsScreen.NAME)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("USD"))
    qtbot.keyClicks(screen.amount_edit, "25")
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.value_text("Leaves your balance") == "25.00 USD"

    lose_the_answer(qtbot, proxy, "CouponCreate", when, "Info", dialog.confirm_button,
                    screen.create_result_label)
    assert screen.create_button.is_busy()
    qtbot.waitUntil(lambda: not screen.create_button.is_busy(), timeout=WAIT_MS)

    free_usd = free_on_exchange(qtbot, app_context, "USD")
    if when == "after":
        # The code lived only in the lost answer: said plainly, with whom to ask.
        assert screen.create_result_label.text() == (
            "Your balance shows that it went through. The coupon was created, but its code "
            "was lost with the connection and the exchange does not show codes twice. Contact "
            "Cryptex support on cryptex.net with the time and the amount to recover it; do "
            "not create it again."
        )
        assert not screen.create_result_label.is_problem()
        assert free_usd == Decimal("9975")
    else:
        assert screen.create_result_label.text() == (
            "Your balance has not changed: it did not go through. No coupon was made; you can "
            "create it again."
        )
        assert screen.create_result_label.is_problem()
        assert screen.amount_edit.text() == "25"
        assert free_usd == Decimal("10000")
    assert_sent_once(proxy, "CouponCreate", when)


@pytest.mark.parametrize("when", WHEN)
def test_a_redeem_whose_answer_is_lost_is_checked_against_the_balance(
    when, qtbot, window, app_context, demo_exchange, proxy, tmp_path
):
    giver = demo_exchange.create_user("giver", {"USD": Decimal("100")})
    with CryptexClient(app_context.connection.demo.server.url, giver.credentials(),
                       tmp_path / "giver") as client:
        code = client.coupon_create("USD", Decimal("12.5")).code
    screen = window.show_screen(CouponsScreen.NAME)
    qtbot.keyClicks(screen.code_edit, code)

    lose_the_answer(qtbot, proxy, "CouponRedeem", when, "Info", screen.redeem_button,
                    screen.redeem_result_label)
    assert screen.redeem_button.is_busy()
    qtbot.waitUntil(lambda: not screen.redeem_button.is_busy(), timeout=WAIT_MS)

    free_usd = free_on_exchange(qtbot, app_context, "USD")
    if when == "after":
        assert screen.redeem_result_label.text() == (
            "Your USD balance rose by 12.50 USD, so the coupon was redeemed."
        )
        assert screen.code_edit.text() == ""
        assert free_usd == Decimal("10012.5")
    else:
        assert screen.redeem_result_label.text() == (
            "Your balance has not changed: the coupon was not redeemed. You can safely try "
            "again; a coupon can only ever be redeemed once. The code is still in the field."
        )
        assert screen.redeem_result_label.is_problem()
        assert screen.code_edit.text() == code  # kept, to try again
        assert free_usd == Decimal("10000")
    assert_sent_once(proxy, "CouponRedeem", when)
