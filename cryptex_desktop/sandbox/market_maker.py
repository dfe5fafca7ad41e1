"""The market maker: an account that keeps every pair's book filled and its prices alive.

It quotes ``MARKET_MAKER_LEVELS`` levels each side of a reference price, on a grid
``MARKET_MAKER_STEP`` of the pair's starting price apart, ``MARKET_MAKER_LEVEL_AMOUNT``
each, so a demo user's "buy at a sensible price" fills. :func:`refresh` tops the levels up
again; the server calls it after starting and after every block. On each refresh:

- at most once every ``MARKET_MAKER_WALK_SECONDS`` the reference prices take one step of a
  random walk (with a slight pull back to the starting prices, so they stay sensible); the
  levels follow, and as they sit on a grid only the levels at the edges change;
- with ``MARKET_MAKER_SELF_TRADE_CHANCE`` per pair it trades a little with itself, at a
  random price strictly inside the spread, so trades and charts move. Strictly inside means
  no one else's order is at or beyond that price: a self-trade never touches a person's order.

Its orders go through the same engine as everyone's, so when a new level would cross a
person's resting order it simply fills against it, as a market would.

The randomness is one ``random.Random(seed)`` (:class:`PriceWalk`): the seed comes from the
``CRYPTEX_SANDBOX_SEED`` environment variable or a parameter, so a test replays the same
walk and the same self-trades. The reference prices live in the database, so a restarted
server continues from where its market was.
"""

from __future__ import annotations

import decimal
import logging
import os
import random
from decimal import Decimal

from cryptex_desktop.api.currencies import CURRENCIES, PAIRS, Pair
from cryptex_desktop.api.money import money_context

from . import accounts, engine
from .markets import (
    MARKET_MAKER_FUNDING,
    MARKET_MAKER_LEVEL_AMOUNT,
    MARKET_MAKER_LEVELS,
    MARKET_MAKER_SELF_TRADE_CHANCE,
    MARKET_MAKER_SELF_TRADE_SHARE,
    MARKET_MAKER_STEP,
    MARKET_MAKER_USERNAME,
    MARKET_MAKER_WALK_REVERSION,
    MARKET_MAKER_WALK_SECONDS,
    MARKET_MAKER_WALK_VOLATILITY,
    REFERENCE_PRICES,
    SEED_ENV,
)
from .store import Refusal, Tx, amount_of, amount_text, get_meta, set_meta

log = logging.getLogger(__name__)

_WALKED_AT = "market_maker.walked_at"
_PRICE = "market_maker.price."
#: A step never goes further than this many standard deviations.
_MAX_SIGMAS = 4


def seed_from_environment() -> str | None:
    """The walk's seed from ``CRYPTEX_SANDBOX_SEED`` (any text), or ``None`` when unset."""
    text = os.environ.get(SEED_ENV, "").strip()
    return text or None


class PriceWalk:
    """The market maker's dice: one ``random.Random(seed)`` for price steps and self-trades.

    The same seed and the same sequence of refreshes give the same prices and trades;
    ``seed=None`` draws from the system's randomness.
    """

    def __init__(self, seed: int | str | None = None) -> None:
        self.seed = seed
        self._random = random.Random(seed)

    def step(self, pair: Pair, price: Decimal) -> Decimal:
        """The next reference price of ``pair`` after ``price``: one step of the walk."""
        start = REFERENCE_PRICES[pair.code]
        sigmas = max(-_MAX_SIGMAS, min(_MAX_SIGMAS, self._random.gauss(0.0, 1.0)))
        move = Decimal(f"{sigmas:.6f}")  # a random draw, not money: six digits are plenty
        with money_context():
            walked = price * (1 + MARKET_MAKER_WALK_VOLATILITY * move)
            walked += MARKET_MAKER_WALK_REVERSION * (start - price)
            walked = max(start / 2, min(start * 2, walked))
            return walked.quantize(_price_step(pair), decimal.ROUND_HALF_EVEN)

    def self_trade(self) -> tuple[bool, Decimal, Decimal, str]:
        """(whether to trade, share of a level, place in the spread 0..1, the taker's side).

        Always draws the same numbers, traded or not, so one skipped trade does not shift
        the rest of the walk.
        """
        wanted = self._random.random() < MARKET_MAKER_SELF_TRADE_CHANCE
        share = MARKET_MAKER_SELF_TRADE_SHARE * self._random.randint(1, 10) / 10
        place = Decimal(self._random.randint(1, 999)) / 1000
        taker = "buy" if self._random.random() < 0.5 else "sell"
        return wanted, share, place, taker


def _price_step(pair: Pair) -> Decimal:
    return Decimal(1).scaleb(-pair.price_decimals)


def grid_step(pair: Pair) -> Decimal:
    """The distance between two of the market maker's levels on ``pair``."""
    with money_context():
        step = (REFERENCE_PRICES[pair.code] * MARKET_MAKER_STEP).quantize(_price_step(pair))
    return max(step, _price_step(pair))


def account_id(tx: Tx, now: int) -> int:
    """The market maker's account, created and funded the first time it is needed."""
    found = accounts.find_account(tx, MARKET_MAKER_USERNAME, kind="market_maker")
    if found is not None:
        return found[0]
    new_id, _ = accounts.create_account(tx, MARKET_MAKER_USERNAME, "market_maker", now)
    accounts.fund(tx, new_id, MARKET_MAKER_FUNDING, "market maker funding", now)
    return new_id


