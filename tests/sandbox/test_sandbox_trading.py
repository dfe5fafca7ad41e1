"""Trading on the sandbox as users see it: fills, fees, refunds, priority, cancels, history."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Exchange
from cryptex_desktop.sandbox.engine import wire_timestamp
from cryptex_desktop.sandbox.market_maker import levels


def balances(caller, with_reserves: bool = False) -> dict[str, Decimal]:
    params = {"with_reserves": "1"} if with_reserves else {}
    return {k: Decimal(v) for k, v in caller.ok("Info", **params)["balances"].items()}


def test_a_buy_crossing_a_resting_sell_fills_at_the_resting_price_and_refunds_the_rest(
    caller, exchange: Exchange, assert_conserved
) -> None:
    alice = caller("alice", {"BTC": Decimal("1")})
    bob = caller("bob", {"USD": Decimal("200")})
    sell = alice.ok("Trade", pair="BTC_USD", type="sell", price="100", amount="1")["order"]
    placed = bob.ok("Trade", pair="BTC_USD", type="buy", price="110", amount="1")

    # Bob reserved 110 but the fill was at 100: he paid 100 and holds 1 BTC less the 0.2% fee.
    assert placed["balances"]["USD"] == "100"
    assert placed["balances"]["BTC"] == "0.998"
    assert balances(alice)["USD"] == Decimal("99.8")
    assert balances(alice)["BTC"] == 0
    assert alice.ok("OrderInfo", order_id=str(sell))[str(sell)]["status"] == 2
    bought = bob.ok("OrderInfo", order_id=str(placed["order"]))[str(placed["order"])]
    assert (bought["status"], bought["filled"], bought["price"]) == (2, "1", "110")
    assert bob.ok("ActiveOrders") == []
    assert_conserved(exchange)


def test_a_partly_filled_order_keeps_resting_with_status_1(caller, exchange, assert_conserved):
    alice = caller("alice", {"BTC": Decimal("2")})
    bob = caller("bob", {"USD": Decimal("1000")})
    sell = alice.ok("Trade", pair="BTC_USD", type="sell", price="100", amount="2")["order"]
    bob.ok("Trade", pair="BTC_USD", type="buy", price="100", amount="0.5")

    (resting,) = alice.ok("ActiveOrders")
    assert resting["order_id"] == sell
    assert (resting["status"], resting["amount"], resting["filled"]) == (1, "2", "0.5")
    assert isinstance(resting["timestamp"], int) and len(str(resting["timestamp"])) == 14
    with_reserves = balances(alice, with_reserves=True)
    assert with_reserves["BTC"] == Decimal("1.5")  # what the rest of the order still holds
    assert balances(alice)["BTC"] == 0
    assert_conserved(exchange)


def test_orders_fill_best_price_first_then_oldest_first(caller, exchange, assert_conserved):
    seller = caller("seller", {"BTC": Decimal("5")})
    buyer = caller("buyer", {"USD": Decimal("1000")})
    dear = seller.ok("Trade", pair="BTC_USD", type="sell", price="101", amount="1")["order"]
    first = seller.ok("Trade", pair="BTC_USD", type="sell", price="100", amount="1")["order"]
    second = seller.ok("Trade", pair="BTC_USD", type="sell", price="100", amount="1")["order"]

    buyer.ok("Trade", pair="BTC_USD", type="buy", price="101", amount="1.5")

    history = buyer.ok("TradeHistory", order="ASC")
    assert [(t["sell_order_id"], t["amount"], t["price"]) for t in history] == [
        (first, "1", "100"),
        (second, "0.5", "100"),
    ]
    statuses = {o["order_id"]: o["status"] for o in seller.ok("ActiveOrders")}
    assert statuses == {dear: 0, second: 1}
    assert exchange.best_prices("BTC_USD") == (None, Decimal("100"))
    assert_conserved(exchange)


def test_a_sell_into_resting_bids_gets_the_bid_price(caller, exchange, assert_conserved):
    buyer = caller("buyer", {"USD": Decimal("1000")})
    seller = caller("seller", {"BTC": Decimal("1")})
    buyer.ok("Trade", pair="BTC_USD", type="buy", price="120", amount="1")
    seller.ok("Trade", pair="BTC_USD", type="sell", price="90", amount="1")
    assert balances(seller)["USD"] == Decimal("119.76")  # 120 less 0.2%
    assert balances(buyer)["BTC"] == Decimal("0.998")
    assert balances(buyer)["USD"] == Decimal("880")
    assert_conserved(exchange)


def test_cancelling_returns_the_reserve_and_a_second_cancel_is_refused(caller, exchange):
    alice = caller("alice", {"USD": Decimal("1000")})
    order = alice.ok("Trade", pair="BTC_USD", type="buy", price="300.5", amount="2")["order"]
    assert balances(alice)["USD"] == Decimal("399")
    cancelled = alice.ok("CancelOrder", order_id=str(order))
    assert cancelled["order_id"] == order
    assert cancelled["balances"]["USD"] == "1000"
    assert alice.ok("OrderInfo", order_id=str(order))[str(order)]["status"] == 3
    assert alice.refused("CancelOrder", order_id=str(order)) == f"order not active: {order}"


def test_nobody_can_see_or_cancel_another_users_order(caller):
    alice = caller("alice", {"USD": Decimal("1000")})
    mallory = caller("mallory")
    order = alice.ok("Trade", pair="BTC_USD", type="buy", price="100", amount="1")["order"]
    assert mallory.refused("CancelOrder", order_id=str(order)) == f"unknown order: {order}"
    assert mallory.refused("OrderInfo", order_id=str(order)) == f"unknown order: {order}"
    assert alice.ok("ActiveOrders")[0]["order_id"] == order


def test_a_self_trade_is_allowed_and_shows_once_from_the_takers_side(
    caller, exchange, assert_conserved
):
    alice = caller("alice", {"BTC": Decimal("1"), "USD": Decimal("1000")})
    sell = alice.ok("Trade", pair="BTC_USD", type="sell", price="500", amount="1")["order"]
    buy = alice.ok("Trade", pair="BTC_USD", type="buy", price="500", amount="1")["order"]
    (fill,) = alice.ok("TradeHistory")
    assert (fill["type"], fill["is_instant_buy"]) == ("buy", 1)
    assert (fill["buy_order_id"], fill["sell_order_id"]) == (buy, sell)
    assert balances(alice) == {
        "BTC": Decimal("0.998"), "LTC": 0, "USD": Decimal("999"), "EUR": 0, "RUR": 0
    }
    assert_conserved(exchange)


def test_trade_history_shows_each_side_its_own_view(caller):
    maker = caller("maker", {"LTC": Decimal("10")})
    taker = caller("taker", {"BTC": Decimal("1")})
    maker.ok("Trade", pair="LTC_BTC", type="sell", price="0.0013", amount="10")
    taker.ok("Trade", pair="LTC_BTC", type="buy", price="0.0014", amount="4")

    (seen_by_maker,) = maker.ok("TradeHistory")
    (seen_by_taker,) = taker.ok("TradeHistory")
    assert seen_by_maker["transaction_id"] == seen_by_taker["transaction_id"]
    assert (seen_by_maker["type"], seen_by_maker["is_instant_buy"]) == ("sell", 0)
    assert (seen_by_taker["type"], seen_by_taker["is_instant_buy"]) == ("buy", 1)
    assert seen_by_taker["price"] == "0.0013" and seen_by_taker["amount"] == "4"
    # Each side paid 0.2% of what it received: 0.008 LTC and 0.0000104 BTC.
    assert (seen_by_taker["fee"], seen_by_taker["fee_currency"]) == ("0.008", "LTC")
    assert (seen_by_maker["fee"], seen_by_maker["fee_currency"]) == ("0.0000104", "BTC")


def test_trade_history_filters_by_pair_time_count_and_order(caller):
    seller = caller("seller", {"BTC": Decimal("5"), "LTC": Decimal("50")})
    buyer = caller("buyer", {"USD": Decimal("10000"), "BTC": Decimal("1")})
    for price in ("100", "101", "102"):
        seller.ok("Trade", pair="BTC_USD", type="sell", price=price, amount="1")
        buyer.ok("Trade", pair="BTC_USD", type="buy", price=price, amount="1")
    seller.ok("Trade", pair="LTC_BTC", type="sell", price="0.001", amount="1")
    buyer.ok("Trade", pair="LTC_BTC", type="buy", price="0.001", amount="1")

    newest_first = buyer.ok("TradeHistory")
    assert [t["pair"] for t in newest_first] == ["LTC_BTC", "BTC_USD", "BTC_USD", "BTC_USD"]
    ids = [t["transaction_id"] for t in newest_first]
    assert ids == sorted(ids, reverse=True)
    assert [t["price"] for t in buyer.ok("TradeHistory", pair="BTC_USD", order="ASC")] == [
        "100", "101", "102"
    ]
    assert [t["price"] for t in buyer.ok("TradeHistory", pair="BTC_USD", count="2")] == [
        "102", "101"
    ]
    now = int(time.time())
    assert len(buyer.ok("TradeHistory", since=str(now - 60), end=str(now + 60))) == 4
    compact_since = str(wire_timestamp(now - 60))
    compact_end = str(wire_timestamp(now + 60))
    assert len(buyer.ok("TradeHistory", since=compact_since, end=compact_end)) == 4
    assert buyer.ok("TradeHistory", since=str(now + 3600)) == []
    assert buyer.ok("TradeHistory", end=str(wire_timestamp(now - 3600))) == []


def test_active_orders_are_oldest_first_unless_asked_otherwise(caller):
    alice = caller("alice", {"USD": Decimal("1000")})
    ids = [
        alice.ok("Trade", pair="BTC_USD", type="buy", price=p, amount="1")["order"]
        for p in ("10", "20", "30")
    ]
    alice.ok("Trade", pair="EUR_USD", type="buy", price="1.05", amount="10")
    assert [o["order_id"] for o in alice.ok("ActiveOrders", pair="BTC_USD")] == ids
    assert [o["order_id"] for o in alice.ok("ActiveOrders", pair="BTC_USD", order="DESC")] == (
        ids[::-1]
    )
    assert len(alice.ok("ActiveOrders")) == 4
    assert alice.ok("Info")["open_orders"] == 4


def test_info_lists_every_currency_and_counts_reserves_only_when_asked(caller):
    alice = caller("alice", {"USD": Decimal("100")})
    assert alice.ok("Info") == {
        "balances": {"BTC": "0", "LTC": "0", "USD": "100", "EUR": "0", "RUR": "0"},
        "open_orders": 0,
    }
    alice.ok("Trade", pair="BTC_USD", type="buy", price="60", amount="1")
    assert alice.ok("Info")["balances"]["USD"] == "40"
    for flag in ("1", "TRUE", "yes", "Yes"):
        assert alice.ok("Info", with_reserves=flag)["balances"]["USD"] == "100"
    for flag in ("0", "false", "NO"):
        assert alice.ok("Info", with_reserves=flag)["balances"]["USD"] == "40"


def test_a_refused_trade_changes_nothing_but_uses_up_its_nonce(caller, exchange):
    alice = caller("alice", {"USD": Decimal("5.5")})
    message = alice.refused("Trade", pair="BTC_USD", type="buy", price="100", amount="0.1")
    assert message == "insufficient funds: need 10 USD, 5.5 USD available"

    account = alice.account
    signature = sign(account.secret, 1, "alice", account.key)  # the refused trade's nonce
    status, body = exchange.handle("Info", {"nonce": "1"}, account.key, signature)
    assert (status, body["error"]) == (200, "invalid nonce: sent 1, must be greater than 1")
    assert alice.ok("Info")["balances"]["USD"] == "5.5"
    assert alice.ok("ActiveOrders") == []


def test_the_market_maker_quotes_five_levels_each_side_and_a_demo_buy_fills(
    exchange: Exchange, signed_caller, assert_conserved
) -> None:
    exchange.refresh_market_maker()
    for code, pair in PAIRS.items():
        bid, ask = exchange.best_prices(code)
        assert bid is not None and ask is not None and bid < ask, code
        assert (bid, ask) == (levels(pair)["buy"][0], levels(pair)["sell"][0])
    demo = signed_caller(exchange, exchange.demo_account())
    placed = demo.ok("Trade", pair="BTC_USD", type="buy", price="66000", amount="0.1")
    assert demo.ok("OrderInfo", order_id=str(placed["order"]))[str(placed["order"])]["status"] == 2
    assert demo.ok("TradeHistory")[0]["price"] == "65130"

    exchange.refresh_market_maker()  # the level the demo took from is full again
    exchange.refresh_market_maker()  # and a second refresh changes nothing
    assert exchange.best_prices("BTC_USD") == (Decimal("64870"), Decimal("65130"))
    assert_conserved(exchange)


@pytest.mark.parametrize("username", ["", "has space", "x" * 33, "-dash-first", "~fees", "é"])
def test_user_names_must_be_plain(exchange: Exchange, username: str) -> None:
    with pytest.raises(ValueError, match="a user name has"):
        exchange.create_user(username)


def test_a_taken_user_name_is_refused_with_a_sentence(exchange: Exchange) -> None:
    exchange.create_user("alice")
    with pytest.raises(ValueError, match="the user alice already exists"):
        exchange.create_user("alice")


def test_the_demo_account_is_created_once_and_funded(exchange, signed_caller) -> None:
    first = exchange.demo_account()
    assert exchange.demo_account() == first
    assert "secret" not in repr(first) and first.secret not in repr(first)
    demo = signed_caller(exchange, first)
    assert demo.ok("Info")["balances"] == {
        "BTC": "2", "LTC": "50", "USD": "10000", "EUR": "5000", "RUR": "500000"
    }
