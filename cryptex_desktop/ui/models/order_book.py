"""The order book of one market as a table: asks above, the spread, bids below.

Rows, top to bottom: the sell offers (asks) from the highest price down to the best
(lowest) ask, one spread row, then the buy offers (bids) from the best (highest) bid down.
So the two best prices sit either side of the middle, as a person reads a book.

Each level has its price, its amount, the running total (the amount from the best price
out to this level: what an order at this price could take at most) and a depth fraction:
its amount against the largest level in the book, for the bar behind the row. (The bar
follows the level, not the running total: with 1,000 levels a side, the far end's total
would dwarf the levels near the spread that a person reads.)

A refresh keeps the rows in place: only the rows a side gained or lost are inserted or
removed at its outer end, then one ``dataChanged`` covers the rest, so a view keeps its
current row and scroll position. Texts are formatted when a view asks for them and kept
until the next refresh: a view shows a few dozen of the 2,001 rows.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from cryptex_desktop.api.market import BookLevel, OrderBook
from cryptex_desktop.api.money import money_context
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.formatting import Market, market, number_convention, number_text
from cryptex_desktop.ui.models.keyed_table import Tone, tone_brush
from cryptex_desktop.ui.numbers import NumberConvention

PRICE, AMOUNT, TOTAL = range(3)

#: The level's price (Decimal); None on the spread row.
PRICE_ROLE = Qt.ItemDataRole.UserRole + 11
#: The amount from the best price out to this level (Decimal); None on the spread row.
CUMULATIVE_ROLE = Qt.ItemDataRole.UserRole + 12
#: The level's amount against the book's largest level, 0 to 1 (a float: a bar's length).
DEPTH_ROLE = Qt.ItemDataRole.UserRole + 13
#: Which side the row is on (:class:`BookSide`); None on the spread row.
SIDE_ROLE = Qt.ItemDataRole.UserRole + 14

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_PRICE = int(PRICE_ROLE)
_CUMULATIVE = int(CUMULATIVE_ROLE)
_DEPTH = int(DEPTH_ROLE)
_SIDE = int(SIDE_ROLE)
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter
_ROOT = QModelIndex()
_LEVEL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_AMOUNT = operator.attrgetter("amount")
_ZERO = Decimal(0)


class BookSide(enum.Enum):
    """A side of the book, named by what its offers do: asks sell, bids buy."""

    ASKS = "sell"
    BIDS = "buy"

    @property
    def tone(self) -> Tone:
        """The colour of its prices and bars: buy green, sell red."""
        return Tone.POSITIVE if self is BookSide.BIDS else Tone.NEGATIVE


class LevelRow(NamedTuple):
    """What a view paints of one level: its side, depth fraction and three texts."""

    side: BookSide
    depth: float
    texts: tuple[str, str, str]


class OrderBookModel(QAbstractTableModel):
    """Both sides of one market's order book, with running totals and depth fractions."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pair = ""
        self._market: Market | None = None
        self._asks: Sequence[BookLevel] = ()
        self._bids: Sequence[BookLevel] = ()
        self._ask_totals = RunningTotals(())
        self._bid_totals = RunningTotals(())
        self._largest = Decimal(0)
        self._convention: NumberConvention = number_convention()
        self._painted: dict[int, LevelRow] = {}
        self._spread_text = ""

    # -- updating ----------------------------------------------------------------------------

    def set_book(self, book: OrderBook | None) -> None:
        """Show ``book`` (None: nothing), keeping rows in place when the market is the same."""
        if book is None:
            if self.rowCount():
                self.beginResetModel()
                self._store_asks((), RunningTotals(()))
                self._store_bids((), RunningTotals(()))
                self.endResetModel()
            self._pair = ""
            return
        asks, bids = book.asks, book.bids
        ask_totals, bid_totals = RunningTotals(asks), RunningTotals(bids)
        self._largest = max(max(map(_AMOUNT, asks), default=_ZERO),
                            max(map(_AMOUNT, bids), default=_ZERO))
        self._convention = number_convention()  # asked once a refresh: a new language shows
        self._painted = {}
        if book.pair != self._pair or not self.rowCount() or not (asks or bids):
            self.beginResetModel()
            self._pair = book.pair
            self._market = market(book.pair)
            self._store_asks(asks, ask_totals)
            self._store_bids(bids, bid_totals)
            self.endResetModel()
            return
        self._update_asks(asks, ask_totals)
        self._update_bids(bids, bid_totals)
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, TOTAL))

    def _store_asks(self, asks: Sequence[BookLevel], totals: RunningTotals) -> None:
        self._asks, self._ask_totals = asks, totals
        self._spread_text = ""

    def _store_bids(self, bids: Sequence[BookLevel], totals: RunningTotals) -> None:
        self._bids, self._bid_totals = bids, totals
        self._spread_text = ""

    def _update_asks(self, asks: Sequence[BookLevel], totals: RunningTotals) -> None:
        """New asks: rows gained or lost at the top (the far end), the rest in place."""
        gained = len(asks) - len(self._asks)
        if gained > 0:
            self.beginInsertRows(_ROOT, 0, gained - 1)
            self._store_asks(asks, totals)
            self.endInsertRows()
        elif gained < 0:
            self.beginRemoveRows(_ROOT, 0, -gained - 1)
            self._store_asks(asks, totals)
            self.endRemoveRows()
        else:
            self._store_asks(asks, totals)

    def _update_bids(self, bids: Sequence[BookLevel], totals: RunningTotals) -> None:
        """New bids: rows gained or lost at the bottom (the far end), the rest in place."""
        first = len(self._asks) + 1 + len(self._bids)
        gained = len(bids) - len(self._bids)
        if gained > 0:
            self.beginInsertRows(_ROOT, first, first + gained - 1)
            self._store_bids(bids, totals)
            self.endInsertRows()
        elif gained < 0:
            self.beginRemoveRows(_ROOT, first + gained, first - 1)
            self._store_bids(bids, totals)
            self.endRemoveRows()
        else:
            self._store_bids(bids, totals)

    # -- reading -----------------------------------------------------------------------------

    @property
    def pair(self) -> str:
        """The market shown ("" when none)."""
        return self._pair

    def spread_row(self) -> int:
        """The row of the spread line between asks and bids (-1 when the book is empty)."""
        return len(self._asks) if self.rowCount() else -1

    def best_ask(self) -> Decimal | None:
        """The lowest price anyone sells at: what a buy pays at best."""
        return self._asks[0].price if self._asks else None

    def best_bid(self) -> Decimal | None:
        """The highest price anyone buys at: what a sell gets at best."""
        return self._bids[0].price if self._bids else None

    def level_at(self, row: int) -> tuple[BookSide, int] | None:
        """Which side and which level (0: the best) ``row`` shows; None for the spread row."""
        asks = len(self._asks)
        if 0 <= row < asks:
            return BookSide.ASKS, asks - 1 - row
        level = row - asks - 1
        if 0 <= level < len(self._bids):
            return BookSide.BIDS, level
        return None

    def row_of_level(self, side: BookSide, level: int) -> int:
        """The row showing ``side``'s ``level`` (0: the best price)."""
        if side is BookSide.ASKS:
            return len(self._asks) - 1 - level
        return len(self._asks) + 1 + level

    def price_at(self, row: int) -> Decimal | None:
        """The price of the level in ``row``; None for the spread row."""
        found = self.level_at(row)
        if found is None:
            return None
        side, level = found
        return (self._asks if side is BookSide.ASKS else self._bids)[level].price

    def cumulative_at(self, row: int) -> Decimal | None:
        """The amount from the best price out to the level in ``row``; None for the spread."""
        found = self.level_at(row)
        if found is None:
            return None
        side, level = found
        return (self._ask_totals if side is BookSide.ASKS else self._bid_totals)[level]

    def depth_at(self, row: int) -> float:
        """The level's amount against the book's largest level, 0 to 1 (0 for the spread)."""
        found = self.level_row(row)
        return found.depth if found is not None else 0.0

    def level_row(self, row: int) -> LevelRow | None:
        """What a view paints of ``row`` (None for the spread row), kept until the next refresh."""
        found = self._painted.get(row)
        if found is None:
            level = self.level_at(row)
            if level is None:
                return None
            found = self._level_row(row, *level)
        return found

    def cell_text(self, row: int, column: int) -> str:
        """What ``row`` shows in ``column`` (the spread's words in every column of its row)."""
        found = self.level_at(row)
        if found is None:
            return self.spread_text() if row == len(self._asks) else ""
        return self._cells(row, *found)[column]

    def spread_text(self) -> str:
        """The words of the spread row: the gap between the best prices, or which side is empty."""
        if not self._spread_text:
            self._spread_text = self._describe_spread()
        return self._spread_text

    def _describe_spread(self) -> str:
        best_ask, best_bid = self.best_ask(), self.best_bid()
        if best_ask is None and best_bid is None:
            return ""
        if best_ask is None:
            return _("No one is selling right now")
        if best_bid is None:
            return _("No one is buying right now")
        assert self._market is not None
        with money_context():
            gap = best_ask - best_bid
            share = gap / best_ask * 100
        return _("Spread {gap} {quote} ({share} %)").format(
            gap=number_text(gap, self._market.price_decimals, convention=self._convention),
            quote=self._market.quote,
            share=number_text(share, 3, convention=self._convention),
        )

    # -- Qt's model interface ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if parent.isValid() or not (self._asks or self._bids):
            return 0
        return len(self._asks) + 1 + len(self._bids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        # The spread row is neither selectable nor enabled: arrow keys step over it.
        if not index.isValid() or index.row() == len(self._asks):
            return Qt.ItemFlag.NoItemFlags
        return _LEVEL_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        row, column = index.row(), index.column()
        found = self.level_at(row)
        if found is None:
            if row != len(self._asks) or not self.rowCount():
                return None
            if role in (_DISPLAY, _ACCESSIBLE, _TOOLTIP):
                return self.spread_text() if role != _TOOLTIP else _(
                    "The gap between the lowest price anyone sells at and the highest price "
                    "anyone buys at.")
            if role == _ALIGNMENT:
                return _CENTRE
            return None
        side, level = found
        if role == _DISPLAY:
            return self._cells(row, side, level)[column]
        if role == _ALIGNMENT:
            return _NUMBER_ALIGNMENT
        if role == _FOREGROUND:
            return tone_brush(side.tone) if column == PRICE else None
        if role == _DEPTH:
            return self.depth_at(row)
        if role == _PRICE:
            return self.price_at(row)
        if role == _CUMULATIVE:
            return self.cumulative_at(row)
        if role == _SIDE:
            return side
        if role in (_TOOLTIP, _ACCESSIBLE):
            return self._describe_level(row, side, level, with_hint=role == _TOOLTIP)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 3:
            return super().headerData(section, orientation, role)
        details = self._market
        base, quote = (details.base, details.quote) if details else ("", "")
        if role == _DISPLAY:
            if not details:
                return (_("Price"), _("Amount"), _("Total"))[section]
            return (
                _("Price ({quote})").format(quote=quote),
                _("Amount ({base})").format(base=base),
                _("Total ({base})").format(base=base),
            )[section]
        if role == _TOOLTIP:
            if section == 0 and not details:
                return _("The price of the offers at this level, in the quote currency for "
                         "one unit.")
            return (
                _("The price of the offers at this level, in {quote} for one {base}."),
                _("How much is offered at this price."),
                _("How much is offered from the best price out to this one: the most an "
                  "order at this price could take at once."),
            )[section].format(quote=quote, base=base)
        if role == _ALIGNMENT:
            return _NUMBER_ALIGNMENT
        return None

    # -- inside ------------------------------------------------------------------------------

    def _cells(self, row: int, side: BookSide, level: int) -> tuple[str, str, str]:
        """The three texts of ``row``, formatted on first request after a refresh."""
        return self._level_row(row, side, level).texts

    def _level_row(self, row: int, side: BookSide, level: int) -> LevelRow:
        found = self._painted.get(row)
        if found is None:
            details = self._market
            assert details is not None
            if side is BookSide.ASKS:
                entry, total = self._asks[level], self._ask_totals[level]
            else:
                entry, total = self._bids[level], self._bid_totals[level]
            convention = self._convention
            # A share of a bar's length, not money: a float is what painting wants.
            depth = float(entry.amount / self._largest) if self._largest else 0.0
            found = self._painted[row] = LevelRow(side, depth, (
                number_text(entry.price, details.price_decimals, convention=convention),
                number_text(entry.amount, details.base_decimals, convention=convention),
                number_text(total, details.base_decimals, convention=convention),
            ))
        return found

    def _describe_level(self, row: int, side: BookSide, level: int, *, with_hint: bool) -> str:
        details = self._market
        assert details is not None
        price, amount, total = self._cells(row, side, level)
        words = {"price": price, "amount": amount, "total": total,
                 "base": details.base, "quote": details.quote}
        if side is BookSide.ASKS and with_hint:
            text = _("Selling {amount} {base} at {price} {quote}; {total} {base} from the "
                     "lowest price up to this one. Click to use this price in your order; "
                     "Shift+click to use the price and the total amount.")
        elif side is BookSide.ASKS:
            text = _("Selling {amount} {base} at {price} {quote}; {total} {base} from the "
                     "lowest price up to this one.")
        elif with_hint:
            text = _("Buying {amount} {base} at {price} {quote}; {total} {base} from the "
                     "highest price down to this one. Click to use this price in your order; "
                     "Shift+click to use the price and the total amount.")
        else:
            text = _("Buying {amount} {base} at {price} {quote}; {total} {base} from the "
                     "highest price down to this one.")
        return text.format(**words)


class RunningTotals:
    """Each level's amount added to those of the better levels before it, worked out on demand.

    A person looks at the levels near the spread: adding up all 1,000 of a side at every
    refresh would be wasted on the UI thread, so the sums go only as far as asked.
    """

    def __init__(self, levels: Sequence[BookLevel]) -> None:
        self._levels = levels
        self._totals: list[Decimal] = []

    def __getitem__(self, level: int) -> Decimal:
        totals = self._totals
        if level >= len(totals):
            if not 0 <= level < len(self._levels):
                raise IndexError(level)
            running = totals[-1] if totals else _ZERO
            append = totals.append
            with money_context():
                for entry in self._levels[len(totals) : level + 1]:
                    running += entry.amount
                    append(running)
        return totals[level]

    def __len__(self) -> int:
        return len(self._levels)
