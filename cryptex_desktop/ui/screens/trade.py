"""Trade: buy or sell a currency at a price the person chooses, after one clear confirmation.

The form (:class:`~cryptex_desktop.ui.widgets.order_form.OrderForm`) says as it is filled
in what the order would spend and bring, and refuses what the exchange would refuse.
Nothing is sent before the person confirms the exact amounts; the order then goes through
one :class:`~cryptex_desktop.ui.money_action.MoneyAction`, which never sends it twice and
asks the exchange after a lost answer. The result says what happened in numbers and goes
away as soon as the form or the account changes.

Beside the form, the chosen market as it is now: its summary above (last price, 24 h change,
high, low, volume), and on tabs its order book (a click on a level puts its price in the
form, Shift+click its price and the amount up to it), its latest trades and a price chart
with the person's own fills marked. The :class:`~cryptex_desktop.ui.market_feed.MarketFeed`
asks for them only while this screen is on show and the window is not minimized.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, Slot
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.api.currencies import PAIRS
from cryptex_desktop.api.errors import InsufficientFunds
from cryptex_desktop.api.market import MarketTrade, OrderBook, Ticker
from cryptex_desktop.api.reconcile import Finding
from cryptex_desktop.api.types import Order, Trade
from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.candles import CandleInterval
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog, confirm
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from cryptex_desktop.ui.formatting import format_money, pair_description, pair_text
from cryptex_desktop.ui.market_feed import MarketFeed, MarketKind
from cryptex_desktop.ui.money_action import ActionReport, ActionWords, MoneyAction, MoneyRequest
from cryptex_desktop.ui.order_terms import (
    BUY,
    SELL,
    OrderTerms,
    PlacedTrade,
    TradeNote,
    check_placed,
    exact_money,
    note_existing_orders,
    place_and_read_back,
    placed_sentence,
    price_money,
    price_sense,
    trade_fee_text,
)
from cryptex_desktop.ui.refresher import Refresher
from cryptex_desktop.ui.screens.base import Screen
from cryptex_desktop.ui.settings import AppSettings
from cryptex_desktop.ui.wallet_state import WalletState
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.documented_keys import BEST_PRICE_KEYS, keep_documented_keys
from cryptex_desktop.ui.widgets.labels import ResultLabel
from cryptex_desktop.ui.widgets.layout import FORM_MAX_WIDTH, help_panel
from cryptex_desktop.ui.widgets.market_panels import MarketPanels
from cryptex_desktop.ui.widgets.market_summary import MarketSummary
from cryptex_desktop.ui.widgets.order_form import OrderForm

log = logging.getLogger(__name__)

#: The market data the screen shows while it is on show.
WATCHED_KINDS = frozenset({MarketKind.TICKERS, MarketKind.BOOK, MarketKind.TRADES})
#: How many of the person's latest fills of the market are marked on the chart.
FILLS_MARKED = 200
#: How far back the 24 h change looks.
DAY = timedelta(hours=24)
#: From this screen width and height the book, trades and chart stand side by side and the
#: help sits under the form; below it they are tabs beside the form.
WIDE_LAYOUT = (1360, 700)


def price_day_ago(trades: Sequence[MarketTrade], now: datetime) -> Decimal | None:
    """The price of the latest trade at least 24 hours before ``now``, if ``trades`` go
    back that far (the exchange sends only its latest trades, so often they do not)."""
    older = [trade for trade in trades if trade.time <= now - DAY]
    if not older:
        return None
    return max(older, key=lambda trade: (trade.time, trade.trade_id)).price


def place_button_style(side: str) -> str:
    """The place button in the side's colour, quiet while it cannot be pressed."""
    c, role = theme.hex_colour, theme.Role
    accent = c(role.BUY if side == BUY else role.SELL)
    return (
        f"QPushButton {{ padding: 8px 22px; font-weight: bold; border-radius: 4px; "
        f"border: 1px solid {accent}; background: {accent}; color: {c(theme.Role.ON_ACCENT)}; }}\n"
        f"QPushButton:focus {{ border: 2px solid {c(theme.Role.HIGHLIGHT)}; }}\n"
        f"QPushButton:disabled {{ border: 1px solid {c(role.BORDER)}; "
        f"background: {c(role.BUTTON)}; color: {c(theme.Role.MUTED)}; }}"
    )


