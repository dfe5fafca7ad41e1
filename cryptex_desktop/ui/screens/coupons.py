"""Coupons: turn part of a balance into a code to give someone, or redeem a code given to you.

A coupon code is money to whoever holds it. The app shows a new code in
:class:`~cryptex_desktop.ui.dialogs.coupon_created.CouponCreatedDialog` and keeps it only in
the OS keychain (under the journal's name for that coupon), so that "Show code", behind a
confirmation, can show it again; where no keychain works it is shown once. Never in the
journal, settings, a log or a model. Below the two panels, the coupons made and redeemed
are listed as the journal remembers them. A code being redeemed stays masked in
its field. Creating and redeeming each go through one
:class:`~cryptex_desktop.ui.money_action.MoneyAction`: when the exchange's answer is lost,
nothing is sent again; the app compares the balance with the one read just before sending
and says what happened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.errors import ExchangeRefusal
from cryptex_desktop.api.money import decimals_of, money_context
from cryptex_desktop.api.reconcile import Finding, check_coupon_create, check_coupon_redeem
from cryptex_desktop.api.types import Coupon, Redemption
from cryptex_desktop.i18n import N_, _
from cryptex_desktop.journal import (
    CouponCreatedRecord,
    CouponIntent,
    CouponRedeemedRecord,
    Journal,
)
from cryptex_desktop.ui.credential_store import CredentialStore
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from cryptex_desktop.ui.dispatcher import Dispatcher
from cryptex_desktop.ui.errors import describe_action_failure
from cryptex_desktop.ui.formatting import format_money, number_text
from cryptex_desktop.ui.journal_keeper import JournalKeeper, MoneyJournalHooks, journal_outcome
from cryptex_desktop.ui.models import RECORD_ROLE, SortFilterProxy
from cryptex_desktop.ui.models.coupons import (
    CouponsMadeModel,
    CouponsRedeemedModel,
)
from cryptex_desktop.ui.money_action import (
    ActionReport,
    ActionWords,
    MoneyAction,
    MoneyRequest,
)
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.coupon_code_edit import CouponCodeEdit
from cryptex_desktop.ui.widgets.currency_combo import CurrencyCombo
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import (
    ResultLabel,
    buddy_label,
    heading_label,
    muted_label,
    stacked,
)
from cryptex_desktop.ui.widgets.layout import (
    FORM_MAX_WIDTH,
    button_row,
    form_layout,
    help_panel,
)
from cryptex_desktop.ui.widgets.message_room import MessageRoom
from cryptex_desktop.ui.widgets.record_list import RecordList
from cryptex_desktop.ui.widgets.report_label import ReportLabel
from cryptex_desktop.ui.widgets.spendable_amount import SpendableAmount

#: Coupons above these amounts wait for a manual check (the contract's defaults).
MODERATION_THRESHOLDS: dict[str, Decimal] = {
    code: currency.moderation_threshold for code, currency in CURRENCIES.items()
}

#: The help column beside the two panels: at most this wide, and only from this window width.
HELP_MAX_WIDTH = 480
WIDE_ENOUGH_FOR_HELP = 1500

#: The list of coupons redeemed needs only a date and an amount: at most this wide.
LIST_OF_REDEEMED_MAX_WIDTH = 360

#: Longest recipient name accepted; Cryptex usernames are far shorter.
MAX_RECIPIENT_CHARS = 64

MODERATION_TIP = N_(
    "Moderation: Cryptex staff check large coupons by hand before the code is issued, to "
    "protect against fraud. Until then the amount stays reserved in your balance."
)

# The exchange's refusals of a redeem (its own words) and what they mean for a person.
_REDEEM_REFUSALS: tuple[tuple[str, str], ...] = (
    ("already redeemed", N_(
        "This coupon has already been redeemed, so it cannot be used again. If someone gave "
        "it to you, ask them whether it was used before.")),
    ("for another user", N_(
        "This coupon was made for another Cryptex user, and only they can redeem it.")),
    ("unknown coupon", N_(
        "The exchange does not know this code. Check that you copied all of it exactly: "
        "capital and small letters matter.")),
    ("malformed parameter: code", N_(
        "The exchange says this is not a coupon code. Check that you copied all of it.")),
)


def moderation_threshold_text(currency: str) -> str:
    """``"10,000 USD"``: the amount above which a coupon of ``currency`` is checked by hand."""
    threshold = MODERATION_THRESHOLDS[currency]
    return f"{number_text(threshold, decimals_of(threshold))} {currency}"


def moderation_sentence(currency: str) -> str:
    """What happened to a coupon the exchange held for a manual check, in words."""
    if currency in MODERATION_THRESHOLDS:
        held = _("Cryptex holds coupons above {threshold} for a manual check.").format(
            threshold=moderation_threshold_text(currency))
    else:
        held = _("Cryptex holds large coupons for a manual check.")
    return held + " " + _(
        "The amount has left your available balance and is reserved; the code is issued once "
        "the check passes (on cryptex.net)."
    )


def redeem_refusal_sentence(error: BaseException) -> str:
    """A redeem refusal as a friendly sentence; other failures as
    :func:`~cryptex_desktop.ui.errors.describe_action_failure` says."""
    if isinstance(error, ExchangeRefusal):
        reason = error.reason.lower()
        for words, sentence in _REDEEM_REFUSALS:
            if words in reason:
                return _(sentence)
    return describe_action_failure(error)


def create_refusal_sentence(error: BaseException, recipient: str | None) -> str:
    """A create refusal as a sentence; an unknown recipient is named and explained."""
    if (isinstance(error, ExchangeRefusal) and recipient
            and "unknown recipient" in error.reason.lower()):
        return _(
            "There is no Cryptex user called “{name}”. Check the spelling, or leave the field "
            "empty so that anyone with the code can redeem it."
        ).format(name=recipient)
    return describe_action_failure(error)


def recipient_problem(text: str) -> str | None:
    """A sentence if the optional recipient cannot be a username, else ``None``."""
    name = text.strip()
    if not name:
        return None
    if re.search(r"\s", name):
        return _("A username has no spaces; enter just the person's Cryptex username.")
    if len(name) > MAX_RECIPIENT_CHARS:
        return _("That is too long for a Cryptex username.")
    return None



@dataclass(frozen=True)
class CouponTerms:
    """One coupon exactly as the person confirmed it (the code never lives here)."""

    currency: str
    amount: Decimal
    recipient: str | None


@dataclass(frozen=True)
class RedeemTerms:
    """One redeem: the currency the code names (the code itself is not kept here)."""

    currency: str


@dataclass(frozen=True)
class BalancesBefore:
    """The balances read just before sending: free, and with reserves (for a create)."""

    free: Mapping[str, Decimal]
    total: Mapping[str, Decimal] | None = None


def coupon_create_request(terms: CouponTerms) -> MoneyRequest[BalancesBefore, Coupon]:
    """Note the balances, create the coupon once, and check by the balances after a lost answer.

    Balances with reserves are noted too: a coupon held for moderation stays in that total.
    """

    def note(client: CryptexClient) -> BalancesBefore:
        return BalancesBefore(MappingProxyType(dict(client.info().balances)),
                              MappingProxyType(dict(client.info(with_reserves=True).balances)))

    def send(client: CryptexClient, _noted: BalancesBefore) -> Coupon:
        return client.coupon_create(terms.currency, terms.amount, terms.recipient)

    def check(client: CryptexClient, noted: BalancesBefore) -> Finding:
        return check_coupon_create(client, terms.currency, terms.amount, noted.free,
                                   noted.total)

    return MoneyRequest(send=send, check=check, note=note)


def coupon_redeem_request(code: str, terms: RedeemTerms
                          ) -> MoneyRequest[BalancesBefore, Redemption]:
    """Note the free balances, redeem ``code`` once, and check whether the balance rose."""

    def note(client: CryptexClient) -> BalancesBefore:
        return BalancesBefore(MappingProxyType(dict(client.info().balances)))

    def send(client: CryptexClient, _noted: BalancesBefore) -> Redemption:
        return client.coupon_redeem(code)

    def check(client: CryptexClient, noted: BalancesBefore) -> Finding:
        return check_coupon_redeem(client, terms.currency, noted.free)

    return MoneyRequest(send=send, check=check, note=note)


def _created_sentence(terms: CouponTerms, coupon: Coupon) -> str:
    if coupon.held_for_moderation or not coupon.code:
        return moderation_sentence(terms.currency)
    return _("A coupon for {money} was created. Its code is shown in the window that opened."
             ).format(money=format_money(coupon.amount, coupon.currency))


def create_words() -> ActionWords:
    """What the create panel says at each step."""
    return ActionWords(
        sending=_("Creating the coupon…"),
        done=_created_sentence,
        # The check's own sentence says whether the code was lost or awaits moderation.
        found=lambda _terms, finding: finding.detail,
        not_done=_("No coupon was made; you can create it again."),
        check_failed=_(
            "The connection dropped, and the app could not find out from the exchange whether "
            "the coupon was created. Look at your balance before trying again."
        ),
        switched=_(
            "You switched accounts while a coupon was being created. Switch back and look at "
            "that account's balance to see whether it went through."
        ),
        refused=lambda terms, error: create_refusal_sentence(error, terms.recipient),
    )


def redeem_words() -> ActionWords:
    """What the redeem panel says at each step."""
    return ActionWords(
        sending=_("Redeeming the coupon…"),
        done=lambda terms, redemption: _("{money} was added to your balance.").format(
            money=format_money(redemption.amount, redemption.currency or terms.currency)),
        found=lambda _terms, finding: finding.detail,
        not_done=_("The code is still in the field."),
        check_failed=_(
            "The connection dropped, and the app could not find out from the exchange whether "
            "the coupon was redeemed. Look at your balance; if it did not rise, you can safely "
            "try again."
        ),
        switched=_(
            "You switched accounts while a coupon was being redeemed. Look at the balances of "
            "both accounts to see where it went."
        ),
        refused=lambda _terms, error: redeem_refusal_sentence(error),
    )


def begin_coupon(journal: Journal, terms: CouponTerms) -> int:
    """The intent of a coupon, written before it is sent (on the worker); never a code."""
    return journal.begin_coupon(CouponIntent(terms.currency, terms.amount, terms.recipient or ""))


def complete_coupon(journal: Journal, coupon_id: int, report: ActionReport,
                    codes: CredentialStore | None = None) -> bool:
    """A coupon's outcome: made, held for a check, refused or unknown (its code stays out).

    Runs on the journal's lane: a new code goes to the keychain (``codes``) under the
    journal's name for this coupon, and the journal notes only whether it was kept; so does
    the result.
    """
    coupon: Coupon | None = report.answer
    held = coupon is not None and (coupon.held_for_moderation or not coupon.code)
    kept = False
    if codes is not None and report.done and coupon is not None and coupon.code and not held:
        kept = codes.keep_coupon_code(journal.coupon_keychain_name(coupon_id), coupon.code)
    journal.complete_coupon(coupon_id, journal_outcome(report.outcome), held_for_review=held,
                            code_kept_in_keychain=kept)
    return kept


@dataclass(frozen=True)
class CouponLists:
    """What the lists show, read together on the journal's lane."""

    made: list[CouponCreatedRecord]
    redeemed: list[CouponRedeemedRecord]
    keychain_works: bool


