"""The journal is called from worker threads: calls from several at once are taken in turn."""

from __future__ import annotations

import threading
from decimal import Decimal

from cryptex_desktop.journal import Journal, Outcome, WithdrawalIntent


def test_withdrawals_recorded_from_four_threads_at_once_are_all_kept(journal: Journal) -> None:
    problems: list[BaseException] = []

    def record(worker: int) -> None:
        try:
            for n in range(25):
                withdrawal = journal.begin_withdrawal(
                    WithdrawalIntent("BTC", Decimal(f"{worker}.{n:02d}"), f"bc1q{worker}x{n}"))
                journal.complete_withdrawal(withdrawal, Outcome.DONE)
                journal.activity(limit=10)
        except BaseException as problem:  # handed to the test thread, which fails on it
            problems.append(problem)

    workers = [threading.Thread(target=record, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert problems == []
    kept = journal.withdrawals()
    assert len(kept) == 100 and {w.outcome for w in kept} == {Outcome.DONE}
    wanted = {Decimal(f"{worker}.{n:02d}") for worker in range(4) for n in range(25)}
    assert {w.amount for w in kept} == wanted
