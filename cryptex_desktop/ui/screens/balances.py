"""Balances: what the account holds per currency, free to use and reserved, and open orders,
with an estimate of what it is all worth in the currency the person picks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QWidget

from cryptex_desktop.i18n import _, _n
from cryptex_desktop.ui.dispatcher import Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import format_datetime, format_money
from cryptex_desktop.ui.market_feed import MarketFeed, MarketKind
from cryptex_desktop.ui.models import BalancesModel
from cryptex_desktop.ui.models.balances import ESTIMATE
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.valuation import VALUE_CURRENCIES
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.currency_combo import CurrencyCombo
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label, muted_label
from cryptex_desktop.ui.widgets.record_list import RecordList

#: The balances table is this wide at most, so an amount stays near its currency's name.
TABLE_MAX_WIDTH = 1000


class BalancesScreen(Screen):
    """A table of balances fed by the shared :class:`WalletState`, valued from the tickers."""

    NAME = "balances"

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Balances")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("How much of each currency you have, and how much is free to use")

    def __init__(self, wallet: WalletState, market: MarketFeed, settings: AppSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your balances"),
            _("“Available” is yours to trade, withdraw or turn into a coupon. “Reserved” is "
              "held for your open orders and for coupons awaiting review; it comes back if "
              "you cancel."),
            parent,
        )
        self._wallet = wallet
        self._market = market
        self._settings = settings
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

        self.value_combo = CurrencyCombo(VALUE_CURRENCIES)
        self.value_combo.setToolTip(_("The currency the Value column and the total are in"))
        self.value_combo.setAccessibleName(_("Show values in"))
        saved = str(settings.view_state(self.NAME, "value_currency", VALUE_CURRENCIES[0]))
        self.value_combo.set_code(saved if saved in VALUE_CURRENCIES else VALUE_CURRENCIES[0])
        self.total_label = QLabel()
        self.total_label.setAccessibleName(_("Total value"))
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prices_caption = muted_label()
        self.prices_caption.setAccessibleName(_("Where the value comes from"))
        self.market_message = ResultLabel()
        self.market_message.setAccessibleName(_("Market prices"))
        value_row = QHBoxLayout()
        value_row.addWidget(buddy_label(_("Show values &in:"), self.value_combo))
        value_row.addWidget(self.value_combo)
        value_row.addSpacing(16)
        value_row.addWidget(self.total_label)
        value_row.addStretch(1)

        # Five rows of four numbers: spread over a wide screen they no longer read as rows.
        self.records.setMaximumWidth(TABLE_MAX_WIDTH)
        row = QHBoxLayout()
        row.addWidget(self.records, 1)
        row.addStretch(0)  # takes only what the table leaves beyond its maximum
        self.body.addLayout(row, 1)
        self.body.addLayout(value_row)
        self.body.addWidget(self.prices_caption)
        self.body.addWidget(self.market_message)
        self.body.addWidget(self.orders_label)

        wallet.changed.connect(self._show)
        wallet.failed.connect(self._show)
        self.value_combo.currentIndexChanged.connect(self._on_value_currency)
        market.tickersChanged.connect(self._show_values)
        market.unavailable.connect(self.market_message.show_warning)
        market.available.connect(self.market_message.clear_message)
        self._show()
        self._show_values()

    def value_currency(self) -> str:
        """The currency the values are shown in ("USD")."""
        return self.value_combo.code()

    def showEvent(self, event: QShowEvent) -> None:
        """On show, the tickers are kept fresh for the values."""
        super().showEvent(event)
        self._market.watch(self.NAME, None, {MarketKind.TICKERS})

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden, the values need no prices."""
        super().hideEvent(event)
        self._market.unwatch(self.NAME)

    @Slot()
    def _on_value_currency(self) -> None:
        self._settings.set_view_state(self.NAME, "value_currency", self.value_currency())
        self._show_values()

    @Slot()
    def _show_values(self, *_args: object) -> None:
        market = self._market
        target = self.value_currency()
        tickers = market.tickers if market.tickers_time is not None else None
        self.model.set_valuation(tickers, target)
        total = self.model.total_value()
        if total is None or market.tickers_time is None:
            self.total_label.clear()
            self.prices_caption.clear()
            return
        missing = self.model.unvalued()
        if missing:
            # Translators: {codes} lists currency codes, such as "LTC, DOGE".
            text = _("Total value: {estimate} {amount} (not counting {codes})").format(
                estimate=ESTIMATE, amount=format_money(total, target), codes=", ".join(missing))
        else:
            text = _("Total value: {estimate} {amount}").format(
                estimate=ESTIMATE, amount=format_money(total, target))
        self.total_label.setText(text)
        self.prices_caption.setText(_("Estimated from the latest prices at {time}").format(
            time=format_datetime(market.tickers_time)))

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
        self._show_values()
        self.records.show_table()
        count = wallet.open_orders
        self.orders_label.setText(
            _("You have no open orders.") if count == 0 else
            _n("You have {count} open order.", "You have {count} open orders.", count).format(
                count=count)
        )
