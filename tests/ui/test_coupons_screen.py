"""The Coupons screen on the embedded demo exchange, driven as a person would (real HTTP)."""

from __future__ import annotations

import logging
import re
import stat
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from cryptex_desktop.api.errors import ConnectError, OutcomeUnknown
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import ONLY_TIME, CouponCreatedDialog
from cryptex_desktop.ui.screens.coupons import CouponsScreen
from tests.exchange_helpers import coupon_code, free_on_exchange
from tests.gui_checks import WAIT_MS, is_monospace, modal_dialog

CODE_SHAPE = re.compile(r"^CTX-USD(-[A-Za-z0-9]{8}){4}$")


def open_coupons(qtbot, window, currency: str = "USD") -> CouponsScreen:
    screen = window.show_screen(CouponsScreen.NAME)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData(currency))
    qtbot.waitUntil(lambda: screen.available_label.text().endswith(f" {currency}"),
                    timeout=WAIT_MS)
    return screen


def open_create_confirmation(
    qtbot, screen: CouponsScreen, amount: str, recipient: str = ""
) -> ConfirmDialog:
    qtbot.keyClicks(screen.amount_edit, amount)
    if recipient:
        qtbot.keyClicks(screen.recipient_edit, recipient)
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    return modal_dialog(qtbot, ConfirmDialog)


def create_in_the_app(qtbot, screen, amount: str, recipient: str = "") -> CouponCreatedDialog:
    dialog = open_create_confirmation(qtbot, screen, amount, recipient)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    return modal_dialog(qtbot, CouponCreatedDialog)


def redeem_in_the_app(qtbot, screen: CouponsScreen, code: str) -> None:
    screen.code_edit.clear()
    qtbot.keyClicks(screen.code_edit, code)
    assert screen.redeem_button.isEnabled()
    qtbot.mouseClick(screen.redeem_button, Qt.MouseButton.LeftButton)
    assert screen.redeem_button.is_busy()
    qtbot.waitUntil(lambda: not screen.redeem_button.is_busy(), timeout=WAIT_MS)


def switch_account(qtbot, app_context, account) -> None:
    url = app_context.connection.demo.server.url
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_live(
            url, Credentials(account.username, account.key, account.secret)
        )
    app_context.wallet.refresh()
    qtbot.waitUntil(lambda: app_context.wallet.known, timeout=WAIT_MS)


def test_a_coupon_made_here_is_redeemed_in_another_account_and_the_code_is_kept_nowhere(
    qtbot, window, app_context, demo_exchange, caplog
):
    caplog.set_level(logging.DEBUG)
    screen = open_coupons(qtbot, window, "USD")
    assert screen.available_label.text() == "Available: 10,000.00 USD"

    confirmation = open_create_confirmation(qtbot, screen, "12.5")
    assert confirmation.value_text("Coupon worth") == "12.50 USD"
    assert confirmation.value_text("Leaves your balance") == "12.50 USD"
    assert confirmation.value_text("Who can redeem it") == "Anyone who has the code"
    assert confirmation.value_text("Available afterwards") == "9,987.50 USD"
    assert confirmation.note.text() == (
        "12.50 USD leaves your balance and becomes a coupon code. Anyone who has the code can "
        "redeem it, so treat it like cash."
    )
    qtbot.mouseClick(confirmation.confirm_button, Qt.MouseButton.LeftButton)
    assert screen.create_button.is_busy()

    shown = modal_dialog(qtbot, CouponCreatedDialog)
    code = shown.code_label.text()
    assert CODE_SHAPE.match(code)
    assert is_monospace(shown.code_label.font())
    assert shown.warning_label.text() == ONLY_TIME
    assert screen.amount_edit.text() == ""  # the form is cleared after success
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == code
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)  # copied: no question
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)
    assert screen.create_result_label.text() == "A coupon for 12.50 USD was created."
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("USD") == Decimal("9987.5"),
                    timeout=WAIT_MS)

    friend = demo_exchange.create_user("alice", {})
    switch_account(qtbot, app_context, friend)
    assert app_context.wallet.free_balance("USD") == Decimal(0)
    screen.code_edit.setFocus()
    qtbot.keyClick(screen.code_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert screen.code_edit.code() == code
    assert not screen.code_edit.is_code_visible()  # masked like a password
    qtbot.mouseClick(screen.redeem_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.redeem_result_label.text() != "", timeout=WAIT_MS)
    assert screen.redeem_result_label.text() == "12.50 USD was added to your balance."
    assert screen.code_edit.text() == ""
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("USD") == Decimal("12.5"),
                    timeout=WAIT_MS)

    app_context.settings.sync()
    assert any(r.name.startswith("cryptex_desktop") for r in caplog.records)  # logs were read
    assert code not in Path(app_context.settings.path).read_text(encoding="utf-8")
    for record in caplog.records:
        assert code not in record.getMessage()
        assert code not in (record.exc_text or "")
    assert code not in caplog.text


