"""The sandbox over real HTTP: transport refusals, rate limits, internal errors, restarts,
the block miner and the market maker of a running server."""

from __future__ import annotations

import logging
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Exchange, SandboxServer, api_methods, store
from cryptex_desktop.sandbox.server import DataDirBusy
from cryptex_desktop.sandbox.wsgi import MAX_BODY_BYTES, RateLimiter


def refusal(response: requests.Response) -> str:
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "error"
    return str(body["error"])


def test_only_post_is_answered_and_other_verbs_get_405_with_a_refusal(server) -> None:
    response = requests.get(server.url, timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert refusal(response).startswith("method not allowed")


def test_the_api_also_answers_at_the_root_and_nowhere_else(server, http_caller) -> None:
    bob = http_caller("bob")
    root = server.url.removesuffix("/api/v1") + "/"
    signature = sign(bob.account.secret, 1, "bob", bob.account.key)
    answer = requests.post(
        root,
        data={"method": "Info", "nonce": 1},
        headers={"Key": bob.account.key, "Sign": signature},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    elsewhere = requests.post(root + "api/v2", data={"method": "Info"}, timeout=10)
    assert elsewhere.status_code == 404
    assert refusal(elsewhere).startswith("not found")


def test_a_body_over_64_kib_is_refused_with_413(server, http_caller) -> None:
    bob = http_caller("bob")
    response = bob.post("Info", padding="x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    assert refusal(response).startswith("request body too large")
    assert bob.ok("Info")["open_orders"] == 0  # the refused request used no nonce


def test_bodies_that_are_not_forms_are_refused_with_4xx(server) -> None:
    as_json = requests.post(server.url, json={"method": "Info"}, timeout=10)
    assert as_json.status_code == 415
    assert refusal(as_json).startswith("unsupported content type")
    twice = requests.post(
        server.url,
        data="method=Info&nonce=1&nonce=2",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert twice.status_code == 400
    assert refusal(twice) == "malformed parameter: nonce (given more than once)"
    garbage = requests.post(
        server.url,
        data=b"\xff\xfe=&&",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert garbage.status_code == 400
    assert refusal(garbage).startswith("malformed request")


def test_too_many_requests_for_one_key_get_429_with_retry_after(tmp_path: Path) -> None:
    with SandboxServer(
        tmp_path, port=0, block_seconds=0, market_maker=False, rate_limit=0.5
    ) as server:
        demo = server.demo_account
        statuses = []
        for nonce in (1, 2):
            response = requests.post(
                server.url,
                data={"method": "Info", "nonce": nonce},
                headers={"Key": demo.key, "Sign": sign(demo.secret, nonce, "demo", demo.key)},
                timeout=10,
            )
            statuses.append(response.status_code)
        assert statuses == [200, 429]
        assert refusal(response) == "too many requests"
        assert int(response.headers["Retry-After"]) >= 1


def test_the_rate_limiter_lets_bursts_through_and_refills_over_time() -> None:
    now = [100.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert [limiter.retry_after("k") for _ in range(3)] == [None, None, 1]
    assert limiter.retry_after("other key") is None
    now[0] += 0.5
    assert limiter.retry_after("k") is None
    assert limiter.retry_after("k") == 1
    slow = RateLimiter(0.1, clock=lambda: now[0])
    assert slow.retry_after("k") is None
    assert slow.retry_after("k") == 10


def test_an_internal_error_answers_500_and_logs_no_parameters_or_headers(
    server, http_caller, monkeypatch, caplog
) -> None:
    bob = http_caller("bob")

    def broken(tx, ctx, params):
        raise RuntimeError(f"boom with {params['secret_param']}")

    monkeypatch.setitem(api_methods.METHODS, "Info", broken)
    with caplog.at_level(logging.ERROR):
        response = bob.post("Info", secret_param="hunter2-param")
    assert response.status_code == 500
    assert response.json() == {"status": "error", "error": "internal error"}
    assert "RuntimeError" in caplog.text and "broken" in caplog.text  # the traceback is there
    for secret in ("hunter2-param", bob.account.key, bob.account.secret):
        assert secret not in caplog.text
    monkeypatch.undo()
    assert bob.ok("Info")["open_orders"] == 0  # the failed request changed nothing


def test_a_database_locked_too_long_answers_503_and_changes_nothing(
    tmp_path: Path, monkeypatch, signed_caller
) -> None:
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 100)
    exchange = Exchange(tmp_path)
    try:
        alice = signed_caller(exchange, exchange.create_user("alice"))
        blocker = sqlite3.connect(tmp_path / store.DATABASE_NAME, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            status, body = alice.call("Info")
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert (status, body["status"]) == (503, "error")
        assert alice.ok("Info")["open_orders"] == 0
    finally:
        exchange.close()


def test_middleware_can_be_put_in_front_of_the_app(tmp_path: Path) -> None:
    seen: list[str] = []

    def wrap(app):
        def recording(environ, start_response):
            seen.append(environ["REQUEST_METHOD"])
            return app(environ, start_response)

        return recording

    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=False, wrap_app=wrap) as s:
        assert requests.get(s.url, timeout=10).status_code == 405
    assert seen == ["GET"]


def test_the_demo_account_and_its_nonces_survive_a_restart(tmp_path: Path) -> None:
    def info(server: SandboxServer, nonce: int) -> dict:
        demo = server.demo_account
        return requests.post(
            server.url,
            data={"method": "Info", "nonce": nonce},
            headers={"Key": demo.key, "Sign": sign(demo.secret, nonce, "demo", demo.key)},
            timeout=10,
        ).json()

    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=False) as first:
        before = first.demo_account
        assert info(first, 5)["data"]["balances"]["USD"] == "10000"
    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=False) as second:
        assert second.demo_account == before
        assert info(second, 5)["error"] == "invalid nonce: sent 5, must be greater than 5"
        assert info(second, 6)["status"] == "ok"


def test_one_data_dir_has_one_server_at_a_time(tmp_path: Path) -> None:
    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=False):
        second = SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=False)
        with pytest.raises(DataDirBusy, match="another sandbox server already serves"):
            second.start()
        second.stop()


def test_a_running_server_mines_blocks_on_its_own(tmp_path: Path, wait_until) -> None:
    with SandboxServer(tmp_path, port=0, block_seconds=0.05, market_maker=False) as server:
        wait_until(lambda: server.exchange.height() >= 3, what="three blocks")


def test_the_market_maker_refills_after_blocks_mined_by_another_process(
    tmp_path: Path, wait_until, assert_conserved
) -> None:
    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=True) as server:
        assert server.exchange.best_prices("BTC_USD") == (Decimal("64870"), Decimal("65130"))
        whale = server.exchange.create_user("whale", {"USD": Decimal("100000")})
        bought = requests.post(
            server.url,
            data={"method": "Trade", "nonce": 1, "pair": "BTC_USD", "type": "buy",
                  "price": "65130", "amount": "0.5"},
            headers={"Key": whale.key, "Sign": sign(whale.secret, 1, "whale", whale.key)},
            timeout=10,
        ).json()
        assert bought["status"] == "ok"
        assert server.exchange.best_prices("BTC_USD")[1] == Decimal("65260")  # level 1 taken

        operator = Exchange(tmp_path)  # as `cryptex-sandbox mine` would
        try:
            operator.mine()
        finally:
            operator.close()
        wait_until(
            lambda: server.exchange.best_prices("BTC_USD")[1] == Decimal("65130"),
            what="the market maker to refill its best ask",
        )
        assert_conserved(server.exchange)


