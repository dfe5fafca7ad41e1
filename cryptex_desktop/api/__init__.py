"""The Cryptex API v1 client: signing, nonces, typed results and typed errors. No Qt.

From a Python prompt::

    from cryptex_desktop.api import CryptexClient, Credentials
    client = CryptexClient(url, Credentials("me", key, secret), data_dir="~/.cryptex")
    client.info().balances
"""

from .client import LIVE_URL, MONEY_MOVING, CryptexClient, check_url
from .errors import (
    AuthenticationError,
    BadResponse,
    ConfigurationError,
    ConnectError,
    CryptexError,
    ExchangeRefusal,
    InsufficientFunds,
    NonceError,
    OutcomeUnknown,
    RateLimitError,
    RequestTimeout,
    TransportError,
)
from .market import (
    Backoff,
    BookLevel,
    MarketDataClient,
    MarketTrade,
    MarketUnavailable,
    OrderBook,
    Ticker,
    UnknownMarket,
)
from .nonces import NonceBook, NonceSource
from .signing import Credentials, sign
from .types import (
    BalanceSheet,
    Cancellation,
    Coupon,
    Deposit,
    DepositAddress,
    Order,
    OrderStatus,
    PlacedOrder,
    Redemption,
    Trade,
    Transaction,
    Withdrawal,
)

__all__ = [
    "LIVE_URL", "MONEY_MOVING", "AuthenticationError", "Backoff", "BadResponse", "BalanceSheet",
    "BookLevel", "Cancellation", "ConfigurationError", "ConnectError", "Coupon", "Credentials",
    "CryptexClient", "CryptexError", "Deposit", "DepositAddress", "ExchangeRefusal",
    "InsufficientFunds", "MarketDataClient", "MarketTrade", "MarketUnavailable", "NonceBook",
    "NonceError", "NonceSource", "Order", "OrderBook", "OrderStatus", "OutcomeUnknown",
    "PlacedOrder", "RateLimitError", "Redemption", "RequestTimeout", "Ticker", "Trade",
    "Transaction", "TransportError", "UnknownMarket", "Withdrawal", "check_url", "sign",
]
