"""Withdraw: send bitcoin or litecoin from this account to an address outside the exchange.

The address is checked (format and checksum) as it is typed and the amount against what is
available; nothing can be sent while either is wrong. A confirmation shows the full address
in monospace before anything leaves. When the exchange's answer is lost, the app never sends
again: it looks for the outgoing transaction and says what it found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.addresses import supports_addresses
from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.errors import OutcomeUnknown
from cryptex_desktop.api.money import decimals_of, money_context
from cryptex_desktop.api.reconcile import Finding, check_withdraw
from cryptex_desktop.api.types import Withdrawal
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import currency_name, format_money, number_text
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.address_edit import AddressEdit
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label, heading_label, stacked
from cryptex_desktop.ui.widgets.spendable_amount import SpendableAmount

log = logging.getLogger(__name__)

#: The contract's promise for a coin the app does not know.
MOST_CONFIRMATIONS = 6

#: The coins this screen can send: those the app can check addresses for.
WITHDRAW_CURRENCIES: tuple[str, ...] = tuple(c for c in CURRENCIES if supports_addresses(c))

CONFIRMATIONS_TIP = _(
    "A confirmation is one more block added to the coin's blockchain after the block that "
    "holds your transaction. After enough of them the transaction is final."
)


def short_money(amount: Decimal, currency: str) -> str:
    """An amount as a person typed it, with its code: ``0.5 BTC`` rather than ``0.50000000``."""
    return f"{number_text(amount, decimals_of(amount))} {currency}"


@dataclass
class _Attempt:
    """One withdrawal exactly as the person confirmed it."""

    currency: str
    amount: Decimal
    address: str
    # Outgoing transactions already pending before sending, so a lost answer is only ever
    # matched against a new one. Filled on the worker thread before the request leaves.
    known_txids: set[str] = field(default_factory=set)
    # The free balances just before sending: unchanged and unlisted means it did not happen.
    before: dict[str, Decimal] = field(default_factory=dict)


class WithdrawScreen(QWidget):
    """Send coins from this account to another wallet."""

    NAME = "withdraw"
    TITLE = _("Withdraw")
    TOOLTIP = _("Send coins from this account to another wallet")

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
        self._attempt: _Attempt | None = None
        #: The confirmation open now, if any (tests read it as a person would).
        self.confirm_dialog: ConfirmDialog | None = None
        self._build()
        self._restore_currency()
        wallet.changed.connect(self._on_input_changed)
        dispatcher.clientChanged.connect(self._on_client_changed)
        self._on_currency_changed()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        explanation = QLabel(_(
            "Send bitcoin or litecoin from your Cryptex account to a wallet outside it. "
            "Copy the address from the receiving wallet and paste it here."
        ))
        explanation.setWordWrap(True)

        self.currency_combo = QComboBox()
        for code in WITHDRAW_CURRENCIES:
            self.currency_combo.addItem(f"{currency_name(code)} ({code})", code)
        self.currency_combo.setToolTip(_("The coin to send"))
        self.fiat_note = FieldMessage()
        self.fiat_note.show_hint(_(
            "US dollars, euros and roubles cannot be sent to an address: withdraw them on "
            "cryptex.net by bank transfer, or give them to someone as a coupon on the "
            "Coupons tab."
        ))

        self.address_edit = AddressEdit()
        self.address_edit.setToolTip(_(
            "The receiving wallet's address. Copy and paste it rather than typing it: the app "
            "checks every character, but cannot know whether the address is the right one."
        ))
        self.address_message = FieldMessage()

        self.amount = SpendableAmount(self._wallet, _("Send everything that is available"))
        self.amount_edit = self.amount.amount_edit
        self.max_button = self.amount.max_button
        self.available_label = self.amount.available_label
        self.amount_message = FieldMessage()

        self.withdraw_button = BusyButton(_("&Withdraw…"), busy_text=_("Sending…"))
        self.withdraw_button.setToolTip(_("Check the details in a confirmation, then send (Enter)"))
        self.withdraw_button.setAutoDefault(False)
        self.result_label = ResultLabel()
        self.result_label.setToolTip(CONFIRMATIONS_TIP)
        self.error_message = FieldMessage()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label(_("&Currency:"), self.currency_combo),
                    stacked(self.currency_combo, self.fiat_note))
        form.addRow(buddy_label(_("&Address:"), self.address_edit),
                    stacked(self.address_edit, self.address_message))
        form.addRow(buddy_label(_("A&mount:"), self.amount_edit),
                    stacked(self.amount, self.amount_message))
        buttons = QHBoxLayout()
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        form.addRow("", stacked(buttons, self.result_label, self.error_message))

        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(heading_label(_("Withdraw coins")))
        column.addWidget(explanation)
        column.addSpacing(6)
        column.addLayout(form)
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(760)  # long lines of form are hard to follow on a wide window

        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.addWidget(holder, 1)
        outer.addStretch(0)

        self.currency_combo.currentIndexChanged.connect(self._on_currency_changed)
        self.address_edit.textChanged.connect(self._on_input_changed)
        self.amount.changed.connect(self._on_input_changed)
        self.address_edit.returnPressed.connect(self.request_withdraw)
        self.amount_edit.returnPressed.connect(self.request_withdraw)
        self.withdraw_button.clicked.connect(self.request_withdraw)
        QWidget.setTabOrder(self.currency_combo, self.address_edit)
        QWidget.setTabOrder(self.address_edit, self.amount_edit)
        QWidget.setTabOrder(self.amount_edit, self.max_button)
        QWidget.setTabOrder(self.max_button, self.withdraw_button)

    def _restore_currency(self) -> None:
        remembered = self._settings.view_state(self.NAME, "currency", WITHDRAW_CURRENCIES[0])
        index = self.currency_combo.findData(str(remembered))
        self.currency_combo.setCurrentIndex(max(index, 0))

    # -- the screen's public face ---------------------------------------------------------

    def refresh(self) -> None:
        """What is available comes from the shared wallet state; ask it for fresh balances."""
        self._wallet.refresh()

    def currency(self) -> str:
        """The coin chosen to send."""
        return str(self.currency_combo.currentData())

    def is_form_valid(self) -> bool:
        """Whether the address and the amount can both be sent as they stand."""
        return self.address_edit.address() is not None and self.amount_edit.amount() is not None

    @Slot()
    def fill_max(self) -> None:
        """Put everything available (rounded down to the coin's decimals) in the amount."""
        self.amount.fill_max()

    @Slot()
    def request_withdraw(self) -> None:
        """The primary action (button or Enter): open the confirmation if the form is valid."""
        if self.withdraw_button.is_busy() or self.confirm_dialog is not None:
            return
        if not self.is_form_valid():
            self._show_field_problems(force=True)
            return
        currency = self.currency()
        amount = self.amount_edit.amount()
        address = self.address_edit.address()
        assert amount is not None and address is not None
        attempt = _Attempt(currency, amount, address)
        rows = [
            (_("Coin"), f"{currency_name(currency)} ({currency})"),
            (_("You send"), format_money(amount, currency)),
            (_("To address"), address),
        ]
        free = self._wallet.free_balance(currency)
        if free is not None and free >= amount:
            with money_context():
                left = free - amount
            rows.append((_("Available afterwards"), format_money(left, currency)))
        self.error_message.show_problem(None)
        self.confirm_dialog = confirm(
            self,
            lambda: self._send(attempt),
            title=_("Confirm withdrawal"),
            question=_("Send {money} to this address?").format(
                money=short_money(amount, currency)
            ),
            rows=rows,
            confirm_text=_("Send {money}").format(money=short_money(amount, currency)),
            note=_("This cannot be undone. Check the address: coins sent to a wrong address "
                   "are lost."),
            monospace_rows=[_("To address")],
        )
        self.confirm_dialog.finished.connect(self._on_confirm_closed)

    # -- sending --------------------------------------------------------------------------

    def _send(self, attempt: _Attempt) -> None:
        self._attempt = attempt
        self._set_sending(True, _("Sending…"))
        self.result_label.clear()
        self.error_message.show_problem(None)

        def send(client: CryptexClient) -> Withdrawal:
            pending = client.unconfirmed_transactions(currency=attempt.currency)
            attempt.known_txids.update(tx.txid for tx in pending if not tx.is_incoming)
            attempt.before.update(client.info().balances)
            return client.withdraw(attempt.amount, attempt.address, attempt.currency)

        self._dispatcher.submit(
            send,
            on_result=lambda _withdrawal: self._on_sent(attempt),
            on_error=lambda error: self._on_send_failed(attempt, error),
            priority=Priority.ACTION,
        )

    def _on_sent(self, attempt: _Attempt, finding: Finding | None = None) -> None:
        if attempt is not self._attempt:
            return
        self._attempt = None
        self._set_sending(False)
        known = CURRENCIES.get(attempt.currency)
        needed = known.confirmations if known else MOST_CONFIRMATIONS
        sentence = _(
            "{money} is on its way to {address}. It needs {n} confirmations; you can follow "
            "it on the Deposit tab."
        ).format(money=short_money(attempt.amount, attempt.currency), address=attempt.address,
                 n=needed)
        self.result_label.setText(f"{finding.detail} {sentence}" if finding else sentence)
        self.error_message.show_problem(None)
        self.address_edit.clear()
        self.amount_edit.clear()
        self._show_field_problems()
        self._refresher.request("balances", "deposit")

    def _on_send_failed(self, attempt: _Attempt, error: BaseException) -> None:
        if attempt is not self._attempt:
            return
        if isinstance(error, OutcomeUnknown):
            self._check_what_happened(attempt)
            return
        self._attempt = None
        self._set_sending(False)
        self.result_label.clear()
        self.error_message.show_problem(describe(error))
        self._refresher.request("balances")

    def _check_what_happened(self, attempt: _Attempt) -> None:
        log.info("withdrawal answer lost; checking the exchange")
        self.withdraw_button.set_busy(True, _("Checking…"))
        self.result_label.setText(_("Checking with the exchange what happened…"))
        self.error_message.show_problem(None)
        known = frozenset(attempt.known_txids)
        before = dict(attempt.before)
        self._dispatcher.submit(
            lambda client: check_withdraw(
                client, attempt.currency, attempt.amount, attempt.address, known, before
            ),
            on_result=lambda finding: self._on_checked(attempt, finding),
            on_error=lambda error: self._on_check_failed(attempt, error),
            priority=Priority.ACTION,
        )

    def _on_checked(self, attempt: _Attempt, finding: Finding) -> None:
        if attempt is not self._attempt:
            return
        if finding.happened:
            self._on_sent(attempt, finding)
            return
        self._attempt = None
        self._set_sending(False)
        self.result_label.clear()
        detail = finding.detail
        if finding.happened is False:
            detail = f"{detail} {_('Nothing was sent; you can try again.')}"
        self.error_message.show_problem(detail)
        self._refresher.request("balances", "deposit")

    def _on_check_failed(self, attempt: _Attempt, error: BaseException) -> None:
        if attempt is not self._attempt:
            return
        self._attempt = None
        self._set_sending(False)
        self.result_label.clear()
        self.error_message.show_problem(_(
            "The app could not check whether the withdrawal went through ({reason}) Before "
            "trying again, look at your balance and at the transactions on the Deposit tab."
        ).format(reason=describe(error)))
        self._refresher.request("balances", "deposit")

    # -- keeping the form honest ----------------------------------------------------------

    def _set_sending(self, sending: bool, busy_text: str | None = None) -> None:
        for widget in (self.currency_combo, self.address_edit):
            widget.setEnabled(not sending)
        self.amount.set_busy(sending)
        self.withdraw_button.set_busy(sending, busy_text)
        if not sending:
            self._on_input_changed()

    @Slot()
    def _on_confirm_closed(self) -> None:
        self.confirm_dialog = None

    @Slot()
    def _on_currency_changed(self) -> None:
        currency = self.currency()
        self._settings.set_view_state(self.NAME, "currency", currency)
        self.address_edit.set_currency(currency)
        self.amount.set_currency(currency)
        self._on_input_changed()

    @Slot()
    def _on_input_changed(self) -> None:
        self._show_field_problems()
        self._update_button()

    def _show_field_problems(self, force: bool = False) -> None:
        """Each field's sentence under it; an untouched empty field is not told off."""
        for edit, message in ((self.address_edit, self.address_message),
                              (self.amount_edit, self.amount_message)):
            if not force and not edit.text().strip():
                message.show_problem(None)
            else:
                message.show_field_state(edit, edit.problem())

    def _update_button(self) -> None:
        if not self.withdraw_button.is_busy():
            self.withdraw_button.setEnabled(self.is_form_valid())

    @Slot()
    def _on_client_changed(self) -> None:
        """Another account is in use: results for the old one will never arrive."""
        if self._attempt is not None:
            self._attempt = None
            self._set_sending(False)
            self.error_message.show_problem(_(
                "You switched accounts while a withdrawal was being sent. Switch back and look "
                "at that account's balance and Deposit tab to see whether it went through."
            ))
        else:
            self.error_message.show_problem(None)
        self.result_label.clear()
