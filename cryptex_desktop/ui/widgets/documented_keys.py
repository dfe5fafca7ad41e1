"""The keys README.md promises, kept in every language.

A button's underlined letter comes from its translated words: "&Купить" is Alt+К. The keys
the README lists (Alt+B buys, Alt+S sells, Alt+X is Max, Alt+E the best price) are learnt by
people and typed by scripts, so they work whatever the language: where a translation
underlines another letter, a shortcut with the promised key presses the same button. Qt
matches a Latin shortcut on a Cyrillic keyboard layout too, and fires it only while the
button is visible and enabled, as it does a mnemonic.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton

#: The README's keys, by what they do.
BUY_KEYS = "Alt+B"
SELL_KEYS = "Alt+S"
MAX_KEYS = "Alt+X"
BEST_PRICE_KEYS = "Alt+E"


def keep_documented_keys(button: QAbstractButton, keys: str) -> QShortcut | None:
    """Make ``keys`` press ``button`` when its words underline another letter; the shortcut.

    Call it after the button's text is set. Where the words already underline the key (in
    English), nothing is added: two shortcuts on one key would cancel each other out.
    """
    wanted = QKeySequence(keys)
    if QKeySequence.mnemonic(button.text()) == wanted:
        return None
    shortcut = QShortcut(wanted, button)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(button.animateClick)
    return shortcut
