"""What reading public market data costs the client: a 1,000-level order book, parsed.

Three figures, each the best of several rounds (reported, never asserted): the JSON of a
book of 1,000 bids and 1,000 asks decoded and read into an ``OrderBook`` (what the market
lane does with each answer), the same with prices and amounts as strings, and the whole
``GET .../orderbook`` from a sandbox on loopback whose book holds 1,000 levels a side.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from cryptex_desktop.api import Credentials, CryptexClient, MarketDataClient
from cryptex_desktop.api.market import parse_order_book, read_market_answer
from cryptex_desktop.sandbox import SandboxServer
from cryptex_desktop.sandbox.market_data import json_text

LEVELS = 1000
ROUNDS = 7
PARSES_PER_ROUND = 20


def book_json(levels: int = LEVELS, *, as_strings: bool = False) -> bytes:
    """A recorded-shape answer: ``levels`` bids down from 64,999 and asks up from 65,001."""
    def number(text: str) -> object:
        return text if as_strings else Decimal(text)

    bids = [[number(f"{64999 - n}.{n % 100:02d}"), number(f"0.{n + 1:04d}")] for n in range(levels)]
    asks = [[number(f"{65001 + n}.{n % 100:02d}"), number(f"1.{n:03d}")] for n in range(levels)]
    body = {"status": "ok", "data": {"bids": bids, "asks": asks}}
    # json cannot write Decimal: json_text writes the numbers exactly, as the sandbox does.
    return json.dumps(body).encode() if as_strings else json_text(body).encode()


def _best_ms(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(repeat):
            work()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1000


def _parse(content: bytes) -> Callable[[], object]:
    def work() -> object:
        book = read_market_answer(200, {}, content, lambda d: parse_order_book("BTC_USD", d))
        assert len(book.bids) == len(book.asks) == LEVELS
        return book

    return work


def _served_book_ms() -> float:
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(
        Path(tmp) / "sandbox", port=0, block_seconds=0, market_maker=False, rate_limit=None,
    ) as server:
        rich = {"BTC": Decimal(100000), "USD": Decimal(10) ** 12}
        maker = server.exchange.create_user("maker", rich)
        with CryptexClient(server.url, Credentials(maker.username, maker.key, maker.secret),
                           Path(tmp) / "client") as client:
            for n in range(LEVELS):
                client.trade("BTC_USD", "buy", Decimal(64999 - n), Decimal("0.01"))
                client.trade("BTC_USD", "sell", Decimal(65001 + n), Decimal("0.01"))
        with MarketDataClient(server.url) as market:
            return _best_ms(lambda: market.order_book("BTC_USD"), 5)


def run() -> dict[str, float]:
    """Measure the figures; returns name -> milliseconds."""
    return {
        "parse_1000_level_book_ms": _best_ms(_parse(book_json()), PARSES_PER_ROUND),
        "parse_1000_level_book_strings_ms": _best_ms(
            _parse(book_json(as_strings=True)), PARSES_PER_ROUND),
        "get_1000_level_book_from_sandbox_ms": _served_book_ms(),
    }


if __name__ == "__main__":
    from benchmarks.report import print_figures

    print_figures(__doc__.strip().splitlines()[0], run())
