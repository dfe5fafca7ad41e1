"""The fonts the app picks on purpose: monospace for addresses, codes and numbers to compare."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase


def monospace_font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    """The desktop's fixed-width font, ``scale`` times its size.

    Addresses, transaction ids and coupon codes are shown in it: every character the same
    width, and the usual monospace fonts tell 0 from O and 1 from l from I.
    """
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font
