"""Concurrency: threads sharing a client keep nonces in order; a coupon redeems once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from cryptex_desktop.api import CryptexError


def test_many_threads_on_one_client_never_earn_a_nonce_refusal(make_account, make_client):
    client = make_client(make_account(USD="1000"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        sheets = list(pool.map(lambda _: client.info(), range(400)))
    assert all(sheet.balances["USD"] == Decimal("1000") for sheet in sheets)
    assert client.nonce_refusals == 0


def test_two_clients_on_one_key_resync_after_one_refusal(sandbox, make_account, tmp_path):
    from cryptex_desktop.api import Credentials, CryptexClient

    account = make_account(USD="5")
    creds = Credentials(account.username, account.key, account.secret)
    # Two separate data dirs: like the same key used from two computers.
    with CryptexClient(sandbox.url, creds, tmp_path / "a") as first, CryptexClient(
        sandbox.url, creds, tmp_path / "b"
    ) as second:
        for _ in range(5):
            first.info()
        second.info()  # its counter starts below what the exchange saw: refused, resynced, sent
        assert second.nonce_refusals == 1
        second.info()
        assert second.nonce_refusals == 1


def test_twenty_concurrent_redeems_of_one_coupon_credit_it_once(make_account, make_client):
    maker = make_client(make_account(USD="100"))
    code = maker.coupon_create("USD", "25").code
    redeemers = [make_client(make_account()) for _ in range(20)]

    def redeem(client):
        try:
            return client.coupon_redeem(code).amount
        except CryptexError:
            return None

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(redeem, redeemers))
    assert [r for r in results if r is not None] == [Decimal("25")]
    credited = [c.info().balances.get("USD", Decimal(0)) for c in redeemers]
    assert sorted(credited)[-1] == Decimal("25") and sum(credited) == Decimal("25")
