"""Deposits and withdrawals on the simulated blockchain, as a user and an operator see them."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from cryptex_desktop.api.addresses import is_valid_address
from cryptex_desktop.sandbox import Exchange

TXID = re.compile(r"[0-9a-f]{64}")
OUTSIDE_BTC = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
OUTSIDE_LTC = "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9"


def test_new_deposit_addresses_are_fresh_and_valid_for_their_coin(caller) -> None:
    alice = caller("alice")
    btc = {alice.ok("GetNewAddress", currency="BTC")["address"] for _ in range(3)}
    ltc = alice.ok("GetNewAddress", currency="LTC")["address"]
    assert len(btc) == 3
    assert all(is_valid_address("BTC", address) for address in btc)
    assert is_valid_address("LTC", ltc) and not is_valid_address("BTC", ltc)


def test_a_deposit_is_credited_after_three_bitcoin_confirmations(
    caller, exchange: Exchange, assert_conserved
) -> None:
    alice = caller("alice")
    address = alice.ok("GetNewAddress", currency="BTC")["address"]
    txid = exchange.deposit(address, Decimal("0.25"))
    assert TXID.fullmatch(txid)

    pending = alice.ok("DepositInfo", address=address)
    assert pending == {"status": 0, "amount": "0.25", "confirmations": 0, "txid": txid}
    (listed,) = alice.ok("UnconfirmedTransactions")["BTC"]
    assert (listed["amount"], listed["confirmations"], listed["address"]) == ("0.25", 0, address)
    assert abs(listed["timestamp"] - time.time()) < 60  # Unix seconds

    assert exchange.mine(2)["credited"] == []
    assert alice.ok("Info")["balances"]["BTC"] == "0"
    mined = exchange.mine(1)
    assert mined["credited"] == [txid]
    assert alice.ok("Info")["balances"]["BTC"] == "0.25"
    assert alice.ok("DepositInfo", address=address) == {
        "status": 1, "amount": "0.25", "confirmations": 3, "txid": txid
    }
    assert alice.ok("UnconfirmedTransactions")["BTC"] == []
    assert_conserved(exchange)


def test_litecoin_needs_six_confirmations_and_the_latest_deposit_is_reported(
    caller, exchange: Exchange
) -> None:
    alice = caller("alice")
    address = alice.ok("GetNewAddress", currency="LTC")["address"]
    exchange.deposit(address, Decimal("1"))
    exchange.mine(5)
    latest = exchange.deposit(address, Decimal("2.5"))
    assert alice.ok("DepositInfo", address=address)["txid"] == latest
    assert alice.ok("Info")["balances"]["LTC"] == "0"
    exchange.mine(1)
    assert alice.ok("Info")["balances"]["LTC"] == "1"
    exchange.mine(5)
    assert alice.ok("Info")["balances"]["LTC"] == "3.5"


def test_a_withdrawal_leaves_the_balance_at_once_and_the_list_after_its_confirmations(
    caller, exchange: Exchange, assert_conserved
) -> None:
    alice = caller("alice", {"BTC": Decimal("1")})
    assert alice.ok("Withdraw", currency="BTC", amount="0.4", address=OUTSIDE_BTC) == "Opened"
    assert alice.ok("Info")["balances"]["BTC"] == "0.6"
    assert alice.ok("Info", with_reserves="1")["balances"]["BTC"] == "0.6"
    (outgoing,) = alice.ok("UnconfirmedTransactions", currency="BTC")["BTC"]
    assert (outgoing["amount"], outgoing["address"]) == ("-0.4", OUTSIDE_BTC)
    assert_conserved(exchange)
    mined = exchange.mine(3)
    assert mined["confirmed_withdrawals"] == [outgoing["txid"]]
    assert alice.ok("UnconfirmedTransactions")["BTC"] == []
    assert alice.ok("Info")["balances"]["BTC"] == "0.6"
    assert_conserved(exchange)


def test_unconfirmed_transactions_filter_by_pair_or_currency_and_sort(
    caller, exchange: Exchange
) -> None:
    alice = caller("alice", {"BTC": Decimal("1"), "LTC": Decimal("10")})
    btc_address = alice.ok("GetNewAddress", currency="BTC")["address"]
    first = exchange.deposit(btc_address, Decimal("0.1"))
    alice.ok("Withdraw", currency="LTC", amount="2", address=OUTSIDE_LTC)
    second = exchange.deposit(btc_address, Decimal("0.2"))

    everything = alice.ok("UnconfirmedTransactions")
    assert [t["txid"] for t in everything["BTC"]] == [second, first]  # newest first
    assert [t["amount"] for t in everything["LTC"]] == ["-2"]
    oldest_first = alice.ok("UnconfirmedTransactions", currency="BTC", order="ASC")
    assert list(oldest_first) == ["BTC"]
    assert [t["txid"] for t in oldest_first["BTC"]] == [first, second]
    by_pair = alice.ok("UnconfirmedTransactions", pair="LTC_BTC")
    assert sorted(by_pair) == ["BTC", "LTC"]
    assert list(alice.ok("UnconfirmedTransactions", pair="LTC_USD")) == ["LTC"]
    ids = [t["id"] for t in everything["BTC"]]
    assert all(isinstance(i, int) for i in ids)


def test_the_operator_is_told_in_a_sentence_when_a_deposit_cannot_happen(
    caller, exchange: Exchange
) -> None:
    with pytest.raises(ValueError, match=r"^unknown address: .* was not issued by this sandbox"):
        exchange.deposit(OUTSIDE_BTC, Decimal("1"))
    address = caller("alice").ok("GetNewAddress", currency="BTC")["address"]
    with pytest.raises(ValueError, match="greater than 0"):
        exchange.deposit(address, Decimal("0"))
    with pytest.raises(ValueError, match="at most 8 decimals"):
        exchange.deposit(address, Decimal("0.000000001"))
    with pytest.raises(ValueError, match="number of blocks"):
        exchange.mine(0)


def test_mining_reports_the_growing_height(exchange: Exchange) -> None:
    assert exchange.height() == 0
    assert exchange.mine(2)["height"] == 2
    assert exchange.mine()["height"] == 3
    assert exchange.height() == 3
