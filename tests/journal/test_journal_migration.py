"""A journal written by the first schema opens with today's code, its data intact."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.journal import (
    SCHEMA_VERSION,
    ActivityKind,
    Journal,
    LabelKind,
    NewerJournalError,
    Outcome,
    WithdrawalIntent,
)
from cryptex_desktop.journal.schema import V1

T0 = 1_767_225_600_000_000  # 2026-01-01 00:00 UTC in microseconds


def write_version_1_journal(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    with conn:
        for statement in V1:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO deposit_addresses (currency, address, got_at, label) "
                     "VALUES ('BTC', 'bc1qold', ?, 'Old savings')", (T0,))
        conn.execute("INSERT INTO deposits (currency, address, txid, amount, confirmations, "
                     "seen_at, credited_at) VALUES ('BTC', 'bc1qold', 'ab12', '0.50000000', 6, "
                     "?, ?)", (T0 + 1, T0 + 2))
        conn.executemany(
            "INSERT INTO withdrawals (begun_at, currency, amount, address, label, outcome, "
            "completed_at, txid) VALUES (?, 'BTC', ?, 'bc1qmum', ?, ?, ?, ?)",
            [(T0 + 3, "0.1", "Mum", "done", T0 + 4, "cd34"),
             (T0 + 5, "0.2", "Mum's new wallet", "done", T0 + 6, "ef56"),
             (T0 + 7, "0.3", "", "pending", None, None)])
        conn.execute("INSERT INTO coupons_made (begun_at, currency, amount, recipient, outcome, "
                     "held_for_review, code_kept_in_keychain, completed_at) "
                     "VALUES (?, 'USD', '25.00', 'Bob', 'done', 0, 1, ?)", (T0 + 8, T0 + 9))
        conn.execute("INSERT INTO coupons_redeemed (redeemed_at, currency, amount) "
                     "VALUES (?, 'EUR', '12.34')", (T0 + 10,))
        conn.execute("INSERT INTO trades VALUES (77, ?, 'BTC_USD', 'sell', '27000', '0.01', "
                     "1, 2, 0, '2.70', 'USD')", (T0 + 11,))
    conn.close()


def test_a_version_1_journal_opens_with_its_data_and_labels_intact(tmp_path: Path) -> None:
    journal_file = tmp_path / "journals" / "demo.sqlite3"
    write_version_1_journal(journal_file)

    journal = Journal.for_account(tmp_path, "", "", is_demo=True)
    try:
        assert sqlite3.connect(journal_file).execute("PRAGMA user_version").fetchone()[0] == (
            SCHEMA_VERSION)
        assert [a.label for a in journal.addresses("BTC")] == ["Old savings"]
        # The newest withdrawal's label of an address is the one it keeps.
        assert journal.label(LabelKind.ADDRESS, "bc1qmum") == "Mum's new wallet"
        assert [w.amount for w in journal.withdrawals()] == [
            Decimal("0.1"), Decimal("0.2"), Decimal("0.3")]
        assert [r.id for r in journal.pending_intents()] == [3]
        assert journal.coupons_made()[0].code_kept_in_keychain
        assert journal.coupons_redeemed()[0].amount == Decimal("12.34")
        assert journal.trades()[0].fee == Decimal("2.70")
        assert [e.kind for e in journal.activity()] == [
            ActivityKind.FEE, ActivityKind.TRADE, ActivityKind.COUPON_REDEEMED,
            ActivityKind.COUPON_MADE, ActivityKind.WITHDRAWAL, ActivityKind.WITHDRAWAL,
            ActivityKind.WITHDRAWAL, ActivityKind.DEPOSIT]

        # What version 2 brought works on the migrated file: a transaction's own label.
        journal.set_label(LabelKind.TRANSACTION, "ab12", "From the old laptop")
        [deposit] = journal.activity(kind=ActivityKind.DEPOSIT)
        assert deposit.label == "From the old laptop"
        added = journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("1"), "bc1qnew", "New"))
        journal.complete_withdrawal(added, Outcome.REFUSED)
        assert journal.withdrawal(added).label == "New"
    finally:
        journal.close()
    check = sqlite3.connect(journal_file)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    check.close()


def test_a_journal_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    journal_file = tmp_path / "journals" / "demo.sqlite3"
    journal_file.parent.mkdir(parents=True)
    conn = sqlite3.connect(journal_file)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerJournalError):
        Journal.for_account(tmp_path, "", "", is_demo=True)
    conn = sqlite3.connect(journal_file)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()
