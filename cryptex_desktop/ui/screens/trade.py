"""Trade: buy or sell a currency at a price the person chooses, after one clear confirmation.

The form says, as it is filled in, what the order would spend and what it would bring after
the exchange's fee, and refuses (with a sentence under the field) anything the exchange
would refuse: too many decimals, less than a currency's minimum, more than is available.
Nothing is sent before the person confirms the exact amounts. A lost answer is never sent
again: the app asks the exchange what happened and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import CURRENCIES, PAIRS, TRADE_FEE
from cryptex_desktop.api.errors import CryptexError, InsufficientFunds, OutcomeUnknown
from cryptex_desktop.api.money import decimals_of, money_context, quantize_down
from cryptex_desktop.api.reconcile import Finding, check_trade, existing_order_ids
from cryptex_desktop.api.types import Order, OrderStatus, PlacedOrder
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.errors import describe
from cryptex_desktop.ui.formatting import (
    currency_decimals,
    currency_name,
    format_money,
    format_price,
    number_text,
    pair_description,
    spendable,
)
from cryptex_desktop.ui.i18n import _
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.amount_edit import AmountEdit
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import heading_label

#: The fee as people write it ("0.2%").
TRADE_FEE_TEXT = f"{(TRADE_FEE * 100).normalize():f}%"

BUY = "buy"
SELL = "sell"

#: Green for buy, red for sell: the same colours as the tables (and the text says it too).
SIDE_COLOURS = {BUY: "#1a7f37", SELL: "#cf222e"}

_SIDE_BUTTON_STYLE = """
QPushButton {{
    padding: 6px 22px; font-weight: bold; border-radius: 4px;
    border: 1px solid palette(mid); background: palette(button); color: palette(button-text);
}}
QPushButton:checked {{ background: {colour}; border-color: {colour}; color: white; }}
QPushButton:focus {{ border: 2px solid palette(highlight); }}
"""

_PLACE_BUTTON_STYLE = """
QPushButton {{
    padding: 8px 22px; font-weight: bold; border-radius: 4px;
    border: 1px solid {colour}; background: {colour}; color: white;
}}
QPushButton:focus {{ border: 2px solid palette(highlight); }}
QPushButton:disabled {{
    border: 1px solid palette(mid); background: palette(button); color: palette(mid);
}}
"""

# Wrapped sentences in a form column get squeezed to their shortest width without this.
_MESSAGE_WIDTH = 460

_SUCCESS_ON_LIGHT, _SUCCESS_ON_DARK = QColor("#1a7f37"), QColor("#3fb950")
_PROBLEM_ON_LIGHT, _PROBLEM_ON_DARK = QColor(176, 0, 32), QColor(255, 128, 128)


def pair_label(pair: str) -> str:
    """``"BTC_USD"`` -> ``"BTC / USD"``: how the trade form writes a market."""
    known = PAIRS.get(pair)
    return f"{known.base} / {known.quote}" if known else pair.replace("_", " / ")


def exact_money(amount: Decimal, currency: str) -> str:
    """``amount`` with its code, never rounded: the currency's decimals, more if it has more.

    For what leaves or arrives in a confirmation: rounding there would misstate the money.
    """
    places = max(currency_decimals(currency), decimals_of(amount))
    return f"{number_text(amount, places)} {currency}"


def after_fee(gross: Decimal, currency: str) -> Decimal:
    """What arrives of ``gross`` once the exchange keeps its fee, cut to the currency's places."""
    with money_context():
        return quantize_down(gross * (1 - TRADE_FEE), currency_decimals(currency))


def max_buy_amount(free_quote: Decimal, price: Decimal, base: str) -> Decimal:
    """The largest amount of ``base`` that ``free_quote`` pays for at ``price``, rounded down."""
    with money_context():
        return quantize_down(free_quote / price, currency_decimals(base))


