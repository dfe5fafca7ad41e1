"""A fill's fee: kept when the exchange reports it, unknown (None) when it does not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cryptex_desktop.api.types import Trade

FILL = {
    "transaction_id": 7,
    "buy_order_id": 1,
    "sell_order_id": 2,
    "timestamp": 20140812003842,
    "pair": "BTC_USD",
    "type": "buy",
    "price": 2500,
    "amount": 10,
    "is_instant_buy": 1,
}


def test_a_fill_from_the_live_exchange_without_a_fee_has_an_unknown_fee() -> None:
    trade = Trade.from_wire(FILL)
    assert (trade.fee, trade.fee_currency) == (None, None)


@pytest.mark.parametrize("fee", ["0.02", Decimal("0.02"), "0.020"])
def test_a_reported_fee_is_kept_exactly_as_a_decimal(fee: object) -> None:
    trade = Trade.from_wire({**FILL, "fee": fee, "fee_currency": "btc"})
    assert trade.fee == Decimal("0.02") and isinstance(trade.fee, Decimal)
    assert trade.fee_currency == "BTC"


def test_a_whole_number_fee_is_read_too() -> None:
    trade = Trade.from_wire({**FILL, "fee": 0, "fee_currency": "USD"})
    assert (trade.fee, trade.fee_currency) == (Decimal(0), "USD")


@pytest.mark.parametrize(
    "extra",
    [
        {"fee": "0.02"},  # no currency: the amount means nothing alone
        {"fee_currency": "BTC"},
        {"fee": "", "fee_currency": "BTC"},
        {"fee": "lots", "fee_currency": "BTC"},
        {"fee": "-0.02", "fee_currency": "BTC"},
        {"fee": 0.02, "fee_currency": "BTC"},  # a float is never money
        {"fee": True, "fee_currency": "BTC"},
        {"fee": "0.02", "fee_currency": "B"},
        {"fee": "0.02", "fee_currency": 5},
        {"fee": ["0.02"], "fee_currency": "BTC"},
    ],
)
def test_an_unreadable_fee_leaves_the_fill_readable_with_the_fee_unknown(extra: dict) -> None:
    trade = Trade.from_wire({**FILL, **extra})
    assert trade.transaction_id == 7 and trade.amount == Decimal(10)
    assert (trade.fee, trade.fee_currency) == (None, None)
