"""The Deposit screen, driven as a person would, against the embedded demo exchange."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from cryptex_desktop.api.addresses import is_valid_address
from cryptex_desktop.api.errors import ConnectError, ExchangeRefusal
from cryptex_desktop.api.types import Deposit
from cryptex_desktop.ui.models.transactions import AMOUNT, CONFIRMATIONS, DIRECTION
from cryptex_desktop.ui.screens.deposit import (
    FIAT_EXPLANATION,
    DepositScreen,
    deposit_sentence,
    is_nothing_yet,
)
from cryptex_desktop.ui.widgets.fonts import monospace_font
from tests.exchange_helpers import ask_exchange
from tests.gui_checks import WAIT_MS

OUTSIDE_BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"


def open_deposit(window, currency: str) -> DepositScreen:
    screen = window.show_screen("deposit")
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData(currency))
    return screen


def get_address(qtbot, screen: DepositScreen) -> str:
    """Press "Get a new address" and wait for it to show."""
    before = screen.shown_address()
    qtbot.mouseClick(screen.new_address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.shown_address() not in ("", before), timeout=WAIT_MS)
    return screen.shown_address()


def check(qtbot, screen: DepositScreen) -> str:
    """Press "Check this address" and return the sentence it ends with."""
    qtbot.mouseClick(screen.check_button, Qt.MouseButton.LeftButton)
    assert screen.check_button.is_busy()
    qtbot.waitUntil(lambda: not screen.check_button.is_busy(), timeout=WAIT_MS)
    return screen.check_message.text()


def cell(screen: DepositScreen, row: int, column: int) -> str:
    return screen.proxy.index(row, column).data()


def test_a_new_bitcoin_address_shows_as_text_and_as_a_qr_code_that_scans_back_to_it(
    window, qtbot
):
    screen = open_deposit(window, "BTC")
    assert not screen.copy_button.isEnabled()

    qtbot.mouseClick(screen.new_address_button, Qt.MouseButton.LeftButton)
    assert screen.new_address_button.is_busy() and not screen.new_address_button.isEnabled()
    qtbot.waitUntil(lambda: bool(screen.shown_address()), timeout=WAIT_MS)
    address = screen.shown_address()

    assert is_valid_address("BTC", address)
    assert screen.address_label.text() == address
    scanned = [code.text for code in zxingcpp.read_barcodes(screen.qr.image())]
    assert scanned == [address]
    assert screen.send_only_label.text() == (
        "Send only Bitcoin (BTC) to this address. It is credited after 3 confirmations "
        "(about 30 minutes on the real network)."
    )
    assert "rule for the demo" not in screen.rules_label.text()
    assert screen.rules_label.text().startswith("A confirmation is a block mined on top")
    assert screen.rules_label.isVisible()  # said on the screen, not only on hover
    assert [row.address for row in screen.listed_addresses()] == [address]
    assert screen.copy_button.isEnabled() and not screen.new_address_button.is_busy()


def test_coins_sent_from_outside_arrive_unconfirmed_then_are_credited_after_three_blocks(
    window, app_context, demo_exchange, qtbot
):
    screen = open_deposit(window, "BTC")
    address = get_address(qtbot, screen)
    assert check(qtbot, screen) == "Nothing has arrived at this address yet."
    assert not screen.check_message.is_problem()

    subprocess.run(
        [sys.executable, "-m", "cryptex_desktop.sandbox.cli", "deposit", address, "0.25",
         "--data-dir", str(app_context.connection.demo.data_dir)],
        check=True, capture_output=True, text=True, timeout=60,
    )
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=WAIT_MS)
    qtbot.keyClick(screen.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 1, timeout=WAIT_MS)
    assert screen.transactions.is_showing_table()
    assert (cell(screen, 0, DIRECTION), cell(screen, 0, AMOUNT), cell(screen, 0, CONFIRMATIONS)) \
        == ("Incoming", "+0.25000000", "0")

    assert check(qtbot, screen) == (
        "0.25 BTC arrived: 0 of 3 confirmations. It will be credited after 3."
    )

    demo_exchange.mine(2)
    assert check(qtbot, screen) == (
        "0.25 BTC arrived: 2 of 3 confirmations. It will be credited after 3."
    )
    qtbot.waitUntil(lambda: cell(screen, 0, CONFIRMATIONS) == "2", timeout=WAIT_MS)

    app_context.refresher.stop()  # no timed refreshes: what follows comes from the screen itself
    demo_exchange.mine(1)
    assert check(qtbot, screen) == "0.25 BTC was credited to your balance."
    # Credited: no longer on its way in.
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 0, timeout=WAIT_MS)
    assert screen.transactions.state_text() == "Nothing is on its way in or out right now."
    # ...and the balance shows it at once, without waiting for the next timed refresh.
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("BTC") == Decimal("2.25"),
                    timeout=WAIT_MS)


def test_a_withdrawal_on_its_way_out_shows_as_outgoing(window, app_context, qtbot):
    screen = open_deposit(window, "BTC")
    ask_exchange(qtbot, app_context,
                 lambda client: client.withdraw(Decimal("0.01"), OUTSIDE_BTC_ADDRESS, "BTC"))

    screen.refresh()
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 1, timeout=WAIT_MS)
    assert (cell(screen, 0, DIRECTION), cell(screen, 0, AMOUNT)) == ("Outgoing", "-0.01000000")


def test_copy_puts_exactly_the_address_on_the_clipboard_by_button_and_by_ctrl_shift_c(
    window, qtbot
):
    screen = open_deposit(window, "BTC")
    address = get_address(qtbot, screen)
    clipboard = QGuiApplication.clipboard()

    clipboard.setText("something else")
    qtbot.mouseClick(screen.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == address
    assert screen.address_message.text() == "Address copied."

    clipboard.setText("something else")
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=WAIT_MS)
    qtbot.keyClick(
        screen.address_table,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert clipboard.text() == address


def test_dollars_are_explained_as_bank_transfer_or_coupon_with_no_address_button(window):
    screen = open_deposit(window, "USD")

    assert screen.fiat_label.isVisible()
    assert screen.fiat_label.text() == FIAT_EXPLANATION
    assert "bank transfer" in FIAT_EXPLANATION and "Coupons tab" in FIAT_EXPLANATION
    assert not screen.new_address_button.isVisible()
    assert not screen.qr.isVisible()
    assert not screen.copy_button.isVisible()

    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("BTC"))
    assert screen.new_address_button.isVisible() and not screen.fiat_label.isVisible()


def test_litecoin_needs_six_confirmations_and_the_chosen_coin_is_remembered(
    window, app_context, qtbot
):
    screen = open_deposit(window, "BTC")
    bitcoin = get_address(qtbot, screen)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("LTC"))
    assert screen.shown_address() == ""  # a Bitcoin address never shows under Litecoin

    litecoin = get_address(qtbot, screen)

    assert is_valid_address("LTC", litecoin)
    assert screen.send_only_label.text() == (
        "Send only Litecoin (LTC) to this address. It is credited after 6 confirmations "
        "(about 15 minutes on the real network)."
    )
    assert list(screen.session_addresses().items()) == [(litecoin, "LTC"), (bitcoin, "BTC")]
    again = DepositScreen(app_context.dispatcher, app_context.refresher, app_context.settings)
    qtbot.addWidget(again)
    assert again.currency() == "LTC"


def test_when_the_exchange_cannot_be_reached_getting_an_address_says_so_in_a_sentence(
    window, app_context, qtbot
):
    screen = open_deposit(window, "BTC")
    app_context.connection.demo.stop()

    qtbot.mouseClick(screen.new_address_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.address_message.is_problem(), timeout=WAIT_MS)
    assert screen.address_message.text().startswith("Could not reach the exchange")
    assert screen.shown_address() == "" and not screen.new_address_button.is_busy()


def test_deposit_sentences_say_what_happened_in_words():
    waiting = Deposit("addr", 0, Decimal("1.5"), 5, "tx")
    done = Deposit("addr", 1, Decimal("1.5"), 6, "tx")

    assert deposit_sentence(waiting, "LTC") == (
        "1.5 LTC arrived: 5 of 6 confirmations. It will be credited after 6."
    )
    assert deposit_sentence(done, "LTC") == "1.5 LTC was credited to your balance."
    assert is_nothing_yet(ExchangeRefusal("no deposit to this address yet"))
    assert not is_nothing_yet(ExchangeRefusal("unknown address"))


def test_live_wording_never_calls_the_confirmation_rule_the_demos(qtbot, app_context):
    screen = DepositScreen(app_context.dispatcher, app_context.refresher, app_context.settings,
                           is_demo=lambda: False)
    qtbot.addWidget(screen)
    screen.currency_combo.set_code("LTC")
    assert "demo" not in screen.rules_label.text().lower()
    assert "demo" not in screen.send_only_label.text().lower()
    assert screen.rules_label.text().startswith("A confirmation is a block mined on top")


def test_on_the_demo_the_screen_says_practice_deposits_come_quickly(qtbot, app_context):
    screen = DepositScreen(app_context.dispatcher, app_context.refresher, app_context.settings,
                           is_demo=lambda: True)
    qtbot.addWidget(screen)
    screen.currency_combo.set_code("BTC")
    assert "On the demo exchange a block is mined every few seconds" in (
        screen.rules_label.text())


def test_the_address_is_shown_in_the_apps_monospace_font_and_every_control_has_a_name(
    window, qtbot
):
    screen = open_deposit(window, "BTC")
    get_address(qtbot, screen)
    assert screen.address_label.font().family() == monospace_font().family()
    assert screen.address_table.font().family() == monospace_font().family()
    for widget in (screen.currency_combo, screen.new_address_button, screen.address_label,
                   screen.copy_button, screen.name_edit, screen.name_button,
                   screen.address_table, screen.check_button, screen.table):
        assert widget.accessibleName(), widget


def test_could_not_reach_the_exchange_goes_when_the_exchange_answers_again(
    window, app_context, qtbot, monkeypatch
):
    screen = open_deposit(window, "BTC")
    # Any answer clears the message (the exchange is back): let the tab's own refresh end first.
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    client = app_context.dispatcher.client

    def unreachable(currency):
        raise ConnectError(client.host)

    monkeypatch.setattr(client, "get_new_address", unreachable)
    qtbot.mouseClick(screen.new_address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.address_message.is_problem(), timeout=WAIT_MS)
    assert screen.address_message.text().startswith("Could not reach the exchange")
    assert "try again by itself" not in screen.address_message.text()  # it will not

    screen.refresh()  # the next look at the transactions gets an answer

    qtbot.waitUntil(lambda: screen.address_message.text() == "", timeout=WAIT_MS)
