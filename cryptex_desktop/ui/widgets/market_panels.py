"""The Trade screen's market side: the order book, the latest trades, the price chart and the
help on how an order works, one tab each beside the order form.

Tabs rather than panels side by side: at the smallest window (880x560) a book, a trade list
and a chart each need the column's whole height to show more than a handful of rows, and a
tab bar is one keyboard stop (Ctrl+Tab or the arrow keys) from each of them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.widgets.order_book import OrderBookView
from cryptex_desktop.ui.widgets.price_chart import PriceChart
from cryptex_desktop.ui.widgets.recent_trades import RecentTradesView


class MarketPanels(QTabWidget):
    """Order book, latest trades, price chart and ``help_box``, each on a tab of its own."""

    def __init__(self, help_box: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.setAccessibleName(_("Market"))
        self.book_view = OrderBookView()
        self.trades_view = RecentTradesView()
        self.chart = PriceChart()
        self.help_box = help_box
        help_page = QWidget()  # the help keeps its own height at the top of its tab
        help_layout = QVBoxLayout(help_page)
        help_layout.setContentsMargins(0, 8, 0, 0)
        help_layout.addWidget(help_box)
        help_layout.addStretch(1)
        self.book_tab = self.addTab(self.book_view, _("Order book"))
        self.trades_tab = self.addTab(self.trades_view, _("Latest trades"))
        self.chart_tab = self.addTab(self.chart, _("Price chart"))
        self.help_tab = self.addTab(help_page, _("How an order works"))
        self.setTabToolTip(self.book_tab, _(
            "What others offer now. Click an offer to use its price; Shift+click also takes "
            "the amount up to it."))
        self.setTabToolTip(self.trades_tab, _("The latest trades on this market, newest first."))
        self.setTabToolTip(self.chart_tab, _(
            "How the price moved; the triangles are your own trades."))
        self.setTabToolTip(self.help_tab, _("What happens to an order once you place it."))
