"""Activity: one list of every money movement this account made, newest first.

Deposits, withdrawals, trades, their fees, and coupons made and redeemed, as the journal
remembers them (the exchange itself lists only what is still on its way). Filters by kind,
currency, dates and a search box (label, address, txid, order number) are answered by the
journal; the first screenful comes at once and the rest follows in one read, its rows built
on the journal's own lane and inserted in batches, never read on the UI thread. Enter or a
double-click opens an entry's details; the list exports to CSV with fee columns, in machine format.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar, cast

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.money import to_wire
from cryptex_desktop.i18n import _, _n
from cryptex_desktop.journal import (
    ActivityEntry,
    ActivityKind,
    ActivityRow,
    Journal,
    activity_entry,
)
from cryptex_desktop.ui.dialogs.csv_export import (
    MACHINE_READABLE,
    ask_where_to_save_csv,
    remember_export_folder,
    save_failed_sentence,
    write_csv,
)
from cryptex_desktop.ui.formatting import (
    count_text,
    currency_name,
    exact_amount,
    format_datetime_long,
    format_price,
    pair_text,
)
from cryptex_desktop.ui.journal_keeper import JournalKeeper
from cryptex_desktop.ui.models import RECORD_ROLE, Row, SortingProxy
from cryptex_desktop.ui.models.activity import (
    AMOUNT,
    CURRENCY,
    DATE,
    DETAILS,
    FEE,
    KIND,
    LABEL,
    ActivityModel,
    details_text,
    kind_word,
    status_words,
)
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.widgets.currency_combo import CurrencyCombo
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label
from cryptex_desktop.ui.widgets.layout import list_footer, tab_in_order
from cryptex_desktop.ui.widgets.record_list import RecordList
from cryptex_desktop.ui.widgets.record_table import ColumnsThatGrow, cell_padding

#: The first screenful, read before anything else.
FIRST_PAGE = 200
#: The rest is read at once, then inserted in even runs of at most about this many rows
#: (the UI paints between). 100,000 rows go in one run: the UI thread is held about 20 ms,
#: less than two runs with a paint between.
INSERT_BATCH = 120_000
#: Filter edits are gathered this long before the journal is asked again.
FILTER_DELAY_MS = 250
#: A date edit at this date shows "Any": no limit on that side.
ANY_DATE = QDate(2000, 1, 1)

#: The first row of the CSV file: the same in every language (see MACHINE_READABLE).
CSV_HEADER = (
    "date_utc", "kind", "currency", "amount", "fee", "fee_currency", "status", "details",
    "address", "txid", "orders", "price", "label",
)


@dataclass(frozen=True)
class ActivityQuery:
    """What the list shows: a kind and currency (None: all), days (UTC bounds), a search."""

    kind: ActivityKind | None = None
    currency: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None

    def read(self, journal: Journal, limit: int | None = None,
             after: ActivityEntry | None = None) -> list[ActivityEntry]:
        """The entries matching, newest first (``limit`` of them after ``after``)."""
        return journal.activity(kind=self.kind, currency=self.currency, since=self.since,
                                until=self.until, search=self.search, limit=limit, after=after)

    def read_rows(self, journal: Journal, limit: int | None = None,
                  after: ActivityEntry | None = None) -> list[ActivityRow]:
        """The plain rows matching, in the table's order (see ``Journal.activity_rows``)."""
        return journal.activity_rows(kind=self.kind, currency=self.currency, since=self.since,
                                     until=self.until, search=self.search, limit=limit,
                                     after=after, fee_last=True)

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the list."""
        return any(v is not None for v in (self.kind, self.currency, self.since, self.until,
                                           self.search))


_Entry = TypeVar("_Entry", ActivityEntry, ActivityRow)
# The kind that comes last among entries of one moment and record in the journal's order.
_LAST_KIND = max(ActivityKind, key=lambda kind: kind.value)


def _moment(entry: ActivityEntry | ActivityRow) -> tuple[object, object]:
    """The moment and record an entry or a journal row belongs to."""
    if isinstance(entry, ActivityEntry):
        return (entry.time, entry.record_id)
    return (entry[0], entry[9])


def whole_groups(entries: list[_Entry], asked: int) -> tuple[list[_Entry], bool]:
    """A page without its last moment's entries when more may follow; and whether it is all.

    A trade and its fee share a moment and record id. A page ending between them would make
    the next page's first row go above the last one shown, and the table would re-sort
    everything: so a page ends on a whole moment, and the next one starts after it (see
    :func:`after_group`). ``entries`` are entries or the journal's rows.
    """
    if len(entries) < asked:
        return entries, True
    moment = _moment(entries[-1])
    end = len(entries)
    while end and _moment(entries[end - 1]) == moment:
        end -= 1
    return (entries[:end] if end else entries), False


def batches(rows: list[ActivityRow], size: int) -> list[list[ActivityRow]]:
    """``rows`` in the table's order cut into even runs of at most about ``size``, each on
    whole moments (no short run at the end, whose paint would only delay the list).

    See :func:`whole_groups`: a run ending between a trade and its fee would make the table
    re-sort everything when the next run comes.
    """
    runs: list[list[ActivityRow]] = []
    if rows:
        size = -(-len(rows) // -(-len(rows) // size))  # ceil(n / ceil(n / size))
    start = 0
    while start < len(rows):
        end = min(start + size, len(rows))
        if end < len(rows):
            moment = _moment(rows[end - 1])
            while end < len(rows) and _moment(rows[end]) == moment:
                end += 1
        runs.append(rows[start:end])
        start = end
    return runs


def after_group(entry: ActivityEntry | ActivityRow) -> ActivityEntry:
    """What to read after: every entry of ``entry``'s moment and record is already read."""
    if not isinstance(entry, ActivityEntry):
        entry = activity_entry(entry)
    return replace(entry, kind=_LAST_KIND)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector off while the rows of a long list are built on the lane.

    Building 100,000 rows allocates tuples that set off collections walking every row
    already in memory, and none can free anything. When they are built, they are frozen
    (``gc.freeze``): rows hold no cycles, refcounting frees them with their list, and no
    collection walks them again (which took 50 ms on the UI's way each time). Freezing the
    next list thaws this one first, so garbage frozen with it is still collected in time.
    If the UI thread's table pauses and resumes the collector meanwhile, a page is only
    slower, never wrong.
    """
    if not gc.isenabled():
        yield
        return
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def csv_row(entry: ActivityEntry) -> tuple[str, ...]:
    """One entry as a CSV row, in the order of :data:`CSV_HEADER` (exact, machine format)."""
    return (
        entry.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        entry.kind.value,
        entry.currency,
        to_wire(entry.amount),
        "" if entry.fee is None else to_wire(entry.fee),
        entry.fee_currency or "",
        entry.status,
        entry.description,
        entry.address or "",
        entry.txid or "",
        " ".join(str(n) for n in entry.order_ids),
        "" if entry.price is None else to_wire(entry.price),
        entry.label,
    )


def as_shown(entries: list[ActivityEntry]) -> list[ActivityEntry]:
    """The entries in the table's order: newest first, a trade before its fee."""
    return sorted(entries, key=lambda e: (e.time, e.record_id, e.kind.value), reverse=True)


def write_activity_csv(path: str | os.PathLike[str], entries: Iterable[ActivityEntry]) -> int:
    """Write ``entries`` as CSV with a header row; returns how many (see :func:`write_csv`)."""
    return write_csv(path, CSV_HEADER, map(csv_row, entries))


def _date_edit(tooltip: str, name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(ANY_DATE)
    edit.setMaximumDate(QDate(2999, 12, 31))
    edit.setSpecialValueText(_("Any"))
    edit.setDate(ANY_DATE)
    edit.setToolTip(tooltip)
    edit.setAccessibleName(name)
    return edit


def _day_start(day: QDate) -> datetime:
    """Midnight at the start of ``day`` in the local time zone, as UTC."""
    return datetime(day.year(), day.month(), day.day()).astimezone().astimezone(UTC)


class ActivityDetailsDialog(QDialog):
    """Every field of one entry, read-only and selectable (to copy an address or a txid)."""

    def __init__(self, entry: ActivityEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("{kind} details").format(kind=kind_word(entry.kind)))
        self.entry = entry
        form = QFormLayout()
        self.values: dict[str, str] = {}
        rows: list[tuple[str, str, bool]] = [
            (_("Date"), format_datetime_long(entry.time), False),
            (_("Kind"), kind_word(entry.kind), False),
            (_("Currency"), f"{currency_name(entry.currency)} ({entry.currency})", False),
            (_("Amount"), f"{exact_amount(entry.amount)} {entry.currency}", False),
        ]
        if entry.fee is not None and entry.fee_currency:
            rows.append((_("Fee"), f"{exact_amount(entry.fee)} {entry.fee_currency}", False))
        if entry.kind in (ActivityKind.TRADE, ActivityKind.FEE):
            rows.append((_("Market"), pair_text(entry.description), False))
        if entry.price is not None:
            rows.append((_("Price"), format_price(entry.price, entry.description), False))
        rows.append((_("Details"), details_text(entry), False))
        state = status_words(entry)
        if state:
            rows.append((_("State"), state, False))
        if entry.address:
            rows.append((_("Address"), entry.address, True))
        if entry.txid:
            rows.append((_("Transaction id"), entry.txid, True))
        if entry.order_ids:
            rows.append((_("Orders"), ", ".join(str(n) for n in entry.order_ids), False))
        if entry.label:
            rows.append((_("Label"), entry.label, False))
        for title, value, monospace in rows:
            label = QLabel(value)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setAccessibleName(title)
            if monospace:
                label.setFont(monospace_font())
            form.addRow(f"{title}:", label)
            self.values[title] = value
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class ActivityScreen(Screen):
    """Every deposit, withdrawal, trade, fee and coupon of this account, newest first."""

    NAME = "activity"

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Activity")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Every deposit, withdrawal, trade, fee and coupon, newest first")

    def __init__(self, journal: JournalKeeper, settings: AppSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            _("Activity"),
            _("Everything that moved money in this account, newest first: deposits, "
              "withdrawals, trades and their fees, and coupons. The app writes these down on "
              "this computer as they happen. Press Enter on a row to see all its details."),
            parent,
        )
        self._journal = journal
        self._settings = settings
        self._serial = 0  # the query on show; pages of an older one are dropped
        self._loaded = False
        self._complete = False
        self._partial = False  # the newest entries read, the older ones not (a read failed)
        #: The details dialog open now, if any (tests read it as a person would).
        self.details_dialog: ActivityDetailsDialog | None = None
        self.export_dialog: QFileDialog | None = None
        self.model = ActivityModel(self)
        self.proxy = SortingProxy(self.model, self)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(FILTER_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._top_timer = QTimer(self)
        self._top_timer.setSingleShot(True)
        self._top_timer.setInterval(FILTER_DELAY_MS)
        self._top_timer.timeout.connect(self._refresh_top)
        self._build()
        self._wire()
        self._show_state()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(_("Everything"), "")
        for kind in (ActivityKind.DEPOSIT, ActivityKind.WITHDRAWAL, ActivityKind.TRADE,
                     ActivityKind.FEE, ActivityKind.COUPON_MADE, ActivityKind.COUPON_REDEEMED):
            self.kind_combo.addItem(kind_word(kind), kind.value)
        self.kind_combo.setToolTip(_("Show one kind of money movement only."))
        self.kind_combo.setAccessibleName(_("Kind"))
        self.currency_combo = CurrencyCombo(all_text=_("All currencies"))
        self.currency_combo.setToolTip(_("Show one currency only."))
        self.currency_combo.setAccessibleName(_("Currency"))
        self.from_edit = _date_edit(_("Show activity from this day on (your local time). "
                                      "“Any”: from the first."), _("From day"))
        self.to_edit = _date_edit(_("Show activity up to the end of this day (your local "
                                    "time). “Any”: up to now."), _("To day"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Label, address, transaction id or order"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(_(
            "Find entries by a name you gave, an address, a transaction id or an order number."
        ))
        self.search_edit.setAccessibleName(_("Search"))

        # In rows, as History has them: one row is wider than a small window in most
        # languages, and the search's hint needs a field as wide as two.
        filters = QGridLayout()
        filters.setHorizontalSpacing(10)
        filters.setVerticalSpacing(6)
        rows = (
            ((_("&Kind:"), self.kind_combo), (_("C&urrency:"), self.currency_combo)),
            ((_("Fro&m:"), self.from_edit), (_("&To:"), self.to_edit)),
            ((_("&Search:"), self.search_edit),),
        )
        for row, pairs in enumerate(rows):
            for position, (text, field) in enumerate(pairs):
                label = buddy_label(text, field, wrap=True)
                filters.addWidget(label, row, position * 2, Qt.AlignmentFlag.AlignRight)
                span = 3 if field is self.search_edit else 1
                filters.addWidget(field, row, position * 2 + 1, 1, span)
        filters.setColumnStretch(4, 1)  # the fields keep their width; the rest stays empty

        self.records = RecordList(self.proxy, accessible_name=_("Your activity"))
        self.records.filter_row.addLayout(filters, 1)
        self.records.retryRequested.connect(self.reload)
        self.table = self.records.table
        # Every column fits what it shows in the app's language; Details, the one that says
        # most, takes the room left (the person may still widen the others).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        widest = {
            DATE: "8888-88-88 88:88",
            KIND: max((kind_word(kind) for kind in ActivityKind), key=metrics.horizontalAdvance),
            CURRENCY: "USDT",
            AMOUNT: "-0.00000000",
            FEE: "0.00000000 BTC",
            LABEL: "x" * 12,
        }
        padding = cell_padding(self.table)
        for column, text in widest.items():
            header.resizeSection(column, max(metrics.horizontalAdvance(text) + padding,
                                             header.sectionSizeHint(column)))
        # A person's amounts may be longer than "-0.00000000" ("+1,234.56789012"): those two
        # columns grow to show them whole, never "1,234.567…".
        self.column_widths = ColumnsThatGrow(self.table, (AMOUNT, FEE))

        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setAccessibleName(_("How many entries are shown"))
        self.result_label = ResultLabel(reserve_lines=1)
        self.result_label.setAccessibleName(_("Activity message"))
        self.details_button = QPushButton(_("&Details…"))
        self.details_button.setToolTip(_("Everything about the chosen entry (Enter)."))
        self.details_button.setAutoDefault(False)
        self.details_button.setAccessibleName(_("Details"))
        self.export_button = QPushButton(_("&Export to CSV…"))
        self.export_button.setToolTip(_(
            "Save every entry matching the filters as a spreadsheet file (Ctrl+E)."
        ))
        self.export_button.setAutoDefault(False)
        self.export_button.setAccessibleName(_("Export to CSV"))

        self.body.addWidget(self.records, 1)
        self.body.addLayout(list_footer(self.summary_label, self.result_label,
                                        self.details_button, self.export_button))
        tab_in_order(self.kind_combo, self.currency_combo, self.from_edit, self.to_edit,
                     self.search_edit, self.table, self.details_button, self.export_button)

        # A window shortcut of a hidden tab does not fire, so other screens may use Ctrl+E too.
        self.export_shortcut = QShortcut(QKeySequence("Ctrl+E"), self)
        self.export_shortcut.activated.connect(self.choose_export_file)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.open_details)

    def _wire(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.currency_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.from_edit.dateChanged.connect(self._on_filter_changed)
        self.to_edit.dateChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_filter_changed)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.details_button.clicked.connect(self.open_details)
        self.export_button.clicked.connect(self.choose_export_file)
        self._journal.changed.connect(self._top_timer.start)
        self._journal.opened.connect(self.reload)  # another account's journal, or the first
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._show_state)

    # -- the filters ------------------------------------------------------------------------

    def query(self) -> ActivityQuery:
        """The filters as they stand."""
        kind = str(self.kind_combo.currentData() or "")
        since = until = None
        if self.from_edit.date() != ANY_DATE:
            since = _day_start(self.from_edit.date())
        if self.to_edit.date() != ANY_DATE:
            until = _day_start(self.to_edit.date()) + timedelta(days=1)
        search = self.search_edit.text().strip()
        return ActivityQuery(
            kind=ActivityKind(kind) if kind else None,
            currency=self.currency_combo.code() or None,
            since=since, until=until, search=search or None,
        )

    @Slot()
    def _on_filter_changed(self) -> None:
        self._reload_timer.start()

    # -- reading ----------------------------------------------------------------------------

    @property
    def is_complete(self) -> bool:
        """Whether every entry matching the filters has been read into the list."""
        return self._loaded and self._complete

    def refresh(self) -> None:
        """Bring the newest entries up to date (the whole list the first time, or again when
        the older ones could not be read)."""
        if self._loaded and not self._partial:
            self._refresh_top()
        else:
            self.reload()

    @Slot()
    def _refresh_top(self) -> None:
        """Read the newest screenful again: new entries come in, changed ones change in place.

        The rest of a long list stays as read: the journal only adds entries, and what
        changes later (an outcome checked, a deposit confirmed) is nearly always recent.
        """
        self._top_timer.stop()
        if not self._loaded or self._journal.last_problem:
            return
        serial, query = self._serial, self.query()
        self._journal.read(lambda journal: query.read_rows(journal, limit=FIRST_PAGE),
                           lambda entries: self._on_top(serial, entries))

    def _on_top(self, serial: int, entries: list[ActivityRow]) -> None:
        if serial != self._serial:
            return
        model = self.model
        if entries and len(entries) == FIRST_PAGE and model.key_of(entries[-1]) not in model:
            self.reload()  # more came than a screenful (a first History load): read them all
            return
        model.put_records(entries)  # the rest of a long list stays as it is

    @Slot()
    def reload(self) -> None:
        """The first screenful of what matches the filters, then the rest in pages."""
        self._reload_timer.stop()
        self._serial += 1
        if self._partial:
            self._partial = False
            self.result_label.clear_message()
        if self._journal.last_problem:  # no journal to read: say why, in place of the list
            self.model.clear()
            self.records.show_problem(self._journal.last_problem)
            return
        serial, query = self._serial, self.query()
        # A refresh keeps as many rows as are shown, so the list does not shrink under the eye.
        first = max(FIRST_PAGE, self.model.rowCount())
        # The first screenful, kept for the read of the rest (the lane runs them in turn).
        pages: list[tuple[list[ActivityRow], bool]] = []

        def read_first(journal: Journal) -> tuple[list[ActivityRow], bool]:
            pages.append(whole_groups(query.read_rows(journal, limit=first), first))
            return pages[0]

        self._journal.read(read_first, lambda page: self._on_page(serial, *page),
                           lambda error: self._on_read_failed(serial, error))
        self._read_rest(serial, query, first, pages)

    def _on_page(self, serial: int, entries: list[ActivityRow], complete: bool) -> None:
        if serial != self._serial:
            return  # the filters changed meanwhile
        self.model.set_records(entries)
        self._loaded = True
        self._complete = complete
        self._show_state()

    def _read_rest(self, serial: int, query: ActivityQuery, first: int,
                   pages: list[tuple[list[ActivityRow], bool]]) -> None:
        """Everything after the first screenful in one read, on the lane.

        Queued with the first screenful's read (which leaves it in ``pages``), so the lane
        goes straight on to it rather than waiting for the UI thread to show the screenful
        first. One query with no limit is read fastest (see
        ``Journal.activity``), and its rows are the table's rows as they are, put by key
        here too; the UI thread only inserts them, in batches.
        """
        by_key = self.model.rows_by_key

        def rest(journal: Journal) -> list[dict[Hashable, Row[ActivityRow]]]:
            page, complete = (pages[0] if pages
                              else whole_groups(query.read_rows(journal, limit=first), first))
            if complete:
                return []
            with collector_paused():
                rows = query.read_rows(journal, after=after_group(page[-1]))
                return [by_key(cast("list[Row[ActivityRow]]", run))
                        for run in batches(rows, INSERT_BATCH)]

        self._journal.read(
            rest,
            lambda runs: self._insert_batches(serial, runs),
            lambda error: self._on_read_failed(serial, error),
        )

    def _insert_batches(self, serial: int, runs: list[dict[Hashable, Row[ActivityRow]]]) -> None:
        if serial != self._serial:
            return  # the filters changed meanwhile
        if runs:
            self.model.add_rows(runs[0], sorted_by=ActivityModel.DEFAULT_SORT)
        self._complete = len(runs) <= 1
        if not self._complete:
            QTimer.singleShot(0, self, lambda: self._insert_batches(serial, runs[1:]))
        self._show_state()

    def _on_read_failed(self, serial: int, _error: BaseException) -> None:
        if serial != self._serial:
            return
        self._loaded = True
        self._complete = True
        if not self.model.rowCount():
            self.records.show_problem(_(
                "Could not read your activity from this computer. Restart the app; if it keeps "
                "happening, look in the log folder (Help > Open log folder)."
            ))
            return
        # The newest entries are on show, the older ones could not be read: say so, so the
        # list is not taken for all there is.
        self._partial = True
        self.result_label.show_problem(_(
            "Only the newest entries could be read from this computer. Press F5 to try again; "
            "if it keeps happening, look in the log folder (Help > Open log folder)."
        ))
        self._show_state()

    def account_changed(self) -> None:
        """Another account: its activity is in its own journal; read it once that is open."""
        self._serial += 1
        self._loaded = False
        self._complete = False
        self._partial = False
        self.model.clear()
        self.result_label.clear_message()
        if self.details_dialog is not None:
            self.details_dialog.reject()
        self._show_state()

    # -- what the person sees ---------------------------------------------------------------

    @Slot()
    def _show_state(self, *_args: object) -> None:
        shown = self.proxy.rowCount()
        if shown:
            self.records.show_table()
        elif not self._loaded:
            self.records.show_empty(_("Reading your activity…"))
        elif self.query().is_filtered:
            self.records.show_empty(_("Nothing matches these filters."))
        else:
            self.records.show_empty(_(
                "Nothing yet. Deposits, withdrawals, trades and coupons appear here as they "
                "happen."
            ))
        self.summary_label.setText(
            "" if not shown else
            _n("Showing {count} entry.", "Showing {count} entries.", shown).format(
                count=count_text(shown)))
        self.export_button.setEnabled(shown > 0)
        self.details_button.setEnabled(shown > 0)

    def visible_entries(self) -> list[ActivityEntry]:
        """The entries the table shows, in the order it shows them."""
        proxy, model = self.proxy, self.model
        return [model.entry_at(proxy.mapToSource(proxy.index(row, 0)).row())
                for row in range(proxy.rowCount())]

    # -- details ----------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.table.setCurrentIndex(index)
        self.open_details()

    @Slot()
    def open_details(self) -> None:
        """Enter or double-click: every field of the chosen entry, in a dialog."""
        index = self.table.currentIndex()
        if not index.isValid():
            index = self.proxy.index(0, 0)
        entry = index.data(RECORD_ROLE) if index.isValid() else None
        if not isinstance(entry, ActivityEntry) or self.details_dialog is not None:
            return
        dialog = ActivityDetailsDialog(entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_details_closed)
        self.details_dialog = dialog
        dialog.open()

    @Slot()
    def _on_details_closed(self) -> None:
        self.details_dialog = None

    # -- exporting --------------------------------------------------------------------------

    def export_csv(self, path: str | os.PathLike[str]) -> None:
        """Write every entry matching the filters to ``path`` (on the journal's lane).

        The outcome is said in the result label when the file is written.
        """
        query = self.query()
        target = str(path)
        self._journal.read(
            lambda journal: write_activity_csv(target, as_shown(query.read(journal))),
            lambda count: self._on_exported(target, count),
            self._on_export_failed,
        )

    def _on_exported(self, path: str, count: int) -> None:
        remember_export_folder(self._settings, self.NAME, path)
        self.result_label.show_success(
            _n("Saved {count} entry to {path}.", "Saved {count} entries to {path}.", count).format(
                count=count_text(count), path=path) + " " + _(MACHINE_READABLE))

    def _on_export_failed(self, error: BaseException) -> None:
        self.result_label.show_problem(save_failed_sentence(error))

    @Slot()
    def choose_export_file(self) -> None:
        """Ask where to save the CSV file (Ctrl+E), then save it there."""
        if not self.proxy.rowCount():
            self.result_label.show_problem(_("There is nothing to export."))
            return
        self.export_dialog = ask_where_to_save_csv(
            self, title=_("Export activity to CSV"), settings=self._settings, view=self.NAME,
            stem="cryptex-activity", on_chosen=self.export_csv)
