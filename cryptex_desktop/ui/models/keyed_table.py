"""The base of every table in the app: rows keyed by id, updated in place, sorted by keys.

A row is ``(key, record, cells, sort_keys)``: the display strings and the sort keys are
computed once, when the record arrives, so ``data()`` only looks them up and sorting never
parses text. ``set_records`` turns a fresh list from the exchange into the few row
insertions, removals and changes that differ from what is shown, so a view keeps its
selection and scroll position; only :meth:`KeyedTableModel.clear` resets the model. A table
too long to make every cell up front (Activity) keeps its records themselves as rows, each
holding its own key (``row_key``/``row_record``), and makes cells and sort values in
``data()`` and :meth:`KeyedTableModel.sort_key_of` when first asked.

The model sorts itself (:meth:`KeyedTableModel.sort`) with Python's ``sorted`` over the
precomputed keys: a ``QSortFilterProxyModel`` sorting 100,000 rows would call ``data()``
millions of times. A second click on the same heading reverses the rows instead: they are
kept in (value, key) order with unique keys, so the reverse is that order the other way round.
:class:`~cryptex_desktop.ui.models.sorting.SortFilterProxy` passes a view's sort request here
and only filters.
"""

from __future__ import annotations

import enum
import functools
import gc
import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, ClassVar, Generic, NamedTuple, ParamSpec, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush

from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.formatting import market

#: The role whose value a column sorts by: a Decimal, datetime, int or str, never display text.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The role holding a row's key (an order id, a currency code...), for screens.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
#: The role holding a row's record (the frozen dataclass from the api), for screens.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 3
#: The role holding a row's filter tag (see :func:`filter_tag`), read by the filtering proxy.
FILTER_ROLE = Qt.ItemDataRole.UserRole + 4
#: The role holding a cell's whole text for Copy (a shortened id shows short, copies whole).
COPY_ROLE = Qt.ItemDataRole.UserRole + 5

# Plain ints: data() is called for every painted cell, and int comparison is the cheapest.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_SORT = int(SORT_ROLE)
_KEY = int(KEY_ROLE)
_RECORD = int(RECORD_ROLE)
_FILTER = int(FILTER_ROLE)
_COPY = int(COPY_ROLE)

_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT_ALIGNMENT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ROOT = QModelIndex()
_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")
#: The record type a table shows (a Trade, an Order, a currency's balances...).
R = TypeVar("R")
_KEY_OF_ROW = operator.attrgetter("key")
_RECORD_OF_ROW = operator.attrgetter("record")

# Up to this many new rows are placed one by one with a binary search; more arrive as one
# block (a page of history) or are appended and sorted with one layout change.
_PLACE_ONE_BY_ONE = 64
# More separate insertion points than this cost more in views than one layout change.
_MAX_INSERT_RUNS = 16
# Up to this many rows held by persistent indexes (a selection, the current cell) are found in
# the re-sorted rows one by one; for more, a map of every row is made instead.
_FIND_ONE_BY_ONE = 16


