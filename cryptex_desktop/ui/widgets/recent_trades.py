"""The list of a market's latest trades (anyone's): time, price and amount, newest on top."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHeaderView, QWidget

from cryptex_desktop.api.market import MarketTrade
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.formatting import pair_text
from cryptex_desktop.ui.models.recent_trades import RecentTradesModel
from cryptex_desktop.ui.widgets.record_list import RecordList


def no_trades_text() -> str:
    """What the list says about a market nobody has traded on yet."""
    return _("No trades yet on this market. They show here as they happen.")


def unavailable_text() -> str:
    """What the list says when the exchange did not send the trades."""
    return _("The latest trades are not available right now. The app keeps asking; "
             "Try again asks the exchange at once.")


class RecentTradesView(RecordList):
    """The latest trades of one market; ``retryRequested`` comes from its Try again button."""

    def __init__(self, model: RecentTradesModel | None = None,
                 parent: QWidget | None = None) -> None:
        self.model = model or RecentTradesModel()
        super().__init__(self.model, accessible_name=_("Latest trades"), parent=parent)
        if self.model.parent() is None:
            self.model.setParent(self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setSortingEnabled(False)  # always newest first
        self.show_empty(no_trades_text())

    def set_trades(self, pair: str, trades: Iterable[MarketTrade]) -> None:
        """Show the newest of ``trades`` of ``pair``, or say there are none."""
        self.model.set_trades(pair, trades)
        self.table.setAccessibleName(
            _("Latest trades of {market}").format(market=pair_text(pair)))
        if self.model.rowCount():
            self.show_table()
        else:
            self.show_empty(no_trades_text())

    def show_unavailable(self) -> None:
        """The trades could not be read: say so, with Try again."""
        self.show_problem(unavailable_text())
