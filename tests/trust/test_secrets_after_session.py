"""After a full session in the app, no key, secret, signature or coupon code is left anywhere.

A person adds a live-style account in Settings (an account on the embedded exchange),
buys, withdraws, creates a coupon and copies its code. Then everything the app wrote or
printed is searched: its settings file, its data dir (all but ``demo-exchange/``, which is
the exchange's own database and must know secrets to check signatures), its log file, and
what was captured of stdout, stderr, log records and unhandled exceptions.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Account
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from cryptex_desktop.ui.dialogs.settings_dialog import SettingsDialog
from cryptex_desktop.ui.screens.coupons import CouponsScreen
from cryptex_desktop.ui.screens.trade import TradeScreen
from cryptex_desktop.ui.screens.withdraw import WithdrawScreen
from cryptex_desktop.ui.startup import setup_logging
from tests.gui_checks import WAIT_MS, modal_dialog

#: Signatures of this many nonces before the last one accepted are searched for too.
SIGNATURE_WINDOW = 200


@pytest.fixture
def app_log(app_data_dir: Path) -> Iterator[Path]:
    """The app's own log file in its data dir, set up as the app does at start."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in ("", "urllib3", "waitress")}
    path = setup_logging(app_data_dir)
    yield path
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@contextmanager
def unhandled_exceptions_recorded() -> Iterator[list[str]]:
    """Record what unhandled exceptions would print, in any thread, as text.

    Entered in the test's body: pytest-qt installs its own hook for each test phase, and
    this one passes every exception on to it, so such an exception still fails the test.
    """
    printed: list[str] = []
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def record(exc_type, exc, tb) -> None:
        printed.append("".join(traceback.format_exception(exc_type, exc, tb)))
        previous_hook(exc_type, exc, tb)

    def record_thread(args) -> None:
        printed.append("".join(traceback.format_exception(
            args.exc_type, args.exc_value, args.exc_traceback)))
        previous_thread_hook(args)

    sys.excepthook = record
    threading.excepthook = record_thread
    try:
        yield printed
    finally:
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def confirm_open_dialog(qtbot) -> None:
    click(qtbot, modal_dialog(qtbot, ConfirmDialog).confirm_button)


def add_live_account(qtbot, window, app_context, account: Account) -> None:
    """File > Settings, as a person: My Cryptex account, username, key, secret, address."""
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    choice = dialog.live_choice
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
    assert choice.isChecked()
    qtbot.keyClicks(dialog.username, account.username)
    qtbot.keyClicks(dialog.key, account.key)
    qtbot.keyClicks(dialog.secret, account.secret)
    dialog.advanced_toggle.setChecked(True)
    dialog.url.clear()
    qtbot.keyClicks(dialog.url, app_context.connection.demo.server.url)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        click(qtbot, dialog.save_button)
    assert f"LIVE: {account.username}" in window.windowTitle()
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("USD") == Decimal("5000"),
                    timeout=WAIT_MS)


def buy(qtbot, window) -> None:
    screen = window.show_screen(TradeScreen.NAME)
    screen.pair_combo.setCurrentIndex(screen.pair_combo.findData("BTC_USD"))
    click(qtbot, screen.buy_button)
    qtbot.keyClicks(screen.price_edit, "70000")
    qtbot.keyClicks(screen.amount_edit, "0.01")
    click(qtbot, screen.place_button)
    confirm_open_dialog(qtbot)
    qtbot.waitUntil(lambda: "filled at once" in screen.result_label.text(), timeout=WAIT_MS)


def withdraw(qtbot, window) -> None:
    screen = window.show_screen(WithdrawScreen.NAME)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("BTC"))
    qtbot.keyClicks(screen.address_edit, new_address("BTC"))
    qtbot.keyClicks(screen.amount_edit, "0.1")
    click(qtbot, screen.withdraw_button)
    confirm_open_dialog(qtbot)
    qtbot.waitUntil(lambda: "is on its way" in screen.result_label.text(), timeout=WAIT_MS)


