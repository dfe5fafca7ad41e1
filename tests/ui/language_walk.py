"""Every screen and dialog a person meets, read as they read it: for words left in English and
for text that does not fit.

:class:`LanguageWalk` drives the real window on the demo exchange (an open order, a trade, a
deposit, a withdrawal, a coupon made and one redeemed), visits the eight tabs, the menus,
Settings, every confirmation, the coupon's code window, the order's and the activity's
details, About and the question before a coupon's code is lost, and collects for each visible
widget the texts a person reads (:class:`SeenText`). With ``check_fit`` it also notes where a
text is cut: a label or button narrower or lower than its text needs, a tab whose title is
shortened, a pseudo text whose closing ``⟧`` is missing (:class:`Cramped`).

:func:`english_left` is the one check for any language: what remains of a text once currency
codes, addresses, "Cryptex" and the like are taken out must hold no word of ASCII letters;
:func:`numbers_left` finds "0.25" where the language writes "0,25".
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import keyring
from keyring.backends import fail
from PySide6 import QtGui
from PySide6.QtCore import QLocale, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QTableView,
    QTextEdit,
    QToolButton,
    QTreeView,
    QWidget,
)

import cryptex_desktop
from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.i18n import LANGUAGES
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from cryptex_desktop.ui.dialogs.order_details import OrderDetailsDialog
from cryptex_desktop.ui.dialogs.settings_dialog import SettingsDialog
from tests.exchange_helpers import coupon_code, place_order
from tests.gui_checks import WAIT_MS, modal_dialog
from tests.tools.pseudo_language import CLOSE, OPEN

DialogKind = TypeVar("DialogKind", bound=QDialog)

#: An environment variable naming a folder: each place the walk reads is saved there as a PNG.
SHOTS_FOLDER = "CRYPTEX_WALK_SHOTS"
#: How many rows of a list are read: enough for every kind of row the walk makes.
ROWS_READ = 40

# -- what a person reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class SeenText:
    """One text on screen, where it was: the screen or dialog, and the widget showing it."""

    place: str
    widget: str
    text: str

    def __str__(self) -> str:
        return f"{self.place}: {self.widget}: {self.text!r}"


@dataclass(frozen=True)
class Cramped:
    """A text that does not fit its widget, and how."""

    place: str
    widget: str
    text: str
    how: str

    def __str__(self) -> str:
        return f"{self.place}: {self.widget}: {self.how}: {self.text!r}"


def widget_name(widget: QWidget) -> str:
    """``QLabel#pageHeading`` or ``QPushButton[Save]``: enough to find the widget in the code."""
    name = type(widget).__name__
    if widget.objectName() and not widget.objectName().startswith("qt_"):
        return f"{name}#{widget.objectName()}"
    if widget.accessibleName():
        return f"{name}[{widget.accessibleName()}]"
    return name


def without_mnemonic(text: str) -> str:
    """A button's or label's text as drawn: ``&Save`` is "Save", ``A && B`` is "A & B"."""
    return re.sub(r"&(.)", r"\1", text)


def label_text(label: QLabel) -> str:
    """What a label shows: rich text as its words, a buddy's mnemonic without the ``&``."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if rich:
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return without_mnemonic(text) if label.buddy() is not None else text


def view_texts(view: QAbstractItemView) -> Iterator[str]:
    """A list's header texts and the display texts and tooltips of its first rows."""
    model = view.model()
    if model is None:
        return
    columns = [column for column in range(model.columnCount())
               if not (isinstance(view, QTableView | QTreeView) and view.isColumnHidden(column))]
    header = view.horizontalHeader() if isinstance(view, QTableView) else (
        view.header() if isinstance(view, QTreeView) else None)
    if header is not None and header.isVisible():
        for column in columns:
            yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            yield str(model.headerData(column, Qt.Orientation.Horizontal,
                                       Qt.ItemDataRole.ToolTipRole) or "")
    for row in range(min(model.rowCount(), ROWS_READ)):
        if isinstance(view, QTableView) and view.isRowHidden(row):
            continue
        for column in columns:
            index = model.index(row, column)
            yield str(index.data() or "")
            yield str(index.data(Qt.ItemDataRole.ToolTipRole) or "")


