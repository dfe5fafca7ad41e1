"""The Activity tab on the embedded demo exchange: the list, its filters, details and CSV,
and the journal's promise that a money action is written down before it is sent."""

from __future__ import annotations

import csv
import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from cryptex_desktop.api.addresses import new_address, segwit_encode
from cryptex_desktop.api.types import Deposit, DepositStatus, Redemption, Trade
from cryptex_desktop.journal import (
    ActivityKind,
    CouponIntent,
    Journal,
    Outcome,
    WithdrawalIntent,
)
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.models.activity import AMOUNT
from cryptex_desktop.ui.screens.activity import ActivityDetailsDialog, ActivityScreen
from cryptex_desktop.ui.screens.coupons import CouponsScreen
from tests.gui_checks import WAIT_MS, modal_dialog, shown_whole
from tests.ui.test_withdraw_screen import fill, open_confirmation, open_withdraw

MARCH = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
# Fixed addresses: the searches below ("77", "cdcdcd", "alice") must find nothing in them.
# A random one holds "77" about once in thirty runs, and the search then finds its deposit too.
ADDRESS = segwit_encode("bc", 0, bytes([0x11] * 20))
LTC_ADDRESS = segwit_encode("ltc", 0, bytes([0x11] * 20))


def fill_journal(journal: Journal) -> None:
    """One of each kind, on days a week apart (written on the journal's lane)."""
    journal.record_address("BTC", ADDRESS, label="Cold wallet", at=MARCH)
    journal.record_deposit_seen(
        "BTC", Deposit(ADDRESS, DepositStatus.CREDITED, Decimal("0.4"), 3, "ab" * 32), at=MARCH)
    sent = journal.begin_withdrawal(
        WithdrawalIntent("LTC", Decimal("1.5"), LTC_ADDRESS, label="Exchange B"),
        at=MARCH + timedelta(days=7))
    journal.complete_withdrawal(sent, Outcome.DONE, "cd" * 32, 1)
    made = journal.begin_coupon(CouponIntent("USD", Decimal("25"), "alice"),
                                at=MARCH + timedelta(days=14))
    journal.complete_coupon(made, Outcome.DONE)
    journal.record_coupon_redeemed(Redemption("EUR", Decimal("10")),
                                   at=MARCH + timedelta(days=21))
    journal.merge_trades([Trade(
        transaction_id=9001, buy_order_id=77, sell_order_id=78,
        timestamp=MARCH + timedelta(days=28), pair="BTC_USD", type="buy",
        price=Decimal("70000"), amount=Decimal("0.1"), is_instant_buy=True,
        fee=Decimal("0.0002"), fee_currency="BTC")])


def filled_activity(qtbot, window, app_context) -> ActivityScreen:
    app_context.journal.record(fill_journal)
    screen = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 6, timeout=WAIT_MS)
    return screen


def shown_kinds(screen: ActivityScreen) -> list[ActivityKind]:
    return [entry.kind for entry in screen.visible_entries()]


def test_activity_is_the_eighth_tab_and_ctrl_8_opens_it(qtbot, window):
    assert window.tabs.widget(7) is window.screens[ActivityScreen.NAME]
    assert window.tabs.tabText(7) == "Activity"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 7, timeout=WAIT_MS)
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "| Ctrl+1 … Ctrl+8 |" in readme and "Coupons, Activity |" in readme


def test_the_list_shows_every_kind_newest_first_with_signed_amounts_and_labels(
    qtbot, window, app_context
):
    screen = filled_activity(qtbot, window, app_context)
    # A trade and its fee happened at the same moment: the trade first, then what it cost.
    assert shown_kinds(screen) == [
        ActivityKind.TRADE, ActivityKind.FEE, ActivityKind.COUPON_REDEEMED,
        ActivityKind.COUPON_MADE, ActivityKind.WITHDRAWAL, ActivityKind.DEPOSIT,
    ]
    cells = [[screen.proxy.index(row, column).data() for column in (1, 2, 3, 4, 6)]
             for row in range(screen.proxy.rowCount())]
    assert cells[0] == ["Trade", "BTC", "+0.10000000", "0.00020000 BTC", ""]
    assert cells[1] == ["Fee", "BTC", "-0.00020000", "", ""]
    assert cells[3] == ["Coupon made", "USD", "-25.00", "", ""]
    assert cells[4] == ["Withdrawal", "LTC", "-1.50000000", "", "Exchange B"]
    assert cells[5] == ["Deposit", "BTC", "+0.40000000", "", "Cold wallet"]
    assert screen.summary_label.text() == "Showing 6 entries."


