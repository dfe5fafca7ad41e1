"""The public market-data client: the four requests against the sandbox over HTTP, the live
exchange's recorded answer shapes, and every way the front proxy can say no.

Whatever comes back, a market request gives a typed result or ``MarketUnavailable`` (with a
wait before the next try), never another exception.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api import (
    Backoff,
    BookLevel,
    Credentials,
    CryptexClient,
    MarketDataClient,
    MarketTrade,
    MarketUnavailable,
    OrderBook,
    Ticker,
    UnknownMarket,
)
from cryptex_desktop.api.market import (
    UNAVAILABLE_SENTENCE,
    parse_order_book,
    parse_tickers,
    parse_trades,
    read_market_answer,
)
from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Account, SandboxServer

# Shapes of recorded live answers, as API-CONTRACT.md "Public market data" gives them.
RECORDED_TICKERS = b"""{"status": "ok", "data": [
 {"base": "BTC", "quote": "USD", "last": "9402.1", "high": "9650", "low": "9300.5",
  "volume": "1834221.73"},
 {"base": "LTC", "quote": "RUR", "last": "0", "high": "0", "low": "0", "volume": 0}]}"""
RECORDED_TICKER = b"""{"status": "ok", "data": {"last": "9402.1", "low": "9300.5",
 "high": "9650", "volume": "1834221.73"}}"""
RECORDED_BOOK = b"""{"status": "ok", "data": {
 "bids": [[9401.5, 0.25], [9400, 1.104], [9390.75, 3]],
 "asks": [[9402.1, 0.5], [9405, 0.01], [9410.2, 12.5]]}}"""
RECORDED_TRADES = b"""{"status": "ok", "data": [
 {"tid": 4410, "price": "9399.9", "amount": "0.02", "date": "2018-04-28T04:40:51.871"},
 {"tid": 4411, "price": "9402.1", "amount": "0.1", "date": "2018-04-28T04:40:52.103"}]}"""
PROXY_PAGE = (b"<!DOCTYPE html><html><head><title>Attention Required!</title></head>"
              b"<body>Checking your browser before accessing cryptex.net</body></html>")


# --------------------------------------------------------------------------- a canned server


class CannedServer(ThreadingHTTPServer):
    """Answers each GET with the next canned ``(status, headers, body)``; keeps what it saw."""

    daemon_threads = True

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes]]) -> None:
        self.answers = answers
        self.seen: list[tuple[str, str, dict[str, str]]] = []  # (verb, path, headers)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _CannedHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v1"


class _CannedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: CannedServer = self.server  # type: ignore[assignment]
        with server.lock:
            server.seen.append(("GET", self.path, dict(self.headers.items())))
            status, headers, body = server.answers[min(len(server.seen), len(server.answers)) - 1]
        self.send_response(status)
        headers = {"Content-Type": "application/json", **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return  # keep the test output quiet


@pytest.fixture
def canned() -> Iterator[Callable[..., tuple[CannedServer, MarketDataClient]]]:
    """``canned((200, {}, body), ...)``: a server playing those answers and a client for it."""
    made: list[tuple[CannedServer, MarketDataClient]] = []

    def start(*answers: tuple[int, dict[str, str], bytes]) -> tuple[CannedServer, MarketDataClient]:
        server = CannedServer(list(answers))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        made.append((server, MarketDataClient(server.url, timeout=5)))
        return made[-1]

    yield start
    for server, client in made:
        client.close()
        server.shutdown()
        server.server_close()


def ok(body: bytes) -> tuple[int, dict[str, str], bytes]:
    return 200, {}, body


# --------------------------------------------------------------------------- the sandbox


def _signed_post(url: str, account: Account, nonce: int, **params: str) -> dict[str, object]:
    import requests

    answer = requests.post(
        url, data={"method": "Trade", "nonce": str(nonce), **params},
        headers={"Key": account.key,
                 "Sign": sign(account.secret, nonce, account.username, account.key)},
        timeout=10,
    ).json()
    assert answer["status"] == "ok", answer
    return answer


@pytest.fixture(scope="module")
def traded_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A quiet sandbox where alice's asks met bob's bids: two fills on BTC_USD, a book left."""
    rich = {"BTC": Decimal("10"), "USD": Decimal("100000")}
    with SandboxServer(tmp_path_factory.mktemp("market"), port=0, block_seconds=0,
                       market_maker=False, rate_limit=None) as server:
        alice = server.exchange.create_user("alice", rich)
        bob = server.exchange.create_user("bob", rich)
        trade = "BTC_USD"
        _signed_post(server.url, alice, 1, pair=trade, type="sell", price="65000", amount="0.5")
        _signed_post(server.url, bob, 1, pair=trade, type="buy", price="65000", amount="0.2")
        _signed_post(server.url, alice, 2, pair=trade, type="sell", price="64000", amount="0.1")
        _signed_post(server.url, bob, 2, pair=trade, type="buy", price="64000", amount="0.1")
        _signed_post(server.url, bob, 3, pair=trade, type="buy", price="63000.5", amount="0.3")
        _signed_post(server.url, bob, 4, pair=trade, type="buy", price="63000.5", amount="0.2")
        yield server


