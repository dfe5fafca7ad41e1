"""The market feed against the embedded demo exchange: its own lane, polling only while the
window is on screen, and a refused answer read as one sentence with a backoff."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from cryptex_desktop.api.market import MarketDataClient, MarketTrade, OrderBook, Ticker
from cryptex_desktop.ui.market_feed import MarketFeed, MarketKind
from cryptex_desktop.ui.screens.open_orders import OpenOrdersScreen
from cryptex_desktop.ui.screens.trade import TradeScreen
from tests.exchange_helpers import ask_exchange
from tests.gui_checks import WAIT_MS


@pytest.fixture
def feed(qtbot, window, app_context) -> Iterator[MarketFeed]:
    """The app's feed, with no screen of its own watching (a screen without market data shows)."""
    window.show_screen(OpenOrdersScreen.NAME)
    market = app_context.market
    qtbot.waitUntil(lambda: not market.busy(), timeout=WAIT_MS)  # Balances' last request
    yield market
    market.unwatch("test")


def test_tickers_arrive_from_the_demo_exchange(qtbot, feed):
    with qtbot.waitSignal(feed.tickersChanged, timeout=WAIT_MS) as arrived:
        feed.watch("test", None, {MarketKind.TICKERS})
    tickers = arrived.args[0]
    assert "BTC_USD" in tickers and isinstance(tickers["BTC_USD"], Ticker)
    assert feed.tickers == tickers and feed.tickers_time is not None

    with qtbot.waitSignal(feed.bookChanged, timeout=WAIT_MS) as book:
        feed.watch("test", "LTC_BTC", {MarketKind.BOOK})
    assert isinstance(book.args[0], OrderBook) and book.args[0].pair == "LTC_BTC"
    assert feed.book("LTC_BTC") == book.args[0]

    with qtbot.waitSignal(feed.tradesChanged, timeout=WAIT_MS) as trades:
        feed.watch("test", "BTC_USD", {MarketKind.TRADES})
    pair, latest = trades.args
    assert pair == "BTC_USD" and isinstance(latest, tuple)
    assert all(isinstance(trade, MarketTrade) for trade in latest)


def test_a_stuck_market_request_does_not_hold_up_a_signed_call(qtbot, feed, app_context,
                                                               monkeypatch):
    entered, release, answered = threading.Event(), threading.Event(), threading.Event()
    original = MarketDataClient.tickers

    def stuck(self: MarketDataClient) -> dict[str, Ticker]:
        entered.set()
        release.wait(WAIT_MS / 1000)
        try:
            return original(self)
        finally:
            answered.set()

    monkeypatch.setattr(MarketDataClient, "tickers", stuck)
    try:
        feed.watch("test", None, {MarketKind.TICKERS})
        qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
        # The market request is held; a signed call through the Dispatcher still goes through.
        sheet = ask_exchange(qtbot, app_context, lambda client: client.info())
        assert "USD" in sheet.balances
        assert not answered.is_set()  # the market request is still held
    finally:
        release.set()
    qtbot.waitUntil(answered.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not feed.busy(), timeout=WAIT_MS)


def test_answers_for_a_replaced_client_are_dropped(qtbot, feed, monkeypatch):
    entered, release = threading.Event(), threading.Event()
    held: list[dict[str, Ticker]] = []
    original = MarketDataClient.tickers

    def first_held(self: MarketDataClient) -> dict[str, Ticker]:
        if held:
            return original(self)
        entered.set()
        release.wait(WAIT_MS / 1000)
        held.append(original(self))
        return held[0]

    monkeypatch.setattr(MarketDataClient, "tickers", first_held)
    emitted: list[dict[str, Ticker]] = []
    feed.tickersChanged.connect(emitted.append)
    feed.watch("test", None, {MarketKind.TICKERS})
    qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
    old = feed.client
    assert old is not None
    feed.set_url(old.base_url)  # another account on the same exchange: a new client
    assert feed.client is not old and feed.tickers == {}
    release.set()
    qtbot.waitUntil(lambda: bool(emitted), timeout=WAIT_MS)  # the new client's answer
    assert held and all(answer is not held[0] for answer in emitted)


def count_calls(monkeypatch, name: str) -> list[str]:
    """Count the feed's calls of one MarketDataClient method (they still reach the exchange)."""
    calls: list[str] = []
    original = getattr(MarketDataClient, name)

    def counted(self: MarketDataClient, *args: str) -> object:
        calls.append(name)
        return original(self, *args)

    monkeypatch.setattr(MarketDataClient, name, counted)
    return calls


