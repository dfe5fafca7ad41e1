"""A whole client session, every method, logged at DEBUG: no key, secret, signature or code."""

from __future__ import annotations

import logging
from decimal import Decimal

from cryptex_desktop.api import CryptexError
from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.signing import sign


def test_a_full_session_logs_no_secret_signature_or_coupon_code(
    sandbox, make_account, make_client, caplog
):
    account = make_account(USD="1000", BTC="1")
    client = make_client(account)
    caplog.set_level(logging.DEBUG)  # everything, urllib3's connection log included

    client.info()
    client.info(with_reserves=True)
    address = client.get_new_address("BTC").address
    sandbox.exchange.deposit(address, Decimal("0.1"))
    client.deposit_info(address)
    client.unconfirmed_transactions()
    placed = client.trade("BTC_USD", "buy", "10", "1")
    client.active_orders()
    client.order_info(placed.order_id)
    client.cancel_order(placed.order_id)
    client.trade_history()
    client.withdraw("0.01", new_address("BTC"), "BTC")
    coupon = client.coupon_create("USD", "5")
    client.coupon_redeem(coupon.code)
    try:
        client.coupon_redeem(coupon.code)
    except CryptexError as error:
        assert coupon.code not in str(error)
    last_nonce = client._nonces.last

    logged = "\n".join(
        [record.getMessage() for record in caplog.records]
        + [repr(record.args) for record in caplog.records]
    )
    assert "Info" in logged  # the log is not empty: the search below means something
    signatures = {sign(account.secret, n, account.username, account.key)
                  for n in range(max(0, last_nonce - 50), last_nonce + 1)}
    for secret in [account.key, account.secret, coupon.code, *signatures]:
        assert secret not in logged
    assert account.secret not in repr(client) and account.key not in repr(client.credentials)
