"""Start-up: check that a window can open, set up logging, show the window, then connect.

``cryptex-desktop`` and ``python -m cryptex_desktop`` both land in :func:`main`. With no
live account set up, the app runs on its built-in demo exchange.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from cryptex_desktop import __version__, i18n
from cryptex_desktop.i18n import N_
from cryptex_desktop.ui.display_check import problem_opening_window
from cryptex_desktop.ui.startup import (
    APP_NAME,
    default_data_dir,
    install_exception_hooks,
    name_the_application,
    resource_path,
    setup_logging,
)

if TYPE_CHECKING:  # Qt loads only after the display check, so only for annotations here
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from cryptex_desktop.ui.context import AppContext

log = logging.getLogger(__name__)

ALREADY_RUNNING = N_(
    "Cryptex Desktop is already open on this computer. Look for its window (it may be "
    "minimised or on another desktop); only one copy can run at a time."
)


def tell_already_running(app: QApplication) -> None:
    """Say that another copy has this data dir; a message box when a person can see it."""
    from PySide6.QtWidgets import QMessageBox

    from cryptex_desktop.i18n import _

    print(_(ALREADY_RUNNING), file=sys.stderr)
    if app.platformName() not in ("offscreen", "minimal"):
        QMessageBox.information(None, APP_NAME, _(ALREADY_RUNNING))


def start_connection(context: AppContext) -> None:
    """Connect to the live account if one is set up, otherwise to the demo exchange."""
    from cryptex_desktop.ui.credential_store import LIVE_PROFILE
    from cryptex_desktop.ui.settings import LIVE

    settings = context.settings
    if settings.mode == LIVE and settings.live_username:
        context.connection.connect_live(
            settings.live_url, lambda: context.credentials.load(LIVE_PROFILE)
        )
    else:
        context.connection.connect_demo()


class FirstPaintProbe:
    """Prints ``first-paint`` when the window first paints, then quits: for start-up timing.

    Enabled by the environment variable CRYPTEX_DESKTOP_EXIT_AFTER_FIRST_PAINT=1; the
    benchmarks and the packaging smoke test time the whole start from outside the process.
    """

    ENV = "CRYPTEX_DESKTOP_EXIT_AFTER_FIRST_PAINT"
    #: The installed watcher, held so Python keeps the event filter alive.
    _watcher: ClassVar[QObject | None] = None

    @classmethod
    def install(cls, window: QWidget) -> None:
        """Watch ``window``'s first paint, when the environment variable asks for it."""
        if os.environ.get(cls.ENV) != "1":
            return
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication

        class Watcher(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt names it so
                if event.type() == QEvent.Type.Paint:
                    watched.removeEventFilter(self)
                    print("first-paint", flush=True)
                    QTimer.singleShot(0, QApplication.quit)
                return False

        cls._watcher = Watcher(window)
        window.installEventFilter(cls._watcher)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line's options (``argv`` without the program name)."""
    from cryptex_desktop.i18n import _

    parser = argparse.ArgumentParser(
        prog="cryptex-desktop",
        description=_("Cryptex Desktop: your Cryptex wallet and trading app."),
    )
    parser.add_argument("--data-dir", type=Path, help=_("keep the app's data and settings here"))
    parser.add_argument("--demo", action="store_true", help=_("start on the demo exchange"))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check, without a screen and on a temporary demo exchange, that the app works; "
               "prints one line per step and exits 0 only if all passed"),
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the app until its window closes; returns the exit code."""
    arguments = sys.argv[1:] if argv is None else argv
    i18n.install(i18n.desktop_language())  # until the settings are read: for early messages
    args = parse_args(arguments)
    if args.self_test:
        from cryptex_desktop.ui.self_test import run_self_test

        return run_self_test([sys.argv[0], *arguments])
    problem = problem_opening_window()
    if problem:
        print(problem, file=sys.stderr)
        return 2

    from PySide6.QtCore import QLockFile, QSettings, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    name_the_application()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)  # the widgets app, never a bare QCoreApplication
    app.setWindowIcon(QIcon(str(resource_path("cryptex-desktop.svg"))))
    app.setDesktopFileName("cryptex-desktop")  # Wayland docks match the window to the menu entry

    data_dir = args.data_dir or default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    setup_logging(data_dir)
    install_exception_hooks()
    lock = QLockFile(str(data_dir / "cryptex-desktop.lock"))  # stale if its process died
    if not lock.tryLock(200):
        tell_already_running(app)
        return 0
    log.info("Cryptex Desktop %s starting", __version__)

    from cryptex_desktop.ui.context import AppContext
    from cryptex_desktop.ui.main_window import MainWindow
    from cryptex_desktop.ui.settings import DEMO, AppSettings

    qsettings = (
        QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
        if args.data_dir else QSettings()
    )
    settings = AppSettings(qsettings)
    from cryptex_desktop.ui.language import apply_language

    apply_language(settings.language)
    if args.demo:
        settings.mode = DEMO
    context = AppContext.create(data_dir, settings)
    from cryptex_desktop.ui.theme import ThemeChoice, ThemeKeeper

    theme_keeper = ThemeKeeper(app, ThemeChoice(settings.theme))  # System unless chosen
    window = MainWindow(context, theme_keeper=theme_keeper, other_screens_after_first_paint=True)
    FirstPaintProbe.install(window)
    window.show()
    # Every screen is built before the connection (and the journal it opens) says anything.
    window.when_screens_built(lambda: QTimer.singleShot(0, lambda: start_connection(context)))
    try:
        return app.exec()
    finally:
        context.close()
