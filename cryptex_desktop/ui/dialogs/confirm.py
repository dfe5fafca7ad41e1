"""The last look before money moves: exactly what leaves, what arrives, and where it goes.

Every action that moves money (an order, a cancel, a withdrawal, a coupon) opens a
:class:`ConfirmDialog` first. It is window-modal but opened with ``open()``, so nothing
blocks; the action runs only on ``accepted``. Cancel is the default button, so a stray
Enter press never sends money; it is a plain button (no red ✗: cancelling is the safe choice),
and the button that moves the money carries the theme's colour for money leaving.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import ResultLabel
from cryptex_desktop.ui.widgets.layout import tab_through_buttons


class AccentButton(QPushButton):
    """A push button drawn in a theme colour (money leaving), redrawn when the theme changes."""

    def __init__(self, text: str, role: theme.Role, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._role = role
        self._style_for = ""  # the theme the style sheet was made for
        self._restyle()
        theme.follow(self._restyle)

    def role(self) -> theme.Role:
        """The theme colour the button is drawn in."""
        return self._role

    def changeEvent(self, event: QEvent) -> None:
        """Ask the theme again when the application palette changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()

    def _restyle(self) -> None:
        # A style sheet sends a PaletteChange of its own: restyle only for a new theme.
        if self._style_for == theme.current().name:
            return
        self._style_for = theme.current().name
        back = theme.colour(self._role)
        focus = theme.hex_colour(theme.Role.TEXT)
        self.setStyleSheet(
            f"QPushButton {{ background: {back.name()}; "
            f"color: {theme.hex_colour(theme.Role.ON_ACCENT)}; border: 1px solid "
            f"{back.darker(120).name()}; border-radius: 3px; padding: 5px 14px; }}"
            f"QPushButton:hover {{ background: {back.lighter(110).name()}; }}"
            f"QPushButton:pressed {{ background: {back.darker(115).name()}; }}"
            f"QPushButton:focus {{ border: 2px solid {focus}; }}"
        )


class ConfirmDialog(QDialog):
    """A question, the facts as label/value rows, and two buttons: Cancel and the action."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        question: str,
        rows: Sequence[tuple[str, str]],
        confirm_text: str,
        note: str | None = None,
        monospace_rows: Sequence[str] = (),
        cancel_text: str | None = None,
        confirm_role: theme.Role = theme.Role.SELL,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        headline = QLabel(question)
        headline.setWordWrap(True)
        font = headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        headline.setFont(font)
        layout.addWidget(headline)

        # What to look at twice (a price far from the market), above the facts.
        self.warnings: list[ResultLabel] = []
        for text in warnings:
            warning = ResultLabel()
            warning.show_warning(text)
            warning.setAccessibleName(_("Check this"))
            layout.addWidget(warning)
            self.warnings.append(warning)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        fixed = monospace_font()
        self.values: dict[str, QLabel] = {}
        for label, value in rows:
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            if label in monospace_rows:
                shown.setFont(fixed)
            shown.setAccessibleName(label)
            self.values[label] = shown
            # Translators: a row's name before its value, e.g. "Status:".
            form.addRow(_("{label}:").format(label=label), shown)
        layout.addLayout(form)

        if note:
            self.note = QLabel(note)
            self.note.setWordWrap(True)
            layout.addWidget(self.note)

        buttons = QDialogButtonBox()
        # A text button, not the standard Cancel: styles draw a red ✗ on that one, and
        # cancelling is the safe choice here. "Keep order" beside "Cancel order", say.
        self.cancel_button = QPushButton(cancel_text or _("Cancel"))
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button: QPushButton = AccentButton(confirm_text, confirm_role)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        for button in (self.cancel_button, self.confirm_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self.cancel_button.setDefault(True)
        self.cancel_button.setAutoDefault(True)
        # Enter presses the button with the focus: Cancel at first, the action once tabbed to.
        self.confirm_button.setAutoDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        tab_through_buttons(buttons)  # Tab goes left to right, whichever side Cancel is on
        self.cancel_button.setFocus()  # the focus starts on the safe choice, wherever it sits
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def warning_texts(self) -> list[str]:
        """The warnings shown above the facts, in order."""
        return [label.text() for label in self.warnings]

    def value_text(self, label: str) -> str:
        """The text shown for one row (tests read the dialog as a person would)."""
        return self.values[label].text()


def confirm(parent: QWidget, on_confirm: Callable[[], object], **kwargs: Any) -> ConfirmDialog:
    """Open a :class:`ConfirmDialog`; ``on_confirm()`` runs only if the person confirms."""
    dialog = ConfirmDialog(parent, **kwargs)
    dialog.accepted.connect(on_confirm)
    dialog.open()
    return dialog

