"""The Open orders screen and the order details dialog, against the embedded demo exchange."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.errors import ConnectError, OutcomeUnknown, RequestTimeout
from cryptex_desktop.api.types import OrderStatus
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.order_details import OrderDetailsDialog
from cryptex_desktop.ui.models import KEY_ROLE
from cryptex_desktop.ui.screens.open_orders import OpenOrdersScreen
from cryptex_desktop.ui.screens.trade import TradeScreen
from tests.exchange_helpers import order_on_exchange, place_order
from tests.gui_checks import WAIT_MS, modal_dialog

EMPTY = ("You have no open orders. Orders you place on the Trade tab wait here until they "
         "fill.")


def shown_ids(screen: OpenOrdersScreen) -> list[int]:
    return [screen.proxy.index(row, 0).data(KEY_ROLE) for row in range(screen.proxy.rowCount())]


def open_screen(qtbot, window, app_context, count: int) -> OpenOrdersScreen:
    """The Open orders tab, once it shows ``count`` orders; no timer refreshes behind it."""
    app_context.refresher.stop()
    screen = window.show_screen(OpenOrdersScreen.NAME)
    screen.refresh()
    qtbot.waitUntil(lambda: len(shown_ids(screen)) == count, timeout=WAIT_MS)
    return screen


def click_row(qtbot, screen: OpenOrdersScreen, order_id: int, modifier=Qt.KeyboardModifier
              .NoModifier, double=False) -> None:
    row = shown_ids(screen).index(order_id)
    where = screen.table.visualRect(screen.proxy.index(row, 1)).center()
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, modifier, where)
    if double:  # QTest's double-click event alone lacks the first press a real one has
        qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton, modifier, where)


def other_user(demo_exchange, app_context, tmp_path, name: str, funds) -> CryptexClient:
    """Someone else on the demo exchange, with their own client."""
    account = demo_exchange.create_user(name, funds)
    return CryptexClient(app_context.connection.endpoint.url, account.credentials(),
                         data_dir=tmp_path / name)


def test_a_buy_far_below_the_market_waits_here_and_cancelling_returns_its_reserve(
        qtbot, window, app_context):
    trade = window.show_screen(TradeScreen.NAME)
    qtbot.mouseClick(trade.buy_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(trade.price_edit, "30000")
    qtbot.keyClicks(trade.amount_edit, "0.1")
    qtbot.mouseClick(trade.place_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(modal_dialog(qtbot, ConfirmDialog).confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is placed" in trade.result_label.text(), timeout=WAIT_MS)
    order_id = int(trade.result_label.text().split("#")[1].split()[0])
    wallet = app_context.wallet
    qtbot.waitUntil(lambda: wallet.free_balance("USD") == Decimal("7000"), timeout=WAIT_MS)

    screen = open_screen(qtbot, window, app_context, 1)
    assert shown_ids(screen) == [order_id]
    assert not screen.cancel_button.isEnabled()  # nothing selected yet
    click_row(qtbot, screen, order_id)
    assert screen.cancel_button.isEnabled()
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)

    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert f"Cancel order #{order_id}?" in [label.text() for label in dialog.findChildren(QLabel)]
    assert dialog.value_text("Order") == f"#{order_id}: buy 0.10000000 BTC at 30,000.00 USD each"
    assert "Orders" not in dialog.values  # one order is "Order:", never "Orders:"
    assert dialog.value_text("Back to your available balance") == "3,000.00 USD"
    assert dialog.cancel_button.text() == "Keep order"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.cancel_button.is_busy()

    qtbot.waitUntil(lambda: not screen.cancel_button.is_busy(), timeout=WAIT_MS)
    assert screen.result_label.text() == (
        f"Order #{order_id} is cancelled. Back in your available balance: 3,000.00 USD."
    )
    assert screen.result_tone() == "success"
    qtbot.waitUntil(lambda: screen.state_text() == EMPTY, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wallet.free_balance("USD") == Decimal("10000"), timeout=WAIT_MS)


def test_keeping_the_orders_in_the_confirmation_cancels_nothing(qtbot, window, app_context):
    order_id = place_order(qtbot, app_context, "BTC_USD", "buy", "30000", "0.1")
    screen = open_screen(qtbot, window, app_context, 1)
    click_row(qtbot, screen, order_id)

    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)  # Delete asks, like the button
    dialog = modal_dialog(qtbot, ConfirmDialog)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not any(isinstance(w, ConfirmDialog) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=WAIT_MS)
    assert not screen.cancel_button.is_busy()
    assert screen.cancel_button.isEnabled()
    assert screen.result_label.text() == ""
    order = order_on_exchange(qtbot, app_context, order_id)
    assert order.status == OrderStatus.ACTIVE
    assert shown_ids(screen) == [order_id]


def test_cancelling_several_orders_names_the_one_that_had_already_filled(
        qtbot, window, app_context, demo_exchange, tmp_path):
    # A sell between the market maker's best bid and ask rests at the top of the book.
    sell_id = place_order(qtbot, app_context, "BTC_USD", "sell", "65100", "0.1")
    buy_id = place_order(qtbot, app_context, "BTC_USD", "buy", "30000", "0.1")
    screen = open_screen(qtbot, window, app_context, 2)
    click_row(qtbot, screen, sell_id)
    click_row(qtbot, screen, buy_id, Qt.KeyboardModifier.ControlModifier)
    assert screen.cancel_button.text() == "&Cancel 2 orders"

    with other_user(demo_exchange, app_context, tmp_path, "bob", {"USD": Decimal("10000")}) as bob:
        bob.trade("BTC_USD", "buy", Decimal("65100"), Decimal("0.1"))  # takes the sell order

    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert "Cancel these 2 orders?" in [label.text() for label in dialog.findChildren(QLabel)]
    assert dialog.value_text("Orders").splitlines()[0] == "2 orders:"
    assert dialog.confirm_button.text() == "Cancel 2 orders"
    assert dialog.cancel_button.text() == "Keep orders"
    assert dialog.value_text("Back to your available balance") == (
        "0.10000000 BTC and 3,000.00 USD"
    )
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not screen.cancel_button.is_busy(), timeout=WAIT_MS)
    assert screen.result_label.text() == (
        f"Cancelled 1 of 2 orders. Back in your available balance: 3,000.00 USD. "
        f"Order #{sell_id} had already filled."
    )
    qtbot.waitUntil(lambda: shown_ids(screen) == [], timeout=WAIT_MS)


def test_the_pair_filter_shows_one_market_and_is_remembered(qtbot, window, app_context):
    btc_id = place_order(qtbot, app_context, "BTC_USD", "buy", "30000", "0.1")
    ltc_id = place_order(qtbot, app_context, "LTC_USD", "buy", "50", "2")
    screen = open_screen(qtbot, window, app_context, 2)
    assert screen.pair_filter.currentText() == "All markets"

    screen.pair_filter.setCurrentIndex(screen.pair_filter.findData("LTC_USD"))
    qtbot.waitUntil(lambda: shown_ids(screen) == [ltc_id], timeout=WAIT_MS)

    again = OpenOrdersScreen(app_context.dispatcher, app_context.wallet, app_context.refresher,
                             app_context.settings)
    qtbot.addWidget(again)
    assert again.pair_filter_code() == "LTC_USD"
    assert again.pair_filter.currentText() == "LTC/USD"

    screen.pair_filter.setCurrentIndex(screen.pair_filter.findData("EUR_USD"))
    qtbot.waitUntil(lambda: screen.state_text().startswith("You have no open orders in EUR/USD."),
                    timeout=WAIT_MS)

    screen.pair_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: sorted(shown_ids(screen)) == sorted([btc_id, ltc_id]),
                    timeout=WAIT_MS)


@pytest.mark.parametrize("opened_by", ["double-click", "Enter"])
def test_order_details_show_a_partly_filled_order_in_words(qtbot, window, app_context,
                                                           demo_exchange, tmp_path, opened_by):
    order_id = place_order(qtbot, app_context, "BTC_USD", "sell", "65100", "0.2")
    with other_user(demo_exchange, app_context, tmp_path, "carol",
                    {"USD": Decimal("10000")}) as carol:
        carol.trade("BTC_USD", "buy", Decimal("65100"), Decimal("0.05"))
    screen = open_screen(qtbot, window, app_context, 1)

    if opened_by == "Enter":
        click_row(qtbot, screen, order_id)
        qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    else:
        click_row(qtbot, screen, order_id, double=True)
    dialog = modal_dialog(qtbot, OrderDetailsDialog)
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=WAIT_MS)

    assert dialog.windowTitle() == f"Order #{order_id}"
    assert dialog.value_text("Status") == (
        "Partly filled: some has filled, the rest is still waiting."
    )
    assert dialog.value_text("Market") == "BTC/USD (Bitcoin priced in US dollar)"
    assert dialog.value_text("Side") == "Sell: give BTC to get USD"
    assert dialog.value_text("Price") == "65,100.00 USD per BTC"
    assert dialog.value_text("Amount") == "0.20000000 BTC"
    assert dialog.value_text("Filled") == "0.05000000 of 0.20000000 BTC"
    assert dialog.value_text("Remaining") == "0.15000000 BTC"
    assert dialog.value_text("Total") == "13,020.00 USD"
    assert dialog.value_text("Placed")[:4].isdigit()
    assert dialog.cancel_order_button.isVisible()


def test_details_say_so_while_loading_and_can_start_a_cancel(qtbot, window, app_context):
    order_id = place_order(qtbot, app_context, "LTC_USD", "sell", "99", "1.5")
    screen = open_screen(qtbot, window, app_context, 1)
    click_row(qtbot, screen, order_id)
    qtbot.mouseClick(screen.details_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, OrderDetailsDialog)
    assert dialog.is_loading()  # the fresh copy is asked for as the dialog opens
    assert dialog.progress.isVisible()
    assert dialog.state_label.text() == "Getting the latest from the exchange…"
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=WAIT_MS)
    assert not dialog.progress.isVisible()
    assert dialog.value_text("Status").startswith("Open")

    qtbot.mouseClick(dialog.cancel_order_button, Qt.MouseButton.LeftButton)
    confirmation = modal_dialog(qtbot, ConfirmDialog)
    assert confirmation.value_text("Order") == (
        f"#{order_id}: sell 1.50000000 LTC at 99.0000 USD each"
    )
    assert confirmation.value_text("Back to your available balance") == "1.50000000 LTC"


def test_a_lost_cancel_answer_is_checked_with_the_exchange_and_never_sent_again(
        qtbot, window, app_context, monkeypatch):
    order_id = place_order(qtbot, app_context, "BTC_USD", "buy", "30000", "0.1")
    client = app_context.dispatcher.client
    real_cancel = client.cancel_order
    sent: list[int] = []

    def answer_lost_on_the_way_back(wanted: int):
        sent.append(wanted)
        real_cancel(wanted)
        raise OutcomeUnknown("CancelOrder", RequestTimeout(20))

    monkeypatch.setattr(client, "cancel_order", answer_lost_on_the_way_back)
    screen = open_screen(qtbot, window, app_context, 1)
    click_row(qtbot, screen, order_id)
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(modal_dialog(qtbot, ConfirmDialog).confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not screen.cancel_button.is_busy(), timeout=WAIT_MS)
    assert screen.result_label.text().startswith(f"Order #{order_id} is cancelled.")
    assert sent == [order_id]
    order = order_on_exchange(qtbot, app_context, order_id)
    assert order.status == OrderStatus.CANCELLED


def test_switching_accounts_clears_the_rows_and_the_last_result(qtbot, window, app_context):
    kept = place_order(qtbot, app_context, "BTC_USD", "buy", "30000", "0.1")
    gone = place_order(qtbot, app_context, "BTC_USD", "buy", "31000", "0.1")
    screen = open_screen(qtbot, window, app_context, 2)
    click_row(qtbot, screen, gone)
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(modal_dialog(qtbot, ConfirmDialog).confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.result_label.text().startswith(f"Order #{gone} is cancelled"),
                    timeout=WAIT_MS)
    assert kept in shown_ids(screen)

    app_context.dispatcher.set_client(app_context.dispatcher.client)  # as Settings does

    assert screen.result_label.text() == ""
    assert shown_ids(screen) == []
    assert screen.state_text() == "Loading your open orders…"
    assert not screen.cancel_button.isEnabled()


def test_a_load_problem_goes_away_once_the_exchange_answers_again(qtbot, window, app_context,
                                                                  monkeypatch):
    app_context.refresher.stop()
    screen = window.show_screen(OpenOrdersScreen.NAME)
    # One failed refresh is this list's problem; a second (the tab's own) would be the app's.
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    screen.account_changed()  # forget what was loaded (the app as a whole has loaded before)
    client = app_context.dispatcher.client
    real_active_orders = client.active_orders

    def unreachable(*args, **kwargs):
        raise ConnectError("127.0.0.1")

    monkeypatch.setattr(client, "active_orders", unreachable)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.state_text().startswith("Could not load your open orders."),
                    timeout=WAIT_MS)
    assert screen.list.retry_button.isVisible()

    monkeypatch.setattr(client, "active_orders", real_active_orders)
    qtbot.mouseClick(screen.list.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.state_text() == EMPTY, timeout=WAIT_MS)
    assert not screen.list.retry_button.isVisible()
