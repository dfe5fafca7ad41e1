"""Every control has a name a screen reader can say, Tab follows the eye, and focus shows.

For each screen and each dialog, shown as a person sees it: every visible control that takes
the focus is named (its accessible name, its own text, or a label whose buddy it is), and
pressing Tab visits the controls top to bottom, left to right within a row (side by side
panels one after the other). No two controls on show share an Alt letter, every key the
README's Keyboard table promises exists, and what is shortened on screen has a keyboard way
to all of it. The focus frame comes from the Fusion style, which no style sheet of the app
may switch off.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

import cryptex_desktop.ui
from cryptex_desktop.api.types import Transaction
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from cryptex_desktop.ui.dialogs.order_details import OrderDetailsDialog
from cryptex_desktop.ui.dialogs.settings_dialog import SettingsDialog
from cryptex_desktop.ui.models import TransactionsModel
from cryptex_desktop.ui.theme import ThemeChoice
from cryptex_desktop.ui.widgets.record_list import RecordList
from tests.gui_checks import WAIT_MS

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox,
            QTextEdit, QPlainTextEdit)
#: Controls whose tops differ by less than this are on one row (labels and fields differ a bit).
ROW_TOLERANCE = 6
UI_DIR = Path(cryptex_desktop.ui.__file__).parent


def is_tab_stop(widget: QWidget) -> bool:
    """A control Tab stops at (once enabled): shown, taking the focus by Tab, not part of another.

    Disabled controls count: the order must be right by the time they can be used.
    """
    if not isinstance(widget, CONTROLS) or not widget.isVisible():
        return False
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return False
    parent = widget.parentWidget()
    while parent is not None:  # a combo's line edit, a line edit's clear button
        if isinstance(parent, CONTROLS):
            return False
        parent = parent.parentWidget()
    return True


def controls(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if is_tab_stop(w)]


def spoken_name(widget: QWidget, root: QWidget) -> str:
    """What a screen reader says for ``widget``: accessible name, own text, or its label."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return widget.text().replace("&", "")
    for label in root.findChildren(QLabel):
        if label.buddy() is widget and label.text().replace("&", "").strip():
            return label.text().replace("&", "")
    return ""


def tab_chain(root: QWidget) -> list[QWidget]:
    """The controls of ``root`` in the order Tab visits them, from the first one."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget is not None:
        if root.isAncestorOf(widget) and is_tab_stop(widget) and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())


def branches(first: QWidget, second: QWidget) -> tuple[QWidget, QWidget]:
    """The two children of the nearest common parent that hold ``first`` and ``second``."""
    ancestors = []
    widget: QWidget | None = first
    while widget is not None:
        ancestors.append(widget)
        widget = widget.parentWidget()
    child_b: QWidget = second
    parent = second.parentWidget()
    while parent is not None and parent not in ancestors:
        child_b, parent = parent, parent.parentWidget()
    assert parent is not None
    child_a = ancestors[ancestors.index(parent) - 1] if parent is not first else first
    return child_a, child_b


def comes_before(first: QWidget, second: QWidget, root: QWidget) -> bool:
    """Whether ``first`` is seen before ``second``: above it, or left of it on one row.

    Side by side blocks (two panels, a form and its help) are read one after the other,
    left block first, so they are compared as blocks.
    """
    block_a, block_b = branches(first, second)
    a, b = rect_in(block_a, root), rect_in(block_b, root)
    overlap = min(a.bottom(), b.bottom()) - max(a.top(), b.top())
    if abs(a.top() - b.top()) <= ROW_TOLERANCE or overlap > ROW_TOLERANCE:
        return a.left() <= b.left()  # one row, or blocks side by side: left to right
    return a.top() < b.top()


def order_problems(root: QWidget) -> list[str]:
    chain = tab_chain(root)
    return [
        f"Tab goes from {spoken_name(a, root)!r} to {spoken_name(b, root)!r}, which is "
        "seen before it" for a, b in itertools.pairwise(chain)
        if not comes_before(a, b, root)
    ]


def name_problems(root: QWidget) -> list[str]:
    return [f"a {type(w).__name__} without a name ({w.objectName() or 'no object name'}, "
            f"at {rect_in(w, root).topLeft().toTuple()})"
            for w in controls(root) if not spoken_name(w, root)]


def check(qtbot, root: QWidget, at_least: int) -> None:
    """``root`` shown: its controls named, its Tab order as seen."""
    qtbot.waitUntil(lambda: len(controls(root)) >= at_least, timeout=WAIT_MS)
    problems = name_problems(root) + order_problems(root)
    assert not problems, "\n".join(problems)
    assert len(tab_chain(root)) == len(controls(root)), "a control Tab never reaches"


def open_order(qtbot, app_context) -> int:
    """An order that waits (a buy far below the market), placed through the app's client."""
    placed: dict[str, object] = {}
    app_context.dispatcher.submit(
        lambda c: c.trade("BTC_USD", "buy", Decimal("20000"), Decimal("0.01")),
        on_result=lambda answer: placed.setdefault("id", answer.order_id),
        on_error=lambda error: placed.setdefault("error", error),
    )
    qtbot.waitUntil(lambda: bool(placed), timeout=WAIT_MS)
    assert "id" in placed, placed
    return int(placed["id"])  # type: ignore[call-overload]