def action_texts(actions: Iterable[QAction]) -> Iterator[str]:
    """A menu's action texts and tooltips, into its submenus."""
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        yield without_mnemonic(action.text())
        if action.toolTip() != without_mnemonic(action.text()).replace("…", ""):
            yield action.toolTip()  # Qt makes a tooltip from the text when none is set
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from action_texts(menu.actions())


def widget_texts(widget: QWidget) -> Iterator[str]:
    """Every text ``widget`` itself shows a person, its own text first, then its tooltip (its
    children are read on their own)."""
    yield from _own_texts(widget)
    yield widget.toolTip()
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QMainWindow):
        yield from action_texts(widget.menuBar().actions())
        yield widget.statusBar().currentMessage()


def _own_texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel):
        yield label_text(widget)
    elif isinstance(widget, QAbstractButton):
        yield without_mnemonic(widget.text())
    elif isinstance(widget, QGroupBox):
        yield without_mnemonic(widget.title())
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield without_mnemonic(widget.tabText(index))
            yield widget.tabToolTip(index)
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield widget.itemText(index)
            yield str(widget.itemData(index, Qt.ItemDataRole.ToolTipRole) or "")
        if widget.isEditable() and widget.lineEdit() is not None:
            yield widget.lineEdit().placeholderText()
    elif isinstance(widget, QLineEdit):
        if not isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            yield widget.placeholderText()
            if widget.isReadOnly():
                yield widget.text()
    elif isinstance(widget, QAbstractSpinBox):
        yield widget.text()
        yield widget.specialValueText()
    elif isinstance(widget, QHeaderView):
        return  # read with its list
    elif isinstance(widget, QAbstractItemView):
        yield from view_texts(widget)
    elif isinstance(widget, QTextEdit | QPlainTextEdit) and widget.isReadOnly():
        yield widget.toPlainText()
        yield widget.placeholderText()


# -- what does not fit ---------------------------------------------------------------------

def _is_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def shown_part(widget: QWidget) -> QRect:
    """The part of ``widget`` its parents leave on screen, in its own coordinates.

    Content a scroll area can scroll to is not cut: the parents are looked at up to the
    nearest scroll area's viewport only.
    """
    shown = widget.rect()
    child, parent = widget, widget.parentWidget()
    offset = QPoint(0, 0)
    while parent is not None and not child.isWindow() and not _is_viewport(parent):
        offset += child.pos()
        shown = shown.intersected(parent.rect().translated(-offset))
        child, parent = parent, parent.parentWidget()
    return shown


