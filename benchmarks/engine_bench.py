"""How many orders per second the sandbox's matching engine takes, in process and durably.

Every order is its own committed ``BEGIN IMMEDIATE`` transaction in the WAL-mode SQLite
database, as an API request makes it. Two paths are timed over the same kind of random
order stream (two traders, prices a few ticks around 1000 so about half the orders fill):

- ``engine``: ``engine.place_order`` inside a store transaction;
- ``api``: ``Exchange.handle("Trade", ...)``, adding signature, nonce and parameter checks.

Run ``python benchmarks/engine_bench.py`` to print the figures as JSON.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Exchange, accounts, engine
from cryptex_desktop.sandbox.markets import FEE_ACCOUNT_USERNAME
from cryptex_desktop.sandbox.store import Store, Tx

PAIR = PAIRS["BTC_USD"]
FUNDING = {"BTC": Decimal("1000000"), "USD": Decimal("10000000000")}
TRADERS = ("maker", "taker")


def _random_orders(count: int, seed: int) -> list[tuple[int, str, Decimal, Decimal]]:
    """(trader index, side, price, amount) for ``count`` orders, the same for a given seed."""
    rng = random.Random(seed)
    orders = []
    for _ in range(count):
        side = rng.choice(("buy", "sell"))
        ticks = rng.randint(-5, 5) + (-2 if side == "buy" else 2)
        price = Decimal(1000) + Decimal(ticks) / 4
        amount = Decimal(rng.randint(1, 5000)).scaleb(-4)
        orders.append((rng.randrange(len(TRADERS)), side, price, amount))
    return orders


def _account_id(tx: Tx, username: str) -> int:
    found = accounts.find_account(tx, username)
    if found is None:
        raise RuntimeError(f"the benchmark's account {username} is missing")
    return found[0]


def _conserved(exchange: Exchange) -> bool:
    return all(f["held"] == f["expected"] for f in exchange.audit().values())


def _bench_engine(data_dir: Path, orders: list[tuple[int, str, Decimal, Decimal]]) -> dict:
    exchange = Exchange(data_dir)
    for name in TRADERS:
        exchange.create_user(name, FUNDING)
    store = Store(data_dir)
    try:
        with store.transaction() as tx:
            ids = [_account_id(tx, name) for name in TRADERS]
            fee_id = _account_id(tx, FEE_ACCOUNT_USERNAME)
        started = time.perf_counter()
        for trader, side, price, amount in orders:
            with store.transaction() as tx:
                engine.place_order(
                    tx, ids[trader], PAIR, side, price, amount,
                    fee_rate=exchange.policy.fee, fee_account_id=fee_id, now=int(time.time()),
                )
        seconds = time.perf_counter() - started
        with store.snapshot() as tx:
            fills = tx.execute("SELECT COUNT(*) FROM fills").fetchone()[0]
        return {"seconds": seconds, "fills": fills, "conserved": _conserved(exchange)}
    finally:
        store.close()
        exchange.close()


def _bench_api(data_dir: Path, orders: list[tuple[int, str, Decimal, Decimal]]) -> dict:
    exchange = Exchange(data_dir)
    try:
        logins = [exchange.create_user(name, FUNDING) for name in TRADERS]
        started = time.perf_counter()
        for nonce, (trader, side, price, amount) in enumerate(orders, start=1):
            login = logins[trader]
            params = {
                "nonce": str(nonce), "pair": PAIR.code, "type": side,
                "price": str(price), "amount": str(amount),
            }
            status, body = exchange.handle(
                "Trade", params, login.key, sign(login.secret, nonce, login.username, login.key)
            )
            if status != 200 or body["status"] != "ok":
                raise RuntimeError(f"the benchmark's order was refused: {body}")
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "conserved": _conserved(exchange)}
    finally:
        exchange.close()


def run(orders: int = 2000, seed: int = 7) -> dict[str, object]:
    """Time ``orders`` random orders through each path; returns the figures."""
    stream = _random_orders(orders, seed)
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as directory:
        engine_figures = _bench_engine(Path(directory) / "engine", stream)
        api_figures = _bench_api(Path(directory) / "api", stream)
    return {
        "orders": orders,
        "fills": engine_figures["fills"],
        "engine_seconds": round(engine_figures["seconds"], 3),
        "engine_orders_per_second": round(orders / engine_figures["seconds"], 1),
        "api_seconds": round(api_figures["seconds"], 3),
        "api_orders_per_second": round(orders / api_figures["seconds"], 1),
        "conserved": bool(engine_figures["conserved"] and api_figures["conserved"]),
        "durability": "one committed WAL transaction per order, synchronous=NORMAL",
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
