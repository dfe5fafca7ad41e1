"""News reaches the person whichever tab is open: an order filled, a deposit credited."""

from __future__ import annotations

from decimal import Decimal

from tests.exchange_helpers import deposit_address, place_order
from tests.gui_checks import WAIT_MS


def test_a_fill_and_a_credited_deposit_are_announced(qtbot, window, app_context, demo_exchange):
    news: list[tuple[str, str]] = []
    window.notifier.notified.connect(lambda title, text: news.append((title, text)))
    demo_exchange.deposit(deposit_address(qtbot, app_context, "BTC"), Decimal("0.3"))

    window.notifier.refresh()  # the baseline: nothing is announced from before
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    assert news == []

    place_order(qtbot, app_context, "BTC_USD", "buy", "70000", "0.01")
    demo_exchange.mine(6)
    window.notifier.refresh()
    qtbot.waitUntil(lambda: len(news) >= 2, timeout=WAIT_MS)
    titles = dict(news)
    assert titles["Order filled"].startswith("Bought 0.01000000 BTC at ")
    assert titles["Deposit credited"] == "0.30000000 BTC arrived and is now in your balance."
