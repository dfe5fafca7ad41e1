"""One order in words: where it stands, how much filled, its price, total and when it was placed.

The dialog opens at once and asks the exchange for the order's latest state (OrderInfo)
through the dispatcher, showing that it is loading; a failure is a sentence with a
"Try again" button, never a traceback.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.money import money_context
from cryptex_desktop.api.types import Order, OrderStatus
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import (
    currency_decimals,
    format_datetime_long,
    format_money,
    format_price,
    number_text,
    pair_description,
    pair_text,
    side_word,
)
from cryptex_desktop.ui.widgets.labels import ResultLabel

#: The rows, in the order shown, by their English names (tests read them by these; people
#: read them translated).
ROW_LABELS = (
    N_("Status"),
    N_("Market"),
    N_("Side"),
    N_("Price"),
    N_("Amount"),
    N_("Filled"),
    N_("Remaining"),
    N_("Total"),
    N_("Placed"),
)

_STATUS_SENTENCES = {
    OrderStatus.ACTIVE: N_("Open: waiting for someone to take it; nothing has filled yet."),
    OrderStatus.PARTLY_FILLED: N_("Partly filled: some has filled, the rest is still waiting."),
    OrderStatus.FILLED: N_("Filled: the whole order went through."),
    OrderStatus.CANCELLED: N_("Cancelled: what had not filled went back to your balance."),
}

_ROW_TIPS = {
    N_("Price"): N_("What you asked for one unit of the first currency."),
    N_("Filled"): N_("How much of the order has been bought or sold so far."),
    N_("Remaining"): N_("How much is still waiting for someone to take it."),
    N_("Total"): N_("Price times amount, before the exchange's fee."),
    N_("Placed"): N_("When you placed the order, in your local time."),
}


def status_sentence(order: Order) -> str:
    """Where the order stands, in a sentence; an unknown status code is shown as is."""
    sentence = _STATUS_SENTENCES.get(order.status)  # type: ignore[call-overload]
    return _(sentence) if sentence is not None else order.status_text


def order_rows(order: Order) -> list[tuple[str, str]]:
    """Every fact of ``order`` as (label, words), in the order :data:`ROW_LABELS` lists."""
    base, quote = order.base, order.quote
    with money_context():
        total = order.price * order.amount
    if order.type == "buy":
        side = _("Buy: spend {quote} to get {base}").format(base=base, quote=quote)
    else:
        side = _("Sell: give {base} to get {quote}").format(base=base, quote=quote)
    filled = _("{filled} of {amount}").format(
        filled=number_text(order.filled, currency_decimals(base)),
        amount=format_money(order.amount, base),
    )
    values = (
        status_sentence(order),
        f"{pair_text(order.pair)} ({pair_description(order.pair)})",
        side,
        _("{price} {quote} per {base}").format(
            price=format_price(order.price, order.pair), quote=quote, base=base
        ),
        format_money(order.amount, base),
        filled,
        format_money(order.remaining, base),
        format_money(total, quote),
        format_datetime_long(order.timestamp),
    )
    return list(zip(ROW_LABELS, values, strict=True))


class OrderDetailsDialog(QDialog):
    """The details of one order, fetched fresh from the exchange when the dialog opens.

    ``order`` (e.g. the table's row) is shown while the fresh copy loads. ``cancelRequested``
    carries the :class:`Order` when the person asks to cancel it from here; the dialog then
    closes and the screen that opened it runs its usual confirmation.
    """

    #: The fresh order arrived (an :class:`Order`).
    loaded = Signal(object)
    #: The person pressed "Cancel this order…" (an :class:`Order`).
    cancelRequested = Signal(object)

    def __init__(
        self,
        dispatcher: Dispatcher,
        order_id: int,
        parent: QWidget | None = None,
        order: Order | None = None,
    ) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._order_id = int(order_id)
        self._order: Order | None = order
        self._loading = False
        self.setWindowTitle(_("Order #{id}").format(id=self._order_id))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(480)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.heading = QLabel(_("Order #{id}").format(id=self._order_id))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # how long the exchange takes is not known
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.state_label = ResultLabel()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        for label in ROW_LABELS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            tip = _ROW_TIPS.get(label)
            # Translators: a row's name before its value, e.g. "Status:".
            title = QLabel(_("{label}:").format(label=_(label)))
            if tip:
                title.setToolTip(_(tip))
                value.setToolTip(_(tip))
            self.values[label] = value
            form.addRow(title, value)

        buttons = QDialogButtonBox()
        self.retry_button = QPushButton(_("&Try again"))
        self.retry_button.clicked.connect(self.load)
        self.retry_button.hide()
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_order_button = QPushButton(_("&Cancel this order…"))
        self.cancel_order_button.setToolTip(
            _("Cancel the order; what it holds goes back to your available balance.")
        )
        self.cancel_order_button.clicked.connect(self._ask_to_cancel)
        self.cancel_order_button.hide()
        buttons.addButton(self.cancel_order_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.state_label)
        layout.addLayout(form)
        layout.addStretch(1)  # spare height goes below the facts, not between them
        layout.addWidget(buttons)

        if order is not None:
            self._fill(order)
        self.load()

    # -- reading it, for people and tests ---------------------------------------------------

    def order(self) -> Order | None:
        """The order as last seen (fresh once :meth:`is_loading` is false without error)."""
        return self._order

    def is_loading(self) -> bool:
        """Whether the fresh copy is still on its way."""
        return self._loading

    def value_text(self, label: str) -> str:
        """The words shown for one row, by its English name, e.g. ``value_text("Status")``."""
        return self.values[label].text()

    # -- loading ------------------------------------------------------------------------------

    @Slot()
    def load(self) -> None:
        """Ask the exchange for the order's latest state."""
        if self._loading:
            return
        self._loading = True
        self.progress.show()
        self.retry_button.hide()
        self.state_label.show_result(_("Getting the latest from the exchange…"))
        order_id = self._order_id
        self._dispatcher.submit(
            lambda client: client.order_info(order_id),
            on_result=self._on_loaded,
            on_error=self._on_failed,
            priority=Priority.ACTION,
        )

    def _on_loaded(self, order: Order) -> None:
        if not shiboken6.isValid(self):
            return  # closed before the answer came
        self._loading = False
        self.progress.hide()
        self.state_label.clear_message()
        self._order = order
        self._fill(order)
        self.adjustSize()  # the loading line is gone: no empty band where it was
        self.loaded.emit(order)

    def _on_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        self.progress.hide()
        self.state_label.show_problem(
            _("Could not get this order from the exchange. {reason}").format(
                reason=describe(error)
            )
        )
        self.retry_button.show()

    def _fill(self, order: Order) -> None:
        for label, text in order_rows(order):
            self.values[label].setText(text)
        if order.type in ("buy", "sell"):
            heading = (_("Order #{id}: buy {amount}") if order.type == "buy"
                       else _("Order #{id}: sell {amount}"))
        else:  # a side the app has no words for: the exchange's own word, as data
            heading = _("Order #{id}: {side} {amount}")
        self.heading.setText(heading.format(
            id=order.order_id, side=side_word(order.type).lower(),
            amount=format_money(order.amount, order.base)))
        self.cancel_order_button.setVisible(order.is_active)

    @Slot()
    def _ask_to_cancel(self) -> None:
        if self._order is not None and self._order.is_active:
            order = self._order
            self.accept()
            self.cancelRequested.emit(order)
