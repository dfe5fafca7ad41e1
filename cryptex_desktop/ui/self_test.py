"""``cryptex-desktop --self-test``: start the app headless on its demo exchange and prove it works.

Made for packaged builds, where a module, Qt plugin or system library that was left out only
shows when the code needing it runs. The self-test runs the real thing: Qt on the offscreen
platform, the app icon, the keychain backend, the main window, the embedded demo exchange,
Info, a small buy that fills against the market maker, and a deposit address whose QR code is
read back from the painted pixels (no QR decoder ships in the app, so the modules are compared
with segno's encoding of the address). Everything lives in a temporary data dir, so a person's
data, settings and keychain are never touched.

It prints one line per step, ``ok   info: 5 currencies`` or ``FAIL trade: <a sentence>``, and
:func:`run_self_test` returns 0 only if every step passed. Qt is imported step by step, so a
build missing a Qt library still prints a ``FAIL qt`` line instead of a traceback.

Its lines stay English and unmarked, like the log: they are a build's diagnosis, pasted into
bug reports and read by the packaging checks, not sentences of the app.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from cryptex_desktop import __version__
from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.ui.startup import name_the_application, resource_path, setup_logging

if TYPE_CHECKING:  # Qt is imported step by step (see above), so only for annotations here
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from cryptex_desktop.ui.context import AppContext
    from cryptex_desktop.ui.dispatcher import ClientCall
    from cryptex_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long one step may wait for the app (a slow 2-core CI machine, a cold disk).
STEP_SECONDS = 30.0

#: The trade: a buy small enough for the demo account that fills at the market maker's ask.
TRADE_PAIR = "BTC_USD"
TRADE_AMOUNT = Decimal("0.001")

#: The coin whose deposit address (and QR code) the self-test asks for.
DEPOSIT_CURRENCY = "BTC"

#: Per platform: keyring's entry-point name of the OS keychain backend, and the module that
#: backend needs. keyring finds backends through package metadata, which a build can drop.
KEYCHAIN_BACKENDS: dict[str, tuple[str, str]] = {
    "linux": ("SecretService", "secretstorage"),
    "win32": ("Windows", "win32ctypes.pywin32.win32cred"),
    "darwin": ("macOS", "keyring.backends.macOS.api"),
}

#: The service name the self-test's credential store would use: never the app's own.
SELF_TEST_SERVICE = "Cryptex Desktop self-test"


class StepFailed(Exception):
    """A step did not work; the message is one sentence saying what went wrong."""


@dataclass(frozen=True)
class StepResult:
    """How one step ended, and the detail printed after its name."""

    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        """``ok   name: detail`` or ``FAIL name: detail``."""
        return f"{'ok' if self.passed else 'FAIL':<4} {self.name}: {self.detail}"


def sentence_for(error: BaseException) -> str:
    """What went wrong, in words: the app's own errors are sentences already."""
    if isinstance(error, (StepFailed, CryptexError)):
        return str(error)
    return f"unexpected {type(error).__name__}: {error}"


class ErrorRecorder(logging.Handler):
    """Remembers every error logged, and every exception that escaped to a hook."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")

    def record_exception(self, exc_type: type[BaseException], exc: BaseException) -> None:
        """For sys.excepthook and threading.excepthook: an exception nobody caught."""
        self.messages.append(f"uncaught {exc_type.__name__}: {exc}")


def module_matrix(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as the app encodes it, quiet zone included: True is dark."""
    import segno

    from cryptex_desktop.ui.widgets.qr_code import QUIET_ZONE

    rows = segno.make(text, error="m").matrix_iter(scale=1, border=QUIET_ZONE)
    return [[bool(dark) for dark in row] for row in rows]


