"""Candles from trades: each bucket's first, last, extreme prices and summed amounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.market import MarketTrade
from cryptex_desktop.ui.candles import (
    Candle,
    CandleInterval,
    bucket_start,
    build_candles,
    extend_candles,
)

START = datetime(2026, 11, 27, 23, 50, tzinfo=UTC)

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
amounts = st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("50"), places=8)
# Offsets in milliseconds over three days: several trades per bucket and empty buckets too.
offsets = st.integers(min_value=0, max_value=3 * 24 * 3600 * 1000)
trade_lists = st.lists(st.tuples(offsets, prices, amounts), max_size=60).map(
    lambda rows: [
        MarketTrade(number, price, amount, START + timedelta(milliseconds=offset))
        for number, (offset, price, amount) in enumerate(sorted(rows, key=lambda r: r[0]))
    ]
)


def trades_in(trades: list[MarketTrade], candle: Candle,
              interval: CandleInterval) -> list[MarketTrade]:
    return [t for t in trades if candle.start <= t.time < candle.end(interval)]


@settings(max_examples=150, deadline=None)
@given(trades=trade_lists, interval=st.sampled_from(CandleInterval))
def test_each_candle_sums_up_the_trades_of_its_bucket(trades, interval):
    candles = build_candles(trades, interval)

    buckets = {bucket_start(t.time, interval) for t in trades}
    assert [c.start for c in candles] == sorted(buckets)  # one per busy bucket, none for gaps
    for candle in candles:
        inside = trades_in(trades, candle, interval)
        assert inside
        assert candle.open == inside[0].price
        assert candle.close == inside[-1].price
        assert candle.high == max(t.price for t in inside)
        assert candle.low == min(t.price for t in inside)
        assert candle.low <= min(candle.open, candle.close)
        assert candle.high >= max(candle.open, candle.close)
        assert candle.volume == sum((t.amount for t in inside), Decimal(0))
        assert isinstance(candle.volume, Decimal)
    assert sum((c.volume for c in candles), Decimal(0)) == sum(
        (t.amount for t in trades), Decimal(0))


@settings(max_examples=60, deadline=None)
@given(trades=trade_lists, interval=st.sampled_from(CandleInterval))
def test_newest_first_trades_make_the_same_candles(trades, interval):
    # Trades all at one moment read the same either way: taken as given (oldest first).
    assume(len({t.time for t in trades}) > 1)
    assert build_candles(list(reversed(trades)), interval) == build_candles(trades, interval)


@settings(max_examples=60, deadline=None)
@given(trades=trade_lists, seed=st.randoms(use_true_random=False))
def test_shuffled_trades_with_distinct_times_make_the_same_candles(trades, seed):
    distinct = list({t.time: t for t in trades}.values())
    shuffled = list(distinct)
    seed.shuffle(shuffled)
    assert build_candles(shuffled, CandleInterval.MINUTE) == build_candles(
        distinct, CandleInterval.MINUTE)


def test_buckets_start_at_whole_intervals_in_utc():
    moment = datetime(2026, 11, 27, 14, 37, 12, 500_000, tzinfo=UTC)
    assert bucket_start(moment, CandleInterval.MINUTE) == datetime(2026, 11, 27, 14, 37, tzinfo=UTC)
    assert bucket_start(moment, CandleInterval.FIFTEEN_MINUTES) == datetime(
        2026, 11, 27, 14, 30, tzinfo=UTC)
    assert bucket_start(moment, CandleInterval.HOUR) == datetime(2026, 11, 27, 14, tzinfo=UTC)
    assert bucket_start(moment, CandleInterval.DAY) == datetime(2026, 11, 27, tzinfo=UTC)


def test_a_quiet_stretch_is_a_gap_not_a_flat_candle():
    trades = [
        MarketTrade(1, Decimal("100"), Decimal("1"), START),
        MarketTrade(2, Decimal("101"), Decimal("2"), START + timedelta(minutes=5, seconds=3)),
    ]
    candles = build_candles(trades, CandleInterval.MINUTE)
    assert [c.start for c in candles] == [START, START + timedelta(minutes=5)]
    assert candles[1].open == Decimal("101") and candles[1].volume == Decimal("2")


def test_no_trades_no_candles():
    assert build_candles([], CandleInterval.HOUR) == []


def test_interval_labels_are_plain_words():
    assert [i.label() for i in CandleInterval] == ["1 min", "15 min", "1 h", "1 day"]


@settings(max_examples=100, deadline=None)
@given(trades=trade_lists, cut=st.integers(min_value=0, max_value=60),
       interval=st.sampled_from(CandleInterval))
def test_extending_candles_with_newer_trades_is_building_them_all(trades, cut, interval):
    older, newer = trades[:cut], trades[cut:]
    extended = extend_candles(build_candles(older, interval), newer, interval)
    assert extended == build_candles(trades, interval)