def _collector_paused(method: Callable[_Params, _Result]) -> Callable[_Params, _Result]:
    """Run ``method`` with Python's cyclic garbage collector paused.

    Building or sorting 100,000 rows allocates a few hundred thousand tuples, which would set
    off collections that walk every row in memory, and none of them can free anything.
    """

    @functools.wraps(method)
    def paused(*args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        if not gc.isenabled():
            return method(*args, **kwargs)
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            gc.enable()

    return paused


class Column(NamedTuple):
    """One column: its heading, a sentence explaining the term, and whether it holds a number."""

    title: str
    tooltip: str = ""
    numeric: bool = False


class Row(NamedTuple, Generic[R]):
    """One row as shown: the record's key, the record, its display strings and sort keys.

    ``tag`` is what the filtering proxy matches (see :func:`filter_tag`); it is kept in the
    row because the proxy asks for it for every row whenever it refilters.
    """

    key: Any  # hashable, and comparable with the other rows' keys
    record: R
    cells: tuple[str, ...]
    sort_keys: tuple[Any, ...]
    tag: str = "||"


class Tone(enum.IntEnum):
    """The colour of a row's coloured columns: green for buy/incoming, red for sell/outgoing.

    The colour only repeats what the text says (Buy, Outgoing...), so nobody depends on it.
    """

    PLAIN = 0
    POSITIVE = 1
    NEGATIVE = -1


_TONE_ROLES = {
    Tone.POSITIVE: theme.Role.BUY,
    Tone.NEGATIVE: theme.Role.SELL,
}
# data() runs for every painted cell: one brush per tone and theme, made once.
_tone_brushes: dict[tuple[Tone, str], QBrush] = {}


def tone_brush(tone: Tone) -> QBrush | None:
    """The brush for ``tone`` in the theme in use (it follows a switch to dark or light)."""
    if tone == Tone.PLAIN:
        return None
    key = (tone, theme.current().name)
    brush = _tone_brushes.get(key)
    if brush is None:
        brush = _tone_brushes[key] = QBrush(theme.colour(_TONE_ROLES[tone]))
    return brush


def filter_tag(
    *, pair: str = "", side: str = "", direction: str = "", currencies: Iterable[str] = ()
) -> str:
    """The text a row offers the filtering proxy: ``|pair:BTC_USD|side:buy|currency:BTC|``.

    Each fact is fenced by ``|`` so a filter matches whole values only (``BTC`` never
    matches ``BTCX``).
    """
    facts = [f"pair:{pair}"] if pair else []
    if side:
        facts.append(f"side:{side}")
    if direction:
        facts.append(f"direction:{direction}")
    facts.extend(f"currency:{code}" for code in currencies)
    return "|" + "|".join(facts) + "|"


@functools.cache
def pair_side_tag(pair: str, side: str) -> str:
    """The filter tag of a trade or order: pair, side and both currencies, one per pair/side."""
    details = market(pair)
    return filter_tag(pair=pair, side=side, currencies=(details.base, details.quote))


class KeyedTableModel(QAbstractTableModel, Generic[R]):
    """A table of records keyed by id, updated in place and sorted by precomputed keys.

    Subclasses set :attr:`COLUMNS` and implement :meth:`key_of` and :meth:`row_for` (with a
    filter tag in the row); they may add tooltips (:meth:`tooltip`) and a colour
    (:meth:`tone`). Keys must be hashable and comparable with each other: rows with equal
    sort keys are ordered by key in the same direction, so the order of a table never
    depends on its history (trades of the same second show newest first).
    """

    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    #: The columns painted in the row's :class:`Tone`.
    TONED_COLUMNS: ClassVar[frozenset[int]] = frozenset()
    #: The order a fresh table shows, and what ``sort(-1)`` goes back to.
    DEFAULT_SORT: ClassVar[tuple[int, Qt.SortOrder]] = (0, Qt.SortOrder.AscendingOrder)
    #: True when a record never changes once seen (trades), so updates skip comparing them.
    RECORDS_NEVER_CHANGE: ClassVar[bool] = False
    #: How the table reads a row's key and record: a :class:`Row`'s by default. A table of
    #: records that hold their own key may keep the records themselves as its rows, and make
    #: no wrapper for each (Activity's 100,000); it sets both (static, as they are called for
    #: every row), and makes text and sort values its own way (see :meth:`sort_key_of`).
    row_key = staticmethod(_KEY_OF_ROW)
    row_record = staticmethod(_RECORD_OF_ROW)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row[R]] = []
        self._by_key: dict[Hashable, Row[R]] = {}
        # Built on demand: inserts and sorts would otherwise renumber it every time.
        self._positions: dict[Hashable, int] | None = None
        self._alignments = tuple(
            _NUMBER_ALIGNMENT if column.numeric else _TEXT_ALIGNMENT for column in self.COLUMNS
        )
        self._sort_column, order = self.DEFAULT_SORT
        self._descending = order == Qt.SortOrder.DescendingOrder

    # -- what subclasses provide ---------------------------------------------------------

    def key_of(self, record: R) -> Hashable:
        """The key that identifies ``record`` across refreshes (an order id, a currency)."""
        raise NotImplementedError

    def row_for(self, record: R) -> Row[R]:
        """The row showing ``record``: its display strings and sort keys, computed once."""
        raise NotImplementedError

    def rows_for(self, records: Sequence[R]) -> list[Row[R]]:
        """The rows for many records; subclasses may override it to share work in a batch."""
        return [self.row_for(record) for record in records]

    def tooltip(self, record: R, column: int) -> str | None:
        """A sentence about one cell, shown on hover; computed then, as it is rarely asked."""
        return None

    def copy_text(self, record: R, column: int) -> str | None:
        """The whole text of a cell when it shows a shortened one; None: copy what is shown."""
        return None

    def tone(self, record: R) -> Tone:
        """The colour of the :attr:`TONED_COLUMNS` of ``record``'s row."""
        return Tone.PLAIN

    def sort_key_of(self, column: int) -> Callable[[Row[R]], Any]:
        """How to read a row's sort value in ``column`` (the precomputed key by default).

        A table of 100,000 rows may keep only the keys that are cheap to make and work out
        the others here, when someone sorts by that column.
        """
        return lambda row: row.sort_keys[column]

    def filter_tag_at(self, row: int) -> str:
        """The filter tag of ``row`` (the proxy asks this for every row it refilters)."""
        return self._rows[row].tag

    # -- reading ---------------------------------------------------------------------------

    def records(self) -> list[R]:
        """Every record, in the order shown."""
        return list(map(self.row_record, self._rows))

    def record_at(self, row: int) -> R:
        """The record shown in ``row``; ``IndexError`` when there is no such row."""
        if row < 0:
            raise IndexError(row)
        return self.row_record(self._rows[row])

    def row_of(self, key: Hashable) -> int | None:
        """The row showing the record with ``key``, or None when it is not in the table."""
        if key not in self._by_key:
            return None
        if self._positions is None:
            self._positions = {key: number
                               for number, key in enumerate(map(self.row_key, self._rows))}
        return self._positions[key]

    def index_of(self, key: Hashable, column: int = 0) -> QModelIndex:
        """The index of ``key``'s cell in ``column``, invalid when the key is not shown."""
        row = self.row_of(key)
        return QModelIndex() if row is None else self.index(row, column)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def sort_column(self) -> int:
        """The column the rows are sorted by."""
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        """Whether the rows are sorted ascending or descending."""
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    # -- Qt's model interface -------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        number = index.row()
        if not 0 <= number < len(self._rows):
            return None
        row = self._rows[number]
        column = index.column()
        if role == _DISPLAY:
            return row.cells[column]
        if role == _ALIGNMENT:
            return self._alignments[column]
        if role == _FOREGROUND:
            if column not in self.TONED_COLUMNS:
                return None
            return tone_brush(self.tone(self.row_record(row)))
        if role == _SORT:
            return row.sort_keys[column]
        if role == _TOOLTIP:
            return self.tooltip(self.row_record(row), column)
        if role == _FILTER:
            return row.tag
        if role == _COPY:
            whole = self.copy_text(self.row_record(row), column)
            return row.cells[column] if whole is None else whole
        if role == _KEY:
            return self.row_key(row)
        if role == _RECORD:
            return self.row_record(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return super().headerData(section, orientation, role)
        column = self.COLUMNS[section]
        if role == _DISPLAY:  # titles are marked with N_: translated here, when shown
            return _(column.title)
        if role == _TOOLTIP:
            return _(column.tooltip) if column.tooltip else None
        if role == _ALIGNMENT:
            return self._alignments[section]
        return None

    @_collector_paused
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (-1: the default order), keeping selections on their rows."""
        if not 0 <= column < len(self.COLUMNS):
            column, order = self.DEFAULT_SORT
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return  # the rows are always kept in this order (QTableView asks twice per click)
        # The same column the other way round (a second click on its heading) is the rows
        # reversed: they are kept in (value, key) order and keys are unique, so no two rows
        # tie and the reversed order is exactly what sorting the other way would give.
        turned = column == self._sort_column
        self._sort_column = column
        self._descending = descending
        self._reorder(turned=turned)

    # -- updating ----------------------------------------------------------------------------

    @_collector_paused
    def set_records(self, records: Iterable[R]) -> None:
        """Show exactly ``records``: remove vanished keys, update changed rows, add new ones.

        Only what differs is signalled (rowsRemoved, dataChanged, rowsInserted); a list equal
        to what is shown signals nothing. The current sort order is kept.
        """
        wanted: dict[Hashable, R] = {}
        key_of = self.key_of
        for record in records:
            wanted[key_of(record)] = record
        self._remove_rows([n for n, key in enumerate(map(self.row_key, self._rows))
                           if key not in wanted])
        if not self.RECORDS_NEVER_CHANGE:
            self._replace_changed(wanted)
        by_key = self._by_key
        self._insert_records([record for key, record in wanted.items() if key not in by_key])

    @_collector_paused
    def add_records(self, records: Iterable[R]) -> int:
        """Add the records whose key is not shown yet (known ones are left as they are).

        Returns how many rows were added; nothing is signalled when there were none.
        """
        by_key = self._by_key
        key_of = self.key_of
        fresh: dict[Hashable, R] = {}
        for record in records:
            key = key_of(record)
            if key not in by_key:
                fresh[key] = record
        self._insert_records(list(fresh.values()))
        return len(fresh)

    @_collector_paused
    def put_records(self, records: Iterable[R]) -> None:
        """Add the records whose key is new and update the shown ones that changed.

        The other rows stay as they are, so a few fresh records cost as much in a table of
        100,000 rows as in one of ten (:meth:`set_records` compares every row).
        """
        by_key = self._by_key
        key_of, record_of = self.key_of, self.row_record
        fresh: dict[Hashable, R] = {}
        changed: dict[Hashable, R] = {}
        for record in records:
            key = key_of(record)
            row = by_key.get(key)
            if row is None:
                fresh[key] = record
            elif record is not (shown := record_of(row)) and record != shown:
                changed[key] = record
        if changed:
            numbers = sorted(number for key in changed
                             if (number := self.row_of(key)) is not None)
            self._replace_rows(numbers, [changed[self.row_key(self._rows[n])] for n in numbers])
        self._insert_records(list(fresh.values()))

    @_collector_paused
    def add_rows(
        self, rows: Iterable[Row[R]] | dict[Hashable, Row[R]],
        sorted_by: tuple[int, Qt.SortOrder] | None = None,
    ) -> int:
        """Add prebuilt rows whose key is not shown yet; returns how many were added.

        Rows come from :meth:`rows_for`, which touches no Qt object: a screen may build them
        on a worker thread, leaving the UI thread only the insert (a 100,000-trade history).
        They may come as a dict by key, in order, made there too by :meth:`rows_by_key`
        (the table takes that dict over). ``sorted_by``: the (column, order) the rows
        already come in, so when the table shows that order they are not sorted again.
        """
        if isinstance(rows, dict):
            fresh = rows
        else:
            fresh = self.rows_by_key(rows if isinstance(rows, list) else list(rows))
        # The few keys already shown taken out: a page of 50,000 rows is inserted in half
        # the time of one Python test per row.
        for key in self._by_key.keys() & fresh.keys():
            del fresh[key]
        in_order = sorted_by is not None and sorted_by == (self._sort_column, self.sort_order())
        added = list(fresh.values())
        self._insert_rows(added, in_order=in_order, by_key=fresh)  # which may keep fresh
        return len(added)

    def rows_by_key(self, rows: list[Row[R]]) -> dict[Hashable, Row[R]]:
        """``rows`` by key, in order, for :meth:`add_rows` (built in C; touches no Qt object)."""
        return dict(zip(map(self.row_key, rows), rows, strict=True))

    def clear(self) -> None:
        """Empty the table (the one change that resets the model)."""
        self.beginResetModel()
        self._rows = []
        self._by_key = {}
        self._positions = None
        self.endResetModel()

    # -- inside ------------------------------------------------------------------------------

    def _sort_rows(self, rows: list[Row[R]]) -> None:
        """Sort ``rows`` in place by the sort column, equal values by key, both one way.

        Two stable sorts (by key, then by value) take half the time of one sort on
        (value, key) tuples: comparing tuples of Decimals compares each Decimal twice.
        """
        descending = self._descending
        rows.sort(key=self.row_key, reverse=descending)
        rows.sort(key=self.sort_key_of(self._sort_column), reverse=descending)

    def _remove_rows(self, numbers: list[int]) -> None:
        """Remove the rows at ascending ``numbers``, one signal per contiguous run."""
        if not numbers:
            return
        runs: list[tuple[int, int]] = []
        first = last = numbers[0]
        for number in numbers[1:]:
            if number != last + 1:
                runs.append((first, last))
                first = number
            last = number
        runs.append((first, last))
        rows = self._rows
        for first, last in reversed(runs):  # from the bottom, so earlier numbers stay right
            self.beginRemoveRows(_ROOT, first, last)
            for key in map(self.row_key, rows[first : last + 1]):
                del self._by_key[key]
            del rows[first : last + 1]
            self._positions = None
            self.endRemoveRows()

    def _replace_changed(self, wanted: dict[Hashable, R]) -> None:
        """Rebuild the rows whose record differs from ``wanted``; signal each changed run."""
        rows = self._rows
        keys = list(map(self.row_key, rows))  # read in C: a full refresh reads 100,000
        changed = [
            n
            for n, (key, shown) in enumerate(zip(keys, map(self.row_record, rows), strict=True))
            if (record := wanted[key]) is not shown and record != shown
        ]
        self._replace_rows(changed, [wanted[keys[n]] for n in changed])

    def _replace_rows(self, changed: list[int], records: list[R]) -> None:
        """Show ``records`` in rows ``changed`` (ascending, same keys); signal each run."""
        if not changed:
            return
        rows = self._rows
        sort_key = self.sort_key_of(self._sort_column)
        order_broken = False
        new_rows = self.rows_for(records)
        for number, new_row in zip(changed, new_rows, strict=True):
            if sort_key(new_row) != sort_key(rows[number]):
                order_broken = True
            rows[number] = new_row
            self._by_key[self.row_key(new_row)] = new_row
        last_column = len(self.COLUMNS) - 1
        first = last = changed[0]
        for following in [*changed[1:], None]:
            if following is not None and following == last + 1:
                last = following
                continue
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))
            if following is not None:
                first = last = following
        if order_broken:
            self._reorder()

    def _insert_records(self, records: list[R]) -> None:
        """Add rows for ``records`` (all new keys) where the current sort order puts them."""
        if records:
            self._insert_rows(self.rows_for(records))

    def _insert_rows(self, new_rows: list[Row[R]], *, in_order: bool = False,
                     by_key: dict[Hashable, Row[R]] | None = None) -> None:
        """Add ``new_rows`` (all new keys) where the current sort order puts them.

        ``in_order``: they are already in the table's order. ``by_key``: the same rows by
        key, when the caller has them so (copying a dict is far faster than rehashing).
        """
        if not new_rows:
            return
        if not in_order:
            self._sort_rows(new_rows)
        rows = self._rows
        if not rows:
            self._insert_run(0, new_rows, by_key)
            return
        if len(new_rows) <= _PLACE_ONE_BY_ONE:
            places = [self._place_of(row) for row in new_rows]
        else:
            # A big batch is placed only if it falls in one gap (a page of older history).
            first, last = self._place_of(new_rows[0]), self._place_of(new_rows[-1])
            if first == last:
                self._insert_run(first, new_rows, by_key)
                return
            places = []
        runs: list[tuple[int, list[Row[R]]]] = []
        for place, row in zip(places, new_rows, strict=False):
            if runs and runs[-1][0] == place:
                runs[-1][1].append(row)
            else:
                runs.append((place, [row]))
        if places and len(runs) <= _MAX_INSERT_RUNS:
            for place, run in reversed(runs):  # from the bottom, so earlier places stay right
                self._insert_run(place, run)
        else:
            self._insert_run(len(rows), new_rows, by_key)
            self._reorder()

    def _insert_run(self, place: int, run: list[Row[R]],
                    by_key: dict[Hashable, Row[R]] | None = None) -> None:
        """Insert ``run`` as rows ``place``..., with one rowsInserted (``by_key``: see above;
        the table may keep that dict as its own)."""
        self.beginInsertRows(_ROOT, place, place + len(run) - 1)
        self._rows[place:place] = run
        if by_key is None:
            self._by_key.update(zip(map(self.row_key, run), run, strict=True))
        elif len(by_key) > len(self._by_key):  # the few shown go into the many new
            by_key.update(self._by_key)
            self._by_key = by_key
        else:
            self._by_key.update(by_key)
        self._positions = None
        self.endInsertRows()

    def _place_of(self, new_row: Row[R]) -> int:
        """Where ``new_row`` belongs among the current rows (a binary search)."""
        rows = self._rows
        sort_key, descending = self.sort_key_of(self._sort_column), self._descending
        key_of = self.row_key
        value, key = sort_key(new_row), key_of(new_row)
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high) // 2
            other = rows[middle]
            other_value = sort_key(other)
            if other_value == value:
                comes_before = key_of(other) > key if descending else key_of(other) < key
            elif descending:
                comes_before = other_value > value
            else:
                comes_before = other_value < value
            if comes_before:
                low = middle + 1
            else:
                high = middle
        return low

    def _reorder(self, *, turned: bool = False) -> None:
        """Sort the rows by the current column; one layout change if the order changed.

        ``turned``: only the direction changed, so the rows are reversed, not sorted.
        """
        old = self._rows
        if turned:
            new = old[::-1]
        else:
            new = list(old)
            self._sort_rows(new)
        if len(new) < 2 or (not turned and all(map(operator.is_, old, new))):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        self._rows = new
        self._positions = None
        if persistent:
            numbers = {index.row() for index in persistent}
            if turned:
                moved = {number: len(new) - 1 - number for number in numbers}
            elif len(numbers) <= _FIND_ONE_BY_ONE:
                # A scan in C that stops at the row itself (every row differs by its key) is
                # far quicker than a map of 100,000 rows made for the one or two selected.
                moved = {number: new.index(old[number]) for number in numbers}
            else:
                where = {key: number for number, key in enumerate(map(self.row_key, new))}
                moved = {number: where[self.row_key(old[number])] for number in numbers}
            self.changePersistentIndexList(
                persistent,
                [self.createIndex(moved[index.row()], index.column()) for index in persistent],
            )
        self.layoutChanged.emit()
