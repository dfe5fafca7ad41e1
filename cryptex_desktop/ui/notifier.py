"""Tells the person when an order fills or a deposit is credited, whichever tab is open.

On each refresh it reads the newest fills and the unconfirmed transactions, and compares
them with what it saw before: a new fill means an order (partly) filled; an incoming
transaction that left the unconfirmed list means a deposit was credited. The first look
after connecting only sets the baseline, so old news is never announced.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from cryptex_desktop.api import CryptexClient, Trade, Transaction
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.formatting import format_amount, format_price

RECENT_FILLS = 50


def _look(client: CryptexClient) -> tuple[list[Trade], list[Transaction]]:
    return client.trade_history(count=RECENT_FILLS), client.unconfirmed_transactions()


class Notifier(QObject):
    """Watches fills and deposits; emits ``notified(title, message)`` for each piece of news."""

    notified = Signal(str, str)

    def __init__(self, dispatcher: Dispatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._seen_fills: set[int] | None = None
        self._incoming: dict[tuple[str, int], Transaction] = {}
        dispatcher.clientChanged.connect(self.reset)

    @Slot()
    def reset(self) -> None:
        """Start over with a new baseline (another account is in use)."""
        self._seen_fills = None
        self._incoming = {}

    def refresh(self) -> None:
        """Queue a look at the newest fills and unconfirmed transactions."""
        self._dispatcher.submit(_look, on_result=self._compare, key="notifier",
                                priority=Priority.REFRESH)

    def _compare(self, looked: tuple[list[Trade], list[Transaction]]) -> None:
        fills, transactions = looked
        incoming = {(tx.currency, tx.id): tx for tx in transactions if tx.is_incoming}
        first_look = self._seen_fills is None
        if not first_look:
            assert self._seen_fills is not None
            for fill in sorted(fills, key=lambda f: f.transaction_id):
                if fill.transaction_id not in self._seen_fills:
                    self._announce_fill(fill)
            for key, tx in self._incoming.items():
                if key not in incoming:
                    self.notified.emit(
                        _("Deposit credited"),
                        _("{amount} {currency} arrived and is now in your balance.").format(
                            amount=format_amount(tx.amount, tx.currency), currency=tx.currency),
                    )
        self._seen_fills = {fill.transaction_id for fill in fills} | (self._seen_fills or set())
        self._incoming = incoming

    def _announce_fill(self, fill: Trade) -> None:
        base, quote = fill.pair.split("_")
        order_id = fill.buy_order_id if fill.type == "buy" else fill.sell_order_id
        text = (_("Bought {amount} {base} at {price} {quote} (order #{order}).")
                if fill.type == "buy" else
                _("Sold {amount} {base} at {price} {quote} (order #{order})."))
        self.notified.emit(
            _("Order filled"),
            text.format(amount=format_amount(fill.amount, base), base=base,
                        price=format_price(fill.price, fill.pair), quote=quote, order=order_id),
        )
