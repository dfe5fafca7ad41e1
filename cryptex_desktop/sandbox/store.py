"""The sandbox's storage: one SQLite file per data dir, shared by the server and the CLI.

Durability: the database runs in WAL mode with ``synchronous=NORMAL``. A committed
transaction survives the process being killed at any moment (the WAL is written before
COMMIT returns); only a power cut or an operating-system crash can lose the last few
commits, never corrupt the file. That is the right trade for a local demo exchange.

Every API operation is one ``BEGIN IMMEDIATE`` transaction (:meth:`Store.transaction`),
so operations of several threads and processes (a running server plus ``cryptex-sandbox
deposit``) serialise on SQLite's write lock and never interleave. Each thread has its own
connection. Amounts are stored as canonical decimal TEXT (exact) and CHECK constraints
refuse a negative amount even if a bug tried to write one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from cryptex_desktop.api.money import to_wire

#: An open transaction: operations are functions that take one of these.
Tx = sqlite3.Connection

DATABASE_NAME = "sandbox.sqlite3"
SCHEMA_VERSION = 1
#: How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 10_000
#: Width of the zero-padded integer text that orders prices in the book.
PRICE_KEY_WIDTH = 40

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'market_maker', 'fees')),
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL UNIQUE REFERENCES accounts(id),
    secret TEXT NOT NULL,
    last_nonce INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE IF NOT EXISTS balances (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    currency TEXT NOT NULL,
    free TEXT NOT NULL CHECK (free <> '' AND free NOT LIKE '-%'),
    PRIMARY KEY (account_id, currency)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fundings (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    currency TEXT NOT NULL,
    amount TEXT NOT NULL CHECK (amount <> '' AND amount NOT LIKE '-%'),
    reason TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    pair TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    price TEXT NOT NULL CHECK (price <> '' AND price NOT LIKE '-%'),
    price_key TEXT NOT NULL,
    amount TEXT NOT NULL CHECK (amount <> '' AND amount NOT LIKE '-%'),
    filled TEXT NOT NULL CHECK (filled <> '' AND filled NOT LIKE '-%'),
    reserve TEXT NOT NULL CHECK (reserve <> '' AND reserve NOT LIKE '-%'),
    status INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3)),
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_account ON orders (account_id, status);
CREATE INDEX IF NOT EXISTS book_bids ON orders (pair, price_key DESC, id)
    WHERE side = 'buy' AND status IN (0, 1);
CREATE INDEX IF NOT EXISTS book_asks ON orders (pair, price_key ASC, id)
    WHERE side = 'sell' AND status IN (0, 1);
CREATE TABLE IF NOT EXISTS fills (
    id INTEGER PRIMARY KEY,
    pair TEXT NOT NULL,
    price TEXT NOT NULL CHECK (price NOT LIKE '-%'),
    amount TEXT NOT NULL CHECK (amount NOT LIKE '-%'),
    buy_order_id INTEGER NOT NULL REFERENCES orders(id),
    sell_order_id INTEGER NOT NULL REFERENCES orders(id),
    buyer_id INTEGER NOT NULL REFERENCES accounts(id),
    seller_id INTEGER NOT NULL REFERENCES accounts(id),
    taker_side TEXT NOT NULL CHECK (taker_side IN ('buy', 'sell')),
    buyer_fee TEXT NOT NULL CHECK (buyer_fee NOT LIKE '-%'),
    seller_fee TEXT NOT NULL CHECK (seller_fee NOT LIKE '-%'),
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fills_by_buyer ON fills (buyer_id, id);
CREATE INDEX IF NOT EXISTS fills_by_seller ON fills (seller_id, id);
-- Public market data: a pair's latest trades and its 24 h window. Added after version 1
-- shipped: IF NOT EXISTS builds it on an older data dir's first start, so no version bump.
CREATE INDEX IF NOT EXISTS fills_by_pair ON fills (pair, created);
CREATE TABLE IF NOT EXISTS addresses (
    address TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    currency TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS blocks (
    height INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chain_txs (
    id INTEGER PRIMARY KEY,
    txid TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    currency TEXT NOT NULL,
    address TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
    amount TEXT NOT NULL CHECK (amount <> '' AND amount NOT LIKE '-%'),
    confirmations INTEGER NOT NULL CHECK (confirmations >= 0),
    status INTEGER NOT NULL CHECK (status IN (0, 1)),
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chain_txs_pending ON chain_txs (status, currency);
CREATE INDEX IF NOT EXISTS chain_txs_by_account ON chain_txs (account_id, status, id);
CREATE INDEX IF NOT EXISTS chain_txs_by_address ON chain_txs (address, direction, id);
CREATE TABLE IF NOT EXISTS coupons (
    id INTEGER PRIMARY KEY,
    code_sha256 TEXT UNIQUE,
    currency TEXT NOT NULL,
    amount TEXT NOT NULL CHECK (amount <> '' AND amount NOT LIKE '-%'),
    creator_id INTEGER NOT NULL REFERENCES accounts(id),
    recipient_id INTEGER REFERENCES accounts(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'moderation', 'redeemed')),
    redeemer_id INTEGER REFERENCES accounts(id),
    created INTEGER NOT NULL,
    redeemed INTEGER,
    CHECK ((status = 'moderation') = (code_sha256 IS NULL))
);
"""


