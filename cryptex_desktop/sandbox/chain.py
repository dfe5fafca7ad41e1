"""A simulated blockchain: deposit addresses, incoming and outgoing transactions, blocks.

Nothing leaves the machine. A deposit is an incoming transaction to an address the
sandbox issued; each mined block gives every pending transaction one confirmation, and
a deposit that reaches its currency's threshold (``markets.CONFIRMATIONS_NEEDED``) is
credited. A withdrawal takes its amount from the free balance at once, then confirms the
same way and leaves the unconfirmed list at the threshold.
"""

from __future__ import annotations

import secrets
import sqlite3
from decimal import Decimal

from cryptex_desktop.api import addresses
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import decimals_of, money_context, to_wire

from . import accounts
from .markets import confirmations_needed
from .store import Refusal, Tx, amount_of, amount_text

PENDING = 0
CREDITED = 1
#: UnconfirmedTransactions answers with at most this many transactions.
MAX_UNCONFIRMED = 1000
#: ``mine`` refuses more blocks than this in one call.
MAX_BLOCKS_PER_CALL = 10_000


def issue_address(tx: Tx, account_id: int, currency: str, now: int) -> str:
    """A fresh deposit address of ``currency`` for this account (crypto only)."""
    known = CURRENCIES.get(currency)
    if known is None:
        raise Refusal(f"unknown currency: {currency}")
    if not known.is_crypto or not addresses.supports_addresses(currency):
        raise Refusal(f"no deposit addresses for fiat currency {currency}")
    while True:
        address = addresses.new_address(currency)
        try:
            tx.execute(
                "INSERT INTO addresses (address, account_id, currency, created) "
                "VALUES (?, ?, ?, ?)",
                (address, account_id, currency, now),
            )
        except sqlite3.IntegrityError:
            continue  # 160 random bits colliding: try another
        return address


def _find_address(tx: Tx, address: str) -> sqlite3.Row | None:
    text = address.strip()
    for candidate in (text, text.lower()):
        row = tx.execute("SELECT * FROM addresses WHERE address = ?", (candidate,)).fetchone()
        if row is not None:
            return row
    return None


def deposit(tx: Tx, address: str, amount: Decimal, now: int) -> str:
    """An incoming transaction of ``amount`` to an issued address; returns its txid.

    ``ValueError`` with a sentence for an unknown address or an impossible amount.
    """
    row = _find_address(tx, address)
    if row is None:
        raise ValueError(
            f"unknown address: {address.strip()[:100]} was not issued by this sandbox "
            "(GetNewAddress issues deposit addresses)"
        )
    currency = CURRENCIES[row["currency"]]
    if amount <= 0:
        raise ValueError("a deposit amount must be greater than 0")
    if decimals_of(amount) > currency.decimals:
        raise ValueError(
            f"too many decimals: {currency.code} amounts have at most {currency.decimals} decimals"
        )
    txid = secrets.token_hex(32)
    tx.execute(
        "INSERT INTO chain_txs (txid, account_id, currency, address, direction, amount,"
        " confirmations, status, created) VALUES (?, ?, ?, ?, 'deposit', ?, 0, 0, ?)",
        (txid, row["account_id"], currency.code, row["address"], amount_text(amount), now),
    )
    return txid


def withdraw(
    tx: Tx, account_id: int, currency: str, amount: Decimal, address: str, now: int
) -> str:
    """Send ``amount`` to an outside ``address``: debited now, confirms block by block.

    ``currency`` must be a known crypto currency and ``address`` already valid for it.
    """
    accounts.debit(tx, account_id, currency, amount)
    txid = secrets.token_hex(32)
    tx.execute(
        "INSERT INTO chain_txs (txid, account_id, currency, address, direction, amount,"
        " confirmations, status, created) VALUES (?, ?, ?, ?, 'withdrawal', ?, 0, 0, ?)",
        (txid, account_id, currency, address, amount_text(amount), now),
    )
    return txid


def height(tx: Tx) -> int:
    """The number of blocks mined so far."""
    return int(tx.execute("SELECT COALESCE(MAX(height), 0) FROM blocks").fetchone()[0])


