"""The status bar: demo or live, when data last arrived, what is in flight, the last problem."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QWidget

from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.i18n import _

_DEMO_STYLE = "QLabel { background: #f0b429; color: #1f1f1f; font-weight: bold; padding: 1px 8px;" \
              " border-radius: 3px; }"
_LIVE_STYLE = "QLabel { background: #2f855a; color: white; font-weight: bold; padding: 1px 8px;" \
              " border-radius: 3px; }"


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to fit, never widening the window.

    The whole text stays in :meth:`full_text` and the tooltip.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
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
    """Shows the mode badge, the last successful update, requests in flight and the last error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode_badge = QLabel(_("Connecting…"))
        self.addWidget(self.mode_badge)

        self.error_label = ElidedLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("QLabel { color: #c53030; }")
        self.addWidget(self.error_label, 1)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: we cannot know how long the exchange takes
        self.busy.setMaximumWidth(80)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.in_flight_label = QLabel()
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.in_flight_label)

        self.updated_label = QLabel(_("Not updated yet"))
        self.addPermanentWidget(self.updated_label)

    def set_mode(self, label: str, is_demo: bool) -> None:
        """Show DEMO (fake money) or LIVE plainly."""
        self.mode_badge.setText(label)
        self.mode_badge.setStyleSheet(_DEMO_STYLE if is_demo else _LIVE_STYLE)
        self.mode_badge.setToolTip(
            _("Demo mode: a practice exchange inside this app, with pretend money. Nothing you do "
              "here touches real funds.")
            if is_demo else
            _("Live mode: you are trading with real money on your Cryptex account.")
        )

    def set_connecting(self, text: str) -> None:
        """Say that the app is connecting."""
        self.mode_badge.setText(text)
        self.mode_badge.setStyleSheet("")

    @Slot(int)
    def set_in_flight(self, count: int) -> None:
        """How many requests are waiting or running."""
        self.busy.setVisible(count > 0)
        self.in_flight_label.setText(
            "" if count == 0 else _("{n} request(s) in progress").format(n=count)
        )

    @Slot()
    def mark_updated(self) -> None:
        """A request succeeded just now; a problem shown before is over."""
        self.updated_label.setText(
            _("Updated {time}").format(time=datetime.now().strftime("%H:%M:%S"))
        )
        self.error_label.setText("")

    def show_problem(self, error: BaseException | str) -> None:
        """Show the last problem in words (full text in the tooltip)."""
        self.error_label.setText(error if isinstance(error, str) else describe(error))
