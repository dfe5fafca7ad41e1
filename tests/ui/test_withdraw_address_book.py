"""The Withdraw screen's address book: a named destination is remembered across a restart,
offered as its name or address is typed, named in the confirmation; a new one is said new.

Driven as a person would, on the embedded demo exchange (real HTTP), with the journal the
app keeps in its data folder.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.models.address_book import short_address
from cryptex_desktop.ui.screens.withdraw import WithdrawScreen, new_destination_sentence
from tests.gui_checks import WAIT_MS
from tests.ui.test_withdraw_screen import _next_focusable, open_confirmation, open_withdraw

NEW = "You have not sent to this address before: check it character by character."


def book_read(qtbot, screen: WithdrawScreen) -> None:
    """Wait for the journal's answer about the destinations sent to before."""
    qtbot.waitUntil(lambda: screen.address_book.loaded, timeout=WAIT_MS)


def send(qtbot, screen: WithdrawScreen, dialog: ConfirmDialog) -> None:
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.action.is_busy(), timeout=WAIT_MS)


def offered(screen: WithdrawScreen) -> list[str]:
    """The rows of the suggestion list open under the address field."""
    completer = screen.address_edit.suggestions
    assert completer is not None
    rows = completer.completionModel()
    return [rows.index(row, 0).data() for row in range(rows.rowCount())]


def suggestion_list(screen: WithdrawScreen) -> QAbstractItemView:
    completer = screen.address_edit.suggestions
    assert completer is not None
    popup = completer.popup()
    assert popup is not None
    return popup


def type_address(qtbot, screen: WithdrawScreen, text: str) -> None:
    screen.address_edit.clear()
    qtbot.keyClicks(screen.address_edit, text)


def test_a_named_destination_is_offered_by_name_and_address_after_a_restart(
    qtbot, window, app_context, start_again
):
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    savings = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, savings)
    qtbot.keyClicks(screen.name_edit, "Savings")
    qtbot.keyClicks(screen.amount_edit, "0.25")
    dialog = open_confirmation(qtbot, screen)
    assert dialog.value_text("To") == f"Savings ({short_address(savings)})"
    assert dialog.value_text("To address") == savings
    assert dialog.warning_texts() == [NEW]  # never sent to before
    send(qtbot, screen, dialog)
    assert screen.sent_address() == savings
    assert screen.name_edit.text() == ""

    window, context = start_again(window, app_context)
    assert context is not app_context and context.journal.account_name == "demo"
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    entry = f"Savings — {savings}"

    # The first letters of the name offer it; arrows and Enter choose it.
    type_address(qtbot, screen, "sav")
    qtbot.waitUntil(screen.address_edit.is_suggesting, timeout=WAIT_MS)
    assert offered(screen) == [entry]
    popup = suggestion_list(screen)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert screen.address_edit.text() == savings
    assert screen.name_edit.text() == "Savings"
    assert not screen.address_edit.is_suggesting()
    assert screen.confirm_dialog is None  # Enter in the list chose; it did not send

    # The first characters of the address offer it too; a click chooses it.
    type_address(qtbot, screen, savings[:6])
    qtbot.waitUntil(screen.address_edit.is_suggesting, timeout=WAIT_MS)
    assert offered(screen) == [entry]
    row = popup.visualRect(popup.model().index(0, 0)).center()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert screen.address_edit.text() == savings
    assert screen.name_edit.text() == "Savings"

    # Down in an empty field opens the whole list, as in a combo box.
    screen.address_edit.clear()
    assert not screen.address_edit.is_suggesting()
    qtbot.keyClick(screen.address_edit, Qt.Key.Key_Down)
    assert screen.address_edit.is_suggesting()
    assert offered(screen) == [entry]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert screen.address_edit.text() == savings

    # The confirmation names it, and does not call it new.
    qtbot.keyClicks(screen.amount_edit, "0.1")
    dialog = open_confirmation(qtbot, screen)
    assert dialog.value_text("To") == f"Savings ({short_address(savings)})"
    assert dialog.value_text("To address") == savings
    assert dialog.warning_texts() == []
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_a_new_address_is_said_to_be_new_and_once_used_it_is_not(qtbot, window):
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    recipient = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, recipient)
    qtbot.keyClicks(screen.amount_edit, "0.1")
    dialog = open_confirmation(qtbot, screen)
    assert dialog.warning_texts() == [new_destination_sentence()] == [NEW]
    assert "To" not in dialog.values  # no name given, none saved
    send(qtbot, screen, dialog)
    assert screen.sent_address() == recipient

    # Typed again in full: not new, and nothing left to suggest.
    qtbot.keyClicks(screen.address_edit, recipient)
    qtbot.keyClicks(screen.amount_edit, "0.1")
    assert not screen.address_edit.is_suggesting()
    dialog = open_confirmation(qtbot, screen)
    assert dialog.warning_texts() == []
    send(qtbot, screen, dialog)

    # Another coin's list does not offer it.
    screen = open_withdraw(qtbot, window, "LTC")
    assert screen.address_book.entries() == []
    screen = open_withdraw(qtbot, window, "BTC")
    assert [entry.address for entry in screen.address_book.entries()] == [recipient]


