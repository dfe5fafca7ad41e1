"""Settings: practise on the demo exchange or use a live Cryptex account; updates; language.

A new live key is checked with the exchange (one call, off the UI thread) before the app
switches to it, and the dialog says what the exchange answered. When the exchange cannot be
reached, the person may save anyway, knowingly. The API key and secret go to the system
keychain, never to the settings file; when no keychain works, they are kept for this
session only and the app says so once.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.client import LIVE_URL, check_url
from cryptex_desktop.api.errors import AuthenticationError, ConfigurationError, TransportError
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.i18n import _, _n
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.credential_store import LIVE_PROFILE
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.language import LANGUAGE_CHOICES, choice_words
from cryptex_desktop.ui.settings import DEMO, LIVE
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import buddy_label, muted_label
from cryptex_desktop.ui.widgets.layout import buttons_as_laid_out, form_layout, tab_in_order


def refused_sentence(error: AuthenticationError) -> str:
    """What the dialog says when the exchange refused the key, with the exchange's answer."""
    if error.detail:
        return _(
            "The exchange refused this key: it answered “{answer}”. Check that you copied "
            "the whole key and secret from cryptex.net > Settings > API keys, then Save again."
        ).format(answer=error.detail)
    return _("The exchange refused this key: {reason}").format(reason=describe(error))


def unreachable_sentence(url: str, error: BaseException) -> str:
    """What the dialog says when the key could not be checked."""
    if isinstance(error, TransportError):
        return _(
            "Could not reach the exchange at {url}, so this key could not be checked. Check "
            "your internet connection and try again, or press “Save anyway” to use it now "
            "without a check."
        ).format(url=url)
    return _(
        "This key could not be checked: {reason} Press “Save anyway” to use it without a check."
    ).format(reason=describe(error))


