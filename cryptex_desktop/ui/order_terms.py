"""An order's terms and the rules about them, without Qt: what it spends, what it brings,
how it is placed and read back, and the sentence saying what happened, in numbers.

The Trade screen and its form call these; tests call them directly. The worker functions
(:func:`note_existing_orders`, :func:`place_and_read_back`, :func:`check_placed`) receive
frozen values and return new ones: nothing shared changes on the pool thread.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import PAIRS, TRADE_FEE
from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.api.market import BookLevel, OrderBook
from cryptex_desktop.api.money import decimals_of, money_context, quantize_down
from cryptex_desktop.api.reconcile import LOOKBACK, Finding, check_trade, existing_order_ids
from cryptex_desktop.api.types import Order, OrderStatus, PlacedOrder, Trade
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.formatting import (
    currency_decimals,
    exact_amount,
    format_money,
    format_price,
    number_text,
)

BUY = "buy"
SELL = "sell"

def trade_fee_text() -> str:
    """The fee as people write it in the app's language: "0.2%", "0,2 %"."""
    # Translators: a percentage; {number} is already written your language's way (0,2).
    return _("{number}%").format(number=exact_amount((TRADE_FEE * 100).normalize()))


def exact_money(amount: Decimal, currency: str) -> str:
    """``amount`` with its code, never rounded: the currency's decimals, more if it has more.

    For what leaves or arrives in a confirmation: rounding there would misstate the money.
    """
    places = max(currency_decimals(currency), decimals_of(amount))
    return f"{number_text(amount, places)} {currency}"


def after_fee(gross: Decimal, currency: str) -> Decimal:
    """What arrives of ``gross`` once the exchange keeps its fee, cut to the currency's places."""
    with money_context():
        return quantize_down(gross * (1 - TRADE_FEE), currency_decimals(currency))


def max_buy_amount(free_quote: Decimal, price: Decimal, base: str) -> Decimal:
    """The largest amount of ``base`` that ``free_quote`` pays for at ``price``, rounded down."""
    with money_context():
        return quantize_down(free_quote / price, currency_decimals(base))


def price_money(price: Decimal, pair: str) -> str:
    """``"65,130.00 USD"``: a price with the currency it is in."""
    return f"{format_price(price, pair)} {PAIRS[pair].quote}"


@dataclass(frozen=True)
class OrderTerms:
    """One order as the person set it up, and what it spends and receives at its price."""

    pair: str
    side: str
    price: Decimal
    amount: Decimal

    @property
    def base(self) -> str:
        """The currency bought or sold."""
        return PAIRS[self.pair].base

    @property
    def quote(self) -> str:
        """The currency the price is in."""
        return PAIRS[self.pair].quote

    @property
    def pays_currency(self) -> str:
        """What leaves the balance: the quote currency for a buy, the base for a sell."""
        return self.quote if self.side == BUY else self.base

    @property
    def pays(self) -> Decimal:
        """How much leaves the balance (what the exchange reserves for the order)."""
        if self.side == SELL:
            return self.amount
        with money_context():
            return self.price * self.amount

    @property
    def receives_currency(self) -> str:
        """What arrives: the base currency for a buy, the quote for a sell."""
        return self.base if self.side == BUY else self.quote

    @property
    def receives(self) -> Decimal:
        """What arrives after the fee, if the order fills at exactly its price."""
        if self.side == BUY:
            return after_fee(self.amount, self.base)
        with money_context():
            return after_fee(self.price * self.amount, self.quote)


# -- price sense --------------------------------------------------------------------------------

#: How far from the best price on the other side a price may be before the confirmation says so.
FAR_SHARE = Decimal("0.10")


def _percent(part: Decimal, whole: Decimal) -> str:
    with money_context():
        return f"{number_text(part / whole * 100, 1)}%"