@pytest.mark.parametrize("name, at_least", [
    ("balances", 1), ("trade", 7), ("open_orders", 4), ("history", 9), ("deposit", 5),
    ("withdraw", 5), ("coupons", 7),
])
def test_every_control_of_every_screen_is_named_and_tab_follows_the_eye(
        qtbot, window, app_context, name, at_least):
    open_order(qtbot, app_context)  # so that Open orders shows its list
    assert name in window.screens
    screen = window.show_screen(name)
    check(qtbot, screen, at_least)


def mnemonic(text: str) -> str | None:
    """The letter Alt goes with in ``text`` ("&Buy" -> "b"), if any."""
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def shared_alt_letters(root: QWidget, *more: str) -> dict[str, list[str]]:
    """The Alt letters that two visible labels or buttons of ``root`` (or ``more``) share."""
    texts = list(more)
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and isinstance(widget, QAbstractButton | QLabel | QGroupBox):
            texts.append(widget.title() if isinstance(widget, QGroupBox) else widget.text())
    letters: dict[str, list[str]] = {}
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            letters.setdefault(letter, []).append(text)
    assert len(letters) >= 2, "no Alt letters found at all"
    return {letter: used for letter, used in letters.items() if len(used) > 1}


@pytest.mark.parametrize("name", ["balances", "trade", "open_orders", "history", "deposit",
                                  "withdraw", "coupons"])
def test_no_two_alt_letters_of_a_screen_and_the_menus_are_the_same(qtbot, window, name):
    """Alt+letter does one thing: two controls with one letter only move the focus between."""
    screen = window.show_screen(name)
    qtbot.waitUntil(screen.isVisible, timeout=WAIT_MS)
    menus = [action.text() for action in window.menuBar().actions()]
    assert not shared_alt_letters(screen, *menus)


@pytest.mark.parametrize("width", [880, 1600])
def test_the_coupons_screen_is_in_order_narrow_and_wide(qtbot, window, width):
    window.resize(width, 700)
    screen = window.show_screen("coupons")
    qtbot.waitUntil(lambda: screen.width() >= width - 40, timeout=WAIT_MS)
    check(qtbot, screen, 5)


