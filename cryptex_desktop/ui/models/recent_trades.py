"""The latest trades of one market, anyone's: time, price and amount, newest at the top.

The exchange answers with its latest 50 trades; the table keeps the newest
:data:`RECENT_TRADES_SHOWN` of what it is given, keyed by trade id, so a refresh only
inserts the new ones at the top (trades never change once made).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Qt

from cryptex_desktop.api.market import MarketTrade
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.formatting import (
    display_rounding,
    format_datetime_long,
    format_time_of_day,
    market,
    number_convention,
)
from cryptex_desktop.ui.models.keyed_table import Column, KeyedTableModel, Row

TIME, PRICE, AMOUNT = range(3)
#: How many trades the list shows at most.
RECENT_TRADES_SHOWN = 50


class RecentTradesModel(KeyedTableModel[MarketTrade]):
    """The newest trades of one market: Time, Price and Amount, newest first."""

    COLUMNS = (
        Column(N_("Time"), N_("When the trade happened, in your local time.")),
        Column(N_("Price"), N_("What one unit of the first currency cost, in the second."), True),
        Column(N_("Amount"), N_("How much of the first currency changed hands."), True),
    )
    DEFAULT_SORT = (TIME, Qt.SortOrder.DescendingOrder)
    RECORDS_NEVER_CHANGE = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pair = ""

    @property
    def pair(self) -> str:
        """The market shown ("" before the first trades)."""
        return self._pair

    def set_trades(self, pair: str, trades: Iterable[MarketTrade]) -> None:
        """Show the newest :data:`RECENT_TRADES_SHOWN` of ``trades`` of ``pair``.

        Another market empties the table first; the same market keeps the rows it still
        shows and inserts the new ones at the top.
        """
        if pair != self._pair:
            self.clear()
            self._pair = pair
        newest = sorted(trades, key=lambda trade: (trade.time, trade.trade_id), reverse=True)
        self.set_records(newest[:RECENT_TRADES_SHOWN])

    def key_of(self, record: MarketTrade) -> int:
        """A trade is known by its id."""
        return record.trade_id

    def row_for(self, record: MarketTrade) -> Row[MarketTrade]:
        """Time, price and amount, as shown."""
        return self.rows_for((record,))[0]

    def rows_for(self, records: Sequence[MarketTrade]) -> list[Row[MarketTrade]]:
        """The rows of many trades: the marks and the market looked up once."""
        details = market(self._pair)
        localize = number_convention().localize
        rows = []
        with display_rounding():
            for trade in records:
                cells = (
                    format_time_of_day(trade.time),
                    localize(format(trade.price, details.price_format)),
                    localize(format(trade.amount, details.base_format)),
                )
                rows.append(Row(trade.trade_id, trade, cells,
                                (trade.time, trade.price, trade.amount)))
        return rows

    def tooltip(self, record: MarketTrade, column: int) -> str | None:
        """The full date and time, and the currencies of the numbers."""
        details = market(self._pair)
        if column == TIME:
            return format_datetime_long(record.time)
        if column == PRICE:
            return _("In {quote} for one {base}").format(quote=details.quote_name,
                                                         base=details.base_name)
        return _("In {base}").format(base=details.base_name)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The headings, with the currency of each number once a market is shown."""
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and self._pair and section in (PRICE, AMOUNT)):
            details = market(self._pair)
            code = details.quote if section == PRICE else details.base
            # Translators: a column heading with its currency: "Price (USD)".
            return _("{column} ({currency})").format(
                column=_(self.COLUMNS[section].title), currency=code)
        return super().headerData(section, orientation, role)
