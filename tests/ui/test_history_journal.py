"""History and the journal: after a restart the trades seen before show at once, read from the
journal, and the exchange is asked only for what is new since then.

The app is driven on its embedded demo exchange (real HTTP), closed as quitting does and built
again on the same data folder. History's requests are held until the test has read the table,
so the rows shown then can only have come from the journal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.types import Trade
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.main_window import MainWindow
from cryptex_desktop.ui.screens.activity import ActivityScreen
from cryptex_desktop.ui.screens.history import (
    NEW_TRADES_OVERLAP,
    HistoryScreen,
    KeptSpan,
    span_of_page,
    widened_back,
)
from tests.exchange_helpers import place_order
from tests.gui_checks import WAIT_MS


class HeldHistoryRequests:
    """Records History's requests (those naming an order) and holds them until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[dict[str, Any]] = []
        self.answered = 0
        self.released = threading.Event()
        original = CryptexClient.trade_history

        def held(client: CryptexClient, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("order") is None:  # the Trade tab's and the notifier's: let through
                return original(client, *args, **kwargs)
            self.asked.append(dict(kwargs))
            self.released.wait(WAIT_MS / 1000)
            try:
                return original(client, *args, **kwargs)
            finally:
                self.answered += 1

        monkeypatch.setattr(CryptexClient, "trade_history", held)

    def forget(self) -> None:
        """Start counting again (for the app started anew)."""
        self.asked.clear()
        self.answered = 0


def shown_ids(screen: HistoryScreen) -> list[int]:
    return [trade.transaction_id for trade in screen.visible_trades()]


def kept_ids(qtbot, context: AppContext) -> list[int]:
    """The transaction ids the journal keeps, newest first (read on its lane)."""
    found: list[list[int]] = []
    context.journal.read(
        lambda journal: [record.transaction_id for record in journal.trades()], found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=WAIT_MS)
    return found[0]


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldHistoryRequests]:
    requests = HeldHistoryRequests(monkeypatch)
    yield requests
    requests.released.set()  # never leave a worker waiting, whatever the test did


def load_history(qtbot, window: MainWindow, count: int) -> HistoryScreen:
    history = window.show_screen(HistoryScreen.NAME)
    qtbot.waitUntil(lambda: history.model.rowCount() == count, timeout=WAIT_MS)
    return history


def test_trades_seen_before_show_at_once_after_a_restart_and_only_new_ones_are_asked_for(
    qtbot, window, app_context, start_again, held
):
    held.released.set()  # the first time, History's requests pass as they come
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.15")
    place_order(qtbot, app_context, "BTC_USD", "sell", "60000", "0.01")
    seen = shown_ids(load_history(qtbot, window, 2))
    # The journal's lane runs in order: this read comes after the trades were written.
    assert sorted(kept_ids(qtbot, app_context)) == sorted(seen)
    window.show_screen(ActivityScreen.NAME)  # History is not asked again meanwhile
    held.released.clear()

    window, _context = start_again(window, app_context)
    held.forget()
    history = window.show_screen(HistoryScreen.NAME)

    qtbot.waitUntil(lambda: shown_ids(history) == seen, timeout=WAIT_MS)
    assert held.answered == 0  # the exchange has not answered: the rows are the journal's
    assert history.records.is_showing_table()
    assert history.summary_label.text() == "Showing 2 trades."
    qtbot.waitUntil(lambda: bool(held.asked), timeout=WAIT_MS)
    since = held.asked[0]["since"]
    newest = max(trade.timestamp for trade in history.visible_trades())
    assert isinstance(since, datetime)
    assert since == newest - NEW_TRADES_OVERLAP  # only what is new, with a small overlap

    held.released.set()
    qtbot.waitUntil(lambda: held.answered >= 1, timeout=WAIT_MS)
    assert shown_ids(history) == seen  # the overlap's trades were merged, not doubled