def fit_problems(widget: QWidget) -> Iterator[str]:
    """How ``widget``'s text is cut, if it is (none for a widget that shows all of it)."""
    width, height = widget.width(), widget.height()
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return
        if widget.wordWrap():
            needed = widget.heightForWidth(width)
            if needed > height + 1:
                yield f"wrapped text needs {needed} px of height, has {height}"
        else:
            hint = widget.sizeHint()
            if hint.width() > width + 1:
                yield f"needs {hint.width()} px of width, has {width}"
            if hint.height() > height + 1:
                yield f"needs {hint.height()} px of height, has {height}"
    elif isinstance(widget, QPushButton | QToolButton | QCheckBox | QRadioButton):
        if not widget.text() or (isinstance(widget, QToolButton) and widget.toolButtonStyle()
                                 == Qt.ToolButtonStyle.ToolButtonIconOnly):
            return
        # The frame around the text may give a little; the text's own height may not.
        if widget.sizeHint().width() > width + 2:
            yield f"needs {widget.sizeHint().width()} px of width, has {width}"
        if widget.fontMetrics().height() + 2 > height:
            yield f"needs {widget.fontMetrics().height() + 2} px of height, has {height}"
    elif isinstance(widget, QGroupBox):
        title = without_mnemonic(widget.title())
        needed = widget.fontMetrics().horizontalAdvance(title) + 16
        if title and needed > width:
            yield f"title needs {needed} px of width, has {width}"
    elif isinstance(widget, QHeaderView):
        yield from _header_problems(widget)
        return
    elif isinstance(widget, QComboBox):
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        field = widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                              QStyle.SubControl.SC_ComboBoxEditField, widget)
        needed = widget.fontMetrics().horizontalAdvance(widget.currentText())
        if needed > field.width() + 1:
            yield f"the choice shown is shortened: needs {needed} px, has {field.width()}"
    elif isinstance(widget, QLineEdit):
        if widget.text() or not widget.placeholderText() or isinstance(
                widget.parent(), QAbstractSpinBox | QComboBox):
            return
        option = QStyleOptionFrame()
        widget.initStyleOption(option)
        room = widget.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option,
                                             widget)
        margins = widget.textMargins()
        # Qt keeps 2 px each side of the text, and each icon inside takes its own room.
        icons = sum(1 for action in widget.actions() if action.isVisible()
                    and action.objectName() != "_q_qlineeditclearaction")
        space = room.width() - margins.left() - margins.right() - 4 - icons * room.height()
        needed = widget.fontMetrics().horizontalAdvance(widget.placeholderText())
        if needed > space + 1:
            yield f"the hint in the empty field is cut: needs {needed} px, has {space}"
    elif isinstance(widget, QScrollArea):
        if widget.horizontalScrollBar().isVisible():
            yield "the page scrolls sideways: it is wider than the window"
        return
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            shown, wanted = widget.tabRect(index), widget.tabSizeHint(index)
            if shown.width() + 1 < wanted.width():
                yield (f"tab {widget.tabText(index)!r} is shortened: needs {wanted.width()} px, "
                       f"has {shown.width()}")
            elif not widget.rect().contains(shown):
                yield f"tab {widget.tabText(index)!r} is out of sight, behind the scroll buttons"
    else:
        return
    shown = shown_part(widget)
    if shown.width() + 1 < width or shown.height() + 1 < height:
        yield (f"cut off by what holds it: {shown.width()}x{shown.height()} of "
               f"{width}x{height} px on screen")


def _header_problems(header: QHeaderView) -> Iterator[str]:
    """A list's column titles cut to less than half: unreadable, even with their tooltip.

    A title shortened a little ("Your ord…") is how a many-columned list fits a small window
    in any language, English too; a column squeezed to a few letters is a layout's mistake.
    """
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        wanted = header.sectionSizeFromContents(section).width()
        if header.sectionSize(section) < wanted / 2:
            title = model.headerData(section, Qt.Orientation.Horizontal)
            yield (f"column title {title!r} is shortened: needs {wanted} px, "
                   f"has {header.sectionSize(section)}")


def cut_pseudo_text(text: str) -> bool:
    """Whether a pseudo text lost its end (shortened with "…" or cut): ``⟦`` without ``⟧``."""
    depth = 0
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(0, depth - 1)
    return depth > 0


# -- no English left ---------------------------------------------------------------------

_TOKENS = sorted({*CURRENCIES, *LANGUAGES.values(), "Cryptex Desktop", "Cryptex", "API", "QR",
                  "CSV", "JSON", "BIP", "ID", "Ctrl", "Alt", "Shift", "Enter", "Esc", "Tab",
                  "Space", "Delete", "F5", "UTC", "OK"}, key=len, reverse=True)
# Where an ASCII word starts and ends: Chinese runs straight into "USD", with no space
# for \b to see (a Chinese character is a word character to it).
_START, _END = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_ALLOWED = re.compile("|".join([
    r"https?://\S+",                                     # a link
    rf"{_START}[A-Za-z0-9.-]+\.(?:net|com|org|io){_END}(?:/[!-~]*)?",  # a web address
    rf"{_START}CTX(?:[- ][A-Za-z0-9]{{1,8}})+",           # a coupon code, whole or in part
    rf"{_START}[A-Za-z0-9]{{20,}}",                       # an address or a transaction id
    rf"{_START}[0-9a-fA-F]{{4,}}…[0-9a-fA-F]{{4,}}{_END}",  # a shortened transaction id
    r"(?<![A-Za-z])[A-Z]{3,}[/_][A-Z]{3,}(?![A-Za-z])",    # a market: BTC/USD
    # A time with its zone as the computer names it: "06:24:50 CST", "12:00 GMT+03:00".
    r"\d:\d\d(?::\d\d)? ?[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d\d)?)?(?![A-Za-z])",
    *(rf"(?<![A-Za-z]){re.escape(token)}(?![A-Za-z])" for token in _TOKENS),  # "1BTC" too
]))
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """The words of ASCII letters in ``text`` that no translation should have left."""
    return _WORD.findall(_ALLOWED.sub(" ", text))