def test_a_coupon_for_a_named_recipient_is_refused_for_anyone_else_with_a_sentence(
    qtbot, window, app_context, demo_exchange
):
    demo_exchange.create_user("bob", {})
    screen = open_coupons(qtbot, window, "USD")
    confirmation = open_create_confirmation(qtbot, screen, "5", recipient="bob")
    assert confirmation.value_text("Who can redeem it") == "Only the Cryptex user “bob”"
    qtbot.mouseClick(confirmation.confirm_button, Qt.MouseButton.LeftButton)
    shown = modal_dialog(qtbot, CouponCreatedDialog)
    assert shown.who_label.text() == "Only the Cryptex user “bob” can redeem it."
    code = shown.code_label.text()
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)

    redeem_in_the_app(qtbot, screen, code)  # the demo account is not bob

    assert screen.redeem_error.text() == (
        "This coupon was made for another Cryptex user, and only they can redeem it."
    )
    assert screen.redeem_result_label.text() == ""
    assert screen.code_edit.text() == code  # nothing typed is lost
    assert screen.redeem_button.isEnabled()


def test_redeeming_a_spent_code_says_it_was_already_redeemed(qtbot, window, app_context):
    code = coupon_code(qtbot, app_context, "USD", "3")
    screen = open_coupons(qtbot, window, "USD")

    screen.code_edit.set_code_visible(True)  # the person pressed the eye to check the code
    redeem_in_the_app(qtbot, screen, code)
    assert screen.redeem_result_label.text() == "3.00 USD was added to your balance."
    screen.code_edit.undo()  # Ctrl+Z does not bring a redeemed code back
    assert screen.code_edit.text() == ""
    assert not screen.code_edit.is_code_visible()
    redeem_in_the_app(qtbot, screen, code)

    assert screen.redeem_error.text().startswith(
        "This coupon has already been redeemed, so it cannot be used again."
    )
    assert screen.redeem_result_label.text() == ""
    assert screen.code_edit.text() == code
    assert free_on_exchange(qtbot, app_context, "USD") == Decimal("10000")


def test_a_mistyped_code_is_caught_as_typed_and_an_unknown_one_is_explained(
    qtbot, window, app_context
):
    screen = open_coupons(qtbot, window, "USD")
    qtbot.keyClicks(screen.code_edit, "CTX-USD-Ab3dEf7h-1234")
    assert screen.code_message.is_problem()
    assert "check that you copied all of it" in screen.code_message.text()
    assert not screen.redeem_button.isEnabled()
    qtbot.keyClick(screen.code_edit, Qt.Key.Key_Return)
    assert not screen.redeem_button.is_busy()

    redeem_in_the_app(qtbot, screen, "CTX-USD-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB")

    assert screen.redeem_error.text() == (
        "The exchange does not know this code. Check that you copied all of it exactly: "
        "capital and small letters matter."
    )


def test_a_btc_coupon_above_the_review_limit_explains_moderation_and_shows_no_code(
    qtbot, window, app_context
):
    screen = open_coupons(qtbot, window, "BTC")
    confirmation = open_create_confirmation(qtbot, screen, "1.5")
    assert screen.amount_message.text() == (
        "Above 1 BTC, Cryptex checks a coupon by hand before issuing its code."
    )
    assert confirmation.value_text("Coupon worth") == "1.50000000 BTC"
    assert "held for a manual check" in confirmation.note.text()
    qtbot.mouseClick(confirmation.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.create_result_label.text() != "", timeout=WAIT_MS)
    assert screen.create_result_label.text() == (
        "Cryptex holds coupons above 1 BTC for a manual check. The amount has left your "
        "available balance and is reserved; the code is issued once the check passes "
        "(on cryptex.net)."
    )
    assert screen.created_dialog is None
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("BTC") == Decimal("0.5"),
                    timeout=WAIT_MS)
    assert app_context.wallet.total["BTC"] == Decimal("2")  # reserved, not gone


def test_cancel_in_the_coupon_confirmation_creates_nothing(qtbot, window, app_context):
    screen = open_coupons(qtbot, window, "EUR")
    confirmation = open_create_confirmation(qtbot, screen, "20")
    assert confirmation.confirm_button.text() == "Create coupon for 20.00 EUR"
    qtbot.mouseClick(confirmation.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.confirm_dialog is None, timeout=WAIT_MS)
    assert not screen.create_button.is_busy()
    assert screen.amount_edit.text() == "20"
    assert free_on_exchange(qtbot, app_context, "EUR") == Decimal("5000")


