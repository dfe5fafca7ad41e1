"""A field for a coupon code, shown masked because a coupon code is money to whoever reads it.

A code looks like ``CTX-USD-xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx``. Pasted codes may carry spaces
or line breaks (from an e-mail or a chat, or the grouped way the app shows a code:
:func:`group_coupon_code`); they are dropped. The code is never logged.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLineEdit, QWidget

from cryptex_desktop.i18n import _

_GROUP = re.compile(r"^[A-Za-z0-9]{8}$")
_CURRENCY = re.compile(r"^[A-Z]{3,}$")

#: Shows and hides the code while the field has the focus (the eye's keyboard way).
SHOW_CODE_KEYS = "Alt+E"


def group_coupon_code(code: str) -> str:
    """``CTX-USD-ABCD EFGH-…``: each 8-character block as two groups of 4, for reading only.

    The spaces are display only: copy and save give the code itself, and
    :func:`parse_coupon_code` drops them when a grouped code is pasted back.
    """
    return "-".join(f"{part[:4]} {part[4:]}" if _GROUP.match(part) else part
                    for part in code.split("-"))


def parse_coupon_code(text: str) -> tuple[str, str] | None:
    """``(code, currency)`` for a well-formed code (whitespace dropped), else ``None``.

    The ``CTX-CUR`` prefix may be typed in any case; the four groups are kept exactly,
    since they are case-sensitive.
    """
    compact = "".join(text.split())
    parts = compact.split("-")
    if len(parts) != 6 or parts[0].upper() != "CTX":
        return None
    currency = parts[1].upper()
    if not _CURRENCY.match(currency) or not all(_GROUP.match(group) for group in parts[2:]):
        return None
    return "-".join(["CTX", currency, *parts[2:]]), currency


class CouponCodeEdit(QLineEdit):
    """A masked coupon code field with an eye button that shows the code while it is on.

    ``codeChanged`` carries :meth:`code` (``str`` or ``None``) after every edit.
    """

    codeChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("Paste the coupon code here"))
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(200)  # a real code is about 50 characters; room for pasted whitespace
        self.setAccessibleName(_("Coupon code"))
        self._show_action = QAction(self)
        self._show_action.setCheckable(True)
        self._show_action.setShortcut(QKeySequence(SHOW_CODE_KEYS))
        self._show_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._show_action.toggled.connect(self.set_code_visible)
        self.addAction(self._show_action, QLineEdit.ActionPosition.TrailingPosition)
        self._update_show_action()
        self.textChanged.connect(self._on_text_changed)

    def show_action(self) -> QAction:
        """The checkable "show the code" action at the end of the field."""
        return self._show_action

    def set_code_visible(self, visible: bool) -> None:
        """Show the code in clear text (``True``) or masked like a password (``False``)."""
        self.setEchoMode(QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password)
        if self._show_action.isChecked() != visible:
            self._show_action.setChecked(visible)
        self._update_show_action()

    def is_code_visible(self) -> bool:
        """True while the code is shown in clear text."""
        return self.echoMode() == QLineEdit.EchoMode.Normal

    def code(self) -> str | None:
        """The code without surrounding whitespace, or ``None`` when it is not a whole code."""
        parsed = parse_coupon_code(self.text())
        return parsed[0] if parsed else None

    def currency(self) -> str | None:
        """The currency the code is for, e.g. ``"USD"``, or ``None`` when it is not a code."""
        parsed = parse_coupon_code(self.text())
        return parsed[1] if parsed else None

    def problem(self) -> str | None:
        """A sentence telling the person what to fix, or ``None`` when the code looks right."""
        if not self.text().strip():
            return _("Paste the coupon code you were given.")
        if parse_coupon_code(self.text()) is None:
            # Short on purpose: it sits in two lines of room under the field.
            return _("This is not a whole coupon code; check that you copied all of it.")
        return None

    def changeEvent(self, event: QEvent) -> None:
        """Draw the eye again in the new text colour when the theme changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "_show_action"):
            self._update_show_action()

    def _on_text_changed(self, _text: str) -> None:
        self.codeChanged.emit(self.code())

    def _update_show_action(self) -> None:
        visible = self.is_code_visible()
        colour = self.palette().color(QPalette.ColorRole.Text)
        # The button shows what pressing it does: an eye to show, a crossed-out eye to hide.
        self._show_action.setIcon(_eye_icon(colour, crossed_out=visible))
        self._show_action.setText(_("Hide the code") if visible else _("Show the code"))
        # Translators: {keys} is a keyboard shortcut, such as Alt+E.
        tip = _("Hide the code ({keys})") if visible else _("Show the code ({keys})")
        self._show_action.setToolTip(tip.format(keys=SHOW_CODE_KEYS))


def _eye_icon(colour: QColor, *, crossed_out: bool) -> QIcon:
    """An eye, or a crossed-out eye, drawn here so no icon theme is needed."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 2.5))
        painter.drawEllipse(QRectF(3, 9, 26, 14))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(16, 16), 4, 4)
        if crossed_out:
            painter.drawLine(QPointF(5, 27), QPointF(27, 5))
    finally:
        painter.end()
    return QIcon(pixmap)
