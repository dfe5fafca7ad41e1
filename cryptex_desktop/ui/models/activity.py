"""The Activity table: every money movement the journal remembers, newest first.

A list of 100,000 entries must be ready in a fraction of a second, so the table's rows are
the journal's plain activity rows themselves (:meth:`Journal.activity_rows`), with no wrapper
made for each: a row's key is the entry's key the journal gives in its last column (its record
id and kind in one int: a trade and its fee share a transaction id, not a kind). A cell's text
is made in ``data()`` the first time it is painted (and kept), the sort value of a column other
than the date when someone sorts by it, and the currency's filter tag when a filter asks. The
journal gives the whole list already in the table's date order.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from cryptex_desktop.i18n import N_, _, _p
from cryptex_desktop.journal import ActivityEntry, ActivityKind, ActivityRow, activity_entry
from cryptex_desktop.journal.store import moment
from cryptex_desktop.ui.formatting import (
    currency_decimals,
    currency_name,
    exact_amount,
    format_datetime,
    format_datetime_long,
    format_price,
    number_convention,
    number_text,
    pair_text,
)
from cryptex_desktop.ui.models.keyed_table import (
    COPY_ROLE,
    FILTER_ROLE,
    RECORD_ROLE,
    SORT_ROLE,
    Column,
    KeyedTableModel,
    Row,
    Tone,
    filter_tag,
)

DATE, KIND, CURRENCY, AMOUNT, FEE, DETAILS, LABEL = range(7)

# Sorts a row without a fee below every fee: a fee is never negative.
_NO_FEE_KEY = Decimal(-1)


def kind_word(kind: ActivityKind) -> str:
    """What a kind of entry is called on screen."""
    return {
        ActivityKind.DEPOSIT: _("Deposit"),
        ActivityKind.WITHDRAWAL: _("Withdrawal"),
        ActivityKind.TRADE: _p("activity kind", "Trade"),  # not the Trade tab's word
        ActivityKind.FEE: _("Fee"),
        ActivityKind.COUPON_MADE: _("Coupon made"),
        ActivityKind.COUPON_REDEEMED: _("Coupon redeemed"),
    }[ActivityKind(kind)]


def status_words(entry: ActivityEntry) -> str:
    """The entry's state in words ("" when there is nothing to add to the amount)."""
    words = {
        "pending": _("being checked"),
        "unknown": _("outcome not known yet"),
        "refused": _("not carried out"),
        "waiting": _("waiting for confirmations"),
        "held_for_review": _("held for a manual check"),
    }
    return words.get(entry.status, "")


def details_text(entry: ActivityEntry) -> str:
    """What the entry was, in a few words: where money went or came from, and its state."""
    kind = entry.kind
    if kind == ActivityKind.DEPOSIT:
        text = _("To your address {address}").format(address=entry.description)
    elif kind == ActivityKind.WITHDRAWAL:
        text = _("To {address}").format(address=entry.description)
    elif kind == ActivityKind.TRADE:
        market = pair_text(entry.description)
        price = "" if entry.price is None else format_price(entry.price, entry.description)
        text = (_("Bought on {market} at {price}") if entry.status == "buy"
                else _("Sold on {market} at {price}")).format(market=market, price=price)
    elif kind == ActivityKind.FEE:
        text = _("Fee of a trade on {market}").format(market=pair_text(entry.description))
    elif kind == ActivityKind.COUPON_MADE:
        text = (_("For {name}").format(name=entry.description) if entry.description
                else _("For anyone with the code"))
    else:
        text = _("Added to your balance")
    state = status_words(entry)
    return f"{text} ({state})" if state else text


# data() is called for every painted cell: plain ints compare fastest.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_COPY = int(COPY_ROLE)
_SORT = int(SORT_ROLE)
_RECORD = int(RECORD_ROLE)
_FILTER = int(FILTER_ROLE)
# Positions in an activity row (see cryptex_desktop.journal.ACTIVITY_COLUMNS).
_AT, _KIND, _CURRENCY, _AMOUNT, _FEE, _FEE_CURRENCY, _DESCRIPTION, _LABEL = range(8)
_RECORD_ID, _PRICE, _KEY = 9, 14, 15


def _itself(row: ActivityRow) -> ActivityRow:
    """A row of this table is its record."""
    return row


@functools.cache
def _currency_tag(currency: str) -> str:
    return filter_tag(currencies=(currency,))


def _date_key(row: ActivityRow) -> tuple[int, int, bool]:
    """Newest first puts a trade above its fee: they share a moment and a record."""
    return (row[_AT], row[_RECORD_ID], row[_KIND] != "fee")


def _fee_key(row: ActivityRow) -> Decimal:
    fee = row[_FEE]
    return _NO_FEE_KEY if fee is None else Decimal(fee)


