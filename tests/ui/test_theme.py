"""Light and dark for every person: readable colour pairs, View > Theme, and no stray colours.

Run with ``-s`` to see the contrast table of both themes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from cryptex_desktop.ui import theme
from cryptex_desktop.ui.main_window import MainWindow
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.theme import ThemeChoice
from tests.gui_checks import WAIT_MS

#: WCAG AA for normal text.
MINIMUM_CONTRAST = 4.5

UI = Path(__file__).resolve().parents[2] / "cryptex_desktop" / "ui"
#: Where no colour may be written down: everything a person sees asks the theme.
NO_LITERAL_DIRS = ("screens", "dialogs", "models", "widgets")
#: The files of this branch's part (the shell, Balances and History): held strictly.
SHELL_FILES = (
    "screens/__init__.py", "screens/balances.py", "screens/history.py",
    "widgets/status_bar.py", "dialogs/settings_dialog.py",
    "models/__init__.py", "models/balances.py", "models/keyed_table.py",
    "models/open_orders.py", "models/sorting.py", "models/trade_history.py",
    "models/transactions.py",
)


def contrast_rows() -> list[tuple[str, str, str, float]]:
    """(theme, text role, background role, contrast ratio) for every readable pair."""
    return [
        (colours.name, fore.value, back.value,
         theme.contrast_ratio(colours.hex(fore), colours.hex(back)))
        for colours in (theme.LIGHT, theme.DARK)
        for fore, back in theme.READABLE_PAIRS
    ]


def test_every_text_colour_reads_at_4_5_to_1_on_its_background_in_both_themes():
    rows = contrast_rows()
    print()
    print(f"{'theme':<6} {'text':<18} {'on':<16} contrast")
    for name, fore, back, ratio in rows:
        print(f"{name:<6} {fore:<18} {back:<16} {ratio:5.2f}:1")
    weakest = min(rows, key=lambda row: row[3])
    print(f"weakest: {weakest[0]} {weakest[1]} on {weakest[2]} at {weakest[3]:.2f}:1")
    too_faint = [row for row in rows if row[3] < MINIMUM_CONTRAST]
    assert not too_faint, too_faint
    assert len(rows) == 2 * len(theme.READABLE_PAIRS)


# -- View > Theme ---------------------------------------------------------------------------


def window_colour() -> object:
    return QApplication.palette().color(QPalette.ColorRole.Window)


def test_choosing_dark_in_the_view_menu_darkens_the_app_and_survives_a_restart(
    qtbot, app_context, app_data_dir, keeper
):
    window = MainWindow(app_context, theme_keeper=keeper)
    qtbot.addWidget(window)
    assert window.theme_actions[ThemeChoice.SYSTEM].isChecked()  # the default
    group = window.theme_actions[ThemeChoice.DARK].actionGroup()
    assert group is not None and group.isExclusive()

    window.status.set_mode("LIVE: alice", is_demo=False)
    assert theme.LIGHT.hex(theme.Role.LIVE_BADGE) in window.status.mode_badge.styleSheet()

    window.status.show_problem("Could not reach the exchange at 127.0.0.1.")
    window.show()

    window.theme_actions[ThemeChoice.DARK].trigger()

    assert window_colour() == theme.DARK.colour(theme.Role.WINDOW)
    assert theme.is_dark()
    assert window.theme_actions[ThemeChoice.DARK].isChecked()
    assert not window.theme_actions[ThemeChoice.SYSTEM].isChecked()
    # Colours of their own follow the theme too: the badge's style sheet, the problem's red.
    label = window.status.error_label
    qtbot.waitUntil(lambda: label.palette().color(QPalette.ColorRole.WindowText)
                    == theme.DARK.colour(theme.Role.PROBLEM), timeout=WAIT_MS)
    assert theme.DARK.hex(theme.Role.LIVE_BADGE) in window.status.mode_badge.styleSheet()

    # Restart: the saved choice comes back, in the settings and in the menu.
    qsettings = QSettings(str(app_data_dir / "settings.ini"), QSettings.Format.IniFormat)
    assert AppSettings(qsettings).theme == "dark"
    window.close()
    again = MainWindow(app_context, theme_keeper=keeper)
    qtbot.addWidget(again)
    assert again.theme_actions[ThemeChoice.DARK].isChecked()

    again.theme_actions[ThemeChoice.LIGHT].trigger()
    assert window_colour() == theme.LIGHT.colour(theme.Role.WINDOW)
    assert AppSettings(qsettings).theme == "light"


def test_with_system_chosen_the_app_follows_the_desktop_going_dark_and_back(
    qtbot, keeper, monkeypatch
):
    keeper.apply(ThemeChoice.SYSTEM)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+; offscreen may still report Unknown
        hints.setColorScheme(Qt.ColorScheme.Dark)
    if hints.colorScheme() != Qt.ColorScheme.Dark:
        # The offscreen platform cannot change its scheme: tell the keeper as the desktop would.
        monkeypatch.setattr(theme, "desktop_prefers_dark", lambda: True)
        keeper._on_desktop_changed(Qt.ColorScheme.Dark)
    assert window_colour() == theme.DARK.colour(theme.Role.WINDOW)

    monkeypatch.setattr(theme, "desktop_prefers_dark", lambda: False)
    keeper._on_desktop_changed(Qt.ColorScheme.Light)
    assert window_colour() == theme.LIGHT.colour(theme.Role.WINDOW)

    keeper.apply(ThemeChoice.DARK)  # a fixed choice is not changed by the desktop
    keeper._on_desktop_changed(Qt.ColorScheme.Light)
    assert window_colour() == theme.DARK.colour(theme.Role.WINDOW)
    if hasattr(hints, "setColorScheme"):
        hints.unsetColorScheme()


# -- no colour written down outside the theme -----------------------------------------------

_HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
_THEME_CALL = re.compile(r"theme\.|hex_colour|style_sheet_colour|colour\(")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def colour_literals(path: Path) -> list[str]:
    """Colours written into code (not comments or docstrings): hex, QColor(1, 2, 3), color:."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    skip = _docstrings(tree)
    in_fstring: set[int] = set()
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            in_fstring.update(id(v) for v in node.values)
            text = "".join(str(p) for p in parts)
            calls = " ".join(ast.unparse(v) for v in node.values
                             if isinstance(v, ast.FormattedValue))
            if _HEX.search(text):
                problems.append(f"{path.name}:{node.lineno}: hex colour")
            if "color:" in text.replace(" ", "") and not _THEME_CALL.search(calls):
                problems.append(f"{path.name}:{node.lineno}: color: without the theme")
        elif (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("QColor")
              and node.args and all(isinstance(a, ast.Constant) for a in node.args)):
            problems.append(f"{path.name}:{node.lineno}: QColor with a literal")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in skip and id(node) not in in_fstring):
            if _HEX.search(node.value):
                problems.append(f"{path.name}:{node.lineno}: hex colour")
            if "color:" in node.value.replace(" ", ""):
                problems.append(f"{path.name}:{node.lineno}: color: without the theme")
    return problems


