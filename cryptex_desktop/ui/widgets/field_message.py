"""The sentence under a form field: red when something needs fixing, grey for a hint.

A field that can say how it read what was typed (``reading()``, as AmountEdit's "Read as
65,130 USD") has that shown in grey while nothing is wrong: :meth:`FieldMessage.show_field_state`
is the one place that decides, for :meth:`FieldMessage.follow` and for screens that check
their fields by hand.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, Qt, SignalInstance
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from cryptex_desktop.ui import theme


class CheckedField(Protocol):
    """A field that can say what is wrong with what was typed (AmountEdit, AddressEdit...)."""

    textChanged: SignalInstance

    def problem(self) -> str | None:
        """A sentence telling the person what to fix, or None when the value is fine."""

    def text(self) -> str:
        """What is typed in the field."""


class FieldMessage(QLabel):
    """A word-wrapped sentence under a field that keeps one line of height when empty.

    Problems are red, hints grey; both colours come from the theme, so they stay readable
    in dark themes. Text is always plain text: a sentence from the server is never HTML.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._is_problem = False
        self._hint = ""
        self._recolouring = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        # Right under its field: any room to spare goes below the sentence, not above it.
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._keep_one_line()
        self._recolour()
        theme.follow(self._recolour)

    def show_problem(self, text: str | None) -> None:
        """Show ``text`` in red; ``None`` or empty goes back to the hint (if any)."""
        if text:
            self._is_problem = True
            self.setText(text)
        else:
            self._is_problem = False
            self.setText(self._hint)
        self._recolour()

    def show_hint(self, text: str) -> None:
        """Show ``text`` in grey, and remember it to show again when a problem is fixed."""
        self._hint = text
        self._is_problem = False
        self.setText(text)
        self._recolour()

    def show_field_state(self, field: CheckedField, problem: str | None) -> None:
        """``problem`` in red; without one, how ``field`` read its text (grey), else the hint.

        The caller decides ``problem`` (usually ``field.problem()``, ``None`` for an untouched
        empty field, or a problem of its own such as a balance); a field without a
        ``reading()`` method goes straight back to the hint.
        """
        reading = None
        if not problem:
            read = getattr(field, "reading", None)
            reading = read() if callable(read) else None
        if reading:
            self._is_problem = False
            self.setText(reading)  # the hint is kept for when the reading goes
            self._recolour()
        else:
            self.show_problem(problem)

    def clear_message(self) -> None:
        """Show nothing (the label keeps its height) and forget the hint."""
        self._hint = ""
        self.show_problem(None)

    def is_problem(self) -> bool:
        """True while the label shows a problem (red) rather than a hint or nothing."""
        return self._is_problem

    def follow(self, field: CheckedField, *, only_after_typing: bool = True) -> None:
        """Show ``field.problem()``, else its reading, after every edit of a QLineEdit-like field.

        With ``only_after_typing`` an empty field shows the hint instead of "enter something":
        nobody wants to be told off before they started.
        """

        def refresh(_text: str = "") -> None:
            if only_after_typing and not field.text().strip():
                self.show_problem(None)
            else:
                self.show_field_state(field, field.problem())

        field.textChanged.connect(refresh)

    def changeEvent(self, event: QEvent) -> None:
        """Pick the colours again when the theme (palette) or font changes."""
        super().changeEvent(event)
        kind = event.type()
        if kind in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._recolour()
        elif kind == QEvent.Type.FontChange:
            self._keep_one_line()

    def setText(self, text: str) -> None:
        """Show ``text``, with the height its lines need at the width the label has."""
        super().setText(text)
        self._keep_one_line()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Ask for the height of the lines at the new width (a form asks no label for it)."""
        super().resizeEvent(event)
        self._keep_one_line()

    def _keep_one_line(self) -> None:
        # One line at least, kept when empty; more when a longer language wraps onto more.
        margins = self.contentsMargins()
        needed = self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()
        if self.text() and self.width() > 0:
            needed = max(needed, self.heightForWidth(self.width()))
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def _recolour(self) -> None:
        # Setting the palette sends a PaletteChange to ourselves; do not loop on it.
        if self._recolouring:
            return
        palette = self.palette()
        colour = theme.colour(theme.Role.PROBLEM if self._is_problem else theme.Role.MUTED)
        if palette.color(QPalette.ColorRole.WindowText) == colour:
            return
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._recolouring = True
        try:
            self.setPalette(palette)
        finally:
            self._recolouring = False
