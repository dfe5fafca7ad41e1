"""An amount to spend from the balance: the field, its currency, Max, and what is available.

Withdraw and Coupons both ask "how much of what you have?". This widget keeps the field's
limit, the Max button and the "Available: …" line in step with the shared wallet state, so
a screen only chooses the currency and reads :meth:`amount`.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cryptex_desktop.api.currencies import currency_decimals
from cryptex_desktop.api.money import quantize_down
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.formatting import spendable
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.amount_edit import AmountEdit
from cryptex_desktop.ui.widgets.documented_keys import MAX_KEYS, keep_documented_keys

AVAILABLE_TIP = N_(
    "What you can use now: your balance minus what open orders and coupons awaiting review "
    "keep reserved."
)


class SpendableAmount(QWidget):
    """``[ amount ] CUR [Max]`` over ``Available: 1.5 BTC``, limited to the free balance."""

    #: The amount field's text changed (typed, pasted, Max, or a new limit).
    changed = Signal()

    def __init__(
        self, wallet: WalletState, max_tooltip: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._wallet = wallet
        self._busy = False
        self.amount_edit = AmountEdit()
        self.amount_edit.setMinimumWidth(180)
        self.amount_edit.setMaximumWidth(320)  # a number, not a sentence: keep it near its unit
        self.unit_label = QLabel()
        self.max_button = QPushButton(_("Ma&x"))
        keep_documented_keys(self.max_button, MAX_KEYS)
        self.max_button.setToolTip(max_tooltip)
        self.max_button.setAutoDefault(False)
        self.max_button.setAccessibleName(_("Max"))
        self.max_button.setAccessibleDescription(max_tooltip)
        self.amount_edit.setAccessibleName(_("Amount"))
        self.available_label = QLabel()
        self.available_label.setToolTip(_(AVAILABLE_TIP))
        self.available_label.setAccessibleName(_("Available"))
        self.available_label.setAccessibleDescription(_(AVAILABLE_TIP))

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.amount_edit, 1)
        row.addWidget(self.unit_label)
        row.addWidget(self.max_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(row)
        layout.addWidget(self.available_label)
        self.setFocusProxy(self.amount_edit)

        self.amount_edit.textChanged.connect(self.changed)
        self.max_button.clicked.connect(self.fill_max)
        wallet.changed.connect(self.show_balance)

    def currency(self) -> str | None:
        """The currency of the amount."""
        return self.amount_edit.currency()

    def set_currency(self, code: str) -> None:
        """Ask for an amount of ``code``: its decimals, minimum, unit and balance."""
        self.amount_edit.set_currency(code)
        self.unit_label.setText(code)
        self.show_balance()

    def amount(self) -> Decimal | None:
        """The amount typed, or None while it is empty or has a problem."""
        return self.amount_edit.amount()

    def set_busy(self, busy: bool) -> None:
        """While the screen's action runs, the amount cannot change."""
        self._busy = busy
        self.amount_edit.setEnabled(not busy)
        self.show_balance()

    @Slot()
    def fill_max(self) -> None:
        """Everything available, rounded down to the currency's decimals."""
        code = self.currency()
        free = self._wallet.free_balance(code) if code else None
        if code is None or free is None:
            return
        self.amount_edit.set_amount(quantize_down(free, currency_decimals(code)))
        self.amount_edit.setFocus()

    @Slot()
    def show_balance(self) -> None:
        """Bring the limit, the Max button and the Available line up to date."""
        code = self.currency()
        free = self._wallet.free_balance(code) if code else None
        self.amount_edit.set_maximum(free)
        self.max_button.setEnabled(free is not None and not self._busy)
        if code is None or free is None:
            self.available_label.setText(_("Available: checking your balance…"))
        else:
            self.available_label.setText(_("Available: {amount} {currency}").format(
                amount=spendable(free, code), currency=code))