def test_kind_currency_dates_and_search_narrow_the_list(qtbot, window, app_context):
    screen = filled_activity(qtbot, window, app_context)

    screen.kind_combo.setCurrentIndex(screen.kind_combo.findData("withdrawal"))
    qtbot.waitUntil(lambda: shown_kinds(screen) == [ActivityKind.WITHDRAWAL], timeout=WAIT_MS)
    screen.kind_combo.setCurrentIndex(0)
    screen.currency_combo.set_code("BTC")
    qtbot.waitUntil(lambda: shown_kinds(screen) == [
        ActivityKind.TRADE, ActivityKind.FEE, ActivityKind.DEPOSIT], timeout=WAIT_MS)
    screen.currency_combo.set_code("")

    local = (MARCH + timedelta(days=7)).astimezone()
    screen.from_edit.setDate(QDate(local.year, local.month, local.day))
    screen.to_edit.setDate(QDate(local.year, local.month, local.day))
    qtbot.waitUntil(lambda: shown_kinds(screen) == [ActivityKind.WITHDRAWAL], timeout=WAIT_MS)
    screen.from_edit.setDate(QDate(2000, 1, 1))
    screen.to_edit.setDate(QDate(2000, 1, 1))

    for typed, wanted in (("cold wal", [ActivityKind.DEPOSIT]),
                          ("cdcdcd", [ActivityKind.WITHDRAWAL]),
                          ("77", [ActivityKind.TRADE, ActivityKind.FEE]),
                          ("alice", [ActivityKind.COUPON_MADE])):
        screen.search_edit.clear()
        qtbot.keyClicks(screen.search_edit, typed)
        qtbot.waitUntil(lambda wanted=wanted: shown_kinds(screen) == wanted, timeout=WAIT_MS)
    qtbot.keyClicks(screen.search_edit, "nothing like this")
    qtbot.waitUntil(lambda: screen.records.state_text() == "Nothing matches these filters.",
                    timeout=WAIT_MS)


def test_enter_opens_the_details_of_the_chosen_entry(qtbot, window, app_context):
    screen = filled_activity(qtbot, window, app_context)
    screen.table.setFocus()
    screen.table.selectRow(4)  # the withdrawal
    screen.table.setCurrentIndex(screen.proxy.index(4, 0))
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    dialog = modal_dialog(qtbot, ActivityDetailsDialog)
    assert dialog.values["Kind"] == "Withdrawal"
    assert dialog.values["Amount"] == "-1.5 LTC"
    assert dialog.values["Transaction id"] == "cd" * 32
    assert dialog.values["Label"] == "Exchange B"
    dialog.reject()
    qtbot.waitUntil(lambda: screen.details_dialog is None, timeout=WAIT_MS)


def test_csv_export_has_exact_amounts_fee_columns_and_utc_dates(
    qtbot, window, app_context, tmp_path
):
    screen = filled_activity(qtbot, window, app_context)
    target = tmp_path / "activity.csv"
    screen.export_csv(target)
    qtbot.waitUntil(lambda: screen.result_label.text().startswith(
                        f"Saved 6 entries to {target}. The file is written the same way"),
                    timeout=WAIT_MS)
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["kind"] for row in rows] == [  # in the table's order
        "trade", "fee", "coupon_redeemed", "coupon_made", "withdrawal", "deposit"]
    trade, fee = rows[0], rows[1]
    assert (fee["currency"], fee["amount"]) == ("BTC", "-0.0002")
    assert (trade["amount"], trade["fee"], trade["fee_currency"], trade["price"]) == (
        "0.1", "0.0002", "BTC", "70000")
    assert trade["date_utc"] == "2026-04-07T12:00:00.000000Z"
    assert trade["orders"] == "77 78"
    assert rows[4]["label"] == "Exchange B" and rows[4]["txid"] == "cd" * 32


def test_a_withdrawal_is_written_down_before_it_is_sent_and_completed_after(
    qtbot, window, app_context, monkeypatch
):
    client = app_context.dispatcher.client
    real_withdraw = client.withdraw
    written_before: list[object] = []

    def withdraw(amount, address, currency):
        journal = app_context.journal.journal_for_send()
        written_before.extend(journal.pending_intents())  # a worker may call it directly
        return real_withdraw(amount, address, currency)

    monkeypatch.setattr(client, "withdraw", withdraw)
    screen = open_withdraw(qtbot, window, "BTC")
    recipient = new_address("BTC")
    fill(qtbot, screen, recipient, "0.2")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.action.is_busy(), timeout=WAIT_MS)

    assert [(w.address, w.amount, w.outcome) for w in written_before] == [  # type: ignore[attr-defined]
        (recipient, Decimal("0.2"), Outcome.PENDING)]
    activity = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: [(e.kind, e.status) for e in activity.visible_entries()] == [
        (ActivityKind.WITHDRAWAL, "done")], timeout=WAIT_MS)
    # A request still on its way for an account switched away from is not written here.
    assert app_context.journal.journal_for_send(client) is not None
    assert app_context.journal.journal_for_send(object()) is None


def test_a_refused_coupon_is_written_down_as_refused(qtbot, window, app_context):
    screen = window.show_screen(CouponsScreen.NAME)
    screen.currency_combo.set_code("USD")
    qtbot.waitUntil(lambda: screen.available_label.text().endswith(" USD"), timeout=WAIT_MS)
    qtbot.keyClicks(screen.amount_edit, "5")
    qtbot.keyClicks(screen.recipient_edit, "nobody-by-this-name")
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(modal_dialog(qtbot, ConfirmDialog).confirm_button,
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.create_action.is_busy(), timeout=WAIT_MS)
    activity = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: [(e.kind, e.status, e.description)
                             for e in activity.visible_entries()] == [
        (ActivityKind.COUPON_MADE, "refused", "nobody-by-this-name")], timeout=WAIT_MS)
    assert activity.proxy.index(0, 5).data() == "For nobody-by-this-name (not carried out)"