def test_polling_stops_while_the_window_is_minimized(qtbot, window, feed, monkeypatch):
    calls = count_calls(monkeypatch, "order_book")
    feed.poll_seconds = 0.05  # rounds come quickly, so resuming shows at once
    feed.watch("test", "BTC_USD", {MarketKind.BOOK})
    qtbot.waitUntil(lambda: len(calls) >= 3, timeout=WAIT_MS)

    window.showMinimized()
    qtbot.waitUntil(lambda: not feed.is_polling(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not feed.busy(), timeout=WAIT_MS)
    before = len(calls)
    # Only the feed's timer sends a request; with none running and none in flight, none can go.
    QApplication.processEvents()
    assert len(calls) == before
    assert not feed.is_polling() and not feed.busy()

    window.showNormal()
    qtbot.waitUntil(lambda: len(calls) > before + 2, timeout=WAIT_MS)
    assert feed.is_polling()


def test_polling_stops_when_no_screen_watches(qtbot, feed, monkeypatch):
    calls = count_calls(monkeypatch, "tickers")
    feed.watch("test", None, {MarketKind.TICKERS})
    qtbot.waitUntil(lambda: bool(calls), timeout=WAIT_MS)
    feed.unwatch("test")
    assert not feed.is_polling()


def fake_answer(monkeypatch, status: int, headers: dict[str, str], body: bytes) -> list[int]:
    """Every market request gets this answer, as the live site's front proxy might send."""
    answers: list[int] = []

    def fetch(self: MarketDataClient, url: str) -> tuple[int, dict[str, str], bytes]:
        answers.append(status)
        return status, headers, body

    monkeypatch.setattr(MarketDataClient, "_fetch", fetch)
    return answers


def test_a_429_reads_as_one_sentence_and_waits_as_long_as_told(qtbot, window, feed,
                                                               monkeypatch):
    trade = window.show_screen(TradeScreen.NAME)
    said: list[str] = []
    feed.unavailable.connect(said.append)
    answers = fake_answer(monkeypatch, 429, {"Retry-After": "120"}, b"slow down")
    with qtbot.waitSignal(feed.unavailable, timeout=WAIT_MS):
        feed.watch("test", None, {MarketKind.TICKERS})
    assert said == ["Market prices are not available right now. The app will try again by "
                    "itself."]
    assert feed.scheduled_delay() == 120  # the next round waits as long as the exchange said
    # A screen asking again does not jump the wait.
    feed.watch("test", "BTC_USD", {MarketKind.TICKERS, MarketKind.BOOK})
    assert feed.scheduled_delay() == 120
    qtbot.waitUntil(lambda: not feed.busy(), timeout=WAIT_MS)
    sent = len(answers)
    # The Trade form says so in one line and otherwise works; no dialog opens.
    qtbot.waitUntil(lambda: trade.market_message.text() != "", timeout=WAIT_MS)
    assert trade.market_message.text().startswith("Market prices are not available right now.")
    assert trade.market_message.tone().value == "warning"
    assert not any(isinstance(w, QMessageBox) for w in window.findChildren(QMessageBox))
    assert trade.latest_book() is None  # no stale book for the confirmation to go by
    assert trade.pair_combo.isEnabled() and trade.price_edit.isEnabled()
    assert len(answers) == sent


def test_an_html_page_is_said_once_and_tried_again_after_the_backoff(qtbot, window, feed,
                                                                    monkeypatch):
    trade = window.show_screen(TradeScreen.NAME)
    said: list[str] = []
    feed.unavailable.connect(said.append)
    feed.poll_seconds = 0.05
    answers = fake_answer(monkeypatch, 403, {"Content-Type": "text/html", "Retry-After": "1"},
                          b"<html><body>Checking your browser</body></html>")
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    assert answers
    assert feed.scheduled_delay() == 1  # Retry-After, not the short polling interval
    qtbot.waitUntil(lambda: len(answers) >= 3, timeout=WAIT_MS)  # tried again by itself
    qtbot.waitUntil(lambda: not feed.busy(), timeout=WAIT_MS)
    assert len(said) == 1  # said once, however often it fails

    monkeypatch.undo()
    with qtbot.waitSignal(feed.available, timeout=WAIT_MS):
        pass
    qtbot.waitUntil(lambda: trade.market_message.text() == "", timeout=WAIT_MS)
    assert trade.latest_book() is not None
