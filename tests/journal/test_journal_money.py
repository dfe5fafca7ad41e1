"""Amounts come back from the journal exactly as they went in, and the file refuses non-numbers."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.types import Trade
from cryptex_desktop.journal import Journal, WithdrawalIntent

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999999999"), places=None,
                      allow_nan=False, allow_infinity=False).filter(
    lambda d: d.as_tuple().exponent >= -30)  # type: ignore[operator]


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=amounts, price=amounts)
def test_decimal_amounts_round_trip_exactly(
    journal: Journal, amount: Decimal, price: Decimal,
) -> None:
    withdrawal = journal.begin_withdrawal(WithdrawalIntent("BTC", amount, "bc1qx"))
    kept = journal.withdrawal(withdrawal).amount
    assert kept == amount
    if amount.as_tuple().exponent <= 0:  # type: ignore[operator]
        assert kept.as_tuple() == amount.copy_abs().as_tuple()  # the same digits, zeros kept
    number = withdrawal + 10_000
    journal.merge_trades([Trade(number, 1, 2, datetime(2026, 1, 1, tzinfo=UTC), "BTC_USD",
                                "buy", price, amount, False, amount, "BTC")])
    [trade] = journal.trades(limit=1)
    assert (trade.price, trade.amount, trade.fee) == (price, amount, amount)


def test_the_journal_refuses_a_negative_or_float_amount(journal: Journal) -> None:
    with pytest.raises(ValueError):
        journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("-1"), "bc1qx"))
    with pytest.raises(ValueError):
        journal.begin_withdrawal(WithdrawalIntent("BTC", 0.1, "bc1qx"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("NaN"), "bc1qx"))


@pytest.mark.parametrize("text", ["", "abc", "1e5", "-1", "1.2.3", "1,5", "."])
def test_the_file_itself_refuses_text_that_is_not_an_amount(
    journal: Journal, text: str,
) -> None:
    conn = sqlite3.connect(journal.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO coupons_redeemed (redeemed_at, currency, amount) "
                     "VALUES (0, 'USD', ?)", (text,))
    conn.close()


def test_times_keep_every_microsecond(tmp_path: Path) -> None:
    moment = datetime(2026, 5, 17, 23, 59, 59, 999_999, tzinfo=UTC)
    with Journal.for_account(tmp_path, "", "", is_demo=True) as journal:
        journal.record_address("BTC", "bc1qx", at=moment)
        assert journal.addresses()[0].got_at == moment
