"""The market-data widgets: order book refresh, candle building and chart repaint.

- ``order_book_refresh_ms``: a shown :class:`OrderBookView` (offscreen) gets a new book of
  1,000 levels a side, every price moved; timed from ``set_book`` through the repaint of
  the table that follows, on the UI thread. ``order_book_reset_ms`` is the same when the
  model resets instead (a book of another market), for comparison.
- ``candles_*_ms``: :func:`build_candles` of 100,000 trades (the work a worker thread does),
  for each interval; ``candles_worst_ms`` is the largest.
- ``chart_repaint_ms``: one repaint of the price chart, 1440x400, into a ``QImage``, with
  the candles of 100,000 trades at 1 minute (the most candles) and 15 minutes.

Each figure is the median of several runs, each after a garbage collection.
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks market-widgets``
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from cryptex_desktop.api.market import BookLevel, MarketTrade, OrderBook
from cryptex_desktop.ui.candles import CandleInterval, build_candles

LEVELS = 1_000
TRADES = 100_000
RUNS = 31

GOALS = {
    "order_book_refresh_ms": ("<=", 4.0),
    "candles_worst_ms": ("<=", 100.0),
    "chart_repaint_1min_ms": ("<=", 8.0),
    "chart_repaint_15min_ms": ("<=", 8.0),
}


def make_book(pair: str, mid: Decimal, seed: int) -> OrderBook:
    """1,000 levels a side around ``mid``, a cent apart, amounts varied."""
    rng = random.Random(seed)
    cent = Decimal("0.01")

    def amount() -> Decimal:
        return Decimal(rng.randint(1, 500_000_000)).scaleb(-8)

    asks = tuple(BookLevel(mid + cent * (n + 1), amount()) for n in range(LEVELS))
    bids = tuple(BookLevel(mid - cent * (n + 1), amount()) for n in range(LEVELS))
    return OrderBook(pair, bids, asks)


def make_trades(count: int, seed: int = 2026) -> list[MarketTrade]:
    """``count`` trades oldest first, 45 s apart on average: about 67,000 one-minute candles."""
    rng = random.Random(seed)
    moment = datetime(2026, 9, 1, tzinfo=UTC)
    price = 27_000.0  # a random walk to draw prices from; each becomes an exact Decimal
    trades = []
    for number in range(count):
        moment += timedelta(milliseconds=rng.randint(0, 90_000))
        price *= 1 + rng.gauss(0, 0.001)
        trades.append(MarketTrade(number + 1, Decimal(f"{price:.2f}"),
                                  Decimal(rng.randint(1, 200_000_000)).scaleb(-8), moment))
    return trades


def median_ms(step: Callable[[], object], runs: int = RUNS) -> float:
    """The median CPU time of ``step`` on this thread in ms, a collection before each run.

    CPU time of the thread, not wall time: what the UI thread spends, whatever else the
    machine runs meanwhile.
    """
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.thread_time()
        step()
        times.append((time.thread_time() - started) * 1000)
    return statistics.median(times)


def order_book_figures(app: QApplication) -> dict[str, float]:
    from cryptex_desktop.ui.widgets.order_book import OrderBookView

    view = OrderBookView()
    view.resize(440, 720)
    view.show()
    # A new book each refresh, as the exchange sends: new amounts, prices moved.
    books = [make_book("BTC_USD", Decimal(27_000) + Decimal(n).scaleb(-1), seed=n)
             for n in range(RUNS + 1)]
    other = [make_book(pair, Decimal(25_000), seed=9) for pair in ("BTC_EUR", "BTC_USD")]
    view.set_book(books[0])
    for _ in range(3):
        app.processEvents()
    turn = iter(range(10**9))

    def refresh(choices: list[OrderBook]) -> Callable[[], None]:
        def step() -> None:
            view.set_book(choices[next(turn) % len(choices)])
            view.table.viewport().repaint()
            app.processEvents()
        return step

    figures = {
        "order_book_refresh_ms": median_ms(refresh(books)),
        "order_book_reset_ms": median_ms(refresh(other)),
    }
    view.close()
    return figures


def candle_figures(trades: list[MarketTrade]) -> dict[str, float]:
    figures = {}
    for interval in CandleInterval:
        figures[f"candles_{interval.name.lower()}_ms"] = median_ms(
            lambda interval=interval: build_candles(trades, interval), runs=5)
    figures["candles_worst_ms"] = max(figures.values())
    return figures


def chart_figures(trades: list[MarketTrade]) -> dict[str, float]:
    from cryptex_desktop.ui.widgets.price_chart import PriceChart

    chart = PriceChart()
    figures = {}
    image = QImage(1440, 400, QImage.Format.Format_ARGB32_Premultiplied)
    canvas = chart.canvas
    canvas.resize(1440, 400)

    def paint() -> None:
        painter = QPainter(image)
        canvas.paint_chart(painter, image.rect())
        painter.end()

    for interval, name in ((CandleInterval.MINUTE, "1min"),
                           (CandleInterval.FIFTEEN_MINUTES, "15min")):
        chart.show_candles_now("BTC_USD", trades, interval)

        figures[f"chart_repaint_{name}_ms"] = median_ms(paint)
    return figures


def run() -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    figures = order_book_figures(app)
    trades = make_trades(TRADES)
    figures.update(candle_figures(trades))
    figures.update(chart_figures(trades))
    return figures


if __name__ == "__main__":
    from benchmarks.report import print_figures

    print_figures(__doc__.strip().splitlines()[0], run(), GOALS)
