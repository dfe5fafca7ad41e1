"""The Deposit screen's list of addresses: every address got for a coin, newest first.

Each row is one address with the name the person gave it, when it was got, the last deposit
seen on it (amount and date) and how far that deposit is: "2 of 3 confirmations", or
"credited". The rows are built from the journal (:func:`address_rows`), read on its lane.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.i18n import N_, _, _n
from cryptex_desktop.journal import DepositAddressRecord, DepositRecord
from cryptex_desktop.ui.formatting import (
    exact_amount,
    format_datetime,
    format_datetime_long,
    format_money,
)
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row

NAME, ADDRESS, LAST_DEPOSIT, CONFIRMATIONS = range(4)


@dataclass(frozen=True)
class DepositAddressRow:
    """One deposit address, its name, and the last deposit seen on it (None if none yet)."""

    currency: str
    address: str
    got_at: datetime
    label: str = ""
    last_deposit: DepositRecord | None = None


def address_rows(addresses: Iterable[DepositAddressRecord],
                 deposits: Iterable[DepositRecord]) -> list[DepositAddressRow]:
    """Each address with the newest deposit seen on it (``deposits`` come newest first)."""
    latest: dict[str, DepositRecord] = {}
    for deposit in deposits:
        latest.setdefault(deposit.address, deposit)
    return [
        DepositAddressRow(a.currency, a.address, a.got_at, a.label, latest.get(a.address))
        for a in addresses
    ]


def progress_text(deposit: DepositRecord | None) -> str:
    """``"2 of 3 confirmations"``, ``"credited"``, or ``""`` when nothing arrived yet."""
    if deposit is None:
        return ""
    if deposit.credited_at is not None:
        return _("credited")
    rule = CURRENCIES.get(deposit.currency)
    if rule is None or not rule.confirmations:
        return _n("{count} confirmation", "{count} confirmations",
                  deposit.confirmations).format(count=deposit.confirmations)
    # Translators: the plural follows the number needed: "2 of 3 confirmations".
    return _n("{got} of {count} confirmation", "{got} of {count} confirmations",
              rule.confirmations).format(got=min(deposit.confirmations, rule.confirmations),
                                         count=rule.confirmations)


def last_deposit_text(deposit: DepositRecord | None) -> str:
    """``"0.25000000 BTC, 2026-11-30 20:31"``; ``"nothing yet"`` before the first deposit."""
    if deposit is None:
        return _("nothing yet")
    return _("{amount}, {when}").format(
        amount=format_money(deposit.amount, deposit.currency),
        when=format_datetime(deposit.seen_at))


class DepositAddressesModel(KeyedTableModel[DepositAddressRow]):
    """Name, Address, Last deposit and Confirmations of each deposit address, newest first."""

    COLUMNS = (
        Column(N_("Name"), N_("The name you gave the address, to tell your addresses apart.")),
        Column(N_("Address"), N_("The deposit address, the newest first. Older addresses keep "
                               "working.")),
        Column(N_("Last deposit"), N_("The last amount seen arriving at the address, and when.")),
        Column(
            N_("Confirmations"),
            N_("How many blocks have been mined on top of the last deposit, of the number the "
              "exchange waits for; credited once it is in your balance."),
        ),
    )
    #: Newest first: the Address column sorts by when each address was got.
    DEFAULT_SORT = (ADDRESS, Qt.SortOrder.DescendingOrder)

    def key_of(self, record: DepositAddressRow) -> str:
        """An address is its own key."""
        return record.address

    def row_for(self, record: DepositAddressRow) -> Row[DepositAddressRow]:
        """The name, the address, its last deposit and how far that is."""
        deposit = record.last_deposit
        cells = (
            record.label,
            record.address,
            last_deposit_text(deposit),
            progress_text(deposit),
        )
        sort_keys = (
            record.label.casefold(),
            record.got_at,
            deposit.seen_at if deposit is not None else record.got_at,
            _progress_key(deposit),
        )
        return Row(record.address, record, cells, sort_keys)

    def tooltip(self, record: DepositAddressRow, column: int) -> str | None:
        """The whole name and address, the full times, the exact amount."""
        if column == NAME:
            return record.label or _("No name yet: choose the address and give it one above.")
        if column == ADDRESS:
            return _("{address}\nGot on {when}").format(
                address=record.address, when=format_datetime_long(record.got_at))
        deposit = record.last_deposit
        if column == LAST_DEPOSIT and deposit is not None:
            return _("{amount} {currency}, first seen {when}").format(
                amount=exact_amount(deposit.amount), currency=deposit.currency,
                when=format_datetime_long(deposit.seen_at))
        return None

    def update(self, rows: Iterable[DepositAddressRow]) -> None:
        """Show exactly ``rows``: changed names and deposits update in place."""
        self.set_records(rows)


def _progress_key(deposit: DepositRecord | None) -> tuple[int, int]:
    if deposit is None:
        return (0, 0)
    return (2, 0) if deposit.credited_at is not None else (1, deposit.confirmations)
