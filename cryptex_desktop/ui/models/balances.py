"""The balances table: per currency, what is free to use, what is reserved, the total, and
what it is worth in the currency the person picked (an estimate from the markets' last prices).

The exchange reports the free amounts (``Info``) and, when asked, the totals including what
open orders and coupons awaiting review hold (``Info with_reserves``). The reserved amount is
their difference. Known currencies come first, in the app's usual order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QObject, Qt

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.market import Ticker
from cryptex_desktop.api.money import money_context
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.formatting import (
    currency_name,
    exact_amount,
    format_amount,
    format_money,
    spendable,
)
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row, filter_tag
from cryptex_desktop.ui.valuation import VALUE_CURRENCIES, no_value_reason, value_of

CURRENCY, AVAILABLE, RESERVED, TOTAL, VALUE = range(5)

#: The mark before an estimated value.
ESTIMATE = "≈"

#: The sort key of an amount the exchange has not told: below every real amount.
UNKNOWN_AMOUNT = Decimal("-Infinity")

_RANKS = {code: rank for rank, code in enumerate(CURRENCIES)}


@dataclass(frozen=True)
class Balance:
    """One currency's money: ``available`` to use now and, when known, the ``total``."""

    currency: str
    available: Decimal
    total: Decimal | None = None
    #: What it is worth in ``value_currency`` (None: not known; ``value_note`` says why).
    value: Decimal | None = None
    value_currency: str = ""
    value_note: str = ""

    @property
    def held(self) -> Decimal:
        """Everything in the account when the total is known, else what is available."""
        return self.available if self.total is None else self.total

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
        Column(N_("Currency"), N_("The currency, by name and code.")),
        Column(
            N_("Available"),
            N_("What you can use now for orders, withdrawals and coupons (rounded down)."),
            True,
        ),
        Column(N_("Reserved"), N_("In open orders and coupons awaiting review."), True),
        Column(N_("Total"), N_("Available plus reserved: everything in your account."), True),
        Column(N_("Value"), N_("About what the total is worth in the currency you chose, from "
                             "the markets' latest prices."), True),
    )
    DEFAULT_SORT = (CURRENCY, Qt.SortOrder.AscendingOrder)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tickers: dict[str, Ticker] | None = None
        self._target = VALUE_CURRENCIES[0]

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
            value_text(record),
        )
        sort_keys = (
            _RANKS.get(code, len(_RANKS)),
            record.available,
            UNKNOWN_AMOUNT if reserved is None else reserved,
            UNKNOWN_AMOUNT if total is None else total,
            UNKNOWN_AMOUNT if record.value is None else record.value,
        )
        return Row(code, record, cells, sort_keys, filter_tag(currencies=(code,)))

    def tooltip(self, record: Balance, column: int) -> str | None:
        """The exact amount where the display rounds it; why a value is not known."""
        if column == VALUE:
            if not record.value_currency:
                return _("Market prices have not arrived yet.")
            return record.value_note or None
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
            self._valued(Balance(
                code,
                free.get(code, Decimal(0)),
                None if total is None else total.get(code),
            ))
            for code in codes
        )

    def set_valuation(self, tickers: Mapping[str, Ticker] | None, target: str) -> None:
        """Value every balance in ``target`` at ``tickers``' last prices (None: not known yet)."""
        self._tickers = None if tickers is None else dict(tickers)
        self._target = target
        self.set_records(self._valued(record) for record in self.records())

    @property
    def value_currency(self) -> str:
        """The currency values are shown in."""
        return self._target

    def total_value(self) -> Decimal | None:
        """The sum of the values that are known (None before any price has arrived)."""
        if self._tickers is None:
            return None
        with money_context():
            return sum((r.value for r in self.records() if r.value is not None), Decimal(0))

    def unvalued(self) -> list[str]:
        """The currencies (with money in them) whose value cannot be estimated."""
        return [r.currency for r in self.records() if r.value is None and r.held != 0
                and self._tickers is not None]

    def _valued(self, record: Balance) -> Balance:
        target, tickers = self._target, self._tickers
        if tickers is None:
            return Balance(record.currency, record.available, record.total)
        value = value_of(record.held, record.currency, target, tickers)
        note = "" if value is not None else no_value_reason(record.currency, target, tickers)
        return Balance(record.currency, record.available, record.total, value, target, note)

    def balance(self, currency: str) -> Balance | None:
        """The balance of ``currency``, or None when the exchange has not reported it."""
        row = self.row_of(currency)
        return None if row is None else self.record_at(row)


def value_text(record: Balance) -> str:
    """"≈ 6,515.00 USD"; the amount itself in its own currency; "—" when it cannot be told."""
    if not record.value_currency:
        return ""  # no prices yet
    if record.value is None:
        return "—" if record.value_note and record.held != 0 else ""
    if record.currency == record.value_currency:
        return format_money(record.value, record.value_currency)
    return f"{ESTIMATE} {format_money(record.value, record.value_currency)}"