def _fill_through(levels: tuple[BookLevel, ...], terms: OrderTerms) -> tuple[Decimal, Decimal]:
    """What of ``terms.amount`` the book's levels fill at once, and the money it comes to.

    The exchange fills a crossing order at the resting orders' prices, best first, as far as
    they reach ``terms.price``.
    """
    left, money = terms.amount, Decimal(0)
    with money_context():
        for level in levels:
            crosses = level.price <= terms.price if terms.side == BUY else \
                level.price >= terms.price
            if not crosses or left <= 0:
                break
            taken = min(left, level.amount)
            money += taken * level.price
            left -= taken
        return terms.amount - left, money


def price_sense(terms: OrderTerms, book: OrderBook | None) -> list[str]:
    """Warnings, in words and numbers, when a price is far from the market; none without a book.

    A buy more than 10% above the best offer (a sell more than 10% below the best bid) fills
    at once at the resting orders' prices, so it costs (brings) about what they ask, not what
    the price allows; the sentence says both. A buy more than 10% below the best bid (a sell
    more than 10% above the best offer) waits until the market comes to it.
    """
    if book is None or book.pair != terms.pair:
        return []
    bid, ask = book.best_bid, book.best_ask
    price, base = terms.price, terms.base
    with money_context():
        far_above = ask is not None and price > ask * (1 + FAR_SHARE)
        far_below = bid is not None and price < bid * (1 - FAR_SHARE)
    if terms.side == BUY and far_above and ask is not None:
        return [_crossing_sentence(terms, ask, book.asks)]
    if terms.side == SELL and far_below and bid is not None:
        return [_crossing_sentence(terms, bid, book.bids)]
    yours = price_money(price, terms.pair)
    if terms.side == BUY and far_below and bid is not None:
        if ask is not None:
            sentence = _("Your order will wait: the best offer now is {price} per {base}. It "
                         "fills only if the market comes down to {yours}.")
        else:
            sentence = _("Your order will wait: the best bid now is {price} per {base}. It "
                         "fills only if the market comes down to {yours}.")
        return [sentence.format(price=price_money(ask or bid, terms.pair), base=base,
                                yours=yours)]
    if terms.side == SELL and far_above and ask is not None:
        if bid is not None:
            sentence = _("Your order will wait: the best bid now is {price} per {base}. It "
                         "fills only if the market comes up to {yours}.")
        else:
            sentence = _("Your order will wait: the best offer now is {price} per {base}. It "
                         "fills only if the market comes up to {yours}.")
        return [sentence.format(price=price_money(bid or ask, terms.pair), base=base,
                                yours=yours)]
    return []


def _crossing_sentence(terms: OrderTerms, best: Decimal, levels: tuple[BookLevel, ...]) -> str:
    """A price far beyond the best on the other side: what it would really cost or bring."""
    pair, base, quote = terms.pair, terms.base, terms.quote
    filled, money = _fill_through(levels, terms)
    with money_context():
        at_yours = terms.price * terms.amount
        rest = terms.amount - filled
        gap = abs(terms.price - best)
    values = {
        "price": price_money(terms.price, pair),
        "base": base,
        "percent": _percent(gap, best),
        "best": price_money(best, pair),
        "money": format_money(money, quote),
        "yours": exact_money(at_yours, quote),
        "filled": exact_money(filled, base),
        "rest": exact_money(rest, base),
    }
    if terms.side == BUY and rest <= 0:
        sentence = _("You offer {price} per {base}, {percent} above the best offer of {best}. "
                     "It fills at the sellers' prices, so you would pay about {money}, not the "
                     "{yours} your price allows; your price matters only if those offers are "
                     "gone before your order arrives.")
    elif terms.side == BUY:
        sentence = _("You offer {price} per {base}, {percent} above the best offer of {best}. "
                     "The offers up to your price cover only {filled}: that part fills at the "
                     "sellers' prices, for about {money}. The other {rest} waits at your price, "
                     "and fills at it if a seller takes it.")
    elif rest <= 0:
        sentence = _("You ask {price} per {base}, {percent} below the best bid of {best}. "
                     "It fills at the buyers' prices, so you would receive about {money} "
                     "before the fee, not the {yours} your price asks; your price matters only "
                     "if those bids are gone before your order arrives.")
    else:
        sentence = _("You ask {price} per {base}, {percent} below the best bid of {best}. "
                     "The bids down to your price cover only {filled}: that part fills at the "
                     "buyers' prices, for about {money} before the fee. The other {rest} waits "
                     "at your price, and fills at it if a buyer takes it.")
    return sentence.format(**values)


