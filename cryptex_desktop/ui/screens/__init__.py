"""The app's screens, one module per tab, each a widget that builds its own layout."""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtWidgets import QWidget

from cryptex_desktop.ui.context import AppContext


class Screen(Protocol):
    """What the main window asks of a tab, besides its being a QWidget."""

    NAME: str
    TITLE: str
    TOOLTIP: str

    def refresh(self) -> None:
        """Queue the calls that bring the screen up to date, and return at once."""


def as_screen(widget: QWidget) -> Screen:
    """A tab seen as a :class:`Screen`: every widget :func:`build_all` makes is one."""
    return cast(Screen, widget)


def build_all(context: AppContext, parent: QWidget) -> list[QWidget]:
    """Every screen in tab order, each given only the shared objects it uses."""
    from cryptex_desktop.ui.screens.balances import BalancesScreen
    from cryptex_desktop.ui.screens.coupons import CouponsScreen
    from cryptex_desktop.ui.screens.deposit import DepositScreen
    from cryptex_desktop.ui.screens.history import HistoryScreen
    from cryptex_desktop.ui.screens.open_orders import OpenOrdersScreen
    from cryptex_desktop.ui.screens.trade import TradeScreen
    from cryptex_desktop.ui.screens.withdraw import WithdrawScreen

    c = context
    return [
        BalancesScreen(c.wallet, parent),
        TradeScreen(c.dispatcher, c.wallet, c.refresher, c.settings, parent),
        OpenOrdersScreen(c.dispatcher, c.wallet, c.refresher, c.settings, parent),
        HistoryScreen(c.dispatcher, c.settings, parent),
        DepositScreen(c.dispatcher, c.refresher, c.settings, parent),
        WithdrawScreen(c.dispatcher, c.wallet, c.refresher, c.settings, parent),
        CouponsScreen(c.dispatcher, c.wallet, c.refresher, c.settings, parent),
    ]
