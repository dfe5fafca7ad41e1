"""Nonces under load: many threads, many restarts, two computers on one key, no call refused.

The exchange refuses a request whose nonce is not above the last one it accepted. These
tests hammer one key from 8 threads across 20 app restarts (and real new processes), and
then share one key between two app instances with their own data dirs, as two computers
would, checking that each collision costs at most one refusal and no action is lost or
doubled.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api import Credentials, CryptexClient, NonceBook, NonceError, OrderStatus
from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.sandbox import Account, SandboxServer
from cryptex_desktop.sandbox.store import DATABASE_NAME
from tests.plugins.trust_figures import add_figure

CALLS = 10_000
THREADS = 8
RESTARTS = 20
#: After which in-process runs a real new process makes calls on the same data dir.
SUBPROCESS_AFTER = (4, 11, 17)
SUBPROCESS_CALLS = 25

# A new process, as a restarted app would be: it only shares the data dir with the others.
SUBPROCESS_SCRIPT = """
import json, sys
from cryptex_desktop.api import CryptexClient, Credentials
job = json.load(sys.stdin)
creds = Credentials(job["username"], job["key"], job["secret"])
with CryptexClient(job["url"], creds, job["data_dir"]) as client:
    for number in range(job["calls"]):
        client.info() if number % 2 else client.active_orders()
    print(json.dumps({"calls": job["calls"], "refusals": client.nonce_refusals}))
