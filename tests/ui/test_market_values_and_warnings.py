"""Market data on the screens, against the embedded demo exchange: the Balances values and
total from the tickers, and the Trade confirmation's warnings from the order book."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from cryptex_desktop.api.market import MarketDataClient
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.formatting import format_datetime, format_money
from cryptex_desktop.ui.models.balances import VALUE, Balance
from cryptex_desktop.ui.order_terms import price_money
from cryptex_desktop.ui.screens.balances import BalancesScreen
from cryptex_desktop.ui.screens.trade import TradeScreen
from cryptex_desktop.ui.valuation import no_value_reason, value_of
from cryptex_desktop.ui.widgets.labels import Tone
from tests.exchange_helpers import free_on_exchange, place_order
from tests.gui_checks import WAIT_MS, modal_dialog


def held_in_wallet(app_context) -> dict[str, Decimal]:
    """Per currency, what the Balances screen values: the total when known, else what is free."""
    wallet = app_context.wallet
    total = wallet.total
    codes = dict.fromkeys([*wallet.free, *(total or {})])
    return {code: Balance(code, wallet.free.get(code, Decimal(0)),
                          None if total is None else total.get(code)).held for code in codes}


def test_the_balances_total_adds_up_from_the_tickers(qtbot, window, app_context):
    url = app_context.connection.endpoint.url
    with MarketDataClient(url) as market:
        best_ask = market.order_book("BTC_USD").best_ask
    # A trade, so that BTC/USD has a last price to go by.
    place_order(qtbot, app_context, "BTC_USD", "buy", str(best_ask), "0.01")
    btc = free_on_exchange(qtbot, app_context, "BTC")
    app_context.wallet.refresh()
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("BTC") == btc, timeout=WAIT_MS)

    with MarketDataClient(url) as market:  # read on its own, not through the app
        tickers = market.tickers()
    assert tickers["BTC_USD"].last == best_ask
    feed = app_context.market
    feed.poll_seconds = 0.2
    screen = window.show_screen(BalancesScreen.NAME)
    assert screen.value_currency() == "USD"  # the default
    qtbot.waitUntil(lambda: feed.tickers == tickers, timeout=WAIT_MS)

    held = held_in_wallet(app_context)
    values = {code: value_of(amount, code, "USD", tickers) for code, amount in held.items()}
    assert values["BTC"] == held["BTC"] * best_ask
    expected = sum((v for v in values.values() if v is not None), Decimal(0))
    missing = [code for code, v in values.items() if v is None and held[code] != 0]
    text = f"Total value: ≈ {format_money(expected, 'USD')}"
    if missing:
        text += f" (not counting {', '.join(missing)})"
    qtbot.waitUntil(lambda: screen.total_label.text() == text, timeout=WAIT_MS)
    assert screen.prices_caption.text() == (
        f"Estimated from the latest prices at {format_datetime(feed.tickers_time)}")

    model = screen.model
    for code, value in values.items():
        index = model.index_of(code, VALUE)
        cell = model.data(index)
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        if value is None:
            assert cell == ("—" if held[code] != 0 else "")
            assert tip == no_value_reason(code, "USD", tickers)
        elif code == "USD":
            assert cell == format_money(value, "USD")
        else:
            assert cell == f"≈ {format_money(value, 'USD')}"

    # In bitcoin instead: the same money, another total; the choice is remembered.
    screen.value_combo.set_code("BTC")
    in_btc = [value_of(amount, code, "BTC", tickers) for code, amount in held.items()]
    total_btc = sum((v for v in in_btc if v is not None), Decimal(0))
    assert screen.total_label.text().startswith(f"Total value: ≈ {format_money(total_btc, 'BTC')}")
    assert app_context.settings.view_state("balances", "value_currency") == "BTC"


def fill_in(qtbot, screen: TradeScreen, *, side: str, price: str, amount: str) -> None:
    screen.pair_combo.setCurrentIndex(screen.pair_combo.findData("BTC_USD"))
    qtbot.mouseClick(screen.buy_button if side == "buy" else screen.sell_button,
                     Qt.MouseButton.LeftButton)
    screen.price_edit.clear()
    qtbot.keyClicks(screen.price_edit, price)
    screen.amount_edit.clear()
    qtbot.keyClicks(screen.amount_edit, amount)


def confirmation(qtbot, screen: TradeScreen) -> ConfirmDialog:
    qtbot.mouseClick(screen.place_button, Qt.MouseButton.LeftButton)
    return modal_dialog(qtbot, ConfirmDialog)


def test_the_confirmation_warns_of_a_price_far_from_the_market(qtbot, window, app_context):
    screen = window.show_screen(TradeScreen.NAME)
    qtbot.waitUntil(lambda: screen.latest_book() is not None, timeout=WAIT_MS)
    book = screen.latest_book()
    ask = book.best_ask
    price = (ask * Decimal("1.2")).quantize(Decimal("0.01"))

    fill_in(qtbot, screen, side="buy", price=f"{price:f}", amount="0.01")
    dialog = confirmation(qtbot, screen)
    warnings = dialog.warning_texts()
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"You offer {price_money(price, 'BTC_USD')} per BTC, 20.0% above the best offer of "
        f"{price_money(ask, 'BTC_USD')}. It fills at the sellers' prices, so you would pay "
        f"about ")
    assert dialog.warnings[0].tone() is Tone.WARNING
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    fill_in(qtbot, screen, side="buy", price="100", amount="0.01")
    dialog = confirmation(qtbot, screen)
    assert dialog.warning_texts() == [
        f"Your order will wait: the best offer now is "
        f"{price_money(screen.latest_book().best_ask, 'BTC_USD')} per BTC. It fills only if "
        "the market comes down to 100.00 USD."
    ]
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    # A price near the market says nothing more.
    fill_in(qtbot, screen, side="buy", price=f"{ask:f}", amount="0.01")
    dialog = confirmation(qtbot, screen)
    assert dialog.warning_texts() == []
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
