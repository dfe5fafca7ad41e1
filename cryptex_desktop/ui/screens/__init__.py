"""The app's screens, one module per tab, each a widget that builds its own layout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.screens.base import Screen

#: How to make one screen: its class (for its name and title) and a call that builds it.
ScreenMaker = tuple[type[Screen], Callable[[], Screen]]


def screen_makers(context: AppContext, parent: QWidget) -> list[ScreenMaker]:
    """Every screen in tab order, each given only the shared objects it uses, not built yet.

    The main window builds the one shown first before its first paint and the rest after.
    """
    from cryptex_desktop.ui.screens.activity import ActivityScreen
    from cryptex_desktop.ui.screens.balances import BalancesScreen
    from cryptex_desktop.ui.screens.coupons import CouponsScreen
    from cryptex_desktop.ui.screens.deposit import DepositScreen
    from cryptex_desktop.ui.screens.history import HistoryScreen
    from cryptex_desktop.ui.screens.open_orders import OpenOrdersScreen
    from cryptex_desktop.ui.screens.trade import TradeScreen
    from cryptex_desktop.ui.screens.withdraw import WithdrawScreen

    c = context
    return [
        (BalancesScreen, lambda: BalancesScreen(c.wallet, c.market, c.settings, parent)),
        (TradeScreen, lambda: TradeScreen(c.dispatcher, c.wallet, c.refresher, c.settings,
                                          parent, market=c.market)),
        (OpenOrdersScreen, lambda: OpenOrdersScreen(c.dispatcher, c.wallet, c.refresher,
                                                    c.settings, parent)),
        (HistoryScreen, lambda: HistoryScreen(c.dispatcher, c.settings, parent,
                                              journal=c.journal)),
        (DepositScreen, lambda: DepositScreen(c.dispatcher, c.refresher, c.settings, parent,
                                              is_demo=lambda: c.connection.is_demo,
                                              journal=c.journal)),
        (WithdrawScreen, lambda: WithdrawScreen(c.dispatcher, c.wallet, c.refresher,
                                                c.settings, parent, journal=c.journal)),
        (CouponsScreen, lambda: CouponsScreen(c.dispatcher, c.wallet, c.refresher, c.settings,
                                              parent, journal=c.journal,
                                              credentials=c.credentials)),
        (ActivityScreen, lambda: ActivityScreen(c.journal, c.settings, parent)),
    ]


def build_all(context: AppContext, parent: QWidget) -> list[Screen]:
    """Every screen in tab order, built now."""
    return [make() for _cls, make in screen_makers(context, parent)]
