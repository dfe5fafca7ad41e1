"""The journal across restarts: what the app saw and did is still on Activity after it starts
again, an unfinished money action is checked at start, and demo and live keep apart.

Every test drives the real app on its embedded demo exchange (real HTTP), closes the window
and the app's objects as quitting does, and builds them again on the same data folder.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.journal import (
    ActivityEntry,
    ActivityKind,
    CouponIntent,
    Journal,
    Outcome,
    WithdrawalIntent,
)
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.journal_keeper import open_problem_sentence
from cryptex_desktop.ui.screens.activity import ActivityScreen
from cryptex_desktop.ui.screens.deposit import DepositScreen
from cryptex_desktop.ui.screens.history import HistoryScreen
from tests.exchange_helpers import ask_exchange, place_order
from tests.gui_checks import WAIT_MS
from tests.ui.test_coupons_screen import create_in_the_app, open_coupons, shown_code
from tests.ui.test_withdraw_screen import fill, open_confirmation, open_withdraw


def kinds_shown(screen: ActivityScreen) -> set[ActivityKind]:
    return {entry.kind for entry in screen.visible_entries()}


def entry_of(screen: ActivityScreen, kind: ActivityKind) -> ActivityEntry:
    return next(entry for entry in screen.visible_entries() if entry.kind is kind)


def open_activity(qtbot, window, wanted: Callable[[ActivityScreen], bool]) -> ActivityScreen:
    screen = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: wanted(screen), timeout=WAIT_MS)
    return screen


def read_journal(qtbot, context: AppContext, fn: Callable[[Journal], object]) -> object:
    """Read the open journal on its lane, as the app does, and wait for the answer."""
    found: list[object] = []
    context.journal.read(fn, found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=WAIT_MS)
    return found[0]


def test_an_address_a_withdrawal_a_coupon_and_a_trade_are_on_activity_after_a_restart(
    qtbot, window, app_context, demo_exchange, start_again
):
    # An address, and a deposit to it seen on the Deposit tab.
    deposit = window.show_screen(DepositScreen.NAME)
    deposit.currency_combo.set_code("BTC")
    qtbot.mouseClick(deposit.new_address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(deposit.shown_address()), timeout=WAIT_MS)
    address = deposit.shown_address()
    demo_exchange.deposit(address, Decimal("0.25"))
    deposit.refresh()
    qtbot.waitUntil(lambda: deposit.proxy.rowCount() == 1, timeout=WAIT_MS)

    # A withdrawal.
    withdraw = open_withdraw(qtbot, window, "BTC")
    recipient = new_address("BTC")
    fill(qtbot, withdraw, recipient, "0.5")
    dialog = open_confirmation(qtbot, withdraw)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not withdraw.action.is_busy(), timeout=WAIT_MS)
    assert withdraw.sent_address() == recipient

    # A coupon.
    coupons = open_coupons(qtbot, window, "USD")
    shown = create_in_the_app(qtbot, coupons, "12.5")
    code = shown_code(qtbot, shown)
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: coupons.created_dialog is None, timeout=WAIT_MS)

    # A buy, seen on the History tab.
    place_order(qtbot, app_context, "BTC_USD", "buy", "70000", "0.1")
    history = window.show_screen(HistoryScreen.NAME)
    qtbot.waitUntil(lambda: history.model.rowCount() >= 1, timeout=WAIT_MS)

    everything = {ActivityKind.DEPOSIT, ActivityKind.WITHDRAWAL, ActivityKind.COUPON_MADE,
                  ActivityKind.TRADE}
    open_activity(qtbot, window, lambda screen: everything <= kinds_shown(screen))

    window, context = start_again(window, app_context)
    assert context.journal.account_name == "demo"
    activity = open_activity(qtbot, window, lambda screen: everything <= kinds_shown(screen))

    seen = entry_of(activity, ActivityKind.DEPOSIT)
    assert (seen.address, seen.currency, seen.amount) == (address, "BTC", Decimal("0.25"))
    sent = entry_of(activity, ActivityKind.WITHDRAWAL)
    assert (sent.address, sent.amount, sent.status) == (recipient, Decimal("-0.5"), "done")
    made = entry_of(activity, ActivityKind.COUPON_MADE)
    assert (made.currency, made.amount, made.status) == ("USD", Decimal("-12.5"), "done")
    bought = entry_of(activity, ActivityKind.TRADE)
    assert (bought.description, bought.amount) == ("BTC_USD", Decimal("0.1"))
    addresses = read_journal(qtbot, context, lambda journal: journal.addresses("BTC"))
    assert address in [kept.address for kept in addresses]  # type: ignore[attr-defined]
    # The coupon's code is nowhere in the journal's file.
    journal_file = context.data_dir / "journals" / "demo.sqlite3"
    assert journal_file.exists()
    for path in journal_file.parent.iterdir():
        assert code.encode() not in path.read_bytes()


def test_a_withdrawal_begun_but_never_completed_is_checked_at_start_and_its_outcome_told(
    qtbot, window, app_context, start_again
):
    # As if the app were killed between writing its intent and hearing the answer: the
    # intent is written, the withdrawal sent, and the outcome never written down.
    recipient = new_address("BTC")
    intent = WithdrawalIntent("BTC", Decimal("0.3"), recipient)
    begun = read_journal(qtbot, app_context, lambda journal: journal.begin_withdrawal(intent))
    ask_exchange(qtbot, app_context,
                 lambda client: client.withdraw(Decimal("0.3"), recipient, "BTC"))

    window, context = start_again(window, app_context)

    qtbot.waitUntil(lambda: "was being sent when the app closed" in context.journal.last_news,
                    timeout=WAIT_MS)
    assert context.journal.last_news == (
        "A withdrawal of 0.30000000 BTC was being sent when the app closed. The withdrawal was "
        "sent and is being confirmed."
    )
    activity = open_activity(qtbot, window, lambda screen: any(
        entry.kind is ActivityKind.WITHDRAWAL and entry.status == "done"
        for entry in screen.visible_entries()))
    sent = entry_of(activity, ActivityKind.WITHDRAWAL)
    assert (sent.record_id, sent.address, sent.amount) == (begun, recipient, Decimal("-0.3"))
    assert sent.txid  # the outgoing transaction the check found
    assert read_journal(qtbot, context, lambda journal: journal.pending_intents()) == []


def test_an_unfinished_withdrawal_the_exchange_does_not_list_is_told_as_not_known_yet(
    qtbot, window, app_context, start_again
):
    intent = WithdrawalIntent("BTC", Decimal("0.2"), new_address("BTC"))
    read_journal(qtbot, app_context, lambda journal: journal.begin_withdrawal(intent))

    window, context = start_again(window, app_context)

    # The status bar says the check is under way, then what it found.
    qtbot.waitUntil(lambda: context.journal.last_news.startswith(
        "A withdrawal of 0.20000000 BTC was being sent when the app closed. The exchange does "
        "not list this withdrawal yet."), timeout=WAIT_MS)
    assert window.status.news_text() == context.journal.last_news
    assert read_journal(qtbot, context, lambda journal: journal.pending_intents()) == []
    activity = open_activity(qtbot, window, lambda screen: any(
        entry.kind is ActivityKind.WITHDRAWAL and entry.status == "unknown"
        for entry in screen.visible_entries()))
    assert "outcome not known yet" in activity.proxy.index(0, 5).data()


def test_an_unfinished_coupon_is_told_as_not_known_and_never_made_again(
    qtbot, window, app_context, start_again
):
    before = app_context.wallet.free_balance("USD")
    read_journal(qtbot, app_context, lambda journal: journal.begin_coupon(
        CouponIntent("USD", Decimal("40"), "")))

    window, context = start_again(window, app_context)

    qtbot.waitUntil(lambda: context.journal.last_news == (
        "A coupon of 40.00 USD was being made when the app closed. The app cannot tell from "
        "the exchange whether it was made: look at your balance and the Activity tab before "
        "making it again."), timeout=WAIT_MS)
    made = read_journal(qtbot, context, lambda journal: journal.coupons_made())
    assert [(c.amount, c.outcome) for c in made] == [  # type: ignore[attr-defined]
        (Decimal("40"), Outcome.UNKNOWN)]
    assert context.wallet.free_balance("USD") == before  # nothing was sent on its behalf


def test_demo_and_live_accounts_keep_separate_journals(qtbot, window, app_context,
                                                       demo_exchange):
    # Demo: a withdrawal.
    withdraw = open_withdraw(qtbot, window, "BTC")
    fill(qtbot, withdraw, new_address("BTC"), "0.1")
    qtbot.mouseClick(open_confirmation(qtbot, withdraw).confirm_button,
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not withdraw.action.is_busy(), timeout=WAIT_MS)
    activity = open_activity(qtbot, window, lambda screen: ActivityKind.WITHDRAWAL
                             in kinds_shown(screen))

    # Live: another account on the same exchange, connected as Settings does.
    bob = demo_exchange.create_user("bob", {})
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_live(
            demo_exchange_url(app_context), Credentials(bob.username, bob.key, bob.secret))
    assert app_context.journal.account_name.startswith("live-")
    qtbot.waitUntil(lambda: activity.records.state_text() == (
        "Nothing yet. Deposits, withdrawals, trades and coupons appear here as they happen."),
        timeout=WAIT_MS)
    deposit = window.show_screen(DepositScreen.NAME)
    deposit.currency_combo.set_code("LTC")
    qtbot.mouseClick(deposit.new_address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(deposit.shown_address()), timeout=WAIT_MS)
    demo_exchange.deposit(deposit.shown_address(), Decimal("3"))
    deposit.refresh()
    activity = open_activity(qtbot, window, lambda screen: bool(kinds_shown(screen)))
    assert kinds_shown(activity) == {ActivityKind.DEPOSIT}

    # Demo again: its own list, without bob's deposit.
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_demo()
    assert app_context.journal.account_name == "demo"
    qtbot.waitUntil(lambda: kinds_shown(activity) == {ActivityKind.WITHDRAWAL},
                    timeout=WAIT_MS)
    names = sorted(path.name for path in (app_context.data_dir / "journals").glob("*.sqlite3"))
    assert len(names) == 2 and "demo.sqlite3" in names
    assert "bob" not in "".join(names)  # the file's name does not say whose it is


def demo_exchange_url(app_context: AppContext) -> str:
    return app_context.connection.demo.server.url


@pytest.fixture
def damaged_journal(app_data_dir: Path) -> Path:
    """The demo account's journal file, overwritten with something that is not a database."""
    path = app_data_dir / "journals" / "demo.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database, it was damaged " * 200)
    return path


def test_a_damaged_journal_is_told_in_one_sentence_and_money_still_moves(
    damaged_journal, qtbot, window, app_context
):
    sentence = open_problem_sentence(ValueError())
    qtbot.waitUntil(lambda: window.status.news_text() == sentence, timeout=WAIT_MS)
    activity = window.show_screen(ActivityScreen.NAME)
    qtbot.waitUntil(lambda: activity.records.state_text() == sentence, timeout=WAIT_MS)

    withdraw = open_withdraw(qtbot, window, "BTC")
    fill(qtbot, withdraw, new_address("BTC"), "0.1")
    qtbot.mouseClick(open_confirmation(qtbot, withdraw).confirm_button,
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not withdraw.action.is_busy(), timeout=WAIT_MS)
    assert withdraw.sent_address()  # sent all the same: the status bar said why unrecorded
    assert damaged_journal.read_bytes().startswith(b"this is not a database")