def _found(_terms: OrderTerms, finding: Finding) -> str:
    if isinstance(finding.found, Order):
        return _("The connection dropped, but the exchange has your order #{id}: {detail}") \
            .format(id=finding.found.order_id, detail=finding.detail)
    return _("The connection dropped, but the exchange has your order: {detail}").format(
        detail=finding.detail)


def _done(_terms: OrderTerms, answer: PlacedTrade) -> str:
    return placed_sentence(answer)


def trade_words() -> ActionWords:
    """What placing an order says at each step, in the reader's language."""
    return ActionWords(
        sending=_("Sending your order to the exchange…"),
        done=_done,
        found=_found,
        not_done=_("Nothing was spent; you can place it again."),
        check_failed=_(
            "The connection dropped before the exchange confirmed the order, and the app could "
            "not find out what happened: {reason} Look at the Open orders and History tabs "
            "before you place it again."
        ),
        switched=_(
            "You switched accounts while an order was on its way, so the app did not see the "
            "answer. Look at Open orders and History of that account before you place it again."
        ),
    )


class TradeScreen(Screen):
    """Buy or sell at a price you choose."""

    NAME: ClassVar[str] = "trade"

    def __init__(
        self,
        dispatcher: Dispatcher,
        wallet: WalletState,
        refresher: Refresher,
        settings: AppSettings,
        parent: QWidget | None = None,
        market: MarketFeed | None = None,
    ) -> None:
        super().__init__(_("Buy or sell"), _(
            "Choose a market, whether you buy or sell, your price and how much. Nothing is "
            "sent until you have checked the amounts and confirmed."
        ), parent)
        self._dispatcher = dispatcher
        self._wallet = wallet
        self._refresher = refresher
        self._settings = settings
        self._market = market
        # Orders this screen placed: a lost answer must not be mistaken for one of these.
        self._placed_ids: set[int] = set()
        self._confirm_dialog: ConfirmDialog | None = None
        # What the market side shows, so an unchanged answer is not drawn again.
        self._shown_book: OrderBook | None = None
        self._shown_trades: tuple[MarketTrade, ...] | None = None
        self.action = MoneyAction(dispatcher, trade_words(), self)
        self.action.busyChanged.connect(self._on_busy)
        self.action.progress.connect(self._on_progress)
        self.action.finished.connect(self._on_finished)

        self._build()
        pair = str(settings.view_state(self.NAME, "pair", "BTC_USD"))
        side = str(settings.view_state(self.NAME, "side", BUY))
        self.form.set_pair(pair if pair in PAIRS else "BTC_USD")
        self.form.set_side(side if side in (BUY, SELL) else BUY)
        self.form.marketChanged.connect(self._on_market_changed)
        self.form.sideChanged.connect(self._on_side_changed)
        self.form.edited.connect(self._forget_result)
        self.form.submitted.connect(self.place_order)
        wallet.changed.connect(self._update_button)
        self._on_side_changed(self.form.side())
        book_view = self.panels.book_view
        book_view.priceChosen.connect(self.use_price)
        book_view.priceAndAmountChosen.connect(self.use_price_and_amount)
        self.panels.trades_view.retryRequested.connect(self._ask_market_again)
        interval = str(settings.view_state(self.NAME, "chart_interval", ""))
        self.panels.chart.set_interval(
            CandleInterval[interval] if interval in CandleInterval.__members__
            else CandleInterval.MINUTE)  # the latest trades span minutes, not days
        self.panels.chart.intervalChanged.connect(self._on_interval_chosen)
        if market is not None:
            market.unavailable.connect(self._on_market_unavailable)
            market.available.connect(self.market_message.clear_message)
            market.tickersChanged.connect(self._on_tickers)
            market.bookChanged.connect(self._on_book)
            market.tradesChanged.connect(self._on_trades)
        self._show_market(self.pair())

    @classmethod
    def title(cls) -> str:
        """The tab's title."""
        return _("Trade")

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip."""
        return _("Buy or sell at a price you choose")

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.form = OrderForm(self._wallet)
        form = self.form
        # The fields by their own names, as tests and the keyboard walk-through reach them.
        self.pair_combo = form.market_combo
        self.buy_button, self.sell_button = form.buy_button, form.sell_button
        self.price_edit, self.amount_edit = form.price_edit, form.amount_edit
        self.price_label, self.amount_label = form.price_label, form.amount_label
        self.price_message, self.amount_message = form.price_message, form.amount_message
        self.max_button, self.available_label = form.max_button, form.available_label
        self.pay_label, self.receive_label = form.pay_label, form.receive_label

        self.place_button = BusyButton(_("Place buy order"), busy_text=_("Placing order…"))
        self.place_button.setAutoDefault(False)
        self.place_button.setMinimumHeight(36)
        self.place_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.place_button.setAccessibleName(_("Place the order (you confirm first)"))
        self.place_button.clicked.connect(self.place_order)
        button_row = QHBoxLayout()
        button_row.addWidget(self.place_button)
        button_row.addStretch(1)
        form.add_row(button_row)
        # Three lines kept free so a result appearing does not push anything about.
        self.result_label = ResultLabel(reserve_lines=3)
        # A wrapped sentence in a form column is squeezed to its narrowest without these.
        self.result_label.setMinimumWidth(300)
        self.result_label.setSizePolicy(QSizePolicy.Policy.Expanding,
                                        QSizePolicy.Policy.Preferred)
        self.result_label.setAccessibleName(_("What happened to your order"))
        form.add_row(self.result_label)
        # One line under the market chooser when prices cannot be had; the form still works.
        self.market_message = ResultLabel()
        self.market_message.setAccessibleName(_("Market prices"))
        form.form.insertRow(1, "", self.market_message)
        QWidget.setTabOrder(self.max_button, self.place_button)
        self.best_price_button = QPushButton(_("B&est price"))
        keep_documented_keys(self.best_price_button, BEST_PRICE_KEYS)
        self.best_price_button.setAutoDefault(False)
        self.best_price_button.setAccessibleName(_("Best price"))
        self.best_price_button.clicked.connect(self.fill_best_price)
        form.add_beside_price(self.best_price_button)

        aside = help_panel(
            _("How an order works"),
            _("If someone already offers your price or better, the order fills at once, at "
              "their price."),
            _("Otherwise it waits on the Open orders tab until someone takes it, or until you "
              "cancel it. While it waits, what it would spend is held for it."),
            _("The exchange keeps {fee} of what each order receives as its fee.").format(
                fee=trade_fee_text()),
        )
        aside.setMaximumWidth(560)  # longer lines than this are hard to read
        self.summary = MarketSummary()
        self.panels = MarketPanels(aside)
        # Three figures a level still fit, and every tab's name (as wide as its language).
        self.panels.setMinimumWidth(max(300, self.panels.tabs.minimumWidth()))
        left = QWidget()
        left.setMaximumWidth(FORM_MAX_WIDTH)
        left.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._left_column = QVBoxLayout(left)
        self._left_column.setContentsMargins(0, 0, 0, 0)
        self._left_column.setSpacing(18)
        self._left_column.addWidget(form)
        self._left_column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(left)
        row.addWidget(self.panels, 1)
        self.body.addWidget(self.summary)
        self.body.addLayout(row, 1)

    # -- what the person chose ------------------------------------------------------------------

    def pair(self) -> str:
        """The market the form is for, e.g. ``"BTC_USD"``."""
        return self.form.pair()

    def side(self) -> str:
        """``"buy"`` or ``"sell"``."""
        return self.form.side()

    def set_pair(self, pair: str) -> None:
        """Switch the form to ``pair`` (a code from PAIRS)."""
        self.form.set_pair(pair)

    def set_side(self, side: str) -> None:
        """Choose buying or selling."""
        self.form.set_side(side)

    def terms(self) -> OrderTerms | None:
        """The order the form describes, when every field is valid and affordable."""
        return self.form.terms()

    def latest_book(self) -> OrderBook | None:
        """The latest order book of the chosen market, if market data has arrived."""
        if self._market is None:
            return None
        return self._market.book(self.pair())

    def result_tone(self) -> str:
        """``"success"``, ``"problem"``, ``"warning"`` or ``""`` for the result line."""
        return self.result_label.tone().value

    # -- the screen's calls ---------------------------------------------------------------------

    def refresh(self) -> None:
        """The free balances (kept by the shared wallet state) and your fills for the chart."""
        self._wallet.refresh()
        self._ask_fills()

    def showEvent(self, event: QShowEvent) -> None:
        """On show, the chosen market's book is kept fresh for the confirmation."""
        super().showEvent(event)
        self._watch_market()

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden, the screen needs no market data."""
        super().hideEvent(event)
        if self._market is not None:
            self._market.unwatch(self.NAME)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when the window has room for it, tabs when it does not."""
        super().resizeEvent(event)
        size = event.size()
        wide = size.width() >= WIDE_LAYOUT[0] and size.height() >= WIDE_LAYOUT[1]
        if wide == self.panels.is_wide():
            return
        self.panels.set_wide(wide)
        if wide:  # the help under the form; the panels put it back on a tab when narrow
            self._left_column.insertWidget(1, self.panels.help_box)

    def _watch_market(self) -> None:
        if self._market is not None and self.isVisible():
            self._market.watch(self.NAME, self.pair(), WATCHED_KINDS)

    @Slot()
    def _ask_market_again(self) -> None:
        """Try again: watching anew asks at once (unless the exchange asked to wait)."""
        if self._market is not None and self.isVisible():
            self._market.unwatch(self.NAME)
            self._watch_market()

    @Slot(str)
    def _on_market_unavailable(self, _sentence: str) -> None:
        self.market_message.show_warning(_(
            "Market prices are not available right now. You can still place an order."))
        self._shown_book = self._shown_trades = None
        self.summary.show_unavailable()
        self.panels.book_view.show_unavailable()
        self.panels.trades_view.show_unavailable()
        self.panels.chart.show_unavailable()

    # -- the market beside the form ------------------------------------------------------------

    def _show_market(self, pair: str) -> None:
        """A market was chosen: what is known of it at once, the rest as it arrives."""
        self._shown_book = self._shown_trades = None
        market = self._market
        book = market.book(pair) if market is not None else None
        self._on_book(book or OrderBook(pair, (), ()))
        self._on_trades(pair, ())
        self._shown_trades = None  # the empty list was a placeholder: the next answer shows
        self.panels.chart.set_fills([])
        ticker = market.tickers.get(pair) if market is not None else None
        if ticker is not None:
            self._on_tickers(market.tickers if market is not None else {})
        else:
            self.summary.show_unavailable()

    @Slot(dict)
    def _on_tickers(self, tickers: dict[str, Ticker]) -> None:
        ticker = tickers.get(self.pair())
        if ticker is None:
            return
        trades = self._shown_trades or ()
        self.summary.set_ticker(ticker, price_day_ago(trades, datetime.now(UTC)))

    @Slot(object)
    def _on_book(self, book: OrderBook) -> None:
        if book.pair != self.pair() or book == self._shown_book:
            return  # another market's, or nothing new to draw
        self._shown_book = book
        self.panels.book_view.set_book(book)

    @Slot(str, tuple)
    def _on_trades(self, pair: str, trades: tuple[MarketTrade, ...]) -> None:
        if pair != self.pair() or trades == self._shown_trades:
            return
        self._shown_trades = trades
        self.panels.trades_view.set_trades(pair, trades)
        self.panels.chart.set_trades(pair, trades)
        if self._market is not None and pair in self._market.tickers:
            self._on_tickers(self._market.tickers)

    @Slot(object)
    def use_price(self, price: Decimal) -> None:
        """A level of the book was chosen: its price goes into the form."""
        self.price_edit.set_amount(price)
        self.form.edited.emit()

    @Slot(object, object)
    def use_price_and_amount(self, price: Decimal, amount: Decimal) -> None:
        """Shift+click on a level: its price, and the amount up to it, go into the form."""
        self.price_edit.set_amount(price)
        self.amount_edit.set_amount(amount)
        self.form.edited.emit()

    @Slot()
    def fill_best_price(self) -> None:
        """Best price: the lowest sell offer for a buy, the highest buy offer for a sell."""
        best = self.panels.book_view.best_price(self.side())
        if best is None:
            details = PAIRS[self.pair()]
            self.price_message.show_problem(
                (_("Nobody sells {base} on this market right now: type your own price.")
                 if self.side() == BUY else
                 _("Nobody buys {base} on this market right now: type your own price."))
                .format(base=details.base))
            self.price_edit.setFocus()
            return
        self.use_price(best)

    def _update_best_price_tip(self) -> None:
        self.best_price_button.setToolTip(
            _("Use the lowest price a seller offers now (Alt+E).") if self.side() == BUY
            else _("Use the highest price a buyer offers now (Alt+E)."))

    @Slot(object)
    def _on_interval_chosen(self, interval: CandleInterval) -> None:
        self._settings.set_view_state(self.NAME, "chart_interval", interval.name)

    def _ask_fills(self) -> None:
        """The person's latest fills of the market, to mark on the chart (only while on show)."""
        if not self.isVisible() or self._dispatcher.client is None:
            return
        pair = self.pair()

        def fills(client: CryptexClient) -> list[Trade]:
            return client.trade_history(pair=pair, count=FILLS_MARKED)

        def arrived(found: list[Trade]) -> None:
            if pair == self.pair():
                self.panels.chart.set_fills(found)

        self._dispatcher.submit(fills, on_result=arrived, on_error=self._fills_failed,
                                priority=Priority.REFRESH, key=f"trade_fills:{pair}")

    @staticmethod
    def _fills_failed(error: BaseException) -> None:
        # The status bar already says the exchange did not answer; the chart just lacks marks.
        log.debug("your fills for the chart could not be read: %s", type(error).__name__)

    def account_changed(self) -> None:
        """Another account: its result and fills are not about this one; what was typed stays."""
        self._forget_result()
        self.panels.chart.set_fills([])
        self._update_button()

    @Slot()
    def fill_max(self) -> None:
        """Put the most the free balance allows into the amount field."""
        self.form.fill_max()

    @Slot()
    def place_order(self) -> None:
        """Enter or the button: open the confirmation for the order in the form."""
        if self.action.is_busy() or self._confirm_dialog is not None:
            return
        terms = self.form.terms()
        if terms is None or not self._wallet.known:
            if not self.form.point_at_problem():
                self.result_label.show_result(
                    _("Your balances are still loading; try again in a moment."))
            return
        self._confirm(terms)

    # -- confirming and sending ---------------------------------------------------------------

    def _confirm(self, terms: OrderTerms) -> None:
        base = terms.base
        price_text = price_money(terms.price, terms.pair)
        question = (_("Buy {amount} at {price} each?") if terms.side == BUY
                    else _("Sell {amount} at {price} each?")).format(
            amount=format_money(terms.amount, base), price=price_text)
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
        self._confirm_dialog = confirm(
            self,
            lambda: self._send(terms),
            title=_("Confirm your order"),
            question=question,
            rows=[
                (_("You pay"), pays),
                (_("You receive (after fee)"), receives),
                (_("Price"), _("{price} per {base}").format(price=price_text, base=base)),
                (_("Market"), f"{pair_text(terms.pair)} ({pair_description(terms.pair)})"),
            ],
            confirm_text=_("Place buy order") if terms.side == BUY else _("Place sell order"),
            note=note.format(pays=pays, fee=trade_fee_text(), base=base, quote=terms.quote),
            warnings=price_sense(terms, self.latest_book()),
        )
        self._confirm_dialog.finished.connect(self._on_confirm_closed)

    @Slot(int)
    def _on_confirm_closed(self, _result: int) -> None:
        self._confirm_dialog = None

    def _send(self, terms: OrderTerms) -> None:
        sent_at = datetime.now(UTC)
        placed_before = frozenset(self._placed_ids)

        def note(client: CryptexClient) -> TradeNote:
            return note_existing_orders(client, terms, sent_at)

        def send(client: CryptexClient, noted: TradeNote) -> PlacedTrade:
            return place_and_read_back(client, terms, noted)

        def check(client: CryptexClient, noted: TradeNote) -> Finding:
            return check_placed(client, terms, noted, placed_before)

        self.action.start(terms, MoneyRequest(send=send, check=check, note=note))

    @Slot(str)
    def _on_progress(self, sentence: str) -> None:
        """While the order is on its way: "Sending…", then perhaps "Checking…"."""
        self.result_label.show_result(sentence)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.place_button.set_busy(busy)
        self._update_button()

    @Slot(object)
    def _on_finished(self, report: ActionReport) -> None:
        terms: OrderTerms = report.subject
        answer: Any = report.answer
        if isinstance(answer, PlacedTrade):
            self._placed_ids.add(answer.placed.order_id)
            self._wallet.apply_free(answer.placed.balances)
        elif report.finding is not None and isinstance(report.finding.found, Order):
            self._placed_ids.add(report.finding.found.order_id)
        if report.done:
            self.form.clear_amount_if(terms)  # so the same order is not placed twice by accident
            self.result_label.show_success(report.sentence)
        elif report.finding is not None and report.finding.happened is False:
            self.result_label.show_problem(_(
                "The connection dropped before the exchange confirmed the order. {sentence}"
            ).format(sentence=report.sentence))
        else:
            self.result_label.show_problem(report.sentence)
        if isinstance(report.error, InsufficientFunds):
            self._wallet.refresh(Priority.ACTION)  # what the form thought was free is not
        self._refresher.request("open_orders", "history", "balances")
        self._ask_fills()
        self._update_button()

    # -- keeping the screen in step ------------------------------------------------------------

    @Slot()
    def _forget_result(self) -> None:
        """The form or the account changed: the last result no longer describes it."""
        if not self.action.is_busy():
            self.result_label.clear_message()
        self._update_button()

    @Slot(str)
    def _on_market_changed(self, pair: str) -> None:
        self._settings.set_view_state(self.NAME, "pair", pair)
        self._show_market(pair)
        self._watch_market()
        self._ask_fills()

    @Slot(str)
    def _on_side_changed(self, side: str) -> None:
        self._settings.set_view_state(self.NAME, "side", side)
        if not self.action.is_busy():
            self.place_button.setText(
                _("Place buy order") if side == BUY else _("Place sell order"))
        self._style_place_button()
        self._update_best_price_tip()
        self._update_button()

    @Slot()
    def _update_button(self) -> None:
        if not self.action.is_busy():
            self.place_button.setEnabled(self.form.is_ready())

    def _style_place_button(self) -> None:
        style = place_button_style(self.form.side())
        if self.place_button.styleSheet() != style:  # setting it again signals another change
            self.place_button.setStyleSheet(style)

    def changeEvent(self, event: QEvent) -> None:
        """Ask the theme again for the place button's colour when the palette changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style_place_button()
