"""The main window: one tab per screen, the menus, the status bar, and window state.

It wires the shared objects together and gives each screen only what it uses; it does
not do any screen's work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QTimer, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QHideEvent,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QSystemTrayIcon,
    QTabWidget,
    QWidget,
)

from cryptex_desktop import __version__
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.account_watch import AccountWatch
from cryptex_desktop.ui.connection import Endpoint
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.dispatcher import Priority
from cryptex_desktop.ui.label_transfer import LabelTransfer
from cryptex_desktop.ui.notifier import Notifier
from cryptex_desktop.ui.screens import screen_makers
from cryptex_desktop.ui.screens.base import AccountProblem, ProblemKind, Screen
from cryptex_desktop.ui.startup import APP_NAME
from cryptex_desktop.ui.theme import ThemeChoice, ThemeKeeper
from cryptex_desktop.ui.widgets.status_bar import AppStatusBar

log = logging.getLogger(__name__)

#: When the screens not shown first are built if the window has not painted by then.
UNPAINTED_BUILD_MS = 1000


class MainWindow(QMainWindow):
    """Tabs for Balances, Trade, Open orders, History, Deposit, Withdraw, Coupons and Activity."""

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 theme_keeper: ThemeKeeper | None = None, *,
                 other_screens_after_first_paint: bool = False) -> None:
        """``other_screens_after_first_paint``: build only the screen shown first before the
        window first paints, and the others (each tab there, with its title) just after."""
        super().__init__(parent)
        self.context = context
        self._theme_keeper = theme_keeper
        # Screens not built yet: their tab holds a stand-in until just after the first paint.
        self._unbuilt: dict[str, tuple[int, Callable[[], Screen]]] = {}
        self._when_built: list[Callable[[], None]] = []
        self._account_problem: AccountProblem | None = None
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(880, 560)
        self.resize(1100, 700)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.screens: dict[str, Screen] = {}
        self._build_screens(other_screens_after_first_paint)

        self.status = AppStatusBar()
        self.setStatusBar(self.status)
        self._build_menus()
        self._wire()
        if theme_keeper is not None:
            theme_keeper.changed.connect(self.status.restyle)
        self._restore_state()

    # -- building -------------------------------------------------------------------------

    def _build_screens(self, others_later: bool) -> None:
        makers = screen_makers(self.context, self)
        first = self.context.settings.last_tab
        if first not in {screen_class.NAME for screen_class, _make in makers}:
            first = makers[0][0].NAME
        for screen_class, make in makers:
            if others_later and first != screen_class.NAME:
                index = self.tabs.addTab(QWidget(), screen_class.title())
                self._unbuilt[screen_class.NAME] = (index, make)
            else:
                index = self.tabs.addTab(self._take_screen(make()), screen_class.title())
            self.tabs.setTabToolTip(index, screen_class.tooltip())
        self.context.refresher.register("balances", self.context.wallet.refresh)
        if self._unbuilt:  # a window never painted (minimised at start) gets them all the same
            QTimer.singleShot(UNPAINTED_BUILD_MS, self, self.build_other_screens)

    def _take_screen(self, screen: Screen) -> Screen:
        """Make ``screen`` one of the window's: its problem button and its refreshes."""
        self.screens[screen.NAME] = screen
        screen.accountProblemAction.connect(self._on_problem_action)
        self.context.refresher.register(
            screen.NAME, screen.refresh, partial(self._is_showing, screen)
        )
        if self._account_problem is not None:
            screen.set_account_problem(self._account_problem)
        return screen

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._unbuilt:  # the first paint is on screen: the other tabs come next
            QTimer.singleShot(0, self, self.build_other_screens)

    @Slot()
    def build_other_screens(self) -> None:
        """Put each screen not built yet in its tab (before that, a tab holds a stand-in)."""
        if not self._unbuilt:
            return
        unbuilt, self._unbuilt = self._unbuilt, {}
        current, shown = self.tabs.currentIndex(), self.tabs.currentWidget()
        self.tabs.blockSignals(True)  # the current tab stays; nobody chose another one
        try:
            for index, make in unbuilt.values():
                stand_in = self.tabs.widget(index)
                title, tooltip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
                screen = self._take_screen(make())
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, screen, title)
                self.tabs.setTabToolTip(index, tooltip)
                if stand_in is not None:
                    stand_in.deleteLater()
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        in_tab_order = sorted(self.screens.values(), key=self.tabs.indexOf)
        self.screens = {screen.NAME: screen for screen in in_tab_order}
        if self.tabs.currentWidget() is not shown:  # a stand-in's tab was chosen meanwhile
            self._on_tab_changed(current)
        when_built, self._when_built = self._when_built, []
        for action in when_built:
            action()

    def when_screens_built(self, action: Callable[[], None]) -> None:
        """Run ``action`` once every screen is built (at once if they are)."""
        if self._unbuilt:
            self._when_built.append(action)
        else:
            action()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.settings_action = QAction(_("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts([QKeySequence("Ctrl+,")])
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.labels = LabelTransfer(self.context.journal, self)
        self.labels.told.connect(self.status.tell)
        self.export_labels_action = QAction(_("&Export labels…"), self)
        self.export_labels_action.setToolTip(_(
            "Save the names you gave addresses and transactions in a BIP-329 file"))
        self.export_labels_action.triggered.connect(lambda: self.labels.choose_export(self))
        file_menu.addAction(self.export_labels_action)
        self.import_labels_action = QAction(_("&Import labels…"), self)
        self.import_labels_action.setToolTip(_(
            "Add the names from a BIP-329 label file, such as one another wallet exported"))
        self.import_labels_action.triggered.connect(lambda: self.labels.choose_import(self))
        file_menu.addAction(self.import_labels_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setShortcuts([QKeySequence("Ctrl+Q")])  # Windows has no standard Quit key
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(_("&View"))
        self.refresh_action = QAction(_("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        self.refresh_action.setToolTip(_("Ask the exchange for the latest data now"))
        self.refresh_action.triggered.connect(self.refresh_now)
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        for index in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(index), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(_("&Theme"))
        theme_menu.setToolTip(_("Light or dark colours, or as your desktop has them"))
        self.theme_actions: dict[ThemeChoice, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        saved = ThemeChoice(self.context.settings.theme)
        for choice in ThemeChoice:
            action = QAction(choice.label(), self, checkable=True)
            action.setChecked(choice == saved)
            action.setToolTip(_("Follow your desktop's light or dark setting")
                              if choice == ThemeChoice.SYSTEM else "")
            action.triggered.connect(lambda _checked=False, c=choice: self.choose_theme(c))
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[choice] = action

        help_menu = self.menuBar().addMenu(_("&Help"))
        logs = QAction(_("Open &log folder"), self)
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.context.data_dir / "logs"))
            )
        )
        help_menu.addAction(logs)
        about = QAction(_("&About Cryptex Desktop"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _wire(self) -> None:
        context = self.context
        context.dispatcher.busyChanged.connect(self.status.set_in_flight)
        context.dispatcher.succeeded.connect(self.status.mark_updated)
        context.dispatcher.refreshFailed.connect(self.status.show_problem)
        context.dispatcher.clientChanged.connect(self._on_client_changed)
        context.connection.connecting.connect(self.status.set_connecting)
        context.connection.connected.connect(self._on_connected)
        context.connection.failed.connect(self._on_connect_failed)
        # Told as lasting news: the error label clears at the next successful refresh.
        context.journal.problem.connect(lambda text: self.status.tell(text, 120_000))
        context.journal.news.connect(self.status.tell)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.account_watch = AccountWatch(context.connection, context.dispatcher, self)
        self.account_watch.problemChanged.connect(self._show_account_problem)

        self.notifier = Notifier(context.dispatcher, self)
        self.notifier.notified.connect(self._tell)
        context.refresher.register("notifier", self.notifier.refresh)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(QApplication.windowIcon(), self)
            self.tray.setToolTip(APP_NAME)
            self.tray.activated.connect(self._bring_to_front)
            self.tray.show()

    # -- behaviour --------------------------------------------------------------------------

    def _bring_to_front(self, _reason: QSystemTrayIcon.ActivationReason | None = None) -> None:
        self.showNormal()
        self.raise_()

    def _is_showing(self, screen: QWidget) -> bool:
        return self.isVisible() and not self.isMinimized() and self.tabs.currentWidget() is screen

    @Slot(object)
    def _on_connected(self, endpoint: Endpoint) -> None:
        label = endpoint.label
        if endpoint.is_demo:
            # Translators: the window title; {mode} is "DEMO".
            title = _("{app} — {mode} (practice money)").format(app=APP_NAME, mode=label)
        else:
            # Translators: the window title; {mode} is "LIVE: username", {url} the exchange's.
            title = _("{app} — {mode} ({url})").format(app=APP_NAME, mode=label,
                                                       url=endpoint.url)
        self.setWindowTitle(title)
        self.status.set_mode(label, endpoint.is_demo)
        self.context.refresher.set_interval(self.context.settings.refresh_seconds)
        self.context.refresher.start()
        self.refresh_now()

    @Slot(str, str)
    def _tell(self, title: str, message: str) -> None:
        """News (an order filled, a deposit arrived) as a desktop notification."""
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        else:  # beside the DEMO/LIVE badge, never over it
            # Translators: a notification in the status bar: "Order filled: ...".
            self.status.tell(_("{title}: {message}").format(title=title, message=message))

    @Slot(str)
    def _on_connect_failed(self, message: str) -> None:
        self.status.set_connecting(_("Not connected"))
        self.status.show_problem(message)
        self.setWindowTitle(_("{app} — not connected").format(app=APP_NAME))

    @Slot()
    def _on_client_changed(self) -> None:
        """Another account: every screen forgets the old one's rows and messages."""
        for screen in self.screens.values():
            screen.account_changed()

    @Slot(object)
    def _show_account_problem(self, problem: AccountProblem | None) -> None:
        """One clear state on every screen (or the content again)."""
        self._account_problem = problem
        for screen in self.screens.values():
            screen.set_account_problem(problem)

    @Slot(object)
    def _on_problem_action(self, kind: ProblemKind) -> None:
        """The problem state's one button: enter the key, or try again now."""
        if kind is ProblemKind.UNREACHABLE:
            self.try_again()
        else:
            self.open_settings(live=True)

    @Slot()
    def try_again(self) -> None:
        """Connect again if connecting failed; otherwise ask the exchange again now."""
        if self.context.dispatcher.client is None or self.context.connection.failure is not None:
            self.context.connection.reconnect()
        else:
            self.refresh_now()

    @Slot()
    def refresh_now(self) -> None:
        """F5: the balances and the screen on show, now, ahead of background work."""
        self.context.wallet.refresh(priority=Priority.ACTION)
        current = self.tabs.currentWidget()
        if isinstance(current, Screen):
            current.refresh()

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        screen = self.tabs.widget(index)
        if not isinstance(screen, Screen):
            return
        self.context.settings.last_tab = screen.NAME
        if self.context.dispatcher.client is not None:
            screen.refresh()  # a hidden view was paused; catch up as it appears

    def show_screen(self, name: str) -> Screen:
        """Bring one screen to the front (used by notifications and tests)."""
        self.build_other_screens()
        screen = self.screens[name]
        self.tabs.setCurrentWidget(screen)
        return screen

    @Slot()
    def open_settings(self, live: bool = False) -> None:
        """Open Settings: demo or live, the live account, refresh interval.

        With ``live``, it opens on the live account, ready for its key.
        """
        from cryptex_desktop.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self, live=live)
        dialog.open()

    def theme_keeper(self) -> ThemeKeeper:
        """The app's ThemeKeeper (made at start-up; made here if the app was started without)."""
        if self._theme_keeper is None:
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            self._theme_keeper = app.findChild(ThemeKeeper) or ThemeKeeper(
                app, ThemeChoice(self.context.settings.theme)
            )
            self._theme_keeper.changed.connect(self.status.restyle)
        return self._theme_keeper

    def choose_theme(self, choice: ThemeChoice) -> None:
        """View > Theme: use ``choice`` at once and remember it."""
        self.theme_actions[choice].setChecked(True)
        self.context.settings.theme = choice.value
        self.context.settings.sync()
        self.theme_keeper().apply(choice)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            _("About Cryptex Desktop"),
            _("<b>Cryptex Desktop</b> {version}<br>Your Cryptex wallet and trading app.<br><br>"
              "In demo mode everything happens on a practice exchange inside the app, with "
              "pretend money.").format(version=__version__),
        )

    # -- window state -----------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.context.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        last = self.context.settings.last_tab
        if last in self.screens:
            self.tabs.setCurrentWidget(self.screens[last])

    def tell_market_feed(self) -> None:
        """Market data is asked for only while the window is on screen, not hidden or minimized."""
        self.context.market.set_window_active(self.isVisible() and not self.isMinimized())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tell_market_feed()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.tell_market_feed()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self.tell_market_feed()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.context.settings.set_geometry(self.saveGeometry())
        self.context.settings.sync()
        super().closeEvent(event)
