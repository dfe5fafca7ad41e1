"""What an amount of one currency is worth in another, estimated from the markets' last prices.

No Qt, so tests call it directly. A value goes through a market between the two currencies
(BTC -> USD by BTC_USD's last price, USD -> BTC by one over it), or, when there is none,
through one currency in between that has a market with each (LTC -> BTC -> EUR). The route
with the fewest steps wins; among routes as short, the one through the currency listed first
in the app's currencies. Every figure is a Decimal in the app's money context, never rounded
here: rounding is for display.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from cryptex_desktop.api.currencies import CURRENCIES, split_pair
from cryptex_desktop.api.market import Ticker
from cryptex_desktop.api.money import money_context
from cryptex_desktop.ui.i18n import _

#: The currencies a value can be shown in, the first by default.
VALUE_CURRENCIES = ("USD", "EUR", "RUR", "BTC")

#: One step of a route: from a currency to another at a rate (how much of the other per one).
_Rates = dict[str, dict[str, Decimal]]


def _rates(tickers: Mapping[str, Ticker]) -> _Rates:
    """Per currency, what one unit of it fetches in each currency it has a priced market with."""
    rates: _Rates = {}
    with money_context():
        for code, ticker in tickers.items():
            last = ticker.last
            if last is None or last <= 0:
                continue  # no trade yet: no price to go by
            try:
                base, quote = split_pair(code)
            except ValueError:
                continue
            rates.setdefault(base, {})[quote] = last
            rates.setdefault(quote, {})[base] = 1 / last
    return rates


def _order(code: str) -> tuple[int, str]:
    ranks = list(CURRENCIES)
    return (ranks.index(code) if code in ranks else len(ranks), code)


def conversion_rate(currency: str, target: str, tickers: Mapping[str, Ticker]) -> Decimal | None:
    """How much ``target`` one unit of ``currency`` is worth, or None when no route is priced."""
    if currency == target:
        return Decimal(1)
    rates = _rates(tickers)
    direct = rates.get(currency, {})
    if target in direct:
        return direct[target]
    for middle in sorted(direct, key=_order):
        onward = rates.get(middle, {})
        if target in onward:
            with money_context():
                return direct[middle] * onward[target]
    return None


def value_of(amount: Decimal, currency: str, target: str,
             tickers: Mapping[str, Ticker]) -> Decimal | None:
    """``amount`` of ``currency`` in ``target`` at the last prices; None when it cannot be told.

    :func:`no_value_reason` says why, in a sentence.
    """
    rate = conversion_rate(currency, target, tickers)
    if rate is None:
        return None
    with money_context():
        return amount * rate


def _linked(currency: str, target: str, tickers: Mapping[str, Ticker]) -> bool:
    """Whether some market links the two, directly or through one currency, priced or not."""
    neighbours: dict[str, set[str]] = {}
    for code in tickers:
        try:
            base, quote = split_pair(code)
        except ValueError:
            continue
        neighbours.setdefault(base, set()).add(quote)
        neighbours.setdefault(quote, set()).add(base)
    near = neighbours.get(currency, set())
    return target in near or any(target in neighbours.get(middle, set()) for middle in near)


def no_value_reason(currency: str, target: str, tickers: Mapping[str, Ticker]) -> str:
    """Why ``currency`` has no value in ``target``: no market links them, or none has traded."""
    if _linked(currency, target, tickers):
        return _("The markets that link {currency} to {target} have had no trades yet, so its "
                 "value cannot be estimated.").format(currency=currency, target=target)
    return _("No market links {currency} to {target}, so its value cannot be estimated.").format(
        currency=currency, target=target)
