"""The order form: market, buy or sell, price, amount with Max, and what it pays and receives.

It checks every field as it is typed (a sentence under the field for anything the exchange
would refuse, including more than is available) and says what the order would spend and
bring after the fee. It sends nothing: the Trade screen places what :meth:`OrderForm.terms`
describes. ``edited`` says the person changed something (the screen's last result no longer
describes the form); ``submitted`` is Enter in the price or the amount.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QWidget,
)

from cryptex_desktop.api.currencies import CURRENCIES, PAIRS
from cryptex_desktop.api.money import money_context, quantize_down
from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.formatting import currency_decimals, currency_name, spendable
from cryptex_desktop.ui.order_terms import (
    BUY,
    SELL,
    OrderTerms,
    exact_money,
    max_buy_amount,
    trade_fee_text,
)
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.amount_edit import AmountEdit
from cryptex_desktop.ui.widgets.currency_combo import MarketCombo
from cryptex_desktop.ui.widgets.documented_keys import (
    BUY_KEYS,
    MAX_KEYS,
    SELL_KEYS,
    keep_documented_keys,
)
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.labels import WrappingLabel, buddy_label, muted_label, stacked
from cryptex_desktop.ui.widgets.layout import form_layout

_SIDE_ROLES = {BUY: theme.Role.BUY, SELL: theme.Role.SELL}


def side_button_style(side: str) -> str:
    """The style of the Buy or Sell button: the side's colour when chosen, from the theme."""
    c, role = theme.hex_colour, theme.Role
    accent = c(_SIDE_ROLES[side])
    return (
        f"QPushButton {{ padding: 6px 22px; font-weight: bold; border-radius: 4px; "
        f"border: 1px solid {c(role.BORDER)}; background: {c(role.BUTTON)}; "
        f"color: {c(role.BUTTON_TEXT)}; }}\n"
        f"QPushButton:checked {{ background: {accent}; border-color: {accent}; "
        f"color: {c(theme.Role.ON_ACCENT)}; }}\n"
        f"QPushButton:focus {{ border: 2px solid {c(theme.Role.HIGHLIGHT)}; }}"
    )


