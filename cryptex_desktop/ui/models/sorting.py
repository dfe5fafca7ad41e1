"""The proxy between a table model and its view: it filters, and leaves sorting to the model.

A ``QSortFilterProxyModel`` that sorted 100,000 rows itself would ask Python's ``data()``
for the sort role millions of times. :class:`SortFilterProxy` instead hands a view's sort
request to its :class:`~cryptex_desktop.ui.models.keyed_table.KeyedTableModel`, which sorts
its rows by precomputed keys in one layout change.

Filtering matches each row's filter tag (``|pair:BTC_USD|side:buy|...``). The decision per
distinct tag is remembered, so a row costs one short Python call; with no filter set the
call returns at once. A new filter rebuilds the proxy's rows in one layout change: Qt's
incremental refilter would signal every run of hidden rows separately, which for a
scattered filter over 100,000 rows takes seconds. A table filtered elsewhere (Activity asks
the journal) uses :class:`SortingProxy`, which has no Python filter for Qt to call once per
inserted row.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QTableView

from cryptex_desktop.ui.models.keyed_table import FILTER_ROLE, KeyedTableModel

_FACT_NAMES = ("pair", "side", "currency", "direction")


class SortingProxy(QSortFilterProxyModel):
    """Shows every row of a keyed table, in the order the table sorts itself by.

    Sorting is done by the source model, so several proxies over one model share its order.
    """

    def __init__(self, source: KeyedTableModel | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._keyed_source: KeyedTableModel | None = None
        if source is not None:
            self.setSourceModel(source)

    def setSourceModel(self, source: QAbstractItemModel) -> None:
        """Use ``source``; a :class:`KeyedTableModel` gives its filter tags without ``data()``."""
        self._keyed_source = source if isinstance(source, KeyedTableModel) else None
        super().setSourceModel(source)

    def show_in(self, view: QTableView) -> None:
        """Make ``view`` show this proxy, sorted by clicking a heading, in the model's order.

        Turning sorting on makes Qt sort by the first column, descending, at once; the
        heading's indicator is set to the model's default order first, so that first sort
        changes nothing.
        """
        view.setModel(self)
        source = self._keyed_source
        if source is not None:
            view.horizontalHeader().setSortIndicator(source.sort_column(), source.sort_order())
        view.setSortingEnabled(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the source model to sort; the proxy keeps the source's order."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


class SortFilterProxy(SortingProxy):
    """Shows the rows of a keyed table that match a pair, side, currency and direction.

    ``set_filter(pair="BTC_USD", side="buy")`` keeps the rows with all of the given facts;
    ``set_filter()`` shows everything again. Sorting is done by the source model, so
    several proxies over one model share its order but each has its own filter.
    """

    def __init__(self, source: KeyedTableModel | None = None, parent: QObject | None = None):
        self._wanted: tuple[str, ...] = ()
        self._decisions: dict[str, bool] = {}
        super().__init__(source, parent)

    def set_filter(
        self,
        pair: str | None = None,
        side: str | None = None,
        currency: str | None = None,
        direction: str | None = None,
    ) -> None:
        """Keep only rows with every given fact; None (or "") means any.

        ``pair`` like ``"BTC_USD"``; ``side`` ``"buy"``/``"sell"``; ``currency`` a code,
        matched by either currency of a pair; ``direction`` ``"incoming"``/``"outgoing"``.
        """
        values = (pair, side, currency, direction)
        wanted = tuple(
            f"|{name}:{value}|" for name, value in zip(_FACT_NAMES, values, strict=True) if value
        )
        if wanted == self._wanted:
            return
        self._wanted = wanted
        self._decisions = {}
        self.invalidate()

    def filter_facts(self) -> dict[str, str]:
        """The facts rows must have now, e.g. ``{"pair": "BTC_USD"}``; empty: all rows show."""
        facts = (fact.strip("|").split(":", 1) for fact in self._wanted)
        return {name: value for name, value in facts}

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._wanted:
            return True
        source = self._keyed_source
        if source is not None:
            tag = source.filter_tag_at(source_row)
        else:
            model = self.sourceModel()
            tag = str(model.data(model.index(source_row, 0, source_parent), FILTER_ROLE) or "")
        decision = self._decisions.get(tag)
        if decision is None:
            decision = all(fact in tag for fact in self._wanted)
            self._decisions[tag] = decision
        return decision
