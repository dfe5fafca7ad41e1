"""Every refusal the contract names, in its exact words, first in process through
``Exchange.handle``, then a selection over real HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Exchange, api_methods

# (method, params, the exact refusal) for a user holding 1 BTC and 5.5 USD.
REFUSALS = [
    ("Nonsense", {}, "unknown method: Nonsense"),
    ("info", {}, "unknown method: info"),
    ("AcriveOrders", {}, "unknown method: AcriveOrders"),
    ("", {}, "missing parameter: method"),
    ("Trade", {"type": "buy", "price": "1", "amount": "1"}, "missing parameter: pair"),
    ("Trade", {"pair": "BTC_USD", "price": "1", "amount": "1"}, "missing parameter: type"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "amount": "1"}, "missing parameter: price"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "1"}, "missing parameter: amount"),
    ("Trade", {"pair": "", "type": "buy", "price": "1", "amount": "1"}, "missing parameter: pair"),
    ("Trade", {"pair": "BTC_XYZ", "type": "buy", "price": "1", "amount": "1"},
     "unknown pair: BTC_XYZ"),
    ("Trade", {"pair": "btc_usd", "type": "buy", "price": "1", "amount": "1"},
     "unknown pair: btc_usd"),
    ("Trade", {"pair": "BTC_USD", "type": "Buy", "price": "1", "amount": "1"},
     "malformed parameter: type (must be buy or sell)"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "abc", "amount": "1"},
     "malformed parameter: price (not a plain decimal number such as 0.5)"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "1e3", "amount": "1"},
     "malformed parameter: price (not a plain decimal number such as 0.5)"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "0", "amount": "1"},
     "malformed parameter: price (must be greater than 0)"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "-5", "amount": "1"},
     "malformed parameter: price (must be greater than 0)"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "1", "amount": "0"},
     "malformed parameter: amount (must be greater than 0)"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "1" * 25, "amount": "1"},
     "malformed parameter: price (the number is too large)"),
    ("Trade", {"pair": "BTC_USD", "type": "sell", "price": "100", "amount": "0.00001"},
     "amount below minimum: 0.00001 BTC is less than 0.0001 BTC"),
    ("Trade", {"pair": "BTC_USD", "type": "sell", "price": "100", "amount": "0.000000001"},
     "too many decimals: BTC amounts have at most 8 decimals"),
    ("Trade", {"pair": "BTC_USD", "type": "sell", "price": "100.001", "amount": "1"},
     "too many decimals: prices of BTC_USD have at most 2 decimals"),
    ("Trade", {"pair": "BTC_USD", "type": "buy", "price": "100", "amount": "0.1"},
     "insufficient funds: need 10 USD, 5.5 USD available"),
    ("Trade", {"pair": "BTC_USD", "type": "sell", "price": "100", "amount": "1.5"},
     "insufficient funds: need 1.5 BTC, 1 BTC available"),
    ("OrderInfo", {}, "missing parameter: order_id"),
    ("OrderInfo", {"order_id": "17"}, "unknown order: 17"),
    ("OrderInfo", {"order_id": "1.5"}, "malformed parameter: order_id (must be a whole number)"),
    ("CancelOrder", {"order_id": "17"}, "unknown order: 17"),
    ("CancelOrder", {"order_id": "-3"}, "malformed parameter: order_id (must be a whole number)"),
    ("Info", {"with_reserves": "maybe"},
     "malformed parameter: with_reserves (must be 0, 1, TRUE, FALSE, YES or NO)"),
    ("ActiveOrders", {"order": "UP"}, "malformed parameter: order (must be ASC or DESC)"),
    ("ActiveOrders", {"order": "asc"}, "malformed parameter: order (must be ASC or DESC)"),
    ("ActiveOrders", {"pair": "DOGE_USD"}, "unknown pair: DOGE_USD"),
    ("TradeHistory", {"count": "0"}, "malformed parameter: count (must be from 1 to 1000)"),
    ("TradeHistory", {"count": "1001"}, "malformed parameter: count (must be from 1 to 1000)"),
    ("TradeHistory", {"count": "ten"}, "malformed parameter: count (must be a whole number)"),
    ("TradeHistory", {"since": "20241399000000"},
     "malformed parameter: since (Unix seconds or a valid YYYYMMDDhhmmss time)"),
    ("TradeHistory", {"end": "yesterday"}, "malformed parameter: end (must be a whole number)"),
    ("GetNewAddress", {}, "missing parameter: currency"),
    ("GetNewAddress", {"currency": "DOGE"}, "unknown currency: DOGE"),
    ("GetNewAddress", {"currency": "USD"}, "no deposit addresses for fiat currency USD"),
    ("DepositInfo", {"address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}, "unknown address"),
    ("Withdraw", {"currency": "USD", "amount": "1", "address": "x"},
     "no withdrawals for fiat currency USD"),
    ("Withdraw", {"currency": "XRP", "amount": "1", "address": "x"}, "unknown currency: XRP"),
    ("Withdraw", {"currency": "BTC", "amount": "2", "address":
                  "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
     "insufficient funds: need 2 BTC, 1 BTC available"),
    ("Withdraw", {"currency": "BTC", "amount": "0.5"}, "missing parameter: address"),
    ("UnconfirmedTransactions", {"pair": "BTC_USD", "currency": "BTC"},
     "malformed parameter: currency (give a pair or a currency, not both)"),
    ("UnconfirmedTransactions", {"currency": "XYZ"}, "unknown currency: XYZ"),
    ("CouponCreate", {"currency": "USD", "amount": "6"},
     "insufficient funds: need 6 USD, 5.5 USD available"),
    ("CouponCreate", {"currency": "USD", "amount": "1", "recipient": "nobody"},
     "unknown recipient: nobody"),
    ("CouponCreate", {"currency": "USD", "amount": "1", "recipient": "~fees"},
     "unknown recipient: ~fees"),
    ("CouponCreate", {"currency": "USD", "amount": "0.001"},
     "too many decimals: USD amounts have at most 2 decimals"),
    ("CouponCreate", {"currency": "RUR", "amount": "0.5"},
     "amount below minimum: 0.5 RUR is less than 1 RUR"),
    ("CouponRedeem", {}, "missing parameter: code"),
    ("CouponRedeem", {"code": "CTX-USD-AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD"}, "unknown coupon"),
]


@pytest.fixture
def alice(caller):
    return caller("alice", {"BTC": Decimal("1"), "USD": Decimal("5.5")})


@pytest.mark.parametrize(("method", "params", "message"), REFUSALS)
def test_a_bad_request_is_refused_in_the_contracts_words_and_changes_nothing(
    alice, exchange: Exchange, method: str, params: dict[str, str], message: str
) -> None:
    before = exchange.audit()
    assert alice.refused(method, **params) == message
    assert exchange.audit() == before
    assert alice.ok("Info")["balances"]["USD"] == "5.5"


def test_a_bad_address_is_refused_with_the_reason(alice) -> None:
    mistyped = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"
    message = alice.refused("Withdraw", currency="BTC", amount="0.5", address=mistyped)
    assert message.startswith("bad address: ")
    assert "checksum" in message
    bitcoin = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    ltc_for_btc = alice.refused("Withdraw", currency="LTC", amount="0.5", address=bitcoin)
    assert ltc_for_btc.startswith("bad address: ")


def test_an_order_that_is_not_active_cannot_be_cancelled(alice) -> None:
    order = alice.ok("Trade", pair="BTC_USD", type="sell", price="100", amount="0.5")["order"]
    alice.ok("CancelOrder", order_id=str(order))
    assert alice.refused("CancelOrder", order_id=str(order)) == f"order not active: {order}"


def test_someone_elses_deposit_address_is_unknown_and_a_fresh_one_has_no_deposit(
    alice, caller
) -> None:
    address = alice.ok("GetNewAddress", currency="BTC")["address"]
    assert alice.refused("DepositInfo", address=address) == "no deposit to this address yet"
    assert caller("bob").refused("DepositInfo", address=address) == "unknown address"


def sent(exchange: Exchange, params: dict[str, str], key: str | None, signature: str | None):
    return exchange.handle("Info", params, key, signature)


def test_requests_without_valid_credentials_are_refused_without_effect(
    exchange: Exchange, alice
) -> None:
    account = alice.account
    good = sign(account.secret, 7, account.username, account.key)
    assert sent(exchange, {"nonce": "7"}, None, good) == (
        200, {"status": "error", "error": "missing key header"})
    assert sent(exchange, {"nonce": "7"}, account.key, None) == (
        200, {"status": "error", "error": "missing sign header"})
    assert sent(exchange, {"nonce": "7"}, "NOT-A-KEY", good)[1]["error"] == "invalid api key"
    wrong = sign("another secret", 7, account.username, account.key)
    assert sent(exchange, {"nonce": "7"}, account.key, wrong)[1]["error"] == "invalid signature"
    assert sent(exchange, {}, account.key, good)[1]["error"] == "missing parameter: nonce"
    assert sent(exchange, {"nonce": "seven"}, account.key, good)[1]["error"].startswith(
        "malformed parameter: nonce ("
    )
    # None of these used the nonce: 7 is still accepted, and a lower-case signature is fine.
    assert sent(exchange, {"nonce": "7"}, account.key, good.lower())[1]["status"] == "ok"


def test_a_nonce_must_grow_and_the_refusal_says_the_last_one_accepted(exchange, alice) -> None:
    account = alice.account

    def info(nonce: int):
        return sent(exchange, {"nonce": str(nonce)}, account.key,
                    sign(account.secret, nonce, account.username, account.key))[1]

    fresh = exchange.create_user("fresh")
    first = sent(exchange, {"nonce": "0"}, fresh.key, sign(fresh.secret, 0, "fresh", fresh.key))
    assert first[1]["status"] == "ok"  # the first nonce may be 0
    assert info(50)["status"] == "ok"
    assert info(50)["error"] == "invalid nonce: sent 50, must be greater than 50"
    assert info(3)["error"] == "invalid nonce: sent 3, must be greater than 50"
    assert info(51)["status"] == "ok"


def test_a_refusal_echoes_no_more_than_a_short_line_of_what_was_sent(alice) -> None:
    message = alice.refused("X" * 500 + "\nsecond line")
    assert message.startswith("unknown method: XXX") and len(message) < 80
    assert "\n" not in message


# --------------------------------------------------------------------------- over HTTP


def test_refusals_arrive_over_http_with_status_200_and_the_same_words(http_caller) -> None:
    bob = http_caller("bob", {"USD": Decimal("5.5")})
    assert bob.refused("Trade", pair="BTC_USD", type="buy", price="100", amount="0.1") == (
        "insufficient funds: need 10 USD, 5.5 USD available"
    )
    assert bob.refused("Trade", pair="BTC_USD", type="sell", price="100", amount="0.00001") == (
        "amount below minimum: 0.00001 BTC is less than 0.0001 BTC"
    )
    assert bob.refused("Frobnicate") == "unknown method: Frobnicate"
    assert bob.refused("OrderInfo", order_id="17") == "unknown order: 17"
    assert bob.refused("GetNewAddress", currency="USD") == (
        "no deposit addresses for fiat currency USD"
    )
    assert bob.refused("CouponRedeem", code="CTX-USD-AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD") == (
        "unknown coupon"
    )


def test_http_requests_with_bad_credentials_are_refused(server, http_caller) -> None:
    bob = http_caller("bob")
    nonce = 1
    good = sign(bob.account.secret, nonce, "bob", bob.account.key)

    def post(headers: dict[str, str], nonce_text: str = "1") -> str:
        response = requests.post(
            server.url, data={"method": "Info", "nonce": nonce_text}, headers=headers, timeout=10
        )
        assert response.status_code == 200
        return response.json()["error"]

    assert post({"Sign": good}) == "missing key header"
    assert post({"Key": bob.account.key}) == "missing sign header"
    assert post({"Key": "nope", "Sign": good}) == "invalid api key"
    assert post({"Key": bob.account.key, "Sign": "0" * 64}) == "invalid signature"
    assert bob.ok("Info")["open_orders"] == 0  # nonce 1, still unused until now
    assert post({"Key": bob.account.key, "Sign": good}) == (
        "invalid nonce: sent 1, must be greater than 1"
    )


# --------------------------------------------------------------------------- fuzzing

PARAM_NAMES = ["pair", "type", "price", "amount", "currency", "address", "order_id", "order",
               "since", "end", "count", "with_reserves", "code", "recipient"]
FUZZ_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["BTC_USD", "BTC", "USD", "buy", "sell", "1", "0", "-1", "1e5", "NaN",
                     "Infinity", "0.00000001", "99999999999999999999", "ASC", "DESC",
                     "20240101000000", "CTX-USD-AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD", "demo"]),
)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    method=st.sampled_from(sorted(api_methods.METHODS)),
    params=st.dictionaries(st.sampled_from(PARAM_NAMES), FUZZ_TEXT, max_size=5),
)
def test_no_parameter_values_whatever_they_are_make_an_internal_error(
    alice, exchange: Exchange, method: str, params: dict[str, str]
) -> None:
    status, body = alice.call(method, **params)
    assert status == 200, body
    assert body["status"] in ("ok", "error")
    if body["status"] == "error":
        assert body["error"] and "\n" not in body["error"]
    bid, ask = exchange.best_prices("BTC_USD")
    assert bid is None or ask is None or bid < ask
