"""The Activity table: every money movement the journal remembers, newest first.

Rows are :class:`~cryptex_desktop.journal.ActivityEntry` records keyed by their kind and
record id (a trade and its fee share a transaction id, not a kind). Display text and sort
keys are computed once per row, as in every :class:`KeyedTableModel`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt

from cryptex_desktop.i18n import _
from cryptex_desktop.journal import ActivityEntry, ActivityKind
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
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row, Tone, filter_tag

DATE, KIND, CURRENCY, AMOUNT, FEE, DETAILS, LABEL = range(7)

# Sorts a row without a fee below every fee: a fee is never negative.
_NO_FEE_KEY = Decimal(-1)


def kind_word(kind: ActivityKind) -> str:
    """What a kind of entry is called on screen."""
    return {
        ActivityKind.DEPOSIT: _("Deposit"),
        ActivityKind.WITHDRAWAL: _("Withdrawal"),
        ActivityKind.TRADE: _("Trade"),
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


class ActivityModel(KeyedTableModel[ActivityEntry]):
    """Date, Kind, Currency, Amount (signed), Fee, Details and Label of each money movement."""

    COLUMNS = (
        Column(_("Date"), _("When it happened, in your local time.")),
        Column(_("Kind"), _("Deposit, withdrawal, trade, fee, or a coupon made or redeemed.")),
        Column(_("Currency"), _("The currency that moved.")),
        Column(_("Amount"), _("Plus: came into your account. Minus: left it."), True),
        Column(_("Fee"), _("What the exchange kept, for a trade."), True),
        Column(_("Details"), _("Where the money went or came from, and its state.")),
        Column(_("Label"), _("The name you gave the address or transaction.")),
    )
    TONED_COLUMNS = frozenset({AMOUNT})
    DEFAULT_SORT = (DATE, Qt.SortOrder.DescendingOrder)
    RECORDS_NEVER_CHANGE = False

    def key_of(self, record: ActivityEntry) -> tuple[str, int]:
        """An entry is known by its kind and the id of its record in that kind's table."""
        return (record.kind.value, record.record_id)

    def row_for(self, record: ActivityEntry) -> Row[ActivityEntry]:
        """One entry as shown, with its sort keys."""
        return self.rows_for((record,))[0]

    def rows_for(self, records: Sequence[ActivityEntry]) -> list[Row[ActivityEntry]]:
        """The rows of many entries: display text and sort keys made once here.

        Touches no Qt object, so a screen builds them on the journal's lane. What depends
        only on the kind or the currency is worked out once per batch, not once per row.
        """
        kinds = {kind: kind_word(kind) for kind in ActivityKind}
        convention = number_convention()
        places: dict[str, int] = {}
        tags: dict[str, str] = {}
        # Details depend only on these fields, which many entries share (every fee of a market).
        details_of: dict[tuple[object, ...], str] = {}
        rows: list[Row[ActivityEntry]] = []
        append = rows.append
        for entry in records:
            fee = entry.fee
            currency = entry.currency
            decimals = places.get(currency)
            if decimals is None:
                decimals = places[currency] = currency_decimals(currency)
            fee_currency = entry.fee_currency
            if fee is None or fee_currency is None:
                fee_text = ""
            else:
                fee_places = places.get(fee_currency)
                if fee_places is None:
                    fee_places = places[fee_currency] = currency_decimals(fee_currency)
                fee_text = f"{number_text(fee, fee_places, convention=convention)} {fee_currency}"
            kind = kinds[entry.kind]
            facts = (entry.kind, entry.description, entry.status, entry.price)
            details = details_of.get(facts)
            if details is None:
                details = details_of[facts] = details_text(entry)
            cells = (
                format_datetime(entry.time),
                kind,
                currency,
                number_text(entry.amount, decimals, sign=True, convention=convention),
                fee_text,
                details,
                entry.label,
            )
            sort_keys = (
                # A trade and its fee share a moment and a record: newest first puts the trade
                # above its fee, every time (a tie would leave it to the order rows came in).
                (entry.time, entry.record_id, entry.kind is not ActivityKind.FEE),
                kind,
                currency,
                entry.amount,
                _NO_FEE_KEY if fee is None else fee,
                details,
                entry.label,
            )
            tag = tags.get(currency)
            if tag is None:
                tag = tags[currency] = filter_tag(currencies=(currency,))
            append(Row((entry.kind.value, entry.record_id), entry, cells, sort_keys, tag))
        return rows

    def tooltip(self, record: ActivityEntry, column: int) -> str | None:
        """The full time, the currency's name, the exact amount."""
        if column == DATE:
            return format_datetime_long(record.time)
        if column == CURRENCY:
            return currency_name(record.currency)
        if column == AMOUNT:
            return f"{exact_amount(record.amount)} {record.currency}"
        if column == DETAILS:
            return details_text(record)
        return None

    def tone(self, record: ActivityEntry) -> Tone:
        """Green for money in, red for money out."""
        return Tone.POSITIVE if record.amount > 0 else Tone.NEGATIVE
