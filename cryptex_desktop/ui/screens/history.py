"""History: every trade you made, filtered, paged back as far as it goes, and saved as CSV.

The exchange answers at most 1,000 fills per request and can only be paged by time
(``end``, to the second), so older pages are asked for by the oldest trade shown; trades the
table already has are skipped by the model's merge. Pair, dates and "latest N" are asked of
the exchange; side and order number only filter what is loaded.

With the account's journal open, the table first fills from the trades it kept (read on the
journal's lane), and the exchange is then asked only for the trades since then (less a small
overlap; the merge skips repeats). The journal keeps only what was loaded before, so the
screen remembers, per account, the stretch of time in which it holds every trade of every
market (:class:`KeptSpan`, widened only by loads of all markets, new trades or "Load older"
reaching back from inside it): only trades of that stretch are shown from it, so no trade is
missing between them. Dates still ask the exchange for their whole range, and "Load older"
always asks it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from cryptex_desktop.api.money import to_wire
from cryptex_desktop.api.types import Trade
from cryptex_desktop.i18n import _, _n
from cryptex_desktop.journal import Journal
from cryptex_desktop.ui.dialogs.csv_export import (
    MACHINE_READABLE,
    ask_where_to_save_csv,
    remember_export_folder,
    save_failed_sentence,
    write_csv,
)
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import count_text, pair_text
from cryptex_desktop.ui.journal_keeper import JournalKeeper
from cryptex_desktop.ui.models import RECORD_ROLE, Row, SortFilterProxy, TradeHistoryModel
from cryptex_desktop.ui.models.trade_history import (
    AMOUNT,
    DATE,
    FEE,
    ORDER,
    PAIR,
    PRICE,
    ROLE,
    SIDE,
    TOTAL,
)
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.currency_combo import MarketCombo
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label
from cryptex_desktop.ui.widgets.layout import list_footer, tab_in_order
from cryptex_desktop.ui.widgets.record_list import RecordList
from cryptex_desktop.ui.widgets.record_table import ColumnsThatGrow, cell_padding

#: The most fills the exchange returns for one request.
MAX_PAGE = 1000
#: The choices of "Show the latest N trades".
COUNT_CHOICES = (100, 500, 1000)
#: Trades this close before the newest kept one are asked for again, in case any came late.
NEW_TRADES_OVERLAP = timedelta(minutes=1)
#: Filter edits are gathered this long before the exchange is asked again.
FILTER_DELAY_MS = 300
#: The first row of the CSV file (``fee`` and ``fee_currency`` last, added later). English in
#: every language, as the rest of the file is machine-readable: see MACHINE_READABLE.
CSV_HEADER = (
    "Date (UTC)",
    "Market",
    "Side",
    "Price",
    "Amount",
    "Total",
    "Role",
    "Order",
    "Transaction",
    "Fee",
    "Fee currency",
)

# A date edit at this date shows "Any" (Qt's special value text): no limit on that side.
_ANY_DATE = QDate(2000, 1, 1)
_ORDER_NUMBER = QRegularExpression(r"^\s*\d{0,18}\s*$")


@dataclass(frozen=True)
class HistoryQuery:
    """What the exchange is asked for: a market (None: all), a time range (UTC), how many."""

    pair: str | None = None
    since: datetime | None = None
    end: datetime | None = None
    count: int = COUNT_CHOICES[0]

    @property
    def is_filtered(self) -> bool:
        """Whether the market or the dates narrow what the exchange sends."""
        return self.pair is not None or self.is_dated

    @property
    def is_dated(self) -> bool:
        """Whether a day limits the trades asked for (the journal does not answer that)."""
        return self.since is not None or self.end is not None


def fetch_latest(client: Any, query: HistoryQuery, page_size: int = MAX_PAGE) -> list[Trade]:
    """The newest trades matching ``query``, at most ``query.count`` (and ``page_size``)."""
    return client.trade_history(
        pair=query.pair,
        since=query.since,
        end=query.end,
        count=max(1, min(query.count, page_size, MAX_PAGE)),
        order="DESC",
    )


def fetch_newer(client: Any, query: HistoryQuery, since: datetime,
                page_size: int = MAX_PAGE) -> list[Trade]:
    """The trades matching ``query`` at or after ``since``, newest first, at most one page."""
    return client.trade_history(
        pair=query.pair,
        since=since if query.since is None else max(since, query.since),
        end=query.end,
        count=max(1, min(page_size, MAX_PAGE)),
        order="DESC",
    )


@dataclass(frozen=True)
class KeptSpan:
    """The time in which the journal holds every trade of the account, of every market.

    From ``start`` (None: from the very first trade) to ``end``, both in UTC. Stored as text
    in the settings, by account.
    """

    start: datetime | None
    end: datetime

    def text(self) -> str:
        """The span as settings text, ``start|end`` in ISO 8601 (``start`` empty: None)."""
        start = "" if self.start is None else self.start.isoformat()
        return f"{start}|{self.end.isoformat()}"

    def joined(self, newer: KeptSpan) -> KeptSpan:
        """This span and ``newer`` as one when no time lies between them, else ``newer``."""
        apart = ((newer.start is not None and newer.start > self.end)
                 or (self.start is not None and newer.end < self.start))
        if apart:
            return newer  # what happened between them may be missing
        if self.start is None or newer.start is None:
            return KeptSpan(None, max(self.end, newer.end))
        return KeptSpan(min(self.start, newer.start), max(self.end, newer.end))

    @classmethod
    def parse(cls, text: object) -> KeptSpan | None:
        """The span written by :meth:`text`; None for anything else."""
        try:
            start, end = str(text).split("|")
            return cls(datetime.fromisoformat(start) if start else None,
                       datetime.fromisoformat(end))
        except ValueError:
            return None


def kept_trades(journal: Journal, query: HistoryQuery, span: KeptSpan) -> list[Trade] | None:
    """On the journal's lane: the kept trades matching ``query`` newest first, at most its
    count, from the start of ``span`` on; None when the journal does not hold the span (it
    was replaced or emptied), so the exchange is asked as without one."""
    newest = journal.latest_trade_time()
    if newest is None or newest < span.end:
        return None
    records = journal.trades(query.pair, query.count)
    return [record.to_trade() for record in records
            if span.start is None or record.timestamp >= span.start]


def span_of_page(trades: list[Trade], *, to_the_first: bool) -> KeptSpan:
    """The span of a page of every market's newest trades (not empty) once kept.

    ``to_the_first``: there is no trade before them. Otherwise the span starts a second after
    the oldest, as that second may hold more trades than the page had room for.
    """
    oldest = min(trade.timestamp for trade in trades)
    newest = max(trade.timestamp for trade in trades)
    return KeptSpan(None if to_the_first else oldest + timedelta(seconds=1), newest)


def widened_back(span: KeptSpan, before: datetime, older: list[Trade]) -> KeptSpan:
    """``span`` once every trade at or before ``before`` down to ``older``'s is kept too.

    ``older`` is what "Load older" brought for every market, from ``before`` (a trade of the
    span) back; none that was not shown already means there is no older trade at all. Its
    oldest second may hold more trades than the page had room for, so the span starts a
    second after it. Trades are timed to the second and ``before``'s whole second was read,
    so a span starting the second after it still touches it; a ``before`` further from the
    span widens nothing, as a gap could lie between.
    """
    if span.start is None or not span.start - timedelta(seconds=1) <= before <= span.end:
        return span
    if not older:
        return KeptSpan(None, span.end)
    start = min(trade.timestamp for trade in older) + timedelta(seconds=1)
    return KeptSpan(min(span.start, start), span.end)


def fetch_older(
    client: Any, query: HistoryQuery, before: datetime, page_size: int = MAX_PAGE
) -> list[Trade]:
    """The page of trades at or before ``before`` (the oldest shown), for "Load older".

    The exchange pages by whole seconds only. When a full page lies entirely in the second of
    ``before``, the rest of that second is read from its start and the page before it is
    added, so the next click starts an older second instead of asking for the same page.
    The result repeats trades already shown; the model's merge skips them.
    """
    page_size = max(1, min(page_size, MAX_PAGE))
    end = before if query.end is None else min(before, query.end)
    if query.since is not None and end < query.since:
        return []
    ask = {"pair": query.pair, "since": query.since}
    page = client.trade_history(**ask, end=end, count=page_size, order="DESC")
    if len(page) < page_size or any(trade.timestamp < end for trade in page):
        return page
    same_second = client.trade_history(
        pair=query.pair, since=end, end=end, count=MAX_PAGE, order="ASC"
    )
    previous_second = end - timedelta(seconds=1)
    if query.since is not None and previous_second < query.since:
        return [*page, *same_second]
    older = client.trade_history(**ask, end=previous_second, count=page_size, order="DESC")
    return [*page, *same_second, *older]


def write_trades_csv(path: str | os.PathLike[str], trades: Iterable[Trade]) -> int:
    """Write ``trades`` in the order given as CSV with a header row; returns how many.

    Amounts are the exchange's exact decimals (never rounded, never an exponent), dates
    ISO 8601 in UTC. The file is written beside its target and then moved into place, so
    an existing file is never left half-written (see :func:`write_csv`).
    """
    return write_csv(path, CSV_HEADER, map(csv_row, trades))


def csv_row(trade: Trade) -> tuple[str, ...]:
    """One trade as a CSV row, in the order of :data:`CSV_HEADER`.

    The fee columns come last, so files read by position before they existed still fit;
    both are empty when the exchange did not report the fee.
    """
    order_id = trade.buy_order_id if trade.type == "buy" else trade.sell_order_id
    return (
        trade.timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        pair_text(trade.pair),
        trade.type.capitalize(),  # "Buy", "Sell": English in every language, as the header
        to_wire(trade.price),
        to_wire(trade.amount),
        to_wire(trade.total),
        "Taker" if trade.is_instant_buy else "Maker",
        str(order_id),
        str(trade.transaction_id),
        "" if trade.fee is None else to_wire(trade.fee),
        trade.fee_currency or "",
    )


def _own_order(trade: Trade) -> int:
    """The number of this user's order that the trade filled."""
    return trade.buy_order_id if trade.type == "buy" else trade.sell_order_id


