"""How fast the trade history table is with 100,000 trades, measured as a window pays it.

A ``QTableView`` (offscreen) shows a :class:`SortFilterProxy` over a
:class:`TradeHistoryModel`. Each figure is the time of one operation plus the event
processing that follows it (the view's relayout and repaint, and any garbage collection
the operation set off), best of a few runs, each after a collection so that one
measurement does not pay for the last. The goals are to report, not to assert.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.models_bench``
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView

from cryptex_desktop.api.currencies import CURRENCIES, PAIRS
from cryptex_desktop.api.types import Trade
from cryptex_desktop.ui.models import SortFilterProxy, TradeHistoryModel
from cryptex_desktop.ui.models.trade_history import AMOUNT, DATE

TRADES = 100_000
PAGE = 1_000
REPEATS = 3

#: Figure name -> (what it measures, goal in seconds or None).
FIGURES: dict[str, tuple[str, float | None]] = {
    "replace_first_load": ("replace(): 100,000 trades into an empty table", 0.3),
    "first_load_rows_built_off_ui_thread": (
        "add_rows(): the same, rows built on a worker first", 0.3),
    "replace_full_refresh": ("replace(): the same 100,000 trades again", 0.3),
    "merge_unchanged_page": ("merge(): newest 1,000 trades, all known", 0.010),
    "append_older_page": ("merge(): a page of 1,000 older trades", 0.010),
    "append_older_page_rows_built_off_ui_thread": (
        "add_rows(): the next older page, rows built on a worker", 0.010),
    "merge_new_while_sorted_by_amount": ("merge(): 10 new trades, sorted by amount", None),
    "sort_by_amount": ("view sorts by amount, ascending", 0.2),
    "sort_by_amount_descending": ("view sorts by amount, descending", 0.2),
    "sort_by_date": ("view sorts by date, newest first", 0.2),
    "filter_one_pair": ("proxy.set_filter(pair='BTC_USD')", None),
    "sort_by_amount_filtered": ("view sorts by amount with that filter", None),
    "clear_filter": ("proxy.set_filter()", None),
    "repaint_full_table": ("for scale: one full repaint of the table (grab)", None),
}


def make_trades(count: int, seed: int = 2026) -> list[Trade]:
    """``count`` plausible fills, oldest first: a few pairs, prices that wander, bursts."""
    rng = random.Random(seed)
    pairs = ["BTC_USD"] * 5 + ["BTC_EUR"] * 2 + ["LTC_BTC", "LTC_USD", "EUR_USD"]
    start_prices = {"BTC_USD": "27000", "BTC_EUR": "25000", "LTC_BTC": "0.0025",
                    "LTC_USD": "70", "EUR_USD": "1.08"}  # fmt: skip
    # Prices wander in whole ticks (the pair's smallest step), so no float is involved.
    ticks = {
        pair: int(Decimal(price).scaleb(PAIRS[pair].price_decimals))
        for pair, price in start_prices.items()
    }
    moment = datetime(2025, 11, 27, tzinfo=UTC)
    trades = []
    for number in range(1, count + 1):
        # One order often fills against several waiting ones in the same second.
        if rng.random() > 0.3:
            moment += timedelta(seconds=rng.randint(1, 600))
        pair = rng.choice(pairs)
        step = max(1, ticks[pair] // 500)
        ticks[pair] = max(1, ticks[pair] + rng.randint(-step, step))
        details = PAIRS[pair]
        base_decimals = CURRENCIES[details.base].decimals
        price = Decimal(ticks[pair]).scaleb(-details.price_decimals)
        amount = Decimal(rng.randint(1, 5 * 10**base_decimals)).scaleb(-base_decimals)
        side = rng.choice(("buy", "sell"))
        taker = rng.random() < 0.4
        trades.append(
            Trade(number, 2 * number, 2 * number + 1, moment, pair, side, price, amount, taker)
        )
    return trades


class _Bench:
    """A shown table over a fresh model, and a stopwatch that waits for the window."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.model = TradeHistoryModel()
        self.proxy = SortFilterProxy(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        # Set up as the app's screens set up their tables: rows selected whole, no row numbers.
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.view.selectRow(0)
        self.view.resize(1100, 700)
        self.view.show()
        self.settle()

    def settle(self) -> None:
        """Let the view do what the change asked of it: layout, then repaint (twice: the
        delayed layout is a zero-time timer that fires on the second pass)."""
        self.app.processEvents()
        self.app.processEvents()

    def time(self, operation: Callable[[], object]) -> tuple[float, float]:
        """Seconds for the call alone, and for the call plus the window's reaction to it."""
        gc.collect()
        start = time.perf_counter()
        operation()
        returned = time.perf_counter()
        self.settle()
        return returned - start, time.perf_counter() - start

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()
        self.proxy.deleteLater()
        self.model.deleteLater()
        self.app.processEvents()


def _measure_once(app: QApplication, history: list[Trade]) -> dict[str, float]:
    """One run of every figure, on a fresh table."""
    oldest, older, newer = history[:PAGE], history[PAGE:2 * PAGE], history[2 * PAGE:]
    newest_first = newer[::-1]
    later = [
        Trade(10**9 + n, 0, 0, t.timestamp, t.pair, t.type, t.price, t.amount, False)
        for n, t in enumerate(newest_first[:10])
    ]
    figures: dict[str, float] = {}
    # What the History screen does: rows_for() runs on a worker thread (not timed here),
    # the UI thread only inserts them.
    prebuilt_bench = _Bench(app)
    prebuilt = prebuilt_bench.model.rows_for(newest_first)
    (figures["first_load_rows_built_off_ui_thread.call"],
     figures["first_load_rows_built_off_ui_thread"]) = prebuilt_bench.time(
        lambda: prebuilt_bench.model.add_rows(prebuilt))
    prebuilt_bench.close()

    bench = _Bench(app)
    model, proxy, view = bench.model, bench.proxy, bench.view
    oldest_rows = model.rows_for(oldest[::-1])  # the History screen builds these on a worker
    steps: dict[str, Callable[[], object]] = {
        "replace_first_load": lambda: model.replace(newest_first),
        "replace_full_refresh": lambda: model.replace(newest_first),
        "merge_unchanged_page": lambda: model.merge(newest_first[:PAGE]),
        "append_older_page": lambda: model.merge(older[::-1]),
        "append_older_page_rows_built_off_ui_thread": lambda: model.add_rows(oldest_rows),
        "sort_by_amount": lambda: view.sortByColumn(AMOUNT, Qt.SortOrder.AscendingOrder),
        "merge_new_while_sorted_by_amount": lambda: model.merge(later),
        "sort_by_amount_descending": lambda: view.sortByColumn(
            AMOUNT, Qt.SortOrder.DescendingOrder
        ),
        "sort_by_date": lambda: view.sortByColumn(DATE, Qt.SortOrder.DescendingOrder),
        "filter_one_pair": lambda: proxy.set_filter(pair="BTC_USD"),
        "sort_by_amount_filtered": lambda: view.sortByColumn(AMOUNT, Qt.SortOrder.AscendingOrder),
        "clear_filter": lambda: proxy.set_filter(),
    }
    for name, step in [*steps.items(), ("repaint_full_table", view.grab)]:
        figures[f"{name}.call"], figures[name] = bench.time(step)
    assert model.rowCount() == len(history) + len(later)
    bench.close()
    return figures


def measure(trades: int = TRADES, repeats: int = REPEATS) -> dict[str, float]:
    """Measure every figure in :data:`FIGURES`; returns name -> best time in seconds.

    ``name`` is the call plus the window's reaction (relayout, repaint, any garbage
    collection it set off); ``name.call`` is the call alone, signal handling included.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    history = make_trades(trades + 2 * PAGE)
    runs = [_measure_once(app, history) for _ in range(repeats)]
    return {name: min(figures[name] for figures in runs) for name in runs[0]}


def run() -> dict[str, float]:
    """The figures in milliseconds, the UI-thread time with the window attached, for
    ``python -m benchmarks``."""
    figures = measure()
    return {f"{name}_ms": figures[name] * 1000 for name in FIGURES}


GOALS = {f"{name}_ms": ("<=", goal * 1000) for name, (_what, goal) in FIGURES.items() if goal}


def report(figures: dict[str, float]) -> str:
    """The figures as a table with their goals; the verdict is on the window's time."""
    heading = f"{'operation':<50} {'call':>9} {'+window':>9} {'goal':>8}  verdict"
    lines = [heading, "-" * len(heading)]
    for name, (what, goal) in FIGURES.items():
        call, window = figures[f"{name}.call"] * 1000, figures[name] * 1000
        goal_text = f"{goal * 1000:.0f} ms" if goal is not None else "-"
        verdict = "" if goal is None else ("ok" if window <= goal * 1000 else "OVER")
        lines.append(f"{what:<50} {call:>6.1f} ms {window:>6.1f} ms {goal_text:>8}  {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"TradeHistoryModel, {TRADES:,} trades, best of {REPEATS}, QTableView attached")
    print(report(measure()))
