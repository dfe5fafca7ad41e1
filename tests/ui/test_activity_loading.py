"""How Activity loads a long list: the first screenful, then the rest in batches that end on
whole moments, so a trade and its fee never straddle two batches and the table never has to
re-sort what it shows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from cryptex_desktop.api.types import Trade
from cryptex_desktop.journal import ActivityKind, Journal
from cryptex_desktop.ui.screens import activity
from cryptex_desktop.ui.screens.activity import ActivityScreen, as_shown, whole_groups
from tests.gui_checks import WAIT_MS

FILLS = 700  # each a trade and its fee: 1,400 entries
START = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def trades(journal: Journal) -> None:
    journal.merge_trades([
        Trade(transaction_id=number, buy_order_id=2 * number, sell_order_id=2 * number + 1,
              timestamp=START + timedelta(minutes=number), pair="BTC_USD",
              type="buy" if number % 2 else "sell", price=Decimal("65000"),
              amount=Decimal("0.01"), is_instant_buy=False, fee=Decimal("0.00001"),
              fee_currency="BTC")
        for number in range(1, FILLS + 1)
    ])


def test_a_page_ends_on_a_whole_moment_and_says_whether_more_may_follow(qtbot, window,
                                                                         app_context):
    app_context.journal.record(trades)
    read: list[list] = []
    app_context.journal.read(lambda journal: journal.activity(limit=5), read.append)
    qtbot.waitUntil(lambda: bool(read), timeout=WAIT_MS)
    # Newest first, a fee before its trade in the journal's order: the fifth entry's trade
    # is on the next page, so its fee waits for it.
    page, complete = whole_groups(read[0], 5)
    assert [entry.kind for entry in page] == [ActivityKind.FEE, ActivityKind.TRADE] * 2
    assert not complete
    assert whole_groups(read[0][:3], 5) == (read[0][:3], True)


def test_a_long_list_comes_in_whole_and_in_order_without_resorting(
    qtbot, window, app_context, monkeypatch
):
    # A first page and batches of odd sizes end between a trade and its fee if they can.
    monkeypatch.setattr(activity, "FIRST_PAGE", 201)
    monkeypatch.setattr(activity, "INSERT_BATCH", 301)
    screen = window.screens[ActivityScreen.NAME]
    resorts: list[None] = []
    screen.model.layoutChanged.connect(lambda *_: resorts.append(None))

    app_context.journal.record(trades)
    window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: screen.is_complete and screen.proxy.rowCount() == 2 * FILLS,
                    timeout=WAIT_MS)

    shown = screen.visible_entries()
    assert shown == as_shown(shown)
    assert [entry.kind for entry in shown[:2]] == [ActivityKind.TRADE, ActivityKind.FEE]
    assert len({(entry.kind, entry.record_id) for entry in shown}) == 2 * FILLS
    assert resorts == []


def test_older_entries_that_could_not_be_read_are_said_and_f5_reads_them_again(
    qtbot, window, app_context, monkeypatch
):
    # The newest screenful is read, the rest is not (the disk failed meanwhile): the person
    # is told the list is not all there is, and F5 reads it whole once the disk answers.
    reads_rows = activity.ActivityQuery.read_rows

    def failing_rest(query, journal, limit=None, after=None):
        if limit is None:
            raise sqlite3.OperationalError("disk I/O error")
        return reads_rows(query, journal, limit=limit, after=after)

    monkeypatch.setattr(activity.ActivityQuery, "read_rows", failing_rest)
    screen = window.screens[ActivityScreen.NAME]
    app_context.journal.record(trades)
    window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: screen.result_label.text().startswith(
        "Only the newest entries could be read"), timeout=WAIT_MS)
    assert screen.is_complete and 0 < screen.proxy.rowCount() < 2 * FILLS

    monkeypatch.setattr(activity.ActivityQuery, "read_rows", reads_rows)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 2 * FILLS, timeout=WAIT_MS)
    assert screen.result_label.text() == ""