class HistoryProxy(SortFilterProxy):
    """The history table's filter: market and side like every table, plus one order number."""

    def __init__(self, source: TradeHistoryModel, parent: QObject | None = None) -> None:
        super().__init__(source, parent)
        self._history = source
        self._order_id: int | None = None

    def set_order_filter(self, order_id: int | None) -> None:
        """Keep only the fills of this user's order ``order_id`` (None: every order)."""
        if order_id == self._order_id:
            return
        self._order_id = order_id
        self.invalidate()

    def order_filter(self) -> int | None:
        """The order number rows must belong to, or None."""
        return self._order_id

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not super().filterAcceptsRow(source_row, source_parent):
            return False
        if self._order_id is None:
            return True
        return _own_order(self._history.record_at(source_row)) == self._order_id


class _TodayOnOpen(QObject):
    """Opens a date edit's calendar on this month while the edit says "Any" (year 2000)."""

    def __init__(self, edit: QDateEdit) -> None:
        super().__init__(edit)
        self._edit = edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self._edit.date() == _ANY_DATE:
            today = QDate.currentDate()
            calendar = self._edit.calendarWidget()
            calendar.setCurrentPage(today.year(), today.month())
        return False


def _date_edit(tooltip: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(_ANY_DATE)
    edit.setMaximumDate(QDate(2999, 12, 31))
    edit.setSpecialValueText(_("Any"))
    edit.setDate(_ANY_DATE)
    edit.setToolTip(tooltip)
    calendar: QCalendarWidget = edit.calendarWidget()
    calendar.installEventFilter(_TodayOnOpen(edit))
    return edit


def _local_day_start(day: QDate) -> datetime:
    """Midnight at the start of ``day`` in the local time zone, as UTC."""
    return datetime(day.year(), day.month(), day.day()).astimezone().astimezone(UTC)


def _local_day_end(day: QDate) -> datetime:
    """The last second of ``day`` in the local time zone, as UTC."""
    start = datetime(day.year(), day.month(), day.day())
    return (start + timedelta(days=1, seconds=-1)).astimezone().astimezone(UTC)


class HistoryScreen(Screen):
    """Every trade you made, with filters, older pages on request and CSV export.

    ``page_size`` is how many trades one request asks for (the exchange's limit, 1,000);
    tests lower it to page through a handful of trades.
    """

    NAME = "history"

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("History")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Every trade you made, with filters and export")

    def __init__(
        self, dispatcher: Dispatcher, settings: AppSettings, parent: QWidget | None = None,
        *, journal: JournalKeeper | None = None,
    ) -> None:
        super().__init__(
            _("Trade history"),
            _("Every time one of your orders trades, it shows here. A big order can trade in "
              "several parts, each its own row. Times are in your computer's time zone."),
            parent,
        )
        self._dispatcher = dispatcher
        self._settings = settings
        self._journal = journal
        self.page_size = MAX_PAGE
        self._query: HistoryQuery | None = HistoryQuery()
        self._loaded = False
        self._loading = 0
        self._load_problem = ""
        self._no_older = False  # every trade matching the filters is loaded
        # The journal's part: whether it filled the table for this query and account yet,
        # which read of it counts (an older one's answer is dropped), and from when the
        # exchange is asked for what is new (None: the newest page, as without a journal).
        self._kept_shown = False
        self._kept_ticket = 0
        self._kept_waiting = False
        self._kept_all = False  # the journal held every older trade matching the query
        self._new_since: datetime | None = None

        self.model = TradeHistoryModel(self)
        self.proxy = HistoryProxy(self.model, self)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_query)

        self._build()
        self._restore_filters()
        self._wire()
        self._apply_query(refresh=False)
        self._apply_view_filters()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.pair_combo = MarketCombo(all_text=_("All markets"))
        self.pair_combo.setToolTip(_("Show the trades of one market only."))

        self.side_combo = QComboBox()
        self.side_combo.addItem(_("Buy and sell"), "")
        self.side_combo.addItem(_("Buy only"), "buy")
        self.side_combo.addItem(_("Sell only"), "sell")
        self.side_combo.setToolTip(_("Buy: you received the first currency of the market "
                                     "(BTC in BTC/USD). Sell: you gave it."))
        self.side_combo.setAccessibleName(_("Side"))

        self.count_combo = QComboBox()
        for count in COUNT_CHOICES:
            self.count_combo.addItem(_("Show the latest {n}").format(n=count_text(count)), count)
        self.count_combo.setToolTip(_(
            "How many of your newest trades to load. “Load older” below brings earlier ones."
        ))
        self.count_combo.setAccessibleName(_("How many trades"))

        self.from_edit = _date_edit(_("Show trades from this day on (your local time). "
                                      "“Any”: from the first one."))
        self.to_edit = _date_edit(_("Show trades up to the end of this day (your local time). "
                                    "“Any”: up to now."))
        self.any_date_button = QPushButton(_("An&y date"))
        self.any_date_button.setToolTip(_("Clear both dates."))
        self.any_date_button.setAccessibleName(_("Any date"))
        self.from_edit.setAccessibleName(_("From day"))
        self.to_edit.setAccessibleName(_("To day"))

        self.order_edit = QLineEdit()
        self.order_edit.setValidator(QRegularExpressionValidator(_ORDER_NUMBER, self.order_edit))
        self.order_edit.setPlaceholderText(_("Any order"))
        self.order_edit.setClearButtonEnabled(True)
        self.order_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.order_edit.setToolTip(_(
            "Type the number of one of your orders to see only its trades "
            "(among the trades loaded)."
        ))
        self.order_edit.setAccessibleName(_("Order number"))
        self.order_message = FieldMessage()
        self.date_message = FieldMessage()

        filters = QGridLayout()
        filters.setHorizontalSpacing(10)
        filters.setVerticalSpacing(6)
        row_one = (
            (_("M&arket:"), self.pair_combo),
            (_("Si&de:"), self.side_combo),
            (_("&Show:"), self.count_combo),
        )
        row_two = (
            (_("Fro&m:"), self.from_edit),
            (_("&To:"), self.to_edit),
            (_("Order &number:"), self.order_edit),
        )
        for row, pairs in enumerate((row_one, row_two)):
            for position, (text, field) in enumerate(pairs):
                label = buddy_label(text, field, wrap=True)
                filters.addWidget(label, row, position * 2, Qt.AlignmentFlag.AlignRight)
                if field is self.to_edit:
                    # "Any date" sits with the dates it clears.
                    with_button = QHBoxLayout()
                    with_button.setSpacing(6)
                    with_button.addWidget(field, 1)
                    with_button.addWidget(self.any_date_button)
                    filters.addLayout(with_button, row, position * 2 + 1)
                else:
                    filters.addWidget(field, row, position * 2 + 1)
        filters.addWidget(self.date_message, 2, 0, 1, 4)
        filters.addWidget(self.order_message, 2, 4, 1, 2)
        for column in (1, 3, 5):
            filters.setColumnStretch(column, 1)

        self.records = RecordList(self.proxy, accessible_name=_("Your trades"))
        self.records.filter_row.addLayout(filters, 1)
        self.records.retryRequested.connect(self.refresh)
        self.table = self.records.table  # newest first; column settings need the model
        header = self.table.horizontalHeader()
        # Measured once from the font rather than from 100,000 rows: dates all have one width.
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(DATE, self.table.fontMetrics().horizontalAdvance("8888-88-88 88:88")
                             + cell_padding(self.table))
        # Prices, amounts, totals and fees are as long as a person's trades make them
        # ("25,000.00000000" LTC, a fee of "50.00000000 LTC"): those columns, and the others, are
        # as wide as the trades in view need, never "25,000.00…", and share the room left; where
        # there is too little, the table scrolls sideways rather than cut a number.
        header.setStretchLastSection(False)
        grown = (PAIR, SIDE, PRICE, AMOUNT, TOTAL, FEE, ROLE, ORDER)
        for column in grown:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.column_widths = ColumnsThatGrow(self.table, grown, share_room=True)

        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setAccessibleName(_("How many trades are shown"))
        self.result_label = ResultLabel(reserve_lines=1)
        self.result_label.setAccessibleName(_("History message"))
        self.older_button = BusyButton(_("Load &older"), busy_text=_("Loading older trades…"))
        self.older_button.setAccessibleName(_("Load older"))
        self.export_button = QPushButton(_("&Export to CSV…"))
        self.export_button.setToolTip(_(
            "Save the trades shown, in the order shown, as a spreadsheet file (Ctrl+E)."
        ))
        self.export_button.setAccessibleName(_("Export to CSV"))

        self.body.addWidget(self.records, 1)
        self.body.addLayout(list_footer(self.summary_label, self.result_label,
                                        self.older_button, self.export_button))
        tab_in_order(self.pair_combo, self.side_combo, self.count_combo, self.from_edit,
                     self.to_edit, self.any_date_button, self.order_edit, self.table,
                     self.older_button, self.export_button)

        # A window shortcut of a hidden tab does not fire, so other screens may use Ctrl+E too.
        self.export_shortcut = QShortcut(QKeySequence("Ctrl+E"), self)
        self.export_shortcut.activated.connect(self.choose_export_file)

    def _wire(self) -> None:
        self.pair_combo.currentIndexChanged.connect(self._on_server_filter_changed)
        self.count_combo.currentIndexChanged.connect(self._on_server_filter_changed)
        self.from_edit.dateChanged.connect(self._on_server_filter_changed)
        self.to_edit.dateChanged.connect(self._on_server_filter_changed)
        self.any_date_button.clicked.connect(self.clear_dates)
        self.side_combo.currentIndexChanged.connect(self._apply_view_filters)
        self.order_edit.textChanged.connect(self._apply_view_filters)
        self.older_button.clicked.connect(self.load_older)
        if self._journal is not None:
            # The first journal, another account's, or none: a read waiting on it starts over.
            self._journal.opened.connect(self._on_journal_opened)
        self.export_button.clicked.connect(self.choose_export_file)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._show_state)

    def _restore_filters(self) -> None:
        state = self._settings.view_state
        _select(self.pair_combo, str(state(self.NAME, "pair", "")))
        _select(self.side_combo, str(state(self.NAME, "side", "")))
        try:
            count = int(str(state(self.NAME, "count", COUNT_CHOICES[0])))
        except (TypeError, ValueError):
            count = COUNT_CHOICES[0]
        _select(self.count_combo, count)

    # -- the filters ------------------------------------------------------------------------

    def query(self) -> HistoryQuery | None:
        """What the filters ask the exchange for; None while the dates contradict each other."""
        since_day, end_day = self.from_edit.date(), self.to_edit.date()
        since = None if since_day == _ANY_DATE else _local_day_start(since_day)
        end = None if end_day == _ANY_DATE else _local_day_end(end_day)
        if since is not None and end is not None and since > end:
            return None
        pair = self.pair_combo.currentData() or None
        return HistoryQuery(pair, since, end, int(self.count_combo.currentData()))

    @Slot()
    def clear_dates(self) -> None:
        """Show trades of any date again."""
        self.from_edit.setDate(_ANY_DATE)
        self.to_edit.setDate(_ANY_DATE)

    @Slot()
    def _on_server_filter_changed(self) -> None:
        self._settings.set_view_state(self.NAME, "pair", self.pair_combo.currentData() or "")
        self._settings.set_view_state(self.NAME, "count", int(self.count_combo.currentData()))
        self._filter_timer.start()

    @Slot()
    def _apply_query(self, refresh: bool = True) -> None:
        """Take the server-side filters; a change empties the table and asks again."""
        self._filter_timer.stop()
        query = self.query()
        if query is None:
            self.date_message.show_problem(_(
                "The “From” day is after the “To” day, so no trade can match. "
                "Change one of them."
            ))
        else:
            self.date_message.show_problem(None)
        self.proxy.set_filter(
            pair=self.pair_combo.currentData() or None,
            side=self.side_combo.currentData() or None,
        )
        if query == self._query:
            return
        self._query = query
        self.model.clear()
        self._loaded = False
        self._no_older = False
        self._forget_kept()
        self._load_problem = ""
        self.result_label.clear_message()
        self._show_state()
        if refresh:
            self.refresh()

    @Slot()
    def _apply_view_filters(self) -> None:
        """Side and order number filter the loaded trades at once, without asking again."""
        side = self.side_combo.currentData() or ""
        self._settings.set_view_state(self.NAME, "side", side)
        self.proxy.set_filter(pair=self.pair_combo.currentData() or None, side=side or None)
        text = self.order_edit.text().strip()
        order_id = int(text) if text else None
        self.proxy.set_order_filter(order_id)
        if order_id is None:
            self.order_message.show_hint(_("Type an order number to see only its trades."))
        else:
            self.order_message.show_hint(_("Showing the trades of order {n} only.").format(
                n=order_id
            ))
        self._show_state()

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Queue a request for the newest trades matching the filters; returns at once.

        With a journal, the first refresh of a query reads the trades it kept instead, and
        asks the exchange only when they are shown.
        """
        if self._dispatcher.client is None or self._query is None:
            return
        if self._uses_journal() and not self._kept_shown and not self._query.is_dated:
            if not self._kept_waiting:
                self._read_kept()
            return
        self._loading += 1
        self._show_state()
        self._dispatcher.submit(
            self._fetch_current,
            on_result=self._on_latest,
            on_error=self._on_refresh_error,
            priority=Priority.REFRESH,
            key="history",
        )

    def _uses_journal(self) -> bool:
        """Whether a journal is there to read (one that could not be opened is not)."""
        return self._journal is not None and not self._journal.last_problem

    def _span_key(self) -> str:
        """Where the kept span of the connected account is remembered ("" when none)."""
        name = self._journal.account_name if self._journal is not None else ""
        return f"kept_span.{name}" if name else ""

    def _kept_span(self) -> KeptSpan | None:
        key = self._span_key()
        return KeptSpan.parse(self._settings.view_state(self.NAME, key, "")) if key else None

    def _set_kept_span(self, span: KeptSpan) -> None:
        if key := self._span_key():
            self._settings.set_view_state(self.NAME, key, span.text())

    def _read_kept(self) -> None:
        """Fill the table from the journal's trades (read on its lane), then ask what is new."""
        assert self._journal is not None and self._query is not None
        self._kept_ticket += 1
        ticket, query, span = self._kept_ticket, self._query, self._kept_span()
        rows_for = self.model.rows_for
        self._kept_waiting = True
        self._show_state()

        def read(journal: Journal) -> tuple[int, HistoryQuery, list[Row] | None, KeptSpan | None]:
            trades = None if span is None else kept_trades(journal, query, span)
            return ticket, query, None if trades is None else rows_for(trades), span

        self._journal.read(read, self._on_kept, lambda _error: self._on_kept_failed(ticket))

    def _on_kept(
        self, result: tuple[int, HistoryQuery, list[Row] | None, KeptSpan | None]
    ) -> None:
        ticket, query, rows, span = result
        if ticket != self._kept_ticket or query != self._query:
            return  # the filters or the account changed meanwhile; another read follows
        self._kept_waiting = False
        self._kept_shown = True
        if rows is not None and span is not None:
            if rows:
                self.model.add_rows(rows)
                self._loaded = True
            self._new_since = span.end - NEW_TRADES_OVERLAP
            self._kept_all = span.start is None and len(rows) < query.count
            self._no_older = self._kept_all  # what is new may come; nothing older is missing
        self.refresh()

    def _on_kept_failed(self, ticket: int) -> None:
        if ticket != self._kept_ticket:
            return
        self._kept_waiting = False
        self._kept_shown = True  # nothing to show from it: ask the exchange as without one
        self.refresh()

    @Slot()
    def _on_journal_opened(self) -> None:
        # A read queued while no journal was open is dropped without an answer: read again.
        if self._kept_waiting:
            self._kept_waiting = False
            self.refresh()

    def _forget_kept(self) -> None:
        """Another query or account: the journal fills the table again before what is new."""
        self._kept_ticket += 1
        self._kept_waiting = False
        self._kept_shown = False
        self._kept_all = False
        self._new_since = None

    def _fetch_current(
        self, client: Any
    ) -> tuple[HistoryQuery | None, list[Row], bool, datetime | None]:
        # Runs on a worker thread, maybe later than queued: read the filters as they are now.
        # The table rows are built here too, so the UI thread only inserts them.
        query, page_size, since = self._query, self.page_size, self._new_since
        if query is None:
            return None, [], False, None
        if since is not None:
            trades = fetch_newer(client, query, since, page_size)
            return query, self.model.rows_for(trades), False, since
        trades = fetch_latest(client, query, page_size)
        complete = len(trades) < max(1, min(query.count, page_size, MAX_PAGE))
        return query, self.model.rows_for(trades), complete, None

    def _on_latest(
        self, result: tuple[HistoryQuery | None, list[Row], bool, datetime | None]
    ) -> None:
        self._loading = max(0, self._loading - 1)
        query, rows, complete, since = result
        if query is not None and query == self._query:
            full = len(rows) >= max(1, min(self.page_size, MAX_PAGE))
            if since is not None and full:
                # More is new than one page holds: show the newest page, as without a journal,
                # so that no trade is missing between the kept ones and the new ones.
                self.model.clear()
                self._no_older = False
                self._kept_all = False
            self.model.add_rows(rows)
            self._keep_trades(rows)
            self._note_kept(query, rows, since, full, complete)
            self._loaded = True
            self._no_older = self._no_older or complete or (since is not None and self._kept_all)
            if since is not None and rows:
                newest = max(row.record.timestamp for row in rows) - NEW_TRADES_OVERLAP
                self._new_since = max(newest, self._new_since or newest)
            self._forget_load_problem()
        self._show_state()

    def _note_kept(self, query: HistoryQuery, rows: list[Row], since: datetime | None,
                   full: bool, complete: bool) -> None:
        """Widen the kept span by a load of every market's newest trades, now being kept."""
        if not self._uses_journal() or query.pair is not None or query.is_dated or not rows:
            return
        trades: list[Trade] = [row.record for row in rows]
        span = self._kept_span()
        if span is None or since is None or full:
            # The newest page without the journal, or more new than a page: a span of its own,
            # or one with the span kept before when no time lies between them.
            page = span_of_page(trades, to_the_first=complete)
            span = page if span is None else span.joined(page)
        else:
            span = KeptSpan(span.start, max(span.end, *(t.timestamp for t in trades)))
        self._set_kept_span(span)

    def _note_older_kept(self, query: HistoryQuery, before: datetime,
                         older: list[Trade]) -> None:
        """Widen the kept span back by what "Load older" brought for every market."""
        if not self._uses_journal() or query.pair is not None or query.is_dated:
            return
        span = self._kept_span()
        if span is not None:
            self._set_kept_span(widened_back(span, before, older))

    def _keep_trades(self, rows: list[Row]) -> None:
        """Write the trades just loaded in the journal, for the Activity list (on its lane)."""
        if self._journal is not None and rows:
            trades = [row.record for row in rows]
            self._journal.record(lambda journal: journal.merge_trades(trades))

    def _forget_load_problem(self) -> None:
        """A load succeeded: the sentence about the failed one is over."""
        if self._load_problem and self.result_label.text() == self._load_problem:
            self.result_label.clear_message()
        self._load_problem = ""

    def _on_refresh_error(self, error: BaseException) -> None:
        self._loading = max(0, self._loading - 1)
        self._forget_load_problem()
        self._load_problem = _("Could not load your trades: {reason}").format(
            reason=describe(error)
        )
        if self._loaded:  # the table stays; the sentence says it may be out of date
            self.result_label.show_problem(self._load_problem)
        self._show_state()

    @Slot()
    def load_older(self) -> None:
        """Ask for the page of trades before the oldest one shown."""
        query = self._query
        if (self.older_button.is_busy() or self._no_older or query is None
                or self._dispatcher.client is None):
            return
        oldest = self.model.oldest()
        page_size = self.page_size
        rows_for = self.model.rows_for
        self.older_button.set_busy(True)
        self.result_label.clear_message()

        if oldest is None:
            def call(client: Any) -> tuple[HistoryQuery, list[Row], datetime | None]:
                return query, rows_for(fetch_latest(client, query, page_size)), None
        else:
            before = oldest.timestamp

            def call(client: Any) -> tuple[HistoryQuery, list[Row], datetime | None]:
                return query, rows_for(fetch_older(client, query, before, page_size)), before

        self._dispatcher.submit(
            call,
            on_result=self._on_older,
            on_error=self._on_older_error,
            priority=Priority.ACTION,
            key="history_older",
        )

    def _on_older(self, result: tuple[HistoryQuery, list[Row], datetime | None]) -> None:
        self.older_button.set_busy(False)
        query, rows, before = result
        if query != self._query:
            return  # the filters changed meanwhile; the table was emptied and reloaded
        known = {row.key for row in rows if row.key in self.model}
        added = self.model.add_rows(rows)
        self._keep_trades(rows)
        if before is not None:
            self._note_older_kept(query, before, [row.record for row in rows
                                                  if row.key not in known])
        self._loaded = True
        self._forget_load_problem()
        if added:
            self.result_label.show_result(
                _n("Loaded {count} older trade.", "Loaded {count} older trades.", added).format(
                    count=count_text(added))
            )
        else:
            self._no_older = True
            self.result_label.show_result(_("No older trades."))
        self._show_state()

    def _on_older_error(self, error: BaseException) -> None:
        self.older_button.set_busy(False)
        self.result_label.show_problem(
            _("Could not load older trades: {reason}").format(reason=describe(error))
        )

    def account_changed(self) -> None:
        """Another account: its trades and messages are not this one's."""
        self.model.clear()
        self._loaded = False
        self._no_older = False
        self._load_problem = ""
        self._forget_kept()
        # The old client's calls are dropped without a callback: nothing is waiting any more.
        self._loading = 0
        self.older_button.set_busy(False)
        self.result_label.clear_message()
        self._show_state()

    # -- what the person sees -----------------------------------------------------------------

    @Slot()
    def _show_state(self, *_args: object) -> None:
        shown, loaded = self.proxy.rowCount(), self.model.rowCount()
        if shown:
            self.records.show_table()
        elif self._load_problem and not self._loaded:
            self.records.show_problem(self._load_problem)
        else:
            self.records.show_empty(self._empty_sentence(loaded))
        if not self.older_button.is_busy():
            # Before a first load, the load itself (or Try again) is the way to get trades.
            self.older_button.setEnabled(self._loaded and not self._no_older
                                         and self._query is not None)
        self.older_button.setToolTip(
            _("All your trades matching these filters are shown: there are no older ones.")
            if self._no_older else _("Load the trades before the oldest one shown.")
        )
        if not loaded:
            summary = ""  # the sentence in place of the table says it all
        elif shown == loaded:
            summary = _n("Showing {count} trade.", "Showing {count} trades.", shown).format(
                count=count_text(shown))
        else:
            summary = _("Showing {shown} of {loaded} loaded trades.").format(
                shown=count_text(shown), loaded=count_text(loaded)
            )
        self.summary_label.setText(summary)
        self.export_button.setEnabled(shown > 0)

    def _empty_sentence(self, loaded: int) -> str:
        if self._query is None:
            return _("No trade can match these dates.")
        if loaded:
            order = self.proxy.order_filter()
            if order is not None and self._no_older:
                return _(
                    "None of your trades belongs to order {n}: every trade matching the "
                    "market and dates is loaded. Check the number."
                ).format(n=order)
            if order is not None:
                return _(
                    "None of the loaded trades belongs to order {n}. Check the number, or "
                    "press “Load older” to look further back."
                ).format(n=order)
            return _("None of the loaded trades matches these filters.")
        if not self._loaded:
            return _("Loading your trades…")
        if self._query.is_filtered:
            return _("You have no trades for this market and these dates.")
        return _(
            "You have not traded yet. When one of your orders buys or sells, "
            "the trade appears here."
        )

    def visible_trades(self) -> list[Trade]:
        """The trades the table shows, in the order it shows them."""
        proxy = self.proxy
        return [proxy.index(row, 0).data(RECORD_ROLE) for row in range(proxy.rowCount())]

    # -- exporting ----------------------------------------------------------------------------

    def export_csv(self, path: str | os.PathLike[str]) -> int:
        """Write what the table shows, in its order, to ``path`` as CSV; returns how many.

        Raises ``OSError`` when the file cannot be written.
        """
        return write_trades_csv(path, self.visible_trades())

    @Slot()
    def choose_export_file(self) -> None:
        """Ask where to save the CSV file (Ctrl+E), then save it there."""
        if not self.proxy.rowCount():
            self.result_label.show_problem(_("There are no trades to export."))
            return
        self.export_dialog = ask_where_to_save_csv(
            self, title=_("Export trades to CSV"), settings=self._settings, view=self.NAME,
            stem="cryptex-trades", on_chosen=self._export_to)

    def _export_to(self, path: str) -> None:
        try:
            count = self.export_csv(path)
        except OSError as error:
            self.result_label.show_problem(save_failed_sentence(error))
            return
        remember_export_folder(self._settings, self.NAME, path)
        self.result_label.show_result(
            _n("Saved {count} trade to {path}.", "Saved {count} trades to {path}.", count).format(
                count=count_text(count), path=path) + " " + _(MACHINE_READABLE)
        )

def _select(combo: QComboBox, value: object) -> None:
    """Choose the item whose data is ``value``; leave the choice alone if there is none."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