def test_a_long_history_shows_its_first_screenful_then_every_page(qtbot, window, app_context):
    start = MARCH

    def many_trades(journal: Journal) -> None:
        journal.merge_trades(Trade(
            transaction_id=n, buy_order_id=n, sell_order_id=n + 1,
            timestamp=start + timedelta(minutes=n), pair="LTC_USD", type="sell",
            price=Decimal("80"), amount=Decimal("1"), is_instant_buy=False,
            fee=Decimal("0.16"), fee_currency="USD") for n in range(1, 1501))

    app_context.journal.record(many_trades)
    screen = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 3000, timeout=WAIT_MS)
    newest = screen.visible_entries()[:2]
    assert [(e.kind, e.record_id, e.amount) for e in newest] == [
        (ActivityKind.TRADE, 1500, Decimal("-1")), (ActivityKind.FEE, 1500, Decimal("-0.16"))]
    assert len({(e.kind, e.record_id) for e in screen.visible_entries()}) == 3000
    assert screen.summary_label.text() == "Showing 3,000 entries."


def test_a_large_amount_is_shown_whole_and_a_width_the_person_chose_is_kept(
    qtbot, window, app_context
):
    def large(journal: Journal) -> None:
        journal.record_deposit_seen("BTC", Deposit(
            ADDRESS, DepositStatus.CREDITED, Decimal("1234.56789012"), 3, "ef" * 32), at=MARCH)
        sent = journal.begin_withdrawal(WithdrawalIntent("LTC", Decimal("100"), LTC_ADDRESS),
                                        at=MARCH + timedelta(days=1))
        journal.complete_withdrawal(sent, Outcome.DONE, "12" * 32, 1)

    app_context.journal.record(large)
    screen = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 2, timeout=WAIT_MS)
    texts = [screen.proxy.index(row, AMOUNT).data() for row in range(2)]
    assert texts == ["-100.00000000", "+1,234.56789012"]
    qtbot.waitUntil(lambda: all(shown_whole(screen.table, AMOUNT, t) for t in texts),
                    timeout=WAIT_MS)

    # The person makes the column narrower (as dragging its edge does): it stays so, even when
    # a larger amount arrives.
    header = screen.table.horizontalHeader()
    header.resizeSection(AMOUNT, header.sectionSize(AMOUNT) // 2)
    chosen = header.sectionSize(AMOUNT)
    app_context.journal.record(lambda journal: journal.record_coupon_redeemed(
        Redemption("USD", Decimal("98765432.10")), at=MARCH + timedelta(days=2)))
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.proxy.index(0, AMOUNT).data() == "+98,765,432.10",
                    timeout=WAIT_MS)
    screen.column_widths.fit()  # what the next scroll or arrival would do
    assert header.sectionSize(AMOUNT) == chosen


def test_an_amount_scrolled_into_view_widens_its_column_then(qtbot, window, app_context):
    def many_then_one_large(journal: Journal) -> None:
        journal.record_deposit_seen("BTC", Deposit(
            ADDRESS, DepositStatus.CREDITED, Decimal("4321.12345678"), 3, "ef" * 32), at=MARCH)
        journal.merge_trades(Trade(
            transaction_id=n, buy_order_id=n, sell_order_id=n + 1,
            timestamp=MARCH + timedelta(minutes=n), pair="LTC_USD", type="sell",
            price=Decimal("80"), amount=Decimal("1"), is_instant_buy=False,
            fee=Decimal("0"), fee_currency="USD") for n in range(1, 301))

    window.resize(880, 560)  # the app's smallest size: 301 rows are far more than it shows
    app_context.journal.record(many_then_one_large)
    screen = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 301, timeout=WAIT_MS)
    large = screen.proxy.index(300, AMOUNT).data()
    assert large == "+4,321.12345678"
    assert not shown_whole(screen.table, AMOUNT, large)  # the oldest, far below the view
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown_whole(screen.table, AMOUNT, large), timeout=WAIT_MS)


def test_every_control_has_a_name_and_tab_goes_through_the_filters_to_the_list(qtbot, window):
    screen = window.show_screen(ActivityScreen.NAME)
    order = [screen.kind_combo, screen.currency_combo, screen.from_edit, screen.to_edit,
             screen.search_edit, screen.table]
    for control in [*order, screen.details_button, screen.export_button]:
        assert control.accessibleName(), control
    for current, following in itertools.pairwise(order):
        assert _reaches(current, following), (current, following)


def _reaches(start, target) -> bool:
    """Whether Tab from ``start`` reaches ``target`` before any other control of the order."""
    widget = start.nextInFocusChain()
    for _ in range(10):  # a date edit's inner line edit comes first
        if widget is target:
            return True
        widget = widget.nextInFocusChain()
    return False
