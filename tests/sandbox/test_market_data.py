"""The sandbox's public market data (GET tickers, ticker, orderbook, trades) and the market
maker that keeps it alive: shapes as the contract's, figures from known fills, a seeded walk.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.sandbox import Exchange, SandboxServer
from cryptex_desktop.sandbox import market_data as public
from cryptex_desktop.sandbox.market_maker import PriceWalk, levels, seed_from_environment
from cryptex_desktop.sandbox.markets import MARKET_MAKER_WALK_SECONDS, REFERENCE_PRICES, SEED_ENV
from cryptex_desktop.sandbox.store import Refusal

ISO_UTC_MILLISECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}")


def answer(exchange: Exchange, request: str, pair: str = "", now: int | None = None) -> object:
    """The data of one public request, asked in process."""
    status, body = exchange.public_market_data(request, pair, now)
    assert (status, body["status"]) == (200, "ok"), body
    return body["data"]


def get(server: SandboxServer, path: str) -> requests.Response:
    return requests.get(f"{server.url}/{path}", timeout=10)


def data(server: SandboxServer, path: str) -> object:
    response = get(server, path)
    assert response.status_code == 200, response.text
    body = response.json(parse_float=Decimal)
    assert body["status"] == "ok"
    return body["data"]


def test_the_book_is_one_entry_per_price_level_bids_down_asks_up(server, http_caller) -> None:
    alice = http_caller("alice", {"BTC": Decimal(5), "USD": Decimal(100000)})
    bob = http_caller("bob", {"BTC": Decimal(5), "USD": Decimal(100000)})
    for who, side, price, amount in [
        (alice, "buy", "64000", "0.1"), (bob, "buy", "64000", "0.25"),
        (alice, "buy", "64500.5", "1"), (bob, "buy", "63000", "0.3"),
        (alice, "sell", "66000", "0.2"), (bob, "sell", "65500", "0.4"),
        (alice, "sell", "66000", "0.05"),
    ]:
        who.ok("Trade", pair="BTC_USD", type=side, price=price, amount=amount)

    raw = get(server, "btc_usd/orderbook").text
    assert '"bids": [[64500.5, 1], [64000, 0.35], [63000, 0.3]]' in raw  # JSON numbers, exact
    book = data(server, "btc_usd/orderbook")
    assert book == {
        "bids": [[Decimal("64500.5"), 1], [64000, Decimal("0.35")], [63000, Decimal("0.3")]],
        "asks": [[65500, Decimal("0.4")], [66000, Decimal("0.25")]],
    }
    # A buy that crosses takes the best asks; the book is never left crossed.
    bob.ok("Trade", pair="BTC_USD", type="buy", price="70000", amount="0.5")
    book = data(server, "BTC_USD/orderbook")
    assert book["asks"] == [[66000, Decimal("0.15")]]
    assert book["bids"][0][0] < book["asks"][0][0]
    assert data(server, "eur_usd/orderbook") == {"bids": [], "asks": []}


def test_tickers_and_trades_come_from_known_fills(server, http_caller) -> None:
    seller = http_caller("seller", {"BTC": Decimal(5)})
    buyer = http_caller("buyer", {"USD": Decimal(1000000)})
    fills = [("65000", "0.2"), ("64000.5", "0.1"), ("66000", "0.05")]
    for price, amount in fills:
        seller.ok("Trade", pair="BTC_USD", type="sell", price=price, amount=amount)
        buyer.ok("Trade", pair="BTC_USD", type="buy", price=price, amount=amount)

    volume = sum(Decimal(p) * Decimal(a) for p, a in fills)
    expected = {"last": "66000", "low": "64000.5", "high": "66000", "volume": str(volume)}
    assert get(server, "btc_usd/ticker").json()["data"] == expected
    assert list(get(server, "btc_usd/ticker").json()["data"]) == ["last", "low", "high", "volume"]
    tickers = get(server, "tickers").json()["data"]
    assert [(t["base"], t["quote"]) for t in tickers] == [tuple(c.split("_")) for c in PAIRS]
    assert tickers[0] == {"base": "BTC", "quote": "USD", "last": "66000", "high": "66000",
                          "low": "64000.5", "volume": str(volume)}
    # A market without trades: the number 0 as its volume, prices "0".
    assert tickers[-1] == {"base": "EUR", "quote": "RUR", "last": "0", "high": "0", "low": "0",
                           "volume": 0}

    trades = get(server, "btc_usd/trades").json()["data"]
    assert [(t["price"], t["amount"]) for t in trades] == fills  # oldest first
    assert all(isinstance(t["tid"], int) for t in trades)
    assert trades == sorted(trades, key=lambda t: t["tid"])
    assert all(ISO_UTC_MILLISECONDS.fullmatch(t["date"]) for t in trades)
    assert set(trades[0]) == {"tid", "price", "amount", "date"}


def test_the_24_hour_window_drops_older_fills_but_keeps_the_last_price(exchange, caller) -> None:
    seller = caller("seller", {"LTC": Decimal(100)})
    buyer = caller("buyer", {"USD": Decimal(100000)})
    seller.ok("Trade", pair="LTC_USD", type="sell", price="85.5", amount="2")
    buyer.ok("Trade", pair="LTC_USD", type="buy", price="85.5", amount="2")
    now = int(time.time())
    today = answer(exchange, "ticker", "ltc_usd", now)
    tomorrow = answer(exchange, "ticker", "ltc_usd", now + public.TICKER_WINDOW_SECONDS + 5)
    assert today == {"last": "85.5", "low": "85.5", "high": "85.5", "volume": "171"}
    assert tomorrow == {"last": "85.5", "low": "0", "high": "0", "volume": 0}


def test_only_the_latest_50_trades_are_shown(exchange, caller) -> None:
    seller = caller("seller", {"BTC": Decimal(10)})
    buyer = caller("buyer", {"USD": Decimal(10000000)})
    for n in range(55):
        price = str(60000 + n)
        seller.ok("Trade", pair="BTC_USD", type="sell", price=price, amount="0.01")
        buyer.ok("Trade", pair="BTC_USD", type="buy", price=price, amount="0.01")
    trades = answer(exchange, "trades", "BTC_USD")
    assert len(trades) == public.TRADES_SHOWN == 50
    assert [t["price"] for t in trades] == [str(60000 + n) for n in range(5, 55)]


def test_pairs_in_either_case_and_an_unknown_pair_is_a_404_refusal(server) -> None:
    assert data(server, "BTC_USD/ticker") == data(server, "btc_usd/ticker")
    assert data(server, "Ltc_Btc/trades") == []
    for path in ("doge_usd/ticker", "btc_usd_eur/orderbook", "BTCUSD/trades", "usd_btc/ticker"):
        response = get(server, path)
        assert response.status_code == 404, path
        assert response.json()["status"] == "error"
        assert response.json()["error"].startswith("unknown pair: ")
    # The same paths also answer without the /api/v1 prefix, as POST / does.
    root = server.url.removesuffix("/api/v1")
    assert requests.get(f"{root}/tickers", timeout=10).json()["status"] == "ok"
    with pytest.raises(Refusal, match="unknown pair"):
        public.pair_of("bţc_usd")


def test_market_paths_answer_get_only(server) -> None:
    response = requests.post(f"{server.url}/tickers", data={"method": "Info"}, timeout=10)
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert requests.get(f"{server.url}/btc_usd/candles", timeout=10).status_code == 404


def test_market_data_is_rate_limited_per_client_address_apart_from_keys(tmp_path: Path) -> None:
    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=False,
                       rate_limit=2) as server:
        answers = [get(server, "tickers") for _ in range(4)]
        assert answers[0].status_code == 200
        limited = answers[-1]
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json() == {"status": "error", "error": "too many requests"}
        # A signed call has its key's own bucket: the address's anonymous GETs do not use it.
        from cryptex_desktop.api.signing import sign

        demo = server.demo_account
        signed = requests.post(
            server.url, data={"method": "Info", "nonce": "1"},
            headers={"Key": demo.key, "Sign": sign(demo.secret, 1, demo.username, demo.key)},
            timeout=10,
        )
        assert signed.json()["status"] == "ok"


# --------------------------------------------------------------------------- the market maker


def _walk(exchange: Exchange, steps: int, start: int) -> None:
    for step in range(steps):
        exchange.refresh_market_maker(now=start + step * MARKET_MAKER_WALK_SECONDS)


def test_the_market_makers_walk_is_the_same_from_the_same_seed(tmp_path: Path) -> None:
    start = int(time.time())
    runs = []
    for name, seed in (("a", 42), ("b", 42), ("c", 43)):
        exchange = Exchange(tmp_path / name, seed=seed)
        try:
            _walk(exchange, 30, start)
            trades = answer(exchange, "trades", "BTC_USD")
            runs.append((exchange.reference_prices(), [(t["price"], t["amount"]) for t in trades]))
        finally:
            exchange.close()
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[2][0]
    prices, trades = runs[0]
    assert prices != REFERENCE_PRICES  # it moved...
    for code, price in prices.items():  # ...but stayed sensible
        assert REFERENCE_PRICES[code] / 2 <= price <= REFERENCE_PRICES[code] * 2
    assert len(trades) >= 3  # it traded with itself, so trades and charts move


def test_the_walk_steps_at_most_once_a_walk_period(exchange: Exchange) -> None:
    start = int(time.time())
    exchange.refresh_market_maker(now=start)
    assert exchange.reference_prices() == REFERENCE_PRICES  # a new market opens where it starts
    exchange.refresh_market_maker(now=start + MARKET_MAKER_WALK_SECONDS - 1)
    assert exchange.reference_prices() == REFERENCE_PRICES
    exchange.refresh_market_maker(now=start + MARKET_MAKER_WALK_SECONDS)
    assert exchange.reference_prices() != REFERENCE_PRICES


def test_every_pairs_book_has_both_sides_and_is_never_crossed_as_prices_move(tmp_path) -> None:
    exchange = Exchange(tmp_path, seed="books")
    try:
        start = int(time.time())
        for step in range(40):
            exchange.refresh_market_maker(now=start + step * MARKET_MAKER_WALK_SECONDS)
            prices = exchange.reference_prices()
            for code in PAIRS:
                book = answer(exchange, "orderbook", code)
                assert len(book["bids"]) == len(book["asks"]) == 5, code
                assert book["bids"][0][0] < prices[code] < book["asks"][0][0], code
    finally:
        exchange.close()


def test_the_market_makers_self_trades_never_touch_a_persons_order(
    tmp_path, signed_caller
) -> None:
    # The dice are pinned (self-trades happen in these refreshes) and so is the clock (no
    # walk step: the prices stay). The market's first refresh may trade anywhere inside the
    # maker's own spread: only the trades made once Alice's orders are inside it are judged.
    exchange = Exchange(tmp_path, seed="inside the spread")
    try:
        now = int(time.time())
        exchange.refresh_market_maker(now=now)
        before = {t["tid"] for t in answer(exchange, "trades", "BTC_USD")}
        bid, ask = levels(PAIRS["BTC_USD"])["buy"][0], levels(PAIRS["BTC_USD"])["sell"][0]
        alice = signed_caller(exchange, exchange.create_user(
            "alice", {"BTC": Decimal(1), "USD": Decimal(100000)}))
        inside_bid = str(bid + 10)
        inside_ask = str(ask - 10)
        alice.ok("Trade", pair="BTC_USD", type="buy", price=inside_bid, amount="0.1")
        alice.ok("Trade", pair="BTC_USD", type="sell", price=inside_ask, amount="0.1")
        for _ in range(25):
            exchange.refresh_market_maker(now=now)
        assert [o["filled"] for o in alice.ok("ActiveOrders")] == ["0", "0"]
        trades = [t for t in answer(exchange, "trades", "BTC_USD") if t["tid"] not in before]
        assert trades, "the market maker traded with itself"
        assert all(Decimal(inside_bid) < Decimal(t["price"]) < Decimal(inside_ask)
                   for t in trades)
    finally:
        exchange.close()


def test_the_seed_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(SEED_ENV, "demo-7")
    assert seed_from_environment() == "demo-7"
    exchange = Exchange(tmp_path)
    try:
        assert exchange.price_walk.seed == "demo-7"
    finally:
        exchange.close()
    monkeypatch.delenv(SEED_ENV)
    assert seed_from_environment() is None
    assert PriceWalk(5).step(PAIRS["BTC_USD"], Decimal(65000)) == PriceWalk(5).step(
        PAIRS["BTC_USD"], Decimal(65000))
