"""Deposit remembers: the last address of a coin after a start_again, every address got with its
name, last deposit and confirmations, and names given to addresses.

Every test drives the real app on its embedded demo exchange (real HTTP); a restart closes
the window and the app's objects as quitting does and builds them again on the same folder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import Qt

from cryptex_desktop.journal import DepositRecord
from cryptex_desktop.ui.main_window import MainWindow
from cryptex_desktop.ui.models.deposit_addresses import (
    ADDRESS,
    CONFIRMATIONS,
    LAST_DEPOSIT,
    NAME,
    progress_text,
)
from cryptex_desktop.ui.screens.deposit import DepositScreen
from tests.gui_checks import WAIT_MS


def open_deposit(qtbot, window: MainWindow, currency: str) -> DepositScreen:
    screen = window.show_screen(DepositScreen.NAME)
    assert screen.currency_combo.set_code(currency)
    qtbot.waitUntil(lambda: screen.addresses.state_text() != (
        "Looking for the addresses you got before…"), timeout=WAIT_MS)
    return screen


def get_address(qtbot, screen: DepositScreen) -> str:
    """Press "Get a new address" and wait until it shows and is listed."""
    before = screen.shown_address()
    qtbot.mouseClick(screen.new_address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.shown_address() not in ("", before), timeout=WAIT_MS)
    address = screen.shown_address()
    qtbot.waitUntil(lambda: address in listed(screen), timeout=WAIT_MS)
    return address


def listed(screen: DepositScreen) -> list[str]:
    return [row.address for row in screen.listed_addresses()]


def row_text(screen: DepositScreen, address: str, column: int) -> str:
    """What the list shows in ``column`` for ``address``."""
    proxy = screen.addresses_proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, ADDRESS).data() == address:
            return str(proxy.index(row, column).data())
    raise AssertionError(f"{address} is not listed")


def scanned(screen: DepositScreen) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(screen.qr.image())]


def test_the_last_address_got_is_on_show_with_its_qr_code_after_a_restart(
    qtbot, window, app_context, start_again
):
    screen = open_deposit(qtbot, window, "BTC")
    older = get_address(qtbot, screen)
    newest = get_address(qtbot, screen)
    assert listed(screen) == [newest, older]

    window, _context = start_again(window, app_context)
    screen = open_deposit(qtbot, window, "BTC")

    qtbot.waitUntil(lambda: screen.shown_address() == newest, timeout=WAIT_MS)
    assert screen.address_label.text() == newest
    assert scanned(screen) == [newest]
    assert screen.copy_button.isEnabled() and screen.check_button.isEnabled()
    assert listed(screen) == [newest, older]  # every address ever got, newest first

    # Choosing the older one in the list shows it, with its own QR code.
    screen.address_table.selectRow(1)
    qtbot.waitUntil(lambda: screen.shown_address() == older, timeout=WAIT_MS)
    assert scanned(screen) == [older]

    # Another coin shows its own latest address (none yet), never a Bitcoin one.
    screen.currency_combo.set_code("LTC")
    qtbot.waitUntil(lambda: screen.addresses.state_text().startswith("No address yet"),
                    timeout=WAIT_MS)
    assert screen.shown_address() == ""
    litecoin = get_address(qtbot, screen)
    screen.currency_combo.set_code("BTC")
    qtbot.waitUntil(lambda: screen.shown_address() == newest, timeout=WAIT_MS)
    screen.currency_combo.set_code("LTC")
    qtbot.waitUntil(lambda: screen.shown_address() == litecoin, timeout=WAIT_MS)


def test_each_address_shows_its_last_deposit_and_confirmations_until_credited(
    qtbot, window, app_context, demo_exchange
):
    app_context.refresher.stop()  # the screen's own refreshes only
    screen = open_deposit(qtbot, window, "BTC")
    quiet = get_address(qtbot, screen)
    address = get_address(qtbot, screen)
    assert row_text(screen, address, LAST_DEPOSIT) == "nothing yet"
    assert row_text(screen, address, CONFIRMATIONS) == ""

    demo_exchange.deposit(address, Decimal("0.25"))
    demo_exchange.mine(2)
    screen.refresh()

    qtbot.waitUntil(lambda: row_text(screen, address, CONFIRMATIONS) == "2 of 3 confirmations",
                    timeout=WAIT_MS)
    assert row_text(screen, address, LAST_DEPOSIT).startswith("0.25000000 BTC, ")
    assert row_text(screen, quiet, LAST_DEPOSIT) == "nothing yet"

    demo_exchange.mine(1)
    screen.refresh()

    qtbot.waitUntil(lambda: row_text(screen, address, CONFIRMATIONS) == "credited",
                    timeout=WAIT_MS)
    assert row_text(screen, address, LAST_DEPOSIT).startswith("0.25000000 BTC, ")
    assert row_text(screen, quiet, CONFIRMATIONS) == ""


def test_a_name_given_to_an_address_is_listed_and_kept_across_a_restart(
    qtbot, window, app_context, start_again
):
    screen = open_deposit(qtbot, window, "LTC")
    address = get_address(qtbot, screen)
    other = get_address(qtbot, screen)
    screen.address_table.selectRow(listed(screen).index(address))
    qtbot.waitUntil(lambda: screen.shown_address() == address, timeout=WAIT_MS)

    screen.name_edit.clear()
    qtbot.keyClicks(screen.name_edit, "  From my  phone wallet ")
    qtbot.keyClick(screen.name_edit, Qt.Key.Key_Return)

    assert screen.address_message.text() == (
        "Saved. This address is now called “From my phone wallet”.")
    qtbot.waitUntil(lambda: row_text(screen, address, NAME) == "From my phone wallet",
                    timeout=WAIT_MS)
    assert row_text(screen, other, NAME) == ""

    window, _context = start_again(window, app_context)
    screen = open_deposit(qtbot, window, "LTC")
    qtbot.waitUntil(lambda: screen.shown_address() == other, timeout=WAIT_MS)
    assert screen.name_edit.text() == ""  # the address on show has no name
    assert row_text(screen, address, NAME) == "From my phone wallet"

    screen.address_table.selectRow(listed(screen).index(address))
    qtbot.waitUntil(lambda: screen.shown_address() == address, timeout=WAIT_MS)
    assert screen.name_edit.text() == "From my phone wallet"

    # An empty name removes it.
    screen.name_edit.clear()
    qtbot.mouseClick(screen.name_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row_text(screen, address, NAME) == "", timeout=WAIT_MS)
    assert screen.address_message.text() == "The name of this address was removed."


def test_a_name_shaped_like_a_coupon_code_is_refused_in_a_sentence(qtbot, window):
    screen = open_deposit(qtbot, window, "BTC")
    address = get_address(qtbot, screen)
    screen.name_edit.setText("mine CTX-USD-ABCDEFGH-JKLMNPQR-ABCDEFGH-JKLMNPQR")
    qtbot.mouseClick(screen.name_button, Qt.MouseButton.LeftButton)
    assert screen.address_message.is_problem()
    assert screen.address_message.text().startswith("That name looks like a coupon code")
    assert row_text(screen, address, NAME) == ""


def test_a_deposit_credited_while_the_app_was_not_looking_is_listed_after_a_restart(
    qtbot, window, app_context, demo_exchange, start_again
):
    app_context.refresher.stop()  # nothing looks at the exchange while the coins arrive
    screen = open_deposit(qtbot, window, "BTC")
    address = get_address(qtbot, screen)
    demo_exchange.deposit(address, Decimal("0.4"))
    demo_exchange.mine(3)

    window, _context = start_again(window, app_context)
    screen = open_deposit(qtbot, window, "BTC")

    qtbot.waitUntil(lambda: row_text(screen, address, CONFIRMATIONS) == "credited",
                    timeout=WAIT_MS)
    assert row_text(screen, address, LAST_DEPOSIT).startswith("0.40000000 BTC, ")


@pytest.fixture
def damaged_journal(app_data_dir: Path) -> Path:
    """The demo account's journal file, overwritten with something that is not a database."""
    path = app_data_dir / "journals" / "demo.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database, it was damaged " * 200)
    return path