def mine(tx: Tx, blocks: int, now: int) -> dict[str, object]:
    """Mine ``blocks`` blocks: confirm pending transactions and credit deposits that are due.

    Returns ``{"height", "blocks", "credited": [txid...], "confirmed_withdrawals": [txid...]}``.
    """
    if not 1 <= blocks <= MAX_BLOCKS_PER_CALL:
        raise ValueError(f"the number of blocks must be from 1 to {MAX_BLOCKS_PER_CALL}")
    top = height(tx)
    credited: list[str] = []
    confirmed: list[str] = []
    for _ in range(blocks):
        top += 1
        tx.execute(
            "INSERT INTO blocks (height, hash, created) VALUES (?, ?, ?)",
            (top, secrets.token_hex(32), now),
        )
        tx.execute("UPDATE chain_txs SET confirmations = confirmations + 1 WHERE status = 0")
        for code in CURRENCIES:
            due = tx.execute(
                "SELECT id, txid, account_id, direction, amount FROM chain_txs "
                "WHERE status = 0 AND currency = ? AND confirmations >= ? ORDER BY id",
                (code, confirmations_needed(code)),
            ).fetchall()
            for row in due:
                if row["direction"] == "deposit":
                    accounts.credit(tx, row["account_id"], code, amount_of(row["amount"]))
                    credited.append(row["txid"])
                else:
                    confirmed.append(row["txid"])
                tx.execute("UPDATE chain_txs SET status = 1 WHERE id = ?", (row["id"],))
    return {
        "height": top,
        "blocks": blocks,
        "credited": credited,
        "confirmed_withdrawals": confirmed,
    }


def deposit_info(tx: Tx, account_id: int, address: str) -> dict[str, object]:
    """The latest deposit to one of this account's addresses."""
    row = _find_address(tx, address)
    if row is None or row["account_id"] != account_id:
        raise Refusal("unknown address")
    latest = tx.execute(
        "SELECT * FROM chain_txs WHERE address = ? AND direction = 'deposit' "
        "ORDER BY id DESC LIMIT 1",
        (row["address"],),
    ).fetchone()
    if latest is None:
        raise Refusal("no deposit to this address yet")
    return {
        "status": latest["status"],
        "amount": to_wire(amount_of(latest["amount"])),
        "confirmations": latest["confirmations"],
        "txid": latest["txid"],
    }


def unconfirmed(
    tx: Tx, account_id: int, currencies: list[str], descending: bool = True
) -> dict[str, list[dict[str, object]]]:
    """This account's pending transactions of ``currencies``: the latest 1000, then sorted.

    Every currency asked for that has a blockchain gets a key, with an empty list if need be.
    """
    wanted = [c for c in currencies if CURRENCIES[c].is_crypto]
    result: dict[str, list[dict[str, object]]] = {code: [] for code in wanted}
    if not wanted:
        return result
    marks = ", ".join("?" for _ in wanted)
    # ``marks`` is only question marks; the currencies themselves are bound.
    rows = tx.execute(
        f"SELECT * FROM chain_txs WHERE account_id = ? AND status = 0 AND currency IN ({marks}) "  # noqa: S608
        "ORDER BY created DESC, id DESC LIMIT ?",
        (account_id, *wanted, MAX_UNCONFIRMED),
    ).fetchall()
    if not descending:
        rows.reverse()
    for row in rows:
        amount = amount_of(row["amount"])
        result[row["currency"]].append(
            {
                "id": row["id"],
                "address": row["address"],
                "txid": row["txid"],
                "amount": to_wire(amount if row["direction"] == "deposit" else -amount),
                "confirmations": row["confirmations"],
                "timestamp": row["created"],
            }
        )
    return result


def credited_deposits(tx: Tx) -> dict[str, Decimal]:
    """Everything deposits have brought in, per currency (for the audit)."""
    totals = {code: Decimal(0) for code in CURRENCIES}
    rows = tx.execute(
        "SELECT currency, amount FROM chain_txs WHERE direction = 'deposit' AND status = 1"
    )
    with money_context():
        for row in rows:
            totals[row["currency"]] += amount_of(row["amount"])
    return totals


def withdrawn(tx: Tx) -> dict[str, Decimal]:
    """Everything withdrawals have taken out, confirmed or not, per currency (for the audit)."""
    totals = {code: Decimal(0) for code in CURRENCIES}
    rows = tx.execute("SELECT currency, amount FROM chain_txs WHERE direction = 'withdrawal'")
    with money_context():
        for row in rows:
            totals[row["currency"]] += amount_of(row["amount"])
    return totals