@pytest.fixture
def market(traded_sandbox: SandboxServer) -> Iterator[MarketDataClient]:
    with MarketDataClient(traded_sandbox.url) as client:
        yield client


def test_tickers_from_the_sandbox_key_every_market_and_say_its_last_24_hours(market) -> None:
    tickers = market.tickers()
    assert "BTC_USD" in tickers and "LTC_RUR" in tickers
    assert tickers["BTC_USD"] == Ticker(
        "BTC_USD", last=Decimal("64000"), high=Decimal("65000"), low=Decimal("64000"),
        volume=Decimal("65000") * Decimal("0.2") + Decimal("64000") * Decimal("0.1"),
    )
    # A market nobody traded: no prices, and a volume of zero.
    assert tickers["EUR_USD"] == Ticker("EUR_USD", None, None, None, Decimal(0))


def test_one_ticker_from_the_sandbox_in_either_case(market) -> None:
    assert market.ticker("btc_usd") == market.ticker("BTC_USD") == market.tickers()["BTC_USD"]


def test_the_order_book_from_the_sandbox_by_level_best_first(market) -> None:
    book = market.order_book("BTC_USD")
    assert book == OrderBook(
        "BTC_USD",
        bids=(BookLevel(Decimal("63000.5"), Decimal("0.5")),),  # two orders, one level
        asks=(BookLevel(Decimal("65000"), Decimal("0.3")),),
    )
    assert (book.best_bid, book.best_ask, book.spread) == (
        Decimal("63000.5"), Decimal("65000"), Decimal("1999.5"))
    empty = market.order_book("EUR_RUR")
    assert (empty.bids, empty.asks, empty.best_bid, empty.spread) == ((), (), None, None)


def test_recent_trades_from_the_sandbox_oldest_first_in_utc(market) -> None:
    trades = market.trades("BTC_USD")
    assert [(t.price, t.amount) for t in trades] == [
        (Decimal("65000"), Decimal("0.2")), (Decimal("64000"), Decimal("0.1"))]
    assert trades[0].trade_id < trades[1].trade_id
    for trade in trades:
        assert trade.time.tzinfo is not None and trade.time.utcoffset().total_seconds() == 0
        assert abs((datetime.now(UTC) - trade.time).total_seconds()) < 3600
    assert market.trades("LTC_EUR") == ()


def test_an_unknown_market_is_told_as_such(market) -> None:
    with pytest.raises(UnknownMarket) as unknown:
        market.ticker("DOG_USD")
    assert str(unknown.value).startswith(UNAVAILABLE_SENTENCE)
    assert "DOG/USD" in str(unknown.value) and "choose another market" in str(unknown.value)
    with pytest.raises(ValueError, match="not a market"):
        market.trades("btc-usd")  # not even shaped like a pair: a mistake of the caller's


def test_market_requests_from_two_threads_at_once_all_answer(market) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        books = list(pool.map(lambda _: market.order_book("BTC_USD"), range(12)))
        tickers = list(pool.map(lambda _: market.tickers(), range(12)))
    assert len({book.best_ask for book in books}) == 1
    assert all("BTC_USD" in each for each in tickers)


