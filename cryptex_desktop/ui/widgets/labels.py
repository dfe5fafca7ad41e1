"""Labels every screen uses: headings, captions, and the one sentence saying how an action went."""

from __future__ import annotations

import enum
import math
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPalette, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cryptex_desktop.ui import theme


class Tone(enum.Enum):
    """What a sentence tells: news, success, a problem, or something to check."""

    PLAIN = ""
    SUCCESS = "success"
    PROBLEM = "problem"
    WARNING = "warning"


_TONE_ROLES = {
    Tone.PLAIN: theme.Role.TEXT,
    Tone.SUCCESS: theme.Role.SUCCESS,
    Tone.PROBLEM: theme.Role.PROBLEM,
    Tone.WARNING: theme.Role.WARNING,
}


def heading_label(text: str, scale: float = 1.3) -> QLabel:
    """A bold heading, ``scale`` times the normal text size (1.3 at the top of a screen)."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text.replace("&", ""))
    return label


def set_text_role(label: QLabel, role: theme.Role) -> None:
    """Draw ``label``'s text in the theme's colour for ``role``.

    A :class:`ThemedLabel` (and so a :class:`ResultLabel`) keeps it when the theme changes.
    """
    label.setProperty("textRole", role.value)
    _recolour(label)


def _recolour(label: QLabel) -> None:
    value = label.property("textRole")
    role = theme.Role(value) if value else theme.Role.TEXT
    palette = label.palette()
    colour = theme.colour(role)
    if palette.color(QPalette.ColorRole.WindowText) != colour:
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        label.setPalette(palette)


def muted_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A quiet caption or hint, in the theme's muted colour."""
    label = ThemedLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    set_text_role(label, theme.Role.MUTED)
    return label


class ThemedLabel(QLabel):
    """A label whose text colour is a theme role, kept when the theme changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme.follow(self._follow_theme)

    def _follow_theme(self) -> None:
        _recolour(self)


class ResultLabel(ThemedLabel):
    """The sentence saying how an action went: plain news, green success, red problem.

    Plain text, word-wrapped and selectable (a person may copy an order number from it).
    With ``reserve_lines`` it keeps that many lines of room while empty or short, so that
    nothing below it moves when a sentence appears; with 0 it takes no room while empty.
    """

    def __init__(self, parent: QWidget | None = None, *, reserve_lines: int = 0) -> None:
        super().__init__(parent)
        self._tone = Tone.PLAIN
        self._reserve = reserve_lines
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._keep_room()
        self.show_message("")

    def show_message(self, text: str, tone: Tone = Tone.PLAIN) -> None:
        """Show ``text`` in the colour of ``tone``; an empty text clears the label."""
        self._tone = tone if text else Tone.PLAIN
        set_text_role(self, _TONE_ROLES[self._tone])
        self.setText(text)

    def setText(self, text: str) -> None:
        """Show ``text`` as it is; without reserved room, an empty label takes none."""
        super().setText(text)
        if not self._reserve:
            self.setVisible(bool(text))

    def clear(self) -> None:
        """Say nothing."""
        self.show_message("")

    def show_result(self, text: str) -> None:
        """Say how the action went, as plain news."""
        self.show_message(text, Tone.PLAIN)

    def show_success(self, text: str) -> None:
        """Say that it went through."""
        self.show_message(text, Tone.SUCCESS)

    def show_problem(self, text: str | None) -> None:
        """Say what went wrong (``None`` or empty clears)."""
        self.show_message(text or "", Tone.PROBLEM)

    def show_warning(self, text: str) -> None:
        """Say what to check before acting again."""
        self.show_message(text, Tone.WARNING)

    def clear_message(self) -> None:
        """Say nothing."""
        self.show_message("")

    def tone(self) -> Tone:
        """The tone of the sentence on show."""
        return self._tone

    def is_problem(self) -> bool:
        """Whether the sentence on show is a failure."""
        return self._tone is Tone.PROBLEM

    def changeEvent(self, event: QEvent) -> None:
        """Keep the reserved room when the font changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._keep_room()

    def _keep_room(self) -> None:
        if self._reserve:
            margins = self.contentsMargins()
            self.setMinimumHeight(self._reserve * self.fontMetrics().lineSpacing()
                                  + margins.top() + margins.bottom())


class WrappingLabel(QLabel):
    """A label on one line where there is room for it, on two or more where there is not.

    A plain word-wrapped label asks for a width of its own choosing and wraps even a short
    text; this one asks for its one-line width and wraps only when the layout has less.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        """The text's one-line size (QLabel's own guess when that is wider)."""
        hint = super().sizeHint()
        margins = self.contentsMargins()
        # As drawn: a mnemonic's "&" is not, a doubled "&&" is one "&".
        shown = self.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        metrics = QFontMetricsF(self.font())  # whole pixels round down, and wrap the last word
        one_line = (math.ceil(max((metrics.horizontalAdvance(line)
                                   for line in shown.splitlines()), default=0)) + 1
                    + margins.left() + margins.right() + 2 * self.margin())
        if one_line <= hint.width():
            return hint
        return QSize(one_line, self.heightForWidth(one_line))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Ask for the lines' height at the width given: a form's label column asks no label
        its height for a width, so a wrapped label would lose its second line there."""
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


def buddy_label(text: str, buddy: QWidget, *, wrap: bool = False) -> QLabel:
    """A form label whose mnemonic (Alt+letter) moves the focus to ``buddy``.

    With ``wrap``, a :class:`WrappingLabel`: two lines rather than a form wider than the window.
    """
    label = WrappingLabel(text) if wrap else QLabel(text)
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
