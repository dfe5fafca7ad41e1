"""Copying a secret (a coupon code) to the clipboard so that it does not stay there.

A coupon code is bearer money: left on the clipboard it could be pasted anywhere later,
and clipboard managers keep a history. :func:`copy_secret` marks the copied text as a
password for the clipboard managers that honour the hint, and clears the clipboard after
a while, but only if it still holds exactly that text: whatever the person copied since
is left alone.
"""

from __future__ import annotations

import hashlib
import itertools

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

#: How long a copied secret stays on the clipboard.
CLEAR_AFTER_MS = 60_000

#: Formats that ask clipboard managers not to keep the text in their history.
SENSITIVE_HINTS = {
    "x-kde-passwordManagerHint": b"secret",  # KDE Klipper and other Linux managers
    "application/x-nspasteboard-concealed-type": b"secret",  # macOS clipboard managers
}

# Each copy gets a number, so an earlier copy's timer never cuts a later copy's minute short.
_copies = itertools.count(1)
_latest: dict[str, int] = {}  # digest of the text -> number of its latest copy


def _digest(text: str) -> str:
    # Only a digest waits for the timer: this module keeps no copy of the secret itself.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def copy_secret(text: str, clear_after_ms: int = CLEAR_AFTER_MS) -> None:
    """Put ``text`` on the clipboard, marked sensitive, and clear it after ``clear_after_ms``.

    The clipboard is cleared only if it still holds exactly ``text`` by then.
    """
    mime = QMimeData()
    mime.setText(text)
    for name, value in SENSITIVE_HINTS.items():
        mime.setData(name, value)
    clipboard = QGuiApplication.clipboard()
    clipboard.setMimeData(mime, QClipboard.Mode.Clipboard)

    digest = _digest(text)
    copy = next(_copies)
    _latest[digest] = copy

    def clear_if_unchanged() -> None:
        if _latest.get(digest) != copy:
            return  # copied again since: that copy's own timer decides
        del _latest[digest]
        board = QGuiApplication.clipboard()
        if _digest(board.text(QClipboard.Mode.Clipboard)) == digest:
            board.clear(QClipboard.Mode.Clipboard)

    QTimer.singleShot(max(0, int(clear_after_ms)), clear_if_unchanged)
