"""The wallet's table of unconfirmed transactions: deposits coming in, withdrawals going out.

The exchange lists them per currency with an id that is unique within the currency, so a
row is keyed by ``(currency, id)``. Confirmations grow with every block; a refresh updates
those rows in place and removes the ones the exchange no longer lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt

from cryptex_desktop.api.types import Transaction
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.formatting import (
    currency_name,
    exact_amount,
    format_amount,
    format_datetime,
    format_datetime_long,
)
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row, Tone, filter_tag

DATE, CURRENCY, DIRECTION, AMOUNT, CONFIRMATIONS, ADDRESS, TXID = range(7)

#: A transaction id longer than this shows as its start and end around an ellipsis.
ELIDE_LONGER_THAN = 20
_SHOWN_ENDS = 8

_INCOMING = N_("Incoming")
_OUTGOING = N_("Outgoing")


def elided_txid(txid: str) -> str:
    """``"a1b2c3d4…e5f6a7b8"`` for a long id: enough to recognise it, short enough to fit."""
    if len(txid) <= ELIDE_LONGER_THAN:
        return txid
    return f"{txid[:_SHOWN_ENDS]}…{txid[-_SHOWN_ENDS:]}"


class TransactionsModel(KeyedTableModel[Transaction]):
    """Date, Currency, Direction, Amount, Confirmations, Address and Transaction id.

    Deposits have positive amounts and show as Incoming (green), withdrawals negative and
    Outgoing (red). :meth:`update` shows exactly the transactions given.
    """

    COLUMNS = (
        Column(N_("Date"), N_("When the exchange first saw the transaction, in your local time.")),
        Column(N_("Currency"), N_("The currency moving.")),
        Column(
            N_("Direction"),
            N_("Incoming: a deposit to your account. Outgoing: a withdrawal you made."),
        ),
        Column(N_("Amount"), N_("How much moves: plus for a deposit, minus for a withdrawal."),
               True),
        Column(
            N_("Confirmations"),
            N_(
                "How many blocks have been mined on top of the transaction. The exchange credits "
                "a deposit once it has enough of them."
            ),
            True,
        ),
        Column(N_("Address"), N_("The address the money goes to.")),
        Column(
            N_("Transaction id"),
            N_("The transaction's id on the currency's network, shortened here. To have all of "
              "it, select the row and press Ctrl+C: the whole id is copied."),
        ),
    )
    TONED_COLUMNS = frozenset({DIRECTION, AMOUNT})
    DEFAULT_SORT = (DATE, Qt.SortOrder.DescendingOrder)

    def key_of(self, record: Transaction) -> tuple[str, int]:
        """A transaction is known by its currency and its id within that currency."""
        return (record.currency, record.id)

    def row_for(self, record: Transaction) -> Row[Transaction]:
        """Date, currency, direction, signed amount, confirmations, address and short id."""
        incoming = record.is_incoming
        direction = "incoming" if incoming else "outgoing"
        cells = (
            format_datetime(record.timestamp),
            record.currency,
            _(_INCOMING if incoming else _OUTGOING),
            format_amount(record.amount, record.currency, sign=True),
            str(record.confirmations),
            record.address,
            elided_txid(record.txid),
        )
        sort_keys = (
            record.timestamp,
            record.currency,
            direction,
            record.amount,
            record.confirmations,
            record.address,
            record.txid,
        )
        tag = filter_tag(direction=direction, currencies=(record.currency,))
        return Row((record.currency, record.id), record, cells, sort_keys, tag)

    def tooltip(self, record: Transaction, column: int) -> str | None:
        """The full time, the currency's name, what the direction means, the full id."""
        if column == DATE:
            return format_datetime_long(record.timestamp)
        if column == CURRENCY:
            return currency_name(record.currency)
        if column == DIRECTION:
            if record.is_incoming:
                return _("A deposit on its way in; it is credited after enough confirmations.")
            return _("A withdrawal on its way out to the address shown.")
        if column == AMOUNT:
            return f"{exact_amount(record.amount)} {record.currency}"
        if column == ADDRESS:
            return record.address or None
        if column == TXID:
            return record.txid or _("No transaction id yet.")
        return None

    def copy_text(self, record: Transaction, column: int) -> str | None:
        """Copy gives the whole transaction id, not the shortened one shown."""
        return record.txid if column == TXID else None

    def tone(self, record: Transaction) -> Tone:
        """Green for incoming, red for outgoing."""
        return Tone.POSITIVE if record.is_incoming else Tone.NEGATIVE

    def update(self, transactions: Iterable[Transaction]) -> None:
        """Show exactly ``transactions``: confirmations update in place, gone ones go."""
        self.set_records(transactions)
