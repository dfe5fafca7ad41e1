"""The market beside the Trade form, on the embedded demo exchange: a person sees the book, the
latest trades, the summary and the chart, and picks a price from the book."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.market import MarketTrade
from cryptex_desktop.sandbox.market_maker import levels
from cryptex_desktop.ui.formatting import format_price
from cryptex_desktop.ui.screens.open_orders import OpenOrdersScreen
from cryptex_desktop.ui.screens.trade import TradeScreen, price_day_ago
from tests.exchange_helpers import place_order
from tests.gui_checks import WAIT_MS

SHIFT = Qt.KeyboardModifier.ShiftModifier


def showing_book_of(screen: TradeScreen, pair: str) -> bool:
    view = screen.panels.book_view
    return view.is_showing_levels() and view.model.pair == pair


@pytest.fixture
def trade_screen(qtbot, window, app_context) -> TradeScreen:
    """The Trade tab on show with the demo market's BTC/USD book; market data every 0.2 s."""
    app_context.market.poll_seconds = 0.2  # a new trade shows at once, not in 5 s
    screen = window.show_screen(TradeScreen.NAME)
    qtbot.waitUntil(lambda: showing_book_of(screen, "BTC_USD"), timeout=WAIT_MS)
    return screen


def click_level(qtbot, screen: TradeScreen, row: int,
                modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Click the middle of the book's row ``row``, as a person would."""
    table = screen.panels.book_view.table
    rect = table.visualRect(table.model().index(row, 0))
    assert table.viewport().rect().contains(rect.center()), "the level is scrolled out of view"
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_the_book_shows_the_demo_market_makers_offers(trade_screen):
    model = trade_screen.panels.book_view.model
    quotes = levels(PAIRS["BTC_USD"])
    spread = model.spread_row()
    assert model.price_at(spread - 1) == quotes["sell"][0]  # the lowest ask above the line
    assert model.price_at(spread + 1) == quotes["buy"][0]  # the highest bid below it
    assert trade_screen.market_message.text() == ""  # market data is there: no warning


def test_clicking_a_bid_or_an_ask_puts_its_price_in_the_form(qtbot, trade_screen):
    model = trade_screen.panels.book_view.model
    spread = model.spread_row()
    bid_row, ask_row = spread + 2, spread - 1
    trade_screen.amount_edit.setText("0.01")

    click_level(qtbot, trade_screen, bid_row)
    qtbot.waitUntil(lambda: trade_screen.price_edit.amount() == model.price_at(bid_row),
                    timeout=WAIT_MS)
    click_level(qtbot, trade_screen, ask_row)
    qtbot.waitUntil(lambda: trade_screen.price_edit.amount() == model.price_at(ask_row),
                    timeout=WAIT_MS)
    assert trade_screen.amount_edit.amount() == Decimal("0.01")  # a plain click keeps the amount
    assert trade_screen.terms() is not None  # the form is ready to place at that price


def test_shift_click_puts_the_price_and_the_amount_up_to_that_level(qtbot, trade_screen):
    model = trade_screen.panels.book_view.model
    row = model.spread_row() - 2  # the second-lowest ask
    click_level(qtbot, trade_screen, row, SHIFT)
    qtbot.waitUntil(lambda: trade_screen.price_edit.amount() == model.price_at(row),
                    timeout=WAIT_MS)
    assert trade_screen.amount_edit.amount() == model.cumulative_at(row)
    quotes = levels(PAIRS["BTC_USD"])
    assert model.cumulative_at(row) > model.cumulative_at(row + 1)  # both asks, not one
    assert trade_screen.price_edit.amount() == quotes["sell"][1]


def test_best_price_takes_the_best_ask_to_buy_and_the_best_bid_to_sell(qtbot, trade_screen):
    quotes = levels(PAIRS["BTC_USD"])
    button = trade_screen.best_price_button
    assert button.toolTip()

    qtbot.mouseClick(trade_screen.buy_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert trade_screen.price_edit.amount() == quotes["sell"][0]

    qtbot.mouseClick(trade_screen.sell_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert trade_screen.price_edit.amount() == quotes["buy"][0]


def test_another_market_is_watched_in_place_of_the_first(qtbot, trade_screen, app_context):
    combo = trade_screen.pair_combo
    combo.setCurrentIndex(combo.findData("LTC_BTC"))
    qtbot.waitUntil(lambda: showing_book_of(trade_screen, "LTC_BTC"), timeout=WAIT_MS)
    assert trade_screen.latest_book() is not None
    assert trade_screen.latest_book().pair == "LTC_BTC"
    # A click now uses the new market's price, never the old market's.
    model = trade_screen.panels.book_view.model
    row = model.spread_row() + 1
    click_level(qtbot, trade_screen, row)
    qtbot.waitUntil(lambda: trade_screen.price_edit.amount() == levels(PAIRS["LTC_BTC"])["buy"][0],
                    timeout=WAIT_MS)


def test_no_market_data_is_asked_for_while_trade_is_hidden_or_minimized(qtbot, window,
                                                                         trade_screen,
                                                                         app_context):
    feed = app_context.market
    assert feed.is_polling()

    window.show_screen(OpenOrdersScreen.NAME)  # a screen without market data
    qtbot.waitUntil(lambda: not feed.is_polling(), timeout=WAIT_MS)
    window.show_screen(TradeScreen.NAME)
    qtbot.waitUntil(feed.is_polling, timeout=WAIT_MS)

    window.showMinimized()
    qtbot.waitUntil(lambda: not feed.is_polling(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not feed.busy(), timeout=WAIT_MS)
    sent = dict(feed.requests_sent)
    QApplication.processEvents()
    assert feed.requests_sent == sent and not feed.is_polling()

    window.showNormal()
    qtbot.waitUntil(feed.is_polling, timeout=WAIT_MS)


def test_a_trade_shows_in_the_latest_trades_the_summary_and_the_chart(qtbot, trade_screen,
                                                                      app_context):
    best_ask = levels(PAIRS["BTC_USD"])["sell"][0]
    place_order(qtbot, app_context, "BTC_USD", "buy", str(best_ask), "0.0123")
    trades = trade_screen.panels.trades_view.model

    def listed() -> bool:
        return any(trade.amount == Decimal("0.0123") and trade.price == best_ask
                   for trade in trades.records())

    qtbot.waitUntil(listed, timeout=WAIT_MS)
    assert trades.record_at(0).amount == Decimal("0.0123")  # the newest at the top

    summary = trade_screen.summary
    qtbot.waitUntil(lambda: summary.value_texts().get("Last price (USD)")
                    == format_price(best_ask, "BTC_USD"), timeout=WAIT_MS)

    # The chart draws the market's trades, and marks this one as the person's own.
    chart = trade_screen.panels.chart
    qtbot.waitUntil(lambda: bool(chart.candles()), timeout=WAIT_MS)
    trade_screen.refresh()  # what the refresher does every few seconds; after an order placed
    # through the Trade form, the screen asks at once
    qtbot.waitUntil(lambda: any(fill.price == best_ask and fill.bought
                                for fill in chart.canvas.fills), timeout=WAIT_MS)


def test_a_wide_window_puts_the_panels_side_by_side_and_the_help_under_the_form(
        qtbot, window, trade_screen):
    panels = trade_screen.panels
    assert not panels.is_wide() and panels.tabs.isVisible()
    window.resize(1920, 1080)
    qtbot.waitUntil(panels.is_wide, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panels.help_box.isVisible(), timeout=WAIT_MS)
    assert panels.book_view.isVisible() and panels.trades_view.isVisible()
    assert panels.chart.isVisible() and not panels.tabs.isVisible()

    window.resize(880, 560)
    qtbot.waitUntil(lambda: not panels.is_wide(), timeout=WAIT_MS)
    assert panels.tabs.count() == 4 and panels.tabs.currentWidget() is panels.book_view
    panels.tabs.setCurrentIndex(panels.help_tab)
    qtbot.waitUntil(lambda: panels.help_box.isVisible(), timeout=WAIT_MS)


def test_a_chosen_price_is_written_with_the_readers_decimal_mark(qtbot, russian_numbers,
                                                                 window, app_context):
    screen = window.show_screen(TradeScreen.NAME)
    qtbot.waitUntil(lambda: showing_book_of(screen, "BTC_USD"), timeout=WAIT_MS)
    model = screen.panels.book_view.model
    row = model.spread_row() + 1
    click_level(qtbot, screen, row, SHIFT)
    qtbot.waitUntil(lambda: screen.price_edit.amount() == model.price_at(row), timeout=WAIT_MS)
    assert screen.amount_edit.amount() == model.cumulative_at(row)
    amount_text = screen.amount_edit.text()  # e.g. "0,5": read back as the same amount
    assert "," in amount_text and "." not in amount_text


def test_the_24_hour_change_needs_a_trade_from_24_hours_ago():
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)

    def trade(number: int, hours_ago: float, price: str) -> MarketTrade:
        return MarketTrade(number, Decimal(price), Decimal("0.1"),
                           now - timedelta(hours=hours_ago))

    recent = [trade(3, 0.5, "65100"), trade(2, 3, "64000")]
    assert price_day_ago(recent, now) is None  # the latest trades do not reach back a day
    older = [*recent, trade(1, 24, "60000"), trade(0, 30, "59000")]
    assert price_day_ago(older, now) == Decimal("60000")  # the last one at least a day old