class SettingsDialog(QDialog):
    """Choose demo or live; enter and check the live account; set how often views refresh.

    With ``live``, it opens on the live account, ready for its key (the "Enter your key…"
    button of a screen's problem state).
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 live: bool = False) -> None:
        super().__init__(parent)
        self._context = context
        self._attempt = 0  # which key check is awaited; an edit or a new Save makes it stale
        settings = context.settings
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(560)

        self.demo_choice = QRadioButton(_("&Demo mode: practise with pretend money"))
        self.demo_choice.setToolTip(_(
            "A practice exchange runs inside this app. Nothing you do there touches real funds."
        ))
        self.live_choice = QRadioButton(_("&My Cryptex account: real money"))
        choice = QButtonGroup(self)
        choice.addButton(self.demo_choice)
        choice.addButton(self.live_choice)

        self.username = QLineEdit(settings.live_username)
        self.username.setPlaceholderText(_("Your Cryptex username"))
        self.username.setAccessibleName(_("Username"))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(_("API key"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(_("API secret"))
        self.url = QLineEdit(settings.live_url)
        self.url.setPlaceholderText(LIVE_URL)
        self.url.setAccessibleName(_("Exchange address"))
        self.message = FieldMessage()
        self.message.setAccessibleName(_("Settings message"))

        store = context.credentials
        self._saved = store.load(LIVE_PROFILE) if settings.live_username else None
        self._show_where_kept()

        account = QGroupBox(_("Your Cryptex account"))
        account_layout = QVBoxLayout(account)
        form = form_layout()
        account_layout.addLayout(form)
        form.addRow(buddy_label(_("&Username:"), self.username), self.username)
        form.addRow(buddy_label(_("API &key:"), self.key), self.key)
        form.addRow(buddy_label(_("API s&ecret:"), self.secret), self.secret)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText(_("&Advanced"))
        self.advanced_toggle.setAccessibleName(_("Advanced"))
        self.advanced_toggle.setCheckable(True)
        self.url_label = buddy_label(_("Exchange add&ress:"), self.url)
        form.addRow(self.advanced_toggle)
        form.addRow(self.url_label, self.url)
        self.advanced_toggle.toggled.connect(self._show_advanced)
        self._show_advanced(settings.live_url != LIVE_URL)
        self.advanced_toggle.setChecked(settings.live_url != LIVE_URL)
        self.keychain_note = muted_label(
            _("Your API key and secret are kept in this computer's keychain, not in a file.")
            if store.available() else
            _("No keychain is available on this computer, so your API key and secret will be "
              "kept for this session only and asked for again next time.")
        )
        account_layout.addWidget(self.keychain_note)  # under the form: a wrapped row clips
        self.account_box = account

        self.refresh_seconds = QSpinBox()
        self.refresh_seconds.setRange(2, 600)
        self.refresh_seconds.valueChanged.connect(self._name_seconds)
        self.refresh_seconds.setValue(settings.refresh_seconds)
        self._name_seconds(self.refresh_seconds.value())
        self.refresh_seconds.setToolTip(_("How often the screen on show asks for new data"))
        self.refresh_seconds.setAccessibleName(_("Update every"))
        behaviour = form_layout()
        behaviour.addRow(buddy_label(_("Update e&very:"), self.refresh_seconds),
                         self.refresh_seconds)
        self.language = QComboBox()
        for language in LANGUAGE_CHOICES:
            self.language.addItem(choice_words(language), language)
        self.language.setCurrentIndex(LANGUAGE_CHOICES.index(settings.language))
        self.language.setToolTip(_("The language of the app's words, numbers and dates"))
        self.language.setAccessibleName(_("Language"))
        behaviour.addRow(buddy_label(_("&Language:"), self.language), self.language)
        self.language_note = muted_label(
            _("The app will use the new language the next time it starts.")
        )
        self.language_note.hide()
        self.language.currentIndexChanged.connect(
            lambda: self.language_note.setVisible(self.language.currentData() != settings.language)
        )

        buttons = QDialogButtonBox()
        self.save_button = BusyButton(_("&Save"), busy_text=_("Checking your key…"))
        self.save_button.setDefault(True)
        # Wide enough for "Checking your key…" and its spinner, so the words are not cut.
        self.save_button.setMinimumWidth(
            self.save_button.fontMetrics().horizontalAdvance(_("Checking your key…")) + 48
        )
        self.save_button.setAccessibleName(_("Save"))
        self.save_anyway_button = QPushButton(_("Save a&nyway"))  # Alt+A is Advanced
        self.save_anyway_button.setToolTip(_(
            "Use this key now without checking it; the app will tell you if the exchange "
            "refuses it."
        ))
        self.save_anyway_button.setAccessibleName(_("Save anyway"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(_("Cancel"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.addButton(self.save_anyway_button, QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_anyway_button.hide()  # after addButton, which shows it: only when unreachable
        self.forget_button = buttons.addButton(
            _("&Forget my account"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.forget_button.setToolTip(_("Remove the username, key and secret from this computer"))
        self.forget_button.setAccessibleName(_("Forget my account"))
        self.forget_button.setEnabled(bool(settings.live_username))
        self.save_button.clicked.connect(self._save)
        self.save_anyway_button.clicked.connect(self._save_anyway)
        self.forget_button.clicked.connect(self._forget)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_choice)
        layout.addWidget(self.live_choice)
        layout.addWidget(account)
        layout.addWidget(self.message)
        layout.addLayout(behaviour)
        layout.addWidget(self.language_note)
        layout.addWidget(buttons)

        # As they are seen, top to bottom, then the buttons left to right in this desktop's order.
        tab_in_order(self.demo_choice, self.live_choice, self.username, self.key, self.secret,
                     self.advanced_toggle, self.url, self.refresh_seconds, self.language,
                     *buttons_as_laid_out(buttons))

        for field in (self.username, self.key, self.secret, self.url):
            field.textEdited.connect(self._on_edited)
        self.live_choice.toggled.connect(account.setEnabled)
        self.live_choice.toggled.connect(self._on_edited)
        on_live = live or settings.mode == LIVE
        (self.live_choice if on_live else self.demo_choice).setChecked(True)
        account.setEnabled(on_live)
        if live:
            (self.key if self.username.text() else self.username).setFocus()

    # -- the fields ---------------------------------------------------------------------------

    def _show_where_kept(self) -> None:
        """Placeholders that say where the saved key really is (or that there is none)."""
        if self._saved is None:
            self.key.setPlaceholderText(_("From cryptex.net > Settings > API keys"))
            self.secret.setPlaceholderText(_("Shown once when you create the key"))
        elif self._context.credentials.is_session_only(LIVE_PROFILE):
            kept = _("Kept for this session only; type to replace")
            self.key.setPlaceholderText(kept)
            self.secret.setPlaceholderText(kept)
        else:
            kept = _("Saved in your keychain; type to replace")
            self.key.setPlaceholderText(kept)
            self.secret.setPlaceholderText(kept)

    @Slot(int)
    def _name_seconds(self, seconds: int) -> None:
        # Translators: shown after the number in a spin box; keep the leading space.
        self.refresh_seconds.setSuffix(_n(" second", " seconds", seconds))

    @Slot(bool)
    def _show_advanced(self, shown: bool) -> None:
        self.url.setVisible(shown)
        self.url_label.setVisible(shown)

    @Slot()
    def _on_edited(self, *_args: object) -> None:
        """Messages follow the fields: what was said about the old text goes with it."""
        self._attempt += 1  # a key check still running is about what was there before
        self.save_button.set_busy(False)
        self.save_anyway_button.hide()
        if self.message.is_problem():
            self.message.show_problem(self._problem())

    def _url(self) -> str:
        return self.url.text().strip() or LIVE_URL

    def _problem(self) -> str | None:
        if not self.live_choice.isChecked():
            return None
        if not self.username.text().strip():
            return _("Enter your Cryptex username.")
        key, secret = self.key.text().strip(), self.secret.text().strip()
        if self._saved is None or key:
            if not key:
                return _("Enter your API key. You can create one on cryptex.net under API keys.")
            if not secret:
                return _("Enter your API secret. It is shown once, when you create the key.")
        try:
            check_url(self._url())
        except ConfigurationError as error:
            return str(error)
        return None

    def credentials(self) -> Credentials:
        """The live account as typed; a key or secret left empty keeps the saved one."""
        saved = self._saved
        key = self.key.text().strip() or (saved.key if saved else "")
        secret = self.secret.text().strip() or (saved.secret if saved else "")
        return Credentials(self.username.text().strip(), key, secret)

    def _needs_check(self, creds: Credentials) -> bool:
        settings = self._context.settings
        return (settings.mode != LIVE or creds != self._saved
                or self._url() != settings.live_url)

    # -- saving -------------------------------------------------------------------------------

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
        settings.language = self.language.currentData()
        if self.demo_choice.isChecked():
            changed = settings.mode != DEMO
            settings.mode = DEMO
            settings.sync()
            if changed:
                context.connection.connect_demo()
            self.accept()
            return
        creds = self.credentials()
        if not self._needs_check(creds):
            settings.sync()
            self.accept()
            return
        self._attempt += 1
        attempt, url = self._attempt, self._url()
        self.message.show_problem(None)
        self.save_anyway_button.hide()
        self.save_button.set_busy(True)
        context.connection.check_key(
            url, creds, lambda error: self._on_checked(attempt, url, creds, error)
        )

    def _on_checked(self, attempt: int, url: str, creds: Credentials,
                    error: BaseException | None) -> None:
        if attempt != self._attempt or not self.isVisible():
            return  # edited or closed meanwhile: this answer is about something else
        self.save_button.set_busy(False)
        if error is None:
            self._switch(creds, url)
        elif isinstance(error, AuthenticationError):
            self.message.show_problem(refused_sentence(error))
            self.key.setFocus()
        else:
            self.message.show_problem(unreachable_sentence(url, error))
            self.save_anyway_button.show()
            self.save_anyway_button.setFocus()

    @Slot()
    def _save_anyway(self) -> None:
        if self._problem() is None:
            self._switch(self.credentials(), self._url())

    def _switch(self, creds: Credentials, url: str) -> None:
        """Keep the live account and use it from now on."""
        context = self._context
        settings = context.settings
        result = context.credentials.save(LIVE_PROFILE, creds)
        settings.live_username = creds.username
        settings.live_url = url
        settings.mode = LIVE
        settings.sync()
        context.connection.connect_live(settings.live_url, creds)
        notice = context.credentials.first_session_only_notice(result)
        if notice:
            QMessageBox.information(self, _("Kept for this session only"), notice)
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
        self._show_where_kept()
        self.forget_button.setEnabled(False)
        if context.settings.mode == LIVE:
            context.settings.mode = DEMO
            context.connection.connect_demo()
            self.demo_choice.setChecked(True)
        context.settings.sync()
        self.message.show_hint(_("Your live account was removed from this computer."))

    def is_checking(self) -> bool:
        """Whether a key check is under way (Save shows it is busy)."""
        return self.save_button.is_busy()

