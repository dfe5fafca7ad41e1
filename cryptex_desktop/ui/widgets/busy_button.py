"""A push button that says it is working, and cannot be pressed twice, while a job runs."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QPushButton, QWidget

from cryptex_desktop.i18n import _

_FRAME_MS = 80
_FRAMES = 12


class BusyButton(QPushButton):
    """A QPushButton with ``set_busy(True)``: disabled, busy text, a turning spinner.

    ``set_busy(False)`` puts back the text, icon and enabled state it had before.
    """

    def __init__(
        self, text: str = "", parent: QWidget | None = None, busy_text: str | None = None
    ) -> None:
        super().__init__(text, parent)
        self._busy_text = busy_text or _("Working…")
        self._busy = False
        self._frame = 0
        self._saved_text = ""
        self._saved_icon = QIcon()
        self._saved_enabled = True
        self._timer = QTimer(self)
        self._timer.setInterval(_FRAME_MS)
        self._timer.timeout.connect(self._next_frame)

    def set_busy_text(self, text: str) -> None:
        """The text to show while busy, e.g. "Placing order…"."""
        self._busy_text = text
        if self._busy:
            self.setText(text)

    def is_busy(self) -> bool:
        """True between ``set_busy(True)`` and ``set_busy(False)``."""
        return self._busy

    def set_busy(self, busy: bool, busy_text: str | None = None) -> None:
        """Start (``True``) or stop (``False``) showing that the button's job is running."""
        if busy_text is not None:
            self._busy_text = busy_text
        if busy == self._busy:
            if busy:
                self.setText(self._busy_text)
            return
        self._busy = busy
        if busy:
            self._saved_text = self.text()
            self._saved_icon = self.icon()
            self._saved_enabled = self.isEnabled()
            self.setEnabled(False)
            self.setText(self._busy_text)
            self._frame = 0
            self._show_frame()
            self._timer.start()
        else:
            self._timer.stop()
            self.setText(self._saved_text)
            self.setIcon(self._saved_icon)
            self.setEnabled(self._saved_enabled)

    def spinner_frame(self) -> int:
        """Which step of the spinner is showing (it advances while busy)."""
        return self._frame

    def _next_frame(self) -> None:
        self._frame = (self._frame + 1) % _FRAMES
        self._show_frame()

    def _show_frame(self) -> None:
        colour = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText)
        pixmap = _spinner_pixmap(colour, self._frame)
        icon = QIcon()
        # The button is disabled while busy; keep the spinner in full colour regardless.
        icon.addPixmap(pixmap, QIcon.Mode.Normal)
        icon.addPixmap(pixmap, QIcon.Mode.Disabled)
        self.setIcon(icon)


def _spinner_pixmap(colour: QColor, frame: int) -> QPixmap:
    """A three-quarter ring turned by ``frame`` twelfths of a circle."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, 4)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        # Qt angles are in sixteenths of a degree, counter-clockwise; turn clockwise.
        start = -frame * (360 // _FRAMES) * 16
        painter.drawArc(QRectF(4, 4, size - 8, size - 8), start, 270 * 16)
    finally:
        painter.end()
    return pixmap
