"""A QR code of a text (a deposit address), drawn crisp so any phone camera can read it.

The code is made by segno with error correction level M and the standard 4-module quiet zone,
black on white whatever the theme: scanners expect dark modules on a light ground.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from cryptex_desktop.i18n import _

#: The white border around the code, in modules, that the QR standard asks for.
QUIET_ZONE = 4


def _module_image(text: str) -> QImage:
    """One pixel per module, quiet zone included: 0 (black) for dark, 255 (white) for light."""
    import segno  # here, not with the window: it takes tens of milliseconds to load

    rows = list(segno.make(text, error="m").matrix_iter(scale=1, border=QUIET_ZONE))
    size = len(rows)
    stride = (size + 3) // 4 * 4  # QImage wants each line 32-bit aligned
    data = bytearray(b"\xff" * (stride * size))
    for y, row in enumerate(rows):
        offset = y * stride
        for x, dark in enumerate(row):
            if dark:
                data[offset + x] = 0
    # copy() so the image owns its pixels rather than pointing into ``data``.
    return QImage(bytes(data), size, size, stride, QImage.Format.Format_Grayscale8).copy()


def qr_image(text: str, scale: int = 8) -> QImage:
    """The QR code of ``text`` with ``scale`` pixels per module (and its quiet zone).

    Raises ``ValueError`` for an empty text, and segno's ``DataOverflowError`` (a
    ``ValueError``) for a text too long for any QR code.
    """
    if not text:
        raise ValueError("there is no text to encode")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    image = _module_image(text)
    if scale == 1:
        return image
    return image.scaled(
        image.width() * scale,
        image.height() * scale,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,  # nearest neighbour: modules stay square
    )


class QrCodeWidget(QWidget):
    """Shows the QR code of a text, as large as fits in whole pixels per module, centred.

    With no text (or a text too long for a QR code) it shows a grey sentence instead.
    """

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self._text = ""
        self._modules: QImage | None = None
        self._scaled: QImage | None = None
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("QR code"))
        self.set_text(text)

    def set_text(self, text: str) -> None:
        """Show the QR code of ``text``; an empty text shows the hint instead."""
        self._text = text
        self._scaled = None
        self._modules = None
        if text:
            try:
                self._modules = _module_image(text)
            except ValueError:  # segno.DataOverflowError: too long for a QR code
                self._modules = None
        self.setAccessibleDescription(text)
        self.update()

    def text(self) -> str:
        """The text the QR code holds."""
        return self._text

    def hint(self) -> str:
        """The grey sentence shown instead of a code, or ``""`` while a code is shown."""
        if self._modules is not None:
            return ""
        if self._text:
            return _("This text is too long to show as a QR code.")
        return _("The QR code appears here.")

    def module_size(self) -> int:
        """Pixels per module at the widget's current size (at least 1)."""
        if self._modules is None:
            return 0
        return max(1, min(self.width(), self.height()) // self._modules.width())

    def image(self) -> QImage:
        """Exactly the image drawn: black modules on white, quiet zone included.

        A null ``QImage`` when there is no code to show.
        """
        if self._modules is None:
            return QImage()
        scale = self.module_size()
        side = self._modules.width() * scale
        if self._scaled is None or self._scaled.width() != side:
            self._scaled = self._modules.scaled(
                side,
                side,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        return self._scaled

    def sizeHint(self) -> QSize:
        """Room for a typical address at 6 pixels per module."""
        return QSize(260, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the code unscaled (already whole pixels per module) in the middle."""
        painter = QPainter(self)
        try:
            image = self.image()
            if image.isNull():
                painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(
                    self.rect().adjusted(8, 8, -8, -8),
                    Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                    self.hint(),
                )
                return
            target = QRect(0, 0, image.width(), image.height())
            target.moveCenter(self.rect().center())
            painter.drawImage(target.topLeft(), image)
        finally:
            painter.end()