@dataclass(frozen=True)
class OrderTerms:
    """One order as the person set it up, and what it spends and receives at its price."""

    pair: str
    side: str
    price: Decimal
    amount: Decimal

    @property
    def base(self) -> str:
        """The currency bought or sold."""
        return PAIRS[self.pair].base

    @property
    def quote(self) -> str:
        """The currency the price is in."""
        return PAIRS[self.pair].quote

    @property
    def pays_currency(self) -> str:
        """What leaves the balance: the quote currency for a buy, the base for a sell."""
        return self.quote if self.side == BUY else self.base

    @property
    def pays(self) -> Decimal:
        """How much leaves the balance (what the exchange reserves for the order)."""
        if self.side == SELL:
            return self.amount
        with money_context():
            return self.price * self.amount

    @property
    def receives_currency(self) -> str:
        """What arrives: the base currency for a buy, the quote for a sell."""
        return self.base if self.side == BUY else self.quote

    @property
    def receives(self) -> Decimal:
        """What arrives after the fee, if the order fills at exactly its price."""
        if self.side == BUY:
            return after_fee(self.amount, self.base)
        with money_context():
            return after_fee(self.price * self.amount, self.quote)


@dataclass
class _Sending:
    """One order on its way: its terms, when it left, and the orders that existed before it."""

    terms: OrderTerms
    sent_at: datetime
    existing: frozenset[int] = frozenset()


def _place_and_look(client: CryptexClient, sending: _Sending) -> tuple[PlacedOrder, Order | None]:
    """Note the orders that exist, place the order, then read it back (on the worker).

    Reading it back tells "filled at once" from "waiting"; the orders noted first let a
    check after a lost answer tell this order from an identical older one.
    """
    terms = sending.terms
    sending.existing = existing_order_ids(client, terms.pair, sending.sent_at)
    placed = client.trade(terms.pair, terms.side, terms.price, terms.amount)
    try:
        order = client.order_info(placed.order_id)
    except CryptexError:
        order = None  # the order stands; Open orders will show how far it got
    return placed, order