def read_modules(image: QImage, modules: int, quiet_zone: int) -> list[list[bool]]:
    """Read a ``modules`` × ``modules`` QR code back from a painted ``QImage``.

    The dark pixels' bounding box is the code without its quiet zone; from its size comes
    the module size, and each module is read at its centre. Raises :class:`StepFailed` when
    nothing dark was painted or the code is not drawn in whole pixels per module.
    """
    width, height = image.width(), image.height()

    def dark(x: int, y: int) -> bool:
        return image.pixelColor(x, y).lightness() < 128

    dark_columns = [x for x in range(width) if any(dark(x, y) for y in range(0, height, 2))]
    dark_rows = [y for y in range(height) if any(dark(x, y) for x in range(0, width, 2))]
    if not dark_columns or not dark_rows:
        raise StepFailed("the QR code widget painted nothing dark.")
    inner = modules - 2 * quiet_zone
    span = dark_columns[-1] - dark_columns[0] + 1
    if span % inner or dark_rows[-1] - dark_rows[0] + 1 != span:
        raise StepFailed(
            f"the painted QR code is {span} pixels wide, not a whole number of pixels for "
            f"each of its {inner} modules."
        )
    size = span // inner
    left = dark_columns[0] - quiet_zone * size
    top = dark_rows[0] - quiet_zone * size
    if left < 0 or top < 0 or left + modules * size > width or top + modules * size > height:
        raise StepFailed("the QR code's white quiet zone does not fit in the widget.")
    return [
        [dark(left + column * size + size // 2, top + row * size + size // 2)
         for column in range(modules)]
        for row in range(modules)
    ]


class SelfTest:
    """The steps, in order, against the real main window on a temporary demo exchange."""

    def __init__(self, argv: list[str], data_dir: Path, out: TextIO) -> None:
        self.argv = argv
        self.data_dir = data_dir
        self.out = out
        self.errors = ErrorRecorder()
        self.results: list[StepResult] = []
        self._app: QApplication | None = None
        self._context: AppContext | None = None
        self._window: MainWindow | None = None

    # What the steps made; a step runs only once the steps it needs have passed.

    @property
    def app(self) -> QApplication:
        """The application the qt step started."""
        if self._app is None:
            raise StepFailed("Qt was not started.")
        return self._app

    @property
    def context(self) -> AppContext:
        """The app's objects, made by the window step."""
        if self._context is None:
            raise StepFailed("the app's objects were not made.")
        return self._context

    @property
    def window(self) -> MainWindow:
        """The main window the window step showed."""
        if self._window is None:
            raise StepFailed("the main window was not made.")
        return self._window

    # -- running ----------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], str], tuple[str, ...]]]:
        """(name, step, names of the steps it needs) in the order they run."""
        return [
            ("qt", self.start_qt, ()),
            ("icon", self.draw_icon, ("qt",)),
            ("keychain", self.find_keychain, ()),
            ("window", self.show_window, ("qt",)),
            ("exchange", self.start_exchange, ("window",)),
            ("info", self.ask_info, ("exchange",)),
            ("trade", self.buy_a_little, ("exchange",)),
            ("deposit", self.show_deposit_address, ("exchange",)),
            ("languages", self.speak_languages, ("qt",)),
            ("quit", self.quit, ("window",)),
            ("log", self.check_log, ()),
        ]

    def run(self) -> bool:
        """Run every step, print its line as it ends; True if all passed."""
        root = logging.getLogger()
        root.addHandler(self.errors)
        hooks = sys.excepthook, threading.excepthook
        sys.excepthook = lambda kind, exc, tb: self.errors.record_exception(kind, exc)
        threading.excepthook = lambda args: self.errors.record_exception(
            args.exc_type, args.exc_value or args.exc_type()
        )
        try:
            steps = self.steps()
            passed = {name: False for name, _step, _needs in steps}
            for name, step, needs in steps:
                result = self._run_step(name, step, [n for n in needs if not passed[n]])
                passed[name] = result.passed
                self.results.append(result)
                print(result.line(), file=self.out, flush=True)
            return all(passed.values())
        finally:
            self._stop_exchange()
            sys.excepthook, threading.excepthook = hooks
            root.removeHandler(self.errors)

    def _stop_exchange(self) -> None:
        """Whatever failed, leave no demo exchange running behind the test."""
        if self._context is not None and self._context.connection.demo.server is not None:
            self._context.close()

    def _run_step(self, name: str, step: Callable[[], str], failed: list[str]) -> StepResult:
        if failed:
            return StepResult(name, False, f"not tried, because the {failed[0]} step failed.")
        try:
            return StepResult(name, True, step())
        except Exception as error:
            log.warning("self-test step %s failed", name, exc_info=True)
            return StepResult(name, False, sentence_for(error))

    def _wait(self, condition: Callable[[], object], failure: str) -> None:
        """Let Qt run until ``condition()`` holds; StepFailed(failure) after STEP_SECONDS."""
        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + STEP_SECONDS
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(10)
        poll.timeout.connect(
            lambda: loop.quit() if condition() or time.monotonic() >= deadline else None
        )
        if not condition():
            poll.start()
            loop.exec()
            poll.stop()
        if not condition():
            raise StepFailed(failure)

    def _ask(self, call: ClientCall[T]) -> T:
        """Run ``call(client)`` through the app's dispatcher (off the UI thread) and wait."""
        results: list[T] = []
        errors: list[BaseException] = []
        self.context.dispatcher.submit(call, on_result=results.append, on_error=errors.append)
        self._wait(
            lambda: results or errors,
            f"the exchange did not answer within {STEP_SECONDS:g} seconds.",
        )
        if errors:
            raise errors[0]
        return results[0]

    # -- the steps --------------------------------------------------------------------------

    def start_qt(self) -> str:
        """Qt's libraries load and an application starts on the offscreen platform."""
        from PySide6.QtCore import qVersion
        from PySide6.QtWidgets import QApplication

        name_the_application()
        app = QApplication.instance() or QApplication(self.argv[:1])
        if not isinstance(app, QApplication):
            raise StepFailed("a Qt application without widgets was already running.")
        self._app = app
        return f"Qt {qVersion()} on the {QApplication.platformName()} platform"

    def draw_icon(self) -> str:
        """The app icon is in the build and Qt can draw it (the SVG plugins are there)."""
        from PySide6.QtGui import QIcon

        path = resource_path("cryptex-desktop.svg")
        if not path.is_file():
            raise StepFailed(f"the app icon {path} is missing.")
        icon = QIcon(str(path))
        image = icon.pixmap(64, 64).toImage()
        if image.isNull() or image.pixelColor(32, 32).alpha() == 0:
            raise StepFailed(
                "the app icon did not draw: Qt's SVG icon plugins are missing from this build."
            )
        self.app.setWindowIcon(icon)
        return f"{path.name} drawn at {image.width()}×{image.height()}"

    def speak_languages(self) -> str:
        """Each language's catalogue and Qt's own words for it are in the build and load."""
        from PySide6.QtCore import QCoreApplication

        from cryptex_desktop import i18n
        from cryptex_desktop.ui.language import apply_language

        spoken = []
        try:
            for code in i18n.LANGUAGES:
                if code == i18n.SOURCE_LANGUAGE:
                    continue
                if apply_language(code) != code or i18n._("Balances") == "Balances":
                    raise StepFailed(f"the {code} catalogue is missing from this build.")
                if QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel":
                    raise StepFailed(f"Qt's own {code} translations are missing from this build.")
                spoken.append(code)
        finally:
            apply_language(i18n.SOURCE_LANGUAGE)
        return "English and " + ", ".join(spoken)

    def find_keychain(self) -> str:
        """The OS keychain backend is in the build (whether a keychain runs here or not)."""
        from cryptex_desktop.ui.credential_store import CredentialStore

        wanted = next(
            (pair for prefix, pair in KEYCHAIN_BACKENDS.items() if sys.platform.startswith(prefix)),
            None,
        )
        if wanted is None:
            return f"no keychain backend is expected on {sys.platform}"
        backend, needs = wanted
        found = {ep.name: ep for ep in importlib.metadata.entry_points(group="keyring.backends")}
        if backend not in found:
            raise StepFailed(
                f"keyring's list of keychain backends has no {backend}: the package metadata "
                "is missing from this build, so secrets could never be kept in the keychain."
            )
        found[backend].load()
        importlib.import_module(needs)
        if CredentialStore(SELF_TEST_SERVICE).available():
            return f"{backend} backend present, and a keychain answers here"
        return (f"{backend} backend present; no keychain answers here, so secrets would be "
                "kept for the session only")

    def show_window(self) -> str:
        """The main window, with all its screens, is built, shown and painted."""
        from PySide6.QtCore import QEvent, QObject, QSettings

        from cryptex_desktop.ui.context import AppContext
        from cryptex_desktop.ui.credential_store import CredentialStore
        from cryptex_desktop.ui.main_window import MainWindow
        from cryptex_desktop.ui.settings import AppSettings

        class PaintWatcher(QObject):
            """Notes the window's first paint event."""

            painted = False

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt names it so
                if event.type() == QEvent.Type.Paint:
                    self.painted = True
                return False

        qsettings = QSettings(str(self.data_dir / "settings.ini"), QSettings.Format.IniFormat)
        self._context = AppContext.create(
            self.data_dir, AppSettings(qsettings), CredentialStore(SELF_TEST_SERVICE)
        )
        self._window = MainWindow(self.context)
        watcher = PaintWatcher(self.window)
        self.window.installEventFilter(watcher)
        self.window.show()
        self._wait(lambda: watcher.painted, "the main window was shown but never painted.")
        self.window.removeEventFilter(watcher)
        size = self.window.size()
        return (f"main window painted at {size.width()}×{size.height()} with "
                f"{self.window.tabs.count()} tabs")

    def start_exchange(self) -> str:
        """The embedded demo exchange starts and the app connects to it."""
        outcome: dict[str, Any] = {}
        connection = self.context.connection
        connection.connected.connect(lambda endpoint: outcome.setdefault("endpoint", endpoint))
        connection.failed.connect(lambda message: outcome.setdefault("failed", message))
        connection.connect_demo()  # never the live account, whatever the settings say
        self._wait(
            lambda: outcome,
            f"the demo exchange did not start within {STEP_SECONDS:g} seconds.",
        )
        if "failed" in outcome:
            raise StepFailed(outcome["failed"])
        return f"demo exchange at {outcome['endpoint'].url}"

    def ask_info(self) -> str:
        """Info answers with a balance for every currency."""
        from cryptex_desktop.api.currencies import CURRENCIES

        sheet = self._ask(lambda client: client.info())
        missing = sorted(set(CURRENCIES) - set(sheet.balances))
        if missing:
            raise StepFailed(f"Info answered without a balance for {', '.join(missing)}.")
        return f"{len(sheet.balances)} currencies"

    def buy_a_little(self) -> str:
        """A small buy at the market maker's best ask fills at once and brings the coins."""
        from cryptex_desktop.api.currencies import PAIRS
        from cryptex_desktop.api.money import to_wire
        from cryptex_desktop.api.types import OrderStatus
        from cryptex_desktop.sandbox.market_maker import levels
        from cryptex_desktop.ui.formatting import format_money

        pair = PAIRS[TRADE_PAIR]
        price = levels(pair)["sell"][0]
        before = self._ask(lambda client: client.info()).balances[pair.base]
        placed = self._ask(lambda client: client.trade(TRADE_PAIR, "buy", price, TRADE_AMOUNT))
        order = self._ask(lambda client: client.order_info(placed.order_id))
        if order.status != OrderStatus.FILLED:
            raise StepFailed(
                f"the buy of {to_wire(TRADE_AMOUNT)} {pair.base} at {to_wire(price)} "
                f"{pair.quote} did not fill at once (its status: {order.status_text})."
            )
        after = self._ask(lambda client: client.info()).balances[pair.base]
        if after <= before:
            raise StepFailed(
                f"the order filled, but the {pair.base} balance did not grow "
                f"({to_wire(before)} before, {to_wire(after)} after)."
            )
        return (f"bought {to_wire(TRADE_AMOUNT)} {pair.base} at {format_money(price, pair.quote)}, "
                f"filled at once (order #{order.order_id})")

    def show_deposit_address(self) -> str:
        """A new deposit address, drawn as a QR code whose painted modules hold the address."""
        from cryptex_desktop.api.addresses import is_valid_address
        from cryptex_desktop.ui.widgets.qr_code import QUIET_ZONE, QrCodeWidget

        issued = self._ask(lambda client: client.get_new_address(DEPOSIT_CURRENCY))
        address = issued.address
        if not is_valid_address(DEPOSIT_CURRENCY, address):
            raise StepFailed(f"the exchange gave {address!r}, not a {DEPOSIT_CURRENCY} address.")
        widget = QrCodeWidget(text=address)
        try:
            widget.resize(360, 360)
            if widget.image().isNull():
                raise StepFailed(f"the QR code of {address} is an empty image.")
            painted = widget.grab().toImage()
            if painted.isNull():
                raise StepFailed("the QR code widget could not be drawn.")
            expected = module_matrix(address)
            if read_modules(painted, len(expected), QUIET_ZONE) != expected:
                raise StepFailed(f"the QR code drawn does not hold the address {address}.")
        finally:
            widget.deleteLater()
        inner = len(expected) - 2 * QUIET_ZONE
        return f"{DEPOSIT_CURRENCY} address {address}, its QR code ({inner}×{inner}) holds it"

    def quit(self) -> str:
        """The window closes, the demo exchange stops and Qt's event queue drains."""
        self.window.close()
        self.context.close()
        self.window.deleteLater()
        self.app.processEvents()
        if self.context.connection.demo.server is not None:
            raise StepFailed("the demo exchange was still running after the app closed.")
        return "window closed, demo exchange stopped"

    def check_log(self) -> str:
        """Nothing logged an error and no exception escaped, all along."""
        if self.errors.messages:
            count = len(self.errors.messages)
            noun = "error" if count == 1 else "errors"
            raise StepFailed(f"the app logged {count} {noun}; the first: "
                             f"{self.errors.messages[0]}")
        return "no errors logged"


def _close_file_logging(log_path: Path) -> None:
    """Detach and close the log file's handler, so the temporary dir can go (Windows)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == log_path:
            root.removeHandler(handler)
            handler.close()


def run_self_test(argv: list[str], out: TextIO | None = None) -> int:
    """Run the self-test; 0 if every step passed, 1 otherwise.

    ``argv`` is the command line, program name first, as QApplication takes it. Step lines
    go to ``out`` (stdout by default); when a step fails, the app's log follows on stderr.
    """
    out = out or sys.stdout
    if isinstance(out, io.TextIOWrapper):
        out.reconfigure(errors="replace")  # a Windows code page must not end the test early
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed, and no window flashes up
    with tempfile.TemporaryDirectory(prefix="cryptex-self-test-",
                                     ignore_cleanup_errors=True) as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir(mode=0o700)
        log_path = setup_logging(data_dir)
        log.info("Cryptex Desktop %s self-test in %s", __version__, data_dir)
        try:
            passed = SelfTest(argv, data_dir, out).run()
        finally:
            _close_file_logging(log_path)
        if not passed and log_path.is_file():
            print("The app's log of the self-test follows.", file=sys.stderr)
            print(log_path.read_text(encoding="utf-8", errors="replace"), file=sys.stderr)
    return 0 if passed else 1
