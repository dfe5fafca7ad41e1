"""A field for a cryptocurrency address, checked (format and checksum) as the person types.

The checking is :mod:`cryptex_desktop.api.addresses`' job; this field shows its sentences, in a
monospace font so that look-alike characters (0/O, l/1) can be told apart.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from cryptex_desktop.api.addresses import InvalidAddress, check_safe_to_send, normalize_address
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.widgets.fonts import monospace_font


class AddressEdit(QLineEdit):
    """An address field for one currency; :meth:`address` is set only when the address is valid.

    ``addressChanged`` carries :meth:`address` (``str`` or ``None``) after every edit and
    when the currency changes.
    """

    addressChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, currency: str | None = None) -> None:
        super().__init__(parent)
        self._currency: str | None = None
        self.setFont(monospace_font())
        self.setAccessibleName(_("Address"))
        self.setMaxLength(200)  # the longest real address is 90 characters (bech32)
        self.textChanged.connect(self._on_text_changed)
        self.set_currency(currency)

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
