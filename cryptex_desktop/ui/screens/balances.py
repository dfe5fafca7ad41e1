"""Balances: what the account holds per currency, free to use and reserved, and open orders."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.models import BalancesModel
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.labels import heading_label
from cryptex_desktop.ui.widgets.record_table import record_table


class BalancesScreen(QWidget):
    """A table of balances fed by the shared :class:`WalletState`."""

    NAME = "balances"
    TITLE = _("Balances")
    TOOLTIP = _("How much of each currency you have, and how much is free to use")

    def __init__(self, wallet: WalletState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wallet = wallet
        self.model = BalancesModel(self)

        heading = heading_label(_("Your balances"))

        explanation = QLabel(_(
            "“Available” is yours to trade, withdraw or turn into a coupon. “Reserved” is held "
            "for your open orders and for coupons awaiting review; it comes back if you cancel."
        ))
        explanation.setWordWrap(True)

        self.table = record_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )

        self.orders_label = QLabel()
        self.placeholder = QLabel(_("Loading your balances…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.orders_label)

        wallet.changed.connect(self._show)
        self._show()

    def refresh(self) -> None:
        """Balances come from the shared wallet state, which refreshes on its own timer."""
        self._wallet.refresh()

    @Slot()
    def _show(self) -> None:
        wallet = self._wallet
        self.placeholder.setVisible(not wallet.known)
        self.table.setVisible(wallet.known)
        if not wallet.known:
            self.model.update({}, {})
            self.orders_label.clear()
            return
        self.model.update(wallet.free, wallet.total)
        count = wallet.open_orders
        self.orders_label.setText(
            _("You have no open orders.") if count == 0 else
            _("You have 1 open order.") if count == 1 else
            _("You have {n} open orders.").format(n=count)
        )