"""


@pytest.fixture(scope="module")
def exchange_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox of these tests' own (nobody else's orders), without a rate limit."""
    server = SandboxServer(
        tmp_path_factory.mktemp("nonce-sandbox"),
        port=0, block_seconds=0, market_maker=False, rate_limit=None,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def funded(server: SandboxServer, name: str) -> Account:
    return server.exchange.create_user(
        name, {"USD": Decimal("100000"), "BTC": Decimal("10")}
    )


def rows_of(server: SandboxServer, account: Account, query: str) -> int:
    """Count the exchange's own rows for an account, read straight from its database."""
    path = Path(server.data_dir) / DATABASE_NAME
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        (count,) = db.execute(query, (account.username,)).fetchone()
    return int(count)


def run_in_new_process(server: SandboxServer, account: Account, data_dir: Path) -> dict:
    """Make a few calls from a fresh Python process; the credentials travel on stdin."""
    job = {"url": server.url, "username": account.username, "key": account.key,
           "secret": account.secret, "data_dir": str(data_dir), "calls": SUBPROCESS_CALLS}
    done = subprocess.run(
        [sys.executable, "-c", SUBPROCESS_SCRIPT], input=json.dumps(job),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_ten_thousand_calls_from_eight_threads_across_restarts_are_never_refused_for_a_nonce(
    exchange_server, tmp_path
):
    account = funded(exchange_server, "hammer")
    data_dir = tmp_path / "app-data"
    runs = RESTARTS + 1
    made = 0
    refusals = 0
    restarts = 0
    failures: list[BaseException] = []

    def work(client: CryptexClient, calls: int) -> None:
        try:
            for number in range(calls):
                if number % 3:
                    client.info()
                else:
                    client.active_orders(pair="BTC_USD")
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    for run in range(runs):
        # A restart: a new client with a NEW nonce book on the same data dir, as a new process.
        client = CryptexClient(exchange_server.url, account.credentials(),
                               nonce_book=NonceBook(data_dir))
        calls = CALLS // runs + (1 if run < CALLS % runs else 0)
        shares = [calls // THREADS + (1 if t < calls % THREADS else 0) for t in range(THREADS)]
        threads = [threading.Thread(target=work, args=(client, share)) for share in shares]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a thread never finished"
        assert failures == [], f"calls failed: {[str(e) for e in failures]}"
        made += calls
        refusals += client.nonce_refusals
        client.close()
        if run < runs - 1:
            restarts += 1
        if run in SUBPROCESS_AFTER:
            report = run_in_new_process(exchange_server, account, data_dir)
            made += report["calls"]
            refusals += report["refusals"]
            restarts += 1

    assert made == CALLS + len(SUBPROCESS_AFTER) * SUBPROCESS_CALLS
    assert restarts == RESTARTS + len(SUBPROCESS_AFTER)
    assert refusals == 0
    add_figure("signed calls without a nonce refusal", made)
    add_figure("app restarts between them (in-process and new processes)", restarts)


class TwoComputers:
    """One key used from two app instances with separate data dirs, as from two computers.

    Records what each app was told: the orders it placed and cancelled, the withdrawals
    and coupons it made, so the exchange's own records can be compared with it.
    """

    def __init__(self, server: SandboxServer, account: Account, base: Path) -> None:
        creds = Credentials(account.username, account.key, account.secret)
        self.apps = [CryptexClient(server.url, creds, base / name) for name in ("one", "two")]
        self.placed: set[int] = set()
        self.cancelled: set[int] = set()
        self.withdrawals = 0
        self.coupons = 0
        self.refused: list[str] = []
        self._lock = threading.Lock()

    def close(self) -> None:
        for app in self.apps:
            app.close()

    def act(self, app: CryptexClient, rng: random.Random) -> None:
        """One call, chosen at random; refusals for the nonce are kept, not raised."""
        roll = rng.random()
        try:
            if roll < 0.4:
                price = Decimal(rng.randrange(100, 1000))  # far below any seller: it rests
                placed = app.trade("BTC_USD", "buy", price, Decimal("0.001"))
                with self._lock:
                    self.placed.add(placed.order_id)
            elif roll < 0.55:
                with self._lock:
                    open_ids = sorted(self.placed - self.cancelled)
                if open_ids:
                    order_id = rng.choice(open_ids)
                    with self._lock:  # claimed first, so the other app does not cancel it too
                        if order_id in self.cancelled:
                            return
                        self.cancelled.add(order_id)
                    try:
                        app.cancel_order(order_id)
                    except NonceError:
                        with self._lock:
                            self.cancelled.discard(order_id)
                        raise
            elif roll < 0.65:
                app.withdraw(Decimal("0.001"), new_address("BTC"), "BTC")
                with self._lock:
                    self.withdrawals += 1
            elif roll < 0.75:
                app.coupon_create("USD", Decimal("1.5"))
                with self._lock:
                    self.coupons += 1
            else:
                app.info()
        except NonceError as error:
            with self._lock:
                self.refused.append(str(error))


def check_exchange_agrees(server: SandboxServer, account: Account, apps: TwoComputers) -> None:
    """The exchange holds exactly what the apps were told: nothing lost, nothing doubled."""
    orders = "SELECT COUNT(*) FROM orders o JOIN accounts a ON a.id = o.account_id " \
             "WHERE a.username = ?"
    assert rows_of(server, account, orders) == len(apps.placed)
    withdrawals = "SELECT COUNT(*) FROM chain_txs t JOIN accounts a ON a.id = t.account_id " \
                  "WHERE a.username = ? AND t.direction = 'withdrawal'"
    assert rows_of(server, account, withdrawals) == apps.withdrawals
    coupons = "SELECT COUNT(*) FROM coupons c JOIN accounts a ON a.id = c.creator_id " \
              "WHERE a.username = ?"
    assert rows_of(server, account, coupons) == apps.coupons

    reader = apps.apps[0]
    active = {order.order_id for order in reader.active_orders()}
    assert active == apps.placed - apps.cancelled
    for order_id in sorted(apps.cancelled):
        assert reader.order_info(order_id).status == OrderStatus.CANCELLED
    # Every order rests at 0.001 BTC, so the free USD is what is left after their reserves.
    reserved = sum(
        (order.price * order.amount for order in reader.active_orders()), Decimal(0)
    )
    expected_usd = Decimal("100000") - reserved - Decimal("1.5") * apps.coupons
    assert reader.info().balances["USD"] == expected_usd
    assert reader.info().balances["BTC"] == Decimal("10") - Decimal("0.001") * apps.withdrawals


def test_two_computers_taking_turns_on_one_key_resync_after_one_refusal_per_collision(
    exchange_server, tmp_path
):
    account = funded(exchange_server, "twins")
    apps = TwoComputers(exchange_server, account, tmp_path)
    rng = random.Random(20240611)
    previous: CryptexClient | None = None
    switches = 0
    try:
        for _step in range(400):
            app = rng.choice(apps.apps)
            if previous is not None and app is not previous:
                switches += 1
            before = app.nonce_refusals
            apps.act(app, rng)
            refused = app.nonce_refusals - before
            # The first call after the other computer's turn may be refused once; never more,
            # and never while the same app goes on.
            assert refused <= (1 if app is not previous else 0)
            previous = app
        assert apps.refused == [], "a call was refused twice and had to be given up"
        total_refusals = sum(app.nonce_refusals for app in apps.apps)
        assert 0 < total_refusals <= switches
        check_exchange_agrees(exchange_server, account, apps)
    finally:
        apps.close()
    add_figure("nonce collisions between two computers on one key, each resynced", total_refusals)


def test_two_computers_at_the_same_time_on_one_key_never_lose_or_double_an_action(
    exchange_server, tmp_path
):
    account = funded(exchange_server, "rivals")
    apps = TwoComputers(exchange_server, account, tmp_path)
    failures: list[BaseException] = []

    def run(app: CryptexClient, seed: int) -> Callable[[], None]:
        def loop() -> None:
            rng = random.Random(seed)
            try:
                for _ in range(150):
                    apps.act(app, rng)
            except BaseException as error:  # reported by the main thread
                failures.append(error)
        return loop

    threads = [threading.Thread(target=run(app, seed)) for seed, app in enumerate(apps.apps)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
        assert failures == [], [str(error) for error in failures]
        # A call refused twice in a race had no effect and said so: it is simply not counted.
        check_exchange_agrees(exchange_server, account, apps)
        assert sum(app.nonce_refusals for app in apps.apps) > 0
    finally:
        apps.close()
