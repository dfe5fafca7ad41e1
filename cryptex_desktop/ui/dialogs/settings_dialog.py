"""Settings: practice on the demo exchange, or use a live Cryptex account; refresh interval.

The API key and secret go to the system keychain, never to the settings file. When no
keychain works, the dialog says so and they are kept for this session only.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.client import LIVE_URL, check_url
from cryptex_desktop.api.errors import ConfigurationError
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.credential_store import LIVE_PROFILE
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.settings import DEMO, LIVE
from cryptex_desktop.ui.widgets.field_message import FieldMessage


class SettingsDialog(QDialog):
    """Choose demo or live; enter the live account; set how often views refresh."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        settings = context.settings
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(520)

        self.demo_choice = QRadioButton(_("Demo mode: practise with pretend money"))
        self.demo_choice.setToolTip(_(
            "A practice exchange runs inside this app. Nothing you do there touches real funds."
        ))
        self.live_choice = QRadioButton(_("My Cryptex account: real money"))
        choice = QButtonGroup(self)
        choice.addButton(self.demo_choice)
        choice.addButton(self.live_choice)

        self.username = QLineEdit(settings.live_username)
        self.username.setPlaceholderText(_("Your Cryptex username"))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(_("From cryptex.net > Settings > API keys"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(_("Shown once when you create the key"))
        self.url = QLineEdit(settings.live_url)
        self.url.setPlaceholderText(LIVE_URL)
        self.message = FieldMessage()

        saved = context.credentials.load(LIVE_PROFILE) if settings.live_username else None
        if saved is not None:
            self.key.setPlaceholderText(_("Saved in your keychain; type to replace"))
            self.secret.setPlaceholderText(_("Saved in your keychain; type to replace"))
        self._saved = saved

        account = QGroupBox(_("Your Cryptex account"))
        account_layout = QVBoxLayout(account)
        form = QFormLayout()
        account_layout.addLayout(form)
        form.addRow(_("Username:"), self.username)
        form.addRow(_("API key:"), self.key)
        form.addRow(_("API secret:"), self.secret)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText(_("Advanced"))
        self.advanced_toggle.setCheckable(True)
        self.url_label = QLabel(_("Exchange address:"))
        form.addRow(self.advanced_toggle)
        form.addRow(self.url_label, self.url)
        self.advanced_toggle.toggled.connect(self._show_advanced)
        self._show_advanced(settings.live_url != LIVE_URL)
        self.advanced_toggle.setChecked(settings.live_url != LIVE_URL)
        keychain_note = QLabel(
            _("Your API key and secret are kept in this computer's keychain, not in a file.")
            if context.credentials.available() else
            _("No keychain is available on this computer, so your API key and secret will be "
              "kept for this session only and asked for again next time.")
        )
        keychain_note.setWordWrap(True)
        account_layout.addWidget(keychain_note)  # under the form: a wrapped form row clips
        self.account_box = account

        self.refresh_seconds = QSpinBox()
        self.refresh_seconds.setRange(2, 600)
        self.refresh_seconds.setSuffix(_(" seconds"))
        self.refresh_seconds.setValue(settings.refresh_seconds)
        self.refresh_seconds.setToolTip(_("How often the screen on show asks for new data"))
        behaviour = QFormLayout()
        behaviour.addRow(_("Update every:"), self.refresh_seconds)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.forget_button = buttons.addButton(
            _("Forget my account"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.forget_button.setToolTip(_("Remove the username, key and secret from this computer"))
        self.forget_button.clicked.connect(self._forget)
        self.forget_button.setEnabled(bool(settings.live_username))

        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_choice)
        layout.addWidget(self.live_choice)
        layout.addWidget(account)
        layout.addWidget(self.message)
        layout.addLayout(behaviour)
        layout.addWidget(buttons)

        self.live_choice.toggled.connect(account.setEnabled)
        (self.live_choice if settings.mode == LIVE else self.demo_choice).setChecked(True)
        account.setEnabled(settings.mode == LIVE)

    @Slot(bool)
    def _show_advanced(self, shown: bool) -> None:
        self.url.setVisible(shown)
        self.url_label.setVisible(shown)

    def _problem(self) -> str | None:
        if not self.live_choice.isChecked():
            return None
        if not self.username.text().strip():
            return _("Enter your Cryptex username.")
        if self._saved is None or self.key.text() or self.secret.text():
            if not self.key.text().strip():
                return _("Enter your API key. You can create one on cryptex.net under API keys.")
            if not self.secret.text().strip():
                return _("Enter your API secret. It is shown once, when you create the key.")
        try:
            check_url(self.url.text().strip() or LIVE_URL)
        except ConfigurationError as error:
            return str(error)
        return None

    @Slot()
    def _save(self) -> None:
        problem = self._problem()
        if problem:
            self.message.show_problem(problem)
            return
        context = self._context
        settings = context.settings
        settings.refresh_seconds = self.refresh_seconds.value()
        context.refresher.set_interval(settings.refresh_seconds)
        if self.demo_choice.isChecked():
            changed = settings.mode != DEMO
            settings.mode = DEMO
            settings.sync()
            if changed:
                context.connection.connect_demo()
            self.accept()
            return

        username = self.username.text().strip()
        if self.key.text() or self.secret.text() or self._saved is None:
            creds = Credentials(username, self.key.text().strip(), self.secret.text().strip())
        else:
            creds = Credentials(username, self._saved.key, self._saved.secret)
        result = context.credentials.save(LIVE_PROFILE, creds)
        settings.live_username = username
        settings.live_url = self.url.text().strip() or LIVE_URL
        settings.mode = LIVE
        settings.sync()
        context.connection.connect_live(settings.live_url, creds)
        if not result.persistent and result.message:
            QMessageBox.information(self, _("Kept for this session only"), result.message)
        self.accept()

    @Slot()
    def _forget(self) -> None:
        context = self._context
        context.credentials.delete(LIVE_PROFILE)
        context.settings.live_username = ""
        self.username.clear()
        self.key.clear()
        self.secret.clear()
        self._saved = None
        self.forget_button.setEnabled(False)
        if context.settings.mode == LIVE:
            context.settings.mode = DEMO
            context.connection.connect_demo()
            self.demo_choice.setChecked(True)
        context.settings.sync()
        self.message.show_hint(_("Your live account was removed from this computer."))
