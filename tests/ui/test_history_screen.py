"""The History screen, driven as a person would, against the embedded demo exchange."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog

from cryptex_desktop.api.money import to_wire
from cryptex_desktop.api.types import Trade
from cryptex_desktop.ui.formatting import format_amount
from cryptex_desktop.ui.models.trade_history import AMOUNT, FEE, ORDER, PRICE, SIDE, TOTAL
from cryptex_desktop.ui.screens.history import (
    CSV_HEADER,
    HistoryQuery,
    HistoryScreen,
    csv_row,
    fetch_older,
)
from tests.exchange_helpers import place_order, trades_on_exchange
from tests.gui_checks import WAIT_MS, modal_dialog, shown_whole


def cell(screen: HistoryScreen, row: int, column: int) -> str:
    return screen.proxy.index(row, column).data()


def shown_rows(screen: HistoryScreen) -> int:
    return screen.proxy.rowCount()


def test_trades_i_make_show_up_newest_first_with_their_order_numbers(window, app_context, qtbot):
    bought = place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.15")
    sold = place_order(qtbot, app_context, "BTC_USD", "sell", "60000", "0.01")

    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 2, timeout=WAIT_MS)

    expected = trades_on_exchange(qtbot, app_context)
    assert [t.transaction_id for t in screen.visible_trades()] == [
        t.transaction_id for t in expected
    ]
    assert {(cell(screen, row, SIDE), cell(screen, row, ORDER)) for row in range(2)} == {
        ("Buy", str(bought)),
        ("Sell", str(sold)),
    }
    assert screen.summary_label.text() == "Showing 2 trades."
    assert screen.records.is_showing_table()


def test_each_trade_shows_the_fee_the_demo_exchange_took(window, app_context, qtbot):
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.15")
    place_order(qtbot, app_context, "BTC_USD", "sell", "60000", "0.01")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 2, timeout=WAIT_MS)

    fees = {(t.fee, t.fee_currency) for t in trades_on_exchange(qtbot, app_context)}
    assert {currency for _, currency in fees} == {"LTC", "USD"}  # what each side received
    assert (Decimal("0.0003"), "LTC") in fees  # 0.2% of the 0.15 LTC bought
    assert {cell(screen, row, FEE) for row in range(2)} == {
        f"{format_amount(fee, currency)} {currency}" for fee, currency in fees
    }


def test_long_amounts_are_shown_whole_at_the_smallest_size_and_columns_fill_a_wide_one(
    window, app_context, qtbot
):
    window.resize(880, 560)  # the app's smallest size
    # Less than the demo market maker's first level of 20 LTC: one trade at its price.
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "19.87654321")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 1, timeout=WAIT_MS)
    texts = {column: screen.proxy.index(0, column).data()
             for column in (PRICE, AMOUNT, TOTAL, FEE)}
    assert texts[AMOUNT] == "19.87654321"
    qtbot.waitUntil(lambda: all(shown_whole(screen.table, column, text)
                                for column, text in texts.items()), timeout=WAIT_MS)

    # A wide window spreads the columns over its whole width, as before, with no gap at the end.
    window.resize(1920, 1080)
    table, header = screen.table, screen.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() == table.viewport().width(), timeout=WAIT_MS)
    assert all(shown_whole(table, column, text) for column, text in texts.items())


def test_a_person_who_never_traded_reads_a_sentence_instead_of_an_empty_table(window, qtbot):
    screen = window.show_screen("history")

    qtbot.waitUntil(lambda: "not traded yet" in screen.records.state_text(), timeout=WAIT_MS)
    assert not screen.records.is_showing_table()
    assert not screen.export_button.isEnabled()


def test_pair_side_and_order_number_filters_narrow_the_table_and_are_remembered(
    window, app_context, qtbot
):
    first_buy = place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.2")
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.3")
    place_order(qtbot, app_context, "LTC_USD", "sell", "80", "0.1")
    place_order(qtbot, app_context, "BTC_USD", "sell", "60000", "0.01")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 4, timeout=WAIT_MS)

    screen.pair_combo.setCurrentIndex(screen.pair_combo.findData("LTC_USD"))
    qtbot.waitUntil(
        lambda: shown_rows(screen) == 3
        and all(t.pair == "LTC_USD" for t in screen.visible_trades()),
        timeout=WAIT_MS,
    )

    screen.side_combo.setCurrentIndex(screen.side_combo.findData("sell"))
    assert shown_rows(screen) == 1
    assert cell(screen, 0, SIDE) == "Sell"
    assert screen.summary_label.text() == "Showing 1 of 3 loaded trades."

    screen.side_combo.setCurrentIndex(screen.side_combo.findData(""))
    qtbot.keyClicks(screen.order_edit, str(first_buy))
    assert shown_rows(screen) == 1
    assert cell(screen, 0, ORDER) == str(first_buy)

    screen.order_edit.clear()
    qtbot.keyClicks(screen.order_edit, "999999")
    assert shown_rows(screen) == 0
    # All three LTC trades are loaded (fewer than asked for), so there is nothing older to load.
    assert screen.records.state_text().startswith("None of your trades belongs to order 999999")
    assert "Load older" not in screen.records.state_text()
    assert not screen.older_button.isEnabled()

    screen.side_combo.setCurrentIndex(screen.side_combo.findData("sell"))
    again = HistoryScreen(app_context.dispatcher, app_context.settings)
    qtbot.addWidget(again)
    assert again.pair_combo.currentData() == "LTC_USD"
    assert again.side_combo.currentData() == "sell"


def test_dates_ask_the_exchange_for_that_range_and_a_backwards_range_is_explained(
    window, app_context, qtbot
):
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.1")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 1, timeout=WAIT_MS)
    today = QDate.currentDate()

    screen.to_edit.setDate(today.addDays(-2))
    qtbot.waitUntil(
        lambda: "no trades for this market and these dates" in screen.records.state_text(),
        timeout=WAIT_MS,
    )
    assert screen.query().end is not None and screen.query().end.tzinfo is UTC

    screen.from_edit.setDate(today)
    qtbot.waitUntil(lambda: screen.date_message.is_problem(), timeout=WAIT_MS)
    assert "after the “To” day" in screen.date_message.text()

    qtbot.mouseClick(screen.any_date_button, Qt.MouseButton.LeftButton)
    screen.from_edit.setDate(today.addDays(-1))
    qtbot.waitUntil(lambda: shown_rows(screen) == 1, timeout=WAIT_MS)
    assert not screen.date_message.is_problem()
    assert screen.to_edit.text() == "Any"


def test_export_writes_exactly_what_the_table_shows_with_exact_decimals(
    window, app_context, qtbot, tmp_path
):
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.123")
    place_order(qtbot, app_context, "LTC_USD", "sell", "80", "0.077")
    place_order(qtbot, app_context, "BTC_USD", "buy", "70000", "0.0123")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 3, timeout=WAIT_MS)
    screen.side_combo.setCurrentIndex(screen.side_combo.findData("buy"))
    screen.table.sortByColumn(ORDER, Qt.SortOrder.AscendingOrder)

    path = tmp_path / "trades.csv"
    assert screen.export_csv(path) == 2

    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    by_id = {t.transaction_id: t for t in trades_on_exchange(qtbot, app_context)}
    shown = screen.visible_trades()
    assert rows[0] == list(CSV_HEADER)
    assert [int(row[8]) for row in rows[1:]] == [t.transaction_id for t in shown]
    assert [row[7] for row in rows[1:]] == sorted((row[7] for row in rows[1:]), key=int)
    for row in rows[1:]:
        trade = by_id[int(row[8])]
        assert row[0] == trade.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert row[2] == "Buy"
        assert Decimal(row[3]) == trade.price and row[3] == to_wire(trade.price)
        assert Decimal(row[4]) == trade.amount and row[4] == to_wire(trade.amount)
        assert Decimal(row[5]) == trade.price * trade.amount  # exact: no rounding anywhere
        assert (row[9], row[10]) == (to_wire(trade.fee), trade.fee_currency)
        assert row[10] == row[1].split("/")[0]  # a buy's fee comes out of what it bought
    assert {row[4] for row in rows[1:]} == {"0.123", "0.0123"}


def test_ctrl_e_asks_where_to_save_then_says_how_many_trades_were_saved(
    window, app_context, qtbot, tmp_path
):
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.1")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 1, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=WAIT_MS)

    qtbot.keyClick(screen.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = modal_dialog(qtbot, QFileDialog)
    target = tmp_path / "mine.csv"
    dialog.selectFile(str(target))
    dialog.accept()

    qtbot.waitUntil(lambda: target.exists(), timeout=WAIT_MS)
    assert screen.result_label.text() == (
        f"Saved 1 trade to {target}. The file is written the same way in every language "
        "(English column names, a point before decimals, times in UTC), so spreadsheets and "
        "scripts read it alike.")
    assert not screen.result_label.is_problem()


def test_saving_where_it_cannot_be_written_says_so_in_a_sentence(window, app_context, qtbot,
                                                                   tmp_path):
    place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.1")
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 1, timeout=WAIT_MS)

    screen._export_to(str(tmp_path / "no such folder" / "trades.csv"))

    assert screen.result_label.is_problem()
    assert screen.result_label.text().startswith("Could not save the file: No such file")
    assert "Traceback" not in screen.result_label.text()


def test_load_older_pages_back_past_the_page_size_until_there_are_no_older_trades(
    window, app_context, qtbot
):
    for _ in range(6):
        place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.1")
        place_order(qtbot, app_context, "LTC_USD", "sell", "80", "0.1")
    screen = window.screens["history"]
    screen.page_size = 5
    window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 5, timeout=WAIT_MS)

    clicks = 0
    while screen.result_label.text() != "No older trades.":
        qtbot.mouseClick(screen.older_button, Qt.MouseButton.LeftButton)
        assert screen.older_button.is_busy() and not screen.older_button.isEnabled()
        qtbot.waitUntil(lambda: not screen.older_button.is_busy(), timeout=WAIT_MS)
        clicks += 1
        # 12 trades, 5 a page, stamped in whole seconds: 4 clicks mostly, 5 at worst, when the
        # seconds fall 1, 4, 1, 4, 1 (a page ends inside a second and the next starts at it).
        assert clicks <= 5, "Load older should have reached the first trade by now"

    every = trades_on_exchange(qtbot, app_context)
    assert len(every) == 12
    assert sorted(t.transaction_id for t in screen.visible_trades()) == sorted(
        t.transaction_id for t in every
    )
    assert [t.transaction_id for t in screen.visible_trades()] == [
        t.transaction_id for t in every
    ]


# --- paging by time, without the app: many trades in one second -------------------------------


class HistoryExchange:
    """A stand-in exchange's TradeHistory with the sandbox's rules (inclusive seconds, count)."""

    def __init__(self, trades: list[Trade]) -> None:
        self.trades = trades
        self.requests = 0

    def trade_history(self, pair=None, since=None, end=None, count=None, order=None):
        self.requests += 1
        found = [
            t for t in self.trades
            if (pair is None or t.pair == pair)
            and (since is None or t.timestamp >= since)
            and (end is None or t.timestamp <= end)
        ]
        found.sort(key=lambda t: t.transaction_id, reverse=order != "ASC")
        return found[: count or 1000]


def _trade(number: int, moment: datetime) -> Trade:
    return Trade(number, number, 0, moment, "BTC_USD", "buy", Decimal("65000"), Decimal("0.01"),
                 True)


def test_load_older_reaches_every_trade_past_1000_even_when_1200_share_one_second():
    start = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
    moments = (
        [start + timedelta(seconds=n) for n in range(900)]
        + [start + timedelta(seconds=900)] * 1200
        + [start + timedelta(seconds=901 + n) for n in range(400)]
    )
    exchange = HistoryExchange([_trade(n + 1, m) for n, m in enumerate(moments)])
    query = HistoryQuery(count=1000)

    loaded = {t.transaction_id: t for t in exchange.trade_history(count=1000, order="DESC")}
    for _ in range(10):
        oldest = min(loaded.values(), key=lambda t: (t.timestamp, t.transaction_id))
        page = fetch_older(exchange, query, oldest.timestamp)
        fresh = {t.transaction_id: t for t in page if t.transaction_id not in loaded}
        if not fresh:
            break
        loaded.update(fresh)

    assert len(loaded) == len(moments) == 2500


def test_when_the_exchange_cannot_be_reached_history_says_so_in_a_sentence(
    window, app_context, qtbot
):
    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: "not traded yet" in screen.records.state_text(), timeout=WAIT_MS)
    app_context.connection.demo.stop()

    screen.refresh()

    qtbot.waitUntil(lambda: screen.result_label.is_problem(), timeout=WAIT_MS)
    assert screen.result_label.text().startswith(
        "Could not load your trades: Could not reach the exchange"
    )
    assert "Traceback" not in screen.result_label.text()


def test_a_trade_whose_fee_the_exchange_did_not_report_exports_empty_fee_columns():
    fill = Trade(
        transaction_id=5, buy_order_id=1, sell_order_id=2,
        timestamp=datetime(2026, 11, 27, 12, 0, tzinfo=UTC), pair="BTC_USD", type="buy",
        price=Decimal("65000"), amount=Decimal("0.01"), is_instant_buy=True,
    )
    row = csv_row(fill)
    assert len(row) == len(CSV_HEADER) and CSV_HEADER[-2:] == ("Fee", "Fee currency")
    assert row[-2:] == ("", "")
    assert csv_row(replace(fill, fee=Decimal("0.00002"), fee_currency="BTC"))[-2:] == (
        "0.00002", "BTC"
    )


def test_once_there_are_no_older_trades_the_button_is_off_and_the_sentences_say_so(
    window, app_context, qtbot
):
    for _ in range(3):
        place_order(qtbot, app_context, "LTC_USD", "buy", "90", "0.1")
    screen = window.screens["history"]
    screen.page_size = 2
    window.show_screen("history")
    qtbot.waitUntil(lambda: shown_rows(screen) == 2, timeout=WAIT_MS)
    assert screen.older_button.isEnabled()  # a full page: there may be older trades

    qtbot.keyClicks(screen.order_edit, "999999")
    assert "Load older" in screen.records.state_text()  # it may be further back
    while screen.result_label.text() != "No older trades.":
        qtbot.mouseClick(screen.older_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not screen.older_button.is_busy(), timeout=WAIT_MS)

    assert not screen.older_button.isEnabled()
    assert "no older" in screen.older_button.toolTip()
    assert "Load older" not in screen.records.state_text()
    assert screen.records.state_text().startswith("None of your trades belongs to order 999999")
    screen.order_edit.clear()
    assert shown_rows(screen) == 3


def test_a_load_problem_goes_away_when_a_later_load_succeeds(window, app_context, qtbot):
    from cryptex_desktop.api.errors import ConnectError

    screen = window.show_screen("history")
    qtbot.waitUntil(lambda: "not traded yet" in screen.records.state_text(), timeout=WAIT_MS)
    screen._loading += 1  # as refresh() counts a load that then fails to connect
    screen._on_refresh_error(ConnectError("127.0.0.1"))
    assert screen.result_label.is_problem()
    assert "Could not reach the exchange" in screen.result_label.text()

    screen.refresh()
    qtbot.waitUntil(lambda: not screen.result_label.text(), timeout=WAIT_MS)
    assert "not traded yet" in screen.records.state_text()


def test_before_anything_loaded_a_failed_load_offers_try_again_in_place_of_the_table(
    window, app_context, qtbot
):
    from cryptex_desktop.api.errors import ConnectError

    screen = window.show_screen("history")
    screen.account_changed()  # a new account: nothing loaded yet
    screen._loading += 1
    screen._on_refresh_error(ConnectError("127.0.0.1"))
    assert screen.records.retry_button.isVisibleTo(screen.records)
    assert screen.records.state_text().startswith("Could not load your trades")
    assert "Loading" not in screen.records.state_text()

    qtbot.mouseClick(screen.records.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not traded yet" in screen.records.state_text(), timeout=WAIT_MS)