def test_market_requests_are_plain_gets_without_key_signature_or_nonce(canned, tmp_path) -> None:
    server, market = canned(ok(RECORDED_TICKER), ok(RECORDED_BOOK), ok(RECORDED_TRADES),
                            ok(RECORDED_TICKERS))
    market.ticker("BTC_USD")
    market.order_book("BTC_USD")
    market.trades("LTC_BTC")
    market.tickers()
    assert [(verb, path) for verb, path, _ in server.seen] == [
        ("GET", "/api/v1/btc_usd/ticker"), ("GET", "/api/v1/btc_usd/orderbook"),
        ("GET", "/api/v1/ltc_btc/trades"), ("GET", "/api/v1/tickers")]
    for _, path, headers in server.seen:
        names = {name.lower() for name in headers}
        assert not names & {"key", "sign", "content-type"}, headers
        assert "nonce" not in path
    signed = CryptexClient(server.url, Credentials("u", "k", "s"), tmp_path)
    try:
        assert market._session is not signed._session  # its own lane, its own connections
    finally:
        signed.close()


# --------------------------------------------------------------------------- recorded shapes


def test_the_recorded_tickers_read_with_decimals_and_volume_zero(canned) -> None:
    _, market = canned(ok(RECORDED_TICKERS))
    assert market.tickers() == {
        "BTC_USD": Ticker("BTC_USD", Decimal("9402.1"), Decimal("9650"), Decimal("9300.5"),
                          Decimal("1834221.73")),
        "LTC_RUR": Ticker("LTC_RUR", None, None, None, Decimal(0)),
    }


def test_the_recorded_ticker_book_and_trades_read_exactly(canned) -> None:
    _, market = canned(ok(RECORDED_TICKER), ok(RECORDED_BOOK), ok(RECORDED_TRADES))
    assert market.ticker("btc_usd").last == Decimal("9402.1")
    book = market.order_book("btc_usd")
    assert book.bids[1] == BookLevel(Decimal("9400"), Decimal("1.104"))
    assert str(book.asks[2].amount) == "12.5" and str(book.spread) == "0.6"
    assert market.trades("btc_usd")[1] == MarketTrade(
        4411, Decimal("9402.1"), Decimal("0.1"), datetime(2018, 4, 28, 4, 40, 52, 103000, UTC))


def test_numbers_as_strings_and_strings_as_numbers_are_both_read() -> None:
    book = parse_order_book("BTC_USD", {"bids": [["100.5", "2"]], "asks": [[101, Decimal("0.5")]]})
    assert book.best_bid == Decimal("100.5") and book.asks[0].amount == Decimal("0.5")
    tickers = parse_tickers([{"base": "btc", "quote": "usd", "last": 9402, "high": "9650",
                              "low": 9300, "volume": "0", "extra": {"ignored": True}}])
    assert tickers["BTC_USD"].last == Decimal(9402) and tickers["BTC_USD"].volume == 0


def test_a_dict_where_a_list_is_shown_is_read_too() -> None:
    tickers = parse_tickers({"btc_usd": {"last": "1", "high": "2", "low": "1", "volume": "3"},
                             "LTC_BTC": {"last": "0.0013", "volume": 0}})
    assert set(tickers) == {"BTC_USD", "LTC_BTC"} and tickers["LTC_BTC"].high is None
    trades = parse_trades({"2": {"tid": 2, "price": "5", "amount": "1", "date": 1524890452},
                           "1": {"tid": 1, "price": "4", "amount": "1",
                                 "date": "2018-04-28T04:40:51Z"}})
    assert [t.trade_id for t in trades] == [1, 2]  # sorted oldest first, whatever came
    book = parse_order_book("BTC_USD", {"bids": {"99": "1", "100": "2"},
                                        "asks": {"0": [102, 1], "1": [101, 3]}})
    assert [level.price for level in book.bids] == [Decimal(100), Decimal(99)]
    assert [level.price for level in book.asks] == [Decimal(101), Decimal(102)]


def test_an_odd_ticker_is_left_out_rather_than_hiding_the_others() -> None:
    tickers = parse_tickers([{"base": "BTC", "quote": "USD", "last": "1", "volume": 0},
                             {"base": "???", "quote": "USD", "last": "x"}, 7])
    assert list(tickers) == ["BTC_USD"]


# --------------------------------------------------------------------------- no prices for now