def create_and_copy_coupon(qtbot, window) -> str:
    screen = window.show_screen(CouponsScreen.NAME)
    screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("USD"))
    qtbot.keyClicks(screen.amount_edit, "25")
    click(qtbot, screen.create_button)
    confirm_open_dialog(qtbot)
    shown = modal_dialog(qtbot, CouponCreatedDialog)
    click(qtbot, shown.copy_button)
    # The code itself, as Copy gives it: the dialog shows it in groups, for reading only.
    code = QGuiApplication.clipboard().text()
    assert code.startswith("CTX-USD-") and " " not in code
    click(qtbot, shown.close_button)
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=WAIT_MS)
    return code


def last_nonce(exchange, account: Account) -> int:
    """The last nonce the exchange accepted for an account, as its refusal of nonce 0 says."""
    status, body = exchange.handle("Info", {"nonce": "0"}, account.key,
                                   sign(account.secret, 0, account.username, account.key))
    prefix = "invalid nonce: sent 0, must be greater than "
    assert status == 200 and body["error"].startswith(prefix), body
    return int(body["error"][len(prefix):])


def secrets_of(exchange, account: Account) -> dict[str, str]:
    """What must never be found: the key, the secret, and the signatures of recent nonces."""
    found = {f"{account.username}'s API key": account.key,
             f"{account.username}'s API secret": account.secret}
    last = last_nonce(exchange, account)
    assert last > 0, "the app never signed a request with this account"
    # A refresh may still sign a few more after this look: those are searched for too.
    for nonce in range(max(0, last - SIGNATURE_WINDOW), last + 50):
        found[f"{account.username}'s signature of nonce {nonce}"] = sign(
            account.secret, nonce, account.username, account.key)
    return found


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """Which of ``secrets`` appear in ``text``, in any letter case."""
    lowered = text.lower()
    return [what for what, secret in secrets.items() if secret.lower() in lowered]


def test_after_trading_withdrawing_and_a_coupon_no_secret_is_in_any_file_log_or_output(
    qtbot, capfd, caplog, app_log, app_data_dir, window, app_context, demo_exchange
):
    caplog.set_level(logging.DEBUG)  # stricter than the app: debug lines must not leak either
    live = demo_exchange.create_user("carol", {"USD": Decimal("5000"), "BTC": Decimal("1")})

    with unhandled_exceptions_recorded() as crash_output:
        add_live_account(qtbot, window, app_context, live)
        buy(qtbot, window)
        withdraw(qtbot, window)
        code = create_and_copy_coupon(qtbot, window)
    app_context.settings.sync()
    for handler in logging.getLogger().handlers:
        handler.flush()

    secrets = {"the coupon code": code}
    secrets |= secrets_of(demo_exchange, live)
    secrets |= secrets_of(demo_exchange, demo_exchange.demo_account())

    files = [path for path in app_data_dir.rglob("*")
             if path.is_file() and "demo-exchange" not in path.relative_to(app_data_dir).parts]
    names = {path.name for path in files}
    assert {"settings.ini", app_log.name} <= names, names
    settings_text = (app_data_dir / "settings.ini").read_text(encoding="utf-8")
    assert "carol" in settings_text  # the search reads the right files: the username is there
    assert "Trade ok" in app_log.read_text(encoding="utf-8")  # the session was logged
    assert leaks(f"Sign: {secrets['the coupon code'].lower()}.", secrets)  # the search works
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:  # a journal's WAL, checkpointed away as the journal closed
            continue
        assert leaks(text, secrets) == [], path

    captured = capfd.readouterr()
    records = "\n".join(
        record.getMessage() + (logging.Formatter().formatException(record.exc_info)
                               if record.exc_info else "")
        for record in caplog.records
    )
    assert caplog.records, "nothing was logged: the search would prove nothing"
    for where, text in (("stdout", captured.out), ("stderr", captured.err),
                        ("log records", records), ("unhandled exceptions",
                                                   "\n".join(crash_output))):
        assert leaks(text, secrets) == [], where
