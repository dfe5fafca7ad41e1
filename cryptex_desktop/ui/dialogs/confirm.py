"""The last look before money moves: exactly what leaves, what arrives, and where it goes.

Every action that moves money (an order, a cancel, a withdrawal, a coupon) opens a
:class:`ConfirmDialog` first. It is window-modal but opened with ``open()``, so nothing
blocks; the action runs only on ``accepted``. Cancel is the default button, so a stray
Enter press never sends money.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
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

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.values: dict[str, QLabel] = {}
        for label, value in rows:
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            if label in monospace_rows:
                shown.setFont(fixed)
            self.values[label] = shown
            form.addRow(f"{label}:", shown)
        layout.addLayout(form)

        if note:
            self.note = QLabel(note)
            self.note.setWordWrap(True)
            layout.addWidget(self.note)

        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if cancel_text:
            self.cancel_button.setText(cancel_text)  # e.g. "Keep order" beside "Cancel order"
        self.confirm_button: QPushButton = buttons.addButton(
            confirm_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button.setDefault(True)
        self.cancel_button.setAutoDefault(True)
        self.confirm_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def value_text(self, label: str) -> str:
        """The text shown for one row (tests read the dialog as a person would)."""
        return self.values[label].text()


def confirm(parent: QWidget, on_confirm: Callable[[], object], **kwargs: Any) -> ConfirmDialog:
    """Open a :class:`ConfirmDialog`; ``on_confirm()`` runs only if the person confirms."""
    dialog = ConfirmDialog(parent, **kwargs)
    dialog.accepted.connect(on_confirm)
    dialog.open()
    return dialog

