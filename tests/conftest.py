"""What the whole suite relies on, set by the suite itself rather than taken from the desktop.

- Qt: headless (offscreen) at scale 1 and 96 dpi, set before any QApplication exists; the
  Fusion style with its light palette, so a dark or scaled desktop changes no result. To
  watch the GUI tests, run them with ``CRYPTEX_TEST_QT_PLATFORM=xcb``.
- Language: every test reads English, whatever the desktop speaks: Qt's default locale is
  US English, and child processes get ``LANGUAGE`` and ``LC_ALL`` for English. A test that
  wants another language sets it itself.
- Markers: ``gui`` and ``slow`` are given by folder, fixture and Hypothesis, so that
  ``pytest -m "not slow"`` is a quick loop; ``make test`` runs everything.
- Fixtures: a real sandbox exchange on loopback and accounts on it, an address where nothing
  listens (``refusing_url``); the GUI fixtures
  (``window``, ``app_context``...) come from :mod:`tests.plugins.gui`.
"""

from __future__ import annotations

import itertools
import locale
import os
import socket
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api import Credentials, CryptexClient
from cryptex_desktop.sandbox import Account, SandboxServer

# Qt reads these when the first QApplication is made, which no test does before this runs.
os.environ["QT_QPA_PLATFORM"] = os.environ.get("CRYPTEX_TEST_QT_PLATFORM", "offscreen")
os.environ["QT_SCALE_FACTOR"] = "1"
os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"
os.environ["QT_FONT_DPI"] = "96"
for _desktop_setting in ("QT_SCREEN_SCALE_FACTORS", "QT_AUTO_SCREEN_SCALE_FACTOR",
                         "QT_DEVICE_PIXEL_RATIO", "QT_SCALE_FACTOR_ROUNDING_POLICY",
                         "QT_STYLE_OVERRIDE", "QT_QPA_PLATFORMTHEME"):
    os.environ.pop(_desktop_setting, None)

pytest_plugins = ["tests.plugins.gui", "tests.plugins.trust_figures"]

#: The environment a child process needs to speak English (C.UTF-8 is no locale on macOS).
ENGLISH = {"LANGUAGE": "en_US:en",
           "LC_ALL": "en_US.UTF-8" if sys.platform == "darwin" else "C.UTF-8"}

#: Folders whose every test drives Qt, and the trust tests, which load, kill and fuzz.
GUI_FOLDERS = {"ui"}
SLOW_FOLDERS = {"trust"}
#: Fixtures that bring up Qt, and fixtures that bring up the whole app on its demo exchange.
GUI_FIXTURES = {"qapp", "qtbot"}
SLOW_FIXTURES = {"window"}

_names = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests ``gui`` and ``slow`` by their folder, their fixtures, and Hypothesis."""
    tests_root = Path(__file__).parent
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        folders = set(item.path.relative_to(tests_root).parts[:-1])
        # A property test (Hypothesis's @given) tries hundreds of cases.
        property_test = hasattr(getattr(item, "obj", None), "hypothesis")
        if folders & GUI_FOLDERS or fixtures & (GUI_FIXTURES | SLOW_FIXTURES):
            item.add_marker(pytest.mark.gui)
        if folders & SLOW_FOLDERS or fixtures & SLOW_FIXTURES or property_test:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """English for Qt, the C library's messages and child processes, as tests compare it.

    QApplication takes the desktop's locale for the C library, so an OSError's text would be
    in the desktop's language; a test that wants another language sets it itself.
    """
    from PySide6.QtCore import QLocale

    from cryptex_desktop import i18n

    for name, value in ENGLISH.items():
        monkeypatch.setenv(name, value)
    i18n.install(i18n.SOURCE_LANGUAGE)
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    messages = getattr(locale, "LC_MESSAGES", None)  # Windows has none: its texts stay English
    if messages is not None:
        previous_messages = locale.setlocale(messages)
        locale.setlocale(messages, "C")
    yield
    if messages is not None:
        locale.setlocale(messages, previous_messages)
    QLocale.setDefault(previous)
    i18n.install(i18n.SOURCE_LANGUAGE)


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, in the Fusion style with its light palette."""
    from PySide6.QtCore import Qt

    qapp.setStyle("Fusion")
    qapp.styleHints().setColorScheme(Qt.ColorScheme.Light)
    qapp.setPalette(qapp.style().standardPalette())
    return qapp


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox exchange for the session: no market maker, no automatic blocks, no rate limit."""
    data_dir = tmp_path_factory.mktemp("sandbox")
    server = SandboxServer(data_dir, port=0, block_seconds=0, market_maker=False, rate_limit=None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """An exchange address where nothing listens, so every connection is refused.

    Its port stays bound, not listening, for the whole test: a port merely found free and let go
    could be taken by another process meanwhile, and the test would then reach that one."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/api/v1"


@pytest.fixture
def make_account(sandbox: SandboxServer):
    """Create a fresh funded account on the session sandbox: ``make_account(USD="100")``."""

    def make(**fund: str) -> Account:
        name = f"user{next(_names)}"
        return sandbox.exchange.create_user(name, {c: Decimal(a) for c, a in fund.items()})

    return make


@pytest.fixture
def make_client(sandbox: SandboxServer, tmp_path: Path):
    """A CryptexClient for an account of the session sandbox, closed after the test."""
    clients: list[CryptexClient] = []

    def make(account: Account, **options: object) -> CryptexClient:
        creds = Credentials(account.username, account.key, account.secret)
        client = CryptexClient(sandbox.url, creds, tmp_path / "client", **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
