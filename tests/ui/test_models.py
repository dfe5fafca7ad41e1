"""The table models and the formatting they show: in-place updates, sorting, filtering, text.

Every model is checked by Qt's own QAbstractItemModelTester while the tests change it;
pytest-qt fails a test when the tester reports a broken model invariant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QTableView

from cryptex_desktop.api.types import Order, OrderStatus, Trade, Transaction
from cryptex_desktop.ui import formatting, theme
from cryptex_desktop.ui.formatting import (
    format_amount,
    format_datetime,
    format_money,
    format_price,
    side_word,
    spendable,
)
from cryptex_desktop.ui.models import (
    KEY_ROLE,
    RECORD_ROLE,
    SORT_ROLE,
    Balance,
    BalancesModel,
    OpenOrdersModel,
    SortFilterProxy,
    TradeHistoryModel,
    TransactionsModel,
)
from cryptex_desktop.ui.models import balances as balance_columns
from cryptex_desktop.ui.models import open_orders as order_columns
from cryptex_desktop.ui.models import trade_history as trade_columns
from cryptex_desktop.ui.models import transactions as transaction_columns

D = Decimal
START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole


def trade(
    number: int,
    *,
    pair: str = "BTC_USD",
    side: str = "buy",
    price: str = "27000",
    amount: str = "0.5",
    taker: bool = False,
    minutes: int | None = None,
    fee: str | None = None,
    fee_currency: str | None = None,
) -> Trade:
    """A fill with transaction id ``number``, ``number`` minutes after START unless told."""
    return Trade(
        transaction_id=number,
        buy_order_id=1000 + number,
        sell_order_id=2000 + number,
        timestamp=START + timedelta(minutes=number if minutes is None else minutes),
        pair=pair,
        type=side,
        price=D(price),
        amount=D(amount),
        is_instant_buy=taker,
        fee=None if fee is None else D(fee),
        fee_currency=fee_currency,
    )


def order(number: int, *, filled: str = "0", status: int = OrderStatus.ACTIVE, **kw) -> Order:
    """An order of 1 BTC at 27,000 USD, placed ``number`` minutes after START."""
    values = {
        "pair": "BTC_USD",
        "type": "buy",
        "price": D("27000"),
        "amount": D("1"),
        "timestamp": START + timedelta(minutes=number),
    }
    values.update(kw)
    return Order(order_id=number, filled=D(filled), status=status, **values)


def transaction(number: int, *, currency: str = "BTC", amount: str = "0.25", confirmations=0):
    """A deposit (positive amount) or withdrawal (negative) of ``currency``."""
    return Transaction(
        id=number,
        currency=currency,
        address="1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
        txid=f"{number:02d}" + "ab" * 31,
        amount=D(amount),
        confirmations=confirmations,
        timestamp=START + timedelta(minutes=number),
    )


class SignalLog:
    """Counts what a model tells its views: inserts, removals, changes, layouts, resets."""

    def __init__(self, model: QAbstractItemModel) -> None:
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int]] = []
        self.layouts = 0
        self.resets = 0
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.rowsRemoved.connect(lambda _p, first, last: self.removed.append((first, last)))
        model.dataChanged.connect(
            lambda top, bottom, _roles=(): self.changed.append((top.row(), bottom.row()))
        )
        model.layoutChanged.connect(self._layout)
        model.modelReset.connect(self._reset)

    def _layout(self, *_args: object) -> None:
        self.layouts += 1

    def _reset(self) -> None:
        self.resets += 1

    @property
    def silent(self) -> bool:
        return not (self.inserted or self.removed or self.changed or self.layouts or self.resets)


@pytest.fixture
def checked(qapp) -> Iterator:
    """Attach Qt's model tester to models; it reports broken invariants as test failures."""
    testers = []

    def check(model: QAbstractItemModel) -> QAbstractItemModel:
        mode = QAbstractItemModelTester.FailureReportingMode.Warning
        testers.append(QAbstractItemModelTester(model, mode))
        return model

    yield check
    testers.clear()


