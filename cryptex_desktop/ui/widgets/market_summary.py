"""The line above the order form: the market's last price, 24 h change, high, low and volume.

Each figure has a caption, its value and a tooltip saying in plain words what it is. The
24 h change needs the price of 24 hours ago, which a ticker does not carry: without it the
change is left out (hidden), not guessed.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from cryptex_desktop.api.market import Ticker
from cryptex_desktop.api.money import money_context
from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.formatting import (
    format_amount,
    format_price,
    market,
    number_text,
    pair_text,
)
from cryptex_desktop.ui.widgets.labels import ThemedLabel, muted_label, set_text_role

#: Shown for a figure the exchange did not give.
UNKNOWN = "—"


class SummaryFigure(QWidget):
    """One figure: a quiet caption above its value, both with the same tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = muted_label(wrap=False)
        self.value = ThemedLabel(UNKNOWN)
        self.value.setTextFormat(Qt.TextFormat.PlainText)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def show_figure(self, caption: str, value: str, tooltip: str,
                    role: theme.Role = theme.Role.TEXT) -> None:
        """Show ``value`` under ``caption``, in ``role``'s colour, with ``tooltip``."""
        self.caption.setText(caption)
        self.value.setText(value)
        set_text_role(self.value, role)
        self.setToolTip(tooltip)
        self.value.setAccessibleName(caption)
        self.value.setAccessibleDescription(tooltip)


class MarketSummary(QWidget):
    """Last price, 24 h change, high, low and volume of one market, in a row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last = SummaryFigure()
        self.change = SummaryFigure()
        self.high = SummaryFigure()
        self.low = SummaryFigure()
        self.volume = SummaryFigure()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        for figure in self.figures():
            layout.addWidget(figure)
        layout.addStretch(1)
        self.setAccessibleName(_("Market summary"))
        self.show_unavailable()

    def figures(self) -> tuple[SummaryFigure, ...]:
        """The figures, left to right."""
        return (self.last, self.change, self.high, self.low, self.volume)

    def set_ticker(self, ticker: Ticker, price_day_ago: Decimal | None = None) -> None:
        """Show ``ticker``; with the price of 24 hours ago, the change since then too."""
        details = market(ticker.pair)
        quote, base = details.quote, details.base
        words = {"market": pair_text(ticker.pair), "quote": quote, "base": base}

        def price(value: Decimal | None) -> str:
            return UNKNOWN if value is None else format_price(value, ticker.pair)

        self.last.show_figure(
            _("Last price ({quote})").format(**words), price(ticker.last),
            _("The price of the latest trade on {market}: what one {base} last sold for, "
              "in {quote}.").format(**words))
        self.high.show_figure(
            _("24 h high"), price(ticker.high),
            _("The highest price {base} traded at on {market} in the last 24 hours, "
              "in {quote}.").format(**words))
        self.low.show_figure(
            _("24 h low"), price(ticker.low),
            _("The lowest price {base} traded at on {market} in the last 24 hours, "
              "in {quote}.").format(**words))
        volume = UNKNOWN if ticker.volume is None else format_amount(ticker.volume, quote)
        self.volume.show_figure(
            _("24 h volume ({quote})").format(**words), volume,
            _("How much was traded on {market} in the last 24 hours, counted in "
              "{quote}.").format(**words))
        self._show_change(ticker, price_day_ago)

    def show_unavailable(self) -> None:
        """No ticker: every figure reads "—", and says why in its tooltip."""
        why = _("Market prices are not available right now. The app keeps asking.")
        captions = (_("Last price"), _("24 h change"), _("24 h high"), _("24 h low"),
                    _("24 h volume"))
        for figure, caption in zip(self.figures(), captions, strict=True):
            figure.show_figure(caption, UNKNOWN, why, theme.Role.MUTED)
        self.change.hide()

    def value_texts(self) -> dict[str, str]:
        """Caption -> value of every figure on show (for tests and copying)."""
        return {figure.caption.text(): figure.value.text()
                for figure in self.figures() if not figure.isHidden()}

    def _show_change(self, ticker: Ticker, price_day_ago: Decimal | None) -> None:
        last = ticker.last
        if last is None or not price_day_ago:
            self.change.hide()  # a change needs both prices: left out rather than guessed
            return
        with money_context():
            difference = last - price_day_ago
            percent = difference / price_day_ago * 100
        role = theme.Role.BUY if difference > 0 else (
            theme.Role.SELL if difference < 0 else theme.Role.TEXT)
        details = market(ticker.pair)
        self.change.show_figure(
            # Translators: a change in percent, such as "+1.25 %"; write the sign your way.
            _("24 h change"), _("{percent} %").format(percent=number_text(percent, 2, sign=True)),
            _("How much the price moved since 24 hours ago: {difference}, from {before} to "
              "{now}.").format(
                difference=number_text(difference, details.price_decimals, sign=True)
                + " " + details.quote,
                before=format_price(price_day_ago, ticker.pair) + " " + details.quote,
                now=format_price(last, ticker.pair) + " " + details.quote),
            role)
        self.change.show()

