"""Coupons: created from the free balance, redeemed exactly once, never repeated back."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from decimal import Decimal

from cryptex_desktop.sandbox import Exchange
from cryptex_desktop.sandbox.store import DATABASE_NAME

CODE = re.compile(r"CTX-USD-[A-Za-z0-9]{8}-[A-Za-z0-9]{8}-[A-Za-z0-9]{8}-[A-Za-z0-9]{8}")


def test_a_coupon_moves_money_from_its_creator_to_whoever_redeems_it(
    caller, exchange: Exchange, assert_conserved
) -> None:
    alice = caller("alice", {"USD": Decimal("100")})
    bob = caller("bob")
    coupon = alice.ok("CouponCreate", currency="USD", amount="40.5")
    assert coupon["amount"] == "40.5" and CODE.fullmatch(coupon["code"])
    assert alice.ok("Info")["balances"]["USD"] == "59.5"
    assert_conserved(exchange)  # the outstanding coupon still counts

    assert bob.ok("CouponRedeem", code=coupon["code"]) == {"amount": "40.5"}
    assert bob.ok("Info")["balances"]["USD"] == "40.5"
    assert bob.refused("CouponRedeem", code=coupon["code"]) == "coupon already redeemed"
    assert alice.refused("CouponRedeem", code=coupon["code"]) == "coupon already redeemed"
    assert_conserved(exchange)


def test_a_coupon_for_a_named_recipient_only_works_for_them(caller) -> None:
    alice = caller("alice", {"BTC": Decimal("1")})
    bob = caller("bob")
    mallory = caller("mallory")
    code = alice.ok("CouponCreate", currency="BTC", amount="0.5", recipient="bob")["code"]
    assert code.startswith("CTX-BTC-")
    assert mallory.refused("CouponRedeem", code=code) == "coupon is for another user"
    assert bob.ok("CouponRedeem", code=code) == {"amount": "0.5"}


def test_a_large_coupon_is_held_for_moderation_and_its_amount_stays_reserved(
    caller, exchange: Exchange, assert_conserved
) -> None:
    alice = caller("alice", {"USD": Decimal("20000.01"), "BTC": Decimal("2")})
    assert alice.ok("CouponCreate", currency="USD", amount="10000") != "send_to_moderation"
    assert alice.ok("CouponCreate", currency="USD", amount="10000.01") == "send_to_moderation"
    assert alice.ok("CouponCreate", currency="BTC", amount="1.5") == "send_to_moderation"
    balances = alice.ok("Info")["balances"]
    assert (balances["USD"], balances["BTC"]) == ("0", "0.5")
    held = alice.ok("Info", with_reserves="YES")["balances"]
    assert (held["USD"], held["BTC"]) == ("10000.01", "2")  # the redeemable code is not "held"
    assert_conserved(exchange)


def test_moderation_thresholds_can_be_set_per_exchange(tmp_path, signed_caller) -> None:
    strict = Exchange(tmp_path / "strict", moderation_thresholds={"USD": Decimal("5")})
    try:
        alice = signed_caller(strict, strict.create_user("alice", {"USD": Decimal("100")}))
        assert alice.ok("CouponCreate", currency="USD", amount="6") == "send_to_moderation"
        assert alice.ok("CouponCreate", currency="USD", amount="5")["amount"] == "5"
    finally:
        strict.close()


def test_coupon_codes_are_never_stored_echoed_or_logged(
    caller, exchange: Exchange, caplog
) -> None:
    alice = caller("alice", {"EUR": Decimal("10")})
    code = alice.ok("CouponCreate", currency="EUR", amount="1")["code"]
    with caplog.at_level(logging.DEBUG):
        alice.ok("CouponRedeem", code=code)
        for attempt in (code, code[:-1] + "!", code + "x", code.lower()):
            message = alice.refused("CouponRedeem", code=attempt)
            assert code[8:] not in message and attempt not in message
    assert code[8:] not in caplog.text
    exchange.close()
    database = (exchange.data_dir / DATABASE_NAME).read_bytes()
    wal = exchange.data_dir / (DATABASE_NAME + "-wal")
    for blob in (database, wal.read_bytes() if wal.exists() else b""):
        assert code.encode() not in blob and code[8:].encode() not in blob


def test_twenty_simultaneous_redeems_of_one_code_credit_it_exactly_once(
    server, http_caller, assert_conserved
) -> None:
    creator = http_caller("creator", {"USD": Decimal("100")})
    code = creator.ok("CouponCreate", currency="USD", amount="25")["code"]
    racers = [http_caller(f"racer{i}") for i in range(20)]
    start = threading.Barrier(len(racers))
    answers: list[object] = [None] * len(racers)

    def redeem(index: int) -> None:
        start.wait(timeout=30)
        response = racers[index].post("CouponRedeem", code=code)
        answers[index] = (response.status_code, response.json())

    threads = [threading.Thread(target=redeem, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    winners = [a for a in answers if a == (200, {"status": "ok", "data": {"amount": "25"}})]
    losers = [
        a for a in answers
        if a == (200, {"status": "error", "error": "coupon already redeemed"})
    ]
    assert (len(winners), len(losers)) == (1, 19), answers
    credited = [racer.ok("Info")["balances"]["USD"] for racer in racers]
    assert sorted(credited) == ["0"] * 19 + ["25"]
    assert_conserved(server.exchange)


def test_the_database_keeps_only_a_digest_of_each_code(caller, exchange: Exchange) -> None:
    alice = caller("alice", {"USD": Decimal("10")})
    code = alice.ok("CouponCreate", currency="USD", amount="1")["code"]
    with sqlite3.connect(exchange.data_dir / DATABASE_NAME) as db:
        (stored,) = db.execute("SELECT code_sha256 FROM coupons").fetchone()
    assert len(stored) == 64 and code not in stored