def read_coupon_lists(journal: Journal, codes: CredentialStore | None) -> CouponLists:
    """The coupons made and redeemed, and whether a keychain works (on the lane)."""
    return CouponLists(journal.coupons_made(), journal.coupons_redeemed(),
                       codes is not None and codes.available())


class CouponsScreen(Screen):
    """Turn money into a code to give someone, or redeem one."""

    NAME = "coupons"
    # Transitional: the main window reads these until it asks title() and tooltip().
    #: The keychain kept the code of the coupon just made (emitted on the journal's lane).
    _codeKept = Signal()

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Coupons")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Turn money into a code to give someone, or redeem one")

    def __init__(
        self,
        dispatcher: Dispatcher,
        wallet: WalletState,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        journal: JournalKeeper | None = None,
        credentials: CredentialStore | None = None,
    ) -> None:
        super().__init__(
            _("Coupons"),
            _("A coupon turns money from your balance into a code. Whoever enters the code on "
              "their Coupons tab (or on cryptex.net) receives the money. Each code works once."),
            parent,
        )
        self._wallet = wallet
        self._refresher = refresher
        self._settings = settings
        #: The confirmation open now, if any (tests read it as a person would).
        self.confirm_dialog: ConfirmDialog | None = None
        #: The dialog showing a new code while it is open; None once it closes.
        self.created_dialog: CouponCreatedDialog | None = None
        self._journal = journal
        self._codes = credentials
        #: The "Show the code?" confirmation open now, if any.
        self.show_code_dialog: ConfirmDialog | None = None

        def complete(journal: Journal, coupon_id: int, report: ActionReport) -> None:
            if complete_coupon(journal, coupon_id, report, credentials):
                self._codeKept.emit()  # from the lane: delivered on the UI thread

        hooks = None if journal is None else MoneyJournalHooks(journal, begin_coupon, complete)
        self.create_action = MoneyAction(dispatcher, create_words(), self, journal_hooks=hooks)
        self.redeem_action = MoneyAction(dispatcher, redeem_words(), self)
        self._build()
        self._restore_currency()
        self._codeKept.connect(self._on_code_kept)
        self.create_action.busyChanged.connect(self._set_creating)
        self.create_action.progress.connect(self._on_create_progress)
        self.create_action.finished.connect(self._on_create_finished)
        self.redeem_action.busyChanged.connect(self._set_redeeming)
        self.redeem_action.progress.connect(self._on_redeem_progress)
        self.redeem_action.finished.connect(self._on_redeem_finished)
        wallet.changed.connect(self._on_wallet_changed)
        self._reread_timer = QTimer(self)
        self._reread_timer.setSingleShot(True)
        self._reread_timer.setInterval(100)  # a burst of writes is read once
        self._reread_timer.timeout.connect(self.read_lists)
        if journal is not None:
            journal.changed.connect(self._reread_timer.start)
            journal.opened.connect(self.read_lists)
        self.read_lists()
        # Until the main window calls account_changed() itself; calling it twice is harmless.
        self._on_currency_changed()
        self._on_code_changed()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.help = help_panel(
            _("About coupons"),
            _("Treat a code like cash: anyone who has it can redeem it, unless you name the "
              "one Cryptex user who may."),
            _(MODERATION_TIP),
        )
        self.help.setMaximumWidth(HELP_MAX_WIDTH)
        panels = QHBoxLayout()
        panels.setSpacing(18)
        for panel in (self._build_create_panel(), self._build_redeem_panel()):
            panel.setMaximumWidth(FORM_MAX_WIDTH)
            panels.addWidget(panel, 1)
        panels.addWidget(self.help, 1, Qt.AlignmentFlag.AlignTop)
        panels.addStretch(0)  # past every maximum, the room is left over on the right
        self.body.addLayout(panels)
        lists = QHBoxLayout()
        lists.setSpacing(18)
        lists.addWidget(self._build_made_list(), 3)
        redeemed = self._build_redeemed_list()
        redeemed.setMaximumWidth(LIST_OF_REDEEMED_MAX_WIDTH)
        # Wide enough for a date and an amount side by side, without scrolling sideways.
        metrics = self.redeemed_list.table.fontMetrics()
        redeemed.setMinimumWidth(min(LIST_OF_REDEEMED_MAX_WIDTH, metrics.horizontalAdvance(
            "8888-88-88 88:88" + "0.00000000 BTC") + 64))
        lists.addWidget(redeemed, 1)
        self.body.addLayout(lists, 1)
        QWidget.setTabOrder(self.create_button, self.code_edit)  # left panel, then right
        QWidget.setTabOrder(self.redeem_button, self.made_list.table)
        QWidget.setTabOrder(self.made_list.table, self.show_code_button)
        QWidget.setTabOrder(self.show_code_button, self.redeemed_list.table)

    def _build_made_list(self) -> QWidget:
        # Headings, not frames, above the lists: at the smallest window every row counts.
        panel = QWidget()
        panel.setAccessibleName(_("Coupons you made"))
        self.made_model = CouponsMadeModel(self)
        self.made_list = RecordList(SortFilterProxy(self.made_model, self),
                                    accessible_name=_("Coupons you made"))
        self.made_list.retryRequested.connect(self.read_lists)
        header = self.made_list.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The recipient, last, takes the spare width; never less than its own, or the list
        # scrolls sideways rather than squeezing it to a few letters.
        header.setStretchLastSection(True)
        self.show_code_button = QPushButton(_("Sho&w code…"))
        self.show_code_button.setAutoDefault(False)
        self.show_code_button.setAccessibleName(_("Show code"))
        self.show_code_button.setToolTip(_(
            "Show the code of the chosen coupon again, from your system keychain."))
        self.show_code_result = ResultLabel()
        self.show_code_result.setAccessibleName(_("Outcome of showing a code"))
        heading = QHBoxLayout()
        heading.addWidget(heading_label(_("Coupons you made"), 1.0))
        heading.addStretch(1)
        heading.addWidget(self.show_code_button)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading)
        layout.addWidget(self.made_list, 1)
        layout.addWidget(self.show_code_result)
        self.show_code_button.clicked.connect(self.request_show_code)
        self.made_list.table.selectionModel().selectionChanged.connect(
            self._update_show_code_button)
        self.made_list.table.doubleClicked.connect(self.request_show_code)
        self._update_show_code_button()
        self.made_list.show_empty(_("Coupons you make are listed here."))
        return panel

    def _build_redeemed_list(self) -> QWidget:
        panel = QWidget()
        panel.setAccessibleName(_("Coupons you redeemed"))
        self.redeemed_model = CouponsRedeemedModel(self)
        self.redeemed_list = RecordList(SortFilterProxy(self.redeemed_model, self),
                                        accessible_name=_("Coupons you redeemed"))
        self.redeemed_list.retryRequested.connect(self.read_lists)
        header = self.redeemed_list.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        heading = heading_label(_("Coupons you redeemed"), 1.0)
        # As tall as the other heading, which holds a button.
        heading.setMinimumHeight(self.show_code_button.sizeHint().height())
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.redeemed_list, 1)
        self.redeemed_list.show_empty(_("Coupons you redeem are listed here."))
        return panel

    def _build_create_panel(self) -> QGroupBox:
        panel = QGroupBox(_("Create a coupon"))
        panel.setAccessibleName(_("Create a coupon"))
        self.currency_combo = CurrencyCombo()
        self.currency_combo.setAccessibleName(_("Currency of the coupon"))

        self.amount = SpendableAmount(self._wallet, _("Use everything that is available"))
        self.amount_edit = self.amount.amount_edit
        self.amount_edit.setAccessibleName(_("Amount of the coupon"))
        self.max_button = self.amount.max_button
        self.available_label = self.amount.available_label
        self.amount_message = FieldMessage()
        self.amount_message.setAccessibleName(_("Amount check"))

        self.recipient_edit = QLineEdit()
        self.recipient_edit.setPlaceholderText(_("Optional: a Cryptex username"))
        self.recipient_edit.setMaxLength(MAX_RECIPIENT_CHARS + 10)
        self.recipient_edit.setAccessibleName(_("Recipient"))
        self.recipient_edit.setClearButtonEnabled(True)
        self.recipient_message = FieldMessage()
        self.recipient_message.setAccessibleName(_("Recipient check"))
        self.recipient_message.show_hint(_(
            "Only this Cryptex user can redeem it; leave empty so anyone with the code can."
        ))

        self.create_button = BusyButton(_("&Create coupon…"), busy_text=_("Creating…"))
        self.create_button.setToolTip(_("Check the details in a confirmation, then create (Enter)"))
        self.create_button.setAccessibleName(_("Create coupon"))
        self.create_button.setAutoDefault(False)
        self.create_result_label = ReportLabel()
        self.create_result_label.setAccessibleName(_("Outcome of creating a coupon"))

        form = form_layout()
        form.addRow(buddy_label(_("C&urrency:"), self.currency_combo), self.currency_combo)
        # Room kept under each field so that Create coupon never moves when a sentence shows.
        form.addRow(buddy_label(_("A&mount:"), self.amount_edit),
                    stacked(self.amount, MessageRoom(self.amount_message, 2)))
        form.addRow(buddy_label(_("Reci&pient:"), self.recipient_edit),
                    stacked(self.recipient_edit, MessageRoom(self.recipient_message, 2)))
        form.addRow("", stacked(button_row(self.create_button), self.create_result_label))
        panel.setLayout(form)
        form.setContentsMargins(16, 14, 16, 14)

        self.currency_combo.currentIndexChanged.connect(self._on_currency_changed)
        self.amount.changed.connect(self._on_create_edited)
        self.recipient_edit.textChanged.connect(self._on_create_edited)
        self.amount_edit.returnPressed.connect(self.request_create)
        self.recipient_edit.returnPressed.connect(self.request_create)
        self.create_button.clicked.connect(self.request_create)
        QWidget.setTabOrder(self.currency_combo, self.amount_edit)
        QWidget.setTabOrder(self.amount_edit, self.max_button)
        QWidget.setTabOrder(self.max_button, self.recipient_edit)
        QWidget.setTabOrder(self.recipient_edit, self.create_button)
        return panel

    def _build_redeem_panel(self) -> QGroupBox:
        panel = QGroupBox(_("Redeem a coupon"))
        panel.setAccessibleName(_("Redeem a coupon"))
        intro = muted_label(_(
            "Got a code from someone? Paste it here and its amount is added to your balance."
        ))
        self.code_edit = CouponCodeEdit()
        self.code_edit.setToolTip(_(
            "The code is hidden like a password so that nobody can read it over your shoulder; "
            "press the eye (or Alt+E) to see it."
        ))
        self.code_message = FieldMessage()
        self.code_message.setAccessibleName(_("Code check"))
        self.redeem_button = BusyButton(_("&Redeem"), busy_text=_("Redeeming…"))
        self.redeem_button.setToolTip(_("Add the coupon's amount to your balance (Enter)"))
        self.redeem_button.setAccessibleName(_("Redeem"))
        self.redeem_button.setAutoDefault(False)
        self.redeem_result_label = ReportLabel()
        self.redeem_result_label.setAccessibleName(_("Outcome of redeeming a coupon"))

        form = form_layout()
        form.addRow(intro)
        form.addRow(buddy_label(_("Co&de:"), self.code_edit),
                    stacked(self.code_edit, MessageRoom(self.code_message, 2)))
        form.addRow("", stacked(button_row(self.redeem_button), self.redeem_result_label))
        panel.setLayout(form)
        form.setContentsMargins(16, 14, 16, 14)

        self.code_edit.textChanged.connect(self._on_code_edited)
        self.code_edit.returnPressed.connect(self.request_redeem)
        self.redeem_button.clicked.connect(self.request_redeem)
        QWidget.setTabOrder(self.code_edit, self.redeem_button)
        return panel

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Show the help column only when there is room for it beside both panels."""
        super().resizeEvent(event)
        self.help.setVisible(self.width() >= WIDE_ENOUGH_FOR_HELP)

    def _restore_currency(self) -> None:
        remembered = str(self._settings.view_state(self.NAME, "currency", "USD"))
        if not self.currency_combo.set_code(remembered):
            self.currency_combo.setCurrentIndex(0)

    # -- the screen's public face ---------------------------------------------------------

    def refresh(self) -> None:
        """What is available comes from the shared wallet state; ask it for fresh balances."""
        self._wallet.refresh()

    def account_changed(self) -> None:
        """Another account: the outcome sentences go; what is typed stays for the person."""
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()  # confirmed for the old account: never send it here
        self.create_result_label.show_report(None)
        self.redeem_result_label.show_report(None)
        self._show_create_problems()

    def currency(self) -> str:
        """The currency chosen for a new coupon."""
        return self.currency_combo.code()

    def recipient(self) -> str | None:
        """The username typed as the only one who may redeem, or None for anyone."""
        return self.recipient_edit.text().strip() or None

    def is_create_form_valid(self) -> bool:
        """Whether a coupon can be created from what is typed."""
        return (self.amount_edit.amount() is not None
                and recipient_problem(self.recipient_edit.text()) is None)

    @Slot()
    def fill_max(self) -> None:
        """Put everything available (rounded down to the currency's decimals) in the amount."""
        self.amount.fill_max()

    # -- creating -------------------------------------------------------------------------

    @Slot()
    def request_create(self) -> None:
        """The create panel's primary action: open the confirmation if the form is valid."""
        if self.create_action.is_busy() or self.confirm_dialog is not None:
            return
        if not self.is_create_form_valid():
            self._show_create_problems(force=True)
            return
        currency = self.currency()
        amount = self.amount_edit.amount()
        assert amount is not None
        terms = CouponTerms(currency, amount, self.recipient())
        money = format_money(amount, currency)
        if terms.recipient:
            who = _("Only the Cryptex user “{name}”").format(name=terms.recipient)
            note = _(
                "{money} leaves your balance and becomes a coupon code that only the Cryptex "
                "user “{name}” can redeem. Keep the code safe until you give it to them."
            ).format(money=money, name=terms.recipient)
        else:
            who = _("Anyone who has the code")
            note = _(
                "{money} leaves your balance and becomes a coupon code. Anyone who has the code "
                "can redeem it, so treat it like cash."
            ).format(money=money)
        threshold = MODERATION_THRESHOLDS.get(currency)
        if threshold is not None and amount > threshold:
            note += " " + _(
                "Coupons above {threshold} are held for a manual check before the code is "
                "issued."
            ).format(threshold=moderation_threshold_text(currency))
        rows = [
            (_("Coupon worth"), money),
            (_("Leaves your balance"), money),
            (_("Who can redeem it"), who),
        ]
        free = self._wallet.free_balance(currency)
        if free is not None and free >= amount:
            with money_context():
                left = free - amount
            rows.append((_("Available afterwards"), format_money(left, currency)))
        self.confirm_dialog = confirm(
            self,
            lambda: self.create_action.start(terms, coupon_create_request(terms)),
            title=_("Confirm coupon"),
            question=_("Turn {money} into a coupon code?").format(money=money),
            rows=rows,
            confirm_text=_("Create coupon for {money}").format(money=money),
            note=note,
        )
        self.confirm_dialog.finished.connect(self._on_confirm_closed)

    @Slot(str)
    def _on_create_progress(self, sentence: str) -> None:
        self.create_result_label.show_result(sentence)
        if self.create_action.is_checking():
            self.create_button.set_busy(True, _("Checking…"))

    @Slot(object)
    def _on_create_finished(self, report: ActionReport) -> None:
        terms: CouponTerms = report.subject
        self._refresher.request("balances")
        if not report.done:
            self.create_result_label.show_report(report)
            return
        self.amount_edit.clear()
        self.recipient_edit.clear()
        self._show_create_problems()
        coupon: Coupon | None = report.answer
        if report.finding is not None:
            # Done, but the code was lost with the answer: the person has something to do.
            self.create_result_label.show_warning(report.sentence)
            return
        self.create_result_label.show_report(report)
        if coupon is None or coupon.held_for_moderation or not coupon.code:
            return
        money = format_money(coupon.amount, coupon.currency)
        dialog = CouponCreatedDialog(self, coupon.code, coupon.amount, coupon.currency,
                                     terms.recipient)
        dialog.finished.connect(lambda _result: self._on_created_dialog_closed(money))
        self.created_dialog = dialog
        dialog.open()

    @Slot()
    def _on_code_kept(self) -> None:
        # The code was put in the keychain on the lane after its dialog opened.
        if self.created_dialog is not None:
            self.created_dialog.note_kept_in_keychain()

    def _on_created_dialog_closed(self, money: str) -> None:
        self.created_dialog = None
        self.create_result_label.show_success(
            _("A coupon for {money} was created.").format(money=money))

    # -- the lists and Show code -----------------------------------------------------------

    @Slot()
    def read_lists(self) -> None:
        """Ask the journal, on its lane, for the coupons made and redeemed."""
        if self._journal is None:
            for records in (self.made_list, self.redeemed_list):
                records.show_empty(_("This account's coupons are listed here once it is "
                                     "connected."))
            return
        codes = self._codes
        self._journal.read(lambda journal: read_coupon_lists(journal, codes),
                           self._on_lists_read, self._on_lists_failed)

    def _on_lists_read(self, lists: CouponLists) -> None:
        self.made_model.set_keychain_works(lists.keychain_works)
        self.made_model.set_records(lists.made)
        self.redeemed_model.set_records(lists.redeemed)
        if lists.made:
            self.made_list.show_table()
        else:
            self.made_list.show_empty(_("Coupons you make are listed here."))
        if lists.redeemed:
            self.redeemed_list.show_table()
        else:
            self.redeemed_list.show_empty(_("Coupons you redeem are listed here."))
        self._update_show_code_button()

    def _on_lists_failed(self, _error: BaseException) -> None:
        sentence = _("Could not read your coupons from this computer's records. "
                     "Press Try again.")
        self.made_list.show_problem(sentence)
        self.redeemed_list.show_problem(sentence)

    def made_coupons(self) -> list[CouponCreatedRecord]:
        """The coupons made, as listed (newest first unless sorted otherwise)."""
        return self.made_model.records()

    def redeemed_coupons(self) -> list[CouponRedeemedRecord]:
        """The coupons redeemed, as listed."""
        return self.redeemed_model.records()

    def chosen_coupon(self) -> CouponCreatedRecord | None:
        """The made coupon selected in the list, if any."""
        rows = self.made_list.table.selectionModel().selectedRows()
        if not rows:
            return None
        record = rows[0].data(RECORD_ROLE)
        return record if isinstance(record, CouponCreatedRecord) else None

    def select_coupon(self, coupon_id: int) -> None:
        """Choose the made coupon ``coupon_id`` in the list (as a click would)."""
        source = self.made_model.index_of(coupon_id)
        proxy = self.made_list.table.model()
        assert isinstance(proxy, SortFilterProxy)
        self.made_list.table.selectRow(proxy.mapFromSource(source).row())

    @Slot()
    def _update_show_code_button(self) -> None:
        chosen = self.chosen_coupon()
        self.show_code_button.setEnabled(chosen is not None and chosen.code_kept_in_keychain)

    @Slot()
    def request_show_code(self) -> None:
        """Ask first, then read the chosen coupon's code from the keychain and show it."""
        chosen = self.chosen_coupon()
        if (chosen is None or not chosen.code_kept_in_keychain or self._journal is None
                or self.show_code_dialog is not None or self.created_dialog is not None):
            return
        money = format_money(chosen.amount, chosen.currency)
        who = (_("Only the Cryptex user “{name}”").format(name=chosen.recipient)
               if chosen.recipient else _("Anyone who has the code"))
        self.show_code_dialog = confirm(
            self,
            lambda: self._read_code(chosen),
            title=_("Show the code?"),
            question=_("Show the code of this {money} coupon? Anyone who sees it can take the "
                       "money.").format(money=money),
            rows=[(_("Coupon worth"), money), (_("Who can redeem it"), who)],
            confirm_text=_("Show the code"),
            note=_("Make sure nobody is looking at your screen, and that you are not sharing "
                   "it in a call."),
        )
        self.show_code_dialog.finished.connect(self._on_show_code_closed)

    @Slot()
    def _on_show_code_closed(self) -> None:
        self.show_code_dialog = None

    def _read_code(self, coupon: CouponCreatedRecord) -> None:
        assert self._journal is not None
        codes = self._codes
        if codes is None:
            return

        def read(journal: Journal) -> str | None:
            return codes.coupon_code(journal.coupon_keychain_name(coupon.id))

        self._journal.read(read, lambda code: self._show_code(coupon, code),
                           lambda _error: self._show_code(coupon, None))

    def _show_code(self, coupon: CouponCreatedRecord, code: str | None) -> None:
        if not code:
            self.show_code_result.show_problem(_(
                "Your system keychain no longer has this code. If you saved or copied it, use "
                "that copy; otherwise Cryptex support can help recover the money."))
            return
        self.show_code_result.show_result("")
        dialog = CouponCreatedDialog(self, code, coupon.amount, coupon.currency,
                                     coupon.recipient or None, shown_again=True)
        dialog.finished.connect(self._on_shown_again_closed)
        self.created_dialog = dialog
        dialog.open()

    @Slot()
    def _on_shown_again_closed(self) -> None:
        self.created_dialog = None

    # -- redeeming ------------------------------------------------------------------------

    @Slot()
    def request_redeem(self) -> None:
        """The redeem panel's primary action (button or Enter); money comes in, no confirmation."""
        if self.redeem_action.is_busy():
            return
        code = self.code_edit.code()
        currency = self.code_edit.currency()
        if code is None or currency is None:
            self.code_message.show_problem(self.code_edit.problem())
            return
        terms = RedeemTerms(currency)
        self.redeem_action.start(terms, coupon_redeem_request(code, terms))

    @Slot(str)
    def _on_redeem_progress(self, sentence: str) -> None:
        self.redeem_result_label.show_result(sentence)
        if self.redeem_action.is_checking():
            self.redeem_button.set_busy(True, _("Checking…"))

    @Slot(object)
    def _on_redeem_finished(self, report: ActionReport) -> None:
        self._refresher.request("balances")
        if report.done and self._journal is not None and isinstance(report.answer, Redemption):
            credited = Redemption(report.answer.currency or report.subject.currency,
                                  report.answer.amount)
            self._journal.record(lambda journal: journal.record_coupon_redeemed(credited))
        if report.done:
            self.code_edit.setText("")  # unlike clear(), setText drops the undo history too
            self.code_edit.set_code_visible(False)
        self.redeem_result_label.show_report(report)

    # -- keeping the forms honest ---------------------------------------------------------

    @Slot(bool)
    def _set_creating(self, creating: bool) -> None:
        for widget in (self.currency_combo, self.recipient_edit):
            widget.setEnabled(not creating)
        self.amount.set_busy(creating)
        self.create_button.set_busy(creating, _("Creating…") if creating else None)
        if not creating:
            self._update_create_button()

    @Slot(bool)
    def _set_redeeming(self, redeeming: bool) -> None:
        self.code_edit.setEnabled(not redeeming)
        self.redeem_button.set_busy(redeeming, _("Redeeming…") if redeeming else None)
        if not redeeming:
            self._on_code_changed()

    @Slot()
    def _on_confirm_closed(self) -> None:
        self.confirm_dialog = None

    @Slot()
    def _on_currency_changed(self) -> None:
        currency = self.currency()
        self._settings.set_view_state(self.NAME, "currency", currency)
        self.amount.set_currency(currency)
        self._on_create_edited()

    @Slot()
    def _on_create_edited(self) -> None:
        """An edit of the create form: a refusal was about what was typed before, so it goes."""
        self.create_result_label.forget_problem()
        self._show_create_problems()
        self._update_create_button()

    @Slot()
    def _on_code_edited(self) -> None:
        """An edit of the code: a refusal was about the code typed before, so it goes."""
        self.redeem_result_label.forget_problem()
        self._on_code_changed()

    @Slot()
    def _on_wallet_changed(self) -> None:
        """Balances came in: the exchange can be reached again, and the limit may differ."""
        if self._wallet.known:
            self.create_result_label.exchange_answered()
            self.redeem_result_label.exchange_answered()
        self._show_create_problems()
        self._update_create_button()

    def _update_create_button(self) -> None:
        if not self.create_action.is_busy():
            self.create_button.setEnabled(self.is_create_form_valid())

    def _show_create_problems(self, force: bool = False) -> None:
        """Each field's sentence under it; an untouched empty field is not told off."""
        if force or self.amount_edit.text().strip():
            problem = self.amount_edit.problem()
            self.amount_message.show_field_state(self.amount_edit, problem)
            amount = self.amount_edit.amount()
            threshold = MODERATION_THRESHOLDS.get(self.currency())
            if problem is None and amount is not None and threshold is not None \
                    and amount > threshold:
                self.amount_message.show_hint(_(
                    "Above {threshold}, Cryptex checks a coupon by hand before issuing its code."
                ).format(threshold=moderation_threshold_text(self.currency())))
            elif problem is None:
                self.amount_message.clear_message()  # forget the moderation hint
                self.amount_message.show_field_state(self.amount_edit, None)
        else:
            self.amount_message.clear_message()
        self.recipient_message.show_problem(recipient_problem(self.recipient_edit.text()))

    @Slot()
    def _on_code_changed(self) -> None:
        if self.code_edit.text().strip():
            self.code_message.show_problem(self.code_edit.problem())
        else:
            self.code_message.show_hint(_(
                "Paste the whole code, like CTX-USD-…; it stays hidden unless you press the eye "
                "(Alt+E)."
            ))
        if not self.redeem_action.is_busy():
            self.redeem_button.setEnabled(self.code_edit.code() is not None)