def test_a_trade_made_while_history_was_not_looking_appears_after_the_fetch_of_what_is_new(
    qtbot, window, app_context, start_again, held
):
    held.released.set()
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.15")
    seen = shown_ids(load_history(qtbot, window, 1))
    assert kept_ids(qtbot, app_context) == seen
    window.show_screen(ActivityScreen.NAME)
    # Made elsewhere, as far as History knows: it never loaded this one.
    place_order(qtbot, app_context, "BTC_USD", "sell", "60000", "0.01")
    assert kept_ids(qtbot, app_context) == seen
    held.released.clear()

    window, context = start_again(window, app_context)
    held.forget()
    history = window.show_screen(HistoryScreen.NAME)
    qtbot.waitUntil(lambda: shown_ids(history) == seen, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(held.asked), timeout=WAIT_MS)
    assert held.asked[0]["since"] is not None

    held.released.set()
    qtbot.waitUntil(lambda: len(shown_ids(history)) == 2, timeout=WAIT_MS)
    newest = history.visible_trades()[0]
    assert (newest.pair, newest.type) == ("BTC_USD", "sell")
    assert shown_ids(history)[1:] == seen
    # What is new is kept too, for the next start.
    assert sorted(kept_ids(qtbot, context)) == sorted(shown_ids(history))


def test_without_a_kept_stretch_history_asks_the_exchange_as_before(
    qtbot, window, app_context, held
):
    held.released.set()
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.15")
    load_history(qtbot, window, 1)

    assert held.asked and held.asked[0]["since"] is None  # the first load: the newest page


def test_the_kept_stretch_is_written_and_read_back_and_a_partial_page_starts_after_its_oldest():
    at = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
    trade = Trade(transaction_id=1, buy_order_id=2, sell_order_id=3, timestamp=at,
                  pair="BTC_USD", type="buy", price=Decimal("60000"), amount=Decimal("0.1"),
                  is_instant_buy=True)
    newer = replace(trade, transaction_id=4, timestamp=at + timedelta(minutes=3))

    whole = span_of_page([newer, trade], to_the_first=True)
    part = span_of_page([newer, trade], to_the_first=False)

    assert whole == KeptSpan(None, newer.timestamp)
    assert part == KeptSpan(at + timedelta(seconds=1), newer.timestamp)
    assert KeptSpan.parse(whole.text()) == whole
    assert KeptSpan.parse(part.text()) == part
    assert KeptSpan.parse("") is None and KeptSpan.parse("not|a date") is None


def test_trades_brought_by_load_older_show_from_the_journal_after_a_restart(
    qtbot, window, app_context, start_again, held
):
    held.released.set()
    for _ in range(4):
        place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.1")
        place_order(qtbot, app_context, "LTC_USD", "sell", "80", "0.1")
    history = window.screens[HistoryScreen.NAME]
    history.page_size = 3
    window.show_screen(HistoryScreen.NAME)
    qtbot.waitUntil(lambda: history.model.rowCount() == 3, timeout=WAIT_MS)
    while history.result_label.text() != "No older trades.":
        history.load_older()
        qtbot.waitUntil(lambda: not history.older_button.is_busy(), timeout=WAIT_MS)
    every = shown_ids(history)
    assert len(every) == 8
    qtbot.waitUntil(lambda: sorted(kept_ids(qtbot, app_context)) == sorted(every),
                    timeout=WAIT_MS)
    window.show_screen(ActivityScreen.NAME)
    held.released.clear()

    window, _context = start_again(window, app_context)
    held.forget()
    history = window.show_screen(HistoryScreen.NAME)
    # Every older page loaded before is the journal's now: all show before the exchange answers.
    qtbot.waitUntil(lambda: shown_ids(history) == every, timeout=WAIT_MS)
    assert held.answered == 0


def test_the_kept_stretch_grows_only_where_no_time_lies_between():
    at = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    span = KeptSpan(at, at + timedelta(hours=1))
    touching = KeptSpan(at + timedelta(minutes=30), at + timedelta(hours=2))
    apart = KeptSpan(at + timedelta(hours=3), at + timedelta(hours=4))
    assert span.joined(touching) == KeptSpan(at, at + timedelta(hours=2))
    assert span.joined(apart) == apart
    assert KeptSpan(None, at).joined(KeptSpan(at, at + timedelta(hours=1))) == KeptSpan(
        None, at + timedelta(hours=1))

    trade = Trade(transaction_id=1, buy_order_id=2, sell_order_id=3,
                  timestamp=at - timedelta(minutes=5), pair="BTC_USD", type="buy",
                  price=Decimal("60000"), amount=Decimal("0.1"), is_instant_buy=True)
    assert widened_back(span, at, [trade]) == KeptSpan(
        at - timedelta(minutes=5) + timedelta(seconds=1), span.end)
    assert widened_back(span, at, []) == KeptSpan(None, span.end)  # nothing older at all
    assert widened_back(span, at - timedelta(minutes=1), [trade]) == span  # a gap between
