"""Labels every screen uses: headings, form labels, and sentences saying how an action went."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


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


class ResultLabel(QLabel):
    """A wrapped, selectable, plain-text sentence saying how an action ended.

    It takes no room while empty, so a problem shown below it sits right under the button.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)

    def setText(self, text: str) -> None:
        """Show ``text``; an empty text hides the label."""
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        """Show nothing and take no room."""
        self.setText("")


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic (Alt+letter) moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def stacked(*items: QWidget | QHBoxLayout) -> QWidget:
    """Widgets and rows stacked tightly: a field with its sentences right under it."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(3)
    for item in items:
        if isinstance(item, QWidget):
            layout.addWidget(item)
        else:
            layout.addLayout(item)
    return holder
