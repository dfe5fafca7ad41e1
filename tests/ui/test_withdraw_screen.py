"""The Withdraw screen on the embedded demo exchange, driven as a person would (real HTTP)."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from cryptex_desktop.api.addresses import InvalidAddress, new_address, validate_address
from cryptex_desktop.api.errors import ConnectError, OutcomeUnknown
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.screens.withdraw import WithdrawScreen
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import Tone
from tests.exchange_helpers import coupon_code, free_on_exchange, outgoing_on_exchange
from tests.gui_checks import WAIT_MS, is_monospace, modal_dialog

NOTE = "This cannot be undone. Check the address: coins sent to a wrong address are lost."
SENT = ("{money} is on its way to the address below. It needs {n} confirmations; you can "
        "follow it on the Deposit tab.")


def top(widget: QWidget) -> int:
    """Where ``widget`` sits in its window, after the layouts have caught up."""
    for _ in range(3):  # nested layouts each settle on their own posted request
        QApplication.processEvents()
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()


def sent_by_the_screen(qtbot, screen: WithdrawScreen) -> None:
    """Wait for the withdrawal to be over, one way or another."""
    qtbot.waitUntil(lambda: not screen.action.is_busy(), timeout=WAIT_MS)


def open_withdraw(qtbot, window, currency: str = "BTC") -> WithdrawScreen:
    screen = window.show_screen(WithdrawScreen.NAME)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData(currency))
    qtbot.waitUntil(lambda: screen.available_label.text().endswith(f" {currency}"),
                    timeout=WAIT_MS)
    return screen


def fill(qtbot, screen: WithdrawScreen, address: str, amount: str) -> None:
    qtbot.keyClicks(screen.address_edit, address)
    qtbot.keyClicks(screen.amount_edit, amount)


def mistype(address: str) -> str:
    """The address with one character of its data part swapped for another valid one."""
    position = len(address) - 10
    replacement = "q" if address[position] != "q" else "p"
    return address[:position] + replacement + address[position + 1:]


def open_confirmation(qtbot, screen: WithdrawScreen) -> ConfirmDialog:
    qtbot.mouseClick(screen.withdraw_button, Qt.MouseButton.LeftButton)
    return modal_dialog(qtbot, ConfirmDialog)


def test_withdrawing_to_a_valid_address_sends_the_coins_and_lists_the_outgoing_transaction(
    qtbot, window, app_context
):
    screen = open_withdraw(qtbot, window, "BTC")
    recipient = new_address("BTC")
    assert screen.available_label.text() == "Available: 2.00000000 BTC"
    assert not screen.withdraw_button.isEnabled()  # nothing typed yet

    fill(qtbot, screen, recipient, "0.5")
    assert screen.address_message.text() == ""
    assert screen.amount_message.text() == ""
    assert screen.withdraw_button.isEnabled()

    dialog = open_confirmation(qtbot, screen)
    assert dialog.value_text("You send") == "0.50000000 BTC"
    assert dialog.value_text("To address") == recipient
    assert dialog.values["To address"].font().family() == monospace_font().family()
    assert is_monospace(dialog.values["To address"].font())
    assert dialog.value_text("Available afterwards") == "1.50000000 BTC"
    assert dialog.note.text() == NOTE
    assert dialog.confirm_button.text() == "Send 0.5 BTC"

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    # Busy at once: it cannot be pressed again, and the form cannot change under it.
    assert screen.withdraw_button.is_busy()
    assert not screen.withdraw_button.isEnabled()
    assert not screen.amount_edit.isEnabled()
    screen.request_withdraw()
    assert screen.confirm_dialog is None

    sent_by_the_screen(qtbot, screen)
    assert screen.result_label.text() == SENT.format(money="0.5 BTC", n=3)
    assert screen.result_label.tone() is Tone.SUCCESS
    # The address under the sentence, in the font that tells l from 1 and O from 0.
    assert screen.sent_address() == recipient
    assert screen.sent_address_label.font().family() == monospace_font().family()
    assert not screen.withdraw_button.is_busy()
    assert screen.address_edit.text() == "" and screen.amount_edit.text() == ""
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("BTC") == Decimal("1.5"),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.available_label.text() == "Available: 1.50000000 BTC",
                    timeout=WAIT_MS)
    assert outgoing_on_exchange(qtbot, app_context) == [(recipient, Decimal("-0.5"))]


def test_a_mistyped_address_shows_the_checksum_sentence_and_nothing_can_be_sent(
    qtbot, window
):
    screen = open_withdraw(qtbot, window, "BTC")
    typo = mistype(new_address("BTC"))
    with pytest.raises(InvalidAddress) as refusal:
        validate_address("BTC", typo)

    fill(qtbot, screen, typo, "0.1")

    assert "checksum" in str(refusal.value)
    assert screen.address_message.text() == str(refusal.value)
    assert screen.address_message.is_problem()
    assert not screen.withdraw_button.isEnabled()
    qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)  # Enter does not get around it
    assert screen.confirm_dialog is None


def test_cancel_in_the_confirmation_sends_nothing_and_keeps_what_was_typed(
    qtbot, window, app_context
):
    screen = open_withdraw(qtbot, window, "BTC")
    recipient = new_address("BTC")
    fill(qtbot, screen, recipient, "0.25")

    qtbot.keyClick(screen.amount_edit, Qt.Key.Key_Return)  # Enter opens the confirmation
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.confirm_button.text() == "Send 0.25 BTC"
    assert dialog.cancel_button.isDefault()  # a stray Enter in the dialog sends nothing
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.confirm_dialog is None, timeout=WAIT_MS)
    assert not screen.withdraw_button.is_busy()
    assert screen.address_edit.text() == recipient and screen.amount_edit.text() == "0.25"
    assert outgoing_on_exchange(qtbot, app_context) == []
    assert free_on_exchange(qtbot, app_context, "BTC") == Decimal("2")


def test_an_amount_above_what_is_available_is_refused_as_typed_and_max_fills_it_in(
    qtbot, window
):
    screen = open_withdraw(qtbot, window, "LTC")
    assert screen.available_label.text() == "Available: 50.00000000 LTC"
    fill(qtbot, screen, new_address("LTC"), "50.5")

    assert screen.amount_message.text() == "You have 50 LTC available; enter that or less."
    assert not screen.withdraw_button.isEnabled()

    qtbot.mouseClick(screen.max_button, Qt.MouseButton.LeftButton)
    assert screen.amount_edit.text() == "50"
    assert screen.amount_message.text() == ""
    assert screen.withdraw_button.isEnabled()


def test_one_thousand_with_a_comma_is_one_thousand_and_refused_for_the_balance(qtbot, window):
    screen = open_withdraw(qtbot, window, "BTC")
    assert screen.available_label.text() == "Available: 2.00000000 BTC"
    fill(qtbot, screen, new_address("BTC"), "1,000")

    # Never read as 1 BTC, which the balance would cover.
    assert screen.amount_edit.typed_amount() == Decimal("1000")
    assert screen.amount_edit.amount() is None
    assert screen.amount_message.text() == "You have 2 BTC available; enter that or less."
    assert screen.amount_message.is_problem()
    assert not screen.withdraw_button.isEnabled()

    screen.amount_edit.setText("1.5")
    assert screen.amount_edit.amount() == Decimal("1.5")
    assert screen.amount_message.text() == ""
    assert screen.withdraw_button.isEnabled()


def test_only_coins_are_offered_fiat_is_explained_and_the_choice_is_remembered(
    qtbot, window, app_context
):
    screen = open_withdraw(qtbot, window, "BTC")
    offered = [screen.currency_combo.itemData(i) for i in range(screen.currency_combo.count())]
    assert offered == ["BTC", "LTC"]
    assert "bank transfer" in screen.fiat_note.text()

    qtbot.keyClicks(screen.address_edit, new_address("BTC"))
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("LTC"))

    assert screen.address_message.text() == (
        "This looks like a Bitcoin address, but you chose Litecoin."
    )
    assert screen.available_label.text() == "Available: 50.00000000 LTC"
    assert app_context.settings.view_state(WithdrawScreen.NAME, "currency") == "LTC"


def test_a_lost_answer_is_checked_with_the_exchange_and_never_sent_twice(
    qtbot, window, app_context, monkeypatch
):
    client = app_context.dispatcher.client
    sends: list[str] = []
    real_withdraw = client.withdraw

    def answer_lost(amount, address, currency):
        sends.append(address)
        real_withdraw(amount, address, currency)  # it reached the exchange...
        raise OutcomeUnknown("Withdraw", ConnectError(client.host))  # ...the answer did not

    # Hold the check until the screen has said that it is checking.
    may_check = threading.Event()
    real_unconfirmed = client.unconfirmed_transactions

    def unconfirmed_after_the_send(*args, **kwargs):
        if sends:
            may_check.wait(timeout=WAIT_MS / 1000)
        return real_unconfirmed(*args, **kwargs)

    monkeypatch.setattr(client, "withdraw", answer_lost)
    monkeypatch.setattr(client, "unconfirmed_transactions", unconfirmed_after_the_send)
    screen = open_withdraw(qtbot, window, "BTC")
    recipient = new_address("BTC")
    fill(qtbot, screen, recipient, "0.3")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(
        lambda: screen.result_label.text() == "Checking with the exchange what happened…",
        timeout=WAIT_MS,
    )
    assert screen.withdraw_button.is_busy()
    may_check.set()

    sent_by_the_screen(qtbot, screen)
    assert screen.result_label.text() == (
        "The withdrawal was sent and is being confirmed. " + SENT.format(money="0.3 BTC", n=3))
    assert screen.sent_address() == recipient
    assert sends == [recipient]
    monkeypatch.undo()
    assert outgoing_on_exchange(qtbot, app_context) == [(recipient, Decimal("-0.3"))]
    assert free_on_exchange(qtbot, app_context, "BTC") == Decimal("1.7")


def test_a_lost_request_that_never_arrived_is_reported_and_the_form_kept(
    qtbot, window, app_context, monkeypatch
):
    client = app_context.dispatcher.client

    def lost_on_the_way(amount, address, currency):
        raise OutcomeUnknown("Withdraw", ConnectError(client.host))

    monkeypatch.setattr(client, "withdraw", lost_on_the_way)
    screen = open_withdraw(qtbot, window, "BTC")
    recipient = new_address("BTC")
    fill(qtbot, screen, recipient, "0.2")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)

    sent_by_the_screen(qtbot, screen)
    assert screen.result_label.text() == (
        "The exchange does not list this withdrawal yet. Your BTC balance has not changed "
        "either, so it did not go through. Nothing was sent; you can try again."
    )
    assert screen.result_label.is_problem() and screen.sent_address() == ""
    assert screen.address_edit.text() == recipient and screen.amount_edit.text() == "0.2"
    assert not screen.withdraw_button.is_busy()
    monkeypatch.undo()
    assert free_on_exchange(qtbot, app_context, "BTC") == Decimal("2")


def test_a_refusal_from_the_exchange_is_a_sentence_and_everything_typed_stays(
    qtbot, window, app_context
):
    screen = open_withdraw(qtbot, window, "BTC")
    # Keep the app's idea of the balance as it is now: no timer, no refresh still queued.
    app_context.refresher.stop()
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    # Behind the screen's back, 1.5 BTC goes into a coupon held for review.
    coupon_code(qtbot, app_context, "BTC", "1.5")
    assert screen.available_label.text() == "Available: 2.00000000 BTC"
    recipient = new_address("BTC")
    fill(qtbot, screen, recipient, "1")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)

    sent_by_the_screen(qtbot, screen)
    assert screen.result_label.text().startswith("You do not have enough funds for this")
    assert "Traceback" not in screen.result_label.text()
    assert screen.result_label.is_problem()
    assert screen.address_edit.text() == recipient and screen.amount_edit.text() == "1"
    assert outgoing_on_exchange(qtbot, app_context) == []
    # The balance is asked for again, so the form now knows the real limit; the refusal
    # stays while what was refused is still typed.
    qtbot.waitUntil(lambda: screen.available_label.text() == "Available: 0.50000000 BTC",
                    timeout=WAIT_MS)
    assert screen.result_label.is_problem()
    assert not screen.withdraw_button.isEnabled()

    # The person edits the amount: the refusal was about the old one, so it goes.
    screen.amount_edit.clear()
    qtbot.keyClicks(screen.amount_edit, "0.4")
    assert screen.result_label.text() == ""
    assert screen.withdraw_button.isEnabled()


def test_could_not_reach_the_exchange_goes_once_balances_come_in_again(
    qtbot, window, app_context, monkeypatch
):
    client = app_context.dispatcher.client

    def unreachable(amount, address, currency):
        raise ConnectError(client.host)

    monkeypatch.setattr(client, "withdraw", unreachable)
    app_context.refresher.stop()  # any answer clears the message: none may come in between
    screen = open_withdraw(qtbot, window, "BTC")
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    recipient = new_address("BTC")
    fill(qtbot, screen, recipient, "0.1")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)
    sent_by_the_screen(qtbot, screen)
    assert screen.result_label.text().startswith("Could not reach the exchange")
    assert "nothing was sent" in screen.result_label.text()
    assert "try again by itself" not in screen.result_label.text()

    app_context.wallet.refresh()  # the exchange answers again

    qtbot.waitUntil(lambda: screen.result_label.text() == "", timeout=WAIT_MS)
    assert screen.address_edit.text() == recipient and screen.amount_edit.text() == "0.1"


def test_another_account_clears_the_outcome_but_keeps_what_is_typed(qtbot, window):
    screen = open_withdraw(qtbot, window, "BTC")
    fill(qtbot, screen, new_address("BTC"), "0.1")
    qtbot.mouseClick(open_confirmation(qtbot, screen).confirm_button, Qt.MouseButton.LeftButton)
    sent_by_the_screen(qtbot, screen)
    assert screen.sent_address() != ""
    typed = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, typed)

    screen.account_changed()

    assert screen.result_label.text() == "" and screen.sent_address() == ""
    assert screen.address_edit.text() == typed


def test_the_amount_row_and_the_button_stay_put_when_the_address_gets_a_sentence(
    qtbot, window
):
    window.resize(window.minimumSize())  # the narrowest window: sentences wrap soonest
    screen = open_withdraw(qtbot, window, "BTC")
    amount_at, button_at = top(screen.amount_edit), top(screen.withdraw_button)

    qtbot.keyClicks(screen.address_edit, mistype(new_address("BTC")))
    assert screen.address_message.is_problem()
    assert top(screen.amount_edit) == amount_at and top(screen.withdraw_button) == button_at

    screen.address_edit.clear()
    qtbot.keyClicks(screen.address_edit, "0x52908400098527886E0F7030069857D2E4169EE7")
    assert screen.address_message.is_problem()
    assert top(screen.amount_edit) == amount_at and top(screen.withdraw_button) == button_at


def test_every_control_has_a_name_and_tab_follows_the_form_from_top_to_bottom(qtbot, window):
    screen = open_withdraw(qtbot, window, "BTC")
    order = [screen.currency_combo, screen.address_edit, screen.name_edit,
             screen.forget_name_button, screen.amount_edit, screen.max_button,
             screen.withdraw_button]
    for widget in order:
        assert widget.accessibleName(), widget
    for earlier, later in itertools.pairwise(order):
        assert _next_focusable(earlier) is later
    assert screen.fiat_note.isVisible()
    assert "bank transfer" in screen.fiat_note.text()
    assert any("What is a confirmation?" in label.text()
               for label in screen.help.findChildren(QLabel))


def _next_focusable(widget: QWidget) -> QWidget:
    """The next widget the Tab key reaches after ``widget``."""
    candidate = widget.nextInFocusChain()
    while not (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus) or not candidate.isVisible():
        candidate = candidate.nextInFocusChain()
    return candidate


def test_a_confirmation_open_when_the_account_changes_is_closed_and_sends_nothing(
    qtbot, window, app_context
):
    screen = open_withdraw(qtbot, window, "BTC")
    fill(qtbot, screen, new_address("BTC"), "0.2")
    dialog = open_confirmation(qtbot, screen)

    screen.account_changed()  # what was confirmed was for the other account

    qtbot.waitUntil(lambda: screen.confirm_dialog is None, timeout=WAIT_MS)
    assert not dialog.isVisible()
    assert not screen.action.is_busy()
    assert outgoing_on_exchange(qtbot, app_context) == []
