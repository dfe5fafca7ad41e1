"""The account's balances as the app last saw them, shared by every screen that needs them.

Balances, Trade, Withdraw and Coupons all show or use the free balance (for "Max" and for
checking an amount as it is typed); one refresh feeds them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from PySide6.QtCore import QObject, Signal

from cryptex_desktop.api import BalanceSheet, CryptexClient
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority

_EMPTY: Mapping[str, Decimal] = MappingProxyType({})


def _read_both(client: CryptexClient) -> tuple[BalanceSheet, BalanceSheet]:
    return client.info(), client.info(with_reserves=True)


class WalletState(QObject):
    """Free and total balances and the open order count, refreshed through the dispatcher."""

    #: New balances arrived.
    changed = Signal()
    #: Reading the balances failed (the error); ``problem`` holds it until the next success.
    failed = Signal(object)

    def __init__(self, dispatcher: Dispatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self.free: Mapping[str, Decimal] = _EMPTY
        self.total: Mapping[str, Decimal] = _EMPTY
        self.open_orders = 0
        self.known = False
        self.problem: BaseException | None = None
        dispatcher.clientChanged.connect(self.clear)

    def clear(self) -> None:
        """Forget balances (another account is now in use)."""
        self.free, self.total, self.open_orders, self.known = _EMPTY, _EMPTY, 0, False
        self.problem = None
        self.changed.emit()

    def refresh(self, priority: Priority = Priority.REFRESH) -> None:
        """Ask the exchange for balances; ``changed`` or ``failed`` follows."""
        self._dispatcher.submit(_read_both, on_result=self._update, on_error=self._on_error,
                                key="balances", priority=priority)

    def _on_error(self, error: BaseException) -> None:
        self.problem = error
        self.failed.emit(error)

    def free_balance(self, currency: str) -> Decimal | None:
        """What is free to use in ``currency``, or None before the first refresh."""
        if not self.known:
            return None
        return self.free.get(currency, Decimal(0))

    def apply_free(self, balances: Mapping[str, Decimal]) -> None:
        """Take the free balances an action returned (Trade, CancelOrder) at once."""
        if balances:
            self.free = MappingProxyType({**self.free, **balances})
            self.changed.emit()

    def _update(self, sheets: tuple[BalanceSheet, BalanceSheet]) -> None:
        free, total = sheets
        self.free, self.total = free.balances, total.balances
        self.open_orders = free.open_orders
        self.known = True
        self.problem = None
        self.changed.emit()