def test_a_known_address_pasted_shows_its_name_and_a_name_typed_by_hand_stays(
    qtbot, window
):
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    home = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, home)
    qtbot.keyClicks(screen.name_edit, "Home")
    qtbot.keyClicks(screen.amount_edit, "0.1")
    send(qtbot, screen, open_confirmation(qtbot, screen))
    qtbot.waitUntil(lambda: screen.address_book.label_of(home) == "Home", timeout=WAIT_MS)

    screen.address_edit.setText(home)
    assert screen.name_edit.text() == "Home"
    screen.address_edit.setText(new_address("BTC"))
    assert screen.name_edit.text() == ""  # the name was the known address's, not typed

    screen.address_edit.clear()
    qtbot.keyClicks(screen.name_edit, "Cold storage")
    screen.address_edit.setText(home)
    assert screen.name_edit.text() == "Cold storage"
    qtbot.keyClicks(screen.amount_edit, "0.1")
    dialog = open_confirmation(qtbot, screen)
    assert dialog.value_text("To") == f"Cold storage ({short_address(home)})"
    send(qtbot, screen, dialog)
    qtbot.waitUntil(lambda: screen.address_book.label_of(home) == "Cold storage",
                    timeout=WAIT_MS)


def test_a_coupon_code_as_a_name_is_refused_before_anything_is_sent(qtbot, window):
    screen = open_withdraw(qtbot, window, "BTC")
    qtbot.keyClicks(screen.address_edit, new_address("BTC"))
    qtbot.keyClicks(screen.amount_edit, "0.1")
    assert screen.withdraw_button.isEnabled()
    qtbot.keyClicks(screen.name_edit, "CTX-BTC-" + "-".join(["Ab3dEf7h"] * 4))
    assert screen.name_message.text().startswith("This looks like a coupon code")
    assert not screen.withdraw_button.isEnabled()


def test_another_account_does_not_see_this_ones_destinations(
    qtbot, window, app_context, demo_exchange
):
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    savings = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, savings)
    qtbot.keyClicks(screen.name_edit, "Savings")
    qtbot.keyClicks(screen.amount_edit, "0.1")
    send(qtbot, screen, open_confirmation(qtbot, screen))
    qtbot.waitUntil(lambda: len(screen.address_book.entries()) == 1, timeout=WAIT_MS)

    bob = demo_exchange.create_user("bob", {"BTC": Decimal("1")})
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_live(
            app_context.connection.demo.server.url, Credentials(bob.username, bob.key, bob.secret))
    qtbot.waitUntil(lambda: app_context.journal.account_name.startswith("live-"),
                    timeout=WAIT_MS)
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    assert screen.address_book.entries() == []
    qtbot.keyClicks(screen.address_edit, savings[:6])
    assert not screen.address_edit.is_suggesting()
    screen.address_edit.setText(savings)
    assert screen.name_edit.text() == ""
    qtbot.keyClicks(screen.amount_edit, "0.1")
    dialog = open_confirmation(qtbot, screen)
    assert "To" not in dialog.values
    assert dialog.warning_texts() == [NEW]  # new for this account
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_a_saved_name_can_be_forgotten_after_a_confirmation(qtbot, window, app_context):
    screen = open_withdraw(qtbot, window, "BTC")
    book_read(qtbot, screen)
    savings = new_address("BTC")
    qtbot.keyClicks(screen.address_edit, savings)
    qtbot.keyClicks(screen.name_edit, "Savings")
    assert not screen.forget_name_button.isEnabled()  # nothing saved under this name yet
    qtbot.keyClicks(screen.amount_edit, "0.25")
    send(qtbot, screen, open_confirmation(qtbot, screen))

    type_address(qtbot, screen, savings)
    qtbot.waitUntil(lambda: screen.name_edit.text() == "Savings", timeout=WAIT_MS)
    assert screen.forget_name_button.isEnabled()
    assert screen.forget_name_button.accessibleName()
    assert _next_focusable(screen.name_edit) is screen.forget_name_button  # Tab reaches it
    qtbot.mouseClick(screen.forget_name_button, Qt.MouseButton.LeftButton)
    question = screen.forget_name_dialog
    assert question is not None
    assert question.value_text("Name") == "Savings"
    assert question.value_text("Address") == savings
    qtbot.mouseClick(question.cancel_button, Qt.MouseButton.LeftButton)  # no: it stays
    qtbot.waitUntil(lambda: screen.forget_name_dialog is None, timeout=WAIT_MS)
    assert screen.address_book.label_of(savings) == "Savings"

    qtbot.mouseClick(screen.forget_name_button, Qt.MouseButton.LeftButton)
    question = screen.forget_name_dialog
    assert question is not None
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.address_book.label_of(savings) == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.name_edit.text() == "", timeout=WAIT_MS)
    assert not screen.forget_name_button.isEnabled()
    assert screen.result_label.text() == "The name “Savings” is forgotten."
    assert screen.address_book.is_known(savings)  # still a destination sent to before
    type_address(qtbot, screen, "Sav")
    assert f"Savings — {savings}" not in offered(screen)
