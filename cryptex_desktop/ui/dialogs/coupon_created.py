"""The showing of a new coupon code, with Copy and Save… so it is not lost.

A coupon code is bearer money and the exchange never shows it again, so this dialog is the
code's only home in the app: it is not written to settings, logs or any model, and the dialog
forgets it when it closes. Closing before the code was copied or saved asks first.

When the OS keychain keeps a made coupon's code, "Show code" on the Coupons tab opens this
dialog again in its *shown again* mode: the same code, no "only time" warning, and no
question on closing (the keychain still has it). A new code the keychain took is told so as
soon as it is known (:meth:`CouponCreatedDialog.note_kept_in_keychain`): it can be shown
again from Coupons, and closing needs no question either.

The code is shown grouped (``CTX-USD-ABCD EFGH-…``) in a monospace font that tells O from 0
and l from 1; the spaces are for reading only: Copy and Save give the code itself.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.clipboard import copy_secret
from cryptex_desktop.ui.formatting import format_money
from cryptex_desktop.ui.widgets.coupon_code_edit import group_coupon_code
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import heading_label

ONLY_TIME = N_(
    "This is the only time the app shows this code. Copy it or save it now; anyone who has it "
    "can redeem the money."
)

KEPT_IN_KEYCHAIN = N_(
    "Anyone who has this code can redeem the money. Copy it or save it to give it to someone; "
    "the app also keeps it in your system keychain, so you can show it again from the Coupons "
    "tab."
)

SHOWN_AGAIN = N_(
    "Anyone who sees this code can redeem the money. Close this window once you have copied "
    "or saved it; the code stays in your system keychain."
)


class CouponCreatedDialog(QDialog):
    """Shows a coupon's code, large and in monospace, with Copy, Save… and Close.

    A new code is shown once; ``shown_again`` is for a code read back from the keychain.
    Open it with ``open()``; it deletes itself (and the code with it) when it closes.
    """

    def __init__(
        self,
        parent: QWidget | None,
        code: str,
        amount: Decimal,
        currency: str,
        recipient: str | None = None,
        *,
        shown_again: bool = False,
    ) -> None:
        super().__init__(parent)
        self._code = code
        self._amount = amount
        self._currency = currency
        self._recipient = recipient
        self._kept = shown_again  # the keychain still has it: closing needs no question
        #: Whether this is "Show code" of a code the keychain keeps, not a new one.
        self.shown_again = shown_again
        self._closing = False
        #: The "Close without keeping the code?" question while it is open (for tests).
        self.close_question: QMessageBox | None = None

        self.setWindowTitle(_("Your coupon code") if not shown_again else _("Coupon code"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        money = format_money(amount, currency)
        headline = heading_label(
            (_("Your coupon for {money}") if shown_again
             else _("Your coupon for {money} is ready")).format(money=money), 1.2)
        headline.setWordWrap(True)

        who = (
            _("Only the Cryptex user “{name}” can redeem it.").format(name=recipient)
            if recipient else _("Anyone who has the code can redeem it.")
        )
        self.who_label = QLabel(who)
        self.who_label.setWordWrap(True)

        self.code_label = QLabel(group_coupon_code(code))
        self.code_label.setFont(monospace_font(1.4, bold=True))
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)
        # Not selectable: a selection would copy the display spaces and skip the clipboard's
        # protection (marked secret, cleared after a minute); Copy code does both right.
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.code_label.setWordWrap(True)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.code_label.setMargin(12)
        self.code_label.setAccessibleName(_("Coupon code"))

        self.warning_label = QLabel(_(SHOWN_AGAIN if shown_again else ONLY_TIME))
        self.warning_label.setAccessibleName(_("Warning"))
        self.warning_label.setWordWrap(True)
        warning_font = self.warning_label.font()
        warning_font.setBold(True)
        self.warning_label.setFont(warning_font)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setAccessibleName(_("What happened to the code"))

        buttons = QDialogButtonBox()
        self.copy_button: QPushButton = buttons.addButton(
            _("&Copy code"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_button.setToolTip(_("Put the code on the clipboard (Ctrl+C)"))
        self.save_button: QPushButton = buttons.addButton(
            _("&Save…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(_("Save the code in a text file (Ctrl+S)"))
        self.close_button: QPushButton = buttons.addButton(
            _("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.copy_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            button.setAccessibleName(button.text().replace("&", "").replace("…", ""))
        self.copy_button.setDefault(True)  # Enter copies; it never closes by accident
        self.copy_button.clicked.connect(self.copy_code)
        self.save_button.clicked.connect(self._ask_where_to_save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(headline)
        layout.addWidget(self.who_label)
        layout.addWidget(self.code_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)

    # -- keeping the code ---------------------------------------------------------------------

    def is_code_kept(self) -> bool:
        """Whether the person copied or saved the code (or the keychain keeps it)."""
        return self._kept

    def note_kept_in_keychain(self) -> None:
        """The system keychain kept this new code: "Show code" can show it again."""
        if self.shown_again or not self._code:
            return
        self._kept = True  # closing needs no question: the keychain still has it
        self.warning_label.setText(_(KEPT_IN_KEYCHAIN))

    @Slot()
    def copy_code(self) -> None:
        """Put the code on the clipboard."""
        copy_secret(self._code)  # marked sensitive, cleared after a minute if unchanged
        self._kept = True
        self.status_label.setText(_(
            "The code is on the clipboard. Paste it somewhere safe, or straight into a message "
            "to the person you are giving it to."
        ))

    def save_to(self, path: str | Path) -> None:
        """Write the code and what it is worth to a text file only this computer user can read.

        Raises ``OSError`` when the file cannot be written.
        """
        text = "\n".join([
            _("Cryptex coupon"),
            _("Amount: {money}").format(money=format_money(self._amount, self._currency)),
            _("Code: {code}").format(code=self._code),
            (_("Only the Cryptex user “{name}” can redeem it.").format(name=self._recipient)
             if self._recipient else _("Anyone who has this code can redeem it.")),
            _("Redeem it on the Coupons tab of Cryptex Desktop or on cryptex.net. Keep this file "
              "private, like cash."),
            "",
        ])
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags, 0o600)  # owner only: the file holds bearer money
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)  # also when an existing file is written over
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        self._kept = True
        self.status_label.setText(_("Saved the code to {path}.").format(path=os.fspath(path)))

    @Slot()
    def _ask_where_to_save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the coupon code"),
            str(Path.home() / f"cryptex-coupon-{self._currency}.txt"),
            _("Text files (*.txt)"),
        )
        if not path:
            return
        try:
            self.save_to(path)
        except OSError as error:
            self.status_label.setText(_(
                "Could not save the file ({reason}). Choose another folder, or copy the code "
                "instead."
            ).format(reason=error.strerror or _("the system refused")))

    # -- closing ------------------------------------------------------------------------------

    def reject(self) -> None:
        """Close (Escape, the Close button): ask first if the code was not kept."""
        if self._kept or self._closing:
            self._closing = True
            self._forget_code()
            super().reject()
            return
        self._ask_before_closing()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's own close button: the same question as Close."""
        if self._kept or self._closing:
            self._closing = True
            self._forget_code()
            super().closeEvent(event)
            return
        event.ignore()
        self._ask_before_closing()

    def _ask_before_closing(self) -> None:
        if self.close_question is not None:
            return
        question = QMessageBox(self)
        question.setIcon(QMessageBox.Icon.Warning)
        question.setWindowTitle(_("Close without keeping the code?"))
        question.setText(_("Close without keeping the code?"))
        question.setInformativeText(_(
            "You have not copied or saved the code. Once this window closes the app cannot show "
            "it again, and the money in the coupon can then only be recovered through Cryptex "
            "support."
        ))
        self.go_back_button = question.addButton(_("&Go back"), QMessageBox.ButtonRole.RejectRole)
        self.close_anyway_button = question.addButton(
            _("Close &anyway"), QMessageBox.ButtonRole.DestructiveRole)
        question.setDefaultButton(self.go_back_button)
        question.setEscapeButton(self.go_back_button)
        question.setWindowModality(Qt.WindowModality.WindowModal)
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.buttonClicked.connect(self._on_close_question_answered)
        self.close_question = question
        question.open()

    @Slot(object)
    def _on_close_question_answered(self, button: object) -> None:
        close = button is self.close_anyway_button
        self.close_question = None
        if close:
            self._closing = True
            self.reject()

    def _forget_code(self) -> None:
        # Nothing else in the app holds the code; drop it from the screen and this object.
        self._code = ""
        self.code_label.clear()
