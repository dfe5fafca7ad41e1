"""Property tests of the matching engine: whatever people trade and cancel, no money appears
or vanishes, no balance goes negative, every reserve is exact and the book never stays crossed.
"""

from __future__ import annotations

import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.sandbox import Exchange
from cryptex_desktop.sandbox.store import DATABASE_NAME

USERS = ("ann", "bob", "cid")
FUNDING = {"BTC": Decimal("3"), "LTC": Decimal("200"), "USD": Decimal("3000")}
# Few, close prices so that orders cross often; amounts with all the decimals allowed.
PRICES = {
    "BTC_USD": ["995", "998.5", "999.99", "1000", "1000.01", "1003", "1010"],
    "LTC_BTC": ["0.00129", "0.0013", "0.00130001", "0.00131", "0.00133333"],
    "LTC_USD": ["1.2", "1.25", "1.2501", "1.3"],
}
AMOUNTS = {
    "BTC": ["0.0001", "0.001", "0.05", "0.12345678", "0.5", "1.3"],
    "LTC": ["0.001", "0.5", "3.33333333", "10", "150"],
}

trades = st.tuples(
    st.just("trade"),
    st.sampled_from(USERS),
    st.sampled_from(sorted(PRICES)),
    st.sampled_from(["buy", "sell"]),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=5),
)
cancels = st.tuples(st.just("cancel"), st.sampled_from(USERS), st.integers(0, 30))
operations = st.lists(st.one_of(trades, trades, cancels), min_size=8, max_size=40)


class Market:
    """An exchange with three funded traders and a raw view of its database."""

    def __init__(self, data_dir: Path, fee: Decimal, signed_caller: type) -> None:
        self.exchange = Exchange(data_dir, fee=fee)
        self.callers = {
            name: signed_caller(self.exchange, self.exchange.create_user(name, FUNDING))
            for name in USERS
        }
        self.db = sqlite3.connect(data_dir / DATABASE_NAME)
        self.db.row_factory = sqlite3.Row

    def close(self) -> None:
        self.db.close()
        self.exchange.close()

    def apply(self, operation: tuple) -> None:
        if operation[0] == "trade":
            _, user, pair, side, price_index, amount_index = operation
            prices = PRICES[pair]
            amounts = AMOUNTS[PAIRS[pair].base]
            status, body = self.callers[user].call(
                "Trade",
                pair=pair,
                type=side,
                price=prices[price_index % len(prices)],
                amount=amounts[amount_index % len(amounts)],
            )
            assert status == 200
            if body["status"] == "error":
                assert body["error"].startswith("insufficient funds: need "), body
        else:
            _, user, order_id = operation
            status, body = self.callers[user].call("CancelOrder", order_id=str(order_id))
            assert status == 200
            if body["status"] == "error":
                assert body["error"] in (
                    f"unknown order: {order_id}", f"order not active: {order_id}"
                ), body

    def check_invariants(self) -> None:
        for currency, figures in self.exchange.audit().items():
            assert figures["held"] == figures["expected"], (currency, figures)
        for row in self.db.execute("SELECT free FROM balances"):
            assert Decimal(row["free"]) >= 0
        for pair in PRICES:
            bid, ask = self.exchange.best_prices(pair)
            if bid is not None and ask is not None:
                assert bid < ask, (pair, bid, ask)
        for row in self.db.execute("SELECT * FROM orders"):
            price, amount = Decimal(row["price"]), Decimal(row["amount"])
            filled, reserve = Decimal(row["filled"]), Decimal(row["reserve"])
            assert 0 <= filled <= amount
            expected_status = 2 if filled == amount else (1 if filled else 0)
            if row["status"] == 3:
                assert reserve == 0
                continue
            assert row["status"] == expected_status, dict(row)
            left = amount - filled
            assert reserve == (price * left if row["side"] == "buy" else left), dict(row)

    def cancel_everything(self) -> None:
        for name, caller in self.callers.items():
            for order in caller.ok("ActiveOrders"):
                caller.ok("CancelOrder", order_id=str(order["order_id"]))
            for code, amount in caller.ok("Info", with_reserves="1")["balances"].items():
                assert Decimal(amount) == Decimal(caller.ok("Info")["balances"][code]), name


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    fee=st.sampled_from([Decimal("0"), Decimal("0.002"), Decimal("0.0125")]),
    steps=operations,
)
def test_any_stream_of_trades_and_cancels_conserves_money_and_keeps_the_book_uncrossed(
    signed_caller: type, fee: Decimal, steps: list[tuple]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        market = Market(Path(directory), fee, signed_caller)
        try:
            for operation in steps:
                market.apply(operation)
                market.check_invariants()
            fills = market.db.execute("SELECT COUNT(*) FROM fills").fetchone()[0]
            event(f"fills: {min(fills, 5)}+")
            market.cancel_everything()
            market.check_invariants()
        finally:
            market.close()
