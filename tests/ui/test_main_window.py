"""The main window as a person meets it: demo by default, F5, settings, live account, restarts."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QThread
from PySide6.QtWidgets import QMessageBox

from cryptex_desktop import i18n
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.app import start_connection
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.credential_store import LIVE_PROFILE, CredentialStore
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
    """The app's own files and their bytes: settings, logs, nonce counters, journals (not the
    demo exchange's database, which is the exchange's side and must know its accounts' secrets
    to check signatures). A file that goes while it is read (a journal's WAL, checkpointed
    when the journal closes) held nothing by then."""
    found = []
    for path in data_dir.rglob("*"):
        if not path.is_file() or "demo-exchange" in path.parts:
            continue
        try:
            found.append((path, path.read_bytes()))
        except FileNotFoundError:
            continue
    assert any(path.name == "settings.ini" for path, _content in found)
    return found


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
    for path, content in app_files(app_data_dir):
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
    assert not any(live.secret.encode() in content for _path, content in app_files(app_data_dir))


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


ALREADY_OPEN = ("Cryptex Desktop is already open on this computer. Look for its window (it may "
                "be minimised or on another desktop); only one copy can run at a time.")


@pytest.mark.parametrize("desktop_language", ["en_US.UTF-8", "ru_RU.UTF-8"])
def test_a_second_copy_on_the_same_data_says_the_app_is_already_open(tmp_path,
                                                                      desktop_language):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_MESSAGES")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG=desktop_language, LC_ALL=desktop_language)
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
        # The desktop's language, read before the settings: the sentence in Russian there.
        i18n.install(i18n.language_of(desktop_language) or "en")
        try:
            expected = i18n._(ALREADY_OPEN)
        finally:
            i18n.install("en")
        assert (expected == ALREADY_OPEN) == desktop_language.startswith("en")
        assert second.returncode == 0
        assert expected in second.stderr and "Traceback" not in second.stderr
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


# --- the status bar ----------------------------------------------------------------------------


def test_the_demo_badge_stays_visible_when_news_arrives_without_a_tray(qtbot, window):
    window.tray = None  # a desktop without a tray: news goes to the status bar
    badge = window.status.mode_badge
    assert badge.isVisible() and badge.text() == "DEMO"
    window.notifier.notified.emit("Order filled", "Bought 0.1 LTC at 90.00 USD (order #7).")
    assert "Bought 0.1 LTC" in window.status.news_text()
    assert badge.isVisible() and badge.text() == "DEMO"
    assert badge.accessibleName() == "DEMO"
    window.status.clear_news()
    assert window.status.news_text() == "" and badge.isVisible()


def test_the_status_bar_says_in_words_that_the_app_is_talking_to_the_exchange(window):
    status = window.status
    status.set_in_flight(1)
    assert status.in_flight_label.text() == "Talking to the exchange…"
    status.set_in_flight(3)
    assert "request" not in status.in_flight_label.text()
    assert status.in_flight_label.text().startswith("Talking to the exchange")
    status.set_in_flight(0)
    assert status.in_flight_label.text() == "" and not status.busy.isVisibleTo(status)


def test_a_problem_in_the_status_bar_goes_when_the_exchange_answers_again(
    qtbot, window, app_context
):
    window.status.show_problem("Could not reach the exchange at 127.0.0.1.")
    assert window.status.problem_text()
    window.refresh_now()
    qtbot.waitUntil(lambda: window.status.problem_text() == "", timeout=WAIT_MS)


# --- account problems ----------------------------------------------------------------------


def converted(window) -> dict:
    from cryptex_desktop.ui.screens.base import Screen

    return {name: s for name, s in window.screens.items() if isinstance(s, Screen)}


def test_a_live_account_without_its_key_says_so_on_every_screen_and_the_button_opens_settings(
    qtbot, window, app_context
):
    from cryptex_desktop.ui.screens.base import ProblemKind

    app_context.settings.mode = LIVE
    app_context.settings.live_username = "dave"  # the keychain has nothing for dave
    with qtbot.waitSignal(app_context.connection.failed, timeout=WAIT_MS):
        start_connection(app_context)
    screens = converted(window)
    assert {"balances", "history"} <= set(screens)
    for screen in screens.values():
        problem = screen.account_problem()
        assert problem is not None and problem.kind is ProblemKind.NO_KEY, screen.NAME
        assert "keychain" in problem.sentence
        assert screen.problem_view.button.text().replace("&", "") == "Enter your key…"
    assert window.status.mode_badge.text() == "Not connected"
    assert app_context.dispatcher.client is None  # the demo account is not shown as dave's

    balances = window.show_screen("balances")
    qtbot.mouseClick(balances.problem_view.button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, SettingsDialog)
    assert dialog.live_choice.isChecked() and dialog.account_box.isEnabled()
    assert dialog.username.text() == "dave"
    assert "keychain" not in dialog.key.placeholderText()
    dialog.close()


def test_one_failed_refresh_does_not_blank_the_app_but_two_in_a_row_do_until_it_answers(
    qtbot, window, app_context
):
    from cryptex_desktop.api.errors import ConnectError
    from cryptex_desktop.ui.screens.base import ProblemKind

    app_context.refresher.stop()
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    balances = window.show_screen("balances")
    dispatcher = app_context.dispatcher
    dispatcher.refreshFailed.emit(ConnectError("127.0.0.1"))  # as a failed refresh reports
    assert balances.account_problem() is None
    dispatcher.refreshFailed.emit(ConnectError("127.0.0.1"))
    problem = balances.account_problem()
    assert problem is not None and problem.kind is ProblemKind.UNREACHABLE
    assert "Could not reach the exchange" in problem.sentence
    assert balances.problem_view.button.text().replace("&", "") == "Try again"

    qtbot.mouseClick(balances.problem_view.button, Qt.MouseButton.LeftButton)  # Try again
    qtbot.waitUntil(lambda: balances.account_problem() is None, timeout=WAIT_MS)
    assert balances.records.is_showing_table()


def test_a_refused_key_is_shown_on_every_screen_with_enter_your_key(qtbot, window, app_context):
    from cryptex_desktop.api.errors import AuthenticationError
    from cryptex_desktop.ui.screens.base import ProblemKind

    app_context.refresher.stop()
    qtbot.waitUntil(lambda: app_context.dispatcher.pending == 0, timeout=WAIT_MS)
    app_context.dispatcher.failed.emit(99, AuthenticationError("invalid api key"))
    for screen in converted(window).values():
        problem = screen.account_problem()
        assert problem is not None and problem.kind is ProblemKind.KEY_REFUSED
        assert "invalid api key" in problem.sentence


# --- Settings: the key check -----------------------------------------------------------------


def open_live_settings(qtbot, window) -> SettingsDialog:
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    click_radio(qtbot, dialog.live_choice)
    return dialog


def test_a_key_the_exchange_refuses_is_told_in_the_dialog_and_the_app_stays_where_it_was(
    qtbot, window, app_context, demo_exchange, memory_keyring
):
    demo_exchange.create_user("erin")
    dialog = open_live_settings(qtbot, window)
    qtbot.keyClicks(dialog.username, "erin")
    qtbot.keyClicks(dialog.key, "not-erins-key")
    qtbot.keyClicks(dialog.secret, "not-erins-secret")
    dialog.url.setText(app_context.connection.demo.server.url)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.is_checking() and not dialog.save_button.isEnabled()

    qtbot.waitUntil(lambda: not dialog.is_checking(), timeout=WAIT_MS)
    assert dialog.message.is_problem()
    assert dialog.message.text().startswith("The exchange refused this key")
    assert "invalid api key" in dialog.message.text()
    assert dialog.isVisible()
    assert "DEMO" in window.windowTitle() and app_context.settings.mode != LIVE
    assert not memory_keyring.entries
    assert not dialog.save_anyway_button.isVisible()  # a refused key is not saved anyway

    qtbot.keyClicks(dialog.secret, "x")  # the message was about the old text
    assert not dialog.message.is_problem()
    dialog.close()


def test_when_the_exchange_cannot_be_reached_the_person_may_save_anyway_knowingly(
    qtbot, window, app_context, demo_exchange, refusing_url
):
    live = demo_exchange.create_user("frank")
    dialog = open_live_settings(qtbot, window)
    assert not dialog.save_anyway_button.isVisible()  # offered only once a check failed
    qtbot.keyClicks(dialog.username, "frank")
    qtbot.keyClicks(dialog.key, live.key)
    qtbot.keyClicks(dialog.secret, live.secret)
    dialog.url.setText(refusing_url)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.save_anyway_button.isVisible(), timeout=WAIT_MS)
    assert "Could not reach the exchange" in dialog.message.text()
    assert "Save anyway" in dialog.message.text()
    assert app_context.settings.mode != LIVE

    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_anyway_button, Qt.MouseButton.LeftButton)
    assert "LIVE: frank" in window.windowTitle() and not dialog.isVisible()
    balances = window.show_screen("balances")
    qtbot.waitUntil(lambda: balances.account_problem() is not None, timeout=WAIT_MS)
    assert balances.problem_view.button.text().replace("&", "") == "Try again"


def test_re_entering_only_the_secret_keeps_the_saved_key(
    qtbot, window, app_context, demo_exchange
):
    live = demo_exchange.create_user("gina", {"EUR": Decimal("5")})
    app_context.credentials.save(LIVE_PROFILE, Credentials("gina", live.key, "an-old-secret"))
    app_context.settings.live_username = "gina"
    app_context.settings.live_url = app_context.connection.demo.server.url
    dialog = open_live_settings(qtbot, window)
    assert dialog.key.placeholderText().startswith("Saved in your keychain")
    qtbot.keyClicks(dialog.secret, live.secret)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS) as connected:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert connected.args[0].credentials.key == live.key
    qtbot.waitUntil(lambda: app_context.wallet.free_balance("EUR") == Decimal("5"),
                    timeout=WAIT_MS)
    assert CredentialStore("test").load(LIVE_PROFILE).secret == live.secret


def test_enter_your_username_goes_away_as_soon_as_a_username_is_typed(qtbot, window):
    dialog = open_live_settings(qtbot, window)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Enter your Cryptex username." and dialog.message.is_problem()
    qtbot.keyClicks(dialog.username, "h")
    assert "username" not in dialog.message.text()
    dialog.close()


def test_the_no_keychain_notice_is_said_once_per_session_and_no_field_claims_a_keychain(
    qtbot, window, app_context, demo_exchange, monkeypatch
):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text, *a, **k: told.append(text))
    live = demo_exchange.create_user("ivan")
    url = app_context.connection.demo.server.url

    dialog = open_live_settings(qtbot, window)
    qtbot.keyClicks(dialog.username, "ivan")
    qtbot.keyClicks(dialog.key, live.key)
    qtbot.keyClicks(dialog.secret, live.secret)
    dialog.url.setText(url)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(told) == 1 and "this session only" in told[0]

    # Back to demo, then to the live account again: nothing new to tell.
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    assert "keychain" not in dialog.key.placeholderText().lower()
    assert "session" in dialog.key.placeholderText()
    click_radio(qtbot, dialog.demo_choice)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog = open_live_settings(qtbot, window)
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "LIVE: ivan" in window.windowTitle()
    assert len(told) == 1


def test_settings_is_walked_with_tab_in_the_order_it_is_read(qtbot, window):
    dialog = open_live_settings(qtbot, window)
    dialog.advanced_toggle.setChecked(True)
    dialog.username.setFocus()
    qtbot.waitUntil(dialog.username.hasFocus, timeout=WAIT_MS)
    seen = []
    for _ in range(5):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    assert seen == [dialog.key, dialog.secret, dialog.advanced_toggle, dialog.url,
                    dialog.refresh_seconds]
    for widget in (dialog.username, dialog.key, dialog.secret, dialog.url,
                   dialog.refresh_seconds, dialog.save_button, dialog.forget_button):
        assert widget.accessibleName(), widget
    dialog.close()


def test_every_menu_action_and_status_item_has_words(window):
    for menu_action in window.menuBar().actions():
        for action in [menu_action, *menu_action.menu().actions()]:
            assert action.isSeparator() or action.text().replace("&", "").strip(), action
    status = window.status
    for item in (status.mode_badge, status.error_label, status.news_label, status.busy,
                 status.in_flight_label, status.updated_label):
        assert item.accessibleName(), item


def test_at_start_the_shown_tab_paints_first_and_the_others_follow(qtbot, app_context):
    app_context.settings.last_tab = "activity"
    started = MainWindow(app_context, other_screens_after_first_paint=True)
    qtbot.addWidget(started)
    # Every tab is there with its title; only the one on show is built before the paint.
    assert [started.tabs.tabText(n) for n in range(started.tabs.count())] == [
        "Balances", "Trade", "Open orders", "History", "Deposit", "Withdraw", "Coupons",
        "Activity"]
    assert list(started.screens) == ["activity"]
    connected: list[bool] = []
    started.when_screens_built(lambda: connected.append(True))
    assert connected == []

    started.show()
    qtbot.waitUntil(lambda: len(started.screens) == 8, timeout=WAIT_MS)
    assert connected == [True]
    assert started.tabs.currentWidget() is started.screens["activity"]
    assert app_context.settings.last_tab == "activity"
    assert [started.tabs.widget(n) for n in range(8)] == list(started.screens.values())
    started.when_screens_built(lambda: connected.append(True))
    assert connected == [True, True]


def test_a_tab_chosen_before_its_screen_is_built_is_the_one_remembered(qtbot, app_context):
    app_context.settings.last_tab = "balances"
    started = MainWindow(app_context, other_screens_after_first_paint=True)
    qtbot.addWidget(started)
    started.tabs.setCurrentIndex(1)  # Trade, still a stand-in
    # Never shown, so never painted: its screens are built all the same.
    qtbot.waitUntil(lambda: len(started.screens) == 8, timeout=WAIT_MS)
    assert started.tabs.currentWidget() is started.screens["trade"]
    assert app_context.settings.last_tab == "trade"