def test_without_a_journal_the_session_addresses_are_still_listed(
    damaged_journal, qtbot, window, app_context
):
    qtbot.waitUntil(lambda: bool(app_context.journal.last_problem), timeout=WAIT_MS)
    screen = window.show_screen(DepositScreen.NAME)
    screen.currency_combo.set_code("BTC")
    qtbot.waitUntil(lambda: screen.addresses.state_text().startswith("No address yet"),
                    timeout=WAIT_MS)
    address = get_address(qtbot, screen)
    assert listed(screen) == [address]
    assert scanned(screen) == [address]
    assert not screen.name_edit.isEnabled()  # nothing could keep a name


def test_confirmations_are_said_against_the_coins_own_count():
    seen = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    def litecoin(confirmations: int, credited: datetime | None = None) -> DepositRecord:
        return DepositRecord("LTC", "ltc1q", "tx", Decimal("1"), confirmations, seen, credited)

    assert progress_text(None) == ""
    assert progress_text(litecoin(2)) == "2 of 6 confirmations"
    assert progress_text(litecoin(7)) == "6 of 6 confirmations"  # enough: credited any moment
    assert progress_text(litecoin(7, credited=seen)) == "credited"


def test_a_count_of_confirmations_alone_has_its_own_plural():
    """A currency without a rule says how many it has, "1 confirmation" for one."""
    seen = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    def unknown(confirmations: int) -> DepositRecord:
        return DepositRecord("XYZ", "xyz1q", "tx", Decimal("1"), confirmations, seen, None)

    assert progress_text(unknown(1)) == "1 confirmation"
    assert progress_text(unknown(2)) == "2 confirmations"
