"""The Coupons screen on the embedded demo exchange, driven as a person would (real HTTP)."""

from __future__ import annotations

import itertools
import logging
import re
import stat
import sys
import threading
from decimal import Decimal
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cryptex_desktop.api.errors import ConnectError, OutcomeUnknown
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import (
    KEPT_IN_KEYCHAIN,
    ONLY_TIME,
    CouponCreatedDialog,
)
from cryptex_desktop.ui.screens.coupons import CouponsScreen
from cryptex_desktop.ui.widgets.coupon_code_edit import group_coupon_code
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import Tone
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


def shown_code(qtbot, shown: CouponCreatedDialog) -> str:
    """Copy the code as the person would, and return exactly what reached the clipboard."""
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)
    return QGuiApplication.clipboard().text()


def top(widget: QWidget) -> int:
    """Where ``widget`` sits in its window, after the layouts have caught up."""
    for _ in range(3):  # nested layouts each settle on their own posted request
        QApplication.processEvents()
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()


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
    code = shown_code(qtbot, shown)  # Copy gives the code itself, without the display spaces
    assert CODE_SHAPE.match(code)
    assert shown.code_label.text() == group_coupon_code(code)  # CTX-USD-Ab3d Ef7h-…
    assert shown.code_label.text() != code
    assert shown.code_label.font().family() == monospace_font().family()
    assert is_monospace(shown.code_label.font())
    # The test's keychain takes the code: the dialog says Coupons can show it again.
    qtbot.waitUntil(lambda: shown.warning_label.text() == KEPT_IN_KEYCHAIN, timeout=WAIT_MS)
    assert screen.amount_edit.text() == ""  # the form is cleared after success
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)  # copied: no question
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)
    assert screen.create_result_label.text() == "A coupon for 12.50 USD was created."
    assert screen.create_result_label.tone() is Tone.SUCCESS
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

    qtbot.waitUntil(lambda: not screen.redeem_action.is_busy(), timeout=WAIT_MS)
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
    code = shown_code(qtbot, shown)
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)

    redeem_in_the_app(qtbot, screen, code)  # the demo account is not bob

    assert screen.redeem_result_label.text() == (
        "This coupon was made for another Cryptex user, and only they can redeem it."
    )
    assert screen.redeem_result_label.is_problem()
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

    assert screen.redeem_result_label.text().startswith(
        "This coupon has already been redeemed, so it cannot be used again."
    )
    assert screen.redeem_result_label.is_problem()
    assert screen.code_edit.text() == code

    qtbot.keyClick(screen.code_edit, Qt.Key.Key_Backspace)  # editing the code: the refusal goes
    assert screen.redeem_result_label.text() == ""
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

    assert screen.redeem_result_label.text() == (
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

    qtbot.waitUntil(lambda: not screen.create_action.is_busy(), timeout=WAIT_MS)
    assert screen.create_result_label.text() == (
        "Cryptex holds coupons above 1 BTC for a manual check. The amount has left your "
        "available balance and is reserved; the code is issued once the check passes "
        "(on cryptex.net)."
    )
    assert screen.created_dialog is None
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("BTC") == Decimal("0.5"),
                    timeout=WAIT_MS)
    assert app_context.wallet.total["BTC"] == Decimal("2")  # reserved, not gone


def test_a_coupon_amount_with_a_thousands_comma_says_how_it_was_read(qtbot, window):
    screen = open_coupons(qtbot, window, "USD")
    qtbot.keyClicks(screen.amount_edit, "1,000")
    assert screen.amount_edit.amount() == Decimal("1000")
    assert screen.amount_message.text() == "Read as 1,000 USD"
    assert not screen.amount_message.is_problem()
    assert screen.create_button.isEnabled()
    qtbot.keyClicks(screen.amount_edit, ",5")  # "1,000,5": a broken group
    assert screen.amount_message.is_problem()
    assert not screen.create_button.isEnabled()


def test_cancel_in_the_coupon_confirmation_creates_nothing(qtbot, window, app_context):
    screen = open_coupons(qtbot, window, "EUR")
    confirmation = open_create_confirmation(qtbot, screen, "20")
    assert confirmation.confirm_button.text() == "Create coupon for 20.00 EUR"
    qtbot.mouseClick(confirmation.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.confirm_dialog is None, timeout=WAIT_MS)
    assert not screen.create_button.is_busy()
    assert screen.amount_edit.text() == "20"
    assert free_on_exchange(qtbot, app_context, "EUR") == Decimal("5000")


@pytest.fixture
def no_keychain(memory_keyring) -> None:
    """No keychain works, so a new code is shown only once (memory_keyring restores it)."""
    keyring.set_keyring(fail.Keyring())


