"""What the app's start and its ``--self-test`` share: its name, logging, data dir and hooks.

``app.py`` (the window) and ``self_test.py`` (the headless check) both start from here, so
neither imports the other. Importing this module loads no Qt: the self-test imports Qt step
by step, to print a ``FAIL qt`` line rather than a traceback when a Qt library is missing.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path
from types import TracebackType

from cryptex_desktop import __version__

log = logging.getLogger(__name__)

#: The name a person sees: title bar, tray, message boxes, the platform's app folder.
APP_NAME = "Cryptex Desktop"
#: The folder the platform files the app's data and settings under.
ORGANIZATION = "Cryptex"

_COUPON_LIKE = re.compile(r"CTX-[A-Za-z]{3,}(-[A-Za-z0-9]+)+")


class RedactingFilter(logging.Filter):
    """Blanks anything shaped like a coupon code out of log lines, whatever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "CTX-" in message:
            record.msg = _COUPON_LIKE.sub("[coupon code]", message)
            record.args = ()
        return True


def setup_logging(data_dir: Path) -> Path:
    """Log to a rotating file in the data dir (never a secret: see RedactingFilter)."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "cryptex-desktop.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    return path


def resource_path(name: str) -> Path:
    """A file from ``resources/``, from a source checkout or from a packaged app."""
    bundled = getattr(sys, "_MEIPASS", None)
    root = Path(bundled) if bundled else Path(__file__).resolve().parents[2]
    return root / "resources" / name


def default_data_dir() -> Path:
    """Where the app keeps its data: the platform's per-user application data folder."""
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".cryptex-desktop")


def name_the_application() -> None:
    """Tell Qt the app's name and version (before the QApplication exists, as Qt wants)."""
    from PySide6.QtWidgets import QApplication

    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)


def install_exception_hooks() -> None:
    """An unexpected error is logged and told in words; the app keeps running."""

    def report(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        from PySide6.QtWidgets import QApplication, QMessageBox

        from cryptex_desktop.ui.errors import describe

        on_ui_thread = threading.current_thread() is threading.main_thread()
        if QApplication.instance() is not None and on_ui_thread:
            QMessageBox.warning(None, APP_NAME, describe(exc))

    def report_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:  # Python allows it; then there is no traceback to log
            log.critical("unexpected %s in a background thread", args.exc_type.__name__)
            return
        log.critical("unexpected error in a background thread",
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = report
    threading.excepthook = report_thread
