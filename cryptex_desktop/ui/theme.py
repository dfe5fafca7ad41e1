"""The app's colours, light and dark, in one place, and the choice between them.

Every colour a screen, dialog, model or widget shows comes from here by what it is for
(:class:`Role`), never as a literal: switching between light and dark then changes every
one of them, and :data:`READABLE_PAIRS` lists what text sits on what background so a test
can hold each pair to a WCAG AA contrast ratio of at least 4.5:1.

The app draws with Qt's Fusion style and one of two palettes. "System" follows the
desktop's colour scheme (Qt's colour scheme hint) and changes when the desktop does.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from cryptex_desktop.i18n import _


class ThemeChoice(enum.StrEnum):
    """What the person chose under View > Theme."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    def label(self) -> str:
        """The menu's word for this choice."""
        return {
            ThemeChoice.SYSTEM: _("&System"),
            ThemeChoice.LIGHT: _("&Light"),
            ThemeChoice.DARK: _("&Dark"),
        }[self]


class Role(enum.Enum):
    """What a colour is for."""

    WINDOW = "window"  # the background of screens and dialogs
    BASE = "base"  # the background of fields and tables
    ALTERNATE_BASE = "alternate_base"  # every other table row
    PANEL = "panel"  # help boxes and the quiet background of a problem state
    TEXT = "text"
    MUTED = "muted"  # hints, captions, placeholders
    BUTTON = "button"
    BUTTON_TEXT = "button_text"
    HIGHLIGHT = "highlight"  # selection, focus
    HIGHLIGHTED_TEXT = "highlighted_text"
    LINK = "link"
    BORDER = "border"
    TOOLTIP = "tooltip"
    TOOLTIP_TEXT = "tooltip_text"
    SUCCESS = "success"  # it went through
    PROBLEM = "problem"  # it did not, or something needs fixing
    WARNING = "warning"  # it may not have: check before acting
    BUY = "buy"  # buy side, incoming money
    SELL = "sell"  # sell side, outgoing money
    ON_ACCENT = "on_accent"  # text on a BUY or SELL background (the side buttons)
    DEMO_BADGE = "demo_badge"
    DEMO_BADGE_TEXT = "demo_badge_text"
    LIVE_BADGE = "live_badge"
    LIVE_BADGE_TEXT = "live_badge_text"


@dataclass(frozen=True)
class Theme:
    """One set of colours: a name and a hex colour per :class:`Role`."""

    name: str
    dark: bool
    colours: MappingProxyType[Role, str]

    def hex(self, role: Role) -> str:
        """The colour for ``role`` as ``#rrggbb``."""
        return self.colours[role]

    def colour(self, role: Role) -> QColor:
        """The colour for ``role``."""
        return QColor(self.colours[role])


def _theme(name: str, dark: bool, **colours: str) -> Theme:
    table = {Role(key): value for key, value in colours.items()}
    missing = set(Role) - set(table)
    if missing:
        raise ValueError(f"theme {name} lacks {sorted(r.value for r in missing)}")
    return Theme(name, dark, MappingProxyType(table))


LIGHT = _theme(
    "light", False,
    window="#f4f5f7", base="#ffffff", alternate_base="#f2f4f7", panel="#eaedf1",
    text="#1f2328", muted="#596069", button="#e6e9ee", button_text="#1f2328",
    highlight="#0a5fc2", highlighted_text="#ffffff", link="#0a5fc2", border="#b9c0c9",
    tooltip="#2b3036", tooltip_text="#f4f5f7",
    success="#16713a", problem="#b00020", warning="#8a5a00",
    buy="#16713a", sell="#c4202b", on_accent="#ffffff",
    demo_badge="#f0b429", demo_badge_text="#1f1f1f",
    live_badge="#16713a", live_badge_text="#ffffff",
)

DARK = _theme(
    "dark", True,
    window="#1e2126", base="#16181c", alternate_base="#1d2025", panel="#272b31",
    text="#e6edf3", muted="#a3acb7", button="#2d3239", button_text="#e6edf3",
    highlight="#3d8bfd", highlighted_text="#0b0d10", link="#6cb0ff", border="#454c55",
    tooltip="#e6edf3", tooltip_text="#1e2126",
    success="#4ac15b", problem="#ff8a80", warning="#e3b341",
    buy="#4ac15b", sell="#ff7b72", on_accent="#0b0d10",
    demo_badge="#f0b429", demo_badge_text="#1f1f1f",
    live_badge="#4ac15b", live_badge_text="#0b0d10",
)

#: Text colour on background colour, each pair the app really draws; each must read at 4.5:1.
READABLE_PAIRS: tuple[tuple[Role, Role], ...] = (
    *((fore, back) for fore in (Role.TEXT, Role.MUTED, Role.SUCCESS, Role.PROBLEM, Role.WARNING,
                                Role.BUY, Role.SELL, Role.LINK)
      for back in (Role.WINDOW, Role.BASE, Role.ALTERNATE_BASE)),
    (Role.TEXT, Role.PANEL),
    (Role.MUTED, Role.PANEL),
    (Role.PROBLEM, Role.PANEL),
    (Role.BUTTON_TEXT, Role.BUTTON),
    (Role.HIGHLIGHTED_TEXT, Role.HIGHLIGHT),
    (Role.TOOLTIP_TEXT, Role.TOOLTIP),
    (Role.ON_ACCENT, Role.BUY),
    (Role.ON_ACCENT, Role.SELL),
    (Role.DEMO_BADGE_TEXT, Role.DEMO_BADGE),
    (Role.LIVE_BADGE_TEXT, Role.LIVE_BADGE),
)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    A ratio of colours, not money: float is right here.
    """
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    colour = QColor(hex_colour)
    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


# -- the theme in use ---------------------------------------------------------------------------

_current: Theme = LIGHT


def current() -> Theme:
    """The colours in use now."""
    return _current


def colour(role: Role) -> QColor:
    """The colour in use now for ``role``."""
    return _current.colour(role)


def hex_colour(role: Role) -> str:
    """The colour in use now for ``role`` as ``#rrggbb`` (for style sheets)."""
    return _current.hex(role)


