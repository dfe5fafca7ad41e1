"""The Trade screen's market side: the order book, the latest trades and the price chart, as
tabs in a small window and side by side in a wide one.

Tabs at the smallest window (880x560): a book, a trade list and a chart each need the
column's whole height to show more than a handful of rows, and a tab bar is one keyboard stop
(Ctrl+Tab or the arrow keys) from each of them. In a wide window (:meth:`MarketPanels.set_wide`)
the three stand side by side in a splitter, the chart taking the spare width. In the tab
layout a fourth tab holds the help on how an order works (the screen puts it under the form
when there is room).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from cryptex_desktop.i18n import _
from cryptex_desktop.ui.widgets.labels import heading_label
from cryptex_desktop.ui.widgets.order_book import OrderBookView
from cryptex_desktop.ui.widgets.price_chart import PriceChart
from cryptex_desktop.ui.widgets.recent_trades import RecentTradesView

#: Widths the side-by-side panels start at (the splitter lets a person change them).
BOOK_WIDTH, TRADES_WIDTH = 420, 340


class MarketPanels(QWidget):
    """Order book, latest trades and price chart, on tabs (with the help) or side by side."""

    def __init__(self, help_box: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Market"))
        self.book_view = OrderBookView()
        self.trades_view = RecentTradesView()
        self.chart = PriceChart()
        self.help_box = help_box
        self.help_page = QWidget()  # the help keeps its own height at the top of its tab
        self._help_layout = QVBoxLayout(self.help_page)
        self._help_layout.setContentsMargins(0, 8, 0, 0)
        self._help_layout.addWidget(help_box)
        self._help_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.hide()
        # Side by side, each panel under its name (on tabs, the tab says it).
        self._columns: list[QVBoxLayout] = []
        for title in (_("Order book"), _("Price chart"), _("Latest trades")):
            column = QWidget()
            column_layout = QVBoxLayout(column)
            column_layout.setContentsMargins(4, 0, 4, 0)
            column_layout.setSpacing(6)
            column_layout.addWidget(heading_label(title, 1.0))
            self.splitter.addWidget(column)
            self._columns.append(column_layout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        layout.addWidget(self.splitter)
        self._wide = False
        self._fill_tabs()

    def is_wide(self) -> bool:
        """Whether the panels stand side by side (the help is then the screen's to place)."""
        return self._wide

    def set_wide(self, wide: bool) -> None:
        """Side by side (``wide``) or on tabs; the help goes back on its tab when narrow."""
        if wide == self._wide:
            return
        self._wide = wide
        if wide:
            self.tabs.clear()  # takes the pages off the tabs; they are not deleted
            self.help_page.setParent(self)
            self.help_page.hide()
            for column, panel in zip(self._columns, (self.book_view, self.chart,
                                                      self.trades_view), strict=True):
                column.addWidget(panel, 1)
                panel.show()
            self.splitter.setStretchFactor(1, 1)
            self.splitter.setSizes([BOOK_WIDTH, max(self.width() - BOOK_WIDTH - TRADES_WIDTH,
                                                    BOOK_WIDTH), TRADES_WIDTH])
            self.tabs.hide()
            self.splitter.show()
        else:
            self._help_layout.insertWidget(0, self.help_box)
            self._fill_tabs()
            self.splitter.hide()
            self.tabs.show()

    def _fill_tabs(self) -> None:
        tabs = self.tabs
        self.book_tab = tabs.addTab(self.book_view, _("Order book"))
        self.trades_tab = tabs.addTab(self.trades_view, _("Trades"))
        self.chart_tab = tabs.addTab(self.chart, _("Chart"))
        self.help_tab = tabs.addTab(self.help_page, _("Help"))
        tabs.setTabToolTip(self.book_tab, _(
            "What others offer now. Click an offer to use its price; Shift+click also takes "
            "the amount up to it."))
        tabs.setTabToolTip(self.trades_tab, _("The latest trades on this market, newest first."))
        tabs.setTabToolTip(self.chart_tab, _(
            "How the price moved; the triangles are your own trades."))
        tabs.setTabToolTip(self.help_tab, _("How an order works, once you place it."))
        # Every tab's name in sight: scroll arrows would hide the last tabs in a long language.
        tabs.setMinimumWidth(tabs.tabBar().sizeHint().width())
        tabs.setCurrentIndex(self.book_tab)
