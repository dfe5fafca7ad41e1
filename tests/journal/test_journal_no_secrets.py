"""After a real session against the sandbox, no key, secret or coupon code is in the data dir.

The journal's API has no place for a code: ``complete_coupon`` takes none. This test
makes one for real, records the session as the app would, and reads every byte of every
file under the data dir (the database, its WAL and shared-memory files) looking for the
code, the API key and the secret.
"""

from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.types import COUPON_CODE
from cryptex_desktop.journal import CouponIntent, Journal, Outcome, WithdrawalIntent


def every_byte_under(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def test_a_session_leaves_no_key_secret_or_coupon_code_in_the_data_dir(
    make_account, make_client, sandbox, tmp_path: Path,
) -> None:
    account = make_account(USD="500", BTC="2")
    client = make_client(account)
    data_dir = tmp_path / "app-data"
    journal = Journal.for_account(data_dir, sandbox.url, account.username, is_demo=False)
    try:
        address = client.get_new_address("BTC")
        journal.record_address("BTC", address.address, label="From my other wallet")

        destination = new_address("BTC")
        withdrawal = journal.begin_withdrawal(
            WithdrawalIntent("BTC", Decimal("0.5"), destination, label="Cold storage"))
        client.withdraw(Decimal("0.5"), destination, "BTC")
        journal.complete_withdrawal(withdrawal, Outcome.DONE)

        coupon_id = journal.begin_coupon(CouponIntent("USD", Decimal("120.50"), "Bob"))
        coupon = client.coupon_create("USD", Decimal("120.50"))
        assert coupon.code is not None and COUPON_CODE.match(coupon.code)
        # No keychain in this test: the code was shown once, and the journal says so.
        journal.complete_coupon(coupon_id, Outcome.DONE, code_kept_in_keychain=False)

        redeemer = make_client(make_account())
        journal.record_coupon_redeemed(redeemer.coupon_redeem(coupon.code))
        journal.merge_trades(client.trade_history())
        # A code pasted into a label or recipient by mistake is refused, not written.
        with pytest.raises(ValueError, match="coupon code"):
            journal.begin_coupon(CouponIntent("USD", Decimal("1"), f"code {coupon.code}"))
        with pytest.raises(ValueError, match="coupon code"):
            journal.begin_withdrawal(WithdrawalIntent("USD", Decimal("1"), coupon.code))
        assert journal.import_labels(
            f'{{"type": "addr", "ref": "{destination}", "label": "{coupon.code}"}}').imported == 0
        everything = every_byte_under(data_dir)  # with the WAL not yet checkpointed
    finally:
        journal.close()
    everything += every_byte_under(data_dir)
    assert b"Cold storage" in everything  # the search reads what the journal wrote
    for secret in (coupon.code, coupon.code.split("-", 2)[2], account.key, account.secret):
        assert secret.encode() not in everything
    assert account.username.encode() not in b"".join(
        path.name.encode() for path in data_dir.rglob("*"))


def test_no_journal_call_takes_a_code_or_a_secret() -> None:
    for name, method in inspect.getmembers(Journal, inspect.isfunction):
        words = " ".join(inspect.signature(method).parameters).lower()
        assert not {"code", "secret", "key"} & set(words.split()), name
