"""The main window as a person meets it: demo by default, F5, settings, live account, restarts."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import keyring
import keyring.backends.fail
from PySide6.QtCore import QPoint, QSettings, Qt, QThread
from PySide6.QtWidgets import QMessageBox

from cryptex_desktop.ui.app import LIVE_PROFILE, start_connection
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.credential_store import CredentialStore
from cryptex_desktop.ui.dialogs.settings_dialog import SettingsDialog
from cryptex_desktop.ui.main_window import MainWindow
from cryptex_desktop.ui.settings import LIVE, AppSettings
from tests.exchange_helpers import deposit_address
from tests.gui_checks import WAIT_MS, modal_dialog


def click_radio(qtbot, button) -> None:
    """Click a radio button on its circle, where a person clicks."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def app_files(data_dir):
    """The app's own files: settings, logs, nonce counters (not the demo exchange's database,
    which is the exchange's side and must know its accounts' secrets to check signatures)."""
    files = [p for p in data_dir.rglob("*") if p.is_file() and "demo-exchange" not in p.parts]
    assert any(p.name == "settings.ini" for p in files)
    return files


def balance_cell(window, currency: str, column: int = 1) -> str:
    model = window.screens["balances"].model
    for row in range(model.rowCount()):
        if model.index(row, 0).data().endswith(f"({currency})"):
            return model.index(row, column).data()
    raise AssertionError(f"no {currency} row")


def test_first_start_runs_on_the_demo_exchange_and_says_so(window):
    assert "DEMO" in window.windowTitle()
    assert window.status.mode_badge.text() == "DEMO"
    assert "pretend money" in window.status.mode_badge.toolTip()
    window.show_screen("balances")
    assert balance_cell(window, "USD") == "10,000.00"
    assert balance_cell(window, "BTC") == "2.00000000"
    assert window.status.updated_label.text().startswith("Updated")


def test_f5_shows_a_deposit_that_arrived_meanwhile(qtbot, window, app_context, demo_exchange):
    address = deposit_address(qtbot, app_context, "LTC")
    demo_exchange.deposit(address, Decimal("1.25"))  # someone sends coins
    demo_exchange.mine(6)
    window.show_screen("balances")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: balance_cell(window, "LTC") == "51.25000000", timeout=WAIT_MS)


def test_settings_switch_to_a_live_account_keeps_secrets_in_the_keychain_only(
    qtbot, window, app_context, demo_exchange, memory_keyring, app_data_dir
):
    live = demo_exchange.create_user("alice", {"EUR": Decimal("321")})
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    click_radio(qtbot, dialog.live_choice)
    qtbot.keyClicks(dialog.username, "alice")
    qtbot.keyClicks(dialog.key, live.key)
    qtbot.keyClicks(dialog.secret, live.secret)
    dialog.advanced_toggle.setChecked(True)
    dialog.url.clear()
    qtbot.keyClicks(dialog.url, app_context.connection.demo.server.url)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "LIVE: alice" in window.windowTitle()
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("EUR") == Decimal("321"),
                    timeout=WAIT_MS)
    stored = CredentialStore("test").load(LIVE_PROFILE)
    assert stored is not None and stored.secret == live.secret
    app_context.settings.sync()
    for path in app_files(app_data_dir):
        content = path.read_bytes()
        assert live.secret.encode() not in content, path
        assert live.key.encode() not in content, path

    # A restart with the same settings and keychain goes straight to the live account.
    qsettings = QSettings(str(app_data_dir / "settings.ini"), QSettings.Format.IniFormat)
    restarted = AppContext.create(app_data_dir / "second", AppSettings(qsettings),
                                  CredentialStore("test"))
    try:
        assert restarted.settings.mode == LIVE
        with qtbot.waitSignal(restarted.connection.connected, timeout=WAIT_MS) as connected:
            start_connection(restarted)
        assert connected.args[0].credentials.username == "alice"
    finally:
        restarted.close()


def test_settings_refuses_an_incomplete_live_account_with_a_sentence(qtbot, window):
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    click_radio(qtbot, dialog.live_choice)
    qtbot.keyClicks(dialog.username, "bob")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Enter your API key" in dialog.message.text()
    assert dialog.isVisible() and dialog.username.text() == "bob"
    dialog.advanced_toggle.setChecked(True)
    qtbot.keyClicks(dialog.key, "k")
    qtbot.keyClicks(dialog.secret, "s")
    dialog.url.setText("http://cryptex.example/api/v1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "https://" in dialog.message.text()
    dialog.close()


def test_without_a_keychain_the_secret_is_kept_for_this_session_and_the_app_says_so(
    qtbot, window, app_context, demo_exchange, app_data_dir, monkeypatch
):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text, *a, **k: told.append(text))
    live = demo_exchange.create_user("carol")
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    click_radio(qtbot, dialog.live_choice)
    qtbot.keyClicks(dialog.username, "carol")
    qtbot.keyClicks(dialog.key, live.key)
    qtbot.keyClicks(dialog.secret, live.secret)
    dialog.url.setText(app_context.connection.demo.server.url)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert told and "this session only" in told[0]
    assert "LIVE: carol" in window.windowTitle()
    app_context.settings.sync()
    assert not any(live.secret.encode() in p.read_bytes() for p in app_files(app_data_dir))


def test_the_window_remembers_its_last_tab(qtbot, window, app_context):
    window.show_screen("history")
    window.close()
    second = MainWindow(app_context)
    qtbot.addWidget(second)
    assert second.tabs.currentWidget().NAME == "history"


def test_without_a_screen_the_app_explains_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "cryptex_desktop", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 2
    assert "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_copy_on_the_same_data_says_the_app_is_already_open(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen(
        [sys.executable, "-m", "cryptex_desktop", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        lock = tmp_path / "cryptex-desktop.lock"
        deadline = 600
        while not lock.exists() and deadline and first.poll() is None:
            QThread.msleep(50)  # waiting on the first copy's start, a condition with a bound
            deadline -= 1
        assert lock.exists()
        second = subprocess.run(
            [sys.executable, "-m", "cryptex_desktop", "--data-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=60, env=env,
        )
        assert second.returncode == 0
        assert "already open" in second.stderr and "Traceback" not in second.stderr
        assert first.poll() is None  # the first copy is untouched
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_a_busy_demo_exchange_is_told_in_a_sentence(qtbot, app_context, tmp_path):
    from cryptex_desktop.sandbox import SandboxServer

    other = SandboxServer(app_context.connection.demo.data_dir, port=0, block_seconds=0,
                          market_maker=False).start()  # cryptex-sandbox serve on that folder
    try:
        with qtbot.waitSignal(app_context.connection.failed, timeout=WAIT_MS) as failed:
            app_context.connection.connect_demo()
        assert failed.args[0].startswith("The demo exchange could not start")
    finally:
        other.stop()


def test_a_long_problem_in_the_status_bar_is_shortened_not_widening_the_window(
    qtbot, window, app_context
):
    app_context.refresher.stop()  # a successful refresh would rightly clear the problem
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    width = window.width()
    sentence = "The exchange refused this: " + "a very long reason, " * 60 + "the end."
    window.status.show_problem(sentence)
    qtbot.wait(50)  # let the layout settle; the assertion is about what it settled to
    assert window.width() == width
    label = window.status.error_label
    assert label.text().endswith("…") and len(label.text()) < len(sentence)
    assert label.toolTip() == sentence and label.full_text() == sentence
