"""Durability: SIGKILL the sandbox exchange in the middle of a load; nothing it confirmed is lost.

A real ``cryptex-sandbox serve`` process serves a data dir while client threads trade,
cancel, create and redeem coupons, withdraw, and deposit through the command line (then
mine). Every operation the exchange answered ``ok`` is written down. The server is killed
with SIGKILL mid-load and started again on the same data dir, three times; each time every
confirmed operation must still be there, no balance may be negative, and the exchange's
audit must balance in every currency.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api import (
    CryptexClient,
    CryptexError,
    ExchangeRefusal,
    OrderStatus,
    OutcomeUnknown,
)
from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.sandbox import Account, Exchange
from cryptex_desktop.sandbox.store import DATABASE_NAME
from tests.plugins.trust_figures import add_figure

CLI = [sys.executable, "-m", "cryptex_desktop.sandbox.cli"]
KILLS = 5
#: Confirmed operations in a round before the server is killed (or the round's time is up).
OPERATIONS_BEFORE_KILL = 150
ROUND_SECONDS = 8.0
START_SECONDS = 60.0
FUNDS = {"USD": Decimal("1000000"), "BTC": Decimal("100"), "LTC": Decimal("10000")}
WITHDRAWAL = Decimal("0.001")


class ServedSandbox:
    """``cryptex-sandbox serve`` as a real process on one data dir; the test may SIGKILL it."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> str:
        """Serve and return the url when ready.

        Each start takes a new free port: the one a killed server had may be taken by another
        process in the second it lies free, and the test would then fail for nothing."""
        env = {**os.environ, "CRYPTEX_SANDBOX_RATE_LIMIT": "0"}
        with open(self.log_path, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [*CLI, "serve", "--port", "0", "--data-dir", str(self.data_dir),
                 "--block-seconds", "0"],
                stdout=subprocess.PIPE, stderr=log, text=True, env=env,
            )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], START_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the sandbox did not start: {self.log_path.read_text()[-2000:]}")
        self.url = json.loads(line)["url"]
        return self.url

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a power cut of the process would be."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cli(*args: str, data_dir: Path) -> dict:
    """Run an operator command of ``cryptex-sandbox`` and return its JSON answer."""
    done = subprocess.run(
        [*CLI, *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@dataclass(frozen=True)
class PlacedOrder:
    """An order the exchange confirmed: who placed it and what it asked for."""

    owner: str
    pair: str
    side: str
    price: Decimal
    amount: Decimal


class Ledger:
    """Every operation the exchange confirmed, and the ones whose answer was lost; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.confirmed = 0
        self.orders: dict[int, PlacedOrder] = {}
        self.cancelled: set[int] = set()
        self.fills: dict[str, set[int]] = {}
        self.coupons: dict[str, Decimal] = {}
        self.redeemed: set[str] = set()
        self.withdrawals: list[str] = []
        self.deposits: list[tuple[str, str, Decimal]] = []
        self._unredeemed: list[str] = []
        #: Operations whose answer the kill took: they may or may not have happened.
        self.lost = Counter[str]()
        self.maybe_cancelled: set[int] = set()
        self.maybe_redeemed: set[str] = set()

    def _confirm(self) -> None:
        self.confirmed += 1

    def placed(self, order_id: int, order: PlacedOrder) -> None:
        with self.lock:
            self.orders[order_id] = order
            self._confirm()

    def open_orders_of(self, owner: str) -> list[int]:
        with self.lock:
            return [order_id for order_id, order in self.orders.items() if order.owner == owner
                    and order_id not in self.cancelled and order_id not in self.maybe_cancelled]

    def cancelled_order(self, order_id: int) -> None:
        with self.lock:
            self.cancelled.add(order_id)
            self._confirm()

    def saw_fills(self, owner: str, transaction_ids: set[int]) -> None:
        with self.lock:
            self.fills.setdefault(owner, set()).update(transaction_ids)

    def created_coupon(self, code: str, amount: Decimal) -> None:
        with self.lock:
            self.coupons[code] = amount
            self._unredeemed.append(code)
            self._confirm()

    def coupon_to_redeem(self) -> str | None:
        with self.lock:
            return self._unredeemed.pop() if self._unredeemed else None

    def not_redeemed(self, code: str) -> None:
        with self.lock:
            self._unredeemed.append(code)

    def redeemed_coupon(self, code: str) -> None:
        with self.lock:
            self.redeemed.add(code)
            self._confirm()

    def withdrew(self, address: str) -> None:
        with self.lock:
            self.withdrawals.append(address)
            self._confirm()

    def deposited(self, address: str, txid: str, amount: Decimal) -> None:
        with self.lock:
            self.deposits.append((address, txid, amount))
            self._confirm()

    def answer_lost(self, method: str, order_id: int | None = None,
                    code: str | None = None) -> None:
        with self.lock:
            self.lost[method] += 1
            if order_id is not None:
                self.maybe_cancelled.add(order_id)
            if code is not None:
                self.maybe_redeemed.add(code)


class Load:
    """Client threads doing mixed operations until told to stop."""

    def __init__(self, url: str, users: dict[str, Account], data_dir: Path, ledger: Ledger,
                 client_dir: Path, round_number: int) -> None:
        self.data_dir = data_dir
        self.ledger = ledger
        self.stop = threading.Event()
        self.failures: list[BaseException] = []
        self.clients = {
            name: CryptexClient(url, account.credentials(), client_dir / name,
                                read_timeout=10, backoff=0.05)
            for name, account in users.items()
        }
        work = [(self._trade, "alice"), (self._trade, "bob"), (self._give, "carol"),
                (self._receive, "dave")]
        self.threads = [
            threading.Thread(target=self._run, args=(operation, name, round_number * 10 + i))
            for i, (operation, name) in enumerate(work)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in self.threads)
        for client in self.clients.values():
            client.close()
        assert self.failures == [], [repr(error) for error in self.failures]

    def _run(self, operation: Callable[[str, random.Random], None], name: str, seed: int) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            try:
                operation(name, rng)
            except OutcomeUnknown as lost:
                self.ledger.answer_lost(lost.method)
                self.stop.wait(0.05)
            except ExchangeRefusal:
                pass  # e.g. cancelling an order that has just filled: a clear no, no effect
            except CryptexError:
                self.stop.wait(0.05)  # the server is gone: try again until the round ends
            except BaseException as error:  # anything else is a bug, reported at the end
                self.failures.append(error)
                return

    def _trade(self, name: str, rng: random.Random) -> None:
        client = self.clients[name]
        roll = rng.random()
        if roll < 0.5:
            side = rng.choice(("buy", "sell"))
            # Around the market maker's 65,000: some fill at once, some rest, some cross later.
            price = Decimal(rng.randrange(6_300_000, 6_700_000)) / 100
            amount = Decimal(rng.randrange(10, 60)) / 10_000
            placed = client.trade("BTC_USD", side, price, amount)
            self.ledger.placed(placed.order_id, PlacedOrder(name, "BTC_USD", side, price, amount))
        elif roll < 0.75:
            mine = self.ledger.open_orders_of(name)
            if mine:
                order_id = rng.choice(mine)
                try:
                    client.cancel_order(order_id)
                except OutcomeUnknown:
                    self.ledger.answer_lost("CancelOrder", order_id=order_id)
                    return
                self.ledger.cancelled_order(order_id)
        else:
            fills = client.trade_history(count=1000)
            self.ledger.saw_fills(name, {fill.transaction_id for fill in fills})

    def _give(self, name: str, rng: random.Random) -> None:
        client = self.clients[name]
        if rng.random() < 0.6:
            amount = Decimal(rng.randrange(100, 2000)) / 100
            coupon = client.coupon_create("USD", amount, recipient="dave")
            assert coupon.code is not None
            self.ledger.created_coupon(coupon.code, amount)
        else:
            address = new_address("BTC")
            client.withdraw(WITHDRAWAL, address, "BTC")
            self.ledger.withdrew(address)

    def _receive(self, name: str, rng: random.Random) -> None:
        client = self.clients[name]
        if rng.random() < 0.7:
            code = self.ledger.coupon_to_redeem()
            if code is None:
                return
            try:
                client.coupon_redeem(code)
            except OutcomeUnknown:
                self.ledger.answer_lost("CouponRedeem", code=code)
                return
            except CryptexError:
                self.ledger.not_redeemed(code)  # refused or never sent: still to redeem
                raise
            self.ledger.redeemed_coupon(code)
        else:
            address = client.get_new_address("BTC").address
            amount = Decimal(rng.randrange(1, 100)) / 1000
            answer = cli("deposit", address, str(amount), data_dir=self.data_dir)
            self.ledger.deposited(address, answer["txid"], amount)
            cli("mine", "--blocks", "1", data_dir=self.data_dir)


def read_db(data_dir: Path, query: str, *values: object) -> list[tuple]:
    """Read the exchange's own database directly (read-only), as an auditor would."""
    path = data_dir / DATABASE_NAME
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(query, values).fetchall()
    finally:
        db.close()


def check_nothing_confirmed_was_lost(
    url: str, users: dict[str, Account], data_dir: Path, ledger: Ledger, client_dir: Path
) -> None:
    """Every confirmed operation is still there, balances are not negative, the audit holds."""
    clients = {name: CryptexClient(url, account.credentials(), client_dir / name)
               for name, account in users.items()}
    try:
        for order_id, placed in ledger.orders.items():
            order = clients[placed.owner].order_info(order_id)
            assert (order.pair, order.type, order.price, order.amount) == (
                placed.pair, placed.side, placed.price, placed.amount)
            if order_id in ledger.cancelled:
                assert order.status == OrderStatus.CANCELLED
        for name, seen in ledger.fills.items():
            kept = {fill.transaction_id for fill in clients[name].trade_history(count=1000)}
            assert seen <= kept, f"fills of {name} vanished: {sorted(seen - kept)}"

        # Eve may not redeem Dave's coupons; the exchange's answer says whether each exists.
        for code in ledger.coupons:
            try:
                clients["eve"].coupon_redeem(code)
            except ExchangeRefusal as refusal:
                reason = refusal.reason
            else:
                pytest.fail("a coupon for dave was redeemed by eve")
            if code in ledger.redeemed:
                assert reason == "coupon already redeemed"
            elif code in ledger.maybe_redeemed:
                assert reason in ("coupon already redeemed", "coupon is for another user")
            else:
                assert reason == "coupon is for another user"

        # Carol only withdraws 0.001 BTC at a time and makes USD coupons: her balances count them.
        sheet = clients["carol"].info(with_reserves=True)
        withdrawn = (FUNDS["BTC"] - sheet.balances["BTC"]) / WITHDRAWAL
        known = len(ledger.withdrawals)
        assert known <= withdrawn <= known + ledger.lost["Withdraw"]
        for address in ledger.withdrawals:
            rows = read_db(data_dir, "SELECT amount FROM chain_txs WHERE address = ? "
                           "AND direction = 'withdrawal'", address)
            assert rows == [("0.001",)]
        pending = {tx.address for tx in clients["carol"].unconfirmed_transactions(currency="BTC")}
        confirmed = {row[0] for row in read_db(
            data_dir, "SELECT address FROM chain_txs WHERE direction = 'withdrawal' "
            "AND status = 1")}
        assert set(ledger.withdrawals) <= pending | confirmed
        given = FUNDS["USD"] - sheet.balances["USD"]
        assert given >= sum(ledger.coupons.values(), Decimal(0))
        # Dave's USD only grows by the coupons he redeemed.
        received = clients["dave"].info().balances["USD"] - FUNDS["USD"]
        surely = sum((ledger.coupons[code] for code in ledger.redeemed), Decimal(0))
        maybe = sum((ledger.coupons[code] for code in ledger.maybe_redeemed), Decimal(0))
        assert surely <= received <= surely + maybe

        for address, txid, amount in ledger.deposits:
            deposit = clients["dave"].deposit_info(address)
            assert (deposit.txid, deposit.amount) == (txid, amount)

        for name, client in clients.items():
            balances = client.info(with_reserves=True).balances
            assert all(amount >= 0 for amount in balances.values()), (name, balances)
    finally:
        for client in clients.values():
            client.close()

    assert read_db(data_dir, "SELECT COUNT(*) FROM balances WHERE free LIKE '-%'") == [(0,)]
    exchange = Exchange(data_dir)
    try:
        audit = exchange.audit()
    finally:
        exchange.close()
    unbalanced = {code: sums for code, sums in audit.items() if sums["held"] != sums["expected"]}
    assert unbalanced == {}


def test_killing_the_exchange_mid_load_loses_nothing_it_confirmed(tmp_path):
    data_dir = tmp_path / "exchange"
    client_dir = tmp_path / "clients"
    exchange = Exchange(data_dir)
    try:
        users = {name: exchange.create_user(name, dict(FUNDS))
                 for name in ("alice", "bob", "carol", "dave", "eve")}
    finally:
        exchange.close()
    served = ServedSandbox(data_dir, tmp_path / "sandbox.log")
    ledger = Ledger()
    url = served.start()
    try:
        for round_number in range(KILLS):
            load = Load(url, users, data_dir, ledger, client_dir, round_number)
            confirmed_before = ledger.confirmed
            load.start()
            deadline = time.monotonic() + ROUND_SECONDS
            while (ledger.confirmed - confirmed_before < OPERATIONS_BEFORE_KILL
                   and time.monotonic() < deadline and not load.failures):
                load.stop.wait(0.02)
            served.kill()  # in the middle of the load: the threads are still sending
            load.finish()
            assert ledger.confirmed - confirmed_before > 0, "nothing happened in this round"
            url = served.start()
            check_nothing_confirmed_was_lost(url, users, data_dir, ledger, client_dir)
    finally:
        served.stop()

    log_text = served.log_path.read_text(encoding="utf-8")
    assert "internal error" not in log_text
    assert ledger.orders and ledger.cancelled and ledger.coupons and ledger.redeemed
    assert ledger.withdrawals and ledger.deposits and any(ledger.fills.values())
    add_figure("operations confirmed under load, none lost across kills", ledger.confirmed)
    add_figure("answers lost to a kill (outcome unknown), checked to be consistent",
               sum(ledger.lost.values()))
    add_figure("SIGKILLs of the exchange mid-load, restarted on the same data dir", KILLS)
