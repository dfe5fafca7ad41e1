"""Balances: what the account holds per currency, free to use and reserved, and open orders."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QWidget

from cryptex_desktop.ui.dispatcher import Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.models import BalancesModel
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.record_list import RecordList

#: The balances table is this wide at most, so an amount stays near its currency's name.
TABLE_MAX_WIDTH = 1000


class BalancesScreen(Screen):
    """A table of balances fed by the shared :class:`WalletState`."""

    NAME = "balances"

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Balances")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("How much of each currency you have, and how much is free to use")

    def __init__(self, wallet: WalletState, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your balances"),
            _("“Available” is yours to trade, withdraw or turn into a coupon. “Reserved” is "
              "held for your open orders and for coupons awaiting review; it comes back if "
              "you cancel."),
            parent,
        )
        self._wallet = wallet
        self.model = BalancesModel(self)

        self.records = RecordList(self.model, accessible_name=_("Your balances"))
        self.records.retryRequested.connect(lambda: wallet.refresh(priority=Priority.ACTION))
        self.table = self.records.table
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.orders_label = QLabel()
        self.orders_label.setAccessibleName(_("Open orders"))

        # Five rows of four numbers: spread over a wide screen they no longer read as rows.
        self.records.setMaximumWidth(TABLE_MAX_WIDTH)
        row = QHBoxLayout()
        row.addWidget(self.records, 1)
        row.addStretch(0)  # takes only what the table leaves beyond its maximum
        self.body.addLayout(row, 1)
        self.body.addWidget(self.orders_label)

        wallet.changed.connect(self._show)
        wallet.failed.connect(self._show)
        self._show()

    def refresh(self) -> None:
        """Balances come from the shared wallet state, which refreshes on its own timer."""
        self._wallet.refresh()

    @Slot()
    def _show(self, *_args: object) -> None:
        wallet = self._wallet
        if not wallet.known:
            self.model.update({}, {})
            self.orders_label.clear()
            if wallet.problem is not None:
                self.records.show_problem(_("Could not load your balances: {reason}").format(
                    reason=describe(wallet.problem)))
            else:
                self.records.show_empty(_("Loading your balances…"))
            return
        self.model.update(wallet.free, wallet.total)
        self.records.show_table()
        count = wallet.open_orders
        self.orders_label.setText(
            _("You have no open orders.") if count == 0 else
            _("You have 1 open order.") if count == 1 else
            _("You have {n} open orders.").format(n=count)
        )
