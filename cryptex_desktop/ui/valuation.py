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
from cryptex_desktop.i18n import _

#: The currencies a value can be shown in, the first by default.
VALUE_CURRENCIES = ("USD", "EUR", "RUR", "BTC")

#: One step of a route: to a currency, at a market's last price, multiplied or divided by it.
_Step = tuple[Decimal, bool]
_Steps = dict[str, dict[str, _Step]]


def _steps(tickers: Mapping[str, Ticker]) -> _Steps:
    """Per currency, the currencies it has a priced market with, and how to get there."""
    steps: _Steps = {}
    for code, ticker in tickers.items():
        last = ticker.last
        if last is None or last <= 0:
            continue  # no trade yet: no price to go by
        try:
            base, quote = split_pair(code)
        except ValueError:
            continue
        steps.setdefault(base, {})[quote] = (last, False)  # 1 BTC is ``last`` USD
        steps.setdefault(quote, {})[base] = (last, True)  # 1 USD is 1/``last`` BTC
    return steps


def _order(code: str) -> tuple[int, str]:
    ranks = list(CURRENCIES)
    return (ranks.index(code) if code in ranks else len(ranks), code)


def _route(currency: str, target: str, tickers: Mapping[str, Ticker]) -> list[_Step] | None:
    """The steps from ``currency`` to ``target``: none, one market, or two through one between."""
    if currency == target:
        return []
    steps = _steps(tickers)
    direct = steps.get(currency, {})
    if target in direct:
        return [direct[target]]
    for middle in sorted(direct, key=_order):
        onward = steps.get(middle, {})
        if target in onward:
            return [direct[middle], onward[target]]
    return None


def value_of(amount: Decimal, currency: str, target: str,
             tickers: Mapping[str, Ticker]) -> Decimal | None:
    """``amount`` of ``currency`` in ``target`` at the last prices; None when it cannot be told.

    :func:`no_value_reason` says why, in a sentence.
    """
    route = _route(currency, target, tickers)
    if route is None:
        return None
    with money_context():
        for price, divide in route:
            amount = amount / price if divide else amount * price
    return amount


def conversion_rate(currency: str, target: str, tickers: Mapping[str, Ticker]) -> Decimal | None:
    """How much ``target`` one unit of ``currency`` is worth, or None when no route is priced."""
    return value_of(Decimal(1), currency, target, tickers)


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
