"""The Activity table keeps the journal's plain rows: a cell's text is made when it is shown,
a column's sort value when the list is sorted by it, and the entry when a screen asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

from cryptex_desktop.api.types import Deposit, DepositStatus, Redemption, Trade
from cryptex_desktop.journal import ActivityEntry, ActivityKind, Journal
from cryptex_desktop.ui.models import RECORD_ROLE, SORT_ROLE, SortingProxy
from cryptex_desktop.ui.models.activity import AMOUNT, DATE, DETAILS, KIND, LABEL, ActivityModel
from cryptex_desktop.ui.widgets.record_table import record_table

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def journal_rows(folder: Path) -> list[tuple]:
    """Three fills (each a trade and its fee) and two redeemed coupons, oldest first."""
    with Journal.for_account(folder, "", "", is_demo=True) as journal:
        journal.merge_trades([
            Trade(number, 2 * number, 2 * number + 1, START + timedelta(minutes=number),
                  "BTC_USD", "buy" if number % 2 else "sell", Decimal("65000") + number,
                  Decimal("0.01") * number, False, Decimal("0.00001"), "BTC")
            for number in range(1, 4)
        ])
        for number in range(1, 3):
            journal.record_coupon_redeemed(Redemption("USD", Decimal(10 * number)),
                                           at=START + timedelta(hours=number))
        return journal.activity_rows(fee_last=True)


def test_rows_show_their_text_and_entry_and_sort_by_any_heading(qtbot, tmp_path):
    model = ActivityModel()
    proxy = SortingProxy(model)
    table = record_table(proxy)
    qtbot.addWidget(table)
    rows = journal_rows(tmp_path)
    assert model.add_rows(model.rows_for(rows[:3]), sorted_by=ActivityModel.DEFAULT_SORT) == 3
    # Rows already shown are left as they are; only the others come in.
    assert model.add_rows(model.rows_for(rows), sorted_by=ActivityModel.DEFAULT_SORT) == 5
    assert model.add_rows(model.rows_for(rows), sorted_by=ActivityModel.DEFAULT_SORT) == 0
    assert model.rowCount() == 8

    # Newest first as the journal gave them, a trade above its fee.
    assert [model.entry_at(n).kind for n in range(4)] == [
        ActivityKind.COUPON_REDEEMED, ActivityKind.COUPON_REDEEMED, ActivityKind.TRADE,
        ActivityKind.FEE]
    assert proxy.index(0, AMOUNT).data() == "+20.00"
    assert proxy.index(2, KIND).data() == "Trade"
    assert proxy.index(2, AMOUNT).data() == "+0.03000000"
    assert proxy.index(3, DETAILS).data() == "Fee of a trade on BTC/USD"
    entry = proxy.index(2, 0).data(RECORD_ROLE)
    assert isinstance(entry, ActivityEntry)
    assert (entry.amount, entry.price, entry.order_ids) == (
        Decimal("0.03"), Decimal("65003"), (6, 7))

    table.horizontalHeader().setSortIndicator(AMOUNT, Qt.SortOrder.AscendingOrder)
    amounts = [proxy.index(n, AMOUNT).data(SORT_ROLE) for n in range(proxy.rowCount())]
    assert amounts == sorted(amounts) and amounts[0] == Decimal("-0.02")
    table.horizontalHeader().setSortIndicator(DETAILS, Qt.SortOrder.AscendingOrder)
    details = [proxy.index(n, DETAILS).data() for n in range(proxy.rowCount())]
    assert details == sorted(details)
    table.horizontalHeader().setSortIndicator(DATE, Qt.SortOrder.DescendingOrder)
    assert model.records() == rows


def test_a_changed_entry_shows_its_new_text(qtbot, tmp_path):
    model = ActivityModel()
    rows = journal_rows(tmp_path)
    model.set_records(rows)
    assert model.index(0, AMOUNT).data() == "+20.00"
    changed = (*rows[0][:3], "25", *rows[0][4:])
    model.set_records([changed, *rows[1:]])
    assert model.index(0, AMOUNT).data() == "+25.00"
    assert model.rowCount() == len(rows)


def test_fresh_entries_come_in_and_changed_ones_change_without_touching_the_rest(
    qtbot, tmp_path
):
    model = ActivityModel()
    rows = journal_rows(tmp_path)
    model.set_records(rows[1:])
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))
    changed = (*rows[2][:3], "0.5", *rows[2][4:])
    model.put_records([rows[0], changed])
    assert model.records() == [rows[0], rows[1], changed, *rows[3:]]
    assert model.index(2, AMOUNT).data() == "+0.50000000"
    assert resets == []


def test_the_journals_rows_are_the_tables_rows_with_no_copy(tmp_path):
    # 100,000 entries must be ready at once: no wrapper is made for a row, and rows put by
    # key on the journal's lane go in as they are.
    model = ActivityModel()
    rows = journal_rows(tmp_path)
    by_key = model.rows_by_key(model.rows_for(rows))
    assert list(by_key) == [row[-1] for row in rows]
    assert model.add_rows(by_key, sorted_by=ActivityModel.DEFAULT_SORT) == len(rows)
    assert all(model.record_at(n) is row for n, row in enumerate(rows))
    assert model.row_of(model.key_of(rows[3])) == 3
    assert model.index(3, 0).data(RECORD_ROLE) == model.entry_at(3)


def test_a_label_too_long_for_its_column_is_whole_in_its_tooltip(tmp_path):
    # Details takes the room left; Label has a set width, so its whole text is on hover.
    with Journal.for_account(tmp_path, "", "", is_demo=True) as journal:
        journal.record_address("BTC", "bc1qsavings", label="Savings for the new roof, 2027")
        journal.record_deposit_seen(
            "BTC", Deposit("bc1qsavings", DepositStatus.CREDITED, Decimal("0.5"), 6, "ab" * 32),
            at=START)
        rows = journal.activity_rows(fee_last=True)
    model = ActivityModel()
    model.add_rows(model.rows_for(rows), sorted_by=ActivityModel.DEFAULT_SORT)
    tooltip = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, LABEL).data(tooltip) == "Savings for the new roof, 2027"
    assert model.index(0, LABEL).data() == "Savings for the new roof, 2027"
