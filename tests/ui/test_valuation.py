"""Values from the tickers, without Qt: direct, inverse, one currency between, and no route."""

from __future__ import annotations

from decimal import Decimal

from cryptex_desktop.api.market import Ticker
from cryptex_desktop.api.money import money_context
from cryptex_desktop.ui.valuation import conversion_rate, no_value_reason, value_of


def ticker(pair: str, last: str | None) -> Ticker:
    return Ticker(pair, None if last is None else Decimal(last), None, None, None)


TICKERS = {t.pair: t for t in (
    ticker("BTC_USD", "65000"),
    ticker("BTC_EUR", "60000"),
    ticker("LTC_BTC", "0.0013"),
    ticker("USD_RUR", "90"),
    ticker("EUR_RUR", None),
)}


def test_a_direct_market_gives_the_value_at_its_last_price():
    assert value_of(Decimal("0.5"), "BTC", "USD", TICKERS) == Decimal("32500.0")


def test_the_other_way_round_a_market_gives_one_over_its_price():
    assert value_of(Decimal("6500"), "USD", "BTC", TICKERS) == Decimal("0.1")
    with money_context():
        assert conversion_rate("USD", "BTC", TICKERS) == Decimal(1) / Decimal(65000)


def test_one_currency_between_when_no_market_links_the_two():
    # LTC -> BTC -> EUR: 10 LTC x 0.0013 BTC x 60,000 EUR
    assert value_of(Decimal(10), "LTC", "EUR", TICKERS) == Decimal("780.0000")
    # BTC -> USD -> RUR: the one in between may be either side of its markets
    assert value_of(Decimal(1), "BTC", "RUR", TICKERS) == Decimal(65000 * 90)
    # EUR -> RUR's market has no trades, and no priced currency links the two in one step
    assert value_of(Decimal(1), "EUR", "RUR", TICKERS) is None


def test_the_fewest_steps_win():
    tickers = {**TICKERS, "LTC_EUR": ticker("LTC_EUR", "70")}
    assert value_of(Decimal(10), "LTC", "EUR", tickers) == Decimal(700)


def test_the_same_currency_is_itself():
    assert value_of(Decimal("12.34"), "USD", "USD", {}) == Decimal("12.34")


def test_no_route_gives_none_and_says_why():
    assert value_of(Decimal(1), "LTC", "RUR", TICKERS) is None
    assert no_value_reason("LTC", "RUR", TICKERS) == (
        "No market links LTC to RUR, so its value cannot be estimated.")


def test_a_market_without_trades_is_no_price():
    tickers = {"BTC_USD": ticker("BTC_USD", None), "EUR_USD": ticker("EUR_USD", "0")}
    assert value_of(Decimal(1), "BTC", "USD", tickers) is None
    assert value_of(Decimal(1), "EUR", "USD", tickers) is None
    assert no_value_reason("BTC", "USD", tickers) == (
        "The markets that link BTC to USD have had no trades yet, so its value cannot be "
        "estimated.")


def test_nothing_is_rounded_before_display():
    value = value_of(Decimal(1), "USD", "BTC", TICKERS)
    assert value is not None and value != round(value, 8)  # 1/65,000 BTC is kept, not cut
    assert value_of(Decimal(65000), "USD", "BTC", TICKERS) == Decimal(1)
