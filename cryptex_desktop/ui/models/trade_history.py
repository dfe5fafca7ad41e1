"""The trade history table: every fill of this user's orders, newest first.

Trades never change once made, so the model is keyed by transaction id and a refresh only
adds what it has not seen (:meth:`TradeHistoryModel.merge`): the exchange answers with the
newest 1,000 fills each time, and merging a page it already knows costs a dictionary lookup
per trade and signals nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from PySide6.QtCore import Qt

from cryptex_desktop.api.currencies import currency_decimals
from cryptex_desktop.api.money import MONEY_CONTEXT
from cryptex_desktop.api.types import Trade
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.formatting import (
    currency_name,
    display_rounding,
    format_datetime,
    format_datetime_long,
    market,
    number_convention,
    number_format,
    side_word,
)
from cryptex_desktop.ui.models.keyed_table import (
    Column,
    KeyedTableModel,
    Row,
    Tone,
    pair_side_tag,
)

DATE, PAIR, SIDE, PRICE, AMOUNT, TOTAL, FEE, ROLE, ORDER = range(9)

_MAKER = N_("Was waiting")
_TAKER = N_("Took an offer")
_MAKER_TIP = N_(
    "Your order was waiting for a buyer or seller, and this one came (a “maker” order).")
_TAKER_TIP = N_("Your order took an offer that was already waiting (a “taker” order).")
#: Shown for a fee the exchange did not report (the live exchange may leave it out).
UNKNOWN_FEE = "—"
_UNKNOWN_FEE_TIP = N_("The exchange did not say what fee this trade cost.")
# Sorts an unknown fee below every known one: a fee is never negative.
_UNKNOWN_FEE_KEY = Decimal(-1)
_fee_formats: dict[str, str] = {}


def _fee_text(fee: Decimal, currency: str) -> str:
    """``0.00100000 BTC``: the fee with its currency's decimals and code (display rounding)."""
    spec = _fee_formats.get(currency)
    if spec is None:
        spec = _fee_formats[currency] = number_format(currency_decimals(currency))
    return f"{format(fee, spec)} {currency}"


