"""The app's language: chosen in Settings, followed from the desktop, with Qt's own words and
the language's numbers and dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox

from cryptex_desktop import i18n
from cryptex_desktop.ui import formatting
from cryptex_desktop.ui.dialogs.settings_dialog import SettingsDialog
from cryptex_desktop.ui.language import LANGUAGE_CHOICES, apply_language, locale_for
from cryptex_desktop.ui.main_window import MainWindow
from tests.gui_checks import WAIT_MS, modal_dialog
from tests.plugins.gui import shown_on_demo


def test_settings_offers_each_language_in_its_own_words_and_says_when_it_applies(
        qtbot, window, app_context):
    window.open_settings()
    dialog = modal_dialog(qtbot, SettingsDialog)
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == ["As my computer (System)", "English", "Русский", "简体中文"]
    assert dialog.language.currentData() == "system"
    assert not dialog.language_note.isVisible()
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    assert dialog.language.currentData() == "ru"
    assert dialog.language_note.isVisible()
    assert "next time it starts" in dialog.language_note.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert app_context.settings.language == "ru"
    assert i18n.language() == "en"  # this run keeps its words; the next start is Russian


def test_a_window_built_in_russian_speaks_russian_with_russian_numbers_and_dates(
        qtbot, speak, app_context):
    assert speak("ru") == "ru"
    main = MainWindow(app_context)
    qtbot.addWidget(main)
    titles = [main.tabs.tabText(i) for i in range(main.tabs.count())]
    assert titles[0] == i18n._("Balances") != "Balances"
    assert all(not any("a" <= c.lower() <= "z" for c in title) for title in titles), titles
    assert formatting.format_money(Decimal("1234.5"), "USD") == "1\u00a0234,50 USD"
    assert formatting.format_datetime(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))[:10] == \
        "30.11.2026"
    # Qt's own words come from Qt's Russian catalogue.
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Отмена"


def test_chinese_keeps_iso_dates_and_its_own_words(speak) -> None:
    assert speak("zh_CN") == "zh_CN"
    assert formatting.format_datetime(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))[:10] == \
        "2026-11-30"
    assert i18n._("Balances") == "余额"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_english_chosen_on_any_desktop_writes_english_numbers(speak) -> None:
    speak("en")
    assert QLocale().decimalPoint() == "."
    assert locale_for("en", "en").language() == QLocale.Language.English
    assert locale_for("ru", "ru").decimalPoint() == ","
    assert locale_for("zh_CN", "zh_CN").language() == QLocale.Language.Chinese
    assert LANGUAGE_CHOICES == ("system", "en", "ru", "zh_CN")


def test_apply_language_falls_back_to_english_for_an_unknown_choice(speak) -> None:
    assert apply_language("tlh") in i18n.LANGUAGES  # "system" on this desktop: English here
    assert i18n.language() == "en"


def russian_window(qtbot, speak, app_context) -> MainWindow:
    """The main window built in Russian, on the demo exchange with its balances known."""
    speak("ru")
    return shown_on_demo(qtbot, app_context)


def test_amounts_are_typed_and_read_back_the_russian_way(qtbot, speak, app_context):
    main = russian_window(qtbot, speak, app_context)
    trade = main.show_screen("trade")
    group = QLocale().groupSeparator()
    qtbot.mouseClick(trade.buy_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(trade.price_edit, "1 234,56")
    qtbot.keyClicks(trade.amount_edit, "0,01")
    assert trade.price_edit.amount() == Decimal("1234.56")
    assert trade.price_message.text().endswith(f" 1{group}234,56 USD")
    assert not has_english(trade.price_message.text())  # "Распознано как …"
    assert trade.pay_label.text() == "12,3456 USD"
    trade.amount_edit.clear()
    qtbot.keyClicks(trade.amount_edit, "0.01")  # a point, unambiguous here: read, and said so
    assert trade.amount_edit.amount() == Decimal("0.01")
    assert trade.amount_message.text().endswith(" 0,01 BTC")
    assert not has_english(trade.amount_message.text())


def has_english(text: str) -> bool:
    """Whether ``text`` has a Latin word other than a currency code."""
    return any(not word.isupper() for word in re.findall(r"[A-Za-z]{2,}", text))


def test_the_readme_keys_work_in_russian_where_other_letters_are_underlined(
        qtbot, speak, app_context):
    main = russian_window(qtbot, speak, app_context)
    trade = main.show_screen("trade")
    qtbot.waitUntil(trade.isVisible, timeout=WAIT_MS)
    assert "&B" not in trade.buy_button.text()  # Russian words: another letter underlined
    trade.amount_edit.setFocus()
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(trade.amount_edit, Qt.Key.Key_B, alt)
    qtbot.waitUntil(trade.buy_button.isChecked, timeout=WAIT_MS)
    qtbot.keyClick(trade.amount_edit, Qt.Key.Key_S, alt)
    qtbot.waitUntil(trade.sell_button.isChecked, timeout=WAIT_MS)
    qtbot.keyClick(trade.amount_edit, Qt.Key.Key_X, alt)  # Max: all the bitcoin there is
    qtbot.waitUntil(lambda: trade.amount_edit.amount() == Decimal(2), timeout=WAIT_MS)
    qtbot.keyClick(trade.amount_edit, Qt.Key.Key_E, alt)  # the best price: the highest bid
    qtbot.waitUntil(lambda: trade.price_edit.amount() is not None, timeout=WAIT_MS)
