"""Money, prices, dates and words as a person reads them in the app's tables and dialogs.

Amounts stay ``Decimal`` to the last step: a currency's decimals come from
:mod:`cryptex_desktop.api.currencies`, digits are grouped by thousands, there is never an
exponent, and no float is involved. The decimal and group marks are those of
:func:`number_convention`, the one rule amount fields read with too
(:mod:`cryptex_desktop.ui.numbers`). Display rounds half to even; :func:`spendable` rounds
down, because showing more than can be spent invites an order the exchange refuses.
"""

from __future__ import annotations

import decimal
import math
import time
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from PySide6.QtCore import QLocale

from cryptex_desktop import i18n
from cryptex_desktop.api.currencies import CURRENCIES, PAIRS, currency_decimals, split_pair
from cryptex_desktop.i18n import N_, _, language
from cryptex_desktop.ui.numbers import (
    NumberConvention,
    convention_of,
    exact_number,
    format_number,
)

# Rounding is set by quantizing in these contexts, not by the thread's context (which
# ``format()`` would otherwise consult); 100 digits hold any amount with any decimals.
_HALF_EVEN = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_EVEN)
_DOWN = decimal.Context(prec=100, rounding=decimal.ROUND_DOWN)
_conventions: dict[tuple[str, str], NumberConvention] = {}

#: Decimals for a price of a pair this app does not know.
_UNKNOWN_PRICE_DECIMALS = 8

_SIDE_WORDS = {"buy": N_("Buy"), "sell": N_("Sell")}

# A date is written from the local UTC offset of its hour, looked up once per hour: asking
# the C library for every one of 100,000 trades would cost a quarter of a second.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_CLOCK_TEXTS = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))
_MIXED_HOUR = -1_000_000  # an hour in which the offset changes: no shortcut
_MEMO_LIMIT = 100_000
_hour_offsets: dict[int, int] = {}
_day_texts: dict[int, str] = {}
_memo_zone: tzinfo | tuple[str, str] | None = None
_memo_language = ""
#: How each language writes a date (ISO's year-month-day where nothing else is usual).
DATE_PATTERNS = {"ru": "%d.%m.%Y"}
ISO_DATE = "%Y-%m-%d"


def date_pattern() -> str:
    """The ``strftime`` pattern of a date in the language the app speaks: 30.11.2026 in Russian."""
    return DATE_PATTERNS.get(i18n.language(), ISO_DATE)


def number_convention() -> NumberConvention:
    """The marks numbers are written and read with now: those of the default ``QLocale``.

    The default locale follows the system until the app sets one (``QLocale.setDefault``);
    this is asked on every call, so a change of language shows at the next refresh. It costs
    microseconds: loops over many rows ask once (see :func:`display_rounding`).
    """
    locale = QLocale()
    marks = (locale.decimalPoint(), locale.groupSeparator())
    known = _conventions.get(marks)
    if known is None:
        known = _conventions[marks] = convention_of(*marks)
    return known


def display_rounding() -> AbstractContextManager[decimal.Context]:
    """``with display_rounding():`` makes ``format(amount, number_format(n))`` round half even.

    For loops that format thousands of amounts: one context switch instead of one each. The
    text that ``format()`` gives has English marks: pass it through
    ``number_convention().localize`` (fetched once before the loop).
    """
    return decimal.localcontext(_HALF_EVEN)


def number_format(decimals: int) -> str:
    """The ``format()`` spec for ``decimals`` places, separators, and no ``-0``."""
    return f"z,.{decimals}f"


def number_text(amount: Decimal, decimals: int, *, sign: bool = False,
                convention: NumberConvention | None = None) -> str:
    """``amount`` with exactly ``decimals`` places and thousands separators, half to even.

    ``-0.00`` reads ``0.00``; with ``sign`` a positive amount gets a ``+``. The marks are the
    current :func:`number_convention`'s unless ``convention`` is given.
    """
    return format_number(amount, decimals, convention or number_convention(), sign=sign,
                         rounding=_HALF_EVEN)


def count_text(count: int) -> str:
    """A count of things in the language's way: ``1,234`` in English, ``1 234`` in Russian."""
    return number_text(Decimal(count), 0)


def exact_amount(amount: Decimal) -> str:
    """``amount`` never rounded, with the places it needs and no trailing zeros: for tooltips."""
    return exact_number(amount.normalize(_HALF_EVEN) if amount else Decimal(0),
                        number_convention())


def format_amount(amount: Decimal, currency: str, *, sign: bool = False) -> str:
    """``amount`` of ``currency`` with that currency's decimals: ``1,234.50`` for USD.

    The currency code is not part of the text (tables put it in a column or header);
    a currency this app does not know gets 8 decimals.
    """
    return number_text(amount, currency_decimals(currency), sign=sign)


def format_money(amount: Decimal, currency: str, *, sign: bool = False) -> str:
    """``amount`` with its currency code, for sentences: ``1,234.50 USD``."""
    return f"{format_amount(amount, currency, sign=sign)} {currency}"


def spendable(amount: Decimal, currency: str) -> str:
    """``amount`` of ``currency`` rounded DOWN to its decimals: never more than can be spent."""
    return format_number(amount, currency_decimals(currency), number_convention(), rounding=_DOWN)