class TradeHistoryModel(KeyedTableModel[Trade]):
    """The user's fills: Date, Market, Side, Price, Amount, Total, Fee, Your order, Order.

    Rows are keyed by ``transaction_id``. :meth:`merge` adds unseen trades, :meth:`replace`
    shows exactly a list, :meth:`oldest` tells where to ask for the next older page.
    """

    COLUMNS = (
        Column(N_("Date"), N_("When the trade happened, in your local time.")),
        Column(
            N_("Market"),
            N_("The market: the first currency is bought or sold, priced in the second."),
        ),
        Column(
            N_("Side"),
            N_("Buy: you received the first currency of the market. Sell: you gave it."),
        ),
        Column(N_("Price"), N_("What one unit of the first currency cost, in the second."), True),
        Column(N_("Amount"), N_("How much of the first currency changed hands."), True),
        Column(
            N_("Total"),
            N_("Price times amount, in the second currency, before the exchange's fee."),
            True,
        ),
        Column(
            N_("Fee"),
            N_("What the exchange kept of what you received, in that currency. "
              "— means the exchange did not say."),
            True,
        ),
        Column(N_("Your order"), N_(
            "Your order was waiting for a buyer or seller, and this one came (a “maker” order).\n"
            "Your order took an offer that was already waiting (a “taker” order).")),
        Column(N_("Order"), N_("The number of your order that this trade filled."), True),
    )
    TONED_COLUMNS = frozenset({SIDE})
    DEFAULT_SORT = (DATE, Qt.SortOrder.DescendingOrder)
    RECORDS_NEVER_CHANGE = True

    def key_of(self, record: Trade) -> int:
        """A trade is known by its transaction id."""
        return record.transaction_id

    def row_for(self, record: Trade) -> Row[Trade]:
        """Date, pair, side, price, amount, total, fee, role and the user's order, as shown."""
        return self.rows_for((record,))[0]

    def rows_for(self, records: Sequence[Trade]) -> list[Row[Trade]]:
        """The rows of many trades; this loop is the hot path of a 100,000-trade refresh."""
        multiply = MONEY_CONTEXT.multiply
        # The words asked once per refresh, not per row: the language never changes meanwhile.
        sides = {"buy": side_word("buy"), "sell": side_word("sell")}
        maker_word, taker_word = _(_MAKER), _(_TAKER)
        rows: list[Row[Trade]] = []
        append = rows.append
        localize = number_convention().localize  # the marks: asked once, not per cell
        with display_rounding():
            for trade in records:
                details = market(trade.pair)
                price, amount, taker = trade.price, trade.amount, trade.is_instant_buy
                total = multiply(price, amount)
                order_id = trade.buy_order_id if trade.type == "buy" else trade.sell_order_id
                fee, fee_currency = trade.fee, trade.fee_currency
                if fee is None or fee_currency is None:
                    fee_cell, fee_key = UNKNOWN_FEE, _UNKNOWN_FEE_KEY
                else:
                    fee_cell, fee_key = localize(_fee_text(fee, fee_currency)), fee
                cells = (
                    format_datetime(trade.timestamp),
                    details.text,
                    sides.get(trade.type) or side_word(trade.type),
                    localize(format(price, details.price_format)),
                    localize(format(amount, details.base_format)),
                    localize(format(total, details.quote_format)),
                    fee_cell,
                    taker_word if taker else maker_word,
                    str(order_id),
                )
                sort_keys = (
                    trade.timestamp,
                    trade.pair,
                    trade.type,
                    price,
                    amount,
                    total,
                    fee_key,
                    int(taker),
                    order_id,
                )
                tag = pair_side_tag(trade.pair, trade.type)
                append(Row(trade.transaction_id, trade, cells, sort_keys, tag))
        return rows

    def tooltip(self, record: Trade, column: int) -> str | None:
        """The full time, the pair in words, the currencies of the numbers, maker or taker."""
        details = market(record.pair)
        if column == DATE:
            return format_datetime_long(record.timestamp)
        if column == PAIR:
            return details.description
        if column == SIDE:
            if record.type == "buy":
                return _("You bought {base} with {quote}.").format(
                    base=details.base_name, quote=details.quote_name
                )
            return _("You sold {base} for {quote}.").format(
                base=details.base_name, quote=details.quote_name
            )
        if column in (PRICE, TOTAL):
            return _("In {quote}").format(quote=details.quote_name)
        if column == AMOUNT:
            return _("In {base}").format(base=details.base_name)
        if column == FEE:
            if record.fee is None or record.fee_currency is None:
                return _(_UNKNOWN_FEE_TIP)
            return _("In {currency}").format(currency=currency_name(record.fee_currency))
        if column == ROLE:
            return _(_TAKER_TIP if record.is_instant_buy else _MAKER_TIP)
        return None

    def tone(self, record: Trade) -> Tone:
        """Green for a buy, red for a sell."""
        return Tone.POSITIVE if record.type == "buy" else Tone.NEGATIVE

    # -- updating ----------------------------------------------------------------------------

    def merge(self, trades: Iterable[Trade]) -> int:
        """Add the trades not shown yet; returns how many. An all-known page signals nothing."""
        return self.add_records(trades)

    def replace(self, trades: Iterable[Trade]) -> None:
        """Show exactly ``trades``, in place: vanished ones go, new ones come, the rest stay."""
        self.set_records(trades)

    def update(self, trades: Iterable[Trade]) -> None:
        """The same as :meth:`replace`, the name the other tables use."""
        self.set_records(trades)

    def oldest(self) -> Trade | None:
        """The oldest trade shown (ties: lowest transaction id), or None when there is none."""
        if not self._rows:
            return None
        if self._sort_column == DATE:
            return self._rows[0 if not self._descending else -1].record
        oldest: Trade = min(
            self.records(), key=lambda trade: (trade.timestamp, trade.transaction_id)
        )
        return oldest