@pytest.mark.parametrize("answer", [
    (200, {"Content-Type": "text/html"}, PROXY_PAGE),
    (403, {"Content-Type": "text/html"}, PROXY_PAGE),
    (403, {}, b'{"status": "error", "error": "forbidden"}'),
    (503, {}, b""),
    (502, {"Content-Type": "text/html"}, b"<html>Bad gateway</html>"),
    (200, {}, b'{"status": "ok", "data": "maintenance"}'),
    (200, {}, b'{"status": "ok"}'),
    (200, {}, b'{"status": "error", "error": "temporarily disabled"}'),
    (200, {}, b"{not json"),
    (200, {}, b""),
    (200, {}, b'{"status": "ok", "data": {"bids": [["x", 1]], "asks": []}}'),
], ids=["html-200", "html-403", "json-403", "503-empty", "502-html", "data-text", "no-data",
        "refusal", "broken-json", "empty", "bad-price"])
def test_anything_but_prices_is_market_unavailable_with_a_wait(canned, answer) -> None:
    _, market = canned(answer)
    with pytest.raises(MarketUnavailable) as unavailable:
        market.order_book("BTC_USD")
    assert str(unavailable.value).startswith("Market prices are not available right now.")
    assert unavailable.value.retry_after == market.backoff.initial


def test_a_429_waits_as_long_as_the_exchange_asks(canned) -> None:
    _, market = canned((429, {"Retry-After": "7"}, b'{"status": "error", "error": "slow down"}'),
                       (429, {}, PROXY_PAGE), ok(RECORDED_TICKER))
    with pytest.raises(MarketUnavailable) as limited:
        market.ticker("BTC_USD")
    assert limited.value.retry_after == 7
    with pytest.raises(MarketUnavailable) as again:
        market.ticker("BTC_USD")
    assert again.value.retry_after == market.backoff.initial * 2  # no Retry-After: backing off
    assert market.ticker("BTC_USD").last == Decimal("9402.1")
    assert market.backoff.failures == 0  # an answer resets the backoff


def test_no_server_at_all_is_market_unavailable(refusing_url: str) -> None:
    with (MarketDataClient(refusing_url) as market,
          pytest.raises(MarketUnavailable) as refused):
        market.tickers()
    assert refused.value.retry_after > 0 and "connection" in refused.value.detail


def test_backoff_doubles_up_to_its_maximum_and_starts_over_after_a_success() -> None:
    backoff = Backoff(initial=2, maximum=10)
    assert [backoff.next_delay() for _ in range(5)] == [2, 4, 8, 10, 10]
    backoff.reset()
    assert backoff.next_delay() == 2
    with pytest.raises(ValueError):
        Backoff(initial=0)


# --------------------------------------------------------------------------- fuzz

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["0", "-1", "1e999999", "NaN", "btc_usd", "BTC_USD", "2018-04-28T04:40:52.103",
                     "ok", "error"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(["status", "data", "error", "bids", "asks", "base", "quote", "last",
                             "high", "low", "volume", "tid", "price", "amount", "date",
                             "btc_usd", "tickers", "0"]),
            children, max_size=7,
        ),
    ),
    max_leaves=24,
)
READERS = [parse_tickers, lambda d: parse_order_book("BTC_USD", d), parse_trades]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from([200, 200, 200, 403, 404, 429, 500, 503]),
    content_type=st.sampled_from(["application/json", "text/html", ""]),
    body=st.one_of(
        json_values.map(lambda v: json.dumps(v).encode()),
        json_values.map(lambda v: json.dumps({"status": "ok", "data": v}).encode()),
        st.binary(max_size=80),
    ),
    reader=st.sampled_from(READERS),
)
def test_whatever_comes_back_is_a_result_or_market_unavailable(status, content_type, body, reader):
    try:
        result = read_market_answer(status, {"Content-Type": content_type}, body, reader, "BTC_USD")
    except MarketUnavailable as unavailable:
        assert str(unavailable).startswith(UNAVAILABLE_SENTENCE)
        return
    assert isinstance(result, dict | OrderBook | tuple)
    if isinstance(result, OrderBook):
        assert [level.price for level in result.bids] == sorted(
            (level.price for level in result.bids), reverse=True)
