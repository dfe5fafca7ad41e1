"""Deposit: get an address to send coins to, see them arrive, and check an address later.

Bitcoin and Litecoin arrive at addresses the exchange issues; each address is shown as text
and as a QR code holding only the address. The screen opens on the chosen coin's newest
address, also after a restart: every address got is in the journal, read on its lane, and
listed with the name the person gave it, its last deposit and that deposit's confirmations.
US dollars, euros and roubles come in another way, which the screen explains instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.addresses import InvalidAddress, supports_addresses, validate_address
from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.errors import ConnectError, ExchangeRefusal, RequestTimeout
from cryptex_desktop.api.types import Deposit, DepositAddress, DepositStatus, Transaction
from cryptex_desktop.i18n import N_, _, _n
from cryptex_desktop.journal import Journal, LabelKind
from cryptex_desktop.journal.labels import looks_like_code
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe, describe_action_failure
from cryptex_desktop.ui.formatting import currency_name, exact_amount
from cryptex_desktop.ui.journal_keeper import JournalKeeper
from cryptex_desktop.ui.models import SortFilterProxy, TransactionsModel
from cryptex_desktop.ui.models.deposit_addresses import (
    DepositAddressesModel,
    DepositAddressRow,
    address_rows,
)
from cryptex_desktop.ui.models.keyed_table import RECORD_ROLE
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

FIAT_EXPLANATION = N_(
    "US dollars, euros and roubles are deposited on cryptex.net by bank transfer, or by "
    "redeeming a coupon on the Coupons tab."
)
#: The address, its sentences and buttons take at most this width; the QR code comes next.
DETAILS_MAX_WIDTH = 760
#: An address's name is a few words, not a note.
NAME_MAX_LENGTH = 60
#: How many of a coin's newest addresses are asked about when the app starts.
LOOK_UP_AT_START = 10
#: Journal writes within this many milliseconds are read back once.
RELOAD_DELAY_MS = 50

NOTHING_YET = N_("Nothing has arrived at this address yet.")
CONFIRMATIONS_TIP = N_(
    "A confirmation is a block mined on top of the transaction that brings your coins. "
    "The more there are, the surer it is that the payment cannot be undone, so the exchange "
    "waits for a few before it adds the coins to your balance."
)


def confirmations_rule_sentence(demo: bool) -> str:
    """What a confirmation is, said on the screen (not only on hover); the demo's own pace."""
    if not demo:
        return _(CONFIRMATIONS_TIP)
    return _(CONFIRMATIONS_TIP) + " " + _(
        "On the demo exchange a block is mined every few seconds, so practice deposits are "
        "credited within a minute."
    )

# How the sandbox (and, we expect, cryptex.net) words "no deposit to this address yet".
_NO_DEPOSIT_WORDS = ("no deposit",)


def coin_title(currency: str) -> str:
    """``"BTC"`` -> ``"Bitcoin (BTC)"``."""
    return f"{currency_name(currency)} ({currency})"


def _amount_text(amount: Decimal, currency: str) -> str:
    """The exact amount, as few digits as it needs, the language's way: ``0.25 BTC``."""
    return f"{exact_amount(amount)} {currency}"


def _minutes_text(minutes: Decimal) -> str:
    return exact_amount(minutes)


def send_only_sentence(currency: str) -> str:
    """What may be sent to an address of ``currency``, and when it is credited."""
    rule = CURRENCIES.get(currency)
    if rule is None or not rule.confirmations:
        return _("Send only {coin} to this address.").format(coin=coin_title(currency))
    # Translators: {minutes} is a number of minutes that may have decimals, such as 2.5.
    return _n(
        "Send only {coin} to this address. It is credited after {count} confirmation "
        "(about {minutes} minutes on the real network).",
        "Send only {coin} to this address. It is credited after {count} confirmations "
        "(about {minutes} minutes on the real network).",
        rule.confirmations,
    ).format(coin=coin_title(currency), count=rule.confirmations,
             minutes=_minutes_text(rule.confirmation_minutes))


