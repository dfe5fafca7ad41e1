"""The market maker: an account that keeps resting orders around each pair's reference price.

So that a demo user's "buy at a sensible price" fills, it quotes ``MARKET_MAKER_LEVELS``
levels each side, ``MARKET_MAKER_STEP`` apart, of ``MARKET_MAKER_LEVEL_AMOUNT`` each.
:func:`refresh` tops the levels up again; the server calls it after starting and after
every block. Its orders go through the same engine as everyone's, so when a level would
cross a person's resting order it simply fills against it.
"""

from __future__ import annotations

import decimal
import logging
from decimal import Decimal

from cryptex_desktop.api.currencies import PAIRS, Pair
from cryptex_desktop.api.money import money_context

from . import accounts, engine
from .markets import (
    MARKET_MAKER_FUNDING,
    MARKET_MAKER_LEVEL_AMOUNT,
    MARKET_MAKER_LEVELS,
    MARKET_MAKER_STEP,
    MARKET_MAKER_USERNAME,
    REFERENCE_PRICES,
)
from .store import Refusal, Tx, amount_of

log = logging.getLogger(__name__)


def account_id(tx: Tx, now: int) -> int:
    """The market maker's account, created and funded the first time it is needed."""
    found = accounts.find_account(tx, MARKET_MAKER_USERNAME, kind="market_maker")
    if found is not None:
        return found[0]
    new_id, _ = accounts.create_account(tx, MARKET_MAKER_USERNAME, "market_maker", now)
    accounts.fund(tx, new_id, MARKET_MAKER_FUNDING, "market maker funding", now)
    return new_id


def levels(pair: Pair) -> dict[str, list[Decimal]]:
    """The prices the market maker quotes: ``{"buy": [...], "sell": [...]}``, nearest first."""
    reference = REFERENCE_PRICES[pair.code]
    step = Decimal(1).scaleb(-pair.price_decimals)
    prices: dict[str, list[Decimal]] = {"buy": [], "sell": []}
    with money_context():
        for level in range(1, MARKET_MAKER_LEVELS + 1):
            offset = reference * MARKET_MAKER_STEP * level
            prices["buy"].append((reference - offset).quantize(step, decimal.ROUND_DOWN))
            prices["sell"].append((reference + offset).quantize(step, decimal.ROUND_UP))
    return prices


def refresh(tx: Tx, *, fee_rate: Decimal, fee_account_id: int, now: int) -> int:
    """Top every level of every pair up to its full size; returns how many orders it placed."""
    maker_id = account_id(tx, now)
    placed = 0
    for pair in PAIRS.values():
        size = MARKET_MAKER_LEVEL_AMOUNT[pair.base]
        wanted = levels(pair)
        for side in ("buy", "sell"):
            resting: dict[Decimal, Decimal] = {}
            for row in tx.execute(
                "SELECT * FROM orders WHERE account_id = ? AND pair = ? AND side = ? "
                "AND status IN (0, 1)",
                (maker_id, pair.code, side),
            ).fetchall():
                price = amount_of(row["price"])
                if price not in wanted[side] or price in resting:
                    engine.cancel(tx, row)  # an old level, or a second order on one level
                    continue
                resting[price] = amount_of(row["amount"]) - amount_of(row["filled"])
                if resting[price] < size:
                    engine.cancel(tx, row)  # partly taken: replace it with a full one
                    resting[price] = Decimal(0)
            for price in wanted[side]:
                if resting.get(price, Decimal(0)) >= size:
                    continue
                try:
                    engine.place_order(
                        tx, maker_id, pair, side, price, size,
                        fee_rate=fee_rate, fee_account_id=fee_account_id, now=now,
                    )
                except Refusal:
                    log.warning("the market maker ran out of funds for %s %s", side, pair.code)
                    continue
                placed += 1
    return placed
