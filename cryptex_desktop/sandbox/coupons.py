"""Coupons: money turned into a code one person gives another, redeemable exactly once.

Only the SHA-256 of a code is stored; the code itself exists in the creator's answer and
nowhere else, and no refusal or log line repeats it. A coupon above the currency's
moderation threshold gets no code: its amount is held (``send_to_moderation``). Redeeming
runs inside the request's ``BEGIN IMMEDIATE`` transaction, so of many simultaneous
redeems of one code exactly one credits it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from decimal import Decimal

from cryptex_desktop.api.money import money_context, to_wire

from . import accounts
from .markets import MarketPolicy
from .store import Refusal, Tx, amount_of, amount_text

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 8
CODE_PATTERN = re.compile(r"CTX-([A-Z]{3,})(?:-[A-Za-z0-9]{8}){4}")
SEND_TO_MODERATION = "send_to_moderation"

ACTIVE = "active"
MODERATION = "moderation"
REDEEMED = "redeemed"


def new_code(currency: str) -> str:
    """A fresh code ``CTX-CUR-xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx`` (190 random bits)."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(("CTX", currency, *groups))


def code_digest(code: str) -> str:
    """What the database keeps of a code."""
    return hashlib.sha256(code.encode()).hexdigest()


def create(
    tx: Tx,
    account_id: int,
    currency: str,
    amount: Decimal,
    recipient_id: int | None,
    policy: MarketPolicy,
    now: int,
) -> dict[str, str] | str:
    """Take ``amount`` from the free balance into a coupon: ``{amount, code}`` or held.

    ``currency``, ``amount`` and the recipient must already be valid (the API layer checks).
    """
    accounts.debit(tx, account_id, currency, amount)
    threshold = policy.moderation_threshold(currency)
    if threshold is not None and amount > threshold:
        tx.execute(
            "INSERT INTO coupons (code_sha256, currency, amount, creator_id, recipient_id,"
            " status, created) VALUES (NULL, ?, ?, ?, ?, ?, ?)",
            (currency, amount_text(amount), account_id, recipient_id, MODERATION, now),
        )
        return SEND_TO_MODERATION
    code = new_code(currency)
    tx.execute(
        "INSERT INTO coupons (code_sha256, currency, amount, creator_id, recipient_id,"
        " status, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (code_digest(code), currency, amount_text(amount), account_id, recipient_id, ACTIVE, now),
    )
    return {"amount": to_wire(amount), "code": code}


def check_code_format(code: str) -> None:
    """Refuse anything that is not shaped like a coupon code, without repeating it."""
    if not CODE_PATTERN.fullmatch(code):
        raise Refusal(
            "malformed parameter: code (a coupon code reads CTX-, the currency, then four "
            "groups of 8 letters or digits separated by -)"
        )


def redeem(tx: Tx, account_id: int, code: str, now: int) -> dict[str, str]:
    """Credit a coupon to this account, once; ``{amount}``."""
    check_code_format(code)
    row = tx.execute(
        "SELECT id, currency, amount, recipient_id, status FROM coupons WHERE code_sha256 = ?",
        (code_digest(code),),
    ).fetchone()
    if row is None:
        raise Refusal("unknown coupon")
    if row["status"] == REDEEMED:
        raise Refusal("coupon already redeemed")
    if row["recipient_id"] is not None and row["recipient_id"] != account_id:
        raise Refusal("coupon is for another user")
    amount = amount_of(row["amount"])
    accounts.credit(tx, account_id, row["currency"], amount)
    tx.execute(
        "UPDATE coupons SET status = ?, redeemer_id = ?, redeemed = ? WHERE id = ? AND status = ?",
        (REDEEMED, account_id, now, row["id"], ACTIVE),
    )
    return {"amount": to_wire(amount)}


def held_for_moderation(tx: Tx, account_id: int) -> dict[str, Decimal]:
    """What this account's coupons waiting for moderation hold, per currency."""
    return _sum(tx, "SELECT currency, amount FROM coupons WHERE creator_id = ? AND status = ?",
                (account_id, MODERATION))


def outstanding(tx: Tx) -> dict[str, Decimal]:
    """What all unredeemed coupons hold, per currency (for the audit)."""
    return _sum(tx, "SELECT currency, amount FROM coupons WHERE status IN (?, ?)",
                (ACTIVE, MODERATION))


def _sum(tx: Tx, query: str, values: tuple[object, ...]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    rows = tx.execute(query, values)
    with money_context():
        for row in rows:
            totals[row["currency"]] = totals.get(row["currency"], Decimal(0)) + amount_of(
                row["amount"]
            )
    return totals
