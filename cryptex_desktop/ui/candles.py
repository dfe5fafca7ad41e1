"""Candles of a market's trades: open, high, low, close and volume per minute, hour or day.

Qt-free, so a worker thread builds them. Buckets start at whole multiples of the interval
since 1970 in UTC (a day candle runs from 00:00 to 24:00 UTC, as exchanges count their
days); the chart writes their times in local time. A bucket in which nothing traded gets
no candle: the chart places candles by their time, so a quiet hour shows as a gap rather
than as a flat candle at a price nobody traded at.

Prices and volumes stay ``Decimal``. The volumes are summed in one exact local context
for the whole build (100 digits hold any sum of amounts), not one context per trade.
"""

from __future__ import annotations

import decimal
import enum
import operator
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import NamedTuple, Protocol

from cryptex_desktop.i18n import _

_EXACT = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_EVEN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BY_TIME = operator.attrgetter("time")


class CandleInterval(enum.Enum):
    """How long one candle lasts; the value is its length in seconds."""

    MINUTE = 60
    FIFTEEN_MINUTES = 15 * 60
    HOUR = 60 * 60
    DAY = 24 * 60 * 60

    @property
    def seconds(self) -> int:
        """The candle's length in seconds."""
        return int(self.value)

    def label(self) -> str:
        """The chooser's words: "1 min", "15 min", "1 h", "1 day"."""
        return {
            CandleInterval.MINUTE: _("1 min"),
            CandleInterval.FIFTEEN_MINUTES: _("15 min"),
            CandleInterval.HOUR: _("1 h"),
            CandleInterval.DAY: _("1 day"),
        }[self]

    def description(self) -> str:
        """What one candle stands for, in a sentence's words: "one minute"."""
        # Translators: put inside sentences such as "Candles of {span}" ("one minute").
        return {
            CandleInterval.MINUTE: _("one minute"),
            CandleInterval.FIFTEEN_MINUTES: _("15 minutes"),
            CandleInterval.HOUR: _("one hour"),
            CandleInterval.DAY: _("one day"),
        }[self]


class PricedTrade(Protocol):
    """What a candle needs of a trade (a market trade has it): when, at what price, how much."""

    @property
    def time(self) -> datetime: ...

    @property
    def price(self) -> Decimal: ...

    @property
    def amount(self) -> Decimal: ...


class Candle(NamedTuple):
    """The trades of one interval: the first and last price, the extremes, the amount traded.

    ``start`` is aware, in UTC; ``volume`` is in the market's base currency (the sum of the
    trades' amounts). A named tuple: a build makes up to one per trade, and a tuple is made
    five times faster than a frozen dataclass.
    """

    start: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal

    def end(self, interval: CandleInterval) -> datetime:
        """When the candle's interval ends (its last trade came before this)."""
        return self.start + timedelta(seconds=interval.seconds)


def bucket_start(moment: datetime, interval: CandleInterval) -> datetime:
    """The start of the candle ``moment`` (aware) falls in."""
    step = timedelta(seconds=interval.seconds)
    return _EPOCH + (moment - _EPOCH) // step * step


def build_candles(trades: Iterable[PricedTrade], interval: CandleInterval) -> list[Candle]:
    """The candles of ``trades`` (times aware), oldest first, none for empty buckets.

    ``open`` and ``close`` are the bucket's first and last trade. Trades may come oldest
    first (as the exchange lists them), newest first (reversed whole, so trades of one
    moment stay in their order) or in any order (sorted by time, stably). One pass over the
    sorted trades; the bucket is worked out again only when a trade passes its end.
    """
    ordered = _oldest_first(trades)
    if not ordered:
        return []
    step = timedelta(seconds=interval.seconds)
    candles: list[Candle] = []
    append = candles.append
    new = tuple.__new__  # Candle's own __new__ is a Python function: twice the cost
    first = ordered[0]
    start = bucket_start(first.time, interval)
    end = start + step
    open_ = high = low = close = first.price
    volume = first.amount
    with decimal.localcontext(_EXACT):
        for trade in ordered[1:]:
            price = trade.price
            moment = trade.time
            if moment < end:
                if price > high:
                    high = price
                elif price < low:
                    low = price
                close = price
                volume += trade.amount
                continue
            append(new(Candle, (start, open_, high, low, close, volume)))
            following = end + step
            if moment < following:  # the next bucket: the usual case on a busy market
                start, end = end, following
            else:  # whole steps past the old end, in timedelta arithmetic
                start = end + (moment - end) // step * step
                end = start + step
            open_ = high = low = close = price
            volume = trade.amount
        append(new(Candle, (start, open_, high, low, close, volume)))
    return candles


def _oldest_first(trades: Iterable[PricedTrade]) -> Sequence[PricedTrade]:
    """``trades`` by time, oldest first; a list already in order is used as it is."""
    listed = trades if isinstance(trades, list | tuple) else list(trades)
    times = list(map(_BY_TIME, listed))
    if all(map(operator.le, times, islice(times, 1, None))):
        return listed
    if all(map(operator.ge, times, islice(times, 1, None))):
        # Newest first, as exchanges list them: reversed, same-moment trades come out oldest first.
        return listed[::-1]
    return sorted(listed, key=_BY_TIME)


def extend_candles(candles: Sequence[Candle], newer: Iterable[PricedTrade],
                   interval: CandleInterval) -> list[Candle]:
    """``candles`` with ``newer`` trades added: what :func:`build_candles` of all would give.

    For a refresh: only the new trades are gone through, not the 100,000 before them.
    ``newer`` must all come after the trades ``candles`` were built from (none at an
    earlier moment, and none of the same trades again).
    """
    added = build_candles(newer, interval)
    if not added:
        return list(candles)
    if not candles or added[0].start != candles[-1].start:
        return [*candles, *added]
    last, first = candles[-1], added[0]
    with decimal.localcontext(_EXACT):
        joined = Candle(last.start, last.open, max(last.high, first.high),
                        min(last.low, first.low), first.close, last.volume + first.volume)
    return [*candles[:-1], joined, *added[1:]]