def column_texts(model: QAbstractItemModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def keys_shown(model: QAbstractItemModel) -> list:
    return [model.index(row, 0).data(KEY_ROLE) for row in range(model.rowCount())]


# -- formatting --------------------------------------------------------------------------------


def test_bitcoin_shows_eight_decimals_and_dollars_two_with_thousands_separators():
    assert format_amount(D("1234.5"), "BTC") == "1,234.50000000"
    assert format_amount(D("1234567.5"), "USD") == "1,234,567.50"
    assert format_money(D("12"), "EUR") == "12.00 EUR"


def test_the_smallest_bitcoin_amount_never_shows_as_an_exponent():
    assert str(D("1E-8")) == "1E-8"  # what plain str() would show a person
    assert format_amount(D("1E-8"), "BTC") == "0.00000001"
    assert format_amount(D("1E+6"), "USD") == "1,000,000.00"


def test_display_rounds_half_to_even_but_spendable_rounds_down():
    assert format_amount(D("0.125"), "USD") == "0.12"
    assert format_amount(D("0.135"), "USD") == "0.14"
    assert spendable(D("0.129"), "USD") == "0.12"
    assert spendable(D("1234.999999999"), "BTC") == "1,234.99999999"


def test_signs_and_negative_zero_read_naturally():
    assert format_amount(D("0.5"), "BTC", sign=True) == "+0.50000000"
    assert format_amount(D("-0.5"), "BTC", sign=True) == "-0.50000000"
    assert format_amount(D("-0.001"), "USD") == "0.00"
    assert format_amount(D("0"), "USD", sign=True) == "0.00"


def test_floats_are_refused_rather_than_shown():
    with pytest.raises(TypeError):
        format_amount(0.1, "USD")  # type: ignore[arg-type]


def test_prices_use_the_pairs_decimals_and_unknown_currencies_get_eight():
    assert format_price(D("27350.105"), "BTC_USD") == "27,350.10"
    assert format_price(D("0.0123"), "LTC_BTC") == "0.01230000"
    assert format_price(D("1.1"), "EUR_USD") == "1.10000"
    assert format_amount(D("2"), "XYZ") == "2.00000000"


def test_sides_read_as_words():
    assert side_word("buy") == "Buy"
    assert side_word("sell") == "Sell"


@pytest.fixture
def local_zone(monkeypatch) -> Callable[[str], None]:
    """Show dates in another time zone for one test, through zoneinfo (no process-wide reset)."""

    def switch(zone: str) -> None:
        monkeypatch.setattr(formatting, "local_zone", lambda: ZoneInfo(zone))

    return switch


def test_dates_show_in_local_time_to_the_minute(local_zone):
    moment = datetime(2026, 11, 27, 13, 3, 59, tzinfo=UTC)
    local_zone("Europe/Berlin")
    assert format_datetime(moment) == "2026-11-27 14:03"
    assert format_datetime(datetime(2026, 7, 1, 13, 3, tzinfo=UTC)) == "2026-07-01 15:03"
    local_zone("Asia/Kolkata")
    assert format_datetime(moment) == "2026-11-27 18:33"
    local_zone("UTC")
    assert format_datetime(moment) == "2026-11-27 13:03"


def test_dates_follow_daylight_saving_changes_minute_by_minute(local_zone):
    local_zone("America/New_York")
    new_york = ZoneInfo("America/New_York")
    first = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # the night clocks go forward
    assert format_datetime(first + timedelta(hours=1, minutes=59)) == "2026-03-08 01:59"
    assert format_datetime(first + timedelta(hours=2)) == "2026-03-08 03:00"
    for minute in range(0, 24 * 60, 7):
        moment = first + timedelta(minutes=minute, seconds=minute % 60)
        assert format_datetime(moment) == moment.astimezone(new_york).strftime("%Y-%m-%d %H:%M")


def test_dates_are_shown_in_the_computers_own_zone_unless_told_otherwise():
    moment = datetime(2026, 11, 27, 13, 3, 59, tzinfo=UTC)
    assert format_datetime(moment) == moment.astimezone().strftime("%Y-%m-%d %H:%M")


# -- trade history ------------------------------------------------------------------------------


def test_trades_arrive_in_place_newest_first_without_resetting_the_table(checked):
    model = checked(TradeHistoryModel())
    log = SignalLog(model)
    model.replace([trade(1), trade(2), trade(3)])
    assert keys_shown(model) == [3, 2, 1]
    model.replace([trade(1), trade(2), trade(3), trade(4)])
    assert keys_shown(model) == [4, 3, 2, 1]
    assert log.inserted == [(0, 2), (0, 0)]
    assert (log.removed, log.changed, log.resets) == ([], [], 0)


def test_prebuilt_rows_bigger_than_the_table_are_counted_and_found_once_added(checked):
    # A long page into a short table: the table keeps the page's dict by key as its own.
    model = checked(TradeHistoryModel())
    model.merge([trade(n) for n in range(300, 280, -1)])
    older = model.rows_for([trade(n) for n in range(280, 0, -1)])
    assert model.add_rows(model.rows_by_key(older)) == 280
    assert model.add_rows(model.rows_for([trade(n) for n in range(290, 200, -1)])) == 0
    assert keys_shown(model) == list(range(300, 0, -1))
    assert [model.row_of(key) for key in (300, 281, 280, 1)] == [0, 19, 20, 299]


def test_merging_a_page_of_already_known_trades_signals_nothing(checked):
    model = checked(TradeHistoryModel())
    page = [trade(n) for n in range(50, 0, -1)]
    model.merge(page)
    log = SignalLog(model)
    assert model.merge(page) == 0
    assert model.merge(page[:10]) == 0
    assert log.silent


def test_a_page_of_older_trades_lands_at_the_bottom_in_one_insert(checked):
    model = checked(TradeHistoryModel())
    model.merge([trade(n) for n in range(200, 100, -1)])
    assert model.oldest() == trade(101)
    log = SignalLog(model)
    assert model.merge([trade(n) for n in range(100, 0, -1)]) == 100
    assert log.inserted == [(100, 199)]
    assert model.oldest() == trade(1)
    assert keys_shown(model) == list(range(200, 0, -1))


def test_replacing_the_history_removes_only_what_vanished(checked):
    model = checked(TradeHistoryModel())
    model.replace([trade(n) for n in range(1, 11)])
    log = SignalLog(model)
    model.replace([trade(n) for n in range(1, 11) if n not in (4, 5, 9)])
    assert sorted(log.removed) == [(1, 1), (5, 6)]  # rows of 9, then of 5 and 4, newest first
    assert log.inserted == [] and log.resets == 0
    assert keys_shown(model) == [10, 8, 7, 6, 3, 2, 1]


def test_a_trade_shows_its_total_role_and_the_users_own_order(checked):
    model = checked(TradeHistoryModel())
    model.replace(
        [
            trade(1, side="buy", price="27000.5", amount="0.1", taker=True),
            trade(2, side="sell", price="1000", amount="2", taker=False),
        ]
    )
    sell, buy = 0, 1
    assert column_texts(model, trade_columns.PAIR) == ["BTC/USD", "BTC/USD"]
    assert column_texts(model, trade_columns.SIDE) == ["Sell", "Buy"]
    assert column_texts(model, trade_columns.PRICE) == ["1,000.00", "27,000.50"]
    assert column_texts(model, trade_columns.AMOUNT) == ["2.00000000", "0.10000000"]
    assert column_texts(model, trade_columns.TOTAL) == ["2,000.00", "2,700.05"]
    assert column_texts(model, trade_columns.ROLE) == ["Was waiting", "Took an offer"]
    assert column_texts(model, trade_columns.ORDER) == ["2002", "1001"]
    pair_tip = model.index(buy, trade_columns.PAIR).data(TOOLTIP)
    assert pair_tip == "Bitcoin priced in US dollar"
    role_tip = model.index(sell, trade_columns.ROLE).data(TOOLTIP)
    assert "was waiting for a buyer or seller" in role_tip
    assert "took an offer that was already waiting" in model.index(buy, trade_columns.ROLE).data(
        TOOLTIP)
    assert model.index(buy, 0).data(RECORD_ROLE) == model.record_at(buy)


def test_a_trade_shows_its_fee_in_the_fees_currency_or_a_dash_when_unknown(checked):
    model = checked(TradeHistoryModel())
    model.replace(
        [
            trade(1, side="buy", fee="0.001", fee_currency="BTC"),
            trade(2, side="sell", fee="27.125", fee_currency="USD"),
            trade(3, side="sell"),  # the live exchange may not say
        ]
    )
    assert column_texts(model, trade_columns.FEE) == ["—", "27.12 USD", "0.00100000 BTC"]
    sort_keys = [model.index(row, trade_columns.FEE).data(SORT_ROLE) for row in range(3)]
    assert sort_keys[1:] == [D("27.125"), D("0.001")]
    assert all(isinstance(key, Decimal) for key in sort_keys) and sort_keys[0] < 0
    assert "did not say" in model.index(0, trade_columns.FEE).data(TOOLTIP)
    assert model.index(1, trade_columns.FEE).data(TOOLTIP) == "In US dollar"
    right = model.index(1, trade_columns.FEE).data(ALIGNMENT)
    assert Qt.AlignmentFlag(right) & Qt.AlignmentFlag.AlignRight

    model.sort(trade_columns.FEE, Qt.SortOrder.AscendingOrder)
    assert keys_shown(model) == [3, 1, 2]  # unknown first, then by amount
    model.sort(trade_columns.FEE, Qt.SortOrder.DescendingOrder)
    assert keys_shown(model) == [2, 1, 3]


def test_amounts_are_right_aligned_and_words_left_aligned(qapp):
    model = TradeHistoryModel()
    model.replace([trade(1)])
    right = model.index(0, trade_columns.AMOUNT).data(ALIGNMENT)
    left = model.index(0, trade_columns.PAIR).data(ALIGNMENT)
    assert Qt.AlignmentFlag(right) & Qt.AlignmentFlag.AlignRight
    assert Qt.AlignmentFlag(left) & Qt.AlignmentFlag.AlignLeft


def test_buys_are_green_and_sells_red_readable_on_light_and_dark_palettes(qapp, monkeypatch):
    model = TradeHistoryModel()
    model.replace([trade(1, side="buy"), trade(2, side="sell")])
    monkeypatch.setattr(theme, "_current", theme.LIGHT)
    sell = model.index(0, trade_columns.SIDE).data(FOREGROUND).color()
    buy = model.index(1, trade_columns.SIDE).data(FOREGROUND).color()
    assert buy.green() > buy.red() and sell.red() > sell.green()
    assert model.index(0, trade_columns.PRICE).data(FOREGROUND) is None
    assert buy == theme.LIGHT.colour(theme.Role.BUY)
    assert sell == theme.LIGHT.colour(theme.Role.SELL)

    monkeypatch.setattr(theme, "_current", theme.DARK)  # as View > Theme > Dark does
    dark_buy = model.index(1, trade_columns.SIDE).data(FOREGROUND).color()
    dark_sell = model.index(0, trade_columns.SIDE).data(FOREGROUND).color()
    assert dark_buy == theme.DARK.colour(theme.Role.BUY)
    assert dark_sell == theme.DARK.colour(theme.Role.SELL)
    assert dark_buy.lightness() > buy.lightness()  # lighter text on a dark background


def test_every_column_heading_explains_itself(qapp):
    for model in (TradeHistoryModel(), OpenOrdersModel(), BalancesModel(), TransactionsModel()):
        for section in range(model.columnCount()):
            title = model.headerData(section, Qt.Orientation.Horizontal, DISPLAY)
            tip = model.headerData(section, Qt.Orientation.Horizontal, TOOLTIP)
            assert title and tip and len(tip) > len(title)


def sorted_view(model, qtbot) -> tuple[QTableView, SortFilterProxy]:
    proxy = SortFilterProxy(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    return view, proxy


def test_sorting_by_amount_is_numeric_not_alphabetical(checked, qtbot):
    model = checked(TradeHistoryModel())
    model.replace([trade(1, amount="9.5"), trade(2, amount="10"), trade(3, amount="2")])
    view, proxy = sorted_view(model, qtbot)
    checked(proxy)
    view.sortByColumn(trade_columns.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert column_texts(proxy, trade_columns.AMOUNT) == ["10.00000000", "9.50000000", "2.00000000"]
    assert proxy.index(0, trade_columns.AMOUNT).data(SORT_ROLE) == D("10")
    view.sortByColumn(trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder)
    assert column_texts(proxy, trade_columns.AMOUNT) == ["2.00000000", "9.50000000", "10.00000000"]


def test_clicking_the_amount_heading_sorts_the_table_by_amount(checked, qtbot):
    model = checked(TradeHistoryModel())
    model.replace([trade(1, amount="9.5"), trade(2, amount="10"), trade(3, amount="2")])
    view, proxy = sorted_view(model, qtbot)
    view.resize(900, 300)
    view.show()
    qtbot.waitExposed(view)
    header = view.horizontalHeader()
    middle = header.sectionViewportPosition(trade_columns.AMOUNT) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
    qtbot.waitUntil(lambda: model.sort_column() == trade_columns.AMOUNT)
    amounts = [proxy.index(row, trade_columns.AMOUNT).data(SORT_ROLE) for row in range(3)]
    assert amounts in ([D("2"), D("9.5"), D("10")], [D("10"), D("9.5"), D("2")])


def test_sorting_by_date_puts_the_oldest_first_and_back(checked, qtbot):
    model = checked(TradeHistoryModel())
    model.replace([trade(1, minutes=30), trade(2, minutes=10), trade(3, minutes=20)])
    view, proxy = sorted_view(model, qtbot)
    view.sortByColumn(trade_columns.DATE, Qt.SortOrder.AscendingOrder)
    assert keys_shown(proxy) == [2, 3, 1]
    view.sortByColumn(trade_columns.DATE, Qt.SortOrder.DescendingOrder)
    assert keys_shown(proxy) == [1, 3, 2]
    assert model.oldest() == model.record_at(2)


def test_trades_with_equal_amounts_are_ordered_by_id_the_same_way(checked):
    model = checked(TradeHistoryModel())
    model.replace([trade(n, amount="1") for n in (5, 3, 9, 1)] + [trade(7, amount="2")])
    model.sort(trade_columns.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert keys_shown(model) == [7, 9, 5, 3, 1]
    model.sort(trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder)
    assert keys_shown(model) == [1, 3, 5, 9, 7]


def test_trades_of_the_same_second_show_newest_first(checked):
    model = checked(TradeHistoryModel())
    model.merge([trade(n, minutes=5) for n in (2, 3)])
    model.merge([trade(1, minutes=5), trade(4, minutes=5)])
    assert keys_shown(model) == [4, 3, 2, 1]


def test_new_trades_land_where_the_current_sort_puts_them(checked):
    model = checked(TradeHistoryModel())
    model.replace([trade(1, amount="1"), trade(2, amount="3"), trade(3, amount="5")])
    model.sort(trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder)
    log = SignalLog(model)
    model.merge([trade(4, amount="4"), trade(5, amount="0.5")])
    amounts = [model.record_at(row).amount for row in range(5)]
    assert amounts == [D("0.5"), D("1"), D("3"), D("4"), D("5")]
    assert log.inserted == [(2, 2), (0, 0)]  # from the bottom up, one row each
    assert log.layouts == 0 and log.resets == 0


def test_many_scattered_new_trades_arrive_sorted_with_one_layout_change(checked):
    model = checked(TradeHistoryModel())
    model.replace([trade(n, amount=str(n)) for n in range(0, 400, 2)])
    model.sort(trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder)
    log = SignalLog(model)
    model.merge([trade(n, amount=str(n)) for n in range(1, 400, 2)])
    assert [model.record_at(r).amount for r in range(400)] == [D(n) for n in range(400)]
    assert len(log.inserted) == 1 and log.layouts == 1 and log.resets == 0


def test_a_selected_trade_stays_selected_when_the_table_is_sorted(checked, qtbot):
    model = checked(TradeHistoryModel())
    model.replace([trade(1, amount="3"), trade(2, amount="1"), trade(3, amount="2")])
    view, proxy = sorted_view(model, qtbot)
    view.selectRow(proxy.mapFromSource(model.index_of(2)).row())
    held = QPersistentModelIndex(model.index_of(2, trade_columns.AMOUNT))
    view.sortByColumn(trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder)
    assert held.row() == 0 and held.data(KEY_ROLE) == 2
    selected = view.selectionModel().selectedRows()
    assert [index.data(KEY_ROLE) for index in selected] == [2]


def test_a_selection_follows_its_trades_when_the_order_is_turned_and_when_resorted(qtbot):
    # Not checked by QAbstractItemModelTester: it holds the first 100 rows itself, and the
    # few rows a selection holds are found another way than many.
    model = TradeHistoryModel()
    model.replace([trade(n, amount=str(n % 7), minutes=n) for n in range(1, 41)])
    view, proxy = sorted_view(model, qtbot)
    view.setSelectionMode(QTableView.SelectionMode.MultiSelection)
    chosen = {3, 8, 21}
    for key in chosen:
        view.selectRow(proxy.mapFromSource(model.index_of(key)).row())

    def selected() -> set[int]:
        return {index.data(KEY_ROLE) for index in view.selectionModel().selectedRows()}

    # Ascending, then the same column turned round (the rows reversed), then another column.
    for column, order_ in ((trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder),
                           (trade_columns.AMOUNT, Qt.SortOrder.DescendingOrder),
                           (trade_columns.DATE, Qt.SortOrder.AscendingOrder)):
        view.sortByColumn(column, order_)
        assert selected() == chosen
    # More selected rows than are looked up one by one: they are found through a map instead.
    chosen = set(range(1, 41, 2))
    view.clearSelection()
    for key in chosen:
        view.selectRow(proxy.mapFromSource(model.index_of(key)).row())
    for column, order_ in ((trade_columns.AMOUNT, Qt.SortOrder.DescendingOrder),
                           (trade_columns.AMOUNT, Qt.SortOrder.AscendingOrder)):
        view.sortByColumn(column, order_)
        assert selected() == chosen


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(st.sampled_from(["1", "2", "2.50", "2.5", "10"]), min_size=1, max_size=15),
    column=st.sampled_from([trade_columns.DATE, trade_columns.AMOUNT, trade_columns.PRICE]),
)
def test_turning_a_columns_order_round_is_the_same_as_sorting_it_that_way(
    checked, amounts, column
):
    """A second click on a heading reverses the rows instead of sorting them again."""
    trades = [trade(n, amount=amount, minutes=n % 3) for n, amount in enumerate(amounts, 1)]
    for first, then in ((Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder),
                        (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder)):
        turned, sorted_once = checked(TradeHistoryModel()), checked(TradeHistoryModel())
        turned.replace(trades)
        sorted_once.replace(trades)
        turned.sort(column, first)
        turned.sort(column, then)
        sorted_once.sort(trade_columns.SIDE, Qt.SortOrder.AscendingOrder)
        sorted_once.sort(column, then)
        assert keys_shown(turned) == keys_shown(sorted_once) == _expected_order(turned, trades)


def test_clearing_the_history_is_the_one_reset(checked):
    model = checked(TradeHistoryModel())
    model.replace([trade(1), trade(2)])
    log = SignalLog(model)
    model.clear()
    assert model.rowCount() == 0 and model.oldest() is None and log.resets == 1


# -- filtering ----------------------------------------------------------------------------------


def test_the_history_filters_by_pair_side_and_currency(checked):
    model = TradeHistoryModel()
    model.replace(
        [
            trade(1, pair="BTC_USD", side="buy"),
            trade(2, pair="BTC_USD", side="sell"),
            trade(3, pair="LTC_BTC", side="buy", price="0.01"),
            trade(4, pair="LTC_USD", side="sell", price="90"),
        ]
    )
    proxy = checked(SortFilterProxy(model))
    proxy.set_filter(pair="BTC_USD")
    assert keys_shown(proxy) == [2, 1]
    proxy.set_filter(pair="BTC_USD", side="buy")
    assert keys_shown(proxy) == [1]
    proxy.set_filter(currency="LTC")
    assert keys_shown(proxy) == [4, 3]
    proxy.set_filter(currency="BTC", side="buy")
    assert keys_shown(proxy) == [3, 1]
    assert proxy.filter_facts() == {"side": "buy", "currency": "BTC"}
    proxy.set_filter()
    assert keys_shown(proxy) == [4, 3, 2, 1]


def test_a_filtered_history_shows_new_trades_only_when_they_match(checked):
    model = TradeHistoryModel()
    model.replace([trade(1, pair="BTC_USD")])
    proxy = checked(SortFilterProxy(model))
    proxy.set_filter(pair="BTC_USD")
    model.merge([trade(2, pair="LTC_USD", price="90"), trade(3, pair="BTC_USD")])
    assert keys_shown(proxy) == [3, 1]
    assert model.rowCount() == 3


def test_two_filtered_views_of_one_history_do_not_disturb_each_other(checked):
    model = TradeHistoryModel()
    model.replace([trade(1, side="buy"), trade(2, side="sell")])
    buys, sells = checked(SortFilterProxy(model)), checked(SortFilterProxy(model))
    buys.set_filter(side="buy")
    sells.set_filter(side="sell")
    assert (keys_shown(buys), keys_shown(sells)) == ([1], [2])


# -- open orders --------------------------------------------------------------------------------


def test_an_order_filling_updates_only_its_own_row(checked):
    model = checked(OpenOrdersModel())
    model.update([order(1), order(2), order(3)])
    log = SignalLog(model)
    model.update([order(1), order(2, filled="0.4", status=OrderStatus.PARTLY_FILLED), order(3)])
    assert log.changed == [(1, 1)]
    assert (log.inserted, log.removed, log.layouts, log.resets) == ([], [], 0, 0)
    row = model.row_of(2)
    assert model.index(row, order_columns.FILLED).data() == "0.40000000"
    assert model.index(row, order_columns.REMAINING).data() == "0.60000000"
    assert model.index(row, order_columns.STATUS).data() == "Partly filled"


def test_filled_and_cancelled_orders_leave_the_table(checked):
    model = checked(OpenOrdersModel())
    model.update([order(n) for n in range(1, 6)])
    log = SignalLog(model)
    model.update([order(1), order(5)])
    assert log.removed == [(1, 3)]
    assert keys_shown(model) == [5, 1]
    log_again = SignalLog(model)
    model.update([order(1), order(5)])
    assert log_again.silent


def test_an_order_shows_its_pair_side_price_and_amounts(checked):
    model = checked(OpenOrdersModel())
    model.update([order(1, type="sell", price=D("0.0123"), pair="LTC_BTC", amount=D("12.5"))])
    texts = [model.index(0, column).data() for column in range(model.columnCount())]
    assert texts[1:] == [
        "LTC/BTC",
        "Sell",
        "0.01230000",
        "12.50000000",
        "0.00000000",
        "12.50000000",
        "Open",
    ]
    assert model.index(0, order_columns.PAIR).data(TOOLTIP) == "Litecoin priced in Bitcoin"
    assert model.index(0, order_columns.REMAINING).data(SORT_ROLE) == D("12.5")


def test_sorting_open_orders_by_price_survives_a_refresh(checked):
    model = checked(OpenOrdersModel())
    model.update([order(1, price=D("3")), order(2, price=D("1")), order(3, price=D("2"))])
    model.sort(order_columns.PRICE, Qt.SortOrder.AscendingOrder)
    model.update(
        [
            order(1, price=D("3")),
            order(2, price=D("1")),
            order(3, price=D("2")),
            order(4, price=D("1.5")),
        ]
    )
    assert keys_shown(model) == [2, 4, 3, 1]


def test_a_table_view_starts_in_the_models_own_order(checked, qtbot):
    model = checked(BalancesModel())
    model.update({"USD": D("1"), "BTC": D("2"), "EUR": D("3")})
    proxy = SortFilterProxy(model)
    view = QTableView()
    qtbot.addWidget(view)
    proxy.show_in(view)
    assert view.isSortingEnabled()
    assert keys_shown(proxy) == ["BTC", "USD", "EUR"]
    view.sortByColumn(balance_columns.AVAILABLE, Qt.SortOrder.DescendingOrder)
    assert keys_shown(proxy) == ["EUR", "BTC", "USD"]
    proxy.sort(-1)  # back to the default order
    assert keys_shown(proxy) == ["BTC", "USD", "EUR"]


# -- balances -----------------------------------------------------------------------------------


def test_balances_show_known_currencies_first_in_the_usual_order(checked):
    model = checked(BalancesModel())
    model.update({"ZZZ": D("1"), "USD": D("5"), "AAA": D("2"), "BTC": D("0.1"), "RUR": D("0")})
    assert keys_shown(model) == ["BTC", "USD", "RUR", "AAA", "ZZZ"]
    assert model.index(0, 0).data() == "Bitcoin (BTC)"
    assert model.index(3, 0).data() == "AAA"  # a currency the app does not know: its code


def test_reserved_is_total_minus_available_and_blank_when_the_total_is_unknown(checked):
    model = checked(BalancesModel())
    model.update({"USD": D("100.129"), "BTC": D("1")})
    usd = model.row_of("USD")
    assert model.index(usd, balance_columns.AVAILABLE).data() == "100.12"  # rounded down
    assert model.index(usd, balance_columns.RESERVED).data() == ""
    assert model.index(usd, balance_columns.TOTAL).data() == ""
    log = SignalLog(model)
    model.update({"USD": D("100.129"), "BTC": D("1")}, {"USD": D("1150.129"), "BTC": D("1")})
    assert log.changed == [(0, 1)] and not log.inserted and not log.removed  # one run
    assert model.index(usd, balance_columns.RESERVED).data() == "1,050.00"
    assert model.index(usd, balance_columns.TOTAL).data() == "1,150.13"
    assert model.balance("USD") == Balance("USD", D("100.129"), D("1150.129"))
    assert model.index(usd, balance_columns.AVAILABLE).data(TOOLTIP) == "100.129 USD"


def test_an_unchanged_balance_refresh_signals_nothing(checked):
    model = checked(BalancesModel())
    model.update({"USD": D("5"), "BTC": D("1")}, {"USD": D("6"), "BTC": D("1")})
    log = SignalLog(model)
    model.update({"USD": D("5"), "BTC": D("1")}, {"USD": D("6"), "BTC": D("1")})
    assert log.silent


# -- transactions -------------------------------------------------------------------------------


def test_confirmations_growing_update_the_transaction_in_place(checked):
    model = checked(TransactionsModel())
    model.update([transaction(1), transaction(2, amount="-0.1"), transaction(1, currency="LTC")])
    assert model.rowCount() == 3  # the same id in two currencies is two transactions
    log = SignalLog(model)
    model.update(
        [
            transaction(1, confirmations=2),
            transaction(2, amount="-0.1"),
            transaction(1, currency="LTC"),
        ]
    )
    row = model.row_of(("BTC", 1))
    assert log.changed == [(row, row)] and not log.inserted and not log.removed
    assert model.index(row, transaction_columns.CONFIRMATIONS).data() == "2"


def test_deposits_read_incoming_in_green_and_withdrawals_outgoing_in_red(checked):
    model = checked(TransactionsModel())
    model.update([transaction(1, amount="0.25"), transaction(2, amount="-0.1")])
    withdrawal, deposit = model.row_of(("BTC", 2)), model.row_of(("BTC", 1))
    assert model.index(deposit, transaction_columns.DIRECTION).data() == "Incoming"
    assert model.index(deposit, transaction_columns.AMOUNT).data() == "+0.25000000"
    assert model.index(withdrawal, transaction_columns.DIRECTION).data() == "Outgoing"
    assert model.index(withdrawal, transaction_columns.AMOUNT).data() == "-0.10000000"
    green = model.index(deposit, transaction_columns.AMOUNT).data(FOREGROUND).color()
    red = model.index(withdrawal, transaction_columns.DIRECTION).data(FOREGROUND).color()
    assert green.green() > green.red() and red.red() > red.green()


def test_a_long_transaction_id_is_shortened_with_the_whole_id_on_hover(checked):
    model = checked(TransactionsModel())
    model.update([transaction(7)])
    txid = model.record_at(0).txid
    shown = model.index(0, transaction_columns.TXID).data()
    assert shown == f"{txid[:8]}…{txid[-8:]}" and len(shown) < len(txid)
    assert model.index(0, transaction_columns.TXID).data(TOOLTIP) == txid
    assert model.index(0, transaction_columns.TXID).data(SORT_ROLE) == txid


def test_the_wallet_filters_transactions_by_currency_and_direction(checked):
    model = TransactionsModel()
    model.update([transaction(1), transaction(2, amount="-0.1"), transaction(3, currency="LTC")])
    proxy = checked(SortFilterProxy(model))
    proxy.set_filter(currency="BTC", direction="outgoing")
    assert keys_shown(proxy) == [("BTC", 2)]
    proxy.set_filter(currency="LTC")
    assert keys_shown(proxy) == [("LTC", 3)]


def test_a_view_over_the_proxy_reads_records_and_keys_through_it(checked, qtbot):
    model = TransactionsModel()
    model.update([transaction(1)])
    _view, proxy = sorted_view(model, qtbot)
    index = proxy.index(0, transaction_columns.ADDRESS)
    assert index.data(RECORD_ROLE) == model.record_at(0)
    assert index.data(KEY_ROLE) == ("BTC", 1)
    assert proxy.mapToSource(index).row() == 0
    assert model.index_of(("BTC", 99)) == QModelIndex()


# -- any sequence of refreshes --------------------------------------------------------------


def _expected_order(model, records) -> list:
    """The keys in the order the model promises: sort value, then key, both one direction."""
    column, descending = model.sort_column(), model.sort_order() == Qt.SortOrder.DescendingOrder
    rows = model.rows_for(list(records))
    rows.sort(key=lambda row: (row.sort_keys[column], row.key), reverse=descending)
    return [row.key for row in rows]


_order_lists = st.lists(
    st.builds(
        lambda number, filled, price, side: order(
            number,
            filled=filled,
            price=D(price),
            type=side,
            status=OrderStatus.PARTLY_FILLED if filled != "0" else OrderStatus.ACTIVE,
        ),
        st.integers(1, 12),
        st.sampled_from(["0", "0.25", "0.5"]),
        st.sampled_from(["1", "2", "2.5", "10"]),
        st.sampled_from(["buy", "sell"]),
    ),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    refreshes=st.lists(_order_lists, min_size=1, max_size=5),
    column=st.integers(0, len(OpenOrdersModel.COLUMNS) - 1),
    descending=st.booleans(),
)
def test_any_sequence_of_refreshes_shows_exactly_the_last_list_in_order(
    checked, refreshes, column, descending
):
    model = checked(OpenOrdersModel())
    order_ = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model.sort(column, order_)
    log = SignalLog(model)
    for orders in refreshes:
        model.update(orders)
        latest = {o.order_id: o for o in orders}
        assert keys_shown(model) == _expected_order(model, latest.values())
        assert model.records() == [latest[key] for key in keys_shown(model)]
    assert log.resets == 0
