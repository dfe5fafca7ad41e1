"""The few long-lived objects the app is made of, built once at start and passed down.

Screens do not reach through the main window for these; each screen's constructor takes
only the pieces it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from cryptex_desktop.ui.connection import Connection
from cryptex_desktop.ui.credential_store import CredentialStore
from cryptex_desktop.ui.dispatcher import Dispatcher
from cryptex_desktop.ui.journal_keeper import JournalKeeper
from cryptex_desktop.ui.market_feed import MarketFeed
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState


@dataclass
class AppContext:
    """Settings, the worker layer, the connection, shared balances, the refresh timer, the
    public market data feed and the account's journal (each of the last two on a lane of its
    own)."""

    data_dir: Path
    settings: AppSettings
    dispatcher: Dispatcher
    connection: Connection
    wallet: WalletState
    refresher: Refresher
    credentials: CredentialStore
    market: MarketFeed
    journal: JournalKeeper

    @classmethod
    def create(
        cls,
        data_dir: Path,
        settings: AppSettings | None = None,
        credentials: CredentialStore | None = None,
        parent: QObject | None = None,
    ) -> AppContext:
        """Build the objects; nothing touches the network until ``connection`` connects."""
        settings = settings or AppSettings()
        dispatcher = Dispatcher(parent)
        connection = Connection(dispatcher, data_dir, parent)
        market = MarketFeed(settings.market_seconds, parent)
        market.follow(connection)
        return cls(
            data_dir=data_dir,
            settings=settings,
            dispatcher=dispatcher,
            connection=connection,
            wallet=WalletState(dispatcher, parent),
            refresher=Refresher(settings.refresh_seconds, parent),
            credentials=credentials or CredentialStore(),
            market=market,
            journal=JournalKeeper(connection, dispatcher, data_dir, parent),
        )

    def close(self) -> None:
        """Stop timers and network work, the demo exchange, and the journal (writes finish)."""
        self.refresher.stop()
        self.market.close()
        self.connection.close()
        self.journal.close()