#: A number written the English way: "0.25", "1,234.5" (not a date, a version or an address).
_POINT_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+(?![\d.])")


def english_numbers(text: str, decimal_point: str) -> list[str]:
    """The numbers in ``text`` written with a decimal point where the language writes another."""
    if decimal_point == ".":
        return []
    return _POINT_NUMBER.findall(_ALLOWED.sub(" ", text))


def numbers_left(seen: Iterable[SeenText]) -> list[SeenText]:
    """Each text with a number written the English way in a language that writes "0,25"."""
    point = QLocale().decimalPoint()
    found: dict[tuple[str, str], SeenText] = {}
    for item in seen:
        if english_numbers(item.text, point) and (item.widget, item.text) not in found:
            found[(item.widget, item.text)] = item
    return list(found.values())


@functools.cache
def _source_lines() -> tuple[tuple[str, int, str], ...]:
    package = Path(cryptex_desktop.__file__).resolve().parent
    return tuple((path.relative_to(package.parent).as_posix(), number, line)
                 for path in sorted(package.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1))


def likely_sources(text: str, most: int = 2) -> list[str]:
    """Where in the code a text left in English probably comes from: ``file:line`` of a
    string literal holding its longest run of English words."""
    runs = re.findall(r"[A-Za-z][A-Za-z' ]*[A-Za-z]", _ALLOWED.sub(" ", text))
    if not runs:
        return []
    words = max(runs, key=len)
    quoted = re.compile(r"[\"']([^\"']*\b" + re.escape(words) + r"\b[^\"']*)[\"']")
    return [f"{path}:{number}" for path, number, line in _source_lines()
            if quoted.search(line)][:most]


def english_left(seen: Iterable[SeenText]) -> list[SeenText]:
    """Each text that still holds an English word, once, in the order seen."""
    found: dict[tuple[str, str], SeenText] = {}
    for item in seen:
        if english_words(item.text) and (item.widget, item.text) not in found:
            found[(item.widget, item.text)] = item
    return list(found.values())


# -- the walk ----------------------------------------------------------------------------

