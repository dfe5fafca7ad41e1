"""The price chart, the latest trades and the market summary, as a person sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter

from cryptex_desktop.api.market import MarketTrade, Ticker
from cryptex_desktop.api.types import Trade
from cryptex_desktop.ui.candles import CandleInterval, build_candles
from cryptex_desktop.ui.formatting import format_time_of_day, number_text
from cryptex_desktop.ui.models.recent_trades import (
    AMOUNT,
    PRICE,
    RECENT_TRADES_SHOWN,
    TIME,
)
from cryptex_desktop.ui.widgets.market_summary import UNKNOWN, MarketSummary
from cryptex_desktop.ui.widgets.price_chart import PriceChart, nice_step, unavailable_text
from cryptex_desktop.ui.widgets.recent_trades import (
    RecentTradesView,
    no_trades_text,
)
from cryptex_desktop.ui.widgets.recent_trades import unavailable_text as trades_unavailable
from tests.ui.market.conftest import make_trades

WAIT_MS = 30_000


# -- the price chart ------------------------------------------------------------------------------


@pytest.fixture
def chart(qtbot) -> PriceChart:
    widget = PriceChart()
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    return widget


def paint_into_image(chart: PriceChart, width: int = 1440, height: int = 400) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    chart.canvas.resize(width, height)
    painter = QPainter(image)
    chart.canvas.paint_chart(painter, image.rect())
    painter.end()
    return image


def own_fill(number: int, trade: MarketTrade, side: str, pair: str = "BTC_USD") -> Trade:
    return Trade(number, 1, 2, trade.time, pair, side, trade.price, Decimal("0.1"), False)


def test_the_chart_builds_candles_on_a_worker_and_paints_100000_trades(qtbot, chart):
    trades = make_trades(100_000)
    chart.set_fills([own_fill(1, trades[-3], "buy"), own_fill(2, trades[-30], "sell"),
                     own_fill(3, trades[-5], "buy", pair="LTC_USD")])
    with qtbot.waitSignal(chart.candlesChanged, timeout=WAIT_MS):
        chart.set_trades("BTC_USD", trades)
    assert chart.interval() == CandleInterval.HOUR
    assert chart.candles() == build_candles(trades, CandleInterval.HOUR)
    assert len(chart.canvas.fills) == 2  # only this market's fills are marked
    image = paint_into_image(chart)
    assert not image.isNull()
    assert chart.canvas.accessibleName() == "Price chart of BTC/USD"
    assert "Candles of one hour" in chart.canvas.accessibleDescription()


def test_choosing_an_interval_rebuilds_the_candles(qtbot, chart):
    trades = make_trades(5_000)
    with qtbot.waitSignal(chart.candlesChanged, timeout=WAIT_MS):
        chart.set_trades("BTC_USD", trades)
    hourly = len(chart.candles())
    with qtbot.waitSignals([chart.candlesChanged, chart.intervalChanged], timeout=WAIT_MS):
        qtbot.mouseClick(chart.buttons[CandleInterval.FIFTEEN_MINUTES], Qt.MouseButton.LeftButton)
    assert chart.interval() == CandleInterval.FIFTEEN_MINUTES
    assert chart.buttons[CandleInterval.FIFTEEN_MINUTES].isChecked()
    assert len(chart.candles()) > hourly
    assert chart.candles() == build_candles(trades, CandleInterval.FIFTEEN_MINUTES)
    for interval in (CandleInterval.MINUTE, CandleInterval.DAY):
        with qtbot.waitSignal(chart.candlesChanged, timeout=WAIT_MS):
            chart.set_interval(interval)
        assert chart.candles()[0].start == build_candles(trades, interval)[0].start
        paint_into_image(chart)


def test_the_chart_scrolls_zooms_and_names_the_candle_under_the_pointer(qtbot, chart):
    trades = make_trades(2_000)
    chart.show_candles_now("BTC_USD", trades, CandleInterval.FIFTEEN_MINUTES)
    chart.show()
    qtbot.waitExposed(chart)
    canvas = chart.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.back == 10
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert canvas.back == 0
    slot = canvas.slot
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.slot > slot
    newest = chart.candles()[-1]
    # The newest candle sits just left of the price labels; find it by walking leftwards.
    found = [canvas.candle_at(x) for x in range(canvas.width() - 1, 0, -1)]
    assert newest in found
    words = canvas.describe(newest)
    assert number_text(newest.close, 2) in words and "BTC" in words
    qtbot.mouseMove(canvas, QPoint(canvas.width() // 2, canvas.height() // 2))
    paint_into_image(chart, 600, 300)


def test_the_chart_says_when_it_has_nothing_to_draw(qtbot, chart):
    chart.show_candles_now("BTC_USD", [], CandleInterval.HOUR)
    assert chart.canvas.message == "No trades on this market yet, so there is no price to draw."
    chart.show_unavailable()
    assert chart.canvas.message == unavailable_text()
    paint_into_image(chart, 400, 200)


def test_one_trade_draws_a_flat_candle_without_trouble(chart):
    moment = datetime(2026, 11, 27, 12, tzinfo=UTC)
    chart.show_candles_now("BTC_USD", [MarketTrade(1, Decimal("100"), Decimal("1"), moment)],
                           CandleInterval.MINUTE)
    assert len(chart.candles()) == 1
    paint_into_image(chart, 640, 240)


@pytest.mark.parametrize(("raw", "step", "decimals"), [
    (0.7, 1.0, 0), (130, 200, 0), (230, 250, 0), (3.1, 5.0, 0), (0.023, 0.025, 3),
    (0.0004, 0.0005, 4),
])
def test_price_labels_step_in_round_numbers(raw, step, decimals):
    assert nice_step(raw) == pytest.approx((step, decimals))


# -- the latest trades ----------------------------------------------------------------------------


def test_latest_trades_show_newest_first_up_to_fifty(qtbot):
    view = RecentTradesView()
    qtbot.addWidget(view)
    assert view.state_text() == no_trades_text()
    trades = make_trades(80)
    view.set_trades("BTC_USD", list(trades))  # oldest first, as the exchange sends them
    model = view.model
    assert model.rowCount() == RECENT_TRADES_SHOWN
    newest = trades[-1]
    assert model.index(0, TIME).data() == format_time_of_day(newest.time)
    assert model.index(0, PRICE).data() == number_text(newest.price, 2)
    assert model.index(0, AMOUNT).data() == number_text(newest.amount, 8)
    shown = [model.record_at(row).trade_id for row in range(model.rowCount())]
    assert shown == [trade.trade_id for trade in reversed(trades[-50:])]
    assert model.headerData(PRICE, Qt.Orientation.Horizontal) == "Price (USD)"

    later = newest.time + timedelta(seconds=5)
    fresh = MarketTrade(1_000, Decimal("27001.5"), Decimal("0.25"), later)
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    view.set_trades("BTC_USD", [*trades[-49:], fresh])
    assert inserted == [(0, 0)]  # only the new trade comes in, at the top
    assert model.record_at(0) is fresh and model.rowCount() == RECENT_TRADES_SHOWN


def test_latest_trades_say_when_they_cannot_be_read(qtbot):
    view = RecentTradesView()
    qtbot.addWidget(view)
    view.show_unavailable()
    assert view.state_text() == trades_unavailable()
    assert not view.retry_button.isHidden()


# -- the market summary ---------------------------------------------------------------------------


def test_the_summary_shows_the_ticker_and_the_change_since_yesterday(qtbot):
    summary = MarketSummary()
    qtbot.addWidget(summary)
    ticker = Ticker("BTC_USD", Decimal("27350.10"), Decimal("27999"), Decimal("26500.5"),
                    Decimal("1234567.891"))
    summary.set_ticker(ticker, price_day_ago=Decimal("27000"))
    texts = summary.value_texts()
    assert texts == {
        "Last price (USD)": number_text(Decimal("27350.10"), 2),
        "24 h change": number_text(Decimal("1.30"), 2, sign=True) + " %",
        "24 h high": number_text(Decimal("27999"), 2),
        "24 h low": number_text(Decimal("26500.5"), 2),
        "24 h volume (USD)": number_text(Decimal("1234567.89"), 2),
    }
    assert "last 24 hours" in summary.high.toolTip()
    assert number_text(Decimal("350.10"), 2, sign=True) in summary.change.toolTip()
    assert all(figure.toolTip() for figure in summary.figures())


def test_without_the_price_of_yesterday_the_change_is_left_out(qtbot):
    summary = MarketSummary()
    qtbot.addWidget(summary)
    summary.set_ticker(Ticker("BTC_USD", Decimal("27350.1"), None, None, None))
    texts = summary.value_texts()
    assert "24 h change" not in texts
    assert texts["24 h high"] == UNKNOWN and texts["24 h volume (USD)"] == UNKNOWN
    summary.show_unavailable()
    assert set(summary.value_texts().values()) == {UNKNOWN}
    assert "not available" in summary.last.toolTip()
