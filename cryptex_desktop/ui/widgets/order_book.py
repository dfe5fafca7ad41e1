"""The order book panel: sell offers above, buy offers below, the spread between them.

Each level has a faint bar behind it in its side's colour, as long as its amount against
the largest level. Clicking a level (or Enter on it) offers its price to the order form
(:attr:`OrderBookView.priceChosen`); with Shift, also the amount from the best price out to
it (:attr:`OrderBookView.priceAndAmountChosen`): everything an order at that price could
take at once. The arrow keys move between levels, stepping over the spread line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.market import OrderBook
from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.formatting import pair_text
from cryptex_desktop.ui.models.order_book import PRICE, BookSide, OrderBookModel
from cryptex_desktop.ui.widgets.labels import ResultLabel, muted_label, set_text_role

#: How much of its side's colour a depth bar shows: faint, so the numbers on it stay readable.
BAR_OPACITY = {False: 0.16, True: 0.24}  # light, dark
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CENTRE = Qt.AlignmentFlag.AlignCenter
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_PADDING = 6
_ROW_PADDING = 6  # pixels above and below a level's figures
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SIDE_ROLES = {BookSide.BIDS: theme.Role.BUY, BookSide.ASKS: theme.Role.SELL}
_bar_colours: dict[tuple[BookSide, str], QColor] = {}


def no_offers_text() -> str:
    """What the panel says about a market with an empty book."""
    return _("No offers yet. An order you place now will be the first one here.")


def unavailable_text() -> str:
    """What the panel says when the exchange did not send the book."""
    return _("Market prices are not available right now. The app keeps asking; you can "
             "still place an order with a price of your own.")


def bar_colour(side: BookSide) -> QColor:
    """The faint colour of ``side``'s depth bars: its theme colour, mostly see-through.

    It is the see-through colour as it looks over the table's background, worked out once
    and painted opaque: blending a hundred translucent bars cost a millisecond a repaint.
    """
    current = theme.current()
    key = (side, current.name)
    found = _bar_colours.get(key)
    if found is None:
        found = _bar_colours[key] = blend(current.colour(_SIDE_ROLES[side]),
                                          current.colour(theme.Role.BASE),
                                          BAR_OPACITY[current.dark])
    return found


def blend(colour: QColor, background: QColor, opacity: float) -> QColor:
    """``colour`` at ``opacity`` (0 to 1) over ``background``, as one opaque colour."""
    mixed = QColor(background)
    mixed.setRgbF(*(opacity * top + (1 - opacity) * bottom for top, bottom in (
        (colour.redF(), background.redF()), (colour.greenF(), background.greenF()),
        (colour.blueF(), background.blueF()))))
    return mixed


class DepthBarDelegate(QStyledItemDelegate):
    """Paints a whole level in one go: its depth bar from the right edge, then its figures.

    The table shows only its first column, as wide as the row, and this paints the price,
    amount and total in thirds of it; the spread row gets the quiet panel background with
    muted words. It reads the model directly and draws the text itself: Qt's styled
    painting of three cells a row asked the model dozens of questions a row and took
    15 ms to paint a screenful of levels; this takes a quarter of that.
    """

    def __init__(self, model: OrderBookModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._book = model
        self._selected_row = -1
        self._colours = _cell_colours()
        self._font_key = ""
        # Numbers are right-aligned by adding up their characters' advances (digits have
        # no kerning): a tenth of the cost of Qt laying out each text to align it.
        self._advances = _Advances(QFontMetricsF(QFont()))
        self._ascent = self._text_height = self._baseline = 0.0

    def begin_pass(self, font: QFont, row_height: int, selected_row: int) -> None:
        """Called by the table before it paints: the font, the row height, the selected row.

        What is the same for every row is looked up once a repaint (PySide's flag
        arithmetic on ``option.state`` alone costs microseconds a row).
        """
        self._selected_row = selected_row
        self._colours = _cell_colours()
        key = font.key()
        if key != self._font_key:
            metrics = QFontMetricsF(font)
            self._advances = _Advances(metrics)
            self._font_key = key
            self._ascent, self._text_height = metrics.ascent(), metrics.height()
        self._baseline = (row_height - self._text_height) / 2 + self._ascent

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.paint_row(painter, option.rect, index.row())

    def paint_row(self, painter: QPainter, rect: QRect, row: int) -> None:
        """Paint level ``row`` (or the spread line) into ``rect``, the whole row."""
        facts = self._book.level_row(row)
        colours = self._colours
        if facts is None:
            painter.fillRect(rect, colours.panel)
            painter.setPen(colours.muted)
            painter.drawText(rect, _CENTRE, self._book.spread_text())
            return
        left, top, width, height = rect.left(), rect.top(), rect.width(), rect.height()
        selected = row == self._selected_row
        if selected:
            painter.fillRect(rect, colours.highlight)
            painter.setPen(colours.highlighted_text)
        elif facts.depth > 0:
            bar = int(width * facts.depth)
            painter.fillRect(left + width - bar, top, bar, height, colours.bars[facts.side])
        advances = self._advances.__getitem__
        baseline = top + self._baseline
        for column, text in enumerate(facts.texts):
            if not selected:
                painter.setPen(colours.sides[facts.side] if column == PRICE else colours.text)
            right = left + width * (column + 1) / 3 - _PADDING
            painter.drawText(QPointF(right - sum(map(advances, text)), baseline), text)


class _Advances(dict[str, float]):
    """How far each character moves the pen in one font, measured on first use."""

    def __init__(self, metrics: QFontMetricsF) -> None:
        super().__init__()
        self._metrics = metrics

    def __missing__(self, char: str) -> float:
        width = self[char] = self._metrics.horizontalAdvance(char)
        return width


class _CellColours(NamedTuple):
    """The theme's colours a level is painted with, made once per theme."""

    text: QColor
    muted: QColor
    panel: QColor
    highlight: QColor
    highlighted_text: QColor
    sides: dict[BookSide, QColor]
    bars: dict[BookSide, QColor]


