"""The Withdraw screen's address book: destinations money was sent to, with their names.

The journal keeps them (:meth:`~cryptex_desktop.journal.Journal.address_book`); the screen
reads them on the journal's lane and hands them to :class:`AddressBookModel`, which lists
those of one coin for the address field's suggestions and answers, without asking the
journal again, whether an address was sent to before and by what name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from cryptex_desktop.journal import AddressBookEntry

#: The address of a row (what choosing the suggestion puts in the field).
ADDRESS_ROLE = Qt.ItemDataRole.UserRole + 1
#: The name of a row ("" when it has none).
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2


def destination_text(entry: AddressBookEntry) -> str:
    """How a destination is offered: ``Savings — bc1q…``, or the address alone when unnamed."""
    return f"{entry.label} — {entry.address}" if entry.label else entry.address


def short_address(address: str) -> str:
    """An address cut to its ends (``bc1qar0s…5mdq``), beside a name that says which it is."""
    return address if len(address) <= 16 else f"{address[:8]}…{address[-4:]}"


class AddressBookModel(QAbstractListModel):
    """The destinations of one coin, most recently used first, as suggestion rows.

    It keeps every coin's destinations, so :meth:`is_known` and :meth:`label_of` answer for
    any address; :attr:`loaded` is false until the journal's first answer came (before that,
    nothing can be said of whether an address is new).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[AddressBookEntry] = []
        self._labels: dict[str, str] = {}
        self._currency = ""
        self._rows: list[AddressBookEntry] = []
        self.loaded = False

    # -- what the screen gives and asks ---------------------------------------------------

    def set_entries(self, entries: Iterable[AddressBookEntry]) -> None:
        """Everything the journal's address book holds now, every coin's."""
        self._all = list(entries)
        self._labels = {entry.address: entry.label for entry in self._all}
        self.loaded = True
        self._refilter()

    def forget(self) -> None:
        """Another account: its destinations are not this one's."""
        self._all, self._labels, self.loaded = [], {}, False
        self._refilter()

    def note_sent(self, currency: str, address: str, label: str) -> None:
        """A withdrawal just went: known at once, before the journal's next answer."""
        if address in self._labels:
            if label:
                self._labels[address] = label
            return
        self._labels[address] = label
        self._all.insert(0, _new_entry(currency, address, label))
        self._refilter()

    def set_currency(self, currency: str) -> None:
        """List the destinations of ``currency`` only."""
        if currency != self._currency:
            self._currency = currency
            self._refilter()

    def is_known(self, address: str) -> bool:
        """Whether money was sent to ``address`` before."""
        return address in self._labels

    def label_of(self, address: str) -> str:
        """The name ``address`` was saved with ("" when none, or never sent to)."""
        return self._labels.get(address, "")

    def entries(self) -> list[AddressBookEntry]:
        """The rows listed now (the chosen coin's)."""
        return list(self._rows)

    # -- the Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return destination_text(entry)
        if role == ADDRESS_ROLE:
            return entry.address
        if role == LABEL_ROLE:
            return entry.label
        return None

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [entry for entry in self._all if entry.currency == self._currency]
        self.endResetModel()


def _new_entry(currency: str, address: str, label: str) -> AddressBookEntry:
    return AddressBookEntry(address, currency, label, 1, datetime.now(UTC))
