"""Open orders: the orders still waiting to fill, their details, and cancelling them.

The table is the shared :class:`OpenOrdersModel` behind a :class:`SortFilterProxy` in a
:class:`RecordList`, filtered by market (remembered). Cancelling one or several orders
first shows exactly which orders go and what comes back to the available balance; each
order is then cancelled through its own :class:`MoneyAction`, one after another, and the
result names every order that could not be cancelled and why. Everything here belongs to
the account in use: switching accounts clears the rows and the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QPushButton, QWidget

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.errors import CryptexError, ExchangeRefusal
from cryptex_desktop.api.money import money_context
from cryptex_desktop.api.reconcile import Finding, check_cancel
from cryptex_desktop.api.types import Cancellation, Order, OrderStatus
from cryptex_desktop.i18n import _, _n
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dialogs.order_details import OrderDetailsDialog
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe, describe_action_failure
from cryptex_desktop.ui.formatting import format_money, format_price, pair_text
from cryptex_desktop.ui.models import RECORD_ROLE, OpenOrdersModel, SortFilterProxy
from cryptex_desktop.ui.models.open_orders import DATE
from cryptex_desktop.ui.money_action import (
    ActionReport,
    ActionWords,
    MoneyAction,
    MoneyRequest,
    Outcome,
)
from cryptex_desktop.ui.order_terms import exact_money
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.currency_combo import MarketCombo
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label
from cryptex_desktop.ui.widgets.layout import button_row
from cryptex_desktop.ui.widgets.record_list import RecordList

#: A confirmation lists at most this many orders by name; the rest are counted.
MAX_LISTED = 10


def returned_by_cancel(order: Order) -> tuple[str, Decimal]:
    """The currency and amount an order holds, which cancelling it gives back."""
    if order.type == "sell":
        return order.base, order.remaining
    with money_context():
        return order.quote, order.remaining * order.price


def returned_text(orders: list[Order]) -> str:
    """What cancelling ``orders`` returns, per currency: ``"6,000.00 USD and 1.5 LTC"``."""
    totals: dict[str, Decimal] = {}
    with money_context():
        for order in orders:
            currency, amount = returned_by_cancel(order)
            totals[currency] = totals.get(currency, Decimal(0)) + amount
    parts = [exact_money(amount, currency) for currency, amount in sorted(totals.items())]
    if len(parts) <= 1:
        return "".join(parts)
    return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def order_line(order: Order) -> str:
    """``"#12: buy 0.10000000 BTC at 60,000.00 USD each"``, naming what is left of it."""
    price = f"{format_price(order.price, order.pair)} {order.quote}"
    amount = format_money(order.amount, order.base)
    # One whole sentence per side and state: "buy" and "sell" are not words to slot in.
    if order.filled > 0:
        rest = format_money(order.remaining, order.base)
        text = (_("#{id}: buy the remaining {rest} of {amount} at {price} each")
                if order.type == "buy" else
                _("#{id}: sell the remaining {rest} of {amount} at {price} each"))
        return text.format(id=order.order_id, rest=rest, amount=amount, price=price)
    text = (_("#{id}: buy {amount} at {price} each") if order.type == "buy" else
            _("#{id}: sell {amount} at {price} each"))
    return text.format(id=order.order_id, amount=amount, price=price)


def orders_heading(count: int, lines: list[str]) -> str:
    """"3 orders:" and the orders, one a line."""
    return _n("{count} order:\n{lines}", "{count} orders:\n{lines}", count).format(
        count=count, lines="\n".join(lines))


class CancelRefused(CryptexError):
    """CancelOrder was refused; ``order`` is how the exchange shows the order now, if known."""

    def __init__(self, refusal: ExchangeRefusal, order: Order | None) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
        self.order = order


def cancel_or_explain(client: CryptexClient, order_id: int) -> Cancellation:
    """Cancel one order once; on a refusal, read the order to say why (worker thread)."""
    try:
        return client.cancel_order(order_id)
    except ExchangeRefusal as refusal:
        try:
            now = client.order_info(order_id)
        except CryptexError:
            now = None
        raise CancelRefused(refusal, now) from refusal


def why_not_cancelled(order: Order, error: BaseException) -> str:
    """Why ``order`` was not cancelled, in a sentence naming it."""
    number = order.order_id
    if isinstance(error, CancelRefused):
        now = error.order
        if now is not None and now.status == OrderStatus.FILLED:
            return _("Order #{id} had already filled.").format(id=number)
        if now is not None and now.status == OrderStatus.CANCELLED:
            return _("Order #{id} was already cancelled.").format(id=number)
        error = error.refusal
    return _("Order #{id} was not cancelled: {reason}").format(
        id=number, reason=describe_action_failure(error))


def cancel_words(order: Order) -> ActionWords:
    """The sentences of cancelling ``order``; each names it."""
    number = order.order_id
    return ActionWords(
        sending=_("Cancelling order #{id}…").format(id=number),
        done=lambda _order, _answer: _("Order #{id} is cancelled.").format(id=number),
        found=lambda _order, _finding: _("Order #{id} is cancelled.").format(id=number),
        not_done="",
        # Translators: keep {{reason}} with both its braces: the reason is put there later.
        check_failed=_(
            "Order #{id}: the connection dropped and the app could not find out whether it was "
            "cancelled. {{reason}} Look at this list again in a moment."
        ).format(id=number),
        switched=_(
            "You switched accounts while orders were being cancelled, so the app did not see "
            "every answer. Switch back to see which orders are still open."
        ),
        refused=lambda _order, error: why_not_cancelled(order, error),
        checking=_("Checking with the exchange what happened to order #{id}…").format(id=number),
    )


@dataclass
class _CancelRun:
    """Cancels in progress (on the UI thread): what was asked, what went, and why any did not."""

    orders: list[Order]
    next: int = 0
    cancelled: list[Order] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unknown: bool = False


class OpenOrdersScreen(Screen):
    """Orders waiting to fill; cancel them here."""

    NAME: ClassVar[str] = "open_orders"

    def __init__(
        self,
        dispatcher: Dispatcher,
        wallet: WalletState,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Open orders"), _(
            "Your orders that are waiting for someone to take them. While an order waits, what "
            "it would spend is held for it; cancelling it returns that to your available balance."
        ), parent)
        self._dispatcher = dispatcher
        self._wallet = wallet
        self._refresher = refresher
        self._settings = settings
        self._loaded = False
        self._load_problem = ""
        # Read by the worker when a refresh runs, so a coalesced refresh uses the latest filter.
        self._pair_filter: str | None = None
        self._run: _CancelRun | None = None
        self._action: MoneyAction | None = None
        self._confirm_dialog: ConfirmDialog | None = None

        self.model = OpenOrdersModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self._build()

        remembered = str(settings.view_state(self.NAME, "pair", "") or "")
        self.set_pair_filter(remembered if remembered in PAIRS else None)
        self.pair_filter.currentIndexChanged.connect(self._on_filter_chosen)
        self._update_view()

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Open orders")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Orders waiting to fill; cancel them here")

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.list = RecordList(self.proxy, accessible_name=_("Open orders"))
        self.list.retryRequested.connect(self.refresh)
        self.table = self.list.table
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        # Columns as wide as what they show; the last takes the spare width of a wide window.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.doubleClicked.connect(lambda _index: self.show_details())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.pair_filter = MarketCombo(all_text=_("All markets"))
        self.pair_filter.setAccessibleName(_("Show the orders of"))
        self.pair_filter.setToolTip(_("Show the orders of one market only, or of all of them."))
        filter_label: QLabel = buddy_label(_("&Show:"), self.pair_filter)
        self.list.filter_row.addWidget(filter_label)
        self.list.filter_row.addWidget(self.pair_filter)
        self.list.filter_row.addStretch(1)

        self.details_button = QPushButton(_("&Details…"))
        self.details_button.setAutoDefault(False)
        self.details_button.setToolTip(_("Everything about the selected order (Enter, or "
                                         "double-click a row)."))
        self.details_button.clicked.connect(self.show_details)
        self.cancel_button = BusyButton(_("&Cancel order"), busy_text=_("Cancelling…"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setToolTip(_("Cancel the selected orders (Delete). You confirm first."))
        self.cancel_button.clicked.connect(self.cancel_selected)

        self.result_label = ResultLabel(reserve_lines=2)
        self.result_label.setAccessibleName(_("What happened to your orders"))

        self.body.addWidget(self.list, 1)
        self.body.addLayout(button_row(
            self.details_button, self.cancel_button,
            hint=_("Select an order to cancel it (Delete) or see its details (Enter); "
                   "Shift+arrow keys, Ctrl+click or Shift+click select several."),
        ))
        self.body.addWidget(self.result_label)

        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_shortcut.activated.connect(self.cancel_selected)
        self.details_shortcuts = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.show_details)
            self.details_shortcuts.append(shortcut)

        QWidget.setTabOrder(self.pair_filter, self.table)
        QWidget.setTabOrder(self.table, self.details_button)
        QWidget.setTabOrder(self.details_button, self.cancel_button)

    # -- the filter ---------------------------------------------------------------------------

    def pair_filter_code(self) -> str | None:
        """The market shown (``"BTC_USD"``), or None for all markets."""
        return self._pair_filter

    def set_pair_filter(self, pair: str | None) -> None:
        """Show only ``pair``'s orders (None: all); remembered for next time."""
        if not self.pair_filter.set_code(pair or ""):
            raise ValueError(f"unknown market: {pair}")
        self._apply_filter(pair or None)

    @Slot(int)
    def _on_filter_chosen(self, _index: int) -> None:
        self._apply_filter(self.pair_filter.code() or None)
        self.refresh()

    def _apply_filter(self, pair: str | None) -> None:
        self._pair_filter = pair
        self._settings.set_view_state(self.NAME, "pair", pair or "")
        self.proxy.set_filter(pair=pair)
        self._update_view()

    # -- refreshing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for the open orders of the chosen market (all markets when none is chosen)."""
        if self._dispatcher.client is None:
            return  # not connected yet; the main window refreshes once it is
        self._dispatcher.submit(
            self._fetch,
            on_result=self._on_orders,
            on_error=self._on_orders_failed,
            priority=Priority.REFRESH,
            key="open_orders",
        )

    def _fetch(self, client: CryptexClient) -> tuple[str | None, list[Order]]:
        pair = self._pair_filter
        return pair, client.active_orders(pair=pair)

    def _on_orders(self, result: tuple[str | None, list[Order]]) -> None:
        pair, orders = result
        if pair != self._pair_filter:
            self.refresh()  # the filter changed while this was on its way
            return
        self._loaded = True
        self._load_problem = ""  # the exchange answers again: the problem is over
        self.model.update(orders)
        self._update_view()

    def _on_orders_failed(self, error: BaseException) -> None:
        # Rows already shown stay; the status bar tells about the failure too.
        if not self._loaded:
            self._load_problem = _("Could not load your open orders. {reason}").format(
                reason=describe(error))
            self._update_view()

    def account_changed(self) -> None:
        """Another account is in use: its orders and what happened to them are not these."""
        self._run = None  # the action gives up by itself and says so
        self._loaded = False
        self._load_problem = ""
        self.model.clear()
        self.result_label.clear_message()
        self._update_view()

    def _update_view(self) -> None:
        if self.proxy.rowCount() > 0:
            self.list.show_table()
        elif self._load_problem:
            self.list.show_problem(self._load_problem)
        elif not self._loaded:
            self.list.show_empty(_("Loading your open orders…"))
        elif self._pair_filter:
            self.list.show_empty(_(
                "You have no open orders in {market}. Orders you place on the Trade tab wait "
                "here until they fill."
            ).format(market=pair_text(self._pair_filter)))
        else:
            self.list.show_empty(_(
                "You have no open orders. Orders you place on the Trade tab wait here until "
                "they fill."
            ))
        self._update_buttons()

    def state_text(self) -> str:
        """The sentence shown in place of the table ("" while rows show)."""
        return self.list.state_text()

    # -- selection ------------------------------------------------------------------------------

    def selected_orders(self) -> list[Order]:
        """The selected orders, in the order the table shows them."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.index(row, 0).data(RECORD_ROLE) for row in rows]

    def select_order(self, order_id: int) -> bool:
        """Select the row of ``order_id`` alone (for tests and notifications)."""
        source = self.model.index_of(order_id)
        index = self.proxy.mapFromSource(source) if source.isValid() else source
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        return True

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.table.selectionModel().selectedRows()) if self._loaded else 0
        self.details_button.setEnabled(count > 0)
        if self.cancel_button.is_busy():
            return
        self.cancel_button.setEnabled(count > 0)
        self.cancel_button.setText(
            _("&Cancel order") if count <= 1 else
            _n("&Cancel {count} order", "&Cancel {count} orders", count).format(count=count))

    # -- details ------------------------------------------------------------------------------

    @Slot()
    def show_details(self) -> OrderDetailsDialog | None:
        """Open the details of the current (or first selected) order."""
        index = self.table.currentIndex()
        selected = self.table.selectionModel().selectedRows()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            index = selected[0] if selected else index
        if not index.isValid():
            return None
        order: Order = self.proxy.index(index.row(), 0).data(RECORD_ROLE)
        dialog = OrderDetailsDialog(self._dispatcher, order.order_id, self, order)
        dialog.cancelRequested.connect(lambda wanted: self._confirm_cancel([wanted]))
        dialog.open()
        return dialog

    # -- cancelling ---------------------------------------------------------------------------

    @Slot()
    def cancel_selected(self) -> None:
        """The button or Delete: confirm, then cancel the selected orders."""
        self._confirm_cancel(self.selected_orders())

    def _confirm_cancel(self, orders: list[Order]) -> None:
        if not orders or self._run is not None or self._confirm_dialog is not None:
            return
        count = len(orders)
        lines = [order_line(order) for order in orders[:MAX_LISTED]]
        if count > MAX_LISTED:
            more = count - MAX_LISTED
            lines.append(_n("… and {count} more", "… and {count} more", more).format(count=more))
        if count == 1:
            rows = [(_("Order"), lines[0])]
            question = _("Cancel order #{id}?").format(id=orders[0].order_id)
            confirm_text, keep_text = _("Cancel order"), _("Keep order")
        else:
            rows = [(_("Orders"), orders_heading(count, lines))]
            # Translators: only said of two orders or more.
            question = _n("Cancel this {count} order?", "Cancel these {count} orders?",
                          count).format(count=count)
            confirm_text = _n("Cancel {count} order", "Cancel {count} orders", count).format(
                count=count)
            keep_text = _("Keep orders")
        rows.append((_("Back to your available balance"), returned_text(orders)))
        self._confirm_dialog = confirm(
            self,
            lambda: self._start_cancelling(orders),
            title=_("Cancel orders") if count > 1 else _("Cancel order"),
            question=question,
            rows=rows,
            confirm_text=confirm_text,
            cancel_text=keep_text,
            note=_(
                "Cancelling costs nothing. Any part that fills before the exchange gets this "
                "request cannot be cancelled; the app will tell you if that happens."
            ) if count == 1 else _(
                "Cancelling costs nothing. Any part that fills before the exchange gets these "
                "requests cannot be cancelled; the app will tell you if that happens."
            ),
        )
        self._confirm_dialog.setMinimumWidth(560)  # one order per line, unwrapped
        self._confirm_dialog.finished.connect(self._on_confirm_closed)

    @Slot(int)
    def _on_confirm_closed(self, _result: int) -> None:
        self._confirm_dialog = None

    def _start_cancelling(self, orders: list[Order]) -> None:
        self._run = _CancelRun(list(orders))
        self.result_label.clear_message()
        self.cancel_button.set_busy(True)
        self._cancel_next()

    def _cancel_next(self) -> None:
        run = self._run
        if run is None:
            return
        if run.next >= len(run.orders):
            self._finish_cancelling(run)
            return
        order = run.orders[run.next]
        run.next += 1
        if len(run.orders) > 1:
            self.cancel_button.set_busy(True, _n(
                "Cancelling {i} of {count}…", "Cancelling {i} of {count}…", len(run.orders),
            ).format(i=run.next, count=len(run.orders)))
        order_id = order.order_id

        def send(client: CryptexClient, _noted: None) -> Cancellation:
            return cancel_or_explain(client, order_id)

        def check(client: CryptexClient, _noted: None) -> Finding:
            return check_cancel(client, order_id)

        action = MoneyAction(self._dispatcher, cancel_words(order), self)
        action.progress.connect(lambda sentence: self._on_progress(action, sentence))
        action.finished.connect(lambda report: self._on_cancelled(run, action, report))
        self._action = action
        action.start(order, MoneyRequest(send=send, check=check))

    def _on_progress(self, action: MoneyAction, sentence: str) -> None:
        if action.is_checking():  # "Sending…" is on the button; checking deserves words
            self.result_label.show_result(sentence)

    def _on_cancelled(self, run: _CancelRun, action: MoneyAction,
                      report: ActionReport) -> None:
        action.deleteLater()
        self._action = None
        order: Order = report.subject
        if isinstance(report.answer, Cancellation):
            self._wallet.apply_free(report.answer.balances)
        if report.outcome is Outcome.DONE:
            run.cancelled.append(order)
        elif report.finding is not None and report.finding.happened is False:
            run.problems.append(_(
                "Order #{id}: the exchange did not confirm the cancel, so the app checked. "
                "{detail}"
            ).format(id=order.order_id, detail=report.finding.detail))
        else:
            run.problems.append(report.sentence)
            run.unknown = report.outcome is Outcome.UNKNOWN
        if run is not self._run:
            # The account changed: what happened to the old account's orders is not told here.
            self.cancel_button.set_busy(False)
            self.result_label.show_warning(cancel_words(order).switched)
            self._update_buttons()
            return
        self._cancel_next()

    def _finish_cancelling(self, run: _CancelRun) -> None:
        self._run = None
        self.cancel_button.set_busy(False)
        asked, done = len(run.orders), len(run.cancelled)
        parts: list[str] = []
        if done:
            if asked == 1:
                parts.append(_("Order #{id} is cancelled.").format(id=run.cancelled[0].order_id))
            elif done == asked:
                parts.append(_n("Cancelled {count} order.", "Cancelled {count} orders.",
                                done).format(count=done))
            else:
                parts.append(_n("Cancelled {done} of {count} order.",
                                "Cancelled {done} of {count} orders.", asked).format(
                    done=done, count=asked))
            parts.append(_("Back in your available balance: {returns}.").format(
                returns=returned_text(run.cancelled)))
        elif asked > 1:
            parts.append(_("No order was cancelled."))
        parts.extend(run.problems)
        text = " ".join(parts)
        if done == asked:
            self.result_label.show_success(text)
        elif run.unknown:
            self.result_label.show_warning(text)
        elif done == 0:
            self.result_label.show_problem(text)
        else:
            self.result_label.show_result(text)
        self._refresher.request("open_orders", "history", "balances")
        self._update_buttons()

    def result_tone(self) -> str:
        """``"success"``, ``"problem"``, ``"warning"`` or ``""`` for the result line."""
        return self.result_label.tone().value
