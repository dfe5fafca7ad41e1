"""Labels every screen uses: the heading at the top, and the sentence saying how an action went."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget


def heading_label(text: str, scale: float = 1.3) -> QLabel:
    """A bold heading, ``scale`` times the normal text size (1.3 at the top of a screen)."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class OutcomeLabel(QLabel):
    """The sentence saying how an action ended: in the normal text colour, red if it failed.

    (FieldMessage shows hints in a faint grey, too easy to miss for a result.)
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_result(self, text: str) -> None:
        """Say how the action went."""
        self._problem = False
        self.setStyleSheet("")
        self.setText(text)

    def show_problem(self, text: str) -> None:
        """Say, in red, what went wrong."""
        self._problem = True
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.setStyleSheet(f"QLabel {{ color: {'#ff8080' if dark else '#b00020'}; }}")
        self.setText(text)

    def is_problem(self) -> bool:
        """Whether the sentence on show is a failure."""
        return self._problem

    def clear_outcome(self) -> None:
        """Say nothing."""
        self.show_result("")
