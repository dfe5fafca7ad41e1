"""Deposit: get an address to send coins to, see them arrive, and check an address later.

Bitcoin and Litecoin arrive at addresses the exchange issues; each address is shown as text
and as a QR code holding only the address. US dollars, euros and roubles come in another
way, which the screen explains instead.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.addresses import InvalidAddress, supports_addresses, validate_address
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.errors import ConnectError, ExchangeRefusal, RequestTimeout
from cryptex_desktop.api.money import to_wire
from cryptex_desktop.api.types import Deposit, DepositAddress, DepositStatus, Transaction
from cryptex_desktop.journal import Journal
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe, describe_action_failure
from cryptex_desktop.ui.formatting import currency_name
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.journal_keeper import JournalKeeper
from cryptex_desktop.ui.models import SortFilterProxy, TransactionsModel
from cryptex_desktop.ui.models.transactions import ADDRESS, TXID
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.currency_combo import CurrencyCombo
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import ResultLabel, buddy_label, heading_label, muted_label
from cryptex_desktop.ui.widgets.qr_code import QrCodeWidget
from cryptex_desktop.ui.widgets.record_list import RecordList

FIAT_EXPLANATION = _(
    "US dollars, euros and roubles are deposited on cryptex.net by bank transfer, or by "
    "redeeming a coupon on the Coupons tab."
)
#: The address, its sentences and buttons take at most this width; the QR code comes next.
DETAILS_MAX_WIDTH = 760

NOTHING_YET = _("Nothing has arrived at this address yet.")
CONFIRMATIONS_TIP = _(
    "A confirmation is a block mined on top of the transaction that brings your coins. "
    "The more there are, the surer it is that the payment cannot be undone, so the exchange "
    "waits for a few before it adds the coins to your balance."
)


def confirmations_rule_sentence(demo: bool) -> str:
    """What a confirmation is, said on the screen (not only on hover); the demo's own pace."""
    if not demo:
        return CONFIRMATIONS_TIP
    return CONFIRMATIONS_TIP + " " + _(
        "On the demo exchange a block is mined every few seconds, so practice deposits are "
        "credited within a minute."
    )

# How the sandbox (and, we expect, cryptex.net) words "no deposit to this address yet".
_NO_DEPOSIT_WORDS = ("no deposit",)


def coin_title(currency: str) -> str:
    """``"BTC"`` -> ``"Bitcoin (BTC)"``."""
    return f"{currency_name(currency)} ({currency})"


def _amount_text(amount: Decimal, currency: str) -> str:
    """The exact amount, as few digits as it needs: ``0.25 BTC``."""
    return f"{to_wire(amount)} {currency}"


def _minutes_text(minutes: Decimal) -> str:
    return to_wire(minutes)


def send_only_sentence(currency: str) -> str:
    """What may be sent to an address of ``currency``, and when it is credited."""
    rule = CURRENCIES.get(currency)
    if rule is None or not rule.confirmations:
        return _("Send only {coin} to this address.").format(coin=coin_title(currency))
    return _(
        "Send only {coin} to this address. It is credited after {n} confirmations "
        "(about {minutes} minutes on the real network)."
    ).format(coin=coin_title(currency), n=rule.confirmations,
             minutes=_minutes_text(rule.confirmation_minutes))


def deposit_sentence(deposit: Deposit, currency: str) -> str:
    """What the latest deposit to an address means for the person, in one or two sentences."""
    amount = _amount_text(deposit.amount, currency)
    if deposit.is_credited:
        return _("{amount} was credited to your balance.").format(amount=amount)
    rule = CURRENCIES.get(currency)
    if rule is None or not rule.confirmations:
        return _("{amount} arrived: {got} confirmations so far. It is not credited yet.").format(
            amount=amount, got=deposit.confirmations
        )
    if deposit.confirmations >= rule.confirmations:
        return _(
            "{amount} arrived: {got} confirmations. The exchange should credit it any moment."
        ).format(amount=amount, got=deposit.confirmations)
    return _(
        "{amount} arrived: {got} of {needed} confirmations. It will be credited after {needed}."
    ).format(amount=amount, got=deposit.confirmations, needed=rule.confirmations)