class TradeScreen(QWidget):
    """Buy or sell at a price you choose."""

    NAME = "trade"
    TITLE = _("Trade")
    TOOLTIP = _("Buy or sell at a price you choose")

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
        self._pair = ""
        # What was typed per pair, so switching markets and back loses nothing.
        self._typed: dict[str, tuple[str, str]] = {}
        # Orders this screen placed: a lost answer must not be mistaken for one of these.
        self._placed_ids: set[int] = set()
        self._confirm_dialog: ConfirmDialog | None = None
        self._result_tone = ""

        self._build()
        pair = str(settings.view_state(self.NAME, "pair", "BTC_USD"))
        side = str(settings.view_state(self.NAME, "side", BUY))
        self.set_pair(pair if pair in PAIRS else "BTC_USD")
        self.set_side(side if side in (BUY, SELL) else BUY)
        wallet.changed.connect(self._revalidate)
        dispatcher.clientChanged.connect(self._on_client_changed)
        self._revalidate()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        heading = heading_label(_("Buy or sell"))
        intro = QLabel(_(
            "Choose a market, whether you buy or sell, your price and how much. Nothing is "
            "sent until you have checked the amounts and confirmed."
        ))
        intro.setWordWrap(True)

        self.pair_combo = QComboBox()
        for code in PAIRS:
            self.pair_combo.addItem(pair_label(code), code)
            self.pair_combo.setItemData(
                self.pair_combo.count() - 1, pair_description(code), Qt.ItemDataRole.ToolTipRole
            )
        self.pair_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pair_combo.currentIndexChanged.connect(self._on_pair_chosen)

        self.buy_button = QPushButton(_("&Buy"))
        self.sell_button = QPushButton(_("&Sell"))
        self.side_group = QButtonGroup(self)
        self.side_group.setExclusive(True)
        for button, side in ((self.buy_button, BUY), (self.sell_button, SELL)):
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setStyleSheet(_SIDE_BUTTON_STYLE.format(colour=SIDE_COLOURS[side]))
            button.setProperty("side", side)
            self.side_group.addButton(button)
        self.buy_button.setChecked(True)
        self.side_group.buttonToggled.connect(self._on_side_toggled)
        side_row = QHBoxLayout()
        side_row.setSpacing(8)
        side_row.addWidget(self.buy_button)
        side_row.addWidget(self.sell_button)
        side_row.addStretch(1)

        self.price_edit = AmountEdit()
        self.price_edit.setFixedWidth(240)
        self.price_edit.textChanged.connect(self._revalidate)
        self.price_edit.returnPressed.connect(self.place_order)
        self.price_message = FieldMessage()
        self.price_message.setMinimumWidth(_MESSAGE_WIDTH)

        self.amount_edit = AmountEdit()
        self.amount_edit.setFixedWidth(240)
        self.amount_edit.textChanged.connect(self._revalidate)
        self.amount_edit.returnPressed.connect(self.place_order)
        self.max_button = QPushButton(_("Ma&x"))
        self.max_button.setAutoDefault(False)
        self.max_button.clicked.connect(self.fill_max)
        self.available_label = QLabel()
        self.available_label.setTextFormat(Qt.TextFormat.PlainText)
        self.available_label.setToolTip(_(
            "What you can spend now. Money held by your open orders is not included; cancel an "
            "order on the Open orders tab to free it."
        ))
        amount_row = QHBoxLayout()
        amount_row.setSpacing(8)
        amount_row.addWidget(self.amount_edit)
        amount_row.addWidget(self.max_button)
        amount_row.addSpacing(8)
        amount_row.addWidget(self.available_label, 1)
        self.amount_message = FieldMessage()
        self.amount_message.setMinimumWidth(_MESSAGE_WIDTH)

        self.pay_label = QLabel()
        self.pay_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.pay_label.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.pay_label.setFont(bold)
        self.receive_label = QLabel()
        self.receive_label.setTextFormat(Qt.TextFormat.PlainText)
        self.receive_label.setFont(bold)
        self.receive_label.setToolTip(_(
            "The exchange keeps {fee} of what an order receives as its fee: a buyer receives "
            "{fee} less of the currency bought, a seller {fee} less money. If the order fills "
            "at a better price than yours, you pay less or receive more."
        ).format(fee=TRADE_FEE_TEXT))

        self.place_button = BusyButton(_("Place buy order"), busy_text=_("Placing order…"))
        self.place_button.setAutoDefault(False)
        self.place_button.setMinimumHeight(36)
        self.place_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.place_button.clicked.connect(self.place_order)

        self.result_label = QLabel()
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setWordWrap(True)
        self.result_label.setMinimumWidth(_MESSAGE_WIDTH)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.pair_label = QLabel(_("&Market:"))
        self.pair_label.setBuddy(self.pair_combo)
        self.pair_label.setToolTip(_(
            "Which currency you buy or sell (the first), and the currency its price is in "
            "(the second)."
        ))
        self.price_label = QLabel()
        self.price_label.setBuddy(self.price_edit)
        self.amount_label = QLabel()
        self.amount_label.setBuddy(self.amount_edit)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.addRow(self.pair_label, self.pair_combo)
        form.addRow(_("Buy or sell:"), side_row)
        price_row = QHBoxLayout()
        price_row.addWidget(self.price_edit)
        price_row.addStretch(1)
        form.addRow(self.price_label, price_row)
        form.addRow("", self.price_message)
        form.addRow(self.amount_label, amount_row)
        form.addRow("", self.amount_message)
        form.addRow(_("You pay:"), self.pay_label)
        form.addRow(_("You receive:"), self.receive_label)
        button_row = QHBoxLayout()
        button_row.addWidget(self.place_button)
        button_row.addStretch(1)
        form.addRow("", button_row)
        form.addRow("", self.result_label)

        form_box = QWidget()
        form_box.setLayout(form)
        form_box.setMaximumWidth(680)

        help_box = QFrame()
        help_box.setFrameShape(QFrame.Shape.StyledPanel)
        help_layout = QVBoxLayout(help_box)
        help_layout.setContentsMargins(16, 12, 16, 12)
        help_title = QLabel(_("How an order works"))
        help_font = help_title.font()
        help_font.setBold(True)
        help_title.setFont(help_font)
        help_layout.addWidget(help_title)
        for paragraph in (
            _("If someone already offers your price or better, the order fills at once, at "
              "their price."),
            _("Otherwise it waits on the Open orders tab until someone takes it, or until you "
              "cancel it. While it waits, what it would spend is held for it."),
            _("The exchange keeps {fee} of what each order receives as its fee.").format(
                fee=TRADE_FEE_TEXT),
        ):
            text = QLabel(paragraph)
            text.setWordWrap(True)
            help_layout.addWidget(text)
        help_layout.addStretch(1)
        help_box.setMaximumWidth(340)
        help_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(form_box, 3, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(help_box, 2, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(columns)
        layout.addStretch(1)

        for first, second in (
            (self.pair_combo, self.buy_button),
            (self.buy_button, self.sell_button),
            (self.sell_button, self.price_edit),
            (self.price_edit, self.amount_edit),
            (self.amount_edit, self.max_button),
            (self.max_button, self.place_button),
        ):
            QWidget.setTabOrder(first, second)

    # -- what the person chose --------------------------------------------------------------

    def pair(self) -> str:
        """The market the form is for, e.g. ``"BTC_USD"``."""
        return self._pair

    def side(self) -> str:
        """``"buy"`` or ``"sell"``."""
        return SELL if self.sell_button.isChecked() else BUY

    def set_pair(self, pair: str) -> None:
        """Switch the form to ``pair`` (a code from PAIRS)."""
        index = self.pair_combo.findData(pair)
        if index < 0:
            raise ValueError(f"unknown pair: {pair}")
        if index == self.pair_combo.currentIndex() and self._pair == pair:
            return
        self.pair_combo.setCurrentIndex(index)
        self._on_pair_chosen(index)

    def set_side(self, side: str) -> None:
        """Choose buying or selling."""
        (self.sell_button if side == SELL else self.buy_button).setChecked(True)
        self._on_side_changed()

    def terms(self) -> OrderTerms | None:
        """The order the form describes, when every field is valid and affordable."""
        price, amount = self.price_edit.amount(), self.amount_edit.amount()
        if price is None or amount is None or not self._pair:
            return None
        terms = OrderTerms(self._pair, self.side(), price, amount)
        return terms if self._balance_problem(terms) is None else None

    # -- actions ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The form needs only the free balances, which the shared wallet state keeps."""
        self._wallet.refresh()

    @Slot()
    def fill_max(self) -> None:
        """Put the most the free balance allows into the amount field."""
        base, quote = PAIRS[self._pair].base, PAIRS[self._pair].quote
        if self.side() == SELL:
            free = self._wallet.free_balance(base)
            if free is None:
                return
            self.amount_edit.set_amount(quantize_down(free, currency_decimals(base)))
            return
        free = self._wallet.free_balance(quote)
        price = self.price_edit.amount()
        if free is None:
            return
        if price is None:
            self.price_message.show_problem(
                _("Enter your price first: Max works out how much {quote} buys at it.").format(
                    quote=quote
                )
            )
            self.price_edit.setFocus()
            return
        self.amount_edit.set_amount(max_buy_amount(free, price, base))

    @Slot()
    def place_order(self) -> None:
        """Enter or the button: open the confirmation for the order in the form."""
        if self.place_button.is_busy() or self._confirm_dialog is not None:
            return
        terms = self.terms()
        if terms is None or not self._wallet.known:
            self._point_at_problem()
            return
        pair = PAIRS[terms.pair]
        side_text = _("Buy") if terms.side == BUY else _("Sell")
        price_text = f"{format_price(terms.price, terms.pair)} {pair.quote}"
        question = _("{side} {amount} at {price} each?").format(
            side=side_text, amount=format_money(terms.amount, pair.base), price=price_text
        )
        receives = exact_money(terms.receives, terms.receives_currency)
        if terms.side == BUY:
            note = _(
                "If someone sells for less than your price, the order fills at their price and "
                "you pay less. If nobody sells at your price yet, the order waits on the Open "
                "orders tab and {pays} stays held for it until it fills or you cancel it. The "
                "exchange keeps {fee} of the {base} you receive as its fee."
            )
        else:
            receives = _("about {amount}").format(amount=receives)
            note = _(
                "If someone buys for more than your price, the order fills at their price and "
                "you receive more. If nobody buys at your price yet, the order waits on the Open "
                "orders tab and {pays} stays held for it until it fills or you cancel it. The "
                "exchange keeps {fee} of the {quote} you receive as its fee."
            )
        pays = exact_money(terms.pays, terms.pays_currency)
        action = _("Place buy order") if terms.side == BUY else _("Place sell order")
        self._confirm_dialog = confirm(
            self,
            lambda: self._send(terms),
            title=_("Confirm your order"),
            question=question,
            rows=[
                (_("You pay"), pays),
                (_("You receive (after fee)"), receives),
                (_("Price"), _("{price} per {base}").format(price=price_text, base=pair.base)),
                (_("Pair"), f"{pair_label(terms.pair)} ({pair_description(terms.pair)})"),
            ],
            confirm_text=action,
            note=note.format(pays=pays, fee=TRADE_FEE_TEXT, base=pair.base, quote=pair.quote),
        )
        self._confirm_dialog.finished.connect(self._on_confirm_closed)

    # -- sending ------------------------------------------------------------------------------

    def _send(self, terms: OrderTerms) -> None:
        self.place_button.set_busy(True)
        self._show_result(_("Sending your order to the exchange…"))
        sending = _Sending(terms, datetime.now(UTC))
        self._dispatcher.submit(
            lambda client: _place_and_look(client, sending),
            on_result=lambda result: self._on_placed(terms, result),
            on_error=lambda error: self._on_place_failed(sending, error),
            priority=Priority.ACTION,
        )

    def _on_placed(self, terms: OrderTerms, result: tuple[PlacedOrder, Order | None]) -> None:
        placed, order = result
        self._placed_ids.add(placed.order_id)
        self._wallet.apply_free(placed.balances)
        self.place_button.set_busy(False)
        number = placed.order_id
        status = None if order is None else order.status
        if status == OrderStatus.FILLED:
            text = _("Your order #{id} filled at once.").format(id=number)
        elif status == OrderStatus.PARTLY_FILLED and order is not None:
            text = _(
                "Your order #{id} is placed and part of it filled at once; the other {rest} "
                "waits on the Open orders tab."
            ).format(id=number, rest=format_money(order.remaining, terms.base))
        else:
            text = _(
                "Your order #{id} is placed. It waits on the Open orders tab until someone "
                "takes it."
            ).format(id=number)
        self._show_result(text, "success")
        self._clear_amount_if(terms)
        self._refresher.request("open_orders", "history", "balances")
        self._revalidate()

    def _on_place_failed(self, sending: _Sending, error: BaseException) -> None:
        terms = sending.terms
        if isinstance(error, OutcomeUnknown):
            self._show_result(_("Checking with the exchange what happened…"))
            known = sending.existing | self._placed_ids
            self._dispatcher.submit(
                lambda client: check_trade(
                    client, terms.pair, terms.side, terms.price, terms.amount, sending.sent_at,
                    known,
                ),
                on_result=lambda finding: self._on_checked(terms, finding),
                on_error=self._on_check_failed,
                priority=Priority.ACTION,
            )
            return
        self.place_button.set_busy(False)
        self._show_result(describe(error), "problem")
        if isinstance(error, InsufficientFunds):
            self._wallet.refresh(Priority.ACTION)  # what the form thought was free is not
        self._revalidate()

    def _on_checked(self, terms: OrderTerms, finding: Finding) -> None:
        self.place_button.set_busy(False)
        if finding.happened:
            if isinstance(finding.found, Order):
                self._placed_ids.add(finding.found.order_id)
                text = _("The connection dropped, but the exchange has your order #{id}: "
                         "{detail}").format(id=finding.found.order_id, detail=finding.detail)
            else:
                text = _("The connection dropped, but the exchange has your order: "
                         "{detail}").format(detail=finding.detail)
            self._show_result(text, "success")
            self._clear_amount_if(terms)
        elif finding.happened is False:
            self._show_result(_(
                "The connection dropped before the exchange confirmed the order. {detail} "
                "Nothing was spent; you can place it again."
            ).format(detail=finding.detail), "problem")
        else:
            self._show_result(finding.detail, "problem")
        self._refresher.request("open_orders", "history", "balances")
        self._revalidate()

    def _on_check_failed(self, error: BaseException) -> None:
        self.place_button.set_busy(False)
        self._show_result(_(
            "The connection dropped before the exchange confirmed the order, and the app could "
            "not find out what happened: {reason} Look at the Open orders and History tabs "
            "before you place it again."
        ).format(reason=describe(error)), "problem")
        self._refresher.request("open_orders", "history", "balances")
        self._revalidate()

    @Slot()
    def _on_client_changed(self) -> None:
        """Another account: answers for the old one are dropped, so stop waiting for them."""
        if self.place_button.is_busy():
            self.place_button.set_busy(False)
            self._show_result(_(
                "You switched accounts while an order was on its way, so the app did not see "
                "the answer. Look at Open orders and History of that account before you place "
                "it again."
            ), "problem")
        self._revalidate()

    def _clear_amount_if(self, terms: OrderTerms) -> None:
        """Empty the amount after an order went through, unless it was changed meanwhile."""
        if self._pair == terms.pair and self.amount_edit.amount() == terms.amount:
            self.amount_edit.clear()

    # -- reacting to the form --------------------------------------------------------------

    @Slot(int)
    def _on_pair_chosen(self, index: int) -> None:
        pair = self.pair_combo.itemData(index)
        if not pair or pair == self._pair:
            return
        if self._pair:
            self._typed[self._pair] = (self.price_edit.text(), self.amount_edit.text())
        self._pair = pair
        self._settings.set_view_state(self.NAME, "pair", pair)
        market = PAIRS[pair]
        self.pair_combo.setToolTip(pair_description(pair))
        self.price_edit.set_currency(market.quote)
        self.price_edit.set_decimals(market.price_decimals)
        self.price_edit.set_minimum(None)  # a price is not an amount: no minimum
        self.price_edit.setPlaceholderText(number_text(Decimal(0), market.price_decimals))
        self.amount_edit.set_currency(market.base)
        self.amount_edit.setPlaceholderText(number_text(Decimal(0), CURRENCIES[market.base]
                                                        .decimals))
        self.price_label.setText(_("&Price per {base} in {quote}:").format(
            base=market.base, quote=market.quote))
        self.price_label.setToolTip(_(
            "How many {quote} you want to pay or receive for one {base}."
        ).format(base=currency_name(market.base), quote=currency_name(market.quote)))
        self.amount_label.setText(_("&Amount of {base}:").format(base=market.base))
        self.amount_label.setToolTip(_("How much {base} to buy or sell; at least {minimum}.")
                                     .format(base=currency_name(market.base),
                                             minimum=format_money(CURRENCIES[market.base].minimum,
                                                                  market.base)))
        price_text, amount_text = self._typed.get(pair, ("", ""))
        self.price_edit.setText(price_text)
        self.amount_edit.setText(amount_text)
        self._on_side_changed()

    @Slot(object, bool)
    def _on_side_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self._on_side_changed()

    def _on_side_changed(self) -> None:
        side = self.side()
        self._settings.set_view_state(self.NAME, "side", side)
        self.place_button.setStyleSheet(_PLACE_BUTTON_STYLE.format(colour=SIDE_COLOURS[side]))
        if not self.place_button.is_busy():
            self.place_button.setText(
                _("Place buy order") if side == BUY else _("Place sell order")
            )
        if self._pair:
            market = PAIRS[self._pair]
            self.buy_button.setToolTip(_("Buy {base}: spend {quote} to get {base}.").format(
                base=market.base, quote=market.quote))
            self.sell_button.setToolTip(_("Sell {base}: give {base} to get {quote}.").format(
                base=market.base, quote=market.quote))
            self.max_button.setToolTip(
                _("The most {base} your available {quote} buys at your price.").format(
                    base=market.base, quote=market.quote)
                if side == BUY else
                _("All the {base} you have available.").format(base=market.base)
            )
        self._revalidate()

    @Slot()
    def _revalidate(self) -> None:
        """Check every field, show what is wrong under it, the summary, and the button."""
        if not self._pair:
            return
        market = PAIRS[self._pair]
        side = self.side()
        spend_currency = market.quote if side == BUY else market.base
        free = self._wallet.free_balance(spend_currency)
        if free is None:
            self.available_label.setText(_("Available: loading…"))
        else:
            self.available_label.setText(_("Available: {amount} {currency}").format(
                amount=spendable(free, spend_currency), currency=spend_currency))

        price_problem = self._typed_problem(self.price_edit)
        amount_problem = self._typed_problem(self.amount_edit)
        price, amount = self.price_edit.amount(), self.amount_edit.amount()
        terms = None
        if price is not None and amount is not None:
            terms = OrderTerms(self._pair, side, price, amount)
            amount_problem = amount_problem or self._balance_problem(terms)
        self.price_message.show_field_state(self.price_edit, price_problem)
        self.amount_message.show_field_state(self.amount_edit, amount_problem)
        self._show_summary(terms)

        if not self.place_button.is_busy():
            self.place_button.setEnabled(
                terms is not None and amount_problem is None and self._wallet.known
            )
        self.max_button.setEnabled(self._wallet.known)

    def _balance_problem(self, terms: OrderTerms) -> str | None:
        free = self._wallet.free_balance(terms.pays_currency)
        if free is None:
            return None  # the button waits for the balances; no sentence before they arrive
        with money_context():
            enough = terms.pays <= free
        if enough:
            return None
        available = f"{spendable(free, terms.pays_currency)} {terms.pays_currency}"
        if terms.side == BUY:
            return _(
                "That costs {cost}, but you have {available} available. Lower the amount or "
                "the price, or press Max."
            ).format(cost=exact_money(terms.pays, terms.pays_currency), available=available)
        return _("You have {available} available to sell; enter that or less, or press Max.") \
            .format(available=available)

    @staticmethod
    def _typed_problem(field: AmountEdit) -> str | None:
        # Nobody wants to be told off before typing: an empty field shows nothing.
        return field.problem() if field.text().strip() else None

    def _show_summary(self, terms: OrderTerms | None) -> None:
        if terms is None:
            self.pay_label.setText("—")
            self.receive_label.setText("—")
            return
        self.pay_label.setText(exact_money(terms.pays, terms.pays_currency))
        receives = exact_money(terms.receives, terms.receives_currency)
        if terms.side == BUY:
            self.receive_label.setText(_("{amount} after the {fee} fee").format(
                amount=receives, fee=TRADE_FEE_TEXT))
        else:
            self.receive_label.setText(_("about {amount} after the {fee} fee").format(
                amount=receives, fee=TRADE_FEE_TEXT))

    def _point_at_problem(self) -> None:
        """Enter on an incomplete form: say what is missing and put the cursor there."""
        for field, message in ((self.price_edit, self.price_message),
                               (self.amount_edit, self.amount_message)):
            problem = field.problem()
            if problem is not None:
                message.show_problem(problem)
                field.setFocus()
                return
        if not self._wallet.known:
            self._show_result(_("Your balances are still loading; try again in a moment."))
            return
        self.amount_edit.setFocus()

    @Slot(int)
    def _on_confirm_closed(self, _result: int) -> None:
        self._confirm_dialog = None

    def _show_result(self, text: str, tone: str = "") -> None:
        """The line under the button: green for success, red for a problem, plain for news."""
        self._result_tone = tone
        self.result_label.setText(text)
        palette = self.result_label.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        colours: Mapping[str, QColor] = {
            "success": _SUCCESS_ON_DARK if dark else _SUCCESS_ON_LIGHT,
            "problem": _PROBLEM_ON_DARK if dark else _PROBLEM_ON_LIGHT,
        }
        colour = colours.get(tone, self.palette().color(QPalette.ColorRole.WindowText))
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.result_label.setPalette(palette)

    def result_tone(self) -> str:
        """``"success"``, ``"problem"`` or ``""`` for the line under the button (for tests)."""
        return self._result_tone