@dataclass
class LanguageWalk:
    """Walks the app as a person would and keeps what it read and what did not fit."""

    qtbot: object
    window: QMainWindow
    context: AppContext
    check_fit: bool = False
    seen: list[SeenText] = field(default_factory=list)
    cramped: list[Cramped] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    # -- looking ----------------------------------------------------------------------

    def look(self, place: str, top: QWidget | None = None) -> None:
        """Read every visible widget of ``top`` (the main window if None) as ``place``."""
        top = top or self.window
        self.settle()
        self.visited.append(place)
        if os.environ.get(SHOTS_FOLDER):  # to look at what was read, as a person would
            folder = Path(os.environ[SHOTS_FOLDER])
            folder.mkdir(parents=True, exist_ok=True)
            top.grab().save(str(folder / f"{len(self.visited):02d} {place}.png"))
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible() or (widget is not top and widget.window() is not top):
                continue  # hidden, or another window (a dialog) read on its own
            name = widget_name(widget)
            for text in widget_texts(widget):
                if text and text.strip():
                    self.seen.append(SeenText(place, name, text))
                    if self.check_fit and cut_pseudo_text(text):
                        self.note_cramped(Cramped(place, name, text, "shortened with …"))
            if self.check_fit:
                for how in fit_problems(widget):
                    shown = next((t for t in widget_texts(widget) if t), "")
                    self.note_cramped(Cramped(place, name, shown, how))

    def note_cramped(self, found: Cramped) -> None:
        """Keep ``found`` unless the same text was already found cut the same way elsewhere."""
        if not any((c.widget, c.text, c.how) == (found.widget, found.text, found.how)
                   for c in self.cramped):
            self.cramped.append(found)

    def settle(self) -> None:
        """Let layouts catch up and the exchange's answers arrive before reading."""
        self.qtbot.waitUntil(lambda: self.context.dispatcher.pending == 0, timeout=WAIT_MS)
        for _ in range(10):  # nested layouts each settle on their own posted request
            QApplication.processEvents()

    def click(self, button: QAbstractButton) -> None:
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def dialog(self, kind: type[DialogKind]) -> DialogKind:
        found = modal_dialog(self.qtbot, kind)
        assert isinstance(found, kind)
        return found

    def wait(self, condition: Callable[[], object]) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=WAIT_MS)

    # -- the walk ---------------------------------------------------------------------

    def walk(self) -> None:
        """Visit everything (at the window's minimum size when checking what fits)."""
        self.context.refresher.stop()  # the walk asks for what it reads
        if self.check_fit:
            self.window.resize(self.window.minimumSize())
        self.prepare_data()
        self.visit_tabs()
        self.visit_deposit()
        self.visit_trade()
        self.visit_open_orders()
        self.visit_withdraw()
        self.visit_coupons()
        self.visit_activity()
        self.visit_settings()
        self.visit_about()

    def ask(self, call: Callable[[object], object]) -> object:
        from tests.exchange_helpers import ask_exchange

        return ask_exchange(self.qtbot, self.context, call)

    def prepare_data(self) -> None:
        """An open order and a filled trade."""
        place_order(self.qtbot, self.context, "BTC_USD", "buy", "1000", "0.01")
        place_order(self.qtbot, self.context, "BTC_USD", "buy", "200000", "0.001")
        self.context.wallet.refresh()

    def show(self, name: str) -> QWidget:
        screen = self.window.show_screen(name)
        screen.refresh()
        return screen

    def visit_tabs(self) -> None:
        # The lists the walk filled read their rows from the exchange and the journal.
        filled = {"open_orders": "proxy", "history": "model", "activity": "proxy"}
        for name in self.window.screens:
            screen = self.show(name)
            if name in filled:
                model = getattr(screen, filled[name])
                self.wait(lambda model=model: model.rowCount() >= 1)
            self.look(f"tab {name}")

    def visit_deposit(self) -> None:
        """A new address, coins sent to it, and the check that finds them on their way."""
        screen = self.show("deposit")
        screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("BTC"))
        self.click(screen.new_address_button)
        self.wait(screen.shown_address)
        exchange = self.context.connection.demo.server.exchange
        exchange.deposit(screen.shown_address(), Decimal("0.25"))
        self.click(screen.check_button)
        self.wait(lambda: not screen.check_button.is_busy())
        screen.refresh()
        self.wait(lambda: screen.proxy.rowCount() >= 1)
        self.look("tab deposit, coins on their way")

    def visit_trade(self) -> None:
        screen = self.show("trade")
        screen.pair_combo.setCurrentIndex(screen.pair_combo.findData("BTC_USD"))
        for side, button, price in (("buy", screen.buy_button, "30000"),
                                    ("sell", screen.sell_button, "900000")):
            self.click(button)
            for edit, typed in ((screen.price_edit, price), (screen.amount_edit, "0.01")):
                edit.clear()
                self.qtbot.keyClicks(edit, typed)
            self.look(f"tab trade, {side} filled in")
            self.click(screen.place_button)
            dialog = self.dialog(ConfirmDialog)
            self.look(f"confirm {side}", dialog)
            self.click(dialog.cancel_button)
            self.wait(lambda dialog=dialog: not dialog.isVisible())

    def visit_open_orders(self) -> None:
        screen = self.show("open_orders")
        self.wait(lambda: screen.proxy.rowCount() >= 1)
        screen.table.selectRow(0)
        self.click(screen.cancel_button)
        dialog = self.dialog(ConfirmDialog)
        self.look("confirm cancel order", dialog)
        self.click(dialog.cancel_button)
        self.wait(lambda: not dialog.isVisible())
        self.click(screen.details_button)
        details = self.dialog(OrderDetailsDialog)
        self.wait(lambda: not details.is_loading())
        self.look("order details", details)
        details.reject()

    def visit_withdraw(self) -> None:
        screen = self.show("withdraw")
        screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("BTC"))
        self.wait(lambda: self.context.wallet.free_balance("BTC"))
        self.qtbot.keyClicks(screen.address_edit, new_address("BTC"))
        self.qtbot.keyClicks(screen.amount_edit, "0.01")
        self.look("tab withdraw, filled in")
        self.click(screen.withdraw_button)
        dialog = self.dialog(ConfirmDialog)
        self.look("confirm withdraw", dialog)
        self.click(dialog.confirm_button)
        self.wait(lambda: not screen.action.is_busy())
        self.look("tab withdraw, sent")

    def make_coupon(self, screen: QWidget, amount: str, place: str) -> CouponCreatedDialog:
        """Make a coupon on the Coupons tab, reading its confirmation; the code's window."""
        screen.amount_edit.clear()
        self.qtbot.keyClicks(screen.amount_edit, amount)
        self.click(screen.create_button)
        dialog = self.dialog(ConfirmDialog)
        self.look(f"confirm make coupon{place}", dialog)
        self.click(dialog.confirm_button)
        return self.dialog(CouponCreatedDialog)

    def visit_coupons(self) -> None:
        """A coupon the keychain keeps (shown again), one it cannot (the question), a redeem."""
        screen = self.show("coupons")
        screen.currency_combo.setCurrentIndex(screen.currency_combo.findData("USD"))
        self.wait(lambda: self.context.wallet.free_balance("USD"))
        created = self.make_coupon(screen, "5", "")
        self.wait(created.is_code_kept)  # the keychain took it: the window says so
        self.look("coupon created", created)
        self.click(created.close_button)
        self.wait(lambda: not created.isVisible())

        def chosen_with_its_code() -> bool:  # the list reloads once the code is in the keychain
            made = screen.made_coupons()
            if made:
                screen.select_coupon(made[0].id)
            return screen.show_code_button.isEnabled()

        self.wait(chosen_with_its_code)
        self.click(screen.show_code_button)
        show = self.dialog(ConfirmDialog)
        self.look("confirm show the code", show)
        self.click(show.confirm_button)
        again = self.dialog(CouponCreatedDialog)
        self.wait(lambda: bool(again.code_label.text()))
        self.look("coupon shown again", again)
        self.click(again.close_button)
        self.wait(lambda: not again.isVisible())

        kept = keyring.get_keyring()
        keyring.set_keyring(fail.Keyring())  # no keychain: the code is shown this once only
        try:
            created = self.make_coupon(screen, "2", ", no keychain")
            self.look("coupon created, no keychain", created)
            self.click(created.close_button)  # neither copied nor saved: it asks first
            question = self.dialog(QMessageBox)
            self.look("question: close without keeping the code", question)
            self.click(created.close_anyway_button)
            self.wait(lambda: not created.isVisible())
        finally:
            keyring.set_keyring(kept)

        code = coupon_code(self.qtbot, self.context, "EUR", "1")
        self.qtbot.keyClicks(screen.code_edit, code)
        self.click(screen.redeem_button)
        self.wait(lambda: not screen.redeem_button.is_busy())
        self.look("tab coupons, made and redeemed")

    def visit_activity(self) -> None:
        screen = self.show("activity")
        self.wait(lambda: screen.proxy.rowCount() >= 3)
        self.look("tab activity, filled")
        screen.table.selectRow(0)
        screen.table.setCurrentIndex(screen.proxy.index(0, 0))
        self.click(screen.details_button)
        details = self.dialog(QDialog)
        self.look("activity details", details)
        details.reject()
        self.wait(lambda: screen.details_dialog is None)

    def visit_settings(self) -> None:
        self.window.open_settings()
        dialog = self.dialog(SettingsDialog)
        self.look("settings, demo", dialog)
        self.click(dialog.live_choice)
        dialog.advanced_toggle.setChecked(True)
        self.look("settings, live with advanced", dialog)
        self.click(dialog.save_button)  # nothing typed: it says what to enter
        self.look("settings, live, a field missing", dialog)
        dialog.reject()

    def visit_about(self) -> None:
        boxes: list[QMessageBox] = []

        def look_then_close() -> None:
            shown = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMessageBox) and w.isVisible()]
            if not shown:
                QTimer.singleShot(20, look_then_close)
                return
            boxes.append(shown[-1])
            try:
                self.look("about", shown[-1])
            finally:
                shown[-1].accept()

        QTimer.singleShot(0, look_then_close)
        self.window._about()  # modal, as a person meets it: read and closed from the timer
        assert boxes, "About did not open"
