"""Price sense, without Qt: what the confirmation says when a price is far from the market."""

from __future__ import annotations

from decimal import Decimal

from cryptex_desktop.api.market import BookLevel, OrderBook
from cryptex_desktop.ui.order_terms import OrderTerms, price_sense


def levels(*pairs: tuple[str, str]) -> tuple[BookLevel, ...]:
    return tuple(BookLevel(Decimal(price), Decimal(amount)) for price, amount in pairs)


BOOK = OrderBook(
    "BTC_USD",
    bids=levels(("65100", "1"), ("65000", "1")),
    asks=levels(("65150", "0.05"), ("65200", "1")),
)


def terms(side: str, price: str, amount: str, pair: str = "BTC_USD") -> OrderTerms:
    return OrderTerms(pair, side, Decimal(price), Decimal(amount))


def test_a_buy_far_above_the_best_offer_says_what_it_would_really_cost():
    assert price_sense(terms("buy", "71800", "0.1"), BOOK) == [
        "You offer 71,800.00 USD per BTC, 10.2% above the best offer of 65,150.00 USD. "
        "It fills at the sellers' prices, so you would pay about 6,517.50 USD, not the "
        "7,180.00 USD your price allows; your price matters only if those offers are gone "
        "before your order arrives."
    ]


def test_a_buy_beyond_what_the_offers_cover_says_the_rest_waits_at_its_price():
    assert price_sense(terms("buy", "71800", "2"), BOOK) == [
        "You offer 71,800.00 USD per BTC, 10.2% above the best offer of 65,150.00 USD. "
        "The offers up to your price cover only 1.05000000 BTC: that part fills at the "
        "sellers' prices, for about 68,457.50 USD. The other 0.95000000 BTC waits at your "
        "price, and fills at it if a seller takes it."
    ]


def test_a_sell_far_below_the_best_bid_says_what_it_would_really_bring():
    assert price_sense(terms("sell", "58000", "0.5"), BOOK) == [
        "You ask 58,000.00 USD per BTC, 10.9% below the best bid of 65,100.00 USD. "
        "It fills at the buyers' prices, so you would receive about 32,550.00 USD before the "
        "fee, not the 29,000.00 USD your price asks; your price matters only if those bids "
        "are gone before your order arrives."
    ]


def test_a_buy_far_below_the_market_waits_for_it():
    assert price_sense(terms("buy", "100", "0.1"), BOOK) == [
        "Your order will wait: the best offer now is 65,150.00 USD per BTC. It fills only if "
        "the market comes down to 100.00 USD."
    ]


def test_a_sell_far_above_the_market_waits_for_it():
    assert price_sense(terms("sell", "80000", "0.1"), BOOK) == [
        "Your order will wait: the best bid now is 65,100.00 USD per BTC. It fills only if "
        "the market comes up to 80,000.00 USD."
    ]


def test_prices_near_the_market_say_nothing():
    assert price_sense(terms("buy", "71665", "0.1"), BOOK) == []  # exactly 10% above
    assert price_sense(terms("buy", "65000", "0.1"), BOOK) == []
    assert price_sense(terms("sell", "58590", "0.1"), BOOK) == []  # exactly 10% below
    assert price_sense(terms("sell", "66000", "0.1"), BOOK) == []


def test_no_book_or_another_markets_book_says_nothing():
    assert price_sense(terms("buy", "100", "0.1"), None) == []
    assert price_sense(terms("buy", "100", "0.1", pair="BTC_EUR"), BOOK) == []


def test_an_empty_side_is_no_reference():
    only_bids = OrderBook("BTC_USD", bids=BOOK.bids, asks=())
    assert price_sense(terms("buy", "99999", "0.1"), only_bids) == []
    assert price_sense(terms("buy", "100", "0.1"), only_bids) == [
        "Your order will wait: the best bid now is 65,100.00 USD per BTC. It fills only if "
        "the market comes down to 100.00 USD."
    ]
    empty = OrderBook("BTC_USD", bids=(), asks=())
    assert price_sense(terms("sell", "1", "0.1"), empty) == []
