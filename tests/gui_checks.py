"""How GUI tests wait and look: on conditions with a generous bound, and at what a reader sees.

A font is monospace when its characters take equal room on screen, not when fontconfig says
so (Noto Sans Mono is monospace yet reports otherwise); two drawings are alike when no colour
channel of any pixel differs by more than a little, as another rasteriser may shade an edge
one step differently.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QDialog, QStyle, QTableView

#: Long enough for a slow CI machine; tests wait on conditions, never on the clock.
WAIT_MS = 20_000

#: The largest difference of one colour channel (of 0..255) that still counts as the same.
IMAGE_TOLERANCE = 8

#: Narrow, wide and look-alike characters: equal advances for all three only in a monospace font.
MONOSPACE_SAMPLES = ("iiii", "WWWW", "0O1l")


def modal_dialog(qtbot, kind: type[QDialog] = QDialog) -> QDialog:
    """Wait for a dialog of ``kind`` to open, and return it."""
    found: list[QDialog] = []

    def is_open() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(is_open, timeout=WAIT_MS)
    return found[-1]


def shown_whole(table: QTableView, column: int, text: str) -> bool:
    """Whether ``text`` fits ``column`` of ``table`` uncut: the room a cell gives its text, as
    Qt's styles leave it (a focus-frame margin and one pixel on each side)."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    room = table.horizontalHeader().sectionSize(column) - 2 * margin
    return table.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room) == text


def advances(font: QFont) -> dict[str, int]:
    """How wide each of :data:`MONOSPACE_SAMPLES` is drawn in ``font``, in pixels."""
    metrics = QFontMetrics(font)
    return {sample: metrics.horizontalAdvance(sample) for sample in MONOSPACE_SAMPLES}


def is_monospace(font: QFont) -> bool:
    """Whether ``font`` draws narrow, wide and look-alike characters equally wide."""
    return len(set(advances(font).values())) == 1


def channel_difference(actual: QImage, expected: QImage) -> int:
    """The largest difference of one colour channel between two images of the same size.

    Both are compared premultiplied, so a fully transparent pixel is the same whatever colour
    it does not show.
    """
    assert (actual.width(), actual.height()) == (expected.width(), expected.height()), (
        f"{actual.width()}x{actual.height()} drawn, {expected.width()}x{expected.height()} "
        "expected")
    rgba = QImage.Format.Format_RGBA8888_Premultiplied
    # The converted images must outlive the copies of their bits: constBits() does not own them.
    drawn_image, wanted_image = actual.convertToFormat(rgba), expected.convertToFormat(rgba)
    drawn, wanted = bytes(drawn_image.constBits()), bytes(wanted_image.constBits())
    return max((abs(a - b) for a, b in zip(drawn, wanted, strict=True)), default=0)


def assert_images_alike(actual: QImage, expected: QImage, what: str = "the images",
                        tolerance: int = IMAGE_TOLERANCE) -> None:
    """Fail unless no channel of any pixel differs by more than ``tolerance``."""
    difference = channel_difference(actual, expected)
    assert difference <= tolerance, (
        f"{what} differ by up to {difference} in a colour channel (allowed: {tolerance})")
