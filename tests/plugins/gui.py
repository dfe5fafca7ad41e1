"""GUI fixtures: the real app window on its embedded demo exchange, driven as a person would.

Any test in any folder asks for ``window``, ``app_context``, ``demo_exchange``... by name;
what tests wait with and look at is in :mod:`tests.gui_checks`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QDialog

from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.credential_store import CredentialStore
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.theme import ThemeChoice, ThemeKeeper
from tests.gui_checks import WAIT_MS


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keychain that lives in memory, standing in for the OS one in tests (and, as GNOME
    Keyring or the macOS Keychain do, refusing to delete what it does not hold)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such entry")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keychain in place of the OS one, for one test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def app_data_dir(tmp_path: Path) -> Path:
    """The app's data folder, empty and private to the test."""
    path = tmp_path / "app-data"
    path.mkdir()
    return path


@pytest.fixture
def russian_numbers() -> Iterator[None]:
    """The app in Russian: numbers written and read as "1 234,56"; English again afterwards.

    Ask for it before ``window`` so the window is built in Russian.
    """
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def speak(qapp) -> Iterator[Callable[[str], str]]:
    """``speak("ru")``: the app in that language, as Settings would choose it (its words, Qt's
    words, numbers and dates); English again afterwards. Call it before building a window."""
    from cryptex_desktop.ui.language import apply_language

    previous = QLocale()
    yield apply_language
    apply_language("en")
    QLocale.setDefault(previous)


@pytest.fixture
def app_context(qapp, app_data_dir, memory_keyring) -> Iterator[AppContext]:
    """The app's objects with settings in a temporary ini file and an in-memory keychain."""
    qsettings = QSettings(str(app_data_dir / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext.create(app_data_dir, AppSettings(qsettings), CredentialStore("test"))
    context.connection.demo.block_seconds = 0  # tests mine blocks themselves
    yield context
    context.close()


def shown_on_demo(qtbot, app_context: AppContext):
    """A new main window, shown, connected to the embedded demo exchange, balances loaded."""
    from cryptex_desktop.ui.main_window import MainWindow

    main = MainWindow(app_context)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_demo()
    qtbot.waitUntil(lambda: app_context.wallet.known, timeout=WAIT_MS)
    return main


@pytest.fixture
def window(qtbot, app_context, caplog) -> Iterator:
    """The main window, shown, connected to the embedded demo exchange, balances loaded."""
    caplog.set_level(logging.WARNING)
    main = shown_on_demo(qtbot, app_context)
    yield main
    for dialog in main.findChildren(QDialog):
        dialog.close()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR
              and r.name.startswith("cryptex_desktop")]
    assert not errors, f"the app logged errors: {[r.getMessage() for r in errors]}"


@pytest.fixture
def demo_exchange(window, app_context):
    """The embedded sandbox's Exchange object (to deposit and mine like the outside world)."""
    return app_context.connection.demo.server.exchange


@pytest.fixture
def keeper(qapp) -> Iterator[ThemeKeeper]:
    """The app's ThemeKeeper, back on System (as most people have it) after the test."""
    existing = qapp.findChild(ThemeKeeper)
    made = existing or ThemeKeeper(qapp, ThemeChoice.SYSTEM)
    yield made
    made.apply(ThemeChoice.SYSTEM)


@pytest.fixture
def start_again(qtbot, app_data_dir: Path) -> Iterator[Callable[..., tuple[Any, AppContext]]]:
    """``start_again(window, context)``: quit the app (window and objects closed) and start it
    again on the same data folder, connected to the demo exchange with balances loaded."""
    from cryptex_desktop.ui.main_window import MainWindow

    made: list[AppContext] = []

    def restart(window: Any, context: AppContext) -> tuple[Any, AppContext]:
        window.close()
        context.close()  # as quitting does: the demo exchange stops, the journal closes
        qsettings = QSettings(str(app_data_dir / "settings.ini"), QSettings.Format.IniFormat)
        again = AppContext.create(app_data_dir, AppSettings(qsettings), CredentialStore("test"))
        again.connection.demo.block_seconds = 0
        made.append(again)
        main = MainWindow(again)
        qtbot.addWidget(main)
        main.show()
        with qtbot.waitSignal(again.connection.connected, timeout=WAIT_MS):
            again.connection.connect_demo()
        qtbot.waitUntil(lambda: again.wallet.known, timeout=WAIT_MS)
        return main, again

    yield restart
    for context in made:
        context.close()
