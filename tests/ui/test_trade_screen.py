"""The Trade screen, driven as a person would, against the embedded demo exchange over HTTP."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QLabel

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.errors import OutcomeUnknown, RequestTimeout
from cryptex_desktop.api.types import Order, OrderStatus, PlacedOrder, Trade
from cryptex_desktop.sandbox.market_maker import levels
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.models.trade_history import AMOUNT, FEE, ORDER, PAIR, PRICE, TOTAL
from cryptex_desktop.ui.order_terms import PlacedTrade, placed_sentence
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
    cells = [history.model.index(row, column).data() for column in range(ORDER + 1)]
    assert cells[PAIR:PRICE] + cells[AMOUNT:TOTAL] == ["BTC/USD", "Buy", "0.10000000"]
    assert cells[FEE] == "0.00020000 BTC"  # 0.2% of the 0.1 BTC bought
    assert cells[ORDER] == str(order_id)


def test_the_form_says_what_you_pay_and_receive_as_you_type(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    assert screen.pair_combo.currentText() == "BTC/USD"
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


def test_a_price_with_a_thousands_comma_is_read_as_thousands_and_costed_right(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    assert screen.available_label.text() == "Available: 10,000.00 USD"
    fill_in(qtbot, screen, side="buy", price="65,130", amount="0.01")
    assert screen.price_edit.amount() == Decimal("65130")
    assert screen.price_message.text() == "Read as 65,130 USD"
    assert not screen.price_message.is_problem()
    assert screen.pay_label.text() == "651.30 USD"
    assert screen.place_button.isEnabled()

    # "65,13" is how a German writes 65.13: refused with that reading, never taken as 65.13.
    screen.price_edit.clear()
    qtbot.keyClicks(screen.price_edit, "65,13")
    assert screen.price_edit.amount() is None
    assert screen.price_message.is_problem()
    assert screen.price_message.text().startswith("Did you mean 65.13? ")
    assert screen.pay_label.text() == "—"
    assert not screen.place_button.isEnabled()

    # What the app displays, pasted back, is read as displayed.
    screen.price_edit.setText("10,000.00")
    assert screen.price_edit.amount() == Decimal("10000")
    assert screen.pay_label.text() == "100.00 USD"


def test_in_russian_the_form_reads_and_writes_numbers_the_russian_way(
    qtbot, russian_numbers, window
):
    group = QLocale().groupSeparator()  # a no-break space
    screen = window.show_screen(TradeScreen.NAME)
    assert screen.available_label.text() == f"Available: 10{group}000,00 USD"
    fill_in(qtbot, screen, side="buy", price="1 234,56", amount="0,01")
    assert screen.price_edit.amount() == Decimal("1234.56")
    assert screen.price_message.text() == f"Read as 1{group}234,56 USD"
    assert screen.amount_edit.amount() == Decimal("0.01")
    assert screen.pay_label.text() == "12,3456 USD"
    assert screen.place_button.isEnabled()

    qtbot.mouseClick(screen.max_button, Qt.MouseButton.LeftButton)
    assert screen.amount_edit.text() == "8,10005184"  # 10,000 USD / 1,234.56, rounded down
    assert screen.amount_edit.amount() == Decimal("8.10005184")

    balances = window.screens["balances"].model
    cells = {balances.index(row, 1).data() for row in range(balances.rowCount())}
    assert f"10{group}000,00" in cells and "2,00000000" in cells


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
    assert dialog.value_text("Market") == "BTC/USD (Bitcoin priced in US dollar)"
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
    assert again.pair_combo.currentText() == "LTC/USD"
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

    qtbot.waitUntil(lambda: not screen.place_button.is_busy(), timeout=WAIT_MS)
    assert screen.result_label.text().startswith("You switched accounts while an order")
    assert screen.available_label.text() == "Available: loading…"
    assert not screen.place_button.isEnabled()


def test_a_fill_is_told_in_numbers_bought_price_paid_and_fee(qtbot, window, app_context):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="buy", price="70000", amount="0.01")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "filled at once" in screen.result_label.text(), timeout=WAIT_MS)
    best_ask = levels(PAIRS["BTC_USD"])["sell"][0]  # a better price than the limit
    price = f"{best_ask:,.2f}"
    paid = f"{best_ask * Decimal('0.01'):,.2f}"
    text = screen.result_label.text()
    assert re.fullmatch(
        rf"Your order #\d+ filled at once\. You bought 0\.01000000 BTC at {price} USD, "
        rf"paid {paid} USD; the fee was (about )?0\.00002000 BTC\.", text), text
    assert screen.result_tone() == "success"


def test_a_resting_order_says_what_it_waits_for_and_what_is_held(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="sell", price="90000", amount="0.5")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "is placed" in screen.result_label.text(), timeout=WAIT_MS)
    assert screen.result_label.text().endswith(
        "is placed. It waits on the Open orders tab until someone buys 0.50000000 BTC at "
        "90,000.00 USD or more; 0.50000000 BTC is held for it meanwhile.")


def test_the_result_goes_when_the_form_changes(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="buy", price="30000", amount="0.01")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is placed" in screen.result_label.text(), timeout=WAIT_MS)

    qtbot.mouseClick(screen.sell_button, Qt.MouseButton.LeftButton)  # Buy → Sell
    assert screen.result_label.text() == ""

    fill_in(qtbot, screen, side="buy", price="30000", amount="0.01")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is placed" in screen.result_label.text(), timeout=WAIT_MS)
    qtbot.keyClicks(screen.price_edit, "1")  # editing the price after a result
    assert screen.result_label.text() == ""


def test_switching_accounts_clears_the_result_and_keeps_what_was_typed(qtbot, window,
                                                                       app_context):
    screen = window.show_screen(TradeScreen.NAME)
    fill_in(qtbot, screen, side="buy", price="30000", amount="0.01")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is placed" in screen.result_label.text(), timeout=WAIT_MS)
    qtbot.keyClicks(screen.amount_edit, "0.02")

    app_context.dispatcher.set_client(app_context.dispatcher.client)  # as Settings does

    assert screen.result_label.text() == ""
    assert (screen.price_edit.text(), screen.amount_edit.text()) == ("30000", "0.02")


def test_every_control_has_a_name_and_tab_follows_the_form(qtbot, window):
    screen = window.show_screen(TradeScreen.NAME)
    walk = [screen.pair_combo, screen.buy_button, screen.sell_button, screen.price_edit,
            screen.best_price_button, screen.amount_edit, screen.max_button,
            screen.place_button]
    for control in walk:
        assert control.accessibleName()
    for first, second in itertools.pairwise(walk):
        following = first.nextInFocusChain()  # what Tab reaches next, skipping labels
        while not following.focusPolicy() & Qt.FocusPolicy.TabFocus:
            following = following.nextInFocusChain()
        assert following is second, (first.accessibleName(), following.accessibleName())


# -- the rules behind the result, called directly -------------------------------------------------


def _order(status: OrderStatus, filled: str, side: str = "buy") -> Order:
    return Order(order_id=7, timestamp=datetime(2026, 1, 2, tzinfo=UTC), pair="BTC_USD",
                 type=side, price=Decimal("65000"), amount=Decimal("0.1"),
                 filled=Decimal(filled), status=status)


def _fill(amount: str, price: str, side: str = "buy") -> Trade:
    return Trade(transaction_id=1, buy_order_id=7 if side == "buy" else 8,
                 sell_order_id=8 if side == "buy" else 7,
                 timestamp=datetime(2026, 1, 2, tzinfo=UTC), pair="BTC_USD", type=side,
                 price=Decimal(price), amount=Decimal(amount), is_instant_buy=True)


def test_a_partial_fill_says_what_filled_and_what_waits():
    answer = PlacedTrade(PlacedOrder(7, {}), _order(OrderStatus.PARTLY_FILLED, "0.04"),
                         (_fill("0.03", "64000"), _fill("0.01", "64400")))
    assert placed_sentence(answer) == (
        "Your order #7 is placed and part of it filled at once. You bought 0.04000000 BTC at "
        "an average of 64,100.00 USD, paid 2,564.00 USD; the fee was about 0.00008000 BTC. "
        "The other 0.06000000 BTC waits on the Open orders tab; 3,900.00 USD is held for it.")


def test_a_sale_says_what_it_brought_and_fills_that_do_not_add_up_use_the_order():
    sold = PlacedTrade(PlacedOrder(7, {}), _order(OrderStatus.FILLED, "0.1", "sell"),
                       (_fill("0.1", "65500", "sell"),))
    assert placed_sentence(sold) == (
        "Your order #7 filled at once. You sold 0.10000000 BTC at 65,500.00 USD for "
        "6,550.00 USD; the fee was about 13.10 USD.")
    missing = PlacedTrade(PlacedOrder(7, {}), _order(OrderStatus.FILLED, "0.1"), ())
    assert "You bought 0.10000000 BTC at 65,000.00 USD, paid 6,500.00 USD" in (
        placed_sentence(missing))


def test_the_side_colours_follow_the_theme(qtbot, window, qapp):
    screen = window.show_screen(TradeScreen.NAME)
    palette, style = qapp.palette(), qapp.style().name()
    keeper = theme.ThemeKeeper(qapp, theme.ThemeChoice.DARK)
    try:
        qtbot.waitUntil(lambda: theme.DARK.hex(theme.Role.BUY) in screen.buy_button.styleSheet(),
                        timeout=WAIT_MS)
        assert theme.DARK.hex(theme.Role.BUY) in screen.place_button.styleSheet()
    finally:
        keeper.apply(theme.ThemeChoice.LIGHT)
    qtbot.waitUntil(lambda: theme.LIGHT.hex(theme.Role.BUY) in screen.buy_button.styleSheet(),
                    timeout=WAIT_MS)
    keeper.deleteLater()
    qapp.setStyle(style)  # as the other tests found the application
    qapp.setPalette(palette)
