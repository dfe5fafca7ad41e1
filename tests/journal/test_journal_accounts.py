"""Each account has its own journal: the demo, and every live username on every exchange."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cryptex_desktop.journal import Journal, WithdrawalIntent, journal_name

LIVE = "https://cryptex.net/api"


def test_demo_and_two_live_accounts_keep_separate_journals(tmp_path: Path) -> None:
    opened = {
        "demo": Journal.for_account(tmp_path, "http://127.0.0.1:5555", "demo", is_demo=True),
        "anna": Journal.for_account(tmp_path, LIVE, "anna", is_demo=False),
        "boris": Journal.for_account(tmp_path, LIVE, "boris", is_demo=False),
    }
    try:
        assert len({journal.path for journal in opened.values()}) == 3
        for name, journal in opened.items():
            assert journal.path.parent == tmp_path / "journals"
            journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("1"), f"bc1q{name}"))
        for name, journal in opened.items():
            assert [w.address for w in journal.withdrawals()] == [f"bc1q{name}"]
    finally:
        for journal in opened.values():
            journal.close()
    again = Journal.for_account(tmp_path, LIVE + "/", "anna", is_demo=False)
    try:
        assert [w.address for w in again.withdrawals()] == ["bc1qanna"]
    finally:
        again.close()


def test_a_journals_file_name_shows_neither_the_username_nor_the_exchange() -> None:
    name = journal_name(LIVE, "anna.kowalska", is_demo=False)
    assert "anna" not in name and "cryptex" not in name
    assert name != journal_name("https://other.example", "anna.kowalska", is_demo=False)
    assert name != journal_name(LIVE, "boris", is_demo=False)
    assert journal_name("http://127.0.0.1:5555", "whoever", is_demo=True) == "demo"


def test_the_demo_journal_is_the_same_file_whatever_port_the_demo_exchange_got(
    tmp_path: Path,
) -> None:
    first = Journal.for_account(tmp_path, "http://127.0.0.1:40001", "demo", is_demo=True)
    first.close()
    second = Journal.for_account(tmp_path, "http://127.0.0.1:40002", "demo", is_demo=True)
    second.close()
    assert first.path == second.path