class OrderForm(QWidget):
    """Market, side, price and amount of one order, checked as typed, with its summary."""

    #: The person changed the market, the side, the price or the amount.
    edited = Signal()
    #: Enter in the price or the amount: the person wants to place the order.
    submitted = Signal()
    #: Another market (its code) or side ("buy"/"sell") is chosen.
    marketChanged = Signal(str)
    sideChanged = Signal(str)

    def __init__(self, wallet: WalletState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wallet = wallet
        self._pair = ""
        # What was typed per market, so switching markets and back loses nothing.
        self._typed: dict[str, tuple[str, str]] = {}
        self._build()
        wallet.changed.connect(self.revalidate)

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.market_combo = MarketCombo()
        self.market_combo.currentIndexChanged.connect(self._on_market_chosen)
        self.market_label = buddy_label(_("&Market:"), self.market_combo)
        self.market_label.setToolTip(_(
            "Which currency you buy or sell (the first), and the currency its price is in "
            "(the second)."
        ))

        self.buy_button = QPushButton(_("&Buy"))
        self.sell_button = QPushButton(_("&Sell"))
        keep_documented_keys(self.buy_button, BUY_KEYS)
        keep_documented_keys(self.sell_button, SELL_KEYS)
        self.side_group = QButtonGroup(self)
        self.side_group.setExclusive(True)
        for button, side in ((self.buy_button, BUY), (self.sell_button, SELL)):
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setProperty("side", side)
            button.setAccessibleName(_("Buy") if side == BUY else _("Sell"))
            self.side_group.addButton(button)
        self.buy_button.setChecked(True)
        self.side_group.buttonToggled.connect(self._on_side_toggled)
        side_row = QHBoxLayout()
        side_row.setSpacing(8)
        side_row.addWidget(self.buy_button)
        side_row.addWidget(self.sell_button)
        side_row.addStretch(1)

        self.price_edit = AmountEdit()
        self.price_edit.setFixedWidth(180)
        self.price_edit.textEdited.connect(self._on_typed)
        self.price_edit.textChanged.connect(self.revalidate)
        self.price_edit.returnPressed.connect(self.submitted)
        self.price_message = FieldMessage()

        self.amount_edit = AmountEdit()
        self.amount_edit.setFixedWidth(180)
        self.amount_edit.textEdited.connect(self._on_typed)
        self.amount_edit.textChanged.connect(self.revalidate)
        self.amount_edit.returnPressed.connect(self.submitted)
        self.max_button = QPushButton(_("Ma&x"))
        keep_documented_keys(self.max_button, MAX_KEYS)
        self.max_button.setAutoDefault(False)
        self.max_button.setAccessibleName(_("Max: everything available"))
        self.max_button.clicked.connect(self.fill_max)
        self.available_label = muted_label(wrap=False)
        self.available_label.setToolTip(_(
            "What you can spend now. Money held by your open orders is not included; cancel an "
            "order on the Open orders tab to free it."
        ))
        amount_row = QHBoxLayout()
        amount_row.setSpacing(8)
        amount_row.addWidget(self.amount_edit)
        amount_row.addWidget(self.max_button)
        amount_row.addStretch(1)
        self.amount_message = FieldMessage()

        # On two lines when "about … after the fee" runs longer than the form is wide.
        self.pay_label = WrappingLabel("—")
        bold = self.pay_label.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.pay_label.setFont(bold)
        self.receive_label = WrappingLabel("—")
        self.receive_label.setFont(bold)
        self.receive_label.setToolTip(_(
            "The exchange keeps {fee} of what an order receives as its fee: a buyer receives "
            "{fee} less of the currency bought, a seller {fee} less money. If the order fills "
            "at a better price than yours, you pay less or receive more."
        ).format(fee=trade_fee_text()))
        for label in (self.pay_label, self.receive_label):
            label.setTextFormat(Qt.TextFormat.PlainText)

        # They name both currencies: on two lines when the window is narrow.
        self.price_label = buddy_label("", self.price_edit, wrap=True)
        self.amount_label = buddy_label("", self.amount_edit, wrap=True)
        side_label = QLabel(_("Buy or sell:"))
        side_label.setToolTip(_("Alt+B buys, Alt+S sells."))

        self.form = form_layout()
        self.form.setContentsMargins(0, 0, 0, 0)
        # Some styles centre a form in spare width; this one starts where the page does.
        self.form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.addRow(self.market_label, self.market_combo)
        self.form.addRow(side_label, side_row)
        price_row = self._price_row = QHBoxLayout()
        price_row.setSpacing(8)
        price_row.addWidget(self.price_edit)
        price_row.addStretch(1)
        self.form.addRow(self.price_label, price_row)
        self.form.addRow("", self.price_message)
        self.form.addRow(self.amount_label, amount_row)
        self.form.addRow("", stacked(self.available_label, self.amount_message))
        self.form.addRow(_("You pay:"), self.pay_label)
        self.form.addRow(_("You receive:"), self.receive_label)
        self.setLayout(self.form)

        order = (self.market_combo, self.buy_button, self.sell_button, self.price_edit,
                 self.amount_edit, self.max_button)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._style_sides()

    def add_beside_price(self, widget: QWidget) -> None:
        """A button right of the price field (the Trade screen's Best price), next in tab order."""
        self._price_row.insertWidget(1, widget)
        QWidget.setTabOrder(self.price_edit, widget)
        QWidget.setTabOrder(widget, self.amount_edit)

    def add_row(self, item: QWidget | QLayout) -> None:
        """A row under the fields, lined up with them (the place button, the result)."""
        self.form.addRow("", item)

    # -- what the person chose ------------------------------------------------------------------

    def pair(self) -> str:
        """The market the form is for, e.g. ``"BTC_USD"``."""
        return self._pair

    def side(self) -> str:
        """``"buy"`` or ``"sell"``."""
        return SELL if self.sell_button.isChecked() else BUY

    def set_pair(self, pair: str) -> None:
        """Switch the form to ``pair`` (a code from PAIRS)."""
        if not self.market_combo.set_code(pair):
            raise ValueError(f"unknown market: {pair}")
        if self._pair != pair:
            self._on_market_chosen(self.market_combo.currentIndex())

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

    def clear_amount_if(self, terms: OrderTerms) -> None:
        """Empty the amount after an order went through, unless it was changed meanwhile."""
        if self._pair == terms.pair and self.amount_edit.amount() == terms.amount:
            self.amount_edit.clear()

    # -- Max and Enter ----------------------------------------------------------------------------

    @Slot()
    def fill_max(self) -> None:
        """Put the most the free balance allows into the amount field."""
        base, quote = PAIRS[self._pair].base, PAIRS[self._pair].quote
        if self.side() == SELL:
            free = self._wallet.free_balance(base)
            if free is not None:
                self.amount_edit.set_amount(quantize_down(free, currency_decimals(base)))
                self.edited.emit()
            return
        free = self._wallet.free_balance(quote)
        price = self.price_edit.amount()
        if free is None:
            return
        if price is None:
            self.price_message.show_problem(_(
                "Enter your price first: Max works out how much {quote} buys at it."
            ).format(quote=quote))
            self.price_edit.setFocus()
            return
        self.amount_edit.set_amount(max_buy_amount(free, price, base))
        self.edited.emit()

    def point_at_problem(self) -> bool:
        """Enter on an incomplete form: say what is missing and put the cursor there.

        False when the fields are fine (what is missing is elsewhere, e.g. the balances).
        """
        for field, message in ((self.price_edit, self.price_message),
                               (self.amount_edit, self.amount_message)):
            problem = field.problem()
            if problem is not None:
                message.show_problem(problem)
                field.setFocus()
                return True
        if self._wallet.known:
            self.amount_edit.setFocus()
            return True
        return False

    # -- reacting -------------------------------------------------------------------------------

    @Slot(str)
    def _on_typed(self, _text: str) -> None:
        self.edited.emit()

    @Slot(int)
    def _on_market_chosen(self, _index: int) -> None:
        pair = self.market_combo.code()
        if not pair or pair == self._pair:
            return
        if self._pair:
            self._typed[self._pair] = (self.price_edit.text(), self.amount_edit.text())
        self._pair = pair
        market = PAIRS[pair]
        self.price_edit.set_currency(market.quote)
        self.price_edit.set_decimals(market.price_decimals)
        self.price_edit.set_minimum(None)  # a price is not an amount: no minimum
        self.amount_edit.set_currency(market.base)
        self.price_label.setText(_("&Price per {base} in {quote}:").format(
            base=market.base, quote=market.quote))
        self.price_label.setToolTip(_(
            "How many {quote} you want to pay or receive for one {base}."
        ).format(base=currency_name(market.base), quote=currency_name(market.quote)))
        self.price_edit.setAccessibleName(_("Price per {base} in {quote}").format(
            base=market.base, quote=market.quote))
        self.amount_label.setText(_("&Amount of {base}:").format(base=market.base))
        self.amount_label.setToolTip(_("How much {base} to buy or sell; at least {minimum}.")
                                     .format(base=currency_name(market.base),
                                             minimum=exact_money(CURRENCIES[market.base].minimum,
                                                                 market.base)))
        self.amount_edit.setAccessibleName(_("Amount of {base}").format(base=market.base))
        price_text, amount_text = self._typed.get(pair, ("", ""))
        self.price_edit.setText(price_text)
        self.amount_edit.setText(amount_text)
        self._describe_side()
        self.revalidate()
        self.marketChanged.emit(pair)
        self.edited.emit()

    @Slot(object, bool)
    def _on_side_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self._on_side_changed()
            self.edited.emit()

    def _on_side_changed(self) -> None:
        self._describe_side()
        self.revalidate()
        self.sideChanged.emit(self.side())

    def _describe_side(self) -> None:
        if not self._pair:
            return
        market = PAIRS[self._pair]
        self.buy_button.setToolTip(_("Buy {base}: spend {quote} to get {base}.").format(
            base=market.base, quote=market.quote))
        self.sell_button.setToolTip(_("Sell {base}: give {base} to get {quote}.").format(
            base=market.base, quote=market.quote))
        self.max_button.setToolTip(
            _("The most {base} your available {quote} buys at your price.").format(
                base=market.base, quote=market.quote)
            if self.side() == BUY else
            _("All the {base} you have available.").format(base=market.base)
        )

    @Slot()
    def revalidate(self) -> None:
        """Check every field, show what is wrong under it, and the summary."""
        if not self._pair:
            return
        market = PAIRS[self._pair]
        spend_currency = market.quote if self.side() == BUY else market.base
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
            terms = OrderTerms(self._pair, self.side(), price, amount)
            amount_problem = amount_problem or self._balance_problem(terms)
        self.price_message.show_field_state(self.price_edit, price_problem)
        self.amount_message.show_field_state(self.amount_edit, amount_problem)
        self._show_summary(terms)
        self.max_button.setEnabled(self._wallet.known)

    def is_ready(self) -> bool:
        """Whether the order can be placed: every field fine and the balances known."""
        return self.terms() is not None and self._wallet.known

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
            text = _("{amount} after the {fee} fee")
        else:
            text = _("about {amount} after the {fee} fee")
        self.receive_label.setText(text.format(amount=receives, fee=trade_fee_text()))

    # -- colours ----------------------------------------------------------------------------------

    def _style_sides(self) -> None:
        for button, side in ((self.buy_button, BUY), (self.sell_button, SELL)):
            style = side_button_style(side)
            if button.styleSheet() != style:  # setting it again would signal another change
                button.setStyleSheet(style)

    def changeEvent(self, event: QEvent) -> None:
        """Ask the theme again for the side colours when the palette changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style_sides()
