"""Coupons: turn part of a balance into a code to give someone, or redeem a code given to you.

A coupon code is money to whoever holds it. The app shows a new code once, in
:class:`~cryptex_desktop.ui.dialogs.coupon_created.CouponCreatedDialog`, and keeps it nowhere
else: not in settings, not in a log, not in a model. A code being redeemed stays masked in
its field. When the exchange's answer is lost, nothing is sent again: the app compares the
balance with the one read just before sending and says what happened.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.errors import ExchangeRefusal, OutcomeUnknown
from cryptex_desktop.api.money import decimals_of, money_context
from cryptex_desktop.api.reconcile import Finding, check_coupon_create, check_coupon_redeem
from cryptex_desktop.api.types import Coupon, Redemption
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import currency_name, format_money, number_text
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.coupon_code_edit import CouponCodeEdit
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label, heading_label, stacked
from cryptex_desktop.ui.widgets.spendable_amount import SpendableAmount

log = logging.getLogger(__name__)

#: Coupons above these amounts wait for a manual check (the contract's defaults).
MODERATION_THRESHOLDS: dict[str, Decimal] = {
    code: currency.moderation_threshold for code, currency in CURRENCIES.items()
}

#: Longest recipient name accepted; Cryptex usernames are far shorter.
MAX_RECIPIENT_CHARS = 64

MODERATION_TIP = _(
    "Moderation: Cryptex staff check large coupons by hand before the code is issued, to "
    "protect against fraud. Until then the amount stays reserved in your balance."
)

# The exchange's refusals of a redeem (its own words) and what they mean for a person.
_REDEEM_REFUSALS: tuple[tuple[str, str], ...] = (
    ("already redeemed", _(
        "This coupon has already been redeemed, so it cannot be used again. If someone gave "
        "it to you, ask them whether it was used before.")),
    ("for another user", _(
        "This coupon was made for another Cryptex user, and only they can redeem it.")),
    ("unknown coupon", _(
        "The exchange does not know this code. Check that you copied all of it exactly: "
        "capital and small letters matter.")),
    ("malformed parameter: code", _(
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
    """A redeem refusal as a friendly sentence; other failures as :func:`describe` says."""
    if isinstance(error, ExchangeRefusal):
        reason = error.reason.lower()
        for words, sentence in _REDEEM_REFUSALS:
            if words in reason:
                return sentence
    return describe(error)


def create_refusal_sentence(error: BaseException, recipient: str | None) -> str:
    """A create refusal as a sentence; an unknown recipient is named and explained."""
    if (isinstance(error, ExchangeRefusal) and recipient
            and "unknown recipient" in error.reason.lower()):
        return _(
            "There is no Cryptex user called “{name}”. Check the spelling, or leave the field "
            "empty so that anyone with the code can redeem it."
        ).format(name=recipient)
    return describe(error)


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


@dataclass
class _Creation:
    """One coupon exactly as the person confirmed it (the code never lives here)."""

    currency: str
    amount: Decimal
    recipient: str | None
    # The free balances read just before sending, for checking after a lost answer.
    before: dict[str, Decimal] = field(default_factory=dict)
    # The same with reserves: a coupon held for moderation stays in this total.
    before_total: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class _Redeeming:
    """One redeem in flight: the currency from the code, and the balances before it."""

    currency: str
    before: dict[str, Decimal] = field(default_factory=dict)


class CouponsScreen(QWidget):
    """Turn money into a code to give someone, or redeem one."""

    NAME = "coupons"
    TITLE = _("Coupons")
    TOOLTIP = _("Turn money into a code to give someone, or redeem one")

    def __init__(
        self,
        dispatcher: Dispatcher,
        wallet: WalletState,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher
        self._wallet = wallet
        self._refresher = refresher
        self._settings = settings
        self._creation: _Creation | None = None
        self._redeeming: _Redeeming | None = None
        #: The confirmation open now, if any (tests read it as a person would).
        self.confirm_dialog: ConfirmDialog | None = None
        #: The dialog showing a new code while it is open; None once it closes.
        self.created_dialog: CouponCreatedDialog | None = None
        self._build()
        self._restore_currency()
        wallet.changed.connect(self._on_create_input_changed)
        dispatcher.clientChanged.connect(self._on_client_changed)
        self._on_currency_changed()
        self._on_code_changed()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        explanation = QLabel(_(
            "A coupon turns money from your balance into a code. Whoever enters the code on "
            "their Coupons tab (or on cryptex.net) receives the money. Each code works once."
        ))
        explanation.setWordWrap(True)

        panels = QHBoxLayout()
        panels.setSpacing(18)
        panels.addWidget(self._build_create_panel(), 1)
        panels.addWidget(self._build_redeem_panel(), 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(heading_label(_("Coupons")))
        layout.addWidget(explanation)
        layout.addSpacing(4)
        layout.addLayout(panels)
        layout.addStretch(1)
        QWidget.setTabOrder(self.create_button, self.code_edit)  # left panel, then right

    def _build_create_panel(self) -> QGroupBox:
        panel = QGroupBox(_("Create a coupon"))
        self.currency_combo = QComboBox()
        for code in CURRENCIES:
            self.currency_combo.addItem(f"{currency_name(code)} ({code})", code)

        self.amount = SpendableAmount(self._wallet, _("Use everything that is available"))
        self.amount_edit = self.amount.amount_edit
        self.max_button = self.amount.max_button
        self.available_label = self.amount.available_label
        self.amount_message = FieldMessage()
        self.amount_message.setToolTip(MODERATION_TIP)

        self.recipient_edit = QLineEdit()
        self.recipient_edit.setPlaceholderText(_("Optional: a Cryptex username"))
        self.recipient_edit.setMaxLength(MAX_RECIPIENT_CHARS + 10)
        self.recipient_message = FieldMessage()
        self.recipient_message.show_hint(_(
            "Only this Cryptex user can redeem it; leave empty so anyone with the code can."
        ))

        self.create_button = BusyButton(_("&Create coupon…"), busy_text=_("Creating…"))
        self.create_button.setToolTip(_("Check the details in a confirmation, then create (Enter)"))
        self.create_button.setAutoDefault(False)
        self.create_result_label = ResultLabel()
        self.create_result_label.setToolTip(MODERATION_TIP)
        self.create_error = FieldMessage()

        button_row = QHBoxLayout()
        button_row.addWidget(self.create_button)
        button_row.addStretch(1)

        form = _form(panel)
        form.addRow(buddy_label(_("C&urrency:"), self.currency_combo), self.currency_combo)
        form.addRow(buddy_label(_("A&mount:"), self.amount_edit),
                    stacked(self.amount, self.amount_message))
        form.addRow(buddy_label(_("Reci&pient:"), self.recipient_edit),
                    stacked(self.recipient_edit, self.recipient_message))
        form.addRow("", stacked(button_row, self.create_result_label, self.create_error))

        self.currency_combo.currentIndexChanged.connect(self._on_currency_changed)
        self.amount.changed.connect(self._on_create_input_changed)
        self.recipient_edit.textChanged.connect(self._on_create_input_changed)
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
        intro = QLabel(_(
            "Got a code from someone? Paste it here and its amount is added to your balance."
        ))
        intro.setWordWrap(True)
        self.code_edit = CouponCodeEdit()
        self.code_edit.setToolTip(_(
            "The code is hidden like a password so that nobody can read it over your shoulder; "
            "press the eye to see it."
        ))
        self.code_message = FieldMessage()
        self.redeem_button = BusyButton(_("&Redeem"), busy_text=_("Redeeming…"))
        self.redeem_button.setToolTip(_("Add the coupon's amount to your balance (Enter)"))
        self.redeem_button.setAutoDefault(False)
        self.redeem_result_label = ResultLabel()
        self.redeem_error = FieldMessage()

        button_row = QHBoxLayout()
        button_row.addWidget(self.redeem_button)
        button_row.addStretch(1)

        form = _form(panel)
        form.addRow(intro)
        form.addRow(buddy_label(_("Co&de:"), self.code_edit),
                    stacked(self.code_edit, self.code_message))
        form.addRow("", stacked(button_row, self.redeem_result_label, self.redeem_error))

        self.code_edit.textChanged.connect(self._on_code_changed)
        self.code_edit.returnPressed.connect(self.request_redeem)
        self.redeem_button.clicked.connect(self.request_redeem)
        QWidget.setTabOrder(self.code_edit, self.redeem_button)
        return panel

    def _restore_currency(self) -> None:
        remembered = self._settings.view_state(self.NAME, "currency", "USD")
        index = self.currency_combo.findData(str(remembered))
        self.currency_combo.setCurrentIndex(max(index, 0))

    # -- the screen's public face ---------------------------------------------------------

    def refresh(self) -> None:
        """What is available comes from the shared wallet state; ask it for fresh balances."""
        self._wallet.refresh()

    def currency(self) -> str:
        """The currency chosen for a new coupon."""
        return str(self.currency_combo.currentData())

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
        if self.create_button.is_busy() or self.confirm_dialog is not None:
            return
        if not self.is_create_form_valid():
            self._show_create_problems(force=True)
            return
        currency = self.currency()
        amount = self.amount_edit.amount()
        assert amount is not None
        creation = _Creation(currency, amount, self.recipient())
        money = format_money(amount, currency)
        if creation.recipient:
            who = _("Only the Cryptex user “{name}”").format(name=creation.recipient)
            note = _(
                "{money} leaves your balance and becomes a coupon code that only the Cryptex "
                "user “{name}” can redeem. Keep the code safe until you give it to them."
            ).format(money=money, name=creation.recipient)
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
        self.create_error.show_problem(None)
        self.confirm_dialog = confirm(
            self,
            lambda: self._create(creation),
            title=_("Confirm coupon"),
            question=_("Turn {money} into a coupon code?").format(money=money),
            rows=rows,
            confirm_text=_("Create coupon for {money}").format(money=money),
            note=note,
        )
        self.confirm_dialog.finished.connect(self._on_confirm_closed)

    def _create(self, creation: _Creation) -> None:
        self._creation = creation
        self._set_creating(True, _("Creating…"))
        self.create_result_label.clear()
        self.create_error.show_problem(None)

        def create(client: CryptexClient) -> Coupon:
            creation.before.update(client.info().balances)
            creation.before_total.update(client.info(with_reserves=True).balances)
            return client.coupon_create(creation.currency, creation.amount, creation.recipient)

        self._dispatcher.submit(
            create,
            on_result=lambda coupon: self._on_created(creation, coupon),
            on_error=lambda error: self._on_create_failed(creation, error),
            priority=Priority.ACTION,
        )

    def _on_created(self, creation: _Creation, coupon: Coupon) -> None:
        if creation is not self._creation:
            return
        self._creation = None
        self._set_creating(False)
        self.amount_edit.clear()
        self.recipient_edit.clear()
        self._show_create_problems()
        self._refresher.request("balances")
        if coupon.held_for_moderation or not coupon.code:
            self.create_result_label.setText(moderation_sentence(creation.currency))
            return
        money = format_money(coupon.amount, coupon.currency)
        self.create_result_label.setText(_(
            "A coupon for {money} was created. Its code is shown in the window that opened."
        ).format(money=money))
        dialog = CouponCreatedDialog(
            self, coupon.code, coupon.amount, coupon.currency, creation.recipient
        )
        dialog.finished.connect(lambda _result: self._on_created_dialog_closed(money))
        self.created_dialog = dialog
        dialog.open()

    def _on_create_failed(self, creation: _Creation, error: BaseException) -> None:
        if creation is not self._creation:
            return
        if isinstance(error, OutcomeUnknown):
            self._check_created(creation)
            return
        self._creation = None
        self._set_creating(False)
        self.create_error.show_problem(create_refusal_sentence(error, creation.recipient))
        self._refresher.request("balances")

    def _check_created(self, creation: _Creation) -> None:
        log.info("coupon creation answer lost; checking the balance")
        self.create_button.set_busy(True, _("Checking…"))
        self.create_result_label.setText(_("Checking with the exchange what happened…"))
        before, before_total = dict(creation.before), dict(creation.before_total)
        self._dispatcher.submit(
            lambda client: check_coupon_create(
                client, creation.currency, creation.amount, before, before_total
            ),
            on_result=lambda finding: self._on_create_checked(creation, finding),
            on_error=lambda error: self._on_create_check_failed(creation, error),
            priority=Priority.ACTION,
        )

    def _on_create_checked(self, creation: _Creation, finding: Finding) -> None:
        if creation is not self._creation:
            return
        self._creation = None
        self._set_creating(False)
        self.create_result_label.clear()
        if finding.happened:
            self.amount_edit.clear()
            self.recipient_edit.clear()
            self._show_create_problems()
            # The finding says whether the code was lost or awaits moderation.
            self.create_result_label.setText(finding.detail)
        elif finding.happened is False:
            self.create_error.show_problem(
                finding.detail + " " + _("No coupon was made; you can create it again."))
        else:
            self.create_error.show_problem(finding.detail)
        self._refresher.request("balances")

    def _on_create_check_failed(self, creation: _Creation, error: BaseException) -> None:
        if creation is not self._creation:
            return
        self._creation = None
        self._set_creating(False)
        self.create_result_label.clear()
        self.create_error.show_problem(_(
            "The app could not check whether the coupon was created ({reason}) Look at your "
            "balance before trying again."
        ).format(reason=describe(error)))
        self._refresher.request("balances")

    def _on_created_dialog_closed(self, money: str) -> None:
        self.created_dialog = None
        self.create_result_label.setText(_("A coupon for {money} was created.").format(
            money=money))

    # -- redeeming ------------------------------------------------------------------------

    @Slot()
    def request_redeem(self) -> None:
        """The redeem panel's primary action (button or Enter); money comes in, no confirmation."""
        if self.redeem_button.is_busy():
            return
        code = self.code_edit.code()
        currency = self.code_edit.currency()
        if code is None or currency is None:
            self.code_message.show_problem(self.code_edit.problem())
            return
        redeeming = _Redeeming(currency)
        self._redeeming = redeeming
        self._set_redeeming(True, _("Redeeming…"))
        self.redeem_result_label.clear()
        self.redeem_error.show_problem(None)

        def redeem(client: CryptexClient) -> Redemption:
            redeeming.before.update(client.info().balances)
            return client.coupon_redeem(code)

        self._dispatcher.submit(
            redeem,
            on_result=lambda redemption: self._on_redeemed(redeeming, redemption),
            on_error=lambda error: self._on_redeem_failed(redeeming, error),
            priority=Priority.ACTION,
        )

    def _on_redeemed(self, redeeming: _Redeeming, redemption: Redemption) -> None:
        if redeeming is not self._redeeming:
            return
        self._finish_redeem(_("{money} was added to your balance.").format(
            money=format_money(redemption.amount, redemption.currency or redeeming.currency)))

    def _finish_redeem(self, sentence: str) -> None:
        self._redeeming = None
        self._set_redeeming(False)
        self.code_edit.setText("")  # unlike clear(), setText drops the undo history too
        self.code_edit.set_code_visible(False)
        self.code_message.show_problem(None)
        self.redeem_result_label.setText(sentence)
        self.redeem_error.show_problem(None)
        self._refresher.request("balances")

    def _on_redeem_failed(self, redeeming: _Redeeming, error: BaseException) -> None:
        if redeeming is not self._redeeming:
            return
        if isinstance(error, OutcomeUnknown):
            self._check_redeemed(redeeming)
            return
        self._redeeming = None
        self._set_redeeming(False)
        self.redeem_error.show_problem(redeem_refusal_sentence(error))
        self._refresher.request("balances")

    def _check_redeemed(self, redeeming: _Redeeming) -> None:
        log.info("coupon redeem answer lost; checking the balance")
        self.redeem_button.set_busy(True, _("Checking…"))
        self.redeem_result_label.setText(_("Checking with the exchange what happened…"))
        before = dict(redeeming.before)
        self._dispatcher.submit(
            lambda client: check_coupon_redeem(client, redeeming.currency, before),
            on_result=lambda finding: self._on_redeem_checked(redeeming, finding),
            on_error=lambda error: self._on_redeem_check_failed(redeeming, error),
            priority=Priority.ACTION,
        )

    def _on_redeem_checked(self, redeeming: _Redeeming, finding: Finding) -> None:
        if redeeming is not self._redeeming:
            return
        if finding.happened:
            self._finish_redeem(finding.detail)
            return
        self._redeeming = None
        self._set_redeeming(False)
        self.redeem_result_label.clear()
        self.redeem_error.show_problem(finding.detail)
        self._refresher.request("balances")

    def _on_redeem_check_failed(self, redeeming: _Redeeming, error: BaseException) -> None:
        if redeeming is not self._redeeming:
            return
        self._redeeming = None
        self._set_redeeming(False)
        self.redeem_result_label.clear()
        self.redeem_error.show_problem(_(
            "The app could not check whether the coupon was redeemed ({reason}) Look at your "
            "balance; if it did not rise, you can safely try again."
        ).format(reason=describe(error)))
        self._refresher.request("balances")

    # -- keeping the forms honest ---------------------------------------------------------

    def _set_creating(self, creating: bool, busy_text: str | None = None) -> None:
        for widget in (self.currency_combo, self.recipient_edit):
            widget.setEnabled(not creating)
        self.amount.set_busy(creating)
        self.create_button.set_busy(creating, busy_text)
        if not creating:
            self._on_create_input_changed()

    def _set_redeeming(self, redeeming: bool, busy_text: str | None = None) -> None:
        self.code_edit.setEnabled(not redeeming)
        self.redeem_button.set_busy(redeeming, busy_text)
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
        self._on_create_input_changed()

    @Slot()
    def _on_create_input_changed(self) -> None:
        self._show_create_problems()
        if not self.create_button.is_busy():
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
                "Paste the whole code, like CTX-USD-…; it stays hidden unless you press the eye."
            ))
        if not self.redeem_button.is_busy():
            self.redeem_button.setEnabled(self.code_edit.code() is not None)

    @Slot()
    def _on_client_changed(self) -> None:
        """Another account is in use: results for the old one will never arrive."""
        for label in (self.create_result_label, self.redeem_result_label):
            label.clear()
        self.create_error.show_problem(None)
        self.redeem_error.show_problem(None)
        if self._creation is not None:
            self._creation = None
            self._set_creating(False)
            self.create_error.show_problem(_(
                "You switched accounts while a coupon was being created. Switch back and look at "
                "that account's balance to see whether it went through."
            ))
        if self._redeeming is not None:
            self._redeeming = None
            self._set_redeeming(False)
            self.redeem_error.show_problem(_(
                "You switched accounts while a coupon was being redeemed. Look at the balances "
                "of both accounts to see where it went."
            ))


def _form(panel: QGroupBox) -> QFormLayout:
    """A roomy form layout with right-aligned labels, set on ``panel``."""
    form = QFormLayout(panel)
    form.setContentsMargins(16, 14, 16, 14)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form