def deposit_sentence(deposit: Deposit, currency: str) -> str:
    """What the latest deposit to an address means for the person, in one or two sentences."""
    amount = _amount_text(deposit.amount, currency)
    if deposit.is_credited:
        return _("{amount} was credited to your balance.").format(amount=amount)
    rule = CURRENCIES.get(currency)
    if rule is None or not rule.confirmations:
        return _n(
            "{amount} arrived: {count} confirmation so far. It is not credited yet.",
            "{amount} arrived: {count} confirmations so far. It is not credited yet.",
            deposit.confirmations,
        ).format(amount=amount, count=deposit.confirmations)
    if deposit.confirmations >= rule.confirmations:
        return _n(
            "{amount} arrived: {count} confirmation. The exchange should credit it any moment.",
            "{amount} arrived: {count} confirmations. The exchange should credit it any moment.",
            deposit.confirmations,
        ).format(amount=amount, count=deposit.confirmations)
    # Translators: the form follows {count}, the confirmations needed; {got} is how many so far.
    return _n(
        "{amount} arrived: {got} of {count} confirmation. It will be credited after {count}.",
        "{amount} arrived: {got} of {count} confirmations. It will be credited after {count}.",
        rule.confirmations,
    ).format(amount=amount, got=deposit.confirmations, count=rule.confirmations)


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
        #: When each address of this session was got (listed before the journal has it).
        self._got_at: dict[str, datetime] = {}
        #: The chosen coin's addresses as the journal last told them, newest first.
        self._known: list[DepositAddressRow] = []
        #: The coins whose addresses were asked about once since the account was connected.
        self._looked_up: set[str] = set()
        #: Whether the journal has told the chosen coin's addresses since it was chosen.
        self._known_read = False
        # Journal writes come in bursts (a refresh records several deposits): read once.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
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

        self.fiat_label = QLabel(_(FIAT_EXPLANATION))
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
        self.check_button = BusyButton(_("Chec&k this address"), busy_text=_("Checking…"))
        self.check_button.setToolTip(_("Ask the exchange whether anything arrived at the "
                                       "address on show."))
        self.check_button.setAccessibleName(_("Check this address"))
        # The buttons under the address, not beside it: a long address and the QR code
        # beside the card leave no room for them in a small window.
        address_buttons = QHBoxLayout()
        address_buttons.setSpacing(10)
        address_buttons.addWidget(self.copy_button)
        address_buttons.addWidget(self.check_button)
        address_buttons.addStretch(1)
        self.send_only_label = QLabel()
        self.send_only_label.setWordWrap(True)
        # What a confirmation is, on the screen: a person with only a keyboard reads it too.
        self.rules_label = muted_label()
        self.address_message = ResultLabel(reserve_lines=1)
        self.address_message.setAccessibleName(_("Address news"))

        # -- every address of this coin, to choose one, and its name
        self.addresses_model = DepositAddressesModel(self)
        self.addresses_proxy = SortFilterProxy(self.addresses_model, self)
        self.addresses = RecordList(self.addresses_proxy,
                                    accessible_name=_("Your deposit addresses"))
        self.address_table = self.addresses.table
        self.address_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.address_table.setToolTip(_(
            "Every address you got for this coin. Choose one to show it above with its QR "
            "code, check it or give it a name."
        ))
        address_header = self.address_table.horizontalHeader()
        address_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        address_header.setStretchLastSection(True)
        self.address_table.setFont(monospace_font())
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(NAME_MAX_LENGTH)
        self.name_edit.setPlaceholderText(_("e.g. From my phone wallet"))
        self.name_edit.setToolTip(_(
            "A name for the address on show, to tell your addresses apart. It stays on this "
            "computer."
        ))
        self.name_edit.setAccessibleName(_("Name of this address"))
        self.name_label = buddy_label(_("&Name:"), self.name_edit)
        self.name_button = QPushButton(_("Save na&me"))
        self.name_button.setToolTip(_("Keep this name for the address on show."))
        self.name_button.setAccessibleName(_("Save the name of this address"))
        self._name_row = QHBoxLayout()
        self._name_row.setSpacing(10)
        self._name_row.addWidget(self.name_label)
        self._name_row.addWidget(self.name_edit, 1)
        self._name_row.addWidget(self.name_button)
        self.check_message = ResultLabel()  # no room kept: the card is tall enough already
        self.check_message.setAccessibleName(_("What arrived at the address"))

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
        details.addWidget(self.address_label)
        details.addLayout(address_buttons)
        details.addLayout(self._name_row)
        details.addWidget(self.send_only_label)
        details.addWidget(self.rules_label)
        details.addWidget(self.address_message)
        details.addWidget(self.check_message)
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

        # -- transactions on their way
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

        # The two lists share one place, so the address card keeps its room in a small window.
        on_their_way = QWidget()
        on_their_way_layout = QVBoxLayout(on_their_way)
        on_their_way_layout.setContentsMargins(8, 8, 8, 8)
        on_their_way_layout.addWidget(transactions_note)
        on_their_way_layout.addWidget(self.transactions, 1)
        self.lists = QTabWidget()
        self.lists.setAccessibleName(_("Your addresses, and transactions on their way"))
        self.lists.addTab(self.addresses, "")
        self.lists.addTab(on_their_way, _("On their way in and out"))

        self.body.addLayout(top)
        self.body.addWidget(self.lists, 1)

        self.setTabOrder(self.currency_combo, self.new_address_button)
        self.setTabOrder(self.new_address_button, self.address_label)
        self.setTabOrder(self.address_label, self.copy_button)
        self.setTabOrder(self.copy_button, self.check_button)
        self.setTabOrder(self.check_button, self.name_edit)
        self.setTabOrder(self.name_edit, self.name_button)
        self.setTabOrder(self.name_button, self.address_table)
        self.setTabOrder(self.address_table, self.table)

        # A window shortcut of a hidden tab does not fire, so other screens may use it too.
        self.copy_shortcut = QShortcut(QKeySequence("Ctrl+Shift+C"), self)

    def _wire(self) -> None:
        self.currency_combo.currentIndexChanged.connect(self._on_currency_changed)
        self.new_address_button.clicked.connect(self.request_address)
        self.copy_button.clicked.connect(self.copy_address)
        self.copy_shortcut.activated.connect(self.copy_address)
        self.check_button.clicked.connect(self.check_address)
        self.name_button.clicked.connect(self.save_name)
        self.name_edit.returnPressed.connect(self.save_name)
        self.address_table.selectionModel().currentRowChanged.connect(self._on_address_chosen)
        for signal in (
            self.addresses_proxy.rowsInserted,
            self.addresses_proxy.rowsRemoved,
            self.addresses_proxy.modelReset,
        ):
            signal.connect(self._show_addresses_state)
        self._reload_timer.timeout.connect(self.reload_addresses)
        if self._journal is not None:
            self._journal.changed.connect(self._reload_timer.start)
            self._journal.opened.connect(self.reload_addresses)  # the first, or another account's
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

    def listed_addresses(self) -> list[DepositAddressRow]:
        """The chosen coin's addresses as listed, in the order shown."""
        return [self.addresses_proxy.index(row, 0).data(RECORD_ROLE)
                for row in range(self.addresses_proxy.rowCount())]

    # -- the chosen currency ----------------------------------------------------------------

    @Slot()
    def _on_currency_changed(self) -> None:
        self._settings.set_view_state(self.NAME, "currency", self.currency())
        self.address_message.clear_message()
        self.check_message.clear_message()
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
            self.name_label,
            self.name_edit,
            self.name_button,
            self.check_button,
        ):
            widget.setVisible(has_addresses)
        self.lists.setTabVisible(self.lists.indexOf(self.addresses), has_addresses)
        self._known = []
        self._known_read = self._journal is None
        self.addresses_model.clear()
        self._show_address("")
        if not has_addresses:
            return
        coin = coin_title(currency)
        self.address_title.setText(_("Your {coin} deposit address").format(coin=coin))
        self.lists.setTabText(self.lists.indexOf(self.addresses),
                              _("Your {coin} addresses").format(coin=coin))
        self.send_only_label.setText(send_only_sentence(currency))
        self.rules_label.setText(confirmations_rule_sentence(self._is_demo()))
        self._show_rows()
        self.reload_addresses()

    # -- the chosen coin's addresses ----------------------------------------------------------

    @Slot()
    def reload_addresses(self) -> None:
        """Read the chosen coin's addresses and their deposits on the journal's lane."""
        currency = self.currency()
        if self._journal is None or not supports_addresses(currency):
            return
        self._reload_timer.stop()
        if self._journal.last_problem:  # no journal to read: this session's addresses only
            self._on_addresses_read(currency, [])
            return
        self._journal.read(
            lambda journal: address_rows(journal.addresses(currency), journal.deposits(currency)),
            lambda rows: self._on_addresses_read(currency, rows),
            lambda _error: self._on_addresses_read(currency, []),
        )

    def _on_addresses_read(self, currency: str, rows: list[DepositAddressRow]) -> None:
        if currency != self.currency():
            return  # another coin was chosen meanwhile; its own read is on its way
        self._known = rows
        self._known_read = True
        self._show_rows()
        if currency not in self._looked_up:
            # What arrived while the app was closed is seen once, not at every refresh.
            self._looked_up.add(currency)
            for row in rows[:LOOK_UP_AT_START]:
                if row.last_deposit is None or row.last_deposit.credited_at is None:
                    self._look_up_deposit(currency, row.address)

    def _rows(self) -> list[DepositAddressRow]:
        """The journal's addresses, and this session's ones it has not told yet, newest first."""
        currency = self.currency()
        known = {row.address for row in self._known}
        fresh = [
            DepositAddressRow(currency, address, self._got_at[address])
            for address, of in self._addresses.items()
            if of == currency and address not in known
        ]
        return fresh + self._known

    def _show_rows(self, prefer: str = "") -> None:
        """List the addresses; show ``prefer``, else the one on show, else the newest."""
        rows = self._rows()
        self.addresses_model.update(rows)
        shown = prefer or self.shown_address()
        if not any(row.address == shown for row in rows):
            shown = rows[0].address if rows else ""
        self._show_address(shown)
        self._show_addresses_state()

    @Slot()
    def _show_addresses_state(self, *_args: object) -> None:
        if self.addresses_proxy.rowCount():
            self.addresses.show_table()
        elif not self._known_read:
            self.addresses.show_empty(_("Looking for the addresses you got before…"))
        else:
            self.addresses.show_empty(_(
                "No address yet. Press “Get a new address”: every address you get is listed "
                "here, with what arrived at it."
            ))

    def _row_of(self, address: str) -> DepositAddressRow | None:
        source = self.addresses_model.row_of(address)
        return None if source is None else self.addresses_model.record_at(source)

    @Slot(QModelIndex, QModelIndex)
    def _on_address_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(RECORD_ROLE) if current.isValid() else None
        if isinstance(row, DepositAddressRow) and row.address != self.shown_address():
            self.check_message.clear_message()
            self.address_message.clear_message()
            self._show_address(row.address)

    def _show_address(self, address: str) -> None:
        """Show ``address`` with its QR code and name, and choose it in the list."""
        changed = address != self.shown_address()
        self.qr.set_text(address)
        self.copy_button.setEnabled(bool(address))
        self.check_button.setEnabled(bool(address))
        # A name is kept in the journal: where it could not be opened, nothing would keep it.
        can_name = bool(address) and self._journal is not None and not self._journal.last_problem
        self.name_edit.setEnabled(can_name)
        self.name_button.setEnabled(can_name)
        row = self._row_of(address) if address else None
        if changed or not self.name_edit.isModified():
            self.name_edit.setText(row.label if row is not None else "")  # not modified now
        if address:
            self.address_label.setText(address)
            self.address_label.setWordWrap(False)  # an address is one unbroken word
            self.address_label.setEnabled(True)
        else:
            self.address_label.setWordWrap(True)  # a sentence, which may run long
            self.address_label.setText(
                _("Looking for your last address…") if not self._known_read
                else _("Press “Get a new address” to get one.")
            )
            self.address_label.setEnabled(False)
        source = self.addresses_model.row_of(address) if address else None
        if source is not None:
            index = self.addresses_proxy.mapFromSource(self.addresses_model.index(source, 0))
            if index.row() != self.address_table.currentIndex().row():
                self.address_table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)

    @Slot()
    def save_name(self) -> None:
        """Keep the name typed for the address on show (an empty name removes it)."""
        address = self.shown_address()
        if not address or not self.name_button.isEnabled() or self._journal is None:
            return
        name = " ".join(self.name_edit.text().split())
        if looks_like_code(name):
            self.address_message.show_problem(_(
                "That name looks like a coupon code, and the app never writes one down. "
                "Choose another name."
            ))
            return
        self._journal.record(
            lambda journal: journal.set_label(LabelKind.ADDRESS, address, name))
        self.name_edit.setText(name)
        if name:
            self.address_message.show_result(
                _("Saved. This address is now called “{name}”.").format(name=name))
        else:
            self.address_message.show_result(_("The name of this address was removed."))

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
        self._got_at[result.address] = datetime.now(UTC)
        coin = coin_title(result.currency)
        if result.currency == self.currency():
            self.check_message.clear_message()
            self._show_rows(prefer=result.address)
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
    def check_address(self) -> None:
        """Ask the exchange what arrived at the address on show."""
        address = self.shown_address()
        if not address or self.check_button.is_busy() or self._dispatcher.client is None:
            return
        currency = self.currency()
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
            self.check_message.show_result(_(NOTHING_YET))
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
        gone = [t for t in self.model.records()
                if t.is_incoming and (t.currency, t.id) not in still_incoming]
        if was_incoming - still_incoming:
            self._refresher.request("balances")  # a deposit left the list: it was credited
        for tx in gone:
            self._note_credited(tx)
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

    def _note_credited(self, tx: Transaction) -> None:
        """A deposit left the list: ask its address, so the journal knows it was credited."""
        if tx.address:
            self._look_up_deposit(tx.currency, tx.address)

    def _look_up_deposit(self, currency: str, address: str) -> None:
        """Ask the exchange for the last deposit to ``address`` and write it in the journal."""
        journal = self._journal
        if journal is None or self._dispatcher.client is None:
            return
        self._dispatcher.submit(
            lambda client: client.deposit_info(address),
            on_result=lambda deposit: journal.record(
                lambda j: j.record_deposit_seen(currency, deposit)),
            on_error=lambda _error: None,  # the next check of the address tells it
            priority=Priority.REFRESH,
        )

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
        self._got_at = {}
        self._looked_up = set()
        self.check_message.clear_message()
        self.address_message.clear_message()
        self.model.clear()
        self._loaded = False
        self._show_currency()
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
