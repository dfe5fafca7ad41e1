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
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.market import OrderBook
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.formatting import pair_text
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.models.order_book import PRICE, BookSide, OrderBookModel
from cryptex_desktop.ui.widgets.labels import ResultLabel, set_text_role

#: How much of its side's colour a depth bar shows: faint, so the numbers on it stay readable.
BAR_OPACITY = {False: 0.16, True: 0.24}  # light, dark
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CENTRE = Qt.AlignmentFlag.AlignCenter
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_PADDING = 6
_SELECTED = QStyle.StateFlag.State_Selected
_TEXT_CACHE_LIMIT = 20_000
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
    """Paints a level: its depth bar (from the right edge of the row), then its text.

    Each cell paints its own slice of the row's bar, so the bar runs across the columns.
    The spread row gets the quiet panel background with muted text. It draws the text
    itself, reading the model directly: Qt's styled painting asks the model a dozen
    questions per cell and took 15 ms to paint a screenful of levels.
    """

    def __init__(self, model: OrderBookModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._book = model
        self._row_width = 0
        self._selected_row = -1
        self._colours = _cell_colours()
        self._font_key = ""
        # Prices repeat from one refresh to the next: their laid-out text is kept, by text.
        self._texts: dict[str, tuple[QStaticText, float, float]] = {}

    def begin_pass(self, font: QFont, row_width: int, selected_row: int) -> None:
        """Called by the table before it paints: the row's width, the font, the selected row.

        What is the same for every cell is looked up once a repaint (PySide's flag
        arithmetic on ``option.state`` alone costs microseconds a cell).
        """
        self._row_width = row_width
        self._selected_row = selected_row
        self._colours = _cell_colours()
        key = font.key()
        if key != self._font_key or len(self._texts) > _TEXT_CACHE_LIMIT:
            self._texts.clear()
            self._font_key = key

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.row()
        rect = option.rect
        facts = self._book.level_row(row)
        colours = self._colours
        if facts is None:
            painter.fillRect(rect, colours.panel)
            painter.setPen(colours.muted)
            painter.drawText(rect, _CENTRE, self._book.spread_text())
            return
        column = index.column()
        left, top, right, height = rect.left(), rect.top(), rect.right() + 1, rect.height()
        if row == self._selected_row:
            painter.fillRect(rect, colours.highlight)
            painter.setPen(colours.highlighted_text)
        else:
            if facts.depth > 0:
                start = max(left, int(self._row_width * (1.0 - facts.depth)))
                if start < right:
                    painter.fillRect(start, top, right - start, height, colours.bars[facts.side])
            painter.setPen(colours.sides[facts.side] if column == PRICE else colours.text)
        text = facts.texts[column]
        laid_out = self._texts.get(text)
        if laid_out is None:
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), painter.font())
            size = static.size()
            laid_out = self._texts[text] = (static, size.width(), size.height())
        static, width, text_height = laid_out
        painter.drawStaticText(QPointF(right - _PADDING - width, top + (height - text_height) / 2),
                               static)


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
    """The table of levels: a click or Enter on a level says which row, and whether with Shift."""

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
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        # Fixed heights: 2,001 rows sized to their contents would be measured on every refresh.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        model.modelReset.connect(self._place_spread)
        model.rowsInserted.connect(self._place_spread)
        model.rowsRemoved.connect(self._place_spread)

    def _place_spread(self) -> None:
        """The spread row spans the three columns, wherever the asks leave it."""
        self.clearSpans()
        row = self._book.spread_row()
        if row >= 0:
            self.setSpan(row, 0, 1, self._book.columnCount())

    def paintEvent(self, event: QPaintEvent) -> None:
        selected = self.selectionModel().selectedRows()
        self._delegate.begin_pass(self.font(), self.horizontalHeader().length(),
                                  selected[0].row() if selected else -1)
        super().paintEvent(event)

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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
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
        self.state_label.show_result(sentence)
        set_text_role(self.state_label, role)
        self.stack.setCurrentWidget(self._state)

    def _name_for(self, pair: str) -> None:
        market = pair_text(pair) if pair else _("this market")
        self.table.setAccessibleName(_("Order book of {market}").format(market=market))
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


