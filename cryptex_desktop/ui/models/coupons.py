"""The Coupons tab's two lists: the coupons this account made, and the ones it redeemed.

Rows come from the journal (:meth:`~cryptex_desktop.journal.Journal.coupons_made` and
:meth:`~cryptex_desktop.journal.Journal.coupons_redeemed`); no code is ever in a row, only
whether the OS keychain keeps it so that "Show code" can find it again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from cryptex_desktop.i18n import N_, _
from cryptex_desktop.journal import CouponCreatedRecord, CouponRedeemedRecord, Outcome
from cryptex_desktop.ui.formatting import (
    exact_amount,
    format_datetime,
    format_datetime_long,
    format_money,
)
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row, filter_tag

# The recipient last: it takes the room left over (and shortens) on a small window.
MADE_DATE, MADE_AMOUNT, MADE_STATUS, MADE_CODE, MADE_RECIPIENT = range(5)
REDEEMED_DATE, REDEEMED_AMOUNT = range(2)


def coupon_status(record: CouponCreatedRecord) -> str:
    """What became of a made coupon, in words."""
    if record.outcome is Outcome.DONE:
        return _("Held for review") if record.held_for_review else _("Issued")
    return _({
        Outcome.PENDING: N_("Being checked"),
        Outcome.UNKNOWN: N_("Not known yet"),
        Outcome.REFUSED: N_("Not made"),
    }[record.outcome])


def has_code(record: CouponCreatedRecord) -> bool:
    """Whether the exchange gave a code for this coupon (made, and not held for review)."""
    return record.outcome is Outcome.DONE and not record.held_for_review


def code_words(record: CouponCreatedRecord, keychain_works: bool) -> str:
    """Where the code is: in the keychain (Show code can show it) or with the person only."""
    if not has_code(record):
        return ""
    if record.code_kept_in_keychain:
        return _("Kept in your keychain")
    return _("Code not kept") if keychain_works else _("Code not kept (no keychain)")


class CouponsMadeModel(KeyedTableModel[CouponCreatedRecord]):
    """Date, Amount, Recipient, Status and Code of each coupon this account made."""

    COLUMNS = (
        Column(N_("Date"), N_("When you made the coupon, in your local time.")),
        Column(N_("Amount"), N_("What the coupon is worth."), True),
        Column(N_("Status"), N_(
            "Issued: the code exists. Held for review: Cryptex checks it by hand before the "
            "code is issued. Not known yet: the exchange's answer was lost; look at your "
            "balance and the Activity tab.")),
        Column(N_("Code"), N_(
            "Kept in your keychain: select the coupon and press Show code to see it again. "
            "Not kept: it was shown once, and only you have it.")),
        Column(N_("Recipient"), N_("The only Cryptex user who may redeem it, if you named one.")),
    )
    DEFAULT_SORT = (MADE_DATE, Qt.SortOrder.DescendingOrder)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keychain_works = True

    def set_keychain_works(self, works: bool) -> None:
        """Whether a keychain works now (it changes what a code not kept is said to be)."""
        self._keychain_works = works

    def key_of(self, record: CouponCreatedRecord) -> int:
        """A made coupon is known by its id in the journal."""
        return record.id

    def row_for(self, record: CouponCreatedRecord) -> Row[CouponCreatedRecord]:
        """One coupon as shown, with its sort keys."""
        recipient = record.recipient or _("Anyone with the code")
        status = coupon_status(record)
        code = code_words(record, self._keychain_works)
        cells = (
            format_datetime(record.begun_at),
            format_money(record.amount, record.currency),
            status,
            code,
            recipient,
        )
        sort_keys = ((record.begun_at, record.id), (record.currency, record.amount), status,
                     code, recipient)
        return Row(record.id, record, cells, sort_keys, filter_tag(currencies=(record.currency,)))

    def tooltip(self, record: CouponCreatedRecord, column: int) -> str | None:
        """The full time and the exact amount."""
        if column == MADE_DATE:
            return format_datetime_long(record.begun_at)
        if column == MADE_AMOUNT:
            return f"{exact_amount(record.amount)} {record.currency}"
        if column == MADE_RECIPIENT:
            return record.recipient or _("Anyone with the code")
        return None


class CouponsRedeemedModel(KeyedTableModel[CouponRedeemedRecord]):
    """Date and Amount of each coupon redeemed into this account."""

    COLUMNS = (
        Column(N_("Date"), N_("When you redeemed the coupon, in your local time.")),
        Column(N_("Amount"), N_("What it added to your balance."), True),
    )
    DEFAULT_SORT = (REDEEMED_DATE, Qt.SortOrder.DescendingOrder)

    def key_of(self, record: CouponRedeemedRecord) -> int:
        """A redeemed coupon is known by its id in the journal."""
        return record.id

    def row_for(self, record: CouponRedeemedRecord) -> Row[CouponRedeemedRecord]:
        """One redeemed coupon as shown, with its sort keys."""
        cells = (format_datetime(record.redeemed_at),
                 format_money(record.amount, record.currency))
        sort_keys = ((record.redeemed_at, record.id), (record.currency, record.amount))
        return Row(record.id, record, cells, sort_keys, filter_tag(currencies=(record.currency,)))

    def tooltip(self, record: CouponRedeemedRecord, column: int) -> str | None:
        """The full time and the exact amount."""
        if column == REDEEMED_DATE:
            return format_datetime_long(record.redeemed_at)
        if column == REDEEMED_AMOUNT:
            return f"{exact_amount(record.amount)} {record.currency}"
        return None
