"""Whatever bytes come back, the client answers with a result or a typed error, never a crash."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.client import MONEY_MOVING, decode_answer
from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.api.types import (
    BalanceSheet,
    Cancellation,
    Coupon,
    Deposit,
    DepositAddress,
    Order,
    PlacedOrder,
    Redemption,
    Trade,
    Transaction,
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["BTC_USD", "buy", "sell", "ok", "error", "20140812003842", "1e999999",
                     "NaN", "-1", "CTX-USD-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(["status", "data", "error", "message", "balances", "open_orders",
                             "order_id", "timestamp", "pair", "type", "price", "amount",
                             "filled", "order", "code", "address", "id", "txid",
                             "confirmations", "transaction_id", "is_instant_buy", "fee",
                             "fee_currency", "BTC", "1"]),
            children, max_size=8,
        ),
    ),
    max_leaves=20,
)
PARSERS = [
    BalanceSheet.from_wire, Order.from_wire, PlacedOrder.from_wire, Cancellation.from_wire,
    Trade.from_wire, lambda d: Deposit.from_wire(d, "a"),
    lambda d: DepositAddress.from_wire(d, "BTC"),
    lambda d: Transaction.from_wire(d, "BTC"), lambda d: Coupon.from_wire(d, "USD", Decimal(1)),
    lambda d: Redemption.from_wire(d, "USD"),
]
TRANSLATED = (KeyError, TypeError, ValueError, ArithmeticError, AttributeError)
METHODS = ["Info", "TradeHistory", *sorted(MONEY_MOVING)]


def _bodies():
    return st.one_of(
        st.binary(max_size=200),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.builds(lambda d: json.dumps({"status": "ok", "data": d}).encode(), json_values),
        st.sampled_from([b"", b"<html><body>502 Bad Gateway</body></html>", b"[" * 5000,
                         b'{"status": "ok"}', b'{"status": "ok", "data": NaN}', b"\xff\xfe"]),
    )


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    status=st.sampled_from([200, 200, 200, 400, 404, 413, 429, 500, 502, 503]),
    content_type=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
    body=_bodies(),
    method=st.sampled_from(METHODS),
)
def test_any_answer_gives_data_or_a_typed_error(status, content_type, body, method):
    headers = {"Content-Type": content_type, "Retry-After": "2"}
    try:
        data = decode_answer(status, headers, body, method, method in {"Trade", "Withdraw"})
    except CryptexError as error:
        assert str(error)  # always a sentence
        return
    for parse in PARSERS:
        with contextlib.suppress(*TRANSLATED):  # the client turns exactly these into BadResponse
            parse(data)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_typed_parsers_only_raise_what_the_client_translates(data):
    for parse in PARSERS:
        with contextlib.suppress(*TRANSLATED):
            parse(data)