def levels(pair: Pair, reference: Decimal | None = None) -> dict[str, list[Decimal]]:
    """The prices quoted around ``reference``: ``{"buy": [...], "sell": [...]}``, nearest first.

    ``reference`` defaults to the pair's starting price, where a new data dir's book opens.
    Buys sit on the grid strictly below it, sells strictly above.
    """
    price = REFERENCE_PRICES[pair.code] if reference is None else reference
    step = grid_step(pair)
    with money_context():
        index = price / step
        below = index.to_integral_value(decimal.ROUND_CEILING) - 1
        above = index.to_integral_value(decimal.ROUND_FLOOR) + 1
        return {
            "buy": [(below - k) * step for k in range(MARKET_MAKER_LEVELS) if below - k > 0],
            "sell": [(above + k) * step for k in range(MARKET_MAKER_LEVELS)],
        }


def reference_prices(tx: Tx) -> dict[str, Decimal]:
    """Where the market maker centres its quotes now (the starting prices until it walks)."""
    prices = dict(REFERENCE_PRICES)
    for row in tx.execute("SELECT name, value FROM meta WHERE name LIKE 'market_maker.price.%'"):
        code = str(row["name"])[len(_PRICE):]
        if code in prices:
            prices[code] = amount_of(row["value"])
    return prices


def _walk(tx: Tx, walk: PriceWalk, now: int) -> dict[str, Decimal]:
    """The reference prices after one step, if the last step is long enough ago."""
    prices = reference_prices(tx)
    walked_at = get_meta(tx, _WALKED_AT)
    if walked_at is None:
        set_meta(tx, _WALKED_AT, str(now))  # a new market opens at the starting prices
        return prices
    if now - int(walked_at) < MARKET_MAKER_WALK_SECONDS:
        return prices
    for code, pair in PAIRS.items():
        prices[code] = walk.step(pair, prices[code])
        set_meta(tx, _PRICE + code, amount_text(prices[code]))
    set_meta(tx, _WALKED_AT, str(now))
    return prices


def refresh(
    tx: Tx, *, fee_rate: Decimal, fee_account_id: int, now: int, walk: PriceWalk | None = None
) -> int:
    """Walk the prices, trade a little, top every level up; returns how many levels it placed."""
    walk = walk if walk is not None else PriceWalk()
    maker_id = account_id(tx, now)
    prices = _walk(tx, walk, now)
    placed = 0
    for pair in PAIRS.values():
        size = MARKET_MAKER_LEVEL_AMOUNT[pair.base]
        wanted = levels(pair, prices[pair.code])
        resting = {side: _keep_wanted(tx, maker_id, pair, side, wanted[side], size)
                   for side in ("buy", "sell")}
        _trade_with_itself(tx, walk, maker_id, pair, wanted, fee_rate, fee_account_id, now)
        for side in ("buy", "sell"):
            for price in wanted[side]:
                if resting[side].get(price, Decimal(0)) >= size:
                    continue
                if _place(tx, maker_id, pair, side, price, size, fee_rate, fee_account_id, now):
                    placed += 1
    return placed


def _keep_wanted(
    tx: Tx, maker_id: int, pair: Pair, side: str, wanted: list[Decimal], size: Decimal
) -> dict[Decimal, Decimal]:
    """Cancel the maker's stale or partly taken orders on one side; what is left, by price."""
    resting: dict[Decimal, Decimal] = {}
    for row in tx.execute(
        "SELECT * FROM orders WHERE account_id = ? AND pair = ? AND side = ? AND status IN (0, 1)",
        (maker_id, pair.code, side),
    ).fetchall():
        price = amount_of(row["price"])
        if price not in wanted or price in resting:
            engine.cancel(tx, row)  # an old level, or a second order on one level
            continue
        resting[price] = amount_of(row["amount"]) - amount_of(row["filled"])
        if resting[price] < size:
            engine.cancel(tx, row)  # partly taken: replace it with a full one
            resting[price] = Decimal(0)
    return resting


def _trade_with_itself(
    tx: Tx,
    walk: PriceWalk,
    maker_id: int,
    pair: Pair,
    wanted: dict[str, list[Decimal]],
    fee_rate: Decimal,
    fee_account_id: int,
    now: int,
) -> None:
    """Now and then a small fill between the maker's own two orders, inside the spread."""
    trade, share, place, taker = walk.self_trade()
    if not trade or not wanted["buy"]:
        return
    bid, ask = engine.best_prices(tx, pair.code)
    low = max(wanted["buy"][0], bid) if bid is not None else wanted["buy"][0]
    high = min(wanted["sell"][0], ask) if ask is not None else wanted["sell"][0]
    base = CURRENCIES[pair.base]
    with money_context():
        price = (low + (high - low) * place).quantize(_price_step(pair), decimal.ROUND_HALF_EVEN)
        amount = (MARKET_MAKER_LEVEL_AMOUNT[pair.base] * share).quantize(base.step)
    if not low < price < high:
        return  # no room strictly inside the spread: someone else's order would be touched
    amount = max(amount, base.minimum)
    maker_side = "sell" if taker == "buy" else "buy"
    for side in (maker_side, taker):
        if not _place(tx, maker_id, pair, side, price, amount, fee_rate, fee_account_id, now):
            break
    for row in tx.execute(  # nothing of a self-trade may stay in the book
        "SELECT * FROM orders WHERE account_id = ? AND pair = ? AND price = ? "
        "AND status IN (0, 1)",
        (maker_id, pair.code, amount_text(price)),
    ).fetchall():
        engine.cancel(tx, row)


def _place(
    tx: Tx, maker_id: int, pair: Pair, side: str, price: Decimal, amount: Decimal,
    fee_rate: Decimal, fee_account_id: int, now: int,
) -> bool:
    try:
        engine.place_order(
            tx, maker_id, pair, side, price, amount,
            fee_rate=fee_rate, fee_account_id=fee_account_id, now=now,
        )
    except Refusal:
        log.warning("the market maker ran out of funds for %s %s", side, pair.code)
        return False
    return True

