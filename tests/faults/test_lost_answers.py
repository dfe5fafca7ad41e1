"""The hard case: a money call whose answer is lost, after or before the exchange acted.

For each of Trade, CancelOrder, Withdraw, CouponCreate and CouponRedeem, the proxy drops
the connection either after passing the request on (the exchange carried it out) or
before (the exchange never saw it). The client must raise OutcomeUnknown and not send it
again, and the matching check in ``api/reconcile.py`` must tell which of the two happened,
as the sandbox itself shows it (read through a second client that bypasses the proxy).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from cryptex_desktop.api import ConnectError, Credentials, CryptexClient, OutcomeUnknown
from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.reconcile import (
    Finding,
    check_cancel,
    check_coupon_create,
    check_coupon_redeem,
    check_trade,
    check_withdraw,
    existing_order_ids,
)
from cryptex_desktop.api.types import OrderStatus
from tests.faults.proxy import Fault, FaultProxy

#: Where the answer is lost: after the exchange acted, or before it saw the request.
DROPS = {"after": Fault.DROP_AFTER_FORWARD, "before": Fault.DROP_BEFORE_FORWARD}
WHEN = list(DROPS)


@pytest.fixture
def account(make_account):
    return make_account(USD="20000", BTC="1", LTC="5")


@pytest.fixture
def client(fault_proxy, account, tmp_path):
    """The account's client, talking through the fault proxy."""
    creds = Credentials(account.username, account.key, account.secret)
    with CryptexClient(fault_proxy.url, creds, tmp_path / "app", backoff=0.02) as made:
        made.info()  # the connection is up and the nonce in step before any fault
        yield made


@pytest.fixture
def exchange_view(make_client, account):
    """The same account read straight from the sandbox, past the proxy: the truth."""
    return make_client(account)


def lose_the_answer(proxy: FaultProxy, method: str, when: str, send) -> OutcomeUnknown:
    """Send once with the answer lost ``when``; check it reached the proxy exactly once."""
    proxy.set_fault(DROPS[when], methods={method}, times=1)
    with pytest.raises(OutcomeUnknown) as lost:
        send()
    assert lost.value.method == method
    assert proxy.received[method] == 1, "a money call was sent again"
    assert proxy.forwarded[method] == (1 if when == "after" else 0)
    return lost.value


def assert_finding(finding: Finding, when: str, *words: str) -> None:
    assert finding.happened is (when == "after"), finding
    assert finding.detail[:1].isupper() and finding.detail.endswith("."), finding.detail
    for word in words:
        assert word in finding.detail


@pytest.mark.parametrize("when", WHEN)
def test_a_lost_order_answer_is_found_among_open_orders_or_reported_not_placed(
    when, client, fault_proxy, exchange_view
):
    known = {order.order_id for order in client.active_orders()}
    sent_at = datetime.now(UTC)

    lose_the_answer(fault_proxy, "Trade", when, lambda: client.trade(
        "BTC_USD", "sell", Decimal("10000000"), Decimal("0.02")))

    finding = check_trade(client, "BTC_USD", "sell", Decimal("10000000"), Decimal("0.02"),
                          sent_at, known)
    open_now = exchange_view.active_orders(pair="BTC_USD")
    if when == "after":
        assert_finding(finding, when, "placed and is open")
        assert [order.order_id for order in open_now] == [finding.found.order_id]
    else:
        assert_finding(finding, when, "not placed")
        assert open_now == []
    assert fault_proxy.received["Trade"] == 1


def test_a_lost_answer_to_an_order_that_filled_at_once_is_found_in_the_history(
    client, fault_proxy, exchange_view, make_account, make_client
):
    buyer = make_client(make_account(EUR="1000"))
    buyer.trade("LTC_EUR", "buy", Decimal("77.7777"), Decimal("2"))
    sent_at = datetime.now(UTC)

    lose_the_answer(fault_proxy, "Trade", "after", lambda: client.trade(
        "LTC_EUR", "sell", Decimal("77.7777"), Decimal("2")))

    finding = check_trade(client, "LTC_EUR", "sell", Decimal("77.7777"), Decimal("2"), sent_at)
    assert_finding(finding, "after", "already filled")
    assert exchange_view.order_info(finding.found.order_id).status == OrderStatus.FILLED
    assert exchange_view.info().balances["LTC"] == Decimal("3")


@pytest.mark.parametrize("when", WHEN)
def test_a_lost_cancel_answer_is_checked_on_the_order_itself(
    when, client, fault_proxy, exchange_view
):
    placed = client.trade("BTC_USD", "sell", Decimal("10000000"), Decimal("0.03"))

    lose_the_answer(fault_proxy, "CancelOrder", when,
                    lambda: client.cancel_order(placed.order_id))

    finding = check_cancel(client, placed.order_id)
    status = exchange_view.order_info(placed.order_id).status
    if when == "after":
        assert_finding(finding, when, "is cancelled")
        assert status == OrderStatus.CANCELLED
    else:
        assert_finding(finding, when, "still open")
        assert status == OrderStatus.ACTIVE


@pytest.mark.parametrize("when", WHEN)
def test_a_lost_withdrawal_answer_is_checked_against_pending_transactions_and_balance(
    when, client, fault_proxy, exchange_view
):
    address = new_address("BTC")
    before = dict(client.info().balances)
    known = {tx.txid for tx in client.unconfirmed_transactions(currency="BTC")}

    lose_the_answer(fault_proxy, "Withdraw", when,
                    lambda: client.withdraw(Decimal("0.25"), address, "BTC"))

    finding = check_withdraw(client, "BTC", Decimal("0.25"), address, known, before)
    outgoing = [(tx.address, tx.amount)
                for tx in exchange_view.unconfirmed_transactions(currency="BTC")]
    if when == "after":
        assert_finding(finding, when, "sent and is being confirmed")
        assert outgoing == [(address, Decimal("-0.25"))]
    else:
        assert_finding(finding, when, "did not go through")
        assert outgoing == []
        assert exchange_view.info().balances["BTC"] == Decimal("1")