def test_closing_the_code_window_without_keeping_the_code_asks_first(
    qtbot, window, app_context, tmp_path
):
    screen = open_coupons(qtbot, window, "USD")
    shown = create_in_the_app(qtbot, screen, "7")
    code = shown.code_label.text()

    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    question = modal_dialog(qtbot, QMessageBox)
    assert question.text() == "Close without keeping the code?"
    qtbot.mouseClick(shown.go_back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown.close_question is None, timeout=WAIT_MS)
    assert shown.isVisible() and shown.code_label.text() == code

    saved = tmp_path / "coupon.txt"
    shown.save_to(saved)
    text = saved.read_text(encoding="utf-8")
    assert f"Code: {code}" in text and "Amount: 7.00 USD" in text
    if sys.platform != "win32":
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert shown.status_label.text() == f"Saved the code to {saved}."

    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)  # saved: no question
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)


def test_close_anyway_forgets_the_code(qtbot, window, app_context):
    screen = open_coupons(qtbot, window, "USD")
    shown = create_in_the_app(qtbot, screen, "2")
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    modal_dialog(qtbot, QMessageBox)
    qtbot.mouseClick(shown.close_anyway_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)
    assert not any(d.isVisible() for d in screen.findChildren(CouponCreatedDialog))


def test_an_unknown_recipient_is_named_in_a_sentence_and_the_form_kept(
    qtbot, window, app_context
):
    screen = open_coupons(qtbot, window, "USD")
    confirmation = open_create_confirmation(qtbot, screen, "4", recipient="nobody")
    qtbot.mouseClick(confirmation.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.create_error.text() != "", timeout=WAIT_MS)
    assert screen.create_error.text().startswith("There is no Cryptex user called “nobody”.")
    assert screen.amount_edit.text() == "4" and screen.recipient_edit.text() == "nobody"
    assert free_on_exchange(qtbot, app_context, "USD") == Decimal("10000")


@pytest.mark.parametrize("typed", ["bob smith", "x" * 70])
def test_a_recipient_that_cannot_be_a_username_blocks_the_button(qtbot, window, typed):
    screen = open_coupons(qtbot, window, "USD")
    qtbot.keyClicks(screen.amount_edit, "1")
    qtbot.keyClicks(screen.recipient_edit, typed)
    assert screen.recipient_message.is_problem()
    assert not screen.create_button.isEnabled()


def test_a_lost_redeem_answer_is_checked_against_the_balance_and_never_resent(
    qtbot, window, app_context, monkeypatch
):
    code = coupon_code(qtbot, app_context, "USD", "12.5")
    client = app_context.dispatcher.client
    sends: list[int] = []
    real_redeem = client.coupon_redeem
    may_check = threading.Event()
    real_info = client.info

    def answer_lost(code):
        sends.append(1)
        real_redeem(code)
        raise OutcomeUnknown("CouponRedeem", ConnectError(client.host))

    def info_after_the_send(*args, **kwargs):
        if sends:  # hold the check until the screen has said that it is checking
            may_check.wait(timeout=WAIT_MS / 1000)
        return real_info(*args, **kwargs)

    monkeypatch.setattr(client, "coupon_redeem", answer_lost)
    monkeypatch.setattr(client, "info", info_after_the_send)
    screen = open_coupons(qtbot, window, "USD")
    qtbot.keyClicks(screen.code_edit, code)
    qtbot.mouseClick(screen.redeem_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(
        lambda: screen.redeem_result_label.text() == "Checking with the exchange what happened…",
        timeout=WAIT_MS,
    )
    assert screen.redeem_button.is_busy()
    may_check.set()
    qtbot.waitUntil(lambda: not screen.redeem_button.is_busy(), timeout=WAIT_MS)

    assert screen.redeem_result_label.text() == (
        "Your USD balance rose by 12.50 USD, so the coupon was redeemed."
    )
    assert screen.code_edit.text() == ""
    assert sends == [1]


def test_a_lost_create_answer_that_never_arrived_says_no_coupon_was_made(
    qtbot, window, app_context, monkeypatch
):
    client = app_context.dispatcher.client

    def lost_on_the_way(currency, amount, recipient=None):
        raise OutcomeUnknown("CouponCreate", ConnectError(client.host))

    monkeypatch.setattr(client, "coupon_create", lost_on_the_way)
    screen = open_coupons(qtbot, window, "USD")
    confirmation = open_create_confirmation(qtbot, screen, "9")
    qtbot.mouseClick(confirmation.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.create_error.text() != "", timeout=WAIT_MS)
    assert screen.create_error.text() == (
        "Your balance has not changed: it did not go through. No coupon was made; you can "
        "create it again."
    )
    assert screen.amount_edit.text() == "9"
    assert not screen.create_button.is_busy()