def is_dark() -> bool:
    """Whether the dark colours are in use."""
    return _current.dark


def desktop_prefers_dark() -> bool:
    """Whether the desktop asks for a dark scheme (unknown counts as light)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve(choice: ThemeChoice) -> Theme:
    """The colours a choice means on this desktop now."""
    if choice == ThemeChoice.LIGHT:
        return LIGHT
    if choice == ThemeChoice.DARK:
        return DARK
    return DARK if desktop_prefers_dark() else LIGHT


def qt_palette(theme: Theme) -> QPalette:
    """The Fusion palette for ``theme``, with quieter colours for disabled controls."""
    c = theme.colour
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: Role.WINDOW,
        QPalette.ColorRole.WindowText: Role.TEXT,
        QPalette.ColorRole.Base: Role.BASE,
        QPalette.ColorRole.AlternateBase: Role.ALTERNATE_BASE,
        QPalette.ColorRole.Text: Role.TEXT,
        QPalette.ColorRole.Button: Role.BUTTON,
        QPalette.ColorRole.ButtonText: Role.BUTTON_TEXT,
        QPalette.ColorRole.BrightText: Role.PROBLEM,
        QPalette.ColorRole.Highlight: Role.HIGHLIGHT,
        QPalette.ColorRole.HighlightedText: Role.HIGHLIGHTED_TEXT,
        QPalette.ColorRole.Link: Role.LINK,
        QPalette.ColorRole.LinkVisited: Role.LINK,
        QPalette.ColorRole.ToolTipBase: Role.TOOLTIP,
        QPalette.ColorRole.ToolTipText: Role.TOOLTIP_TEXT,
        QPalette.ColorRole.PlaceholderText: Role.MUTED,
        QPalette.ColorRole.Mid: Role.BORDER,
        QPalette.ColorRole.Midlight: Role.PANEL,
    }
    for qt_role, role in roles.items():
        palette.setColor(qt_role, c(role))
    dark_shade = c(Role.BORDER).darker(150)
    palette.setColor(QPalette.ColorRole.Dark, dark_shade)
    palette.setColor(QPalette.ColorRole.Shadow, dark_shade.darker(150))
    palette.setColor(QPalette.ColorRole.Light, c(Role.BASE).lighter(110))
    disabled = QPalette.ColorGroup.Disabled
    for qt_role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                    QPalette.ColorRole.ButtonText):
        palette.setColor(disabled, qt_role, c(Role.MUTED))
    palette.setColor(disabled, QPalette.ColorRole.Button, c(Role.WINDOW))
    palette.setColor(disabled, QPalette.ColorRole.Base, c(Role.WINDOW))
    palette.setColor(disabled, QPalette.ColorRole.Highlight, c(Role.BORDER))
    return palette


class _ThemeSignals(QObject):
    """The one object that says the colours changed; widgets with colours of their own listen."""

    changed = Signal()


_signals: _ThemeSignals | None = None


def signals() -> _ThemeSignals:
    """Where :func:`follow` listens; made on first use (Qt must be running)."""
    global _signals
    if _signals is None:
        _signals = _ThemeSignals()
    return _signals


def follow(refresh: Callable[[], None]) -> None:
    """Call ``refresh`` (a bound method of a widget) after every change of theme.

    A widget that draws colours of its own (a style sheet, its own palette) cannot rely on
    palette events: one with a palette of its own is not told of the application's. Connected
    to a bound method, the connection ends with the widget.
    """
    signals().changed.connect(refresh)


class ThemeKeeper(QObject):
    """Applies the chosen colours to the app and follows the desktop while "System" is chosen.

    ``changed`` tells widgets with colours of their own (style sheets) to ask again; plain
    widgets follow the application palette by themselves.
    """

    changed = Signal()

    def __init__(self, app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._choice = choice
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_desktop_changed)
        self.apply(choice)

    @property
    def choice(self) -> ThemeChoice:
        """What the person chose."""
        return self._choice

    def apply(self, choice: ThemeChoice) -> None:
        """Use ``choice`` from now on."""
        global _current
        self._choice = choice
        theme = resolve(choice)
        changed = theme is not _current
        _current = theme
        self._app.setPalette(qt_palette(theme))
        if changed:
            signals().changed.emit()
            self.changed.emit()

    def _on_desktop_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == ThemeChoice.SYSTEM:
            self.apply(ThemeChoice.SYSTEM)


def style_sheet_colour(role: Role) -> str:
    """``color: #rrggbb;`` for ``role``, for the few widgets that colour text by style sheet."""
    return f"color: {hex_colour(role)};"
