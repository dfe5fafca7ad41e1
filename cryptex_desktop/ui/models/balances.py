"""The balances table: per currency, what is free to use, what is reserved, and the total.

The exchange reports the free amounts (``Info``) and, when asked, the totals including what
open orders and coupons awaiting review hold (``Info with_reserves``). The reserved amount is
their difference. Known currencies come first, in the app's usual order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import money_context
from cryptex_desktop.ui.formatting import currency_name, exact_amount, format_amount, spendable
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row, filter_tag

CURRENCY, AVAILABLE, RESERVED, TOTAL = range(4)

#: The sort key of an amount the exchange has not told: below every real amount.
UNKNOWN_AMOUNT = Decimal("-Infinity")

_RANKS = {code: rank for rank, code in enumerate(CURRENCIES)}


@dataclass(frozen=True)
class Balance:
    """One currency's money: ``available`` to use now and, when known, the ``total``."""

    currency: str
    available: Decimal
    total: Decimal | None = None

    @property
    def reserved(self) -> Decimal | None:
        """What open orders and coupons awaiting review hold; None when the total is unknown.

        Never below zero: two answers of the exchange a moment apart can disagree slightly.
        """
        if self.total is None:
            return None
        with money_context():
            return max(self.total - self.available, Decimal(0))


class BalancesModel(KeyedTableModel[Balance]):
    """Currency, Available, Reserved and Total, one row per currency.

    :meth:`update` takes the free amounts and, if known, the totals; without totals the
    Reserved and Total cells are blank rather than a guess.
    """

    COLUMNS = (
        Column(_("Currency"), _("The currency, by name and code.")),
        Column(
            _("Available"),
            _("What you can use now for orders, withdrawals and coupons (rounded down)."),
            True,
        ),
        Column(_("Reserved"), _("In open orders and coupons awaiting review."), True),
        Column(_("Total"), _("Available plus reserved: everything in your account."), True),
    )
    DEFAULT_SORT = (CURRENCY, Qt.SortOrder.AscendingOrder)

    def key_of(self, record: Balance) -> str:
        """A balance is known by its currency code."""
        return record.currency

    def row_for(self, record: Balance) -> Row[Balance]:
        """The code, the spendable amount, and the reserved and total amounts if known."""
        code = record.currency
        reserved = record.reserved
        total = record.total
        name = currency_name(code)
        cells = (
            f"{name} ({code})" if name != code else code,
            spendable(record.available, code),
            "" if reserved is None else format_amount(reserved, code),
            "" if total is None else format_amount(total, code),
        )
        sort_keys = (
            _RANKS.get(code, len(_RANKS)),
            record.available,
            UNKNOWN_AMOUNT if reserved is None else reserved,
            UNKNOWN_AMOUNT if total is None else total,
        )
        return Row(code, record, cells, sort_keys, filter_tag(currencies=(code,)))

    def tooltip(self, record: Balance, column: int) -> str | None:
        """The exact amount where the display rounds it."""
        amounts = {AVAILABLE: record.available, RESERVED: record.reserved, TOTAL: record.total}
        if column not in amounts:
            return None
        amount = amounts[column]
        if amount is None:
            return _("Not known yet: the exchange has only said what is available.")
        return f"{exact_amount(amount)} {record.currency}"

    def update(
        self, free: Mapping[str, Decimal], total: Mapping[str, Decimal] | None = None
    ) -> None:
        """Show ``free`` amounts per currency and, when known, the ``total`` amounts.

        A currency only in ``total`` has nothing free; with ``total`` None the totals are
        unknown, and Reserved and Total show blank.
        """
        codes = dict.fromkeys([*free, *(total or {})])
        self.set_records(
            Balance(
                code,
                free.get(code, Decimal(0)),
                None if total is None else total.get(code),
            )
            for code in codes
        )

    def balance(self, currency: str) -> Balance | None:
        """The balance of ``currency``, or None when the exchange has not reported it."""
        row = self.row_of(currency)
        return None if row is None else self.record_at(row)