def test_a_withdrawal_without_a_balance_to_compare_is_honestly_undecided(
    client, fault_proxy
):
    address = new_address("BTC")
    lose_the_answer(fault_proxy, "Withdraw", "before",
                    lambda: client.withdraw(Decimal("0.25"), address, "BTC"))

    finding = check_withdraw(client, "BTC", Decimal("0.25"), address)

    assert finding.happened is None
    assert "does not list this withdrawal yet" in finding.detail


@pytest.mark.parametrize("when", WHEN)
def test_a_lost_coupon_answer_says_the_coupon_exists_but_its_code_is_lost(
    when, client, fault_proxy, exchange_view
):
    before = dict(client.info().balances)
    before_total = dict(client.info(with_reserves=True).balances)

    lose_the_answer(fault_proxy, "CouponCreate", when,
                    lambda: client.coupon_create("USD", Decimal("40")))

    finding = check_coupon_create(client, "USD", Decimal("40"), before, before_total)
    free_usd = exchange_view.info().balances["USD"]
    if when == "after":
        # The code lived only in the lost answer: the person must hear that, and whom to ask.
        assert_finding(finding, when, "code was lost", "Contact Cryptex support")
        assert free_usd == Decimal("19960")
    else:
        assert_finding(finding, when, "did not go through")
        assert free_usd == Decimal("20000")


def test_a_lost_answer_for_a_coupon_held_for_moderation_says_nothing_was_lost(
    client, fault_proxy, exchange_view
):
    before = dict(client.info().balances)
    before_total = dict(client.info(with_reserves=True).balances)

    lose_the_answer(fault_proxy, "CouponCreate", "after",
                    lambda: client.coupon_create("USD", Decimal("15000")))

    finding = check_coupon_create(client, "USD", Decimal("15000"), before, before_total)
    assert_finding(finding, "after", "held for a manual check", "nothing was lost")
    assert exchange_view.info().balances["USD"] == Decimal("5000")
    assert exchange_view.info(with_reserves=True).balances["USD"] == Decimal("20000")


@pytest.mark.parametrize("when", WHEN)
def test_a_lost_redeem_answer_is_checked_against_the_balance(
    when, client, fault_proxy, exchange_view, make_account, make_client
):
    giver = make_client(make_account(USD="100"))
    code = giver.coupon_create("USD", Decimal("12.5")).code
    before = dict(client.info().balances)

    lose_the_answer(fault_proxy, "CouponRedeem", when, lambda: client.coupon_redeem(code))

    finding = check_coupon_redeem(client, "USD", before)
    if when == "after":
        assert_finding(finding, when, "rose by 12.50 USD")
        assert exchange_view.info().balances["USD"] == Decimal("20012.5")
    else:
        assert_finding(finding, when, "not redeemed", "safely try again")
        # It really was not spent: redeeming it now works, once.
        assert exchange_view.coupon_redeem(code).amount == Decimal("12.5")


@pytest.mark.parametrize("method", ["Trade", "CancelOrder", "Withdraw", "CouponCreate",
                                    "CouponRedeem"])
def test_a_money_call_to_a_refused_port_provably_never_left_and_changed_nothing(
    method, client, fault_proxy, exchange_view
):
    sends = {
        "Trade": lambda: client.trade("BTC_USD", "sell", Decimal("10000000"), Decimal("0.01")),
        "CancelOrder": lambda: client.cancel_order(1),
        "Withdraw": lambda: client.withdraw(Decimal("0.1"), new_address("BTC"), "BTC"),
        "CouponCreate": lambda: client.coupon_create("USD", Decimal("5")),
        "CouponRedeem": lambda: client.coupon_redeem("CTX-USD-" + "-".join(["a" * 8] * 4)),
    }
    before = exchange_view.info(with_reserves=True).balances
    fault_proxy.set_fault(Fault.REFUSED)

    with pytest.raises(ConnectError) as refused:
        sends[method]()

    assert refused.value.had_no_effect
    assert "Could not reach the exchange" in str(refused.value)
    fault_proxy.clear()
    assert sum(fault_proxy.received.values()) == 1  # only the Info before the fault
    assert exchange_view.info(with_reserves=True).balances == before


def test_an_identical_older_order_is_not_taken_for_the_lost_one(
    client, fault_proxy, exchange_view
):
    # The same order placed a minute ago, say from another computer on this account.
    older = exchange_view.trade("BTC_USD", "buy", "100", "0.5").order_id
    sent_at = datetime.now(UTC)
    existing = existing_order_ids(client, "BTC_USD", sent_at)  # read just before sending
    assert older in existing

    lose_the_answer(fault_proxy, "Trade", "before",
                    lambda: client.trade("BTC_USD", "buy", "100", "0.5"))

    finding = check_trade(client, "BTC_USD", "buy", Decimal("100"), Decimal("0.5"), sent_at,
                          existing)
    assert finding.happened is False
    # Without the orders read first, the older order would pass for the new one.
    assert check_trade(client, "BTC_USD", "buy", Decimal("100"), Decimal("0.5"), sent_at
                       ).found.order_id == older
