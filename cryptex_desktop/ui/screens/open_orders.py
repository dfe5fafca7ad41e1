"""Open orders: the orders still waiting to fill, their details, and cancelling them.

The table is the shared :class:`OpenOrdersModel` behind a :class:`SortFilterProxy`, filtered
by pair (remembered). Cancelling one or many orders first shows exactly which orders go and
what comes back to the available balance; the cancels then run one by one through the
dispatcher, and the result names every order that could not be cancelled and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.errors import CryptexError, ExchangeRefusal, OutcomeUnknown
from cryptex_desktop.api.money import money_context
from cryptex_desktop.api.reconcile import Finding, check_cancel
from cryptex_desktop.api.types import Cancellation, Order, OrderStatus
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dialogs.order_details import OrderDetailsDialog
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import format_money, format_price, pair_description
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.models import RECORD_ROLE, OpenOrdersModel, SortFilterProxy
from cryptex_desktop.ui.models.open_orders import DATE
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.screens.trade import exact_money, pair_label
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.labels import heading_label
from cryptex_desktop.ui.widgets.record_table import record_table

#: A confirmation lists at most this many orders by name; the rest are counted.
MAX_LISTED = 10

_SUCCESS_ON_LIGHT, _SUCCESS_ON_DARK = QColor("#1a7f37"), QColor("#3fb950")
_PROBLEM_ON_LIGHT, _PROBLEM_ON_DARK = QColor(176, 0, 32), QColor(255, 128, 128)


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
    side = _("buy") if order.type == "buy" else _("sell")
    price = f"{format_price(order.price, order.pair)} {order.quote}"
    if order.filled > 0:
        return _("#{id}: {side} the remaining {rest} of {amount} at {price} each").format(
            id=order.order_id, side=side, rest=format_money(order.remaining, order.base),
            amount=format_money(order.amount, order.base), price=price)
    return _("#{id}: {side} {amount} at {price} each").format(
        id=order.order_id, side=side, amount=format_money(order.amount, order.base), price=price)


@dataclass(frozen=True)
class _Refused:
    """CancelOrder was refused; ``order`` is how the exchange shows the order now, if known."""

    refusal: ExchangeRefusal
    order: Order | None


def _cancel_one(client: CryptexClient, order_id: int) -> Cancellation | _Refused:
    """Cancel one order; on a refusal, read the order to say why (worker thread)."""
    try:
        return client.cancel_order(order_id)
    except ExchangeRefusal as refusal:
        try:
            now = client.order_info(order_id)
        except CryptexError:
            now = None
        return _Refused(refusal, now)


@dataclass
class _CancelRun:
    """Cancels in progress: what was asked, what went through, and why any did not."""

    orders: list[Order]
    next: int = 0
    cancelled: list[Order] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class OpenOrdersScreen(QWidget):
    """Orders waiting to fill; cancel them here."""

    NAME = "open_orders"
    TITLE = _("Open orders")
    TOOLTIP = _("Orders waiting to fill; cancel them here")

    def __init__(
        self,
        dispatcher: Dispatcher,
        wallet: WalletState,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._wallet = wallet
        self._refresher = refresher
        self._settings = settings
        self._loaded = False
        self._load_problem = ""
        # Read by the worker when a refresh runs, so a coalesced refresh uses the latest filter.
        self._pair_filter: str | None = None
        self._run: _CancelRun | None = None
        self._confirm_dialog: ConfirmDialog | None = None
        self._result_tone = ""

        self.model = OpenOrdersModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self._build()

        remembered = str(settings.view_state(self.NAME, "pair", "") or "")
        self.set_pair_filter(remembered if remembered in PAIRS else None)
        self.pair_filter.currentIndexChanged.connect(self._on_filter_chosen)
        dispatcher.clientChanged.connect(self._forget)
        self._update_view()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        heading = heading_label(_("Open orders"))
        intro = QLabel(_(
            "Your orders that are waiting for someone to take them. While an order waits, what "
            "it would spend is held for it; cancelling it returns that to your available balance."
        ))
        intro.setWordWrap(True)

        self.pair_filter = QComboBox()
        self.pair_filter.addItem(_("All pairs"), "")
        for code in PAIRS:
            self.pair_filter.addItem(pair_label(code), code)
            self.pair_filter.setItemData(
                self.pair_filter.count() - 1, pair_description(code), Qt.ItemDataRole.ToolTipRole
            )
        self.pair_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pair_filter.setToolTip(_("Show the orders of one market only, or of all of them."))
        filter_label = QLabel(_("&Show:"))
        filter_label.setBuddy(self.pair_filter)
        filter_row = QHBoxLayout()
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.pair_filter)
        filter_row.addStretch(1)

        self.table = record_table(self.proxy)
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.table.setAccessibleName(_("Open orders"))
        self.table.doubleClicked.connect(lambda _index: self.show_details())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        empty_palette = self.empty_label.palette()
        empty_palette.setColor(
            QPalette.ColorRole.WindowText,
            empty_palette.color(QPalette.ColorRole.PlaceholderText),
        )
        self.empty_label.setPalette(empty_palette)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.details_button = QPushButton(_("&Details…"))
        self.details_button.setAutoDefault(False)
        self.details_button.setToolTip(_("Everything about the selected order (Enter, or "
                                         "double-click a row)."))
        self.details_button.clicked.connect(self.show_details)
        self.cancel_button = BusyButton(_("&Cancel order"), busy_text=_("Cancelling…"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setToolTip(_("Cancel the selected orders (Delete). You confirm first."))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.hint_label = QLabel(_(
            "Select an order to cancel it or see its details; Ctrl+click or Shift+click to "
            "select several."
        ))
        self.hint_label.setWordWrap(True)
        hint_palette = self.hint_label.palette()
        hint_palette.setColor(
            QPalette.ColorRole.WindowText, hint_palette.color(QPalette.ColorRole.PlaceholderText)
        )
        self.hint_label.setPalette(hint_palette)
        button_row = QHBoxLayout()
        button_row.setSpacing(8)
        button_row.addWidget(self.details_button)
        button_row.addWidget(self.cancel_button)
        button_row.addSpacing(12)
        button_row.addWidget(self.hint_label, 1)

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(filter_row)
        layout.addWidget(self.stack, 1)
        layout.addLayout(button_row)
        layout.addWidget(self.result_label)

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

    # -- the filter -------------------------------------------------------------------------

    def pair_filter_code(self) -> str | None:
        """The pair shown (``"BTC_USD"``), or None for all pairs."""
        return self._pair_filter

    def set_pair_filter(self, pair: str | None) -> None:
        """Show only ``pair``'s orders (None: all); remembered for next time."""
        index = self.pair_filter.findData(pair or "")
        if index < 0:
            raise ValueError(f"unknown pair: {pair}")
        if self.pair_filter.currentIndex() != index:
            self.pair_filter.setCurrentIndex(index)  # calls _on_filter_chosen once connected
        self._apply_filter(pair or None)

    @Slot(int)
    def _on_filter_chosen(self, index: int) -> None:
        self._apply_filter(self.pair_filter.itemData(index) or None)
        self.refresh()

    def _apply_filter(self, pair: str | None) -> None:
        self._pair_filter = pair
        self._settings.set_view_state(self.NAME, "pair", pair or "")
        self.proxy.set_filter(pair=pair)
        self._update_view()

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for the open orders of the chosen pair (all pairs when none is chosen)."""
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
        self._load_problem = ""
        self.model.update(orders)
        self._update_view()

    def _on_orders_failed(self, error: BaseException) -> None:
        # Rows already shown stay; the status bar tells about the failure too.
        if not self._loaded:
            self._load_problem = _("Could not load your open orders. {reason}").format(
                reason=describe(error))
            self._update_view()

    @Slot()
    def _forget(self) -> None:
        """Another account is in use: its orders are not these."""
        if self._run is not None:
            # Answers for the old account are dropped, so the run would never finish.
            self._run = None
            self.cancel_button.set_busy(False)
            self._show_result(_(
                "You switched accounts while orders were being cancelled, so the app did not "
                "see every answer. Switch back to see which orders are still open."
            ), "problem")
        self._loaded = False
        self._load_problem = ""
        self.model.clear()
        self._update_view()

    def _update_view(self) -> None:
        if self.proxy.rowCount() > 0:
            self.stack.setCurrentWidget(self.table)
        else:
            if self._load_problem:
                text = self._load_problem
            elif not self._loaded:
                text = _("Loading your open orders…")
            elif self._pair_filter:
                text = _(
                    "You have no open orders in {pair}. Orders you place on the Trade tab wait "
                    "here until they fill."
                ).format(pair=pair_label(self._pair_filter))
            else:
                text = _(
                    "You have no open orders. Orders you place on the Trade tab wait here until "
                    "they fill."
                )
            self.empty_label.setText(text)
            self.stack.setCurrentWidget(self.empty_label)
        self._update_buttons()

    # -- selection ---------------------------------------------------------------------------

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
            _("&Cancel order") if count <= 1 else _("&Cancel {n} orders").format(n=count)
        )

    # -- details ---------------------------------------------------------------------------

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

    # -- cancelling --------------------------------------------------------------------------

    @Slot()
    def cancel_selected(self) -> None:
        """The button or Delete: confirm, then cancel the selected orders."""
        self._confirm_cancel(self.selected_orders())

    def _confirm_cancel(self, orders: list[Order]) -> None:
        if not orders or self.cancel_button.is_busy() or self._confirm_dialog is not None:
            return
        count = len(orders)
        lines = [order_line(order) for order in orders[:MAX_LISTED]]
        if count > MAX_LISTED:
            lines.append(_("… and {n} more").format(n=count - MAX_LISTED))
        returns = returned_text(orders)
        if count == 1:
            question = _("Cancel order #{id}?").format(id=orders[0].order_id)
            what = lines[0]
            confirm_text, keep_text = _("Cancel order"), _("Keep order")
        else:
            question = _("Cancel these {n} orders?").format(n=count)
            what = _("{n} orders:").format(n=count) + "\n" + "\n".join(lines)
            confirm_text = _("Cancel {n} orders").format(n=count)
            keep_text = _("Keep orders")
        self._confirm_dialog = confirm(
            self,
            lambda: self._start_cancelling(orders),
            title=_("Cancel orders") if count > 1 else _("Cancel order"),
            question=question,
            rows=[
                (_("Orders"), what),
                (_("Back to your available balance"), returns),
            ],
            confirm_text=confirm_text,
            cancel_text=keep_text,
            note=_(
                "Cancelling costs nothing. Any part that fills before the exchange gets this "
                "request cannot be cancelled; the app will tell you if that happens."
            ),
        )
        self._confirm_dialog.setMinimumWidth(560)  # one order per line, unwrapped
        self._confirm_dialog.finished.connect(self._on_confirm_closed)

    @Slot(int)
    def _on_confirm_closed(self, _result: int) -> None:
        self._confirm_dialog = None

    def _start_cancelling(self, orders: list[Order]) -> None:
        self._run = _CancelRun(list(orders))
        self.cancel_button.set_busy(True)
        self._show_result("")
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
            self.cancel_button.set_busy(True, _("Cancelling {i} of {n}…").format(
                i=run.next, n=len(run.orders)))
        order_id = order.order_id
        self._dispatcher.submit(
            lambda client: _cancel_one(client, order_id),
            on_result=lambda outcome: self._on_cancel_answer(order, outcome),
            on_error=lambda error: self._on_cancel_error(order, error),
            priority=Priority.ACTION,
        )

    def _on_cancel_answer(self, order: Order, outcome: Cancellation | _Refused) -> None:
        run = self._run
        if run is None:
            return
        if isinstance(outcome, Cancellation):
            run.cancelled.append(order)
            self._wallet.apply_free(outcome.balances)
        else:
            run.problems.append(self._why_refused(order, outcome))
        self._cancel_next()

    @staticmethod
    def _why_refused(order: Order, refused: _Refused) -> str:
        now = refused.order
        number = order.order_id
        if now is not None and now.status == OrderStatus.FILLED:
            return _("Order #{id} had already filled.").format(id=number)
        if now is not None and now.status == OrderStatus.CANCELLED:
            return _("Order #{id} was already cancelled.").format(id=number)
        return _("Order #{id} was not cancelled: {reason}").format(
            id=number, reason=describe(refused.refusal))

    def _on_cancel_error(self, order: Order, error: BaseException) -> None:
        run = self._run
        if run is None:
            return
        if not isinstance(error, OutcomeUnknown):
            run.problems.append(_("Order #{id} was not cancelled: {reason}").format(
                id=order.order_id, reason=describe(error)))
            self._cancel_next()
            return
        self._show_result(_("Checking with the exchange what happened to order #{id}…").format(
            id=order.order_id))
        order_id = order.order_id
        self._dispatcher.submit(
            lambda client: check_cancel(client, order_id),
            on_result=lambda finding: self._on_checked(order, finding),
            on_error=lambda check_error: self._on_check_failed(order, check_error),
            priority=Priority.ACTION,
        )

    def _on_checked(self, order: Order, finding: Finding) -> None:
        run = self._run
        if run is None:
            return
        if finding.happened:
            run.cancelled.append(order)
        else:
            run.problems.append(_(
                "Order #{id}: the exchange did not confirm the cancel, so the app checked. {detail}"
            ).format(id=order.order_id, detail=finding.detail))
        self._cancel_next()

    def _on_check_failed(self, order: Order, error: BaseException) -> None:
        run = self._run
        if run is None:
            return
        run.problems.append(_(
            "Order #{id}: the connection dropped and the app could not find out whether it was "
            "cancelled ({reason}). Look at this list again in a moment."
        ).format(id=order.order_id, reason=describe(error).rstrip(".")))
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
                parts.append(_("Cancelled {n} orders.").format(n=done))
            else:
                parts.append(_("Cancelled {done} of {asked} orders.").format(
                    done=done, asked=asked))
            parts.append(_("Back in your available balance: {returns}.").format(
                returns=returned_text(run.cancelled)))
        elif asked > 1:
            parts.append(_("No order was cancelled."))
        parts.extend(run.problems)
        tone = "success" if done == asked else ("problem" if done == 0 else "")
        self._show_result(" ".join(parts), tone)
        self._refresher.request("open_orders", "history", "balances")
        self._update_buttons()

    # -- the result line ----------------------------------------------------------------------

    def _show_result(self, text: str, tone: str = "") -> None:
        """Green for success, red when nothing went through, plain for mixed news."""
        self._result_tone = tone
        self.result_label.setText(text)
        palette = self.result_label.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        pick: dict[str, Callable[[], QColor]] = {
            "success": lambda: _SUCCESS_ON_DARK if dark else _SUCCESS_ON_LIGHT,
            "problem": lambda: _PROBLEM_ON_DARK if dark else _PROBLEM_ON_LIGHT,
        }
        colour = pick[tone]() if tone in pick else self.palette().color(
            QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.result_label.setPalette(palette)

    def result_tone(self) -> str:
        """``"success"``, ``"problem"`` or ``""`` for the result line (for tests)."""
        return self._result_tone