# -- on the worker ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeNote:
    """Noted before the order is sent: when, and the orders that existed already."""

    sent_at: datetime
    existing: frozenset[int]


@dataclass(frozen=True)
class PlacedTrade:
    """The exchange's answer, the order read back right after, and its fills so far."""

    placed: PlacedOrder
    order: Order | None
    fills: tuple[Trade, ...] = ()


def note_existing_orders(client: CryptexClient, terms: OrderTerms,
                         sent_at: datetime) -> TradeNote:
    """The orders that exist on the market before this one is sent (worker thread)."""
    return TradeNote(sent_at, existing_order_ids(client, terms.pair, sent_at))


def place_and_read_back(client: CryptexClient, terms: OrderTerms, noted: TradeNote) -> PlacedTrade:
    """Place the order once, then read it back and its fills (worker thread).

    Reading it back tells "filled at once" from "waiting", and the fills say at what price
    and for what fee; if the reading fails, the order still stands and the answer says so.
    """
    placed = client.trade(terms.pair, terms.side, terms.price, terms.amount)
    try:
        order = client.order_info(placed.order_id)
        fills: tuple[Trade, ...] = ()
        if order.filled > 0:
            fills = tuple(fills_of(order.order_id, client.trade_history(
                pair=terms.pair, since=noted.sent_at - LOOKBACK)))
    except CryptexError:
        return PlacedTrade(placed, None)  # the order stands; Open orders shows how far it got
    return PlacedTrade(placed, order, fills)


def check_placed(client: CryptexClient, terms: OrderTerms, noted: TradeNote,
                 also_known: Collection[int] = ()) -> Finding:
    """After a lost answer: is there a new order with these terms? (worker thread)"""
    return check_trade(client, terms.pair, terms.side, terms.price, terms.amount,
                       noted.sent_at, noted.existing | frozenset(also_known))


def fills_of(order_id: int, fills: Iterable[Trade]) -> list[Trade]:
    """The fills that belong to ``order_id`` (this user's side of each)."""
    return [fill for fill in fills
            if (fill.buy_order_id if fill.type == BUY else fill.sell_order_id) == order_id]


# -- what happened, in numbers -------------------------------------------------------------------


@dataclass(frozen=True)
class FilledPart:
    """What filled of an order: how much, at what price, the money that moved and the fee.

    ``exact_fee`` is False when the fee is worked out from the app's fee rate rather than
    told by the exchange.
    """

    amount: Decimal
    price: Decimal
    one_price: bool
    total: Decimal
    fee: Decimal
    fee_currency: str
    exact_fee: bool


def filled_part(order: Order, fills: Iterable[Trade]) -> FilledPart:
    """Add up ``order``'s fills; if they do not cover what filled, use the order's own price."""
    base, quote = order.base, order.quote
    fee_currency = base if order.type == BUY else quote
    own = list(fills)
    with money_context():
        amount = sum((fill.amount for fill in own), Decimal(0))
        if not own or amount != order.filled:
            total = order.filled * order.price
            fee = _fee_of(order.filled if order.type == BUY else total, fee_currency)
            return FilledPart(order.filled, order.price, True, total, fee, fee_currency, False)
        total = sum((fill.price * fill.amount for fill in own), Decimal(0))
        prices = {fill.price for fill in own}
        # The exchange's own fee per fill, where the client's fills carry it.
        told = [value for fill in own
                if isinstance(value := getattr(fill, "fee", None), Decimal)]
        if len(told) == len(own):
            fee = sum(told, Decimal(0))
            exact = True
        else:
            fee = sum((_fee_of(fill.amount if order.type == BUY else fill.price * fill.amount,
                               fee_currency) for fill in own), Decimal(0))
            exact = False
        price = next(iter(prices)) if len(prices) == 1 else quantize_down(
            total / amount, PAIRS[order.pair].price_decimals)
        return FilledPart(amount, price, len(prices) == 1, total, fee, fee_currency, exact)


