"""Screenshots of every screen, light and dark, small and large: ``make screenshots``.

Starts the real app offscreen on a throwaway demo exchange, places an order and a trade so
the lists have rows, then saves ``OUT/<language>-<theme>-<width>x<height>-<screen>.png`` for
each screen, plus the Settings dialog. Look at them as a user would.

    python -m tests.tools.screenshots [OUT] [--sizes 880x560,1920x1080] [--themes light,dark]
                                      [--language en|ru|zh_CN|pseudo]

``--language pseudo`` shows the pseudo-language of ``tests/tools/pseudo_language.py`` (every
text accented and 40% longer), to see where a longer language would not fit.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _wait(app: object, condition: Callable[[], bool], seconds: float = 30) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


def _settle(seconds: float = 0.4) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    """Save the screenshots; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="build/screenshots", type=Path)
    parser.add_argument("--sizes", default="880x560,1920x1080")
    parser.add_argument("--themes", default="light,dark")
    parser.add_argument("--language", default="en",
                        help="the app's language: en, ru, zh_CN, or pseudo")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import keyring
    from keyring.backends.null import Keyring as NullKeyring
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QDialog

    from cryptex_desktop.ui import theme
    from cryptex_desktop.ui.context import AppContext
    from cryptex_desktop.ui.credential_store import CredentialStore
    from cryptex_desktop.ui.main_window import MainWindow
    from cryptex_desktop.ui.settings import AppSettings

    keyring.set_keyring(NullKeyring())
    app = QApplication.instance() or QApplication([sys.argv[0]])
    language = args.language
    if language == "pseudo":
        from cryptex_desktop import i18n
        from tests.tools.pseudo_language import PSEUDO_CODE, write_pseudo_catalogue

        folder = Path(tempfile.mkdtemp(prefix="cryptex-pseudo-"))
        write_pseudo_catalogue(folder)
        i18n.LOCALE_DIR = folder
        language = PSEUDO_CODE
    from cryptex_desktop.ui.language import apply_language

    apply_language(language)  # before the window is built: its texts are made in it
    prefix = args.language
    keeper = theme.ThemeKeeper(app, theme.ThemeChoice.LIGHT)  # type: ignore[arg-type]
    data_dir = Path(tempfile.mkdtemp(prefix="cryptex-shots-"))
    qsettings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext.create(data_dir, AppSettings(qsettings), CredentialStore("shots"))
    window = MainWindow(context)
    window.show()
    context.connection.connect_demo()
    _wait(app, lambda: context.wallet.known)
    client = context.dispatcher.client
    assert client is not None
    client.trade("BTC_USD", "buy", Decimal("1000"), Decimal("0.01"))  # waits on Open orders
    client.trade("BTC_USD", "buy", Decimal("200000"), Decimal("0.001"))  # fills: History
    client.get_new_address("BTC")
    window.refresh_now()
    _settle(1.5)

    for theme_name in args.themes.split(","):
        keeper.apply(theme.ThemeChoice(theme_name))
        for size in args.sizes.split(","):
            width, height = (int(part) for part in size.split("x"))
            window.resize(width, height)
            for name in window.screens:
                window.show_screen(name)
                _settle()
                path = args.out / f"{prefix}-{theme_name}-{size}-{name}.png"
                window.grab().save(str(path))
                print(path)
        window.open_settings()
        _settle()
        for dialog in window.findChildren(QDialog):
            if dialog.isVisible():
                path = args.out / f"{prefix}-{theme_name}-dialog-{type(dialog).__name__}.png"
                dialog.grab().save(str(path))
                print(path)
                dialog.close()
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
