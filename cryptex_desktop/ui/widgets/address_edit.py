"""A field for a cryptocurrency address, checked (format and checksum) as the person types.

The checking is :mod:`cryptex_desktop.api.addresses`' job; this field shows its sentences, in a
monospace font so that look-alike characters (0/O, l/1) can be told apart. Given a list of
saved destinations (:meth:`AddressEdit.offer_destinations`), it offers those whose name or
address holds what is typed; choosing one (mouse, or arrows and Enter) puts its address in.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from cryptex_desktop.api.addresses import InvalidAddress, check_safe_to_send, normalize_address
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.widgets.fonts import monospace_font


class AddressEdit(QLineEdit):
    """An address field for one currency; :meth:`address` is set only when the address is valid.

    ``addressChanged`` carries :meth:`address` (``str`` or ``None``) after every edit and
    when the currency changes.
    """

    addressChanged = Signal(object)
    #: A saved destination was chosen from the suggestions (its model index's row data).
    destinationChosen = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None, currency: str | None = None) -> None:
        super().__init__(parent)
        self._currency: str | None = None
        self.setFont(monospace_font())
        self.setAccessibleName(_("Address"))
        self.setMaxLength(200)  # the longest real address is 90 characters (bech32)
        self.textChanged.connect(self._on_text_changed)
        self.suggestions: QCompleter | None = None
        self._popup: QAbstractItemView | None = None
        self._address_role = int(Qt.ItemDataRole.EditRole)
        self.set_currency(currency)

    def offer_destinations(self, model: QAbstractItemModel, address_role: int) -> None:
        """Suggest the rows of ``model`` as the person types; a chosen row's ``address_role``
        goes in the field.

        The completer is not the field's own (``setCompleter``): that would put the row's
        whole text, name included, in the field; this one puts the address only.
        """
        completer = QCompleter(model, self)
        completer.setWidget(self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(8)
        popup = completer.popup()
        assert popup is not None  # a completer always makes its list
        popup.setAccessibleName(_("Addresses you sent to before"))
        popup.setFont(monospace_font())  # the addresses in it are read character by character
        popup.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a cut address keeps its end
        completer.activated.connect(self._on_chosen)
        self.suggestions = completer
        self._popup = popup
        self._address_role = address_role
        self.textEdited.connect(self._suggest)

    def is_suggesting(self) -> bool:
        """Whether the list of saved destinations is open under the field."""
        return self._popup is not None and self._popup.isVisible()

    def suggest_all(self) -> None:
        """Open the list of saved destinations that match what is typed (all when empty)."""
        self._suggest(self.text(), show_all=True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Down arrow opens the saved destinations, as in a combo box."""
        if event.key() == Qt.Key.Key_Down and not self.is_suggesting() and self.suggestions:
            self.suggest_all()
            return
        super().keyPressEvent(event)

    def _suggest(self, text: str, show_all: bool = False) -> None:
        completer, popup = self.suggestions, self._popup
        if completer is None or popup is None:
            return
        typed = text.strip()
        if not typed and not show_all:
            popup.hide()
            return
        completer.setCompletionPrefix(typed)
        offered = completer.completionModel()
        only = offered.index(0, 0).data(self._address_role) if offered.rowCount() == 1 else None
        if offered.rowCount() == 0 or (only is not None and only == typed):
            popup.hide()  # nothing to offer, or exactly what is there already
            return
        completer.complete()

    def _on_chosen(self, text: str) -> None:
        """A row chosen: found by its text in the model (one row per destination)."""
        model = self.suggestions.model() if self.suggestions is not None else None
        if model is None:
            return
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            address = index.data(self._address_role)
            if index.data() == text and isinstance(address, str):
                self.setText(address)
                self.destinationChosen.emit(index)
                return

    def set_currency(self, code: str | None) -> None:
        """Check addresses for ``code`` (e.g. ``"BTC"``) from now on."""
        self._currency = code or None
        name = CURRENCIES[code].name if code in CURRENCIES else code
        self.setPlaceholderText(
            _("Paste the {name} address here").format(name=name) if name else ""
        )
        self.addressChanged.emit(self.address())

    def currency(self) -> str | None:
        """The currency addresses are checked for."""
        return self._currency

    def address(self) -> str | None:
        """The address as it should be sent (stripped, bech32 in small letters), when valid."""
        if self._currency is None or not self.text().strip():
            return None
        if self.problem() is not None:
            return None
        return normalize_address(self._currency, self.text())

    def problem(self) -> str | None:
        """A sentence telling the person what is wrong with the address, or ``None``."""
        if self._currency is None:
            return _("Choose a currency first.")
        if not self.text().strip():
            return _("Enter the address to send to; copy and paste it rather than typing it.")
        try:
            check_safe_to_send(self._currency, self.text())  # the address money goes to
        except InvalidAddress as error:
            return str(error)
        return None

    def _on_text_changed(self, _text: str) -> None:
        self.addressChanged.emit(self.address())
