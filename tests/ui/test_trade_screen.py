"""The Trade screen, driven as a person would, against the embedded demo exchange over HTTP."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.errors import OutcomeUnknown, RequestTimeout
from cryptex_desktop.api.types import OrderStatus
from cryptex_desktop.sandbox.market_maker import levels
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.screens.trade import TradeScreen
from tests.exchange_helpers import (
    free_on_exchange,
    open_orders_on_exchange,
    place_order,
    trades_on_exchange,
)
from tests.gui_checks import WAIT_MS, modal_dialog


def fill_in(qtbot, screen: TradeScreen, *, side: str, price: str, amount: str, pair="BTC_USD"):
    """Choose the market and side, then type the price and the amount."""
    screen.pair_combo.setCurrentIndex(screen.pair_combo.findData(pair))
    qtbot.mouseClick(screen.buy_button if side == "buy" else screen.sell_button,
                     Qt.MouseButton.LeftButton)
    screen.price_edit.clear()
    qtbot.keyClicks(screen.price_edit, price)
    screen.amount_edit.clear()
    qtbot.keyClicks(screen.amount_edit, amount)


def open_confirmation(qtbot, screen: TradeScreen) -> ConfirmDialog:
    qtbot.mouseClick(screen.place_button, Qt.MouseButton.LeftButton)
    return modal_dialog(qtbot, ConfirmDialog)


def no_confirmation_open() -> bool:
    return not any(isinstance(w, ConfirmDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())


def test_demo_buy_fills_and_shows_in_history(qtbot, window, app_context):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="buy", price="70000", amount="0.1")

    qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)  # Enter opens the confirmation
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.windowTitle() == "Confirm your order"
    assert dialog.value_text("You pay") == "7,000.00 USD"
    assert dialog.value_text("You receive (after fee)") == "0.09980000 BTC"
    assert dialog.value_text("Price") == "70,000.00 USD per BTC"
    assert dialog.confirm_button.text() == "Place buy order"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    # While the order is on its way the button says so and cannot be pressed again.
    assert screen.place_button.is_busy()
    assert not screen.place_button.isEnabled()
    qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)
    assert no_confirmation_open()

    qtbot.waitUntil(lambda: "filled at once" in screen.result_label.text(), timeout=WAIT_MS)
    assert screen.result_tone() == "success"
    order_id = int(screen.result_label.text().split("#")[1].split()[0])
    assert screen.amount_edit.text() == ""  # so the same order is not placed twice by accident

    # It filled at the market maker's best ask, below the limit: the buyer paid less.
    best_ask = levels(PAIRS["BTC_USD"])["sell"][0]
    wallet = app_context.wallet
    qtbot.waitUntil(lambda: wallet.free_balance("BTC") == Decimal("2.0998"), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: wallet.free_balance("USD") == Decimal("10000") - best_ask * Decimal("0.1"),
        timeout=WAIT_MS,
    )

    fills = trades_on_exchange(qtbot, app_context, "BTC_USD")
    assert [(f.type, f.amount, f.buy_order_id) for f in fills] == [
        ("buy", Decimal("0.1"), order_id)
    ]
    # The History tab shows the fill as a row a person can read.
    history = window.show_screen("history")
    qtbot.waitUntil(lambda: fills[0].transaction_id in history.model, timeout=WAIT_MS)
    row = history.model.row_of(fills[0].transaction_id)
    cells = [history.model.index(row, column).data() for column in range(8)]
    assert cells[1:5] == ["BTC/USD", "Buy", cells[3], "0.10000000"]
    assert cells[7] == str(order_id)


def test_the_form_says_what_you_pay_and_receive_as_you_type(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    assert screen.pair_combo.currentText() == "BTC / USD"
    assert screen.pair_combo.itemData(0, Qt.ItemDataRole.ToolTipRole) == (
        "Bitcoin priced in US dollar"
    )
    fill_in(qtbot, screen, side="buy", price="65000", amount="0.01")
    assert screen.price_label.text() == "&Price per BTC in USD:"
    assert screen.available_label.text() == "Available: 10,000.00 USD"
    assert screen.pay_label.text() == "650.00 USD"
    assert screen.receive_label.text() == "0.00998000 BTC after the 0.2% fee"
    assert screen.place_button.text() == "Place buy order"
    assert screen.place_button.isEnabled()

    qtbot.mouseClick(screen.sell_button, Qt.MouseButton.LeftButton)
    assert screen.available_label.text() == "Available: 2.00000000 BTC"
    assert screen.pay_label.text() == "0.01000000 BTC"
    assert screen.receive_label.text() == "about 648.70 USD after the 0.2% fee"
    assert screen.place_button.text() == "Place sell order"

    # Another market keeps its own numbers; coming back finds what was typed.
    fill_in(qtbot, screen, side="sell", price="80", amount="2", pair="LTC_USD")
    assert screen.amount_label.text() == "&Amount of LTC:"
    assert screen.pay_label.text() == "2.00000000 LTC"
    screen.pair_combo.setCurrentIndex(screen.pair_combo.findData("BTC_USD"))
    assert (screen.price_edit.text(), screen.amount_edit.text()) == ("65000", "0.01")


def test_max_fills_the_largest_amount_the_balance_covers(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    qtbot.mouseClick(screen.buy_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(screen.max_button, Qt.MouseButton.LeftButton)
    assert "Enter your price first" in screen.price_message.text()
    assert screen.amount_edit.text() == ""

    qtbot.keyClicks(screen.price_edit, "65000")
    qtbot.mouseClick(screen.max_button, Qt.MouseButton.LeftButton)
    # 10,000 USD / 65,000 = 0.153846153…, rounded DOWN so it stays affordable.
    assert screen.amount_edit.text() == "0.15384615"
    assert screen.amount_message.text() == ""
    assert screen.place_button.isEnabled()

    qtbot.mouseClick(screen.sell_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.max_button, Qt.MouseButton.LeftButton)
    assert screen.amount_edit.text() == "2"
    assert screen.pay_label.text() == "2.00000000 BTC"


def test_bad_inputs_show_a_sentence_under_the_field_and_keep_the_button_disabled(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    cases = [
        ("buy", "65000", "0.123456789", "amount", "Use at most 8 decimals for BTC."),
        ("buy", "65000", "0.00001", "amount", "The smallest amount is 0.0001 BTC."),
        ("buy", "65000", "1", "amount",
         "That costs 65,000.00 USD, but you have 10,000.00 USD available. Lower the amount or "
         "the price, or press Max."),
        ("buy", "65000.123", "0.1", "price", "Use at most 2 decimals for USD."),
        ("sell", "65000", "3", "amount",
         "You have 2.00000000 BTC available to sell; enter that or less, or press Max."),
    ]
    for side, price, amount, where, sentence in cases:
        fill_in(qtbot, screen, side=side, price=price, amount=amount)
        message = screen.amount_message if where == "amount" else screen.price_message
        assert message.text() == sentence
        assert message.is_problem()
        assert not screen.place_button.isEnabled()
        qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)
        assert no_confirmation_open()

    fill_in(qtbot, screen, side="buy", price="65000", amount="0.1")
    assert screen.amount_message.text() == ""
    assert screen.price_message.text() == ""
    assert screen.place_button.isEnabled()


def test_cancel_in_the_confirmation_sends_nothing(qtbot, window, app_context):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="sell", price="66000", amount="0.5")

    dialog = open_confirmation(qtbot, screen)
    assert "Sell 0.50000000 BTC at 66,000.00 USD each?" in [
        label.text() for label in dialog.findChildren(QLabel)
    ]
    assert dialog.value_text("You pay") == "0.50000000 BTC"
    assert dialog.value_text("You receive (after fee)") == "about 32,934.00 USD"
    assert dialog.value_text("Pair") == "BTC / USD (Bitcoin priced in US dollar)"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(no_confirmation_open, timeout=WAIT_MS)
    assert not screen.place_button.is_busy()
    assert screen.place_button.isEnabled()
    assert screen.result_label.text() == ""
    assert (screen.price_edit.text(), screen.amount_edit.text()) == ("66000", "0.5")
    assert open_orders_on_exchange(qtbot, app_context) == []
    assert free_on_exchange(qtbot, app_context, "BTC") == Decimal("2")


def test_an_exchange_refusal_shows_a_sentence_and_keeps_what_was_typed(qtbot, window,
                                                                        app_context):
    screen = window.show_screen(TradeScreen.NAME)
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    app_context.refresher.stop()  # keep the screen's balances a moment out of date
    # Elsewhere (another program on the same account) 9,900 USD goes into an order.
    place_order(qtbot, app_context, "BTC_USD", "buy", "1000", "9.9")
    assert app_context.wallet.free_balance("USD") == Decimal("10000")

    fill_in(qtbot, screen, side="buy", price="60000", amount="0.1")
    dialog = open_confirmation(qtbot, screen)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not screen.place_button.is_busy(), timeout=WAIT_MS)
    text = screen.result_label.text()
    assert text.startswith("You do not have enough funds for this")
    assert "Traceback" not in text
    assert screen.result_tone() == "problem"
    assert (screen.price_edit.text(), screen.amount_edit.text()) == ("60000", "0.1")
    # The form learns the real balance and now says so under the amount.
    qtbot.waitUntil(lambda: screen.available_label.text() == "Available: 100.00 USD",
                    timeout=WAIT_MS)
    assert screen.amount_message.text().startswith("That costs 6,000.00 USD")
    assert not screen.place_button.isEnabled()


def test_a_lost_answer_is_checked_with_the_exchange_and_never_sent_again(qtbot, window,
                                                                         app_context,
                                                                         monkeypatch):
    client = app_context.dispatcher.client
    real_trade = client.trade
    sent: list[tuple] = []

    def answer_lost_on_the_way_back(*args, **kwargs):
        sent.append(args)
        real_trade(*args, **kwargs)
        raise OutcomeUnknown("Trade", RequestTimeout(20))

    monkeypatch.setattr(client, "trade", answer_lost_on_the_way_back)
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="buy", price="50000", amount="0.01")
    dialog = open_confirmation(qtbot, screen)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not screen.place_button.is_busy(), timeout=WAIT_MS)
    text = screen.result_label.text()
    assert text.startswith("The connection dropped, but the exchange has your order #")
    assert text.endswith("The order was placed and is open.")
    assert len(sent) == 1
    orders = open_orders_on_exchange(qtbot, app_context)
    assert [(o.price, o.amount, o.status) for o in orders] == [
        (Decimal("50000"), Decimal("0.01"), OrderStatus.ACTIVE)
    ]


def test_last_market_and_side_are_remembered(qtbot, app_context):
    first = TradeScreen(app_context.dispatcher, app_context.wallet, app_context.refresher,
                        app_context.settings)
    qtbot.addWidget(first)
    assert first.available_label.text() == "Available: loading…"
    assert not first.place_button.isEnabled()
    first.pair_combo.setCurrentIndex(first.pair_combo.findData("LTC_USD"))
    qtbot.mouseClick(first.sell_button, Qt.MouseButton.LeftButton)

    again = TradeScreen(app_context.dispatcher, app_context.wallet, app_context.refresher,
                        app_context.settings)
    qtbot.addWidget(again)
    assert (again.pair(), again.side()) == ("LTC_USD", "sell")
    assert again.pair_combo.currentText() == "LTC / USD"
    assert again.sell_button.isChecked()
    assert again.place_button.text() == "Place sell order"


def test_switching_accounts_while_an_order_is_on_its_way_stops_waiting_and_says_so(
        qtbot, window, app_context):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="buy", price="50000", amount="0.01")
    dialog = open_confirmation(qtbot, screen)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.place_button.is_busy()

    app_context.dispatcher.set_client(app_context.dispatcher.client)  # as Settings does

    assert not screen.place_button.is_busy()
    assert screen.result_label.text().startswith("You switched accounts while an order")
    assert screen.available_label.text() == "Available: loading…"
    assert not screen.place_button.isEnabled()
