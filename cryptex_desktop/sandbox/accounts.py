"""Accounts of the sandbox: users, their API key, the signature and nonce check, balances.

Each account has exactly one API key. A request is authentic when its ``Sign`` header is
``HMAC_SHA256(secret, str(nonce) + username + key)`` and its nonce is greater than the
last nonce accepted for that key; :func:`authenticate` checks both and records the nonce.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import money_context, to_wire
from cryptex_desktop.api.signing import Credentials, sign, signatures_match

from .store import Refusal, Tx, amount_of, amount_text

#: What ``cryptex-sandbox user add`` prints when no server has recorded its url yet.
DEFAULT_URL = "http://127.0.0.1:8765/api/v1"

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
NONCE = re.compile(r"^[0-9]{1,19}$")
MAX_NONCE = 2**63 - 1


@dataclass(frozen=True)
class Account:
    """A sandbox login: what the app needs to sign requests. Key and secret stay out of repr."""

    username: str
    key: str = field(repr=False)
    secret: str = field(repr=False)

    def as_json(self, url: str = DEFAULT_URL) -> str:
        """The one-line JSON ``{"url", "username", "key", "secret"}`` the CLI prints."""
        return json.dumps(
            {"url": url, "username": self.username, "key": self.key, "secret": self.secret}
        )

    def credentials(self) -> Credentials:
        """The same login as the client's :class:`~cryptex_desktop.api.signing.Credentials`."""
        return Credentials(self.username, self.key, self.secret)


@dataclass(frozen=True)
class Caller:
    """The account an authenticated request acts for."""

    account_id: int
    username: str


def check_username(username: str) -> None:
    """Raise ``ValueError`` with a sentence unless ``username`` is a valid new user name."""
    if not isinstance(username, str) or not USERNAME.match(username):
        raise ValueError(
            "a user name has 1 to 32 letters, digits, '.', '_' or '-' and starts with a "
            "letter or digit"
        )


def create_account(tx: Tx, username: str, kind: str, now: int) -> tuple[int, Account]:
    """Insert an account with a fresh API key and zero balances; ``ValueError`` if taken."""
    if tx.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
        raise ValueError(f"the user {username} already exists")
    account_id = tx.execute(
        "INSERT INTO accounts (username, kind, created) VALUES (?, ?, ?)",
        (username, kind, now),
    ).lastrowid
    assert account_id is not None
    key = secrets.token_hex(16).upper()
    secret = secrets.token_hex(32)
    tx.execute(
        "INSERT INTO api_keys (key, account_id, secret) VALUES (?, ?, ?)",
        (key, account_id, secret),
    )
    tx.executemany(
        "INSERT INTO balances (account_id, currency, free) VALUES (?, ?, '0')",
        [(account_id, code) for code in CURRENCIES],
    )
    return account_id, Account(username, key, secret)


def find_account(tx: Tx, username: str, kind: str | None = None) -> tuple[int, Account] | None:
    """The id and login of an account by name (of one ``kind`` if given), or ``None``."""
    row = tx.execute(
        "SELECT a.id, a.kind, k.key, k.secret FROM accounts a "
        "JOIN api_keys k ON k.account_id = a.id WHERE a.username = ?",
        (username,),
    ).fetchone()
    if row is None or (kind is not None and row["kind"] != kind):
        return None
    return int(row["id"]), Account(username, row["key"], row["secret"])


def find_user_id(tx: Tx, username: str) -> int | None:
    """The id of a person's account (not the market maker's or the fee account)."""
    found = find_account(tx, username, kind="user")
    return None if found is None else found[0]


def fund(tx: Tx, account_id: int, amounts: dict[str, Decimal], reason: str, now: int) -> None:
    """Give an account money from outside the exchange, recorded so audits can balance."""
    for currency, amount in amounts.items():
        if currency not in CURRENCIES:
            raise ValueError(f"unknown currency: {currency}")
        if amount < 0:
            raise ValueError("a funding must not be negative")
        if amount == 0:
            continue
        tx.execute(
            "INSERT INTO fundings (account_id, currency, amount, reason, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (account_id, currency, amount_text(amount), reason, now),
        )
        credit(tx, account_id, currency, amount)


def authenticate(tx: Tx, key: str | None, signature: str | None, nonce_text: str | None) -> Caller:
    """Check key, signature and nonce; record the nonce. Refuses with the contract's words.

    Call it inside the request's transaction, before the operation's savepoint, so the
    nonce stays used even when the operation itself is then refused.
    """
    if not key:
        raise Refusal("missing key header")
    if not signature:
        raise Refusal("missing sign header")
    row = tx.execute(
        "SELECT k.account_id, k.secret, k.last_nonce, a.username FROM api_keys k "
        "JOIN accounts a ON a.id = k.account_id WHERE k.key = ?",
        (key,),
    ).fetchone()
    if row is None:
        raise Refusal("invalid api key")
    if nonce_text is None or nonce_text == "":
        raise Refusal("missing parameter: nonce")
    if not NONCE.match(nonce_text) or int(nonce_text) > MAX_NONCE:
        raise Refusal("malformed parameter: nonce (a whole number from 0 to 2**63-1)")
    nonce = int(nonce_text)
    expected = sign(row["secret"], nonce, row["username"], key)
    if not signatures_match(expected, signature):
        raise Refusal("invalid signature")
    last = int(row["last_nonce"])
    if nonce <= last:
        raise Refusal(f"invalid nonce: sent {nonce}, must be greater than {last}")
    tx.execute("UPDATE api_keys SET last_nonce = ? WHERE key = ?", (nonce, key))
    return Caller(int(row["account_id"]), str(row["username"]))


def free_balance(tx: Tx, account_id: int, currency: str) -> Decimal:
    """What an account can spend of one currency."""
    row = tx.execute(
        "SELECT free FROM balances WHERE account_id = ? AND currency = ?",
        (account_id, currency),
    ).fetchone()
    return Decimal(0) if row is None else amount_of(row["free"])


def _set_free(tx: Tx, account_id: int, currency: str, amount: Decimal) -> None:
    tx.execute(
        "INSERT INTO balances (account_id, currency, free) VALUES (?, ?, ?) "
        "ON CONFLICT (account_id, currency) DO UPDATE SET free = excluded.free",
        (account_id, currency, amount_text(amount)),
    )


def credit(tx: Tx, account_id: int, currency: str, amount: Decimal) -> None:
    """Add ``amount`` to an account's free balance."""
    if amount < 0:
        raise ValueError("a credit must not be negative")
    if amount == 0:
        return
    with money_context():
        _set_free(tx, account_id, currency, free_balance(tx, account_id, currency) + amount)


def debit(tx: Tx, account_id: int, currency: str, amount: Decimal) -> None:
    """Take ``amount`` from an account's free balance; refuse if there is not enough."""
    if amount < 0:
        raise ValueError("a debit must not be negative")
    available = free_balance(tx, account_id, currency)
    if amount > available:
        raise Refusal(
            f"insufficient funds: need {to_wire(amount)} {currency}, "
            f"{to_wire(available)} {currency} available"
        )
    with money_context():
        _set_free(tx, account_id, currency, available - amount)


def free_balances(tx: Tx, account_id: int) -> dict[str, Decimal]:
    """Every currency's free balance of an account, zero included."""
    balances = {code: Decimal(0) for code in CURRENCIES}
    for row in tx.execute(
        "SELECT currency, free FROM balances WHERE account_id = ?", (account_id,)
    ):
        balances[row["currency"]] = amount_of(row["free"])
    return balances
