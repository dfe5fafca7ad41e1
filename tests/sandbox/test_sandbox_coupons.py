"""Coupons: created from the free balance, redeemed exactly once, never repeated back."""

from __future__ import annotations

import logging
import re
import sqlite3
import string
import threading
from decimal import Decimal

import pytest

from cryptex_desktop.api.types import COUPON_CODE
from cryptex_desktop.sandbox import Exchange, coupons
from cryptex_desktop.sandbox.store import DATABASE_NAME, Store

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


# -- moderation by the operator (the operations take a transaction, like every other) --------


@pytest.fixture
def operator(exchange: Exchange):
    """A second store on the exchange's data dir, as the CLI opens one beside a server."""
    store = Store(exchange.data_dir)
    yield store
    store.close()


def test_a_held_coupon_approved_by_the_operator_gets_a_code_that_redeems_once(
    caller, exchange: Exchange, operator: Store, assert_conserved
) -> None:
    alice = caller("alice", {"USD": Decimal("15000")})
    bob = caller("bob")
    assert alice.ok("CouponCreate", currency="USD", amount="12000") == "send_to_moderation"
    with operator.transaction() as tx:
        [held] = coupons.list_coupons(tx, held_only=True)
        approved = coupons.approve(tx, held["id"])
    assert CODE.fullmatch(approved["code"])
    assert {k: approved[k] for k in ("id", "creator", "currency", "amount", "status")} == {
        "id": held["id"], "creator": "alice", "currency": "USD", "amount": "12000",
        "status": "active",
    }
    assert alice.ok("Info", with_reserves="1")["balances"]["USD"] == "3000"  # no longer held
    assert_conserved(exchange)  # the redeemable coupon still holds the money

    assert bob.ok("CouponRedeem", code=approved["code"]) == {"amount": "12000"}
    assert bob.refused("CouponRedeem", code=approved["code"]) == "coupon already redeemed"
    assert_conserved(exchange)
    with operator.snapshot() as tx:
        (stored,) = tx.execute("SELECT code_sha256 FROM coupons").fetchone()
    assert stored == coupons.code_digest(approved["code"])  # the digest only, as for any code


def test_a_rejected_coupon_gives_its_amount_back_to_its_creator(
    caller, exchange: Exchange, operator: Store, assert_conserved
) -> None:
    alice = caller("alice", {"BTC": Decimal("2")})
    assert alice.ok("CouponCreate", currency="BTC", amount="1.5") == "send_to_moderation"
    assert alice.ok("Info")["balances"]["BTC"] == "0.5"
    with operator.transaction() as tx:
        [held] = coupons.list_coupons(tx)
        rejected = coupons.reject(tx, held["id"])
    assert (rejected["status"], rejected["amount"], rejected["creator"]) == (
        "rejected", "1.5", "alice"
    )
    assert alice.ok("Info")["balances"]["BTC"] == "2"
    assert alice.ok("Info", with_reserves="1")["balances"]["BTC"] == "2"
    assert_conserved(exchange)
    with operator.snapshot() as tx:
        assert coupons.list_coupons(tx) == []


def test_only_a_held_coupon_can_be_approved_or_rejected(
    caller, operator: Store, exchange: Exchange, assert_conserved
) -> None:
    alice = caller("alice", {"USD": Decimal("100")})
    bob = caller("bob")
    code = alice.ok("CouponCreate", currency="USD", amount="10")["code"]
    alice.ok("CouponCreate", currency="USD", amount="20")
    bob.ok("CouponRedeem", code=code)
    with operator.snapshot() as tx:
        redeemed, active = (c["id"] for c in coupons.list_coupons(tx))
    refusals = {
        active: f"coupon {active}: .*already redeemable",
        redeemed: f"coupon {redeemed}: .*already redeemed",
        99: "there is no coupon 99",
    }
    for decide in (coupons.approve, coupons.reject):
        for coupon_id, refusal in refusals.items():
            with pytest.raises(ValueError, match=refusal), operator.transaction() as tx:
                decide(tx, coupon_id)
    assert alice.ok("Info")["balances"]["USD"] == "70"  # nothing came back
    assert_conserved(exchange)


def test_the_coupon_list_names_creator_recipient_time_and_status(
    caller, operator: Store
) -> None:
    alice = caller("alice", {"USD": Decimal("30000"), "BTC": Decimal("1")})
    caller("bob")
    alice.ok("CouponCreate", currency="BTC", amount="0.25", recipient="bob")
    alice.ok("CouponCreate", currency="USD", amount="20000")
    with operator.snapshot() as tx:
        everything = coupons.list_coupons(tx)
        held = coupons.list_coupons(tx, held_only=True)
    assert [
        {k: c[k] for k in ("creator", "currency", "amount", "recipient", "status")}
        for c in everything
    ] == [
        {"creator": "alice", "currency": "BTC", "amount": "0.25", "recipient": "bob",
         "status": "active"},
        {"creator": "alice", "currency": "USD", "amount": "20000", "recipient": None,
         "status": "moderation"},
    ]
    assert held == everything[1:]
    for coupon in everything:
        assert set(coupon) == {
            "id", "creator", "currency", "amount", "recipient", "created", "status"
        }
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(coupon["created"]))


# -- the codes themselves ----------------------------------------------------------------------


def test_codes_are_drawn_from_letters_and_digits_without_look_alikes() -> None:
    drawn = [coupons.new_code("USD") for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    used: set[str] = set()
    for code in drawn:
        assert COUPON_CODE.match(code) and coupons.CODE_PATTERN.fullmatch(code)
        used.update(code[len("CTX-USD-"):].replace("-", ""))
    assert not used & set("0O1Il")
    # 64,000 draws from 57 characters: every one of them turns up, and nothing else.
    assert used == set(coupons.CODE_ALPHABET) and len(coupons.CODE_ALPHABET) == 57
    assert set(coupons.CODE_ALPHABET) <= set(string.ascii_letters + string.digits)


def test_a_code_with_look_alike_characters_is_still_redeemed(caller, operator: Store) -> None:
    # Codes issued before the alphabet changed may hold them; the exchange still knows those.
    alice = caller("alice")
    code = "CTX-USD-0O1Il0O1-abcdefgh-ABCDEFGH-23456789"
    with operator.transaction() as tx:
        creator_id = tx.execute("SELECT id FROM accounts WHERE username = 'alice'").fetchone()[0]
        tx.execute(
            "INSERT INTO coupons (code_sha256, currency, amount, creator_id, status, created)"
            " VALUES (?, 'USD', '5', ?, 'active', 0)",
            (coupons.code_digest(code), creator_id),
        )
    assert alice.ok("CouponRedeem", code=code) == {"amount": "5"}
