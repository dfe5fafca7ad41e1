"""The combined activity list: newest first, signed amounts, filters, search and pages."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cryptex_desktop.api.types import Deposit, DepositStatus, Redemption, Trade
from cryptex_desktop.journal import (
    ActivityKind,
    CouponIntent,
    Journal,
    LabelKind,
    Outcome,
    WithdrawalIntent,
    activity_entry,
    store,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def filled(journal: Journal) -> Journal:
    """One of everything, a minute apart, oldest first."""
    at = iter(T0 + timedelta(minutes=n) for n in range(100))
    journal.record_address("BTC", "bc1qsavings", label="Savings", at=next(at))
    journal.record_deposit_seen(
        "BTC", Deposit("bc1qsavings", DepositStatus.CREDITED, Decimal("0.5"), 6, "aa11" * 16),
        at=next(at))
    journal.merge_trades([
        Trade(501, 9001, 9002, next(at), "BTC_USD", "sell", Decimal("27000"), Decimal("0.2"),
              False, Decimal("5.40"), "USD"),
        Trade(502, 9003, 9004, next(at), "LTC_BTC", "buy", Decimal("0.0025"), Decimal("3"),
              False, Decimal("0"), "LTC"),
    ])
    sent = journal.begin_withdrawal(
        WithdrawalIntent("BTC", Decimal("0.1"), "bc1qmum", label="Mum"), at=next(at))
    journal.complete_withdrawal(sent, Outcome.DONE, txid="bb22" * 16, at=next(at))
    coupon = journal.begin_coupon(CouponIntent("USD", Decimal("25"), "Bob"), at=next(at))
    journal.complete_coupon(coupon, Outcome.DONE, held_for_review=True, at=next(at))
    journal.record_coupon_redeemed(Redemption("EUR", Decimal("12.34")), at=next(at))
    return journal


def test_everything_that_moved_money_is_listed_newest_first_with_signed_amounts(
    filled: Journal,
) -> None:
    rows = [(e.kind, e.currency, e.amount) for e in filled.activity()]
    assert rows == [
        (ActivityKind.COUPON_REDEEMED, "EUR", Decimal("12.34")),
        (ActivityKind.COUPON_MADE, "USD", Decimal("-25")),
        (ActivityKind.WITHDRAWAL, "BTC", Decimal("-0.1")),
        (ActivityKind.TRADE, "LTC", Decimal("3")),  # a zero fee makes no fee row
        (ActivityKind.FEE, "USD", Decimal("-5.40")),
        (ActivityKind.TRADE, "BTC", Decimal("-0.2")),
        (ActivityKind.DEPOSIT, "BTC", Decimal("0.5")),
    ]
    entries = filled.activity()
    assert entries[1].status == "held_for_review"
    assert (entries[2].label, entries[2].txid, entries[2].status) == ("Mum", "bb22" * 16, "done")
    assert (entries[5].price, entries[5].fee, entries[5].order_ids) == (
        Decimal("27000"), Decimal("5.40"), (9001, 9002))
    assert entries[6].label == "Savings"
    assert entries == sorted(entries, key=lambda e: e.time, reverse=True)


def test_filters_by_kind_currency_and_time(filled: Journal) -> None:
    assert [e.kind for e in filled.activity(kind=ActivityKind.FEE)] == [ActivityKind.FEE]
    assert {e.kind for e in filled.activity(currency="BTC")} == {
        ActivityKind.WITHDRAWAL, ActivityKind.TRADE, ActivityKind.DEPOSIT}
    window = filled.activity(since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=4))
    assert [e.record_id for e in window] == [502, 501, 501]
    assert filled.activity(kind=ActivityKind.DEPOSIT, currency="USD") == []


@pytest.mark.parametrize(("search", "kinds"), [
    ("mum", [ActivityKind.WITHDRAWAL]),                    # a label, any case
    ("SAVINGS", [ActivityKind.DEPOSIT]),
    ("bc1qmum", [ActivityKind.WITHDRAWAL]),                # an address
    ("bb22bb22", [ActivityKind.WITHDRAWAL]),               # part of a txid
    ("9003", [ActivityKind.TRADE]),                        # an order number
    ("9001", [ActivityKind.FEE, ActivityKind.TRADE]),
    ("bob", [ActivityKind.COUPON_MADE]),
    ("nothing like this", []),
])
def test_search_finds_labels_addresses_txids_and_order_numbers(
    filled: Journal, search: str, kinds: list[ActivityKind],
) -> None:
    assert [e.kind for e in filled.activity(search=search)] == kinds


def test_a_label_given_later_is_found_by_search(filled: Journal) -> None:
    filled.set_label(LabelKind.TRANSACTION, "aa11" * 16, "First salary")
    [entry] = filled.activity(search="salary")
    assert (entry.kind, entry.label) == (ActivityKind.DEPOSIT, "First salary")


def test_pages_put_together_are_the_whole_list(filled: Journal) -> None:
    whole = filled.activity()
    pages = [filled.activity(limit=3, offset=offset) for offset in range(0, len(whole), 3)]
    assert [entry for page in pages for entry in page] == whole


def test_reading_on_after_the_last_entry_of_a_page_gives_the_whole_list(filled: Journal) -> None:
    whole = filled.activity()
    read: list = []
    while page := filled.activity(limit=2, after=read[-1] if read else None):
        read.extend(page)
    assert read == whole
    assert filled.activity(currency="BTC", after=whole[2]) == [
        e for e in whole[3:] if e.currency == "BTC"]


def test_the_whole_list_as_plain_rows_is_the_list_read_page_by_page(filled: Journal) -> None:
    # A trade and its fee at one moment, and a trade with no fee at all.
    filled.merge_trades([
        Trade(503, 9005, 9006, T0 + timedelta(hours=2), "BTC_USD", "buy", Decimal("26000"),
              Decimal("0.01"), False, Decimal("0.00001"), "BTC"),
        Trade(504, 9007, 9008, T0 + timedelta(hours=3), "BTC_USD", "sell", Decimal("26100"),
              Decimal("0.02"), False),
    ])
    # The whole list reads the trades table once for trades and fees; a page reads each
    # kind's own query: both give the same rows.
    paged = filled.activity_rows(limit=1000)
    assert filled.activity_rows() == paged
    assert [activity_entry(row) for row in paged] == filled.activity()
    since = T0 + timedelta(minutes=3)
    assert filled.activity_rows(since=since) == filled.activity_rows(since=since, limit=1000)


def test_in_the_tables_order_a_fee_comes_after_its_trade(filled: Journal) -> None:
    assert [row[1] for row in filled.activity_rows()][4:6] == ["fee", "trade"]
    kinds = [row[1] for row in filled.activity_rows(fee_last=True)]
    assert kinds[4:6] == ["trade", "fee"]
    assert [row[1] for row in filled.activity_rows(limit=100, fee_last=True)] == kinds


def test_the_whole_list_keeps_any_text_and_big_numbers_exactly(filled: Journal) -> None:
    # The whole list crosses from SQLite as one value: quotes, backslashes, line breaks and
    # any script must come back as written, numbers beyond 2**53 as the same integers.
    tricky = 'Mum\'s "old" wallet \\ C:\\tmp\n\ttab \u2603 \U0001f600 кошелёк 钱包'
    filled.set_label(LabelKind.ADDRESS, "bc1qsavings", tricky)
    moment = T0 + timedelta(hours=5)
    filled.merge_trades([
        Trade(2**62 + 1, 2**62 + 3, 2**62 + 5, moment, "BTC_USD", "buy",
              Decimal("26000.123456789012345678"), Decimal("0.00000001"), False,
              Decimal("0.000000000000000001"), "BTC"),
        Trade(7, 8, 9, moment, "BTC_USD", "sell", Decimal("1"), Decimal("2"), False),
    ])
    whole = filled.activity_rows()
    assert whole == filled.activity_rows(limit=1000)
    assert all(type(row) is tuple for row in whole)
    assert tricky in [row[7] for row in whole]
    big = [row for row in whole if row[9] == 2**62 + 1]
    assert [(row[1], row[3], row[12], row[14]) for row in big] == [
        ("fee", "-0.000000000000000001", 2**62 + 3, None),
        ("trade", "0.00000001", 2**62 + 3, "26000.123456789012345678"),
    ]
    # At one moment, the bigger record first.
    assert [row[9] for row in whole[:3]] == [2**62 + 1, 2**62 + 1, 7]


def test_every_entry_has_a_key_of_its_own_the_same_in_every_read(filled: Journal) -> None:
    # A trade and its fee share a record id: the key tells them apart, whatever the read.
    whole = filled.activity_rows()
    keys = [row[-1] for row in whole]
    assert len(set(keys)) == len(keys)
    assert sorted(keys) == sorted(row[-1] for row in filled.activity_rows(limit=3)
                                  + filled.activity_rows(after=filled.activity(limit=3)[-1]))
    assert {row[-1] for row in filled.activity_rows(kind=ActivityKind.FEE)} <= set(keys)


def test_the_whole_list_is_the_same_read_row_by_row_where_sqlite_has_no_json(
    filled: Journal, monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = filled.activity_rows()
    monkeypatch.setattr(filled, "_has_json", False)
    assert filled.activity_rows() == whole
    assert filled.activity_rows(limit=1000) == whole


@pytest.mark.parametrize("parts", [2, 3, 4])
def test_a_trades_table_read_in_parts_gives_each_trade_once(
    filled: Journal, monkeypatch: pytest.MonkeyPatch, parts: int,
) -> None:
    # A long table is read in parts: here every table is long. Ids far apart, some in one
    # moment, read whole, from a time on and after an entry: each trade once, in order.
    monkeypatch.setattr(store, "_TRADE_PART_LEAST", 1)
    monkeypatch.setattr(store, "_TRADE_READ_PARTS", parts)
    moment = T0 + timedelta(hours=9)
    filled.merge_trades([
        Trade(number, 1, 2, moment + timedelta(seconds=number % 7), "BTC_USD", "buy",
              Decimal("1"), Decimal("1"), False, Decimal("0.1"), "BTC")
        for number in (1, 2, 3, 10**6, 2**40, 2**62)
    ])
    whole = filled.activity_rows()
    assert whole == filled.activity_rows(limit=1000)
    trades = [row[9] for row in whole if row[1] == "trade"]
    assert sorted(trades) == sorted({*trades}) == sorted([501, 502, 1, 2, 3, 10**6, 2**40, 2**62])
    since = T0 + timedelta(minutes=3)
    assert filled.activity_rows(since=since) == filled.activity_rows(since=since, limit=1000)
    after = filled.activity(limit=4)[-1]
    assert filled.activity_rows(after=after) == filled.activity_rows(after=after, limit=1000)


def test_a_read_ahead_that_cannot_start_reads_in_turn_and_one_that_fails_is_raised(
    filled: Journal, tmp_path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The whole list is read ahead on a connection of its own. If that cannot open (here:
    # the file is not where the URI says), the journal's own connection reads it.
    whole = filled.activity_rows()
    filled.path = tmp_path / "moved away.sqlite3"
    assert filled.activity_rows() == whole
    # A statement failing once the read-ahead has begun is the reader's error.
    packed = store._packed
    monkeypatch.setattr(store, "_packed", lambda sql, width: packed(
        sql.replace("FROM trades t", "FROM no_such_table t"), width))
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        filled.activity_rows()


def test_the_whole_list_is_read_ahead_from_a_folder_with_any_name(tmp_path) -> None:
    # The read-ahead opens the file by URI: spaces, #, ?, % and any script stay a path.
    folder = tmp_path / "Мои данные #1? 100% 数据"
    with Journal.for_account(folder, "", "", is_demo=True) as journal:
        journal.merge_trades([
            Trade(number, 1, 2, T0 + timedelta(minutes=number), "BTC_USD", "sell",
                  Decimal("1"), Decimal("0.5"), False, Decimal("0.01"), "USD")
            for number in range(1, 6)
        ])
        journal.record_coupon_redeemed(Redemption("USD", Decimal("3")), at=T0)
        whole = journal.activity_rows()
        assert whole == journal.activity_rows(limit=100)
        assert [row[1] for row in whole[:2]] == ["fee", "trade"] and len(whole) == 11