def price_decimals(pair: str) -> int:
    """How many decimals a price of ``pair`` has: from PAIRS, else its quote currency's."""
    known = PAIRS.get(pair)
    if known is not None:
        return known.price_decimals
    try:
        return currency_decimals(split_pair(pair)[1], _UNKNOWN_PRICE_DECIMALS)
    except ValueError:
        return _UNKNOWN_PRICE_DECIMALS


def format_price(price: Decimal, pair: str) -> str:
    """A price of ``pair`` with the pair's price decimals: ``27,350.10`` for BTC_USD."""
    return number_text(price, price_decimals(pair))


def pair_text(pair: str) -> str:
    """``"BTC_USD"`` -> ``"BTC/USD"``: how people write a market."""
    return pair.replace("_", "/")


def pair_description(pair: str) -> str:
    """``"BTC_USD"`` -> ``"Bitcoin priced in US dollar"``; codes for unknown currencies."""
    try:
        base, quote = split_pair(pair)
    except ValueError:
        return pair
    names = {"base": currency_name(base), "quote": currency_name(quote)}
    return _("{base} priced in {quote}").format(**names)


def currency_name(code: str) -> str:
    """``"BTC"`` -> ``"Bitcoin"``; the code itself for a currency this app does not know."""
    known = CURRENCIES.get(code)
    return known.name if known else code


def side_word(side: str) -> str:
    """``"buy"`` -> ``"Buy"``, ``"sell"`` -> ``"Sell"``; anything else capitalised as is."""
    word = _SIDE_WORDS.get(side.lower())
    return _(word) if word else side.capitalize()


def local_zone() -> tzinfo | None:
    """The time zone dates are shown in: None, the computer's own (tests put another here)."""
    return None


def format_datetime(moment: datetime) -> str:
    """``moment`` in the local time zone, to the minute: ``2026-11-27 14:03`` in English.

    A naive datetime is taken as UTC, which is what the exchange sends.
    """
    global _memo_zone, _memo_language
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = local_zone()
    memo_zone = time.tzname if zone is None else zone  # a new tzname tuple: time.tzset() ran
    if memo_zone is not _memo_zone or _memo_language != i18n.language():  # other offsets/words
        _hour_offsets.clear()
        _day_texts.clear()
        _memo_zone, _memo_language = memo_zone, i18n.language()
    seconds = math.floor(moment.timestamp())
    hour = seconds // 3600
    offset = _hour_offsets.get(hour)
    if offset is None:
        offset = _offset_of_hour(hour)
    if offset == _MIXED_HOUR:
        return moment.astimezone(zone).strftime(date_pattern() + " %H:%M")
    day, second = divmod(seconds + offset, 86400)
    day_text = _day_texts.get(day)
    if day_text is None:
        if len(_day_texts) >= _MEMO_LIMIT:
            _day_texts.clear()
        day_text = date.fromordinal(_EPOCH_ORDINAL + day).strftime(date_pattern()) + " "
        _day_texts[day] = day_text
    return day_text + _CLOCK_TEXTS[second // 60]


def _offset_of_hour(hour: int) -> int:
    """The local UTC offset in seconds throughout ``hour`` (hours since 1970), remembered."""
    start = hour * 3600
    offset = _utc_offset(start)
    if _utc_offset(start + 3599) != offset:
        offset = _MIXED_HOUR
    if len(_hour_offsets) >= _MEMO_LIMIT:
        _hour_offsets.clear()
    _hour_offsets[hour] = offset
    return offset


def _utc_offset(seconds: int) -> int:
    """The local zone's UTC offset in seconds at ``seconds`` since 1970."""
    offset = datetime.fromtimestamp(seconds, UTC).astimezone(local_zone()).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())  # an aware time has one


def format_datetime_long(moment: datetime) -> str:
    """``moment`` in the local time zone to the second, with the zone: for tooltips."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_zone()).strftime(date_pattern() + " %H:%M:%S %Z")


def format_time_of_day(moment: datetime) -> str:
    """``moment``'s local time of day to the second, ``14:03:27``: for lists of today's trades.

    A naive datetime is taken as UTC, which is what the exchange sends.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M:%S")


class Market(NamedTuple):
    """How the app writes one pair: its text, description, currencies and decimals.

    The ``*_format`` fields are :func:`number_format` specs, for use under
    :func:`display_rounding`; their text gets the current marks from
    ``number_convention().localize``.
    """

    code: str
    text: str
    description: str
    base: str
    quote: str
    base_name: str
    quote_name: str
    base_decimals: int
    quote_decimals: int
    price_decimals: int
    base_format: str
    quote_format: str
    price_format: str


def market(pair: str) -> Market:
    """The facts tables show about ``pair`` (``BTC_USD``), worked out once per pair.

    ``ValueError`` for text that is not a pair code.
    """
    return _market(pair, language())


@cache
def _market(pair: str, speaking: str) -> Market:
    """:func:`market` in the language ``speaking`` (its names and description are words)."""
    base, quote = split_pair(pair)
    base_decimals, quote_decimals = currency_decimals(base), currency_decimals(quote)
    places = price_decimals(pair)
    return Market(
        code=pair,
        text=pair_text(pair),
        description=pair_description(pair),
        base=base,
        quote=quote,
        base_name=currency_name(base),
        quote_name=currency_name(quote),
        base_decimals=base_decimals,
        quote_decimals=quote_decimals,
        price_decimals=places,
        base_format=number_format(base_decimals),
        quote_format=number_format(quote_decimals),
        price_format=number_format(places),
    )