def test_the_settings_dialog_is_named_and_in_order(qtbot, window, app_context):
    dialog = SettingsDialog(app_context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    check(qtbot, dialog, 3)
    assert not dialog.save_anyway_button.isVisible()  # only once the exchange is unreachable
    dialog.save_anyway_button.show()
    assert not shared_alt_letters(dialog)
    dialog.close()


def test_the_confirmation_is_named_and_in_order(qtbot, window):
    dialog = ConfirmDialog(window, title="Confirm", question="Send 0.5 BTC?",
                           rows=[("You send", "0.5 BTC")], confirm_text="Send 0.5 BTC")
    dialog.show()  # deleted on close: the window fixture closes it
    check(qtbot, dialog, 2)
    assert dialog.cancel_button.isDefault()  # Enter alone never sends money


def test_the_new_coupon_window_is_named_and_in_order(qtbot, window):
    dialog = CouponCreatedDialog(window, "CTX-USD-ABCDEFGHJKMNPQRS", Decimal("5"), "USD")
    dialog.show()  # deleted on close: the window fixture closes it
    check(qtbot, dialog, 3)
    dialog.copy_code()  # kept, so closing asks nothing


def test_the_order_details_are_named_and_in_order(qtbot, window, app_context):
    dialog = OrderDetailsDialog(app_context.dispatcher, open_order(qtbot, app_context), window)
    dialog.show()  # deleted on close: the window fixture closes it
    qtbot.waitUntil(lambda: dialog.order() is not None, timeout=WAIT_MS)
    check(qtbot, dialog, 2)


def test_the_app_draws_with_fusion_whose_focus_frame_shows(qapp, keeper):
    keeper.apply(ThemeChoice.LIGHT)
    assert qapp.style().name().lower() == "fusion"
    keeper.apply(ThemeChoice.DARK)
    assert qapp.style().name().lower() == "fusion"


def test_no_style_sheet_hides_the_focus():
    hiding = re.compile(r"outline\s*:\s*(none|0)|:focus\s*\{[^}]*border\s*:\s*(none|0)",
                        re.IGNORECASE)
    found = [f"{path.relative_to(UI_DIR)}: {match.group(0)}"
             for path in sorted(UI_DIR.rglob("*.py"))
             for match in hiding.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found
    # A button drawn by a style sheet with a border of its own loses the style's focus frame:
    # it must draw one itself.
    bordered = [path for path in sorted(UI_DIR.rglob("*.py"))
                if re.search(r"QPushButton \{\{[^}]*border", path.read_text(encoding="utf-8"))]
    assert bordered  # the place button, Buy and Sell, the confirm button
    assert [path.name for path in bordered
            if "QPushButton:focus" not in path.read_text(encoding="utf-8")] == []
    # The window's own focus chain stays on: the app never turns Tab off for a control.
    assert not [path for path in UI_DIR.rglob("*.py")
                if "NoFocus" in path.read_text(encoding="utf-8")
                and "setFocusPolicy" in path.read_text(encoding="utf-8")
                and path.name not in ALLOWED_NO_FOCUS]


#: Files that take the focus from something a person never needs to reach (with the reason).
ALLOWED_NO_FOCUS: dict[str, str] = {
    "base.py": "the page's scroll area: Tab goes to the controls in it, and it scrolls each "
               "into view",
}



def test_the_checks_catch_a_nameless_control_and_a_tab_order_against_the_eye(qtbot):
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    fields = [QLineEdit() for _ in range(3)]
    for name, field in zip(("First", "Second", ""), fields, strict=True):
        field.setAccessibleName(name)
        layout.addWidget(field)
    first, second, third = fields
    QWidget.setTabOrder(first, third)  # the third row before the second
    QWidget.setTabOrder(third, second)
    form.show()
    qtbot.waitUntil(form.isVisible, timeout=WAIT_MS)
    assert len(name_problems(form)) == 1
    assert order_problems(form) == ["Tab goes from '' to 'Second', which is seen before it"]


def test_a_shortened_transaction_id_is_copied_whole_with_ctrl_c(qtbot):
    """The keyboard way to the whole id that the table shows shortened."""
    txid = "ab" * 32
    model = TransactionsModel()
    model.update([Transaction(1, "BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", txid,
                              Decimal("0.25"), 1, datetime(2026, 1, 2, tzinfo=UTC))])
    panel = RecordList(model, accessible_name="Transactions")
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()  # a shortcut works in the active window only
    qtbot.waitUntil(panel.isActiveWindow, timeout=WAIT_MS)
    panel.table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(panel.table, Qt.Key.Key_Space)  # selects the row with the focus
    qtbot.waitUntil(lambda: panel.table.selectionModel().hasSelection(), timeout=WAIT_MS)
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert txid not in shown  # shortened on the screen...
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert txid in QApplication.clipboard().text().split("\n")[1].split("\t")  # ...copied whole


#: Keys Qt itself gives every control, not the app (the walk-through test presses them).
QT_OWN_KEYS = {"Tab", "Shift+Tab", "Space", "Enter", "Escape", "Up", "Down", "Shift+Up",
               "Shift+Down", "double-click",
               "Shift+Enter"}  # the order book's own key (tests/ui/market test it there)


def readme_keys() -> list[str]:
    """Every key of the README's Keyboard table, "Ctrl+1 … Ctrl+7" written out."""
    readme = (Path(cryptex_desktop.ui.__file__).parents[2] / "README.md").read_text("utf-8")
    section = readme.split("## Keyboard", 1)[1].split("\n## ", 1)[0]
    table = next(block for block in section.split("\n\n") if block.startswith("| keys"))
    keys: list[str] = []
    for row in table.splitlines()[2:]:
        cell = row.split("|")[1].split("(")[0].strip()
        if "…" in cell:
            first, last = (int(part.strip()[-1]) for part in cell.split("…"))
            keys += [f"Ctrl+{n}" for n in range(first, last + 1)]
            continue
        keys += [key.strip() for part in cell.split(", ") for key in part.split(" or ")]
    return [key for key in keys if key]


def app_keys(*roots: QWidget) -> set[str]:
    """The key sequences the app's actions, shortcuts and Alt letters answer to."""
    found: set[str] = set()
    for root in roots:
        for action in root.findChildren(QAction):
            found |= {key.toString() for key in action.shortcuts()}
        for shortcut in root.findChildren(QShortcut):
            found.add(shortcut.key().toString())
        for button in root.findChildren(QAbstractButton):
            found.add(button.shortcut().toString())
        for widget in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
            letter = mnemonic(widget.text())
            if letter is not None:
                found.add(f"Alt+{letter.upper()}")
    found.discard("")
    return {QKeySequence(key).toString() for key in found}


def test_every_key_the_readme_promises_is_there(qtbot, window):
    dialog = CouponCreatedDialog(window, "CTX-USD-ABCDEFGHJKMNPQRS", Decimal("5"), "USD")
    promised = [key for key in readme_keys() if key not in QT_OWN_KEYS]
    assert {"F5", "Ctrl+7", "Delete", "Alt+E", "Ctrl+Shift+C"} <= set(promised)
    there = app_keys(window, dialog)
    dialog.copy_code()  # kept, so closing asks nothing
    dialog.close()
    assert [key for key in promised if QKeySequence(key).toString() not in there] == []


def test_news_too_long_for_the_status_bar_is_said_whole_to_a_screen_reader(window):
    news = "Order #12 filled: you bought 0.10000000 BTC at 20,000.00 USD. " * 4
    window.status.tell(news)
    assert window.status.news_label.accessibleDescription() == news
