"""A child process for the kill test: records a stream of money actions, saying each one.

``python -m tests.journal.journal_writer DATA_DIR FIRST`` writes, for n = FIRST, FIRST+1, ...:
a withdrawal intent, then (two times in three) its outcome, a coupon intent and outcome,
and a trade. After each call returns it prints one line (``begun n id``, ``done id``,
``coupon id``, ``trade n``) and flushes, so the parent knows what was recorded when it
kills this process.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from cryptex_desktop.api.types import Trade
from cryptex_desktop.journal import CouponIntent, Journal, Outcome, WithdrawalIntent

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def amount_of(n: int) -> Decimal:
    return Decimal(f"{n}.{n:08d}")


def main(data_dir: str, first: int) -> None:
    journal = Journal.for_account(data_dir, "", "", is_demo=True)
    print("ready", flush=True)
    n = first
    while True:
        withdrawal = journal.begin_withdrawal(
            WithdrawalIntent("BTC", amount_of(n), f"bc1qkill{n}", label=f"label {n}"))
        print(f"begun {n} {withdrawal}", flush=True)
        if n % 3:
            journal.complete_withdrawal(withdrawal, Outcome.DONE, txid=f"{n:064x}")
            print(f"done {withdrawal}", flush=True)
        coupon = journal.begin_coupon(CouponIntent("USD", amount_of(n), f"friend {n}"))
        journal.complete_coupon(coupon, Outcome.DONE, code_kept_in_keychain=bool(n % 2))
        print(f"coupon {coupon}", flush=True)
        journal.merge_trades([Trade(n, n, n + 1, T0 + timedelta(seconds=n), "BTC_USD", "buy",
                                    amount_of(n), Decimal("0.5"), False)])
        print(f"trade {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
