"""The app's remembered choices (QSettings): mode, live account name and URL, window, filters.

Secrets never come here: the API key and secret live in the OS keychain
(:mod:`cryptex_desktop.ui.credential_store`).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from cryptex_desktop.api.client import LIVE_URL
from cryptex_desktop.ui.language import LANGUAGE_CHOICES, SYSTEM_LANGUAGE

DEMO = "demo"
LIVE = "live"
DEFAULT_REFRESH_SECONDS = 10
#: How often market prices are asked for while a screen shows them.
DEFAULT_MARKET_SECONDS = 5
#: The choices of View > Theme, as saved (the values of theme.ThemeChoice).
SYSTEM_THEME = "system"
THEMES = (SYSTEM_THEME, "light", "dark")


class AppSettings:
    """Typed access to the app's QSettings file."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings or QSettings()

    @property
    def path(self) -> str:
        """Where the settings file is (for tests and the About box)."""
        return self._q.fileName()

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._q.sync()

    # -- the account --------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"demo"`` (the built-in exchange, fake money) or ``"live"`` (cryptex.net)."""
        value = self._q.value("account/mode", DEMO)
        return LIVE if value == LIVE else DEMO

    @mode.setter
    def mode(self, value: str) -> None:
        self._q.setValue("account/mode", LIVE if value == LIVE else DEMO)

    @property
    def live_username(self) -> str:
        """The live account's username (not a secret; the key and secret are in the keychain)."""
        return str(self._q.value("account/live_username", ""))

    @live_username.setter
    def live_username(self, value: str) -> None:
        self._q.setValue("account/live_username", value.strip())

    @property
    def live_url(self) -> str:
        """The live exchange's API address, editable under Advanced."""
        return str(self._q.value("account/live_url", LIVE_URL)) or LIVE_URL

    @live_url.setter
    def live_url(self, value: str) -> None:
        self._q.setValue("account/live_url", value.strip() or LIVE_URL)

    # -- behaviour ----------------------------------------------------------------------------

    @property
    def refresh_seconds(self) -> int:
        """How often open views refresh by themselves."""
        try:
            seconds = int(str(self._q.value("refresh/seconds", DEFAULT_REFRESH_SECONDS)))
        except (TypeError, ValueError):
            seconds = DEFAULT_REFRESH_SECONDS
        return min(max(seconds, 2), 600)

    @refresh_seconds.setter
    def refresh_seconds(self, value: int) -> None:
        self._q.setValue("refresh/seconds", int(value))

    @property
    def market_seconds(self) -> int:
        """How often market prices are asked for while a screen shows them (2 to 600 s)."""
        try:
            seconds = int(str(self._q.value("market/seconds", DEFAULT_MARKET_SECONDS)))
        except (TypeError, ValueError):
            seconds = DEFAULT_MARKET_SECONDS
        return min(max(seconds, 2), 600)

    @market_seconds.setter
    def market_seconds(self, value: int) -> None:
        self._q.setValue("market/seconds", int(value))

    # -- appearance -----------------------------------------------------------------------------

    @property
    def theme(self) -> str:
        """View > Theme: ``"system"`` (follow the desktop), ``"light"`` or ``"dark"``."""
        value = str(self._q.value("appearance/theme", SYSTEM_THEME))
        return value if value in THEMES else SYSTEM_THEME

    @theme.setter
    def theme(self, value: str) -> None:
        self._q.setValue("appearance/theme", value if value in THEMES else SYSTEM_THEME)

    @property
    def language(self) -> str:
        """Settings > Language: ``"system"`` (follow the desktop) or a language code."""
        value = str(self._q.value("appearance/language", SYSTEM_LANGUAGE))
        return value if value in LANGUAGE_CHOICES else SYSTEM_LANGUAGE

    @language.setter
    def language(self, value: str) -> None:
        self._q.setValue("appearance/language",
                         value if value in LANGUAGE_CHOICES else SYSTEM_LANGUAGE)

    # -- window and view state ------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        value = self._q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def last_tab(self) -> str:
        """The name of the screen open when the app last closed."""
        return str(self._q.value("window/last_tab", ""))

    @last_tab.setter
    def last_tab(self, value: str) -> None:
        self._q.setValue("window/last_tab", value)

    def view_state(self, screen: str, name: str, default: object = None) -> object:
        """A remembered filter or choice of one screen (pair, side, currency...)."""
        value = self._q.value(f"views/{screen}/{name}", default)
        return default if value is None else value

    def set_view_state(self, screen: str, name: str, value: str | int) -> None:
        """Remember a filter or choice of one screen for the next start."""
        self._q.setValue(f"views/{screen}/{name}", value)
