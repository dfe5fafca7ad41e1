"""The journal's tables, version by version, and :func:`migrate` that brings a file up to date.

Version 1 is the first schema ever written to a person's disk and stays here unchanged,
so that a test can build a version-1 file and open it with today's code. Each later
version is a list of statements that turns the one before into it; :func:`migrate` runs
each step in its own transaction and sets ``PRAGMA user_version`` with it, so a step
either happened completely or not at all.

Money is exact decimal TEXT (``format(amount, "f")``: no exponent, trailing zeros kept);
CHECKs refuse text that is not a plain decimal number. Times are INTEGER microseconds
since 1970-01-01 UTC: they sort and compare as numbers (so the indexes serve "newest
first" and date ranges directly), carry no time zone to misread, and keep every digit
of a Python ``datetime``. No column anywhere is meant for a coupon code, key or secret;
free-text columns refuse anything shaped like a coupon code.
"""

from __future__ import annotations

import sqlite3


class NewerJournalError(RuntimeError):
    """The journal file was written by a newer version of the app than this one."""


def money(column: str, *, nullable: bool = False) -> str:
    """A CHECK that ``column`` is the text of a plain, unsigned decimal number."""
    check = (
        f"({column} <> '' AND {column} NOT GLOB '*[^0-9.]*' AND {column} GLOB '*[0-9]*'"
        f" AND {column} NOT GLOB '*.*.*')"
    )
    return f"CHECK ({column} IS NULL OR {check})" if nullable else f"CHECK {check}"


def no_code(column: str) -> str:
    """A CHECK that free text never holds something shaped like a coupon code."""
    return f"CHECK ({column} NOT GLOB '*CTX-*-????????-????????-????????-????????*')"


_OUTCOMES = "('pending', 'done', 'refused', 'unknown')"

#: The first schema, exactly as version 1 of the app wrote it.
V1: tuple[str, ...] = (
    f"""CREATE TABLE deposit_addresses (
        id INTEGER PRIMARY KEY,
        currency TEXT NOT NULL,
        address TEXT NOT NULL UNIQUE,
        got_at INTEGER NOT NULL,
        label TEXT NOT NULL DEFAULT '' {no_code('label')}
    )""",
    f"""CREATE TABLE deposits (
        id INTEGER PRIMARY KEY,
        currency TEXT NOT NULL,
        address TEXT NOT NULL REFERENCES deposit_addresses (address),
        txid TEXT NOT NULL CHECK (txid <> ''),
        amount TEXT NOT NULL {money('amount')},
        confirmations INTEGER NOT NULL CHECK (confirmations >= 0),
        seen_at INTEGER NOT NULL,
        credited_at INTEGER,
        UNIQUE (address, txid)
    )""",
    f"""CREATE TABLE withdrawals (
        id INTEGER PRIMARY KEY,
        begun_at INTEGER NOT NULL,
        currency TEXT NOT NULL,
        amount TEXT NOT NULL {money('amount')},
        address TEXT NOT NULL CHECK (address <> ''),
        label TEXT NOT NULL DEFAULT '' {no_code('label')},
        outcome TEXT NOT NULL CHECK (outcome IN {_OUTCOMES}),
        completed_at INTEGER,
        txid TEXT,
        confirmations INTEGER CHECK (confirmations IS NULL OR confirmations >= 0),
        CHECK ((outcome = 'pending') = (completed_at IS NULL))
    )""",
    f"""CREATE TABLE coupons_made (
        id INTEGER PRIMARY KEY,
        begun_at INTEGER NOT NULL,
        currency TEXT NOT NULL,
        amount TEXT NOT NULL {money('amount')},
        recipient TEXT NOT NULL DEFAULT '' {no_code('recipient')},
        outcome TEXT NOT NULL CHECK (outcome IN {_OUTCOMES}),
        held_for_review INTEGER NOT NULL DEFAULT 0 CHECK (held_for_review IN (0, 1)),
        code_kept_in_keychain INTEGER NOT NULL DEFAULT 0
            CHECK (code_kept_in_keychain IN (0, 1)),
        completed_at INTEGER,
        CHECK ((outcome = 'pending') = (completed_at IS NULL))
    )""",
    f"""CREATE TABLE coupons_redeemed (
        id INTEGER PRIMARY KEY,
        redeemed_at INTEGER NOT NULL,
        currency TEXT NOT NULL,
        amount TEXT NOT NULL {money('amount')}
    )""",
    f"""CREATE TABLE trades (
        transaction_id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        pair TEXT NOT NULL CHECK (pair GLOB '*_*'),
        type TEXT NOT NULL CHECK (type IN ('buy', 'sell')),
        price TEXT NOT NULL {money('price')},
        amount TEXT NOT NULL {money('amount')},
        buy_order_id INTEGER NOT NULL,
        sell_order_id INTEGER NOT NULL,
        is_instant_buy INTEGER NOT NULL CHECK (is_instant_buy IN (0, 1)),
        fee TEXT {money('fee', nullable=True)},
        fee_currency TEXT,
        CHECK ((fee IS NULL) = (fee_currency IS NULL))
    )""",
)

