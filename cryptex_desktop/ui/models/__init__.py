"""The app's table models: balances, open orders, trade history and wallet transactions.

Each is a :class:`KeyedTableModel`: rows keyed by id, updated in place by a refresh,
display text and sort keys computed once per row. Put a :class:`SortFilterProxy` between a
model and its view: the model sorts itself, the proxy filters. Screens read a row's record
with ``index.data(RECORD_ROLE)`` and its key with ``KEY_ROLE``, through any proxy.
"""

from cryptex_desktop.ui.models.balances import Balance, BalancesModel
from cryptex_desktop.ui.models.keyed_table import (
    COPY_ROLE,
    FILTER_ROLE,
    KEY_ROLE,
    RECORD_ROLE,
    SORT_ROLE,
    Column,
    KeyedTableModel,
    Row,
    Tone,
)
from cryptex_desktop.ui.models.open_orders import OpenOrdersModel
from cryptex_desktop.ui.models.sorting import SortFilterProxy, SortingProxy
from cryptex_desktop.ui.models.trade_history import TradeHistoryModel
from cryptex_desktop.ui.models.transactions import TransactionsModel

__all__ = [
    "COPY_ROLE",
    "FILTER_ROLE",
    "KEY_ROLE",
    "RECORD_ROLE",
    "SORT_ROLE",
    "Balance",
    "BalancesModel",
    "Column",
    "KeyedTableModel",
    "OpenOrdersModel",
    "Row",
    "SortFilterProxy",
    "SortingProxy",
    "Tone",
    "TradeHistoryModel",
    "TransactionsModel",
]
