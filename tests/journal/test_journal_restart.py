"""Close the journal and open it again: everything recorded is there, exactly as recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api.types import Deposit, DepositStatus, Redemption, Trade
from cryptex_desktop.journal import (
    CouponIntent,
    Journal,
    JournalClosedError,
    LabelKind,
    Outcome,
    TradeRecord,
    WithdrawalIntent,
)
from tests.journal.clock import SteppingClock

FILL = Trade(
    transaction_id=41, buy_order_id=7, sell_order_id=8,
    timestamp=datetime(2026, 2, 1, 9, 30, 15, tzinfo=UTC), pair="BTC_USD", type="buy",
    price=Decimal("27000.50"), amount=Decimal("0.01000000"), is_instant_buy=False,
    fee=Decimal("0.00002000"), fee_currency="BTC",
)


def record_a_session(journal: Journal) -> dict[str, int]:
    journal.record_address("BTC", "bc1qsavings", label="Savings")
    journal.record_deposit_seen(
        "BTC", Deposit("bc1qsavings", DepositStatus.CREDITED, Decimal("0.25000000"), 6, "aa" * 32))
    sent = journal.begin_withdrawal(
        WithdrawalIntent("BTC", Decimal("0.10"), "bc1qmother", label="Mother"))
    journal.complete_withdrawal(sent, Outcome.DONE, txid="bb" * 32, confirmations=2)
    lost = journal.begin_withdrawal(WithdrawalIntent("LTC", Decimal("1.5"), "ltc1qshop"))
    journal.complete_withdrawal(lost, Outcome.UNKNOWN)
    killed = journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("0.2"), "bc1qmother"))
    coupon = journal.begin_coupon(CouponIntent("USD", Decimal("25.00"), "Bob"))
    journal.complete_coupon(coupon, Outcome.DONE, code_kept_in_keychain=True)
    held = journal.begin_coupon(CouponIntent("USD", Decimal("9000"), "Alice"))
    journal.complete_coupon(held, Outcome.DONE, held_for_review=True)
    journal.record_coupon_redeemed(Redemption("EUR", Decimal("12.34")))
    journal.merge_trades([FILL])
    journal.set_label(LabelKind.TRANSACTION, "bb" * 32, "Birthday present")
    return {"sent": sent, "lost": lost, "killed": killed, "coupon": coupon, "held": held}


def test_everything_recorded_is_there_after_closing_and_opening_again(
    tmp_path: Path, clock: SteppingClock,
) -> None:
    journal = Journal.for_account(tmp_path, "", "", is_demo=True, clock=clock)
    ids = record_a_session(journal)
    before = journal.activity()
    journal.close()

    reopened = Journal.for_account(tmp_path, "", "", is_demo=True)
    try:
        assert reopened.activity() == before
        assert [a.label for a in reopened.addresses("BTC")] == ["Savings"]
        assert reopened.latest_address("BTC") is not None
        [deposit] = reopened.deposits()
        assert (deposit.amount, deposit.confirmations) == (Decimal("0.25000000"), 6)
        assert deposit.credited_at is not None
        sent = reopened.withdrawal(ids["sent"])
        assert (sent.outcome, sent.txid, sent.confirmations, sent.label) == (
            Outcome.DONE, "bb" * 32, 2, "Mother")
        assert reopened.withdrawal(ids["lost"]).outcome is Outcome.UNKNOWN
        assert [r.id for r in reopened.pending_intents()] == [ids["killed"]]
        assert {r.id for r in reopened.unreconciled()} == {ids["killed"], ids["lost"]}
        coupons = {c.id: c for c in reopened.coupons_made()}
        assert coupons[ids["coupon"]].code_kept_in_keychain
        assert not coupons[ids["coupon"]].held_for_review
        assert coupons[ids["held"]].held_for_review
        assert reopened.coupon(ids["held"]) == coupons[ids["held"]]
        assert reopened.withdrawals([]) == [] and reopened.coupons_made([]) == []
        with pytest.raises(KeyError):
            reopened.coupon(999)
        assert [r.amount for r in reopened.coupons_redeemed()] == [Decimal("12.34")]
        assert reopened.trades() == [TradeRecord.from_trade(FILL)]
        assert reopened.trades()[0].to_trade() == FILL
        assert reopened.latest_trade_time() == FILL.timestamp
        assert reopened.label(LabelKind.TRANSACTION, "bb" * 32) == "Birthday present"
        assert [e.address for e in reopened.address_book()] == ["bc1qmother"]
        assert reopened.is_known_destination("bc1qmother")
        assert not reopened.is_known_destination("ltc1qshop")  # its outcome is not known yet
    finally:
        reopened.close()


def test_reconciling_a_lost_answer_completes_it_and_keeps_what_was_known(
    journal: Journal,
) -> None:
    withdrawal = journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("0.3"), "bc1qaunt"))
    journal.complete_withdrawal(withdrawal, Outcome.UNKNOWN)
    journal.complete_withdrawal(withdrawal, Outcome.DONE, txid="cc" * 32)
    journal.complete_withdrawal(withdrawal, Outcome.DONE, confirmations=3)
    record = journal.withdrawal(withdrawal)
    assert (record.outcome, record.txid, record.confirmations) == (Outcome.DONE, "cc" * 32, 3)
    assert journal.unreconciled() == []


def test_merging_trades_again_adds_only_the_new_ones(journal: Journal) -> None:
    later = Trade(42, 9, 10, datetime(2026, 2, 2, tzinfo=UTC), "LTC_USD", "sell",
                  Decimal("70"), Decimal("2"), True)
    assert journal.merge_trades([FILL]) == 1
    assert journal.merge_trades([FILL, later]) == 1
    assert [t.transaction_id for t in journal.trades()] == [42, 41]
    assert [t.transaction_id for t in journal.trades(pair="BTC_USD")] == [41]
    assert journal.latest_trade_time() == later.timestamp


def test_a_deposit_seen_again_updates_its_confirmations_and_credit_time_once(
    journal: Journal,
) -> None:
    waiting = Deposit("bc1qx", DepositStatus.WAITING, Decimal("1"), 1, "dd" * 32)
    credited = Deposit("bc1qx", DepositStatus.CREDITED, Decimal("1"), 6, "dd" * 32)
    assert journal.record_deposit_seen("BTC", waiting)
    assert not journal.record_deposit_seen("BTC", waiting)
    assert journal.deposits()[0].credited_at is None
    assert journal.record_deposit_seen("BTC", credited)
    first_credit = journal.deposits()[0].credited_at
    assert first_credit is not None
    journal.record_deposit_seen("BTC", credited)
    assert journal.deposits()[0].credited_at == first_credit
    assert not journal.record_deposit_seen("BTC", Deposit("bc1qx", 0, Decimal(0), 0, ""))


def test_a_closed_journal_says_so_instead_of_writing(journal: Journal) -> None:
    journal.close()
    with pytest.raises(JournalClosedError):
        journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("1"), "bc1qx"))


def test_an_outcome_is_never_pending_and_an_unknown_id_is_refused(journal: Journal) -> None:
    withdrawal = journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("1"), "bc1qx"))
    with pytest.raises(ValueError, match="outcome"):
        journal.complete_withdrawal(withdrawal, Outcome.PENDING)
    with pytest.raises(KeyError):
        journal.complete_withdrawal(withdrawal + 100, Outcome.DONE)
    with pytest.raises(KeyError):
        journal.complete_coupon(99, Outcome.DONE)


def test_a_final_outcome_stays_final(journal: Journal) -> None:
    withdrawal = journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("1"), "bc1qx"))
    journal.complete_withdrawal(withdrawal, Outcome.REFUSED)
    with pytest.raises(ValueError, match="already refused"):
        journal.complete_withdrawal(withdrawal, Outcome.DONE)
    coupon = journal.begin_coupon(CouponIntent("USD", Decimal("5"), "Bob"))
    journal.complete_coupon(coupon, Outcome.DONE)
    with pytest.raises(ValueError, match="already done"):
        journal.complete_coupon(coupon, Outcome.UNKNOWN)
    assert journal.withdrawal(withdrawal).outcome is Outcome.REFUSED
