"""The policy of this sandbox: prices, fees, confirmations, moderation and starting funds.

The real exchange decides these for itself; the numbers here only make the demo behave
like a plausible market. Currencies and pairs themselves come from ``api/currencies.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cryptex_desktop.api.currencies import CURRENCIES, PAIRS, TRADE_FEE

#: The fee each side of a fill pays, as a fraction of what it receives.
DEFAULT_FEE = TRADE_FEE

#: Blocks a deposit needs before it is credited (a withdrawal before it leaves the list).
CONFIRMATIONS_NEEDED: dict[str, int] = {
    c.code: c.confirmations for c in CURRENCIES.values() if c.is_crypto
}

#: A coupon above this amount is held for moderation instead of getting a code.
DEFAULT_MODERATION_THRESHOLDS: dict[str, Decimal] = {
    c.code: c.moderation_threshold for c in CURRENCIES.values()
}

#: Where the market maker centres its quotes, in quote currency per one base.
REFERENCE_PRICES: dict[str, Decimal] = {
    "BTC_USD": Decimal("65000"),
    "BTC_EUR": Decimal("60000"),
    "BTC_RUR": Decimal("6000000"),
    "LTC_BTC": Decimal("0.0013"),
    "LTC_USD": Decimal("85"),
    "LTC_EUR": Decimal("78"),
    "LTC_RUR": Decimal("7800"),
    "USD_RUR": Decimal("92"),
    "EUR_USD": Decimal("1.08"),
    "EUR_RUR": Decimal("99.5"),
}

#: Resting levels the market maker keeps on each side of each pair.
MARKET_MAKER_LEVELS = 5
#: Distance between two levels, as a fraction of the pair's starting reference price.
MARKET_MAKER_STEP = Decimal("0.002")
#: The market maker's reference prices take one random step at most this often (seconds).
MARKET_MAKER_WALK_SECONDS = 60
#: One step's standard deviation, as a fraction of the price.
MARKET_MAKER_WALK_VOLATILITY = Decimal("0.0015")
#: Each step pulls this fraction of the way back to the starting price, so prices stay sensible.
MARKET_MAKER_WALK_REVERSION = Decimal("0.01")
#: Chance, per pair and refresh, that the market maker trades a little with itself.
MARKET_MAKER_SELF_TRADE_CHANCE = 0.4
#: Its self-trades are this share of one level, at most (at least the currency's minimum).
MARKET_MAKER_SELF_TRADE_SHARE = Decimal("0.1")
#: The environment variable that seeds the market maker's random walk (any text).
SEED_ENV = "CRYPTEX_SANDBOX_SEED"
#: Size of one level, in the pair's base currency.
MARKET_MAKER_LEVEL_AMOUNT: dict[str, Decimal] = {
    "BTC": Decimal("0.5"),
    "LTC": Decimal("20"),
    "USD": Decimal("1000"),
    "EUR": Decimal("1000"),
    "RUR": Decimal("100000"),
}
#: The market maker's bottomless pockets (recorded as a funding, so audits balance).
MARKET_MAKER_FUNDING: dict[str, Decimal] = {
    "BTC": Decimal("1000000"),
    "LTC": Decimal("100000000"),
    "USD": Decimal("100000000000"),
    "EUR": Decimal("100000000000"),
    "RUR": Decimal("10000000000000"),
}
MARKET_MAKER_USERNAME = "~market-maker"
FEE_ACCOUNT_USERNAME = "~fees"

DEMO_USERNAME = "demo"
DEMO_FUNDING: dict[str, Decimal] = {
    "BTC": Decimal("2"),
    "LTC": Decimal("50"),
    "USD": Decimal("10000"),
    "EUR": Decimal("5000"),
    "RUR": Decimal("500000"),
}


@dataclass(frozen=True)
class MarketPolicy:
    """The settings one :class:`~cryptex_desktop.sandbox.exchange.Exchange` runs with."""

    fee: Decimal = DEFAULT_FEE
    moderation_thresholds: dict[str, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_MODERATION_THRESHOLDS)
    )

    def __post_init__(self) -> None:
        if not isinstance(self.fee, Decimal) or not Decimal(0) <= self.fee < Decimal(1):
            raise ValueError("the fee must be a Decimal from 0 up to (not including) 1")
        for currency, threshold in self.moderation_thresholds.items():
            if currency not in CURRENCIES:
                raise ValueError(f"unknown currency in moderation thresholds: {currency}")
            if not isinstance(threshold, Decimal) or threshold < 0:
                raise ValueError(f"the moderation threshold of {currency} must be a Decimal >= 0")

    @classmethod
    def with_overrides(
        cls, fee: Decimal, moderation_thresholds: dict[str, Decimal] | None
    ) -> MarketPolicy:
        """The default thresholds with ``moderation_thresholds`` replacing some of them."""
        thresholds = dict(DEFAULT_MODERATION_THRESHOLDS)
        thresholds.update(moderation_thresholds or {})
        return cls(fee=fee, moderation_thresholds=thresholds)

    def moderation_threshold(self, currency: str) -> Decimal | None:
        """The amount above which a coupon of ``currency`` waits for moderation."""
        return self.moderation_thresholds.get(currency)


def confirmations_needed(currency: str) -> int:
    """Blocks a transaction of ``currency`` needs; at most 6, as the contract promises."""
    return CONFIRMATIONS_NEEDED.get(currency, 6)


def _check_tables() -> None:
    # A pair without a reference price would leave the demo without a market there.
    missing = set(PAIRS) - set(REFERENCE_PRICES)
    if missing:
        raise RuntimeError(f"no reference price for {sorted(missing)}")


_check_tables()