def test_a_block_mined_before_the_miner_thread_first_runs_still_refills_the_market_maker(
    tmp_path: Path, wait_until, monkeypatch
) -> None:
    """A busy machine may run the server's miner thread late: a block mined meanwhile counts."""
    may_run = threading.Event()
    mine = SandboxServer._mine

    def late_mine(self: SandboxServer, *args: object) -> None:
        may_run.wait(timeout=30)
        mine(self, *args)

    monkeypatch.setattr(SandboxServer, "_mine", late_mine)
    with SandboxServer(tmp_path, port=0, block_seconds=0, market_maker=True) as server:
        whale = server.exchange.create_user("whale", {"USD": Decimal("100000")})
        status, answer = server.exchange.handle(
            "Trade", {"nonce": "1", "pair": "BTC_USD", "type": "buy", "price": "65130",
                      "amount": "0.5"}, whale.key, sign(whale.secret, 1, "whale", whale.key))
        assert (status, answer["status"]) == (200, "ok")
        assert server.exchange.best_prices("BTC_USD")[1] == Decimal("65260")  # level 1 taken
        operator = Exchange(tmp_path)
        try:
            operator.mine()
        finally:
            operator.close()
        may_run.set()
        wait_until(
            lambda: server.exchange.best_prices("BTC_USD")[1] == Decimal("65130"),
            what="the market maker to refill its best ask",
        )


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
        st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=6).map(
            lambda fields: urlencode(fields).encode()
        ),
    ),
    key=st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126),
                                     max_size=40)),
)
def test_no_request_body_whatever_it_holds_makes_an_internal_error(server, body, key) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if key is not None:
        headers.update({"Key": key, "Sign": "0" * 64})
    response = requests.post(server.url, data=body, headers=headers, timeout=10)
    assert response.status_code in (200, 400), response.text
    assert response.json()["status"] == "error"
