"""Withdraw: send bitcoin or litecoin from this account to an address outside the exchange.

The address is checked (format and checksum) as it is typed and the amount against what is
available; nothing can be sent while either is wrong. A confirmation shows the full address
in monospace before anything leaves. Sending goes through one
:class:`~cryptex_desktop.ui.money_action.MoneyAction`: when the exchange's answer is lost,
the app never sends again, it looks for the outgoing transaction and says what it found.

Destinations sent to before make an address book (read from the account's journal on its
lane, kept in memory): they are offered as the address is typed, an optional name is saved
with a withdrawal, and the confirmation names the destination or says it is new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from cryptex_desktop.api.addresses import supports_addresses
from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import decimals_of, money_context
from cryptex_desktop.api.reconcile import Finding, check_withdraw
from cryptex_desktop.api.types import Transaction, Withdrawal
from cryptex_desktop.i18n import _, _n
from cryptex_desktop.journal import AddressBookEntry, Journal, LabelKind, WithdrawalIntent
from cryptex_desktop.journal.labels import looks_like_code
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dispatcher import Dispatcher
from cryptex_desktop.ui.formatting import currency_name, format_money, number_text
from cryptex_desktop.ui.journal_keeper import JournalKeeper, MoneyJournalHooks, journal_outcome
from cryptex_desktop.ui.models.address_book import (
    ADDRESS_ROLE,
    LABEL_ROLE,
    AddressBookModel,
    short_address,
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
from cryptex_desktop.ui.widgets.address_edit import AddressEdit
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.currency_combo import CurrencyCombo
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import buddy_label, stacked
from cryptex_desktop.ui.widgets.layout import button_row, form_layout, form_with_aside, help_panel
from cryptex_desktop.ui.widgets.message_room import MessageRoom
from cryptex_desktop.ui.widgets.report_label import ReportLabel
from cryptex_desktop.ui.widgets.spendable_amount import AVAILABLE_TIP, SpendableAmount

#: The contract's promise for a coin the app does not know.
MOST_CONFIRMATIONS = 6

#: The coins this screen can send: those the app can check addresses for.
WITHDRAW_CURRENCIES: tuple[str, ...] = tuple(c for c in CURRENCIES if supports_addresses(c))

#: The longest name a destination can be given.
NAME_LENGTH = 60


def new_destination_sentence() -> str:
    """The confirmation's warning for an address money was never sent to."""
    return _("You have not sent to this address before: check it character by character.")


def confirmations_sentence() -> str:
    """What a confirmation is, in words (shown in the help beside the form)."""
    return _(
        "What is a confirmation? One more block added to the coin's blockchain after the "
        "block that holds your transaction. After enough of them the transaction is final; "
        "you can follow it on the Deposit tab."
    )


def fiat_sentence() -> str:
    """Why dollars, euros and roubles are not offered here, and where to send them instead."""
    return _(
        "US dollars, euros and roubles cannot be sent to an address: withdraw them on "
        "cryptex.net by bank transfer, or give them to someone as a coupon on the Coupons tab."
    )


def short_money(amount: Decimal, currency: str) -> str:
    """An amount as a person typed it, with its code: ``0.5 BTC`` rather than ``0.50000000``."""
    return f"{number_text(amount, decimals_of(amount))} {currency}"


@dataclass(frozen=True)
class BeforeWithdrawing:
    """What the exchange showed just before sending, for the check after a lost answer.

    Outgoing transactions already pending, so a lost answer is only ever matched against a
    new one; and the free balances: unchanged and unlisted means it did not happen.
    """

    outgoing_txids: frozenset[str]
    balances: Mapping[str, Decimal]


def withdrawal_request(terms: WithdrawalIntent) -> MoneyRequest[BeforeWithdrawing, Withdrawal]:
    """Note what is pending, send the withdrawal once, and how to check it after a lost answer."""

    def note(client: CryptexClient) -> BeforeWithdrawing:
        pending = client.unconfirmed_transactions(currency=terms.currency)
        return BeforeWithdrawing(
            frozenset(tx.txid for tx in pending if not tx.is_incoming),
            MappingProxyType(dict(client.info().balances)),
        )

    def send(client: CryptexClient, _noted: BeforeWithdrawing) -> Withdrawal:
        return client.withdraw(terms.amount, terms.address, terms.currency)

    def check(client: CryptexClient, noted: BeforeWithdrawing) -> Finding:
        return check_withdraw(client, terms.currency, terms.amount, terms.address,
                              noted.outgoing_txids, noted.balances)

    return MoneyRequest(send=send, check=check, note=note)