class ActivityModel(KeyedTableModel[ActivityRow]):
    """Date, Kind, Currency, Amount (signed), Fee, Details and Label of each money movement.

    A row's record is the journal's tuple; :meth:`entry_at` and ``RECORD_ROLE`` give the
    :class:`ActivityEntry` it stands for.
    """

    COLUMNS = (
        Column(N_("Date"), N_("When it happened, in your local time.")),
        Column(N_("Kind"), N_("Deposit, withdrawal, trade, fee, or a coupon made or redeemed.")),
        Column(N_("Currency"), N_("The currency that moved.")),
        Column(N_("Amount"), N_("Plus: came into your account. Minus: left it."), True),
        Column(N_("Fee"), N_("What the exchange kept, for a trade."), True),
        Column(N_("Details"), N_("Where the money went or came from, and its state.")),
        Column(N_("Label"), N_("The name you gave the address or transaction.")),
    )
    TONED_COLUMNS = frozenset({AMOUNT})
    DEFAULT_SORT = (DATE, Qt.SortOrder.DescendingOrder)
    RECORDS_NEVER_CHANGE = False
    # A row is the journal's row: its key is in it, and it is its own record.
    row_key = staticmethod(operator.itemgetter(_KEY))
    row_record = staticmethod(_itself)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A row's cells once painted, by key, with the record they were made from.
        self._cells: dict[int, tuple[ActivityRow, tuple[str, ...]]] = {}
        # Details depend only on these fields, which many entries share (every fee of a market).
        self._details: dict[tuple[Any, ...], str] = {}

    def key_of(self, record: ActivityRow) -> int:
        """The entry's key, as the journal gives it."""
        return int(record[_KEY])

    def row_for(self, record: ActivityRow) -> Row[ActivityRow]:
        """One entry as a row: the journal's row itself."""
        return self.rows_for((record,))[0]

    def rows_for(self, records: Sequence[ActivityRow]) -> list[Row[ActivityRow]]:
        """The rows of many entries: the journal's rows, as they are (no text is made)."""
        return cast("list[Row[ActivityRow]]", list(records))

    def filter_tag_at(self, row: int) -> str:
        """The currency's tag, made when a filtering proxy asks (Activity's proxy does not)."""
        return _currency_tag(self.record_at(row)[_CURRENCY])

    def entry_at(self, row: int) -> ActivityEntry:
        """The entry shown in ``row``; ``IndexError`` when there is no such row."""
        return activity_entry(self.record_at(row))

    def entries(self) -> list[ActivityEntry]:
        """Every entry, in the order shown."""
        return [activity_entry(record) for record in self.records()]

    # -- what is shown, made when first asked ------------------------------------------------

    def cells_of(self, record: ActivityRow) -> tuple[str, ...]:
        """The display text of ``record``'s row, made the first time it is asked for."""
        key = self.key_of(record)
        cached = self._cells.get(key)
        if cached is not None and cached[0] is record:
            return cached[1]
        convention = number_convention()
        currency = record[_CURRENCY]
        fee, fee_currency = record[_FEE], record[_FEE_CURRENCY]
        fee_text = "" if fee is None or fee_currency is None else (
            f"{number_text(Decimal(fee), currency_decimals(fee_currency), convention=convention)}"
            f" {fee_currency}")
        cells = (
            format_datetime(moment(record[_AT])),
            kind_word(ActivityKind(record[_KIND])),
            currency,
            number_text(Decimal(record[_AMOUNT]), currency_decimals(currency), sign=True,
                        convention=convention),
            fee_text,
            self._details_of(record),
            record[_LABEL],
        )
        self._cells[key] = (record, cells)
        return cells

    def _details_of(self, record: ActivityRow) -> str:
        facts = (record[_KIND], record[_DESCRIPTION], record[8], record[_PRICE])
        details = self._details.get(facts)
        if details is None:
            details = self._details[facts] = details_text(activity_entry(record))
        return details

    def sort_key_of(self, column: int) -> Callable[[Any], Any]:
        """The date's value is made from the row as needed; the others' when sorted by."""
        if column == DATE:
            return _date_key
        if column == KIND:
            words = {kind.value: kind_word(kind) for kind in ActivityKind}
            return lambda row: words[row[_KIND]]
        if column == CURRENCY:
            return lambda row: row[_CURRENCY]
        if column == AMOUNT:
            return lambda row: Decimal(row[_AMOUNT])
        if column == FEE:
            return _fee_key
        if column == DETAILS:
            return lambda row: self._details_of(row)
        return lambda row: row[_LABEL]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if role in (_DISPLAY, _COPY):
            number = index.row()
            if not 0 <= number < len(self._rows):
                return None
            return self.cells_of(self.record_at(number))[index.column()]
        if role == _FILTER:
            number = index.row()
            return self.filter_tag_at(number) if 0 <= number < len(self._rows) else None
        if role in (_RECORD, _SORT):
            number = index.row()
            if not 0 <= number < len(self._rows):
                return None
            row = self._rows[number]
            if role == _RECORD:
                return activity_entry(self.record_at(number))
            return self.sort_key_of(index.column())(row)
        return super().data(index, role)

    def clear(self) -> None:
        """Empty the table, and forget the text made for its rows."""
        self._cells = {}
        self._details = {}
        super().clear()

    def tooltip(self, record: ActivityRow, column: int) -> str | None:
        """The full time, the currency's name, the exact amount, the whole details and label."""
        if column == LABEL:
            return record[_LABEL] or None
        if column == DATE:
            return format_datetime_long(moment(record[_AT]))
        if column == CURRENCY:
            return currency_name(record[_CURRENCY])
        if column == AMOUNT:
            return f"{exact_amount(Decimal(record[_AMOUNT]))} {record[_CURRENCY]}"
        if column == DETAILS:
            return self._details_of(record)
        return None

    def tone(self, record: ActivityRow) -> Tone:
        """Green for money in, red for money out."""
        return Tone.POSITIVE if Decimal(record[_AMOUNT]) > 0 else Tone.NEGATIVE