def test_closing_the_code_window_without_keeping_the_code_asks_first(
    qtbot, window, app_context, tmp_path, no_keychain
):
    screen = open_coupons(qtbot, window, "USD")
    shown = create_in_the_app(qtbot, screen, "7")
    assert shown.warning_label.text() == ONLY_TIME
    on_show = shown.code_label.text()

    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    question = modal_dialog(qtbot, QMessageBox)
    assert question.text() == "Close without keeping the code?"
    qtbot.mouseClick(shown.go_back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown.close_question is None, timeout=WAIT_MS)
    assert shown.isVisible() and shown.code_label.text() == on_show

    saved = tmp_path / "coupon.txt"
    shown.save_to(saved)
    text = saved.read_text(encoding="utf-8")
    code = "".join(on_show.split())  # the file holds the code itself, not the display groups
    assert CODE_SHAPE.match(code)
    assert f"Code: {code}\n" in text and "Amount: 7.00 USD" in text
    if sys.platform != "win32":
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert shown.status_label.text() == f"Saved the code to {saved}."

    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)  # saved: no question
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)


def test_close_anyway_forgets_the_code(qtbot, window, app_context, no_keychain):
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

    qtbot.waitUntil(lambda: not screen.create_action.is_busy(), timeout=WAIT_MS)
    assert screen.create_result_label.text().startswith(
        "There is no Cryptex user called “nobody”.")
    assert screen.create_result_label.is_problem()
    assert screen.amount_edit.text() == "4" and screen.recipient_edit.text() == "nobody"
    assert free_on_exchange(qtbot, app_context, "USD") == Decimal("10000")

    screen.recipient_edit.selectAll()  # the person clears the name: the sentence was about it
    qtbot.keyClick(screen.recipient_edit, Qt.Key.Key_Delete)
    assert screen.recipient_edit.text() == ""
    assert screen.create_result_label.text() == ""


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

    qtbot.waitUntil(lambda: not screen.create_action.is_busy(), timeout=WAIT_MS)
    assert screen.create_result_label.text() == (
        "Your balance has not changed: it did not go through. No coupon was made; you can "
        "create it again."
    )
    assert screen.create_result_label.is_problem()
    assert screen.amount_edit.text() == "9"
    assert not screen.create_button.is_busy()


def test_create_coupon_and_redeem_stay_put_when_a_hint_or_a_problem_appears(qtbot, window):
    window.resize(window.minimumSize())  # the narrowest window: sentences wrap soonest
    screen = open_coupons(qtbot, window, "BTC")
    create_at, redeem_at = top(screen.create_button), top(screen.redeem_button)

    qtbot.keyClicks(screen.amount_edit, "1.5")  # above the review limit: a hint
    assert screen.amount_message.text().startswith("Above 1 BTC")
    qtbot.keyClicks(screen.recipient_edit, "bob smith")  # a problem under the recipient
    assert screen.recipient_message.is_problem()
    assert top(screen.create_button) == create_at

    qtbot.keyClicks(screen.code_edit, "CTX-USD-Ab3dEf7h-1234")  # a cut-off code
    assert screen.code_message.is_problem()
    assert top(screen.redeem_button) == redeem_at
    screen.amount_edit.clear()
    qtbot.keyClicks(screen.amount_edit, "99")  # more than there is: a problem
    assert screen.amount_message.is_problem()
    assert top(screen.create_button) == create_at


def test_a_grouped_code_pasted_into_redeem_is_redeemed(qtbot, window, app_context):
    code = coupon_code(qtbot, app_context, "USD", "6")
    screen = open_coupons(qtbot, window, "USD")
    QGuiApplication.clipboard().setText(group_coupon_code(code))
    screen.code_edit.setFocus()
    screen.code_edit.paste()
    assert screen.code_edit.code() == code
    qtbot.mouseClick(screen.redeem_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.redeem_action.is_busy(), timeout=WAIT_MS)
    assert screen.redeem_result_label.text() == "6.00 USD was added to your balance."
    assert screen.redeem_result_label.tone() is Tone.SUCCESS


def test_every_control_of_both_panels_has_a_name_and_tab_goes_left_then_right(qtbot, window):
    screen = open_coupons(qtbot, window, "USD")
    order = [screen.currency_combo, screen.amount_edit, screen.max_button,
             screen.recipient_edit, screen.create_button, screen.code_edit,
             screen.redeem_button]
    for widget in order:
        assert widget.accessibleName(), widget
    for earlier, later in itertools.pairwise(order):
        following = earlier.nextInFocusChain()
        while not (following.focusPolicy() & Qt.FocusPolicy.TabFocus) \
                or not following.isVisible():
            following = following.nextInFocusChain()
        assert following is later, (earlier.accessibleName(), following.accessibleName())


def test_another_account_clears_both_outcomes_and_keeps_what_is_typed(
    qtbot, window, app_context
):
    screen = open_coupons(qtbot, window, "USD")
    confirmation = open_create_confirmation(qtbot, screen, "4", recipient="nosuchuser")
    qtbot.mouseClick(confirmation.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.create_action.is_busy(), timeout=WAIT_MS)
    assert screen.create_result_label.is_problem()
    redeem_in_the_app(qtbot, screen, "CTX-USD-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB")
    assert screen.redeem_result_label.is_problem()

    screen.account_changed()

    assert screen.create_result_label.text() == "" and screen.redeem_result_label.text() == ""
    assert screen.recipient_edit.text() == "nosuchuser" and screen.amount_edit.text() == "4"
