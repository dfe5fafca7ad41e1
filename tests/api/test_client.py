"""Every API method through CryptexClient against the sandbox exchange, over loopback HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cryptex_desktop.api import (
    AuthenticationError,
    ConfigurationError,
    Credentials,
    CryptexClient,
    ExchangeRefusal,
    InsufficientFunds,
    OrderStatus,
)
from cryptex_desktop.api.addresses import is_valid_address, new_address
from cryptex_desktop.api.types import COUPON_CODE


def test_info_shows_free_balances_and_reserves_after_an_order(make_account, make_client):
    client = make_client(make_account(USD="1000", BTC="1"))
    sheet = client.info()
    assert sheet.balances["USD"] == Decimal("1000")
    assert sheet.balances["BTC"] == Decimal("1")
    assert sheet.open_orders == 0

    client.trade("BTC_USD", "buy", Decimal("100"), Decimal("2"))
    free = client.info()
    total = client.info(with_reserves=True)
    assert free.balances["USD"] == Decimal("800")
    assert total.balances["USD"] == Decimal("1000")
    assert free.open_orders == 1


def test_buy_and_sell_cross_into_a_fill_seen_from_both_sides(make_account, make_client):
    seller = make_client(make_account(BTC="1"))
    buyer = make_client(make_account(USD="10000"))
    sell = seller.trade("BTC_USD", "sell", "5000", "0.5")
    buy = buyer.trade("BTC_USD", "buy", "5100", "0.5")

    assert seller.order_info(sell.order_id).status == OrderStatus.FILLED
    bought = buyer.order_info(buy.order_id)
    assert bought.status == OrderStatus.FILLED and bought.filled == Decimal("0.5")

    [buyer_fill] = buyer.trade_history(pair="BTC_USD")
    [seller_fill] = seller.trade_history()
    assert buyer_fill.transaction_id == seller_fill.transaction_id
    assert (buyer_fill.type, seller_fill.type) == ("buy", "sell")
    assert buyer_fill.price == Decimal("5000")  # the resting order's price
    assert buyer_fill.is_instant_buy and not seller_fill.is_instant_buy
    assert buyer_fill.timestamp.tzinfo is not None

    fee = Decimal("0.002")
    assert buyer.info().balances["BTC"] == Decimal("0.5") * (1 - fee)
    assert buyer.info().balances["USD"] == Decimal("10000") - Decimal("2500")
    assert seller.info().balances["USD"] == Decimal("2500") * (1 - fee)
    # The sandbox reports each side's fee, in the currency that side received.
    assert (buyer_fill.fee, buyer_fill.fee_currency) == (Decimal("0.001"), "BTC")
    assert (seller_fill.fee, seller_fill.fee_currency) == (Decimal("5"), "USD")


def test_active_orders_lists_open_ones_and_cancel_returns_the_reserve(make_account, make_client):
    client = make_client(make_account(USD="1000", LTC="10"))
    first = client.trade("LTC_USD", "sell", "90", "2")
    second = client.trade("BTC_USD", "buy", "10", "3")
    orders = {o.order_id: o for o in client.active_orders()}
    assert set(orders) == {first.order_id, second.order_id}
    assert [o.order_id for o in client.active_orders(pair="LTC_USD")] == [first.order_id]
    assert orders[second.order_id].remaining == Decimal("3")

    cancelled = client.cancel_order(second.order_id)
    assert cancelled.order_id == second.order_id
    assert cancelled.balances["USD"] == Decimal("1000")
    assert client.order_info(second.order_id).status == OrderStatus.CANCELLED
    assert [o.order_id for o in client.active_orders()] == [first.order_id]


def test_deposit_address_deposit_and_confirmations(sandbox, make_account, make_client):
    client = make_client(make_account())
    issued = client.get_new_address("BTC")
    assert is_valid_address("BTC", issued.address)
    assert client.get_new_address("BTC").address != issued.address

    sandbox.exchange.deposit(issued.address, Decimal("0.25"))
    waiting = client.deposit_info(issued.address)
    assert (waiting.amount, waiting.confirmations) == (Decimal("0.25"), 0)
    assert not waiting.is_credited
    [pending] = client.unconfirmed_transactions(currency="BTC")
    assert pending.is_incoming and pending.amount == Decimal("0.25")
    assert pending.txid == waiting.txid

    sandbox.exchange.mine(6)
    credited = client.deposit_info(issued.address)
    assert credited.is_credited and credited.confirmations >= 3
    assert client.info().balances["BTC"] == Decimal("0.25")
    assert client.unconfirmed_transactions() == []

    sandbox.exchange.mine(6)
    assert client.info().balances["BTC"] == Decimal("0.25")  # credited once, not per block


def test_withdraw_leaves_at_once_and_shows_as_outgoing(make_account, make_client):
    client = make_client(make_account(LTC="5"))
    address = new_address("LTC")  # somebody's wallet elsewhere
    result = client.withdraw(Decimal("1.5"), address, "LTC")
    assert result.status == "Opened"
    assert client.info().balances["LTC"] == Decimal("3.5")
    [outgoing] = client.unconfirmed_transactions(pair="LTC_USD")
    assert outgoing.amount == Decimal("-1.5") and not outgoing.is_incoming
    assert outgoing.currency == "LTC"


def test_coupon_made_in_one_account_is_redeemed_once_in_another(make_account, make_client):
    maker = make_client(make_account(USD="500"))
    taker = make_client(make_account())
    coupon = maker.coupon_create("USD", Decimal("120.50"))
    assert COUPON_CODE.match(coupon.code) and coupon.currency == "USD"
    assert coupon.code not in repr(coupon)
    assert maker.info().balances["USD"] == Decimal("379.50")

    redeemed = taker.coupon_redeem(coupon.code)
    assert (redeemed.currency, redeemed.amount) == ("USD", Decimal("120.50"))
    assert taker.info().balances["USD"] == Decimal("120.50")
    with pytest.raises(ExchangeRefusal) as refused:
        maker.coupon_redeem(coupon.code)
    assert coupon.code not in str(refused.value)


def test_a_large_coupon_is_held_for_moderation(make_account, make_client):
    client = make_client(make_account(BTC="3"))
    held = client.coupon_create("BTC", "2")
    assert held.held_for_moderation and held.code is None
    assert client.info().balances["BTC"] == Decimal("1")
    assert client.info(with_reserves=True).balances["BTC"] == Decimal("3")


def test_a_coupon_for_a_named_recipient_refuses_anyone_else(make_account, make_client):
    intended = make_account()
    maker = make_client(make_account(EUR="50"))
    stranger = make_client(make_account())
    coupon = maker.coupon_create("EUR", "10", recipient=intended.username)
    with pytest.raises(ExchangeRefusal):
        stranger.coupon_redeem(coupon.code)
    assert make_client(intended).coupon_redeem(coupon.code).amount == Decimal("10")


def test_trade_history_filters_by_time_count_and_order(make_account, make_client):
    seller = make_client(make_account(BTC="1"))
    buyer = make_client(make_account(USD="100000"))
    for price in ("1000", "1001", "1002"):
        seller.trade("BTC_USD", "sell", price, "0.1")
        buyer.trade("BTC_USD", "buy", price, "0.1")
    newest_first = buyer.trade_history()
    assert [t.price for t in newest_first] == [Decimal("1002"), Decimal("1001"), Decimal("1000")]
    assert buyer.trade_history(order="ASC")[0].price == Decimal("1000")
    assert len(buyer.trade_history(count=2)) == 2
    hour = timedelta(hours=1)
    now = datetime.now(UTC)
    assert len(buyer.trade_history(since=now - hour, end=now + hour)) == 3
    assert buyer.trade_history(since=int((now + hour).timestamp())) == []


# -- refusals: each is a typed error whose sentence a person can act on ---------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda c: c.trade("BTC_XXX", "buy", "1", "1"), "pair"),
        (lambda c: c.trade("BTC_USD", "hold", "1", "1"), "type"),
        (lambda c: c.trade("BTC_USD", "buy", "0", "1"), "price"),
        (lambda c: c.trade("BTC_USD", "buy", "1", "0.00001"), "minimum"),
        (lambda c: c.trade("BTC_USD", "buy", "1.001", "1"), "decimals"),
        (lambda c: c.trade("BTC_USD", "buy", "1", "0.123456789"), "decimals"),
        (lambda c: c.get_new_address("XYZ"), "currency"),
        (lambda c: c.get_new_address("USD"), "fiat"),
        (lambda c: c.cancel_order(999999), "order"),
        (lambda c: c.order_info(999999), "order"),
        (lambda c: c.withdraw("1", "not-an-address", "BTC"), "address"),
        (lambda c: c.coupon_redeem("CTX-USD-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd"), "coupon"),
        (lambda c: c.coupon_redeem("not a code"), "code"),
        (lambda c: c.deposit_info("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), "address"),
        (lambda c: c.call("NoSuchMethod"), "method"),
        (lambda c: c.call("Trade", {"pair": "BTC_USD"}), "missing"),
        (lambda c: c.call("Info", {"with_reserves": "maybe"}), "with_reserves"),
        (lambda c: c.trade_history(count=5000), "count"),
    ],
)
def test_each_refusal_names_its_cause(make_account, make_client, call, words):
    client = make_client(make_account(USD="10", BTC="1"))
    with pytest.raises(ExchangeRefusal) as refused:
        call(client)
    assert words in refused.value.reason.lower()
    assert str(refused.value).startswith("The exchange refused this: ")


def test_insufficient_funds_is_its_own_error_and_changes_nothing(make_account, make_client):
    client = make_client(make_account(USD="10"))
    with pytest.raises(InsufficientFunds) as refused:
        client.trade("BTC_USD", "buy", "100", "1")
    assert "Lower the amount" in str(refused.value)
    with pytest.raises(InsufficientFunds):
        client.coupon_create("USD", "11")
    assert client.info(with_reserves=True).balances["USD"] == Decimal("10")


def test_an_order_that_is_no_longer_active_cannot_be_cancelled(make_account, make_client):
    client = make_client(make_account(USD="100"))
    placed = client.trade("BTC_USD", "buy", "10", "1")
    client.cancel_order(placed.order_id)
    with pytest.raises(ExchangeRefusal) as refused:
        client.cancel_order(placed.order_id)
    assert "not active" in refused.value.reason


def test_wrong_secret_or_key_is_an_authentication_error(sandbox, make_account, tmp_path):
    account = make_account()
    wrong_secret = Credentials(account.username, account.key, "not-the-secret")
    with CryptexClient(sandbox.url, wrong_secret, tmp_path) as client, pytest.raises(
        AuthenticationError
    ) as refused:
        client.info()
    assert "not-the-secret" not in str(refused.value)
    wrong_key = Credentials(account.username, "no-such-key", account.secret)
    with CryptexClient(sandbox.url, wrong_key, tmp_path) as client, pytest.raises(
        AuthenticationError
    ):
        client.info()


def test_plain_http_is_refused_except_to_this_computer(tmp_path):
    creds = Credentials("me", "k", "s")
    with pytest.raises(ConfigurationError) as refused:
        CryptexClient("http://cryptex.net/api/v1", creds, tmp_path)
    assert "https://" in str(refused.value)
    for url in ("http://127.0.0.1:1/api/v1", "http://localhost:1/", "http://[::1]:1/"):
        CryptexClient(url, creds, tmp_path).close()
    CryptexClient("https://cryptex.net/api/v1", creds, tmp_path).close()
    with pytest.raises(ConfigurationError):
        CryptexClient("cryptex.net", creds, tmp_path)


def test_floats_are_refused_as_amounts(make_account, make_client):
    client = make_client(make_account(USD="10"))
    with pytest.raises(ConfigurationError):
        client.trade("BTC_USD", "buy", 0.1, "1")  # type: ignore[arg-type]
