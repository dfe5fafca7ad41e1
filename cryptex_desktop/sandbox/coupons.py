"""Coupons: money turned into a code one person gives another, redeemable exactly once.

Only the SHA-256 of a code is stored; the code itself exists in the creator's answer and
nowhere else, and no refusal or log line repeats it. A coupon above the currency's
moderation threshold gets no code: its amount is held (``send_to_moderation``) until the
operator, playing the exchange's staff, approves it (:func:`approve`: the code is made
then and handed to the operator once) or rejects it (:func:`reject`: the amount goes back
to the creator's free balance). Redeeming runs inside the request's ``BEGIN IMMEDIATE``
transaction, so of many simultaneous redeems of one code exactly one credits it.

Codes are drawn with :mod:`secrets` from an alphabet without look-alike characters (no
``0``, ``O``, ``1``, ``I``, ``l``), so a code read aloud or copied by hand comes out right.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import string
from datetime import UTC, datetime
from decimal import Decimal

from cryptex_desktop.api.money import money_context, to_wire

from . import accounts
from .markets import MarketPolicy
from .store import Refusal, Tx, amount_of, amount_text

#: Letters and digits without the look-alikes 0/O, 1/I/l: 57 characters.
CODE_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1Il")
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 8
CODE_PATTERN = re.compile(r"CTX-([A-Z]{3,})(?:-[A-Za-z0-9]{8}){4}")
SEND_TO_MODERATION = "send_to_moderation"

ACTIVE = "active"
MODERATION = "moderation"
REDEEMED = "redeemed"
#: Not stored: a rejected coupon is deleted once its amount is back with its creator.
REJECTED = "rejected"

# A coupon as the operator sees it: who made it and for whom, by name.
_LISTING = (
    "SELECT c.id, c.creator_id, creator.username AS creator, c.currency, c.amount,"
    " recipient.username AS recipient, c.created, c.status FROM coupons c"
    " JOIN accounts creator ON creator.id = c.creator_id"
    " LEFT JOIN accounts recipient ON recipient.id = c.recipient_id"
)


def new_code(currency: str) -> str:
    """A fresh code ``CTX-CUR-xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx`` (186 random bits)."""
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


def list_coupons(tx: Tx, *, held_only: bool = False) -> list[dict[str, object]]:
    """Every coupon (or only those held for moderation), oldest first, as the CLI prints them.

    Each is ``{id, creator, currency, amount, recipient, created, status}``: ``recipient``
    is a user name or ``None``, ``created`` ISO 8601 in UTC, ``status`` one of
    ``moderation``, ``active`` (redeemable) or ``redeemed``. No code is shown: none is kept.
    """
    where = " WHERE c.status = ?" if held_only else ""
    values: tuple[object, ...] = (MODERATION,) if held_only else ()
    # ``where`` is one fixed string; the status itself is bound.
    rows = tx.execute(f"{_LISTING}{where} ORDER BY c.id", values).fetchall()
    return [_listed(row) for row in rows]


def approve(tx: Tx, coupon_id: int) -> dict[str, object]:
    """Release a held coupon: make its code now and return it with the coupon, once.

    ``ValueError`` with a sentence when there is no such coupon or it is not held.
    Only the code's digest is stored, as for any coupon: whoever approves must hand it on.
    """
    row = _held(tx, coupon_id, "approve")
    while True:
        code = new_code(row["currency"])
        try:
            tx.execute(
                "UPDATE coupons SET code_sha256 = ?, status = ? WHERE id = ? AND status = ?",
                (code_digest(code), ACTIVE, coupon_id, MODERATION),
            )
        except sqlite3.IntegrityError:
            continue  # 186 random bits colliding with another code: draw again
        break
    approved = _listed(row)
    approved["status"] = ACTIVE
    approved["code"] = code
    return approved


def reject(tx: Tx, coupon_id: int) -> dict[str, object]:
    """Turn a held coupon down: its amount returns to the creator's free balance.

    The coupon is deleted (it never had a code); the result describes it as it was, with
    ``status`` ``rejected``. ``ValueError`` with a sentence when it is not held.
    """
    row = _held(tx, coupon_id, "reject")
    accounts.credit(tx, row["creator_id"], row["currency"], amount_of(row["amount"]))
    tx.execute("DELETE FROM coupons WHERE id = ? AND status = ?", (coupon_id, MODERATION))
    rejected = _listed(row)
    rejected["status"] = REJECTED
    return rejected


def _held(tx: Tx, coupon_id: int, action: str) -> sqlite3.Row:
    """The coupon ``coupon_id`` if it is held for moderation; a sentence saying why not."""
    row = tx.execute(f"{_LISTING} WHERE c.id = ?", (coupon_id,)).fetchone()
    if row is None:
        raise ValueError(
            f"there is no coupon {coupon_id}; cryptex-sandbox coupon list shows them"
        )
    if row["status"] != MODERATION:
        state = "already redeemed" if row["status"] == REDEEMED else "already redeemable"
        raise ValueError(
            f"cannot {action} coupon {coupon_id}: it is not held for moderation ({state})"
        )
    return row


def _listed(row: sqlite3.Row) -> dict[str, object]:
    created = datetime.fromtimestamp(row["created"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "id": row["id"],
        "creator": row["creator"],
        "currency": row["currency"],
        "amount": to_wire(amount_of(row["amount"])),
        "recipient": row["recipient"],
        "created": created,
        "status": row["status"],
    }


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
