"""The read-only table every list screen shows (balances, orders, trades, transactions), and
the helper that widens its columns to show what is in view whole."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QStyle, QTableView

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


def cell_padding(table: QTableView) -> int:
    """The room a cell of ``table`` needs beside its text: the margins Qt's styles leave (a
    focus-frame margin and a pixel on each side), and a few pixels so digits never touch."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return 2 * margin + 4


class ColumnsThatGrow(QObject):
    """Widens ``columns`` of ``table`` when a row in view needs more room than they have.

    An amount cut to "1,234.567…" misleads, and a width measured once from a sample cannot
    know a person's largest amount. Only the rows in view are measured (a list may hold
    100,000), once per turn of the event loop after rows arrive or move, a scroll or a resize.
    What a column needs only grows, so nothing jumps while scrolling. With ``share_room``,
    the room the table has beyond what every column needs is shared out evenly among these
    columns (a wide window spreads them as stretched columns would); without it, they take
    only what they need and another column stretches. Where the room is too little, the table
    scrolls sideways rather than cut a number. A column the person has resized themselves is
    left as they made it.
    """

    def __init__(self, table: QTableView, columns: Iterable[int], *,
                 share_room: bool = False) -> None:
        super().__init__(table)
        self._table = table
        self._share_room = share_room
        header = table.horizontalHeader()
        #: What each column needs: its title (with the sort arrow), then its widest text seen.
        self._needed = {column: header.sectionSizeHint(column) for column in sorted(set(columns))}
        self._padding = cell_padding(table)
        self._resizing = False
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.rowsInserted, model.modelReset, model.layoutChanged,
                       model.dataChanged):
            signal.connect(self._fit_soon)
        table.verticalScrollBar().valueChanged.connect(self._fit_soon)
        header.sectionResized.connect(self._on_resized)
        table.viewport().installEventFilter(self)

    def _fit_soon(self, *_args: object) -> None:
        self._soon.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._soon.start()  # more rows may have come into view, or more room
        return super().eventFilter(watched, event)

    def _on_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._resizing and column in self._needed:
            del self._needed[column]  # the person chose this width: it is theirs now

    def fit(self) -> None:
        """Size the columns to the widest text in the rows now in view (and share the room)."""
        table = self._table
        model = table.model()
        if not self._needed or model is None or not table.isVisible():
            return
        top = table.rowAt(0)
        if top >= 0:
            bottom = table.rowAt(table.viewport().height() - 1)
            if bottom < 0:
                bottom = model.rowCount() - 1  # the rows end before the view does
            metrics = table.fontMetrics()
            for column, needed in self._needed.items():
                texts = [model.index(row, column).data() for row in range(top, bottom + 1)]
                widest = max((metrics.horizontalAdvance(text) for text in texts if text),
                             default=0)
                self._needed[column] = max(needed, widest + self._padding)
        header = table.horizontalHeader()
        widths = dict(self._needed)
        if self._share_room:
            others = sum(header.sectionSize(column) for column in range(header.count())
                         if column not in widths and not header.isSectionHidden(column))
            room = table.viewport().width() - others - sum(widths.values())
            if room > 0:
                share, left = divmod(room, len(widths))
                for place, column in enumerate(widths):
                    widths[column] += share + (1 if place < left else 0)
        else:
            widths = {column: max(width, header.sectionSize(column))
                      for column, width in widths.items()}
        self._resizing = True
        try:
            for column, width in widths.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._resizing = False
