"""Room kept under a form field for its sentence, so the rows below never move under the pointer.

A hint or a problem under a field (an address check, a coupon code check) may take one line
or two. :class:`MessageRoom` holds the sentence and keeps the height of ``lines`` lines of it
whether it is empty or not, so a button below stays where the person is about to click.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class MessageRoom(QWidget):
    """A field's sentence with room for ``lines`` lines kept, empty or not.

    A longer sentence still shows whole (the room grows); nothing is ever cut off.
    """

    def __init__(self, message: QLabel, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = message
        self._lines = lines
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Top-aligned, no stretch: the room keeps its height without asking for more.
        layout.addWidget(message, 0, Qt.AlignmentFlag.AlignTop)
        self._keep_room()

    def changeEvent(self, event: QEvent) -> None:
        """Measure the room again when the font changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._keep_room()

    def _keep_room(self) -> None:
        margins = self.message.contentsMargins()
        self.setMinimumHeight(self._lines * self.message.fontMetrics().lineSpacing()
                              + margins.top() + margins.bottom())