#: Version 2: labels move to their own table, keyed like BIP-329 (an address or a txid,
#: with its optional origin and spendable flag), so a transaction can be labelled too and
#: labels survive an export and import; and the indexes that "newest first" and the
#: address book read through.
V2: tuple[str, ...] = (
    f"""CREATE TABLE labels (
        kind TEXT NOT NULL CHECK (kind IN ('addr', 'tx')),
        ref TEXT NOT NULL CHECK (ref <> '') {no_code('ref')},
        label TEXT NOT NULL {no_code('label')},
        origin TEXT {no_code('origin')},
        spendable INTEGER CHECK (spendable IS NULL OR spendable IN (0, 1)),
        PRIMARY KEY (kind, ref)
    ) WITHOUT ROWID""",
    """INSERT OR REPLACE INTO labels (kind, ref, label)
        SELECT 'addr', address, label FROM deposit_addresses WHERE label <> ''""",
    # The newest withdrawal's label of an address wins, as the person last named it so.
    """INSERT OR REPLACE INTO labels (kind, ref, label)
        SELECT 'addr', address, label FROM withdrawals WHERE label <> '' ORDER BY id""",
    "ALTER TABLE deposit_addresses DROP COLUMN label",
    "ALTER TABLE withdrawals DROP COLUMN label",
    "CREATE INDEX deposits_by_time ON deposits (seen_at)",
    "CREATE INDEX withdrawals_by_time ON withdrawals (begun_at)",
    "CREATE INDEX withdrawals_by_address ON withdrawals (address)",
    "CREATE INDEX withdrawals_by_outcome ON withdrawals (outcome)",
    "CREATE INDEX coupons_made_by_time ON coupons_made (begun_at)",
    "CREATE INDEX coupons_made_by_outcome ON coupons_made (outcome)",
    "CREATE INDEX coupons_redeemed_by_time ON coupons_redeemed (redeemed_at)",
    "CREATE INDEX trades_by_time ON trades (at)",
    "CREATE INDEX deposit_addresses_by_currency ON deposit_addresses (currency, got_at)",
)

#: Step n turns version n-1 into version n (step 1 builds an empty file's first schema).
STEPS: tuple[tuple[str, ...], ...] = (V1, V2)
SCHEMA_VERSION = len(STEPS)


def version_of(conn: sqlite3.Connection) -> int:
    """The schema version the file says it has (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the file at ``conn`` (autocommit mode) up to ``target``; return the version it had.

    Each step is one ``BEGIN IMMEDIATE`` transaction, so a kill in the middle of a
    migration leaves the file at the version before it, ready to try again.
    """
    found = version_of(conn)
    if found > SCHEMA_VERSION:
        raise NewerJournalError(
            f"the journal was written by a newer version of Cryptex Desktop (schema {found})"
        )
    for version in range(found + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in STEPS[version - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return found
