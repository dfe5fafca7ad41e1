"""The order book panel: a person clicks or keys a level and its price (and amount) goes out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from cryptex_desktop.api.market import BookLevel, OrderBook
from cryptex_desktop.ui.formatting import number_convention, number_text
from cryptex_desktop.ui.models.order_book import (
    AMOUNT,
    CUMULATIVE_ROLE,
    DEPTH_ROLE,
    PRICE,
    TOTAL,
    BookSide,
    OrderBookModel,
)
from cryptex_desktop.ui.widgets.order_book import (
    OrderBookView,
    no_offers_text,
    unavailable_text,
)
from tests.ui.market.conftest import make_book

WAIT_MS = 10_000


@pytest.fixture
def book_view(qtbot) -> OrderBookView:
    view = OrderBookView()
    qtbot.addWidget(view)
    view.resize(420, 600)
    view.set_book(make_book(5))
    view.show()
    qtbot.waitExposed(view)
    return view


def click_row(qtbot, view: OrderBookView, row: int,
              modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    table = view.table
    rect = table.visualRect(view.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_asks_sit_above_bids_with_the_best_prices_either_side_of_the_spread(book_view):
    model = book_view.model
    book = make_book(5)
    spread = model.spread_row()
    assert spread == 5 and model.rowCount() == 11
    assert model.price_at(spread - 1) == book.asks[0].price  # the lowest ask, just above
    assert model.price_at(0) == book.asks[-1].price  # the highest ask at the top
    assert model.price_at(spread + 1) == book.bids[0].price  # the highest bid, just below
    assert model.price_at(spread) is None
    shown = model.index(spread - 1, PRICE).data()
    assert shown == number_text(book.asks[0].price, 2)
    assert "Spread" in model.index(spread, PRICE).data()


def test_clicking_a_level_offers_its_price(qtbot, book_view):
    row = book_view.model.spread_row() + 2  # the second-best bid
    with qtbot.waitSignal(book_view.priceChosen, timeout=WAIT_MS) as chosen:
        click_row(qtbot, book_view, row)
    assert chosen.args == [make_book(5).bids[1].price]


def test_shift_click_offers_the_price_and_the_amount_up_to_that_level(qtbot, book_view):
    book = make_book(5)
    row = book_view.model.spread_row() - 3  # the third-lowest ask
    with qtbot.waitSignal(book_view.priceAndAmountChosen, timeout=WAIT_MS) as chosen:
        click_row(qtbot, book_view, row, Qt.KeyboardModifier.ShiftModifier)
    assert chosen.args == [book.asks[2].price,
                           book.asks[0].amount + book.asks[1].amount + book.asks[2].amount]


def test_clicking_the_spread_line_offers_nothing(qtbot, book_view):
    chosen = []
    book_view.priceChosen.connect(chosen.append)
    click_row(qtbot, book_view, book_view.model.spread_row())
    click_row(qtbot, book_view, book_view.model.spread_row() - 1)  # then the best ask
    assert chosen == [make_book(5).asks[0].price]
    assert isinstance(chosen[0], Decimal)


def test_keyboard_arrows_step_over_the_spread_and_enter_chooses(qtbot, book_view):
    book = make_book(5)
    table = book_view.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=WAIT_MS)
    spread = book_view.model.spread_row()
    assert table.currentIndex().row() == spread - 1  # starts at the best ask
    with qtbot.waitSignal(book_view.priceChosen, timeout=WAIT_MS) as chosen:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert chosen.args == [book.asks[0].price]

    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == spread + 1  # the spread line is stepped over
    with qtbot.waitSignal(book_view.priceAndAmountChosen, timeout=WAIT_MS) as chosen:
        qtbot.keyClick(table, Qt.Key.Key_Enter, Qt.KeyboardModifier.ShiftModifier)
    assert chosen.args == [book.bids[0].price, book.bids[0].amount]

    qtbot.keyClick(table, Qt.Key.Key_Down)
    with qtbot.waitSignal(book_view.priceAndAmountChosen, timeout=WAIT_MS) as chosen:
        qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert chosen.args == [book.bids[1].price, book.bids[0].amount + book.bids[1].amount]


def test_best_price_is_the_best_opposite_offer(book_view):
    book = make_book(5)
    assert book_view.best_price("buy") == book.asks[0].price
    assert book_view.best_price("sell") == book.bids[0].price
    with pytest.raises(ValueError):
        book_view.best_price("hold")


def test_running_totals_and_depth_fractions():
    book = OrderBook("BTC_USD",
                     bids=(BookLevel(Decimal("99"), Decimal("1")),
                           BookLevel(Decimal("98"), Decimal("4"))),
                     asks=(BookLevel(Decimal("101"), Decimal("2")),
                           BookLevel(Decimal("102"), Decimal("0.5"))))
    model = OrderBookModel()
    model.set_book(book)
    rows = {model.price_at(r): r for r in range(model.rowCount()) if model.price_at(r)}
    totals = {price: model.index(row, TOTAL).data(CUMULATIVE_ROLE) for price, row in rows.items()}
    assert totals == {Decimal("101"): Decimal("2"), Decimal("102"): Decimal("2.5"),
                      Decimal("99"): Decimal("1"), Decimal("98"): Decimal("5")}
    depth = {price: model.index(row, AMOUNT).data(DEPTH_ROLE) for price, row in rows.items()}
    # Each level against the largest (4 BTC at 98).
    assert depth == {Decimal("101"): 0.5, Decimal("102"): 0.125,
                     Decimal("99"): 0.25, Decimal("98"): 1.0}
    assert model.index(model.spread_row(), AMOUNT).data(DEPTH_ROLE) is None
    total_text = model.index(rows[Decimal("102")], TOTAL).data()
    assert total_text == number_text(Decimal("2.5"), 8)
    assert number_convention().decimal_mark in total_text


def test_a_refresh_of_the_same_size_changes_rows_in_place(qtbot, book_view):
    model = book_view.model
    book_view.table.setCurrentIndex(model.index(2, 0))
    resets, changes = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda *args: changes.append(args))
    book_view.set_book(make_book(5, mid="27100", seed=8))
    assert not resets and len(changes) == 1
    assert book_view.table.currentIndex().row() == 2
    assert book_view.best_price("buy") == Decimal("27100.5")


def test_a_side_that_grows_or_shrinks_changes_only_its_far_end(qtbot, book_view):
    model = book_view.model
    inserted, removed = [], []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda parent, first, last: removed.append((first, last)))
    five = make_book(5)
    book_view.set_book(OrderBook("BTC_USD", five.bids[:3], make_book(7).asks))
    assert inserted == [(0, 1)]  # two more asks, at the top
    assert removed == [(11, 12)]  # two fewer bids, at the bottom (rows counted after the insert)
    assert model.rowCount() == 7 + 1 + 3
    assert model.spread_row() == 7
    assert [model.price_at(r) for r in range(model.rowCount())] == [
        *(level.price for level in reversed(make_book(7).asks)), None,
        *(level.price for level in five.bids[:3])]


def test_empty_and_unavailable_books_say_so(qtbot, book_view):
    book_view.set_book(OrderBook("BTC_USD", (), ()))
    assert not book_view.is_showing_levels()
    assert book_view.state_text() == no_offers_text()
    assert book_view.best_price("buy") is None

    book_view.set_book(make_book(3))
    assert book_view.is_showing_levels()
    book_view.show_unavailable()
    assert book_view.state_text() == unavailable_text()
    assert book_view.best_price("sell") is None  # no stale price to act on


def test_one_empty_side_is_named_on_the_spread_line(book_view):
    book_view.set_book(OrderBook("BTC_USD", make_book(3).bids, ()))
    model = book_view.model
    assert model.spread_row() == 0
    assert model.index(0, PRICE).data() == "No one is selling right now"
    assert book_view.best_price("buy") is None
    assert book_view.best_price("sell") == make_book(3).bids[0].price


def test_levels_have_names_a_screen_reader_can_read(book_view):
    model = book_view.model
    assert book_view.table.accessibleName() == "Order book of BTC/USD"
    spoken = model.index(model.spread_row() + 1, PRICE).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Buying ") and "BTC" in spoken and "USD" in spoken
    assert model.headerData(PRICE, Qt.Orientation.Horizontal) == "Price (USD)"
    assert model.headerData(TOTAL, Qt.Orientation.Horizontal,
                            Qt.ItemDataRole.ToolTipRole)


def test_the_view_reads_the_sides_from_the_model(book_view):
    model = book_view.model
    assert model.level_at(model.spread_row() - 1) == (BookSide.ASKS, 0)
    assert model.level_at(model.spread_row() + 1) == (BookSide.BIDS, 0)
    assert model.row_of_level(BookSide.BIDS, 0) == model.spread_row() + 1
    assert book_view.table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert not model.flags(model.index(model.spread_row(), 0))
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