def test_the_literal_finder_sees_hex_qcolor_and_style_colours_but_not_comments(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docstring with #ffffff is fine."""\n'
        "# a comment with #abc is fine\n"
        "RED = '#c53030'\n"
        "GREEN = QColor(0, 128, 0)\n"
        "STYLE = 'QLabel { color: white; }'\n"
        "GOOD = f'color: {theme.hex_colour(role)};'\n"
        "BAD = f'color: {value};'\n",
        encoding="utf-8",
    )
    found = colour_literals(sample)
    assert [line.split(": ", 1)[1] for line in found] == [
        "QColor with a literal", "color: without the theme", "hex colour",
        "color: without the theme",
    ]


def test_the_shell_balances_and_history_write_down_no_colour():
    found = [problem for name in SHELL_FILES for problem in colour_literals(UI / name)]
    assert not found, found


def _files_with_literals() -> list[str]:
    return sorted(
        str(path.relative_to(UI))
        for folder in NO_LITERAL_DIRS
        for path in (UI / folder).rglob("*.py")
        if colour_literals(path)
    )


def test_no_colour_literal_remains_in_screens_dialogs_models_or_widgets():
    left = {str(p.relative_to(UI)): colour_literals(p)
            for folder in NO_LITERAL_DIRS for p in (UI / folder).rglob("*.py")}
    left = {name: found for name, found in left.items() if found}
    print()
    for name, found in sorted(left.items()):
        print(name, found)
    assert not left
