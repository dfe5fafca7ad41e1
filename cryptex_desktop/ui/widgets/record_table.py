"""The read-only table every list screen shows (balances, orders, trades, transactions)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from cryptex_desktop.ui.models import SortFilterProxy


def record_table(model: QAbstractItemModel) -> QTableView:
    """A table of records: whole rows selected, alternating colours, no row numbers.

    A :class:`SortFilterProxy` is shown through ``show_in``: sorted by clicking a heading,
    starting in the model's own order. Screens add their own column sizes and extras.
    """
    table = QTableView()
    if isinstance(model, SortFilterProxy):
        model.show_in(table)
    else:
        table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    # Row numbers mean nothing to a person here, and cost ~8 ms per insert on 100,000 rows.
    table.verticalHeader().hide()
    return table