class Refusal(Exception):
    """An operation refused a request; the message is the exact sentence for the wire.

    Raised inside a transaction, it undoes the operation's writes (see
    :func:`savepoint`). Messages never contain a secret or a coupon code.
    """

    def __init__(self, message: str, http_status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


class NewerSchemaError(RuntimeError):
    """The data dir was written by a newer sandbox than this one."""


def amount_text(amount: Decimal) -> str:
    """The canonical TEXT of an amount as stored: plain digits, no exponent, no trailing 0."""
    if amount < 0:
        raise ValueError("a stored amount must not be negative")
    return to_wire(amount)


def amount_of(text: str) -> Decimal:
    """Read an amount stored by :func:`amount_text`."""
    return Decimal(text)


def price_key(price: Decimal, price_decimals: int) -> str:
    """A text that sorts like the price, for the book's indexes (exact, any size)."""
    scaled = int(price.scaleb(price_decimals))
    if scaled < 0 or scaled != price.scaleb(price_decimals):
        raise ValueError("the price has more decimals than its pair allows")
    return str(scaled).zfill(PRICE_KEY_WIDTH)


class Store:
    """The SQLite database of one data dir: a connection per thread, one writer at a time.

    Safe to share between threads; several processes may open the same data dir.
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DATABASE_NAME
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        # Writers of this process queue here, so SQLite's busy handler only waits on others.
        self._write_lock = threading.Lock()
        self._closed = False
        self._create_schema()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise RuntimeError("the sandbox store is closed")
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,  # each thread only uses its own; close() may run anywhere
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self._local.conn = conn
        with self._connections_lock:
            self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception rolls everything back."""
        conn = self.connection()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def snapshot(self) -> Iterator[Tx]:
        """A read-only transaction: a consistent view while writers carry on."""
        conn = self.connection()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close every connection this store opened, in any thread."""
        self._closed = True
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def _create_schema(self) -> None:
        with self.transaction() as tx:
            version = tx.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(
                    f"the sandbox data in {self.data_dir} was written by a newer version "
                    "of Cryptex Desktop; use that version or another data dir"
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    tx.execute(statement)
            tx.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def savepoint(tx: Tx, name: str = "operation") -> Iterator[Tx]:
    """Run a block so that an exception undoes only the block's writes, not the transaction."""
    tx.execute(f"SAVEPOINT {name}")
    try:
        yield tx
    except BaseException:
        tx.execute(f"ROLLBACK TO {name}")
        tx.execute(f"RELEASE {name}")
        raise
    tx.execute(f"RELEASE {name}")


def get_meta(tx: Tx, name: str) -> str | None:
    """A value from the ``meta`` table (server url, demo account name), or ``None``."""
    row = tx.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row["value"])


def set_meta(tx: Tx, name: str, value: str) -> None:
    """Set a value in the ``meta`` table."""
    tx.execute(
        "INSERT INTO meta (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
