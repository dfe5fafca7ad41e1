"""The status bar: demo or live, when data last arrived, what is in flight, the last problem."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QWidget

from cryptex_desktop.i18n import _, _n
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.widgets.labels import ThemedLabel, set_text_role


def _badge_style(background: theme.Role, text: theme.Role) -> str:
    return (f"QLabel {{ background: {theme.hex_colour(background)}; "
            f"color: {theme.hex_colour(text)}; font-weight: bold; padding: 1px 8px; "
            "border-radius: 3px; }")


def in_flight_words(count: int) -> str:
    """What the status bar says while the app waits for the exchange ("" when it does not)."""
    if count <= 0:
        return ""
    if count == 1:
        return _("Talking to the exchange…")
    return _n("Talking to the exchange ({count} thing to fetch)…",
              "Talking to the exchange ({count} things to fetch)…", count).format(count=count)


class ElidedLabel(ThemedLabel):
    """A one-line label that shortens its text with "…" to fit, never widening the window.

    The whole text stays in :meth:`full_text`, the tooltip and the accessible description.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)  # a screen reader says it whole, not only on hover
        self._elide()

    def full_text(self) -> str:
        """The text before shortening."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              max(self.width(), 0))
        super().setText(shown)


class AppStatusBar(QStatusBar):
    """The mode badge, the last problem, news, what is in flight, and the last update.

    Every item is a permanent widget, so a passing message (:meth:`tell`) never covers the
    DEMO/LIVE badge: news is shown in a label of its own, which a timer clears.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode: bool | None = None  # True: demo, False: live, None: not connected

        self.mode_badge = QLabel(_("Connecting…"))
        self.mode_badge.setAccessibleName(_("Connecting…"))
        self.addPermanentWidget(self.mode_badge)

        self.error_label = ElidedLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setAccessibleName(_("Problem"))
        set_text_role(self.error_label, theme.Role.PROBLEM)
        self.addPermanentWidget(self.error_label, 1)

        self.news_label = ElidedLabel()
        self.news_label.setTextFormat(Qt.TextFormat.PlainText)
        self.news_label.setAccessibleName(_("News"))
        self.news_label.hide()
        self.addPermanentWidget(self.news_label, 1)
        self._news_timer = QTimer(self)
        self._news_timer.setSingleShot(True)
        self._news_timer.timeout.connect(self.clear_news)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: we cannot know how long the exchange takes
        self.busy.setMaximumWidth(80)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(_("Talking to the exchange"))
        self.busy.hide()
        self.in_flight_label = QLabel()
        self.in_flight_label.setAccessibleName(_("Talking to the exchange"))
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.in_flight_label)

        self.updated_label = QLabel(_("Not updated yet"))
        self.updated_label.setAccessibleName(_("Not updated yet"))
        self.addPermanentWidget(self.updated_label)

    def set_mode(self, label: str, is_demo: bool) -> None:
        """Show DEMO (fake money) or LIVE plainly."""
        self._mode = is_demo
        self.mode_badge.setText(label)
        description = (
            _("Demo mode: a practice exchange inside this app, with pretend money. Nothing you "
              "do here touches real funds.")
            if is_demo else
            _("Live mode: you are trading with real money on your Cryptex account.")
        )
        self.mode_badge.setToolTip(description)
        self.mode_badge.setAccessibleName(label)
        self.mode_badge.setAccessibleDescription(description)
        self.restyle()

    def set_connecting(self, text: str) -> None:
        """Say that the app is connecting."""
        self._mode = None
        self.mode_badge.setText(text)
        self.mode_badge.setAccessibleName(text)
        self.mode_badge.setToolTip("")
        self.restyle()

    @Slot()
    def restyle(self) -> None:
        """Colour the badge from the theme in use (again, after the theme changed)."""
        if self._mode is None:
            self.mode_badge.setStyleSheet("")
        elif self._mode:
            self.mode_badge.setStyleSheet(_badge_style(theme.Role.DEMO_BADGE,
                                                       theme.Role.DEMO_BADGE_TEXT))
        else:
            self.mode_badge.setStyleSheet(_badge_style(theme.Role.LIVE_BADGE,
                                                       theme.Role.LIVE_BADGE_TEXT))

    def changeEvent(self, event: QEvent) -> None:
        """The badge's colours come from the theme: ask again when it changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self.restyle()

    @Slot(int)
    def set_in_flight(self, count: int) -> None:
        """Whether the app is waiting for the exchange, in words."""
        self.busy.setVisible(count > 0)
        self.in_flight_label.setText(in_flight_words(count))

    @Slot()
    def mark_updated(self) -> None:
        """A request succeeded just now; a problem shown before is over."""
        text = _("Updated {time}").format(time=datetime.now().strftime("%H:%M:%S"))
        self.updated_label.setText(text)
        self.updated_label.setAccessibleName(text)
        self.clear_problem()

    def show_problem(self, error: BaseException | str) -> None:
        """Show the last problem in words (full text in the tooltip)."""
        text = error if isinstance(error, str) else describe(error)
        self.error_label.setText(text)

    def clear_problem(self) -> None:
        """The problem is over."""
        self.error_label.setText("")
        self.error_label.setAccessibleDescription("")

    def problem_text(self) -> str:
        """The problem on show, whole ("" when there is none)."""
        return self.error_label.full_text()

    def tell(self, text: str, timeout_ms: int = 10_000) -> None:
        """News for a while, beside the badge (never over it)."""
        self.news_label.setText(text)
        self.news_label.setAccessibleDescription(text)
        self.news_label.show()
        self._news_timer.start(timeout_ms)

    @Slot()
    def clear_news(self) -> None:
        """The news has been on show long enough."""
        self._news_timer.stop()
        self.news_label.setText("")
        self.news_label.hide()

    def news_text(self) -> str:
        """The news on show ("" when there is none)."""
        return self.news_label.full_text() if self.news_label.isVisible() else ""
