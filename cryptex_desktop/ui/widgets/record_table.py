"""The read-only table every list screen shows (balances, orders, trades, transactions)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView

from cryptex_desktop.ui.models import SortingProxy

_KEYBOARD_REASONS = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                     Qt.FocusReason.ShortcutFocusReason)


class RecordTable(QTableView):
    """A table whose row with the focus is selected when it is reached with the keyboard.

    Qt gives a table reached with Tab a current row without selecting it: the row looks
    chosen, but Delete, Enter and Ctrl+C would find nothing selected.
    """

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Select the current row when Tab (or a shortcut) brings the focus and none is."""
        super().focusInEvent(event)
        if event.reason() not in _KEYBOARD_REASONS:
            return  # a click selects what it wants; a window coming back keeps what it had
        selection = self.selectionModel()
        current = self.currentIndex()
        if selection is not None and current.isValid() and not selection.hasSelection():
            selection.select(current, QItemSelectionModel.SelectionFlag.ClearAndSelect
                             | QItemSelectionModel.SelectionFlag.Rows)


def record_table(model: QAbstractItemModel) -> QTableView:
    """A table of records: whole rows selected, alternating colours, no row numbers.

    A :class:`SortingProxy` (or a filtering one) is shown through ``show_in``: sorted by
    clicking a heading, starting in the model's own order. Screens add their own column
    sizes and extras.
    """
    table = RecordTable()
    if isinstance(model, SortingProxy):
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
