"""The read-only table every list screen shows (balances, orders, trades, transactions)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QEvent, QItemSelectionModel, QObject, Qt, QTimer
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


#: Room beside a cell's text: the cell's margins, so that the text itself is never cut.
CELL_PADDING = 16


class ColumnsThatGrow(QObject):
    """Widens ``columns`` of ``table`` when a row in view needs more room than they have.

    An amount cut to "1,234.567…" misleads, and a width measured once from a sample cannot
    know a person's largest amount. Only the rows in view are measured (a list may hold
    100,000), once per turn of the event loop after rows arrive or move, a scroll or a resize.
    The columns only grow, so nothing jumps while scrolling; one the person has resized
    themselves is left as they made it.
    """

    def __init__(self, table: QTableView, columns: Iterable[int]) -> None:
        super().__init__(table)
        self._table = table
        self._columns = sorted(set(columns))
        self._growing = False
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.rowsInserted, model.modelReset, model.layoutChanged,
                       model.dataChanged):
            signal.connect(self._fit_soon)
        table.verticalScrollBar().valueChanged.connect(self._fit_soon)
        table.horizontalHeader().sectionResized.connect(self._on_resized)
        table.viewport().installEventFilter(self)

    def _fit_soon(self, *_args: object) -> None:
        self._soon.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._soon.start()  # more rows may have come into view
        return super().eventFilter(watched, event)

    def _on_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._growing and column in self._columns:
            self._columns.remove(column)  # the person chose this width: it is theirs now

    def fit(self) -> None:
        """Widen each column to the widest text in the rows now in view, if it is wider."""
        table = self._table
        model = table.model()
        top = table.rowAt(0)
        if not self._columns or model is None or top < 0 or not table.isVisible():
            return
        bottom = table.rowAt(table.viewport().height() - 1)
        if bottom < 0:
            bottom = model.rowCount() - 1  # the rows end before the view does
        metrics = table.fontMetrics()
        header = table.horizontalHeader()
        for column in list(self._columns):
            texts = [model.index(row, column).data() for row in range(top, bottom + 1)]
            wanted = max((metrics.horizontalAdvance(text) for text in texts if text), default=0)
            if wanted + CELL_PADDING > header.sectionSize(column):
                self._growing = True
                try:
                    header.resizeSection(column, wanted + CELL_PADDING)
                finally:
                    self._growing = False