_cell_colour_sets: dict[str, _CellColours] = {}


def _cell_colours() -> _CellColours:
    current = theme.current()
    found = _cell_colour_sets.get(current.name)
    if found is None:
        colour = current.colour
        found = _cell_colour_sets[current.name] = _CellColours(
            colour(theme.Role.TEXT), colour(theme.Role.MUTED), colour(theme.Role.PANEL),
            colour(theme.Role.HIGHLIGHT), colour(theme.Role.HIGHLIGHTED_TEXT),
            {side: colour(role) for side, role in _SIDE_ROLES.items()},
            {side: bar_colour(side) for side in BookSide})
    return found


class OrderBookTable(QTableView):
    """The levels, one painted cell a row: a click or Enter on a level says which row, and
    whether with Shift."""

    levelChosen = Signal(int, bool)

    def __init__(self, model: OrderBookModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._book = model
        self._pressed = QPersistentModelIndex()
        self._centre_pending = True
        self.setModel(model)
        self._delegate = DepthBarDelegate(model, self)
        self.setItemDelegate(self._delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().hide()  # the panel's heading row names the three figures
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        # Fixed heights: 2,001 rows sized to their contents would be measured on every refresh.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + _ROW_PADDING)
        model.modelReset.connect(self._show_first_column_only)
        self._show_first_column_only()

    def _show_first_column_only(self) -> None:
        """Column 0 spans the row and the delegate paints all three figures in it.

        One call a row instead of three: the table's own work per cell was half the cost.
        """
        for column in range(1, self._book.columnCount()):
            self.setColumnHidden(column, True)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the rows in view through the delegate, one call a row.

        Rows all have one height and one cell, so the table's own cell-by-cell painting
        (which asks the model for flags and indexes of every cell) is skipped: it was half
        the time of a refresh.
        """
        selected = self.selectionModel().selectedRows()
        height = self.verticalHeader().defaultSectionSize()
        self._delegate.begin_pass(self.font(), height, selected[0].row() if selected else -1)
        viewport = self.viewport()
        painter = QPainter(viewport)
        area = event.rect()
        painter.fillRect(area, self.palette().color(QPalette.ColorRole.Base))
        rows = self._book.rowCount()
        first = self.rowAt(area.top())
        if first >= 0:
            top = self.rowViewportPosition(first)
            width = viewport.width()
            paint_row = self._delegate.paint_row
            for row in range(first, rows):
                if top > area.bottom():
                    break
                paint_row(painter, QRect(0, top, width, height), row)
                top += height
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = QPersistentModelIndex(self.indexAt(event.position().toPoint()))
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        pressed, self._pressed = self._pressed, QPersistentModelIndex()
        super().mouseReleaseEvent(event)
        if (event.button() == Qt.MouseButton.LeftButton and index.isValid()
                and pressed.isValid() and pressed.row() == index.row()):
            self._choose(index.row(), bool(event.modifiers() & _SHIFT))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS and self.currentIndex().isValid():
            self._choose(self.currentIndex().row(), bool(event.modifiers() & _SHIFT))
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Before Qt's own, which would make the top row (the highest ask) current.
        if not self.currentIndex().isValid():
            self.focus_best_level()
        super().focusInEvent(event)

    def focus_best_level(self) -> None:
        """Make the best ask (else the best bid) the current row, next to the spread."""
        spread = self._book.spread_row()
        if spread < 0:
            return
        row = spread - 1 if spread > 0 else spread + 1
        self.setCurrentIndex(self._book.index(row, 0))

    def centre_when_shown(self, *, again: bool = True) -> None:
        """Scroll the spread line to the middle now, or once the table has its size.

        With ``again`` it is done even if done before (a new market); without, only if
        still waiting to be done (the first book after an empty one).
        """
        if again:
            self._centre_pending = True
        if not self._centre_pending or not self.isVisible() or self.viewport().height() <= 1:
            return
        spread = self._book.spread_row()
        if spread >= 0:
            self.scrollTo(self._book.index(spread, 0),
                          QAbstractItemView.ScrollHint.PositionAtCenter)
            self._centre_pending = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.centre_when_shown(again=False)

    def _choose(self, row: int, with_amount: bool) -> None:
        if self._book.level_at(row) is not None:
            self.levelChosen.emit(row, with_amount)


class BookHeading(QWidget):
    """The names of the three figures above the levels, each over its third of the row."""

    def __init__(self, model: OrderBookModel, table: OrderBookTable,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._book = model
        self._table = table
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(0)
        self.labels = []
        for _column in range(model.columnCount()):
            label = muted_label(wrap=False)
            label.setAlignment(_NUMBER_ALIGNMENT)
            label.setContentsMargins(0, 0, _PADDING, 0)
            layout.addWidget(label, 1)
            self.labels.append(label)
        model.modelReset.connect(self.refresh)
        table.viewport().installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        """Take the words from the model: they name the market's currencies."""
        horizontal = Qt.Orientation.Horizontal
        for column, label in enumerate(self.labels):
            label.setText(self._book.headerData(column, horizontal))
            label.setToolTip(self._book.headerData(column, horizontal,
                                                   Qt.ItemDataRole.ToolTipRole))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the thirds over the table's rows, whether or not its scroll bar shows."""
        if event.type() == QEvent.Type.Resize:
            right = self._table.width() - self._table.viewport().width()
            self._layout.setContentsMargins(self._table.frameWidth(), 0, right, 2)
        return False


class OrderBookView(QWidget):
    """The order book of one market, with its empty and unavailable states.

    ``priceChosen`` carries the price (a Decimal) of the level a person clicked or pressed
    Enter on; ``priceAndAmountChosen`` the price and the amount from the best price out to
    that level (Shift+click, Shift+Enter).
    """

    priceChosen = Signal(object)
    priceAndAmountChosen = Signal(object, object)

    def __init__(self, model: OrderBookModel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model or OrderBookModel(self)
        self.table = OrderBookTable(self.model)
        self.table.levelChosen.connect(self._on_level_chosen)
        self.state_label = ResultLabel()
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        state = QWidget()
        state_layout = QVBoxLayout(state)
        state_layout.addStretch(1)
        state_layout.addWidget(self.state_label)
        state_layout.addStretch(2)
        self._state = state
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(state)
        self.heading = BookHeading(self.model, self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)
        self._name_for("")
        self.show_empty()

    # -- what the screen calls -----------------------------------------------------------------

    def set_book(self, book: OrderBook) -> None:
        """Show ``book``: the levels, or the empty state when neither side has any."""
        new_market = book.pair != self.model.pair
        self.model.set_book(book)
        if new_market:
            self._name_for(book.pair)
            self.table.centre_when_shown()
        if not self.model.rowCount():
            self.show_empty()
            return
        self.stack.setCurrentWidget(self.table)
        self.heading.show()
        self.table.centre_when_shown(again=False)

    def show_empty(self) -> None:
        """No offers in the book: say so."""
        self._show_state(no_offers_text(), theme.Role.MUTED)

    def show_unavailable(self) -> None:
        """The book could not be read: say so, and offer no stale prices."""
        self.model.set_book(None)
        self.table.centre_when_shown()
        self._show_state(unavailable_text(), theme.Role.WARNING)

    def best_price(self, side: str) -> Decimal | None:
        """The best price an order of ``side`` can get now: a buy the lowest ask, a sell the
        highest bid; None when nobody offers it."""
        if side == BookSide.BIDS.value:  # "buy"
            return self.model.best_ask()
        if side == BookSide.ASKS.value:  # "sell"
            return self.model.best_bid()
        raise ValueError(f"side is buy or sell, not {side!r}")

    def is_showing_levels(self) -> bool:
        """Whether the levels are on show (rather than a sentence)."""
        return self.stack.currentWidget() is self.table

    def state_text(self) -> str:
        """The sentence in place of the levels ("" while they show)."""
        return "" if self.is_showing_levels() else self.state_label.text()

    # -- inside --------------------------------------------------------------------------------

    def _show_state(self, sentence: str, role: theme.Role) -> None:
        self.heading.hide()
        self.state_label.show_result(sentence)
        set_text_role(self.state_label, role)
        self.stack.setCurrentWidget(self._state)

    def _name_for(self, pair: str) -> None:
        self.table.setAccessibleName(
            _("Order book of {market}").format(market=pair_text(pair)) if pair
            else _("Order book of this market"))
        self.table.setAccessibleDescription(_(
            "Sell offers above the spread line, buy offers below it. Up and Down move between "
            "offers; Enter uses the offer's price in your order, Shift+Enter its price and "
            "the total amount up to it."))

    def _on_level_chosen(self, row: int, with_amount: bool) -> None:
        price = self.model.price_at(row)
        if price is None:
            return
        amount = self.model.cumulative_at(row)
        if with_amount and amount is not None:
            self.priceAndAmountChosen.emit(price, amount)
        else:
            self.priceChosen.emit(price)


