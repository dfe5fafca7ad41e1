"""A copied coupon code leaves the clipboard after a while, unless the person copied over it.

Timers here are short. To see that a clearing timer has fired without sleeping, a test
starts a marker timer due after it: Qt fires due timers in the order of their deadlines.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

from cryptex_desktop.ui.clipboard import copy_secret
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from tests.gui_checks import WAIT_MS

CODE = "CTX-USD-a1B2c3D4-e5F6g7H8-i9J0k1L2-m3N4o5P6"
HINT = "x-kde-passwordManagerHint"


@pytest.fixture
def board(qapp) -> Iterator[QClipboard]:
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    yield clipboard
    clipboard.clear()


def clipboard_text_after(qtbot, milliseconds: int) -> str:
    """The clipboard's text once every timer due within ``milliseconds`` from now has fired.

    It is read by a timer due then, so a later timer cannot have run yet, however slow
    the machine.
    """
    seen: list[str] = []
    QTimer.singleShot(milliseconds, lambda: seen.append(QGuiApplication.clipboard().text()))
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    return seen[0]


def test_a_copied_coupon_code_is_marked_secret_and_cleared_after_the_delay(qtbot, board):
    copy_secret(CODE, clear_after_ms=1000)  # far enough from 100 ms for a machine that stalls

    assert board.text() == CODE
    assert bytes(board.mimeData().data(HINT)) == b"secret"
    assert clipboard_text_after(qtbot, 100) == CODE  # still there before its time
    qtbot.waitUntil(lambda: board.text() == "", timeout=WAIT_MS)


def test_something_copied_after_the_code_is_left_on_the_clipboard(qtbot, board):
    copy_secret(CODE, clear_after_ms=200)
    board.setText("the address of my other wallet")

    # By then the clearing timer has run, and left the person's own text alone.
    assert clipboard_text_after(qtbot, 400) == "the address of my other wallet"


def test_copying_the_code_again_gives_it_its_full_time_again(qtbot, board):
    copy_secret(CODE, clear_after_ms=200)
    copy_secret(CODE, clear_after_ms=1500)  # far enough from 400 ms for a machine that stalls

    # The first copy's timer has run by then, and left the code for the second one's time.
    assert clipboard_text_after(qtbot, 400) == CODE
    qtbot.waitUntil(lambda: board.text() == "", timeout=WAIT_MS)


def test_the_coupon_dialogs_copy_button_puts_the_code_on_the_clipboard_marked_secret(
    qtbot, board
):
    dialog = CouponCreatedDialog(None, CODE, Decimal("12.5"), "USD")
    qtbot.addWidget(dialog)
    dialog.open()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    assert board.text() == CODE
    assert bytes(board.mimeData().data(HINT)) == b"secret"
    assert dialog.is_code_kept()
    assert "on the clipboard" in dialog.status_label.text()