def sent_sentence(terms: WithdrawalIntent) -> str:
    """The success sentence; the address itself is shown under it, in monospace."""
    known = CURRENCIES.get(terms.currency)
    needed = known.confirmations if known else MOST_CONFIRMATIONS
    return _n(
        "{money} is on its way to the address below. It needs {count} confirmation; you can "
        "follow it on the Deposit tab.",
        "{money} is on its way to the address below. It needs {count} confirmations; you can "
        "follow it on the Deposit tab.",
        needed,
    ).format(money=short_money(terms.amount, terms.currency), count=needed)


def withdraw_words() -> ActionWords:
    """What the Withdraw screen says at each step of sending."""
    return ActionWords(
        sending=_("Sending the withdrawal to the exchange…"),
        done=lambda terms, _answer: sent_sentence(terms),
        found=lambda terms, finding: f"{finding.detail} {sent_sentence(terms)}",
        not_done=_("Nothing was sent; you can try again."),
        check_failed=_(
            "The connection dropped, and the app could not find out from the exchange whether "
            "the withdrawal went through. Before trying again, look at your balance and at the "
            "transactions on the Deposit tab."
        ),
        switched=_(
            "You switched accounts while a withdrawal was being sent. Switch back and look at "
            "that account's balance and Deposit tab to see whether it went through."
        ),
    )


def begin_withdrawal(journal: Journal, terms: WithdrawalIntent) -> int:
    """The intent of a withdrawal, written before it is sent (on the worker)."""
    return journal.begin_withdrawal(terms)


def complete_withdrawal(journal: Journal, withdrawal_id: int, report: ActionReport) -> None:
    """A withdrawal's outcome, with its transaction when a check found it."""
    found = report.finding.found if report.finding is not None else None
    tx = found if isinstance(found, Transaction) else None
    journal.complete_withdrawal(withdrawal_id, journal_outcome(report.outcome),
                                tx.txid if tx is not None and tx.txid else None,
                                tx.confirmations if tx is not None else None)