def is_nothing_yet(error: BaseException) -> bool:
    """Whether a DepositInfo refusal only means that no deposit has come to the address."""
    return isinstance(error, ExchangeRefusal) and any(
        words in error.reason.lower() for words in _NO_DEPOSIT_WORDS
    )


class DepositScreen(Screen):
    """Get an address to send coins to this account, and watch them arrive."""

    NAME = "deposit"
    # Transitional: the main window reads these until it asks title() and tooltip().

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Deposit")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Get an address to send coins to this account")

    def __init__(
        self,
        dispatcher: Dispatcher,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        is_demo: Callable[[], bool] | None = None,
        journal: JournalKeeper | None = None,
    ) -> None:
        super().__init__(
            _("Deposit"),
            _("Choose a coin and get an address for it. Whatever is sent to that address is "
              "added to your Cryptex balance once the network has confirmed it."),
            parent,
        )
        self._dispatcher = dispatcher
        self._refresher = refresher
        self._settings = settings
        # Whether the connection is the demo exchange; unknown means the neutral wording.
        self._is_demo = is_demo or (lambda: False)
        self._journal = journal
        #: Addresses issued in this session, newest first, with their currency.
        self._addresses: dict[str, str] = {}
        self.model = TransactionsModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self._loaded = False
        #: Problem sentences on show that only said the exchange could not be reached.
        self._unreachable_said: dict[ResultLabel, bool] = {}
        self._build()
        self._wire()
        remembered = str(settings.view_state(self.NAME, "currency", "BTC"))
        if not self.currency_combo.set_code(remembered):
            self.currency_combo.setCurrentIndex(0)
        self._show_currency()
        self._on_session_choice()
        self._show_transactions_state()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.currency_combo = CurrencyCombo()
        for index, code in enumerate(self.currency_combo.codes()):
            tip = (_("Deposited at an address you get here.") if supports_addresses(code)
                   else _("Not deposited at an address; see the explanation."))
            self.currency_combo.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
        self.currency_combo.setMinimumWidth(220)
        self.currency_combo.setAccessibleName(_("Coin to deposit"))
        currency_label = buddy_label(_("&Currency:"), self.currency_combo)
        self.new_address_button = BusyButton(
            _("&Get a new address"), busy_text=_("Getting an address…")
        )
        self.new_address_button.setToolTip(_(
            "Ask the exchange for a fresh address of this coin. Older addresses keep working."
        ))
        self.new_address_button.setAccessibleName(_("Get a new address"))
        picker = QHBoxLayout()
        picker.setSpacing(10)
        picker.addWidget(currency_label)
        picker.addWidget(self.currency_combo)
        picker.addWidget(self.new_address_button)
        picker.addStretch(1)

        self.fiat_label = QLabel(FIAT_EXPLANATION)
        self.fiat_label.setWordWrap(True)

        # -- the address card
        self.address_title = heading_label("", 1.0)
        self.address_label = QLabel()
        self.address_label.setTextFormat(Qt.TextFormat.PlainText)
        self.address_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.address_label.setFont(monospace_font(1.15))
        self.address_label.setWordWrap(False)  # an address is one unbroken word
        # Never narrower than the whole address: a clipped address looks like a whole one.
        self.address_label.setSizePolicy(QSizePolicy.Policy.Minimum,
                                         QSizePolicy.Policy.Preferred)
        self.address_label.setToolTip(_("Copy it with Copy address (Ctrl+Shift+C)."))
        self.address_label.setAccessibleName(_("Deposit address"))
        self.copy_button = QPushButton(_("Cop&y address"))
        self.copy_button.setToolTip(_("Put the address on the clipboard (Ctrl+Shift+C)."))
        self.copy_button.setAccessibleName(_("Copy address"))
        address_row = QHBoxLayout()
        address_row.setSpacing(10)
        address_row.addWidget(self.address_label)
        address_row.addWidget(self.copy_button)
        address_row.addStretch(1)
        self.send_only_label = QLabel()
        self.send_only_label.setWordWrap(True)
        # What a confirmation is, on the screen: a person with only a keyboard reads it too.
        self.rules_label = muted_label()
        self.address_message = ResultLabel(reserve_lines=1)
        self.address_message.setAccessibleName(_("Address news"))

        self.qr = QrCodeWidget()
        self.qr.setMinimumSize(210, 210)
        self.qr.setMaximumSize(240, 240)
        self.qr.setToolTip(_("Scan this with your wallet app: it holds the address only."))

        details = QVBoxLayout()
        details.setSpacing(8)
        details.addLayout(picker)
        details.addWidget(self.fiat_label)
        details.addSpacing(4)
        details.addWidget(self.address_title)
        details.addLayout(address_row)
        details.addWidget(self.send_only_label)
        details.addWidget(self.rules_label)
        details.addWidget(self.address_message)
        details.addStretch(1)
        details_holder = QWidget()
        details_holder.setLayout(details)
        details.setContentsMargins(0, 0, 0, 0)
        details_holder.setMaximumWidth(DETAILS_MAX_WIDTH)  # the QR code stays beside the address
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addWidget(details_holder, 1)
        top.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        top.addStretch(0)

        # -- checking an address of this session
        self.session_combo = QComboBox()
        self.session_combo.setFont(monospace_font())
        self.session_combo.setPlaceholderText(_("No address yet in this session"))
        self.session_combo.setToolTip(_("The addresses you got since you opened the app."))
        self.session_combo.setAccessibleName(_("Addresses from this session"))
        self.session_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.session_combo.setMinimumContentsLength(30)
        session_label = buddy_label(_("Addresses from this &session:"), self.session_combo)
        self.check_button = BusyButton(_("Chec&k this address"), busy_text=_("Checking…"))
        self.check_button.setToolTip(_("Ask the exchange whether anything arrived at it."))
        self.check_button.setAccessibleName(_("Check this address"))
        check_row = QHBoxLayout()
        check_row.setSpacing(10)
        check_row.addWidget(session_label)
        check_row.addWidget(self.session_combo, 1)
        check_row.addWidget(self.check_button)
        check_row.addStretch(0)  # on a wide window the rest stays empty, the button near its list
        self.session_combo.setMaximumWidth(DETAILS_MAX_WIDTH)
        self.check_message = ResultLabel(reserve_lines=1)
        self.check_message.setAccessibleName(_("What arrived at the address"))

        # -- transactions on their way
        transactions_heading = heading_label(_("Incoming and outgoing transactions"), 1.0)
        transactions_note = muted_label(_(
            "Deposits on their way in and withdrawals on their way out, until they have "
            "enough confirmations. To copy a row with its whole transaction id, select it and "
            "press Ctrl+C."
        ))
        self.transactions = RecordList(self.proxy, accessible_name=_("Transactions on their way"))
        self.table = self.transactions.table  # newest first; column settings need the model
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ADDRESS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TXID, QHeaderView.ResizeMode.ResizeToContents)

        self.body.addLayout(top)
        self.body.addLayout(check_row)
        self.body.addWidget(self.check_message)
        self.body.addWidget(transactions_heading)
        self.body.addWidget(transactions_note)
        self.body.addWidget(self.transactions, 1)

        self.setTabOrder(self.currency_combo, self.new_address_button)
        self.setTabOrder(self.new_address_button, self.address_label)
        self.setTabOrder(self.address_label, self.copy_button)
        self.setTabOrder(self.copy_button, self.session_combo)
        self.setTabOrder(self.session_combo, self.check_button)
        self.setTabOrder(self.check_button, self.table)

        # A window shortcut of a hidden tab does not fire, so other screens may use it too.
        self.copy_shortcut = QShortcut(QKeySequence("Ctrl+Shift+C"), self)

    def _wire(self) -> None:
        self.currency_combo.currentIndexChanged.connect(self._on_currency_changed)
        self.new_address_button.clicked.connect(self.request_address)
        self.copy_button.clicked.connect(self.copy_address)
        self.copy_shortcut.activated.connect(self.copy_address)
        self.check_button.clicked.connect(self.check_address)
        self.session_combo.currentIndexChanged.connect(self._on_session_choice)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._show_transactions_state)
        self.transactions.retryRequested.connect(self.refresh)
        # Until the main window calls account_changed() itself; calling it twice is harmless.

    # -- reading the screen -----------------------------------------------------------------

    def currency(self) -> str:
        """The code of the currency chosen, e.g. ``"BTC"``."""
        return str(self.currency_combo.currentData())

    def shown_address(self) -> str:
        """The address on show (text and QR code), or ``""`` when there is none."""
        return self.qr.text()

    def session_addresses(self) -> dict[str, str]:
        """The addresses issued in this session, newest first, each with its currency."""
        return dict(self._addresses)

    # -- the chosen currency ----------------------------------------------------------------

    @Slot()
    def _on_currency_changed(self) -> None:
        self._settings.set_view_state(self.NAME, "currency", self.currency())
        self.address_message.clear_message()
        self._show_currency()

    def _show_currency(self) -> None:
        currency = self.currency()
        has_addresses = supports_addresses(currency)
        self.fiat_label.setVisible(not has_addresses)
        for widget in (
            self.new_address_button,
            self.address_title,
            self.address_label,
            self.copy_button,
            self.send_only_label,
            self.rules_label,
            self.qr,
        ):
            widget.setVisible(has_addresses)
        if not has_addresses:
            return
        self.address_title.setText(
            _("Your {coin} deposit address").format(coin=coin_title(currency))
        )
        self.send_only_label.setText(send_only_sentence(currency))
        self.rules_label.setText(confirmations_rule_sentence(self._is_demo()))
        latest = next((a for a, c in self._addresses.items() if c == currency), "")
        self._show_address(latest)

    def _show_address(self, address: str) -> None:
        self.qr.set_text(address)
        self.copy_button.setEnabled(bool(address))
        if address:
            self.address_label.setText(address)
            self.address_label.setEnabled(True)
        else:
            self.address_label.setText(_("Press “Get a new address” to get one."))
            self.address_label.setEnabled(False)

    # -- getting an address -----------------------------------------------------------------

    @Slot()
    def request_address(self) -> None:
        """Ask the exchange for a fresh address of the chosen coin."""
        currency = self.currency()
        if (
            not supports_addresses(currency)
            or self.new_address_button.is_busy()
            or self._dispatcher.client is None
        ):
            return
        self.new_address_button.set_busy(True)
        self.address_message.clear_message()
        self._dispatcher.submit(
            lambda client: client.get_new_address(currency),
            on_result=self._on_address,
            on_error=self._on_address_error,
            priority=Priority.ACTION,
        )

    def _on_address(self, result: DepositAddress) -> None:
        self.new_address_button.set_busy(False)
        try:
            # An address the app cannot check must not be shown: coins sent there could be lost.
            validate_address(result.currency, result.address)
        except InvalidAddress:
            self.address_message.show_problem(_(
                "The exchange sent an address that is not a valid {coin} address, so it is not "
                "shown. Do not send anything; try again, or contact Cryptex support."
            ).format(coin=coin_title(result.currency)))
            return
        self._addresses = {result.address: result.currency, **self._addresses}
        if self._journal is not None:
            got = result
            self._journal.record(lambda journal: journal.record_address(got.currency, got.address))
        self.session_combo.insertItem(0, f"{result.currency}  {result.address}", result.address)
        self.session_combo.setCurrentIndex(0)
        coin = coin_title(result.currency)
        if result.currency == self.currency():
            self._show_address(result.address)
            self.address_message.show_result(_("Here is your new {coin} address.").format(
                coin=coin
            ))
        else:
            self.address_message.show_result(_(
                "Your new {coin} address is ready; choose {coin} above to see it."
            ).format(coin=coin))

    def _on_address_error(self, error: BaseException) -> None:
        self.new_address_button.set_busy(False)
        # Asked for by the person: the app will not ask again by itself, so say what to do.
        self.address_message.show_problem(describe_action_failure(error))
        self._unreachable_said[self.address_message] = _is_unreachable(error)

    @Slot()
    def copy_address(self) -> None:
        """Put the address on show on the clipboard (Ctrl+Shift+C)."""
        address = self.shown_address()
        if not address or not self.copy_button.isVisible():
            self.address_message.show_problem(_("There is no address to copy yet."))
            return
        QGuiApplication.clipboard().setText(address)
        self.address_message.show_result(_("Address copied."))

    # -- checking an address ----------------------------------------------------------------

    @Slot()
    def _on_session_choice(self) -> None:
        self.check_button.setEnabled(self.session_combo.currentIndex() >= 0)
        self.check_message.clear_message()

    @Slot()
    def check_address(self) -> None:
        """Ask the exchange what arrived at the session address chosen."""
        address = self.session_combo.currentData()
        if not address or self.check_button.is_busy() or self._dispatcher.client is None:
            return
        currency = self._addresses.get(address, "")
        self.check_button.set_busy(True)
        self.check_message.clear_message()
        self._dispatcher.submit(
            lambda client: client.deposit_info(address),
            on_result=lambda deposit: self._on_checked(deposit, currency),
            on_error=self._on_check_error,
            priority=Priority.ACTION,
        )

    def _on_checked(self, deposit: Deposit, currency: str) -> None:
        self.check_button.set_busy(False)
        self.check_message.show_result(deposit_sentence(deposit, currency))
        if self._journal is not None and currency:
            self._journal.record(lambda journal: journal.record_deposit_seen(currency, deposit))
        self.refresh()
        if deposit.is_credited:
            self._refresher.request("balances")

    def _on_check_error(self, error: BaseException) -> None:
        self.check_button.set_busy(False)
        if is_nothing_yet(error):
            self.check_message.show_result(NOTHING_YET)
        else:
            self.check_message.show_problem(describe_action_failure(error))
            self._unreachable_said[self.check_message] = _is_unreachable(error)

    # -- transactions -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Queue a request for the transactions still gaining confirmations; returns at once."""
        if self._dispatcher.client is None:
            return
        self._dispatcher.submit(
            _read_transactions,
            on_result=self._on_transactions,
            on_error=self._on_transactions_error,
            priority=Priority.REFRESH,
            key="deposit",
        )

    def _on_transactions(self, transactions: list[Transaction]) -> None:
        was_incoming = {(t.currency, t.id) for t in self.model.records() if t.is_incoming}
        still_incoming = {(t.currency, t.id) for t in transactions if t.is_incoming}
        if was_incoming - still_incoming:
            self._refresher.request("balances")  # a deposit left the list: it was credited
        self.model.update(transactions)
        self._loaded = True
        incoming = [t for t in transactions if t.is_incoming]
        if incoming and self._journal is not None:
            self._journal.record(lambda journal: record_deposits_seen(journal, incoming))
        # The exchange answered: a "could not reach it" said earlier is no longer true.
        for label, unreachable in self._unreachable_said.items():
            if unreachable and label.is_problem():
                label.clear_message()
        self._unreachable_said.clear()
        self._show_transactions_state()

    def _on_transactions_error(self, error: BaseException) -> None:
        if not self.proxy.rowCount():
            self.transactions.show_problem(
                _("Could not load the transactions: {reason}").format(reason=describe(error)))

    @Slot()
    def _show_transactions_state(self, *_args: object) -> None:
        if self.proxy.rowCount():
            self.transactions.show_table()
            return
        self.transactions.show_empty(
            _("Nothing is on its way in or out right now.") if self._loaded
            else _("Loading transactions…")
        )

    def account_changed(self) -> None:
        """Another account: the addresses and transactions shown were the old one's."""
        # The old client's calls are dropped without a callback: nothing is waiting any more.
        self.new_address_button.set_busy(False)
        self.check_button.set_busy(False)
        self._addresses = {}
        self.session_combo.clear()
        self.check_message.clear_message()
        self.address_message.clear_message()
        self.model.clear()
        self._loaded = False
        self._show_currency()
        self._on_session_choice()
        self._show_transactions_state()


def record_deposits_seen(journal: Journal, incoming: list[Transaction]) -> bool:
    """Write down the deposits on their way in (on the journal's lane); True if any changed."""
    changed = False
    for tx in incoming:
        deposit = Deposit(tx.address, DepositStatus.WAITING, tx.amount, tx.confirmations, tx.txid)
        changed = journal.record_deposit_seen(tx.currency, deposit) or changed
    return changed


def _is_unreachable(error: BaseException) -> bool:
    return isinstance(error, ConnectError | RequestTimeout)


def _read_transactions(client: Any) -> list[Transaction]:
    return client.unconfirmed_transactions()