def _fee_of(gross: Decimal, currency: str) -> Decimal:
    with money_context():
        return gross - after_fee(gross, currency)


def filled_sentence(order: Order, part: FilledPart) -> str:
    """"You bought 0.01000000 BTC at 65,130.00 USD, paid 651.30 USD; the fee was …"."""
    base, quote = order.base, order.quote
    values = {
        "amount": exact_money(part.amount, base),
        "price": price_money(part.price, order.pair),
        "total": exact_money(part.total, quote),
        "fee": exact_money(part.fee, part.fee_currency),
    }
    # One whole sentence for each of: bought or sold, one price or an average, exact fee or not.
    buy = order.type == BUY
    if buy and part.one_price and part.exact_fee:
        sentence = _("You bought {amount} at {price}, paid {total}; the fee was {fee}.")
    elif buy and part.one_price:
        sentence = _("You bought {amount} at {price}, paid {total}; the fee was about {fee}.")
    elif buy and part.exact_fee:
        sentence = _("You bought {amount} at an average of {price}, paid {total}; the fee was "
                     "{fee}.")
    elif buy:
        sentence = _("You bought {amount} at an average of {price}, paid {total}; the fee was "
                     "about {fee}.")
    elif part.one_price and part.exact_fee:
        sentence = _("You sold {amount} at {price} for {total}; the fee was {fee}.")
    elif part.one_price:
        sentence = _("You sold {amount} at {price} for {total}; the fee was about {fee}.")
    elif part.exact_fee:
        sentence = _("You sold {amount} at an average of {price} for {total}; the fee was "
                     "{fee}.")
    else:
        sentence = _("You sold {amount} at an average of {price} for {total}; the fee was "
                     "about {fee}.")
    return sentence.format(**values)


def waiting_sentence(order: Order) -> str:
    """What the rest of ``order`` waits for, and what is held for it meanwhile."""
    rest = exact_money(order.remaining, order.base)
    price = price_money(order.price, order.pair)
    if order.type == BUY:
        with money_context():
            held = exact_money(order.remaining * order.price, order.quote)
        return _("It waits on the Open orders tab until someone sells {rest} at {price} or "
                 "less; {held} is held for it meanwhile.").format(rest=rest, price=price,
                                                                  held=held)
    return _("It waits on the Open orders tab until someone buys {rest} at {price} or more; "
             "{held} is held for it meanwhile.").format(rest=rest, price=price, held=rest)


def placed_sentence(answer: PlacedTrade) -> str:
    """What happened to a placed order, in numbers: filled, partly filled, or waiting."""
    number = answer.placed.order_id
    order = answer.order
    if order is None:
        return _("Your order #{id} is placed. The Open orders and History tabs show how far it "
                 "got.").format(id=number)
    if order.filled > 0:
        bought = filled_sentence(order, filled_part(order, answer.fills))
        if order.status == OrderStatus.FILLED or order.remaining == 0:
            return _("Your order #{id} filled at once. {filled}").format(id=number, filled=bought)
        return _("Your order #{id} is placed and part of it filled at once. {filled} The other "
                 "{rest} waits on the Open orders tab; {held} is held for it.").format(
            id=number, filled=bought, rest=exact_money(order.remaining, order.base),
            held=_held(order))
    return _("Your order #{id} is placed. {waits}").format(id=number,
                                                           waits=waiting_sentence(order))


def _held(order: Order) -> str:
    if order.type == SELL:
        return exact_money(order.remaining, order.base)
    with money_context():
        return exact_money(order.remaining * order.price, order.quote)
