"""The order book panel: sell offers above, buy offers below, the spread between them.

Each level has a faint bar behind it in its side's colour, as long as its amount against
the largest level. Clicking a level (or Enter on it) offers its price to the order form
(:attr:`OrderBookView.priceChosen`); with Shift, also the amount from the best price out to
it (:attr:`OrderBookView.priceAndAmountChosen`): everything an order at that price could
take at once. The arrow keys move between levels, stepping over the spread line.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedWidget,
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
from cryptex_desktop.ui.models.order_book import (
    DEPTH_ROLE,
    SIDE_ROLE,
    BookSide,
    OrderBookModel,
)
from cryptex_desktop.ui.widgets.labels import ResultLabel, set_text_role

#: How much of its side's colour a depth bar shows: faint, so the numbers on it stay readable.
BAR_OPACITY = {False: 0.16, True: 0.24}  # light, dark
_SHIFT = Qt.KeyboardModifier.ShiftModifier
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
    """The faint colour of ``side``'s depth bars: its theme colour, mostly see-through."""
    current = theme.current()
    key = (side, current.name)
    found = _bar_colours.get(key)
    if found is None:
        found = QColor(current.colour(_SIDE_ROLES[side]))
        found.setAlphaF(BAR_OPACITY[current.dark])
        _bar_colours[key] = found
    return found


class DepthBarDelegate(QStyledItemDelegate):
    """Paints a level's depth bar (from the right edge of the row) under its text.

    Each cell paints its own slice of the row's bar, so the bar runs across the columns.
    The spread row gets the quiet panel background with muted text.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        side = index.data(SIDE_ROLE)
        if side is None:
            painter.fillRect(option.rect, theme.colour(theme.Role.PANEL))
            spread = QStyleOptionViewItem(option)
            spread.palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text,
                                    theme.colour(theme.Role.MUTED))
            super().paint(painter, spread, index)
            return
        fraction = index.data(DEPTH_ROLE) or 0.0
        if fraction > 0:
            view = option.widget
            width = view.horizontalHeader().length() if isinstance(view, QTableView) else 0
            rect = option.rect
            left = max(float(rect.left()), width * (1.0 - fraction))
            right = float(rect.right() + 1)
            if left < right:
                painter.fillRect(QRectF(left, rect.top(), right - left, rect.height()),
                                 bar_colour(side))
        super().paint(painter, option, index)


class OrderBookTable(QTableView):
    """The table of levels: a click or Enter on a level says which row, and whether with Shift."""

    levelChosen = Signal(int, bool)

    def __init__(self, model: OrderBookModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._book = model
        self._pressed = QPersistentModelIndex()
        self._centre_pending = True
        self.setModel(model)
        self.setItemDelegate(DepthBarDelegate(self))
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


