"""The open orders table: the user's orders still waiting in the book, newest first.

Orders are keyed by id and change while they wait (they fill bit by bit), so a refresh
updates the changed rows in place and removes the orders that filled or were cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt

from cryptex_desktop.api.types import Order, OrderStatus
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.formatting import (
    display_rounding,
    format_datetime,
    format_datetime_long,
    market,
    number_convention,
    side_word,
)
from cryptex_desktop.ui.models.keyed_table import (
    Column,
    KeyedTableModel,
    Row,
    Tone,
    pair_side_tag,
)

DATE, PAIR, SIDE, PRICE, AMOUNT, FILLED, REMAINING, STATUS = range(8)

_STATUS_TIPS = {
    OrderStatus.ACTIVE: N_("Waiting in the order book; nothing has filled yet."),
    OrderStatus.PARTLY_FILLED: N_("Part of the order has filled; the rest is still waiting."),
    OrderStatus.FILLED: N_("The whole order has filled."),
    OrderStatus.CANCELLED: N_("The order was cancelled; what had not filled went back to you."),
}


class OpenOrdersModel(KeyedTableModel[Order]):
    """Date, Pair, Side, Price, Amount, Filled, Remaining and Status of the user's orders.

    Rows are keyed by ``order_id``; :meth:`update` shows exactly the orders given.
    """

    COLUMNS = (
        Column(N_("Date"), N_("When you placed the order, in your local time.")),
        Column(
            N_("Market"),
            N_("The market: the first currency is bought or sold, priced in the second."),
        ),
        Column(
            N_("Side"), N_("Buy: spend the second currency to get the first. Sell: the other way.")
        ),
        Column(N_("Price"), N_("The price you asked for one unit of the first currency."), True),
        Column(N_("Amount"), N_("How much of the first currency the order is for."), True),
        Column(N_("Filled"), N_("How much of the amount has been bought or sold so far."), True),
        Column(N_("Remaining"), N_("How much is still waiting for someone to take it."), True),
        Column(N_("Status"), N_("Open, partly filled, filled or cancelled.")),
    )
    TONED_COLUMNS = frozenset({SIDE})
    DEFAULT_SORT = (DATE, Qt.SortOrder.DescendingOrder)

    def key_of(self, record: Order) -> int:
        """An order is known by its id."""
        return record.order_id

    def row_for(self, record: Order) -> Row[Order]:
        """Date, pair, side, price, amounts and status, as shown."""
        return self.rows_for((record,))[0]

    def rows_for(self, records: Sequence[Order]) -> list[Row[Order]]:
        """The rows of many orders, formatting under one decimal context."""
        rows = []
        localize = number_convention().localize  # the marks: asked once, not per cell
        with display_rounding():
            for order in records:
                details = market(order.pair)
                remaining = order.remaining
                cells = (
                    format_datetime(order.timestamp),
                    details.text,
                    side_word(order.type),
                    localize(format(order.price, details.price_format)),
                    localize(format(order.amount, details.base_format)),
                    localize(format(order.filled, details.base_format)),
                    localize(format(remaining, details.base_format)),
                    order.status_text,
                )
                sort_keys = (
                    order.timestamp,
                    order.pair,
                    order.type,
                    order.price,
                    order.amount,
                    order.filled,
                    remaining,
                    int(order.status),
                )
                tag = pair_side_tag(order.pair, order.type)
                rows.append(Row(order.order_id, order, cells, sort_keys, tag))
        return rows

    def tooltip(self, record: Order, column: int) -> str | None:
        """The full time, the pair in words, what the side means, the unit of each amount."""
        details = market(record.pair)
        names = {"base": details.base_name, "quote": details.quote_name}
        if column == DATE:
            return format_datetime_long(record.timestamp)
        if column == PAIR:
            return details.description
        if column == SIDE:
            if record.type == "buy":
                return _("Spend {quote} to get {base}.").format(**names)
            return _("Sell {base} for {quote}.").format(**names)
        if column == PRICE:
            return _("{quote} per {base}").format(**names)
        if column in (AMOUNT, FILLED, REMAINING):
            return _("In {base}").format(**names)
        if column == STATUS:
            tip = _STATUS_TIPS.get(record.status)  # type: ignore[call-overload]
            return _(tip) if tip else None
        return None

    def tone(self, record: Order) -> Tone:
        """Green for a buy, red for a sell."""
        return Tone.POSITIVE if record.type == "buy" else Tone.NEGATIVE

    def update(self, orders: Iterable[Order]) -> None:
        """Show exactly ``orders``: changed ones update in place, gone ones are removed."""
        self.set_records(orders)
