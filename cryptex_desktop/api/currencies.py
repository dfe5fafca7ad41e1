"""The currencies and pairs Cryptex trades, with the facts a person needs about each.

Amounts of a currency have at most ``decimals`` places and are at least ``minimum``.
A pair ``XXX_YYY`` prices one XXX (the base) in YYY (the quote); ``buy`` spends YYY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cryptex_desktop.i18n import N_, _

CURRENCY_CODE = re.compile(r"^[A-Z]{3,}$")
PAIR_CODE = re.compile(r"^([A-Z]{3,})_([A-Z]{3,})$")


#: Cryptex's trading fee: each side of a fill gives this share of what it receives.
TRADE_FEE = Decimal("0.002")


@dataclass(frozen=True)
class Currency:
    """One currency: its code, a name for people, its precision and its smallest amount.

    For a coin, ``confirmations`` is how many blocks Cryptex waits before crediting a
    deposit, and ``block_minutes`` how long its network usually takes per block. A coupon
    above ``moderation_threshold`` is held for a check by hand before it gets a code.
    ``english_name`` is marked for translation; ``name`` is it in the reader's language.
    """

    code: str
    english_name: str
    decimals: int
    minimum: Decimal
    is_crypto: bool
    moderation_threshold: Decimal
    confirmations: int = 0
    block_minutes: Decimal = Decimal(0)

    @property
    def name(self) -> str:
        """The currency's name for people, in the reader's language: "Bitcoin"."""
        return _(self.english_name)

    @property
    def confirmation_minutes(self) -> Decimal:
        """About how long a deposit takes to be credited on the real network."""
        return self.confirmations * self.block_minutes

    @property
    def step(self) -> Decimal:
        """The smallest difference between two amounts, e.g. 0.01 for USD."""
        return Decimal(1).scaleb(-self.decimals)


@dataclass(frozen=True)
class Pair:
    """A market: ``base`` priced in ``quote``, prices with ``price_decimals`` places."""

    code: str
    base: str
    quote: str
    price_decimals: int


CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("BTC", N_("Bitcoin"), 8, Decimal("0.0001"), True, Decimal(1), 3, Decimal(10)),
        Currency("LTC", N_("Litecoin"), 8, Decimal("0.001"), True, Decimal(100), 6, Decimal("2.5")),
        Currency("USD", N_("US dollar"), 2, Decimal("0.01"), False, Decimal(10_000)),
        Currency("EUR", N_("Euro"), 2, Decimal("0.01"), False, Decimal(10_000)),
        Currency("RUR", N_("Russian rouble"), 2, Decimal("1"), False, Decimal(1_000_000)),
    )
}


def _pair(code: str, price_decimals: int) -> Pair:
    base, quote = code.split("_")
    return Pair(code, base, quote, price_decimals)


PAIRS: dict[str, Pair] = {
    p.code: p
    for p in (
        _pair("BTC_USD", 2),
        _pair("BTC_EUR", 2),
        _pair("BTC_RUR", 2),
        _pair("LTC_BTC", 8),
        _pair("LTC_USD", 4),
        _pair("LTC_EUR", 4),
        _pair("LTC_RUR", 2),
        _pair("USD_RUR", 4),
        _pair("EUR_USD", 5),
        _pair("EUR_RUR", 4),
    )
}


def split_pair(code: str) -> tuple[str, str]:
    """``"BTC_USD"`` -> ``("BTC", "USD")``; ``ValueError`` for anything not a pair code."""
    match = PAIR_CODE.match(code)
    if not match:
        raise ValueError(_("not a currency pair: {code}").format(code=repr(code)))
    return match.group(1), match.group(2)


def currency_decimals(code: str, default: int = 8) -> int:
    """The decimals to show for a currency, ``default`` for one this app does not know."""
    currency = CURRENCIES.get(code)
    return currency.decimals if currency else default
