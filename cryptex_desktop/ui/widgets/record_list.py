"""The list panel of every list screen: a filter row, the table, and its empty and problem states.

A table alone shows nothing while it waits or when there is nothing to show; this panel
puts a sentence in its place ("Loading your open orders…", "You have no open orders…",
"Could not load…" with a Try again button) and offers Copy (Ctrl+C) of the selected rows
as tab-separated text, as a person pastes into a spreadsheet.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.models import COPY_ROLE
from cryptex_desktop.ui.widgets.labels import ResultLabel, set_text_role
from cryptex_desktop.ui.widgets.record_table import record_table


class RecordList(QWidget):
    """A filter row (optional), a table of records, and the sentence shown when it is empty.

    ``retryRequested`` is emitted by the Try again button of the problem state.
    """

    retryRequested = Signal()

    def __init__(self, model: QAbstractItemModel, *, accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table: QTableView = record_table(model)
        self.table.setAccessibleName(accessible_name)
        self.filter_row = QHBoxLayout()
        self.filter_row.setSpacing(8)

        self.empty_label = ResultLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retry_button = QPushButton(_("&Try again"))
        self.retry_button.setAutoDefault(False)
        self.retry_button.clicked.connect(self.retryRequested)
        self.retry_button.hide()
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self._empty = empty

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty)

        # Room for a few rows, or for the sentence and Try again: a page too small for it
        # all scrolls rather than squeezing the list to a sliver.
        self.stack.setMinimumHeight(6 * self.fontMetrics().lineSpacing())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self.filter_row)
        layout.addWidget(self.stack, 1)

        copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selection)

    # -- states ---------------------------------------------------------------------------------

    def show_table(self) -> None:
        """Show the rows."""
        self.stack.setCurrentWidget(self.table)

    def show_empty(self, sentence: str) -> None:
        """Nothing to show, or still loading: a quiet sentence in place of the table."""
        self.empty_label.show_result(sentence)
        set_text_role(self.empty_label, theme.Role.MUTED)
        self.retry_button.hide()
        self.stack.setCurrentWidget(self._empty)

    def show_problem(self, sentence: str) -> None:
        """Loading failed: what happened, and Try again."""
        self.empty_label.show_problem(sentence)
        self.retry_button.show()
        self.stack.setCurrentWidget(self._empty)

    def is_showing_table(self) -> bool:
        """Whether the rows are on show (rather than a sentence)."""
        return self.stack.currentWidget() is self.table

    def state_text(self) -> str:
        """The sentence in place of the table ("" while the table shows)."""
        return "" if self.is_showing_table() else self.empty_label.text()

    # -- copying --------------------------------------------------------------------------------

    def selected_text(self) -> str:
        """The selected rows as tab-separated lines of what the table shows, with headings.

        A cell shown shortened (a transaction id) is copied whole.
        """
        model = self.table.model()
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            return ""
        columns = [c for c in range(model.columnCount()) if not self.table.isColumnHidden(c)]
        header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
        lines = ["\t".join(header)]
        for row in rows:
            lines.append("\t".join(str(_whole_text(model.index(row, c))) for c in columns))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        """Ctrl+C: the selected rows to the clipboard."""
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)


def _whole_text(index: QModelIndex) -> str:
    whole = index.data(COPY_ROLE)
    return str(whole if whole is not None else index.data() or "")