class WithdrawScreen(Screen):
    """Send coins from this account to another wallet."""

    NAME = "withdraw"
    # Transitional: the main window reads these until it asks title() and tooltip().

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Withdraw")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Send coins from this account to another wallet")

    def __init__(
        self,
        dispatcher: Dispatcher,
        wallet: WalletState,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        journal: JournalKeeper | None = None,
    ) -> None:
        super().__init__(
            _("Withdraw coins"),
            _("Send bitcoin or litecoin from your Cryptex account to a wallet outside it. "
              "Copy the address from the receiving wallet and paste it here."),
            parent,
        )
        self._wallet = wallet
        self._refresher = refresher
        self._settings = settings
        self._journal = journal
        #: Destinations sent to before, every coin's (the address field offers this coin's).
        self.address_book = AddressBookModel(self)
        self._auto_name = ""  # the name last filled in for a known address, not typed
        #: The confirmation open now, if any (tests read it as a person would).
        self.confirm_dialog: ConfirmDialog | None = None
        hooks = (None if journal is None
                 else MoneyJournalHooks(journal, begin_withdrawal, complete_withdrawal))
        self.action = MoneyAction(dispatcher, withdraw_words(), self, journal_hooks=hooks)
        self._build()
        self._restore_currency()
        self.action.busyChanged.connect(self._set_sending)
        self.action.progress.connect(self._on_progress)
        self.action.finished.connect(self._on_finished)
        wallet.changed.connect(self._on_wallet_changed)
        if journal is not None:
            journal.changed.connect(self._on_journal_changed)
        # Until the main window calls account_changed() itself; calling it twice is harmless.
        self._on_currency_changed()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.currency_combo = CurrencyCombo(WITHDRAW_CURRENCIES)
        self.currency_combo.setToolTip(_("The coin to send"))
        self.currency_combo.setAccessibleName(_("Coin to send"))

        self.address_edit = AddressEdit()
        self.address_edit.setToolTip(_(
            "The receiving wallet's address. Copy and paste it rather than typing it: the app "
            "checks every character, but cannot know whether the address is the right one."
        ))
        self.address_edit.setAccessibleName(_("Address to send to"))
        self.address_message = FieldMessage()
        self.address_message.setAccessibleName(_("Address check"))
        self.address_edit.offer_destinations(self.address_book, ADDRESS_ROLE)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(NAME_LENGTH)
        self.name_edit.setPlaceholderText(_("Optional, for example Savings"))
        self.name_edit.setToolTip(_(
            "A name for this address, so that you can find it again by typing the name next "
            "time. It is kept on this computer only."
        ))
        self.name_edit.setAccessibleName(_("Name of this address"))
        self.name_message = FieldMessage()
        self.name_message.setAccessibleName(_("Name check"))
        self.forget_name_button = QPushButton(_("F&orget name…"))
        self.forget_name_button.setAutoDefault(False)
        self.forget_name_button.setToolTip(_(
            "Remove the name saved for this address. The address stays among the ones you "
            "sent to, without a name."
        ))
        self.forget_name_button.setAccessibleName(_("Forget the name of this address"))
        self.forget_name_button.setEnabled(False)
        self.forget_name_button.clicked.connect(self.ask_to_forget_name)
        #: The "Forget this name?" question open now, if any (tests read it as a person would).
        self.forget_name_dialog: ConfirmDialog | None = None

        self.amount = SpendableAmount(self._wallet, _("Send everything that is available"))
        self.amount_edit = self.amount.amount_edit
        self.amount_edit.setAccessibleName(_("Amount to send"))
        self.max_button = self.amount.max_button
        self.available_label = self.amount.available_label
        self.amount_message = FieldMessage()
        self.amount_message.setAccessibleName(_("Amount check"))

        self.withdraw_button = BusyButton(_("&Withdraw…"), busy_text=_("Sending…"))
        self.withdraw_button.setToolTip(_("Check the details in a confirmation, then send (Enter)"))
        self.withdraw_button.setAccessibleName(_("Withdraw"))
        self.withdraw_button.setAutoDefault(False)
        self.result_label = ReportLabel()
        self.result_label.setAccessibleName(_("Outcome of the withdrawal"))
        self.sent_address_label = QLabel()
        self.sent_address_label.setFont(monospace_font())
        self.sent_address_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sent_address_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.sent_address_label.setAccessibleName(_("Address the coins were sent to"))
        self.sent_address_label.hide()

        form = form_layout()
        form.addRow(buddy_label(_("&Currency:"), self.currency_combo), self.currency_combo)
        # Room for two lines under the address, so the Amount row never moves when one shows.
        form.addRow(buddy_label(_("&Address:"), self.address_edit),
                    stacked(self.address_edit, MessageRoom(self.address_message, 2)))
        name_line = QHBoxLayout()
        name_line.setSpacing(6)
        name_line.addWidget(self.name_edit, 1)
        name_line.addWidget(self.forget_name_button)
        form.addRow(buddy_label(_("&Name:"), self.name_edit),
                    stacked(name_line, self.name_message))
        form.addRow(buddy_label(_("A&mount:"), self.amount_edit),
                    stacked(self.amount, MessageRoom(self.amount_message, 2)))
        form.addRow("", stacked(button_row(self.withdraw_button), self.result_label,
                                self.sent_address_label))

        self.help = help_panel(
            _("Before you send"),
            _("Copy the address from the receiving wallet and paste it; the app checks every "
              "character as you type. Coins sent to a wrong address are lost, and a "
              "withdrawal cannot be undone."),
            confirmations_sentence(),
            _(AVAILABLE_TIP),
            fiat_sentence(),
        )
        self.fiat_note = next(label for label in self.help.findChildren(QLabel)
                              if label.text() == fiat_sentence())
        self.body.addLayout(form_with_aside(form, self.help))
        self.body.addStretch(1)

        self.currency_combo.currentIndexChanged.connect(self._on_currency_changed)
        self.address_edit.textChanged.connect(self._on_address_changed)
        self.address_edit.destinationChosen.connect(self._on_destination_chosen)
        self.name_edit.textChanged.connect(self._on_input_changed)
        self.name_edit.returnPressed.connect(self.request_withdraw)
        self.amount.changed.connect(self._on_input_changed)
        self.address_edit.returnPressed.connect(self.request_withdraw)
        self.amount_edit.returnPressed.connect(self.request_withdraw)
        self.withdraw_button.clicked.connect(self.request_withdraw)
        QWidget.setTabOrder(self.currency_combo, self.address_edit)
        QWidget.setTabOrder(self.address_edit, self.name_edit)
        QWidget.setTabOrder(self.name_edit, self.forget_name_button)
        QWidget.setTabOrder(self.forget_name_button, self.amount_edit)
        QWidget.setTabOrder(self.amount_edit, self.max_button)
        QWidget.setTabOrder(self.max_button, self.withdraw_button)
        QWidget.setTabOrder(self.withdraw_button, self.sent_address_label)

    def _restore_currency(self) -> None:
        remembered = str(self._settings.view_state(self.NAME, "currency",
                                                   WITHDRAW_CURRENCIES[0]))
        if not self.currency_combo.set_code(remembered):
            self.currency_combo.setCurrentIndex(0)

    # -- the screen's public face ---------------------------------------------------------

    def refresh(self) -> None:
        """What is available comes from the shared wallet state; ask it for fresh balances."""
        self._wallet.refresh()

    def account_changed(self) -> None:
        """Another account: its outcome sentences and address book go; what is typed stays."""
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()  # confirmed for the old account: never send it here
        self.address_book.forget()
        self._show_outcome(None)
        self._show_field_problems()
        self._read_address_book()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown: read the address book again (another screen may have named an address)."""
        super().showEvent(event)
        self._read_address_book()

    def name(self) -> str:
        """The name typed for the destination ("" when none)."""
        return " ".join(self.name_edit.text().split())

    def name_problem(self) -> str | None:
        """What is wrong with the name, if anything (a coupon code is never written down)."""
        if looks_like_code(self.name_edit.text()):
            return _("This looks like a coupon code: give the address another name, so that "
                     "the code is not written on this computer.")
        return None

    def currency(self) -> str:
        """The coin chosen to send."""
        return self.currency_combo.code()

    def sent_address(self) -> str:
        """The address under the success sentence ("" when none is shown)."""
        return self.sent_address_label.text() if self.sent_address_label.isVisible() else ""

    def is_form_valid(self) -> bool:
        """Whether the address and the amount can both be sent as they stand."""
        return (self.address_edit.address() is not None and self.amount_edit.amount() is not None
                and self.name_problem() is None)

    @Slot()
    def fill_max(self) -> None:
        """Put everything available (rounded down to the coin's decimals) in the amount."""
        self.amount.fill_max()

    @Slot()
    def request_withdraw(self) -> None:
        """The primary action (button or Enter): open the confirmation if the form is valid."""
        if self.action.is_busy() or self.confirm_dialog is not None:
            return
        if self.address_edit.is_suggesting():
            return  # Enter in the list of saved addresses chooses one; it does not send
        if not self.is_form_valid():
            self._show_field_problems(force=True)
            return
        amount = self.amount_edit.amount()
        address = self.address_edit.address()
        assert amount is not None and address is not None
        label = self.name() or self.address_book.label_of(address)
        terms = WithdrawalIntent(self.currency(), amount, address, label)
        currency = terms.currency
        rows = [
            (_("Coin"), f"{currency_name(currency)} ({currency})"),
            (_("You send"), format_money(amount, currency)),
        ]
        if label:
            rows.append((_("To"), _("{name} ({address})").format(
                name=label, address=short_address(address))))
        rows.append((_("To address"), address))
        # Said only when the journal answered: without it, the app cannot know.
        is_new = self.address_book.loaded and not self.address_book.is_known(address)
        money = short_money(amount, currency)
        question = (_("Send {money} to {name}?").format(money=money, name=label) if label
                    else _("Send {money} to this address?").format(money=money))
        free = self._wallet.free_balance(currency)
        if free is not None and free >= amount:
            with money_context():
                left = free - amount
            rows.append((_("Available afterwards"), format_money(left, currency)))
        self.confirm_dialog = confirm(
            self,
            lambda: self.action.start(terms, withdrawal_request(terms)),
            title=_("Confirm withdrawal"),
            question=question,
            rows=rows,
            confirm_text=_("Send {money}").format(money=short_money(amount, currency)),
            note=_("This cannot be undone. Check the address: coins sent to a wrong address "
                   "are lost."),
            monospace_rows=[_("To address")],
            warnings=[new_destination_sentence()] if is_new else [],
        )
        self.confirm_dialog.finished.connect(self._on_confirm_closed)

    # -- sending --------------------------------------------------------------------------

    @Slot(str)
    def _on_progress(self, sentence: str) -> None:
        self._show_outcome(None)
        self.result_label.show_result(sentence)
        if self.action.is_checking():
            self.withdraw_button.set_busy(True, _("Checking…"))

    @Slot(object)
    def _on_finished(self, report: ActionReport) -> None:
        terms: WithdrawalIntent = report.subject
        if report.done:
            self.address_book.note_sent(terms.currency, terms.address, terms.label)
            self.address_edit.clear()
            self.name_edit.clear()
            self.amount_edit.clear()
            self._show_field_problems()
        self._show_outcome(report, address=terms.address if report.done else "")
        self._refresher.request("balances", "deposit")

    def _show_outcome(self, report: ActionReport | None, *, address: str = "") -> None:
        """The outcome's sentence in its tone (None clears), and the address of a success."""
        self.result_label.show_report(report)
        self.sent_address_label.setText(address)
        self.sent_address_label.setVisible(bool(address))

    # -- keeping the form honest ----------------------------------------------------------

    @Slot(bool)
    def _set_sending(self, sending: bool) -> None:
        for widget in (self.currency_combo, self.address_edit, self.name_edit):
            widget.setEnabled(not sending)
        self.amount.set_busy(sending)
        self.withdraw_button.set_busy(sending, _("Sending…") if sending else None)
        if not sending:
            self._update_button()

    @Slot()
    def _on_confirm_closed(self) -> None:
        self.confirm_dialog = None

    @Slot()
    def _on_currency_changed(self) -> None:
        currency = self.currency()
        self._settings.set_view_state(self.NAME, "currency", currency)
        self.address_edit.set_currency(currency)
        self.address_book.set_currency(currency)
        self.amount.set_currency(currency)
        self._on_input_changed()

    # -- the address book -----------------------------------------------------------------

    def _read_address_book(self) -> None:
        """Ask the journal (on its lane) for every destination sent to before."""
        if self._journal is not None:
            self._journal.read(lambda journal: journal.address_book(), self._on_address_book)

    def _on_address_book(self, entries: list[AddressBookEntry]) -> None:
        self.address_book.set_entries(entries)
        self._fill_known_name()
        self._update_forget_name()

    def _saved_name(self) -> tuple[str, str] | None:
        """The address in the field and the name saved for it, when it has one."""
        address = self.address_edit.address()
        label = self.address_book.label_of(address) if address is not None else ""
        return (address, label) if address is not None and label else None

    def _update_forget_name(self) -> None:
        self.forget_name_button.setEnabled(self._journal is not None
                                           and self._saved_name() is not None)

    @Slot()
    def ask_to_forget_name(self) -> None:
        """Forget name…: after a confirmation, the address's saved name is removed."""
        saved = self._saved_name()
        if saved is None or self._journal is None or self.forget_name_dialog is not None:
            return
        address, label = saved
        journal = self._journal

        def forget() -> None:
            journal.record(lambda j: j.set_label(LabelKind.ADDRESS, address, ""))
            self.result_label.show_result(
                _("The name “{name}” is forgotten.").format(name=label))

        self.forget_name_dialog = confirm(
            self, forget,
            title=_("Forget this name?"),
            question=_("Forget the name “{name}” of this address?").format(name=label),
            rows=[(_("Name"), label), (_("Address"), address)],
            monospace_rows=[_("Address")],
            confirm_text=_("&Forget name"),
            note=_("The address stays among the ones you sent to, without a name. Nothing is "
                   "sent and no money moves. You can name it again when you next send to it."),
        )
        self.forget_name_dialog.finished.connect(self._on_forget_name_closed)

    @Slot()
    def _on_forget_name_closed(self) -> None:
        self.forget_name_dialog = None

    @Slot()
    def _on_journal_changed(self) -> None:
        if self.isVisible():  # hidden, it reads again when shown
            self._read_address_book()

    @Slot(QModelIndex)
    def _on_destination_chosen(self, index: QModelIndex) -> None:
        """A saved destination chosen: its name comes with it."""
        label = index.data(LABEL_ROLE)
        if isinstance(label, str) and label and (not self.name() or self.name() == self._auto_name):
            self._auto_name = label
            self.name_edit.setText(label)

    @Slot()
    def _on_address_changed(self) -> None:
        self._fill_known_name()
        self._update_forget_name()
        self._on_input_changed()

    def _fill_known_name(self) -> None:
        """A known address pasted or chosen shows its name; a name typed by hand stays."""
        address = self.address_edit.address()
        label = self.address_book.label_of(address) if address is not None else ""
        typed = self.name()
        if typed and typed != self._auto_name:
            return
        if label != typed:
            self._auto_name = label
            self.name_edit.setText(label)

    @Slot()
    def _on_input_changed(self) -> None:
        """An edit: a refusal was about what was typed before, so it goes."""
        self.result_label.forget_problem()
        self._show_field_problems()
        self._update_button()

    @Slot()
    def _on_wallet_changed(self) -> None:
        """Balances came in: the exchange can be reached again, and the limit may differ."""
        if self._wallet.known:
            self.result_label.exchange_answered()
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
        problem = self.name_problem()
        self.name_message.show_problem(problem)
        self.name_message.setVisible(problem is not None)  # rare: no room kept for it

    def _update_button(self) -> None:
        if not self.action.is_busy():
            self.withdraw_button.setEnabled(self.is_form_valid())
