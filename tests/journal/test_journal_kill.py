"""SIGKILL at any moment loses nothing whose call returned, and leaves a sound file.

A child process records a stream of intents, outcomes, coupons and trades, printing a
line after each call returns; the test kills it with SIGKILL after a random number of
lines, several times over on the same journal, and each time reopens the file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.journal import Journal, Outcome, WithdrawalRecord

from .journal_writer import amount_of

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def run_and_kill(data_dir: Path, first: int, lines_before_kill: int) -> list[str]:
    """Start a writer, kill it after that many lines; every line it printed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.journal.journal_writer", str(data_dir), str(first)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    said = []
    try:
        for line in child.stdout:
            said.append(line.split())
            if len(said) > lines_before_kill:
                break
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    # Lines it printed before it died were for calls that had returned too.
    return [" ".join(words) for words in said[1:]] + rest.splitlines()


def test_a_killed_app_loses_nothing_recorded_and_leaves_a_sound_file(tmp_path: Path) -> None:
    rng = random.Random(329)
    begun: dict[int, int] = {}  # withdrawal id -> n
    done: set[int] = set()
    coupons: set[int] = set()
    trades: set[int] = set()
    first = 1
    for _ in range(6):
        for line in run_and_kill(tmp_path, first, rng.randrange(1, 80)):
            kind, *values = line.split()
            if kind == "begun":
                begun[int(values[1])] = int(values[0])
            elif kind == "done":
                done.add(int(values[0]))
            elif kind == "coupon":
                coupons.add(int(values[0]))
            elif kind == "trade":
                trades.add(int(values[0]))

        journal_file = tmp_path / "journals" / "demo.sqlite3"
        check = sqlite3.connect(journal_file)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
        with Journal.for_account(tmp_path, "", "", is_demo=True) as journal:
            withdrawals = {w.id: w for w in journal.withdrawals()}
            for withdrawal_id, n in begun.items():
                assert withdrawals[withdrawal_id].amount == amount_of(n)
                assert withdrawals[withdrawal_id].label == f"label {n}"
            for withdrawal_id in done:
                assert withdrawals[withdrawal_id].outcome is Outcome.DONE
            pending = {record.id for record in journal.pending_intents()
                       if isinstance(record, WithdrawalRecord)}
            # Begun and not said done: pending, unless the kill came between the commit
            # of its outcome and the line saying so.
            for withdrawal_id in set(begun) - done:
                assert withdrawal_id in pending or withdrawals[withdrawal_id].outcome is (
                    Outcome.DONE)
            assert not pending & done
            made = {c.id: c for c in journal.coupons_made()}
            assert all(made[c].outcome is Outcome.DONE for c in coupons)
            kept = {t.transaction_id: t for t in journal.trades()}
            assert all(kept[n].price == amount_of(n) and kept[n].amount == Decimal("0.5")
                       for n in trades)
            first = max([*kept, *begun.values(), 0]) + 1
    assert len(begun) > 6 and done and trades
