"""The price chart: candles of a market's trades at 1 min, 15 min, 1 h or 1 day, your fills on it.

Drawn with ``QPainter`` by :class:`CandleCanvas`, not with QtCharts: QtCharts would add its
own library (several MB) to a one-file build that must stay under 70 MB, pulls in its own
look that the theme would have to fight, and draws each candle as an object of its own,
where this paints only the candles in view from plain lists.

Candles are built from the trades on a worker thread (:func:`build_candles`), never on
the UI thread; the chart shows the newest candles that fit its width and scrolls back in
time with the mouse wheel or the arrow keys (Ctrl+wheel, + and - zoom). Rising candles
are in the buy colour, falling ones in the sell colour; your own fills are small
triangles (up: you bought, down: you sold). Pointing at a candle shows its figures.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from PySide6.QtCore import (
    QDate,
    QLineF,
    QLocale,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.api.market import MarketTrade
from cryptex_desktop.api.types import Trade
from cryptex_desktop.i18n import _
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.candles import Candle, CandleInterval, build_candles
from cryptex_desktop.ui.formatting import (
    format_amount,
    format_datetime,
    format_price,
    market,
    number_text,
    pair_text,
    price_decimals,
)

_START = operator.attrgetter("start")
#: Pixels per candle: at first, and the narrowest and widest zoom.
SLOT_PIXELS, MIN_SLOT, MAX_SLOT = 8.0, 3.0, 40.0
#: Time labels are at least this far apart, price labels at least this high apart.
_TIME_LABEL_GAP, _PRICE_LABEL_GAP = 110, 48
_TIME_STEPS = (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400,
               7 * 86400, 14 * 86400, 28 * 86400)
_FILL_SIZE = 5.0  # half the width of a fill's triangle, in pixels


def no_trades_text() -> str:
    """What the chart says about a market without trades."""
    return _("No trades on this market yet, so there is no price to draw.")


def unavailable_text() -> str:
    """What the chart says when the exchange did not send the trades."""
    return _("The price chart is not available right now. The app keeps asking.")


def building_text() -> str:
    """What the chart says while its candles are being built."""
    return _("Drawing the chart…")


def interval_tooltip(interval: CandleInterval) -> str:
    """What one candle of ``interval`` shows, as a whole sentence (a span's words change with
    the sentence in some languages, so none is slotted in)."""
    return {
        CandleInterval.MINUTE: _("Each candle shows one minute of trades."),
        CandleInterval.FIFTEEN_MINUTES: _("Each candle shows 15 minutes of trades."),
        CandleInterval.HOUR: _("Each candle shows one hour of trades."),
        CandleInterval.DAY: _("Each candle shows one day of trades."),
    }[interval]


def interval_name(interval: CandleInterval) -> str:
    """The accessible name of the button that chooses ``interval``."""
    return {
        CandleInterval.MINUTE: _("Candles of one minute"),
        CandleInterval.FIFTEEN_MINUTES: _("Candles of 15 minutes"),
        CandleInterval.HOUR: _("Candles of one hour"),
        CandleInterval.DAY: _("Candles of one day"),
    }[interval]


class _Fill(NamedTuple):
    """One of your fills as the chart marks it."""

    seconds: float  # since 1970, UTC
    price: Decimal
    bought: bool


# -- building candles off the UI thread ---------------------------------------------------------


class _CandleBuilds(QObject):
    """The one long-lived object worker threads report built candles through.

    Made on the UI thread at first use and never freed, so a chart closed while its candles
    are being built leaves the worker nothing dangling to emit through.
    """

    built = Signal(int, object)


_builds: _CandleBuilds | None = None
_pool: QThreadPool | None = None
_build_ids = itertools.count(1)


def _workers() -> tuple[_CandleBuilds, QThreadPool]:
    global _builds, _pool
    if _builds is None or _pool is None:
        _builds = _CandleBuilds()
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)  # one build at a time: a newer one makes older ones moot
    return _builds, _pool


class _CandleBuild(QRunnable):
    """Builds the candles of some trades on a pool thread; holds only plain data."""

    def __init__(self, build_id: int, trades: Sequence[MarketTrade],
                 interval: CandleInterval, builds: _CandleBuilds) -> None:
        super().__init__()
        self._id, self._trades, self._interval, self._builds = build_id, trades, interval, builds

    def run(self) -> None:
        try:
            candles: list[Candle] | BaseException = build_candles(self._trades, self._interval)
        except Exception as problem:  # reported to the chart, which says it cannot draw
            candles = problem
        self._builds.built.emit(self._id, (self._interval, candles))


# -- the drawing --------------------------------------------------------------------------------


def nice_step(raw: float) -> tuple[float, int]:
    """The round step (1, 2, 2.5 or 5 times a power of ten) at least ``raw``, and its decimals."""
    exponent = math.floor(math.log10(raw))
    for multiple, extra in ((1, 0), (2, 0), (2.5, 1), (5, 0)):
        step = multiple * 10.0**exponent
        if step >= raw * 0.999:
            return step, max(0, extra - exponent)
    return 10.0 ** (exponent + 1), max(0, -exponent - 1)


class CandleCanvas(QWidget):
    """Paints candles, the price and time axes, your fills and the pointer's crosshair."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 160)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pair = ""
        self.interval = CandleInterval.HOUR
        self.candles: list[Candle] = []
        self.fills: list[_Fill] = []
        self.message = ""
        self.slot = SLOT_PIXELS
        #: Candles scrolled back from the newest (0: the newest candle at the right edge).
        self.back = 0.0
        self._pointer: QPoint | None = None
        theme.follow(self.update)

    # -- what the chart tells it ---------------------------------------------------------------

    def show_candles(self, pair: str, interval: CandleInterval,
                     candles: list[Candle]) -> None:
        """Draw ``candles``; a new market or interval starts at the newest candle."""
        if (pair, interval) != (self.pair, self.interval):
            self.back = 0.0
        self.pair, self.interval, self.candles = pair, interval, candles
        self.message = "" if candles else no_trades_text()
        if candles:
            details = market(pair)
            # Translators: {candles} is a whole name, such as "Candles of one hour".
            self.setAccessibleDescription(_(
                "{candles} from {first} to {last}; the latest closed at {close} "
                "{quote}. Left and Right move in time, + and - zoom.").format(
                candles=interval_name(interval), first=format_datetime(candles[0].start),
                last=format_datetime(candles[-1].start),
                close=format_price(candles[-1].close, pair), quote=details.quote))
        else:
            self.setAccessibleDescription(self.message)
        self.update()

    def show_message(self, text: str) -> None:
        """Draw ``text`` in place of the candles."""
        self.message = text
        self.update()

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint_chart(painter, self.rect())
        painter.end()

    def paint_chart(self, painter: QPainter, area: QRect) -> None:
        """Paint the chart into ``area``: only the candles that fall in view."""
        colour = theme.current().colour
        painter.fillRect(area, colour(theme.Role.BASE))
        metrics = QFontMetrics(painter.font())
        if self.message or not self.candles:
            painter.setPen(colour(theme.Role.MUTED))
            painter.drawText(area.adjusted(12, 12, -12, -12),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self.message or no_trades_text())
            return
        plot = self._plot_area(area, metrics)
        if plot.width() < 20 or plot.height() < 20:
            return
        window = self._window(plot.width())
        start, end = window
        first = bisect.bisect_left(self.candles, start, key=_START)
        last = bisect.bisect_left(self.candles, end, key=_START)
        visible = self.candles[first:last]
        if not visible:
            painter.setPen(colour(theme.Role.MUTED))
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter),
                             _("No trades in this stretch of time."))
            self._paint_time_axis(painter, plot, window, metrics)
            return
        # Pixel positions are floats: this is geometry, not money.
        low = float(min(c.low for c in visible))
        high = float(max(c.high for c in visible))
        if high - low < high * 1e-6 or high == low:
            pad = max(abs(high) * 0.01, 10.0 ** -price_decimals(self.pair))
            low, high = low - pad, high + pad
        margin = (high - low) * 0.06
        low, high = low - margin, high + margin
        scale = plot.height() / (high - low)
        bottom = plot.bottom() + 1

        def y_of(price: float) -> float:
            return bottom - (price - low) * scale

        self._paint_price_axis(painter, plot, low, high, y_of, metrics)
        self._paint_time_axis(painter, plot, window, metrics)
        self._paint_candles(painter, plot, window, visible, y_of)
        self._paint_fills(painter, plot, window, y_of)
        self._paint_crosshair(painter, plot)

    def _plot_area(self, area: QRect, metrics: QFontMetrics) -> QRect:
        """Where candles go: ``area`` less room for price labels (right) and times (below)."""
        widest = max(c.high for c in self.candles[-50:]) * 10  # a digit to spare
        label_width = metrics.horizontalAdvance(number_text(widest, price_decimals(self.pair)))
        return area.adjusted(8, 8, -(label_width + 14), -(metrics.height() + 10))

    def _window(self, width: int) -> tuple[datetime, datetime]:
        """The stretch of time in view: as many candles as fit, ending at the scroll point."""
        step = self.interval.seconds
        newest_end = self.candles[-1].start.timestamp() + step
        end = newest_end - round(self.back) * step
        count = width / self.slot
        start = end - count * step
        return (datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC))

    def _x_of(self, moment: float, plot: QRect, window: tuple[datetime, datetime]) -> float:
        start = window[0].timestamp()
        return plot.left() + (moment - start) / self.interval.seconds * self.slot

    def _paint_price_axis(self, painter: QPainter, plot: QRect, low: float, high: float,
                          y_of: Callable[[float], float], metrics: QFontMetrics) -> None:
        colour = theme.current().colour
        step, decimals = nice_step((high - low) / max(1, plot.height() // _PRICE_LABEL_GAP))
        decimals = min(decimals, price_decimals(self.pair))
        grid = QPen(colour(theme.Role.BORDER))
        grid.setStyle(Qt.PenStyle.DotLine)
        text_colour = colour(theme.Role.MUTED)
        tick = math.ceil(low / step) * step
        x = plot.right() + 8
        half = metrics.ascent() / 2 - 1
        while tick <= high:
            y = y_of(tick)
            painter.setPen(grid)
            painter.drawLine(QLineF(plot.left(), y, plot.right(), y))
            painter.setPen(text_colour)
            # The label of a grid line: a round number for reading, drawn from a float tick.
            painter.drawText(QPointF(x, y + half), number_text(Decimal(f"{tick:.{decimals}f}"),
                                                               decimals))
            tick += step
        painter.setPen(colour(theme.Role.BORDER))
        painter.drawLine(plot.right() + 1, plot.top(), plot.right() + 1, plot.bottom() + 1)
        painter.drawLine(plot.left(), plot.bottom() + 1, plot.right() + 1, plot.bottom() + 1)

    def _paint_time_axis(self, painter: QPainter, plot: QRect,
                         window: tuple[datetime, datetime], metrics: QFontMetrics) -> None:
        colour = theme.current().colour
        start, end = window[0].timestamp(), window[1].timestamp()
        seconds_per_pixel = self.interval.seconds / self.slot
        step = next((s for s in _TIME_STEPS if s / seconds_per_pixel >= _TIME_LABEL_GAP),
                    _TIME_STEPS[-1])
        offset = time.localtime(start).tm_gmtoff  # ticks at round local times
        tick = math.ceil((start + offset) / step) * step - offset
        text_colour = colour(theme.Role.MUTED)
        grid = QPen(colour(theme.Role.BORDER))
        grid.setStyle(Qt.PenStyle.DotLine)
        baseline = plot.bottom() + 4 + metrics.ascent()
        locale = QLocale()
        while tick < end:
            x = self._x_of(tick, plot, window)
            local = time.localtime(tick)
            if step >= 86400 or (local.tm_hour == 0 and local.tm_min == 0):
                label = locale.toString(QDate(local.tm_year, local.tm_mon, local.tm_mday),
                                        "d MMM")
            else:
                label = f"{local.tm_hour:02d}:{local.tm_min:02d}"
            painter.setPen(grid)
            painter.drawLine(QLineF(x, plot.top(), x, plot.bottom()))
            painter.setPen(text_colour)
            width = metrics.horizontalAdvance(label)
            if plot.left() <= x - width / 2 and x + width / 2 <= plot.right():
                painter.drawText(QPointF(x - width / 2, baseline), label)
            tick += step

    def _paint_candles(self, painter: QPainter, plot: QRect,
                       window: tuple[datetime, datetime], visible: Sequence[Candle],
                       y_of: Callable[[float], float]) -> None:
        colour = theme.current().colour
        step = self.interval.seconds
        left = plot.left() - window[0].timestamp() / step * self.slot
        body = max(1.0, self.slot * 0.7)
        half = body / 2
        centre = self.slot / 2
        up_wicks: list[QLineF] = []
        down_wicks: list[QLineF] = []
        up_bodies: list[QRectF] = []
        down_bodies: list[QRectF] = []
        for candle in visible:
            x = left + candle.start.timestamp() / step * self.slot + centre
            open_, close = y_of(float(candle.open)), y_of(float(candle.close))
            wick = QLineF(x, y_of(float(candle.high)), x, y_of(float(candle.low)))
            if candle.close >= candle.open:
                up_wicks.append(wick)
                up_bodies.append(QRectF(x - half, close, body, max(1.0, open_ - close)))
            else:
                down_wicks.append(wick)
                down_bodies.append(QRectF(x - half, open_, body, max(1.0, close - open_)))
        painter.save()
        painter.setClipRect(plot)
        for role, wicks, bodies in ((theme.Role.BUY, up_wicks, up_bodies),
                                    (theme.Role.SELL, down_wicks, down_bodies)):
            ink = colour(role)
            painter.setPen(ink)
            if wicks:
                painter.drawLines(wicks)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            if bodies:
                painter.drawRects(bodies)
        painter.restore()

    def _paint_fills(self, painter: QPainter, plot: QRect,
                     window: tuple[datetime, datetime], y_of: Callable[[float], float]) -> None:
        if not self.fills:
            return
        colour = theme.current().colour
        start, end = window[0].timestamp(), window[1].timestamp()
        outline = QPen(colour(theme.Role.BASE))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(plot)
        painter.setPen(outline)
        size = _FILL_SIZE
        for fill in self.fills:
            if not start <= fill.seconds < end:
                continue
            x = self._x_of(fill.seconds, plot, window)
            y = y_of(float(fill.price))
            if fill.bought:  # pointing up, just under the price
                shape = [QPointF(x, y), QPointF(x - size, y + 1.6 * size),
                         QPointF(x + size, y + 1.6 * size)]
                painter.setBrush(colour(theme.Role.BUY))
            else:  # pointing down, just over it
                shape = [QPointF(x, y), QPointF(x - size, y - 1.6 * size),
                         QPointF(x + size, y - 1.6 * size)]
                painter.setBrush(colour(theme.Role.SELL))
            painter.drawPolygon(QPolygonF(shape))
        painter.restore()

    def _paint_crosshair(self, painter: QPainter, plot: QRect) -> None:
        pointer = self._pointer
        if pointer is None or not plot.contains(pointer):
            return
        pen = QPen(theme.current().colour(theme.Role.MUTED))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(pointer.x(), plot.top(), pointer.x(), plot.bottom())
        painter.drawLine(plot.left(), pointer.y(), plot.right(), pointer.y())

    # -- reading what is under the pointer -----------------------------------------------------

    def candle_at(self, x: float) -> Candle | None:
        """The candle drawn at ``x`` (widget pixels), if any."""
        if not self.candles or self.message:
            return None
        plot = self._plot_area(self.rect(), QFontMetrics(self.font()))
        window = self._window(plot.width())
        moment = window[0].timestamp() + (x - plot.left()) / self.slot * self.interval.seconds
        at = datetime.fromtimestamp(moment, UTC)
        index = bisect.bisect_right(self.candles, at, key=_START) - 1
        if index < 0:
            return None
        candle = self.candles[index]
        return candle if at < candle.end(self.interval) else None

    def describe(self, candle: Candle) -> str:
        """A candle's figures in words, for the pointer's tooltip."""
        details = market(self.pair)
        return _("{time}, {interval}\nOpen {open}   High {high}\nLow {low}   Close {close} "
                 "{quote}\nTraded {volume} {base}").format(
            time=format_datetime(candle.start), interval=self.interval.description(),
            open=format_price(candle.open, self.pair), high=format_price(candle.high, self.pair),
            low=format_price(candle.low, self.pair), close=format_price(candle.close, self.pair),
            quote=details.quote, volume=format_amount(candle.volume, details.base),
            base=details.base)

    # -- moving around -------------------------------------------------------------------------

    def scroll_by(self, candles: float) -> None:
        """Move back in time by ``candles`` (forward when negative), not past either end."""
        span = 0.0
        if self.candles:  # in candles' worth of time, gaps included
            span = (self.candles[-1].start - self.candles[0].start).total_seconds()
            span /= self.interval.seconds
        self.back = min(max(0.0, self.back + candles), span)
        self.update()

    def zoom_by(self, factor: float) -> None:
        """Make candles ``factor`` times wider (narrower below 1), within limits."""
        self.slot = min(MAX_SLOT, max(MIN_SLOT, self.slot * factor))
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.2**notches)
        else:
            self.scroll_by(notches * 10)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = {Qt.Key.Key_Left: 10.0, Qt.Key.Key_Right: -10.0,
                 Qt.Key.Key_PageUp: 100.0, Qt.Key.Key_PageDown: -100.0}
        if key in moves:
            self.scroll_by(moves[Qt.Key(key)])
        elif key == Qt.Key.Key_End:
            self.back = 0.0
            self.update()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        else:
            super().keyPressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._pointer = event.position().toPoint()
        candle = self.candle_at(event.position().x())
        if candle is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.describe(candle), self)
        self.update()

    def leaveEvent(self, event: object) -> None:
        self._pointer = None
        self.update()


# -- the chart with its interval chooser --------------------------------------------------------


class PriceChart(QWidget):
    """A market's price chart: the interval chooser above the candles.

    ``candlesChanged`` says new candles are on show (after a build on the worker);
    ``intervalChanged`` carries the :class:`CandleInterval` a person chose.
    """

    candlesChanged = Signal()
    intervalChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = CandleCanvas()
        self._pair = ""
        self._trades: Sequence[MarketTrade] = ()
        self._interval = CandleInterval.HOUR
        self._pending = 0
        self._fills: list[Trade] = []
        self.buttons: dict[CandleInterval, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        chooser = QHBoxLayout()
        chooser.setSpacing(2)
        for interval in CandleInterval:
            button = QToolButton()
            button.setText(interval.label())
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolTip(interval_tooltip(interval))
            button.setAccessibleName(interval_name(interval))
            button.clicked.connect(lambda _checked=False, i=interval: self.set_interval(i))
            self._group.addButton(button)
            chooser.addWidget(button)
            self.buttons[interval] = button
        chooser.addStretch(1)
        self.buttons[self._interval].setChecked(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(chooser)
        layout.addWidget(self.canvas, 1)
        builds, _pool = _workers()
        builds.built.connect(self._on_built)
        self.canvas.setAccessibleName(_("Price chart"))
        self.canvas.show_message(no_trades_text())

    # -- what the screen calls -----------------------------------------------------------------

    def interval(self) -> CandleInterval:
        """How long each candle lasts now."""
        return self._interval

    def candles(self) -> list[Candle]:
        """The candles on show."""
        return self.canvas.candles

    def set_trades(self, pair: str, trades: Sequence[MarketTrade]) -> None:
        """Chart ``trades`` of ``pair``: the candles are built on a worker, then shown.

        The chart keeps ``trades`` to rebuild at another interval: pass a new list each
        time rather than changing this one.
        """
        self._pair = pair
        self._trades = trades
        self.canvas.setAccessibleName(_("Price chart of {market}").format(
            market=pair_text(pair)))
        self._build()

    def set_interval(self, interval: CandleInterval) -> None:
        """Show candles of ``interval``, rebuilt from the trades on a worker."""
        self.buttons[interval].setChecked(True)
        if interval == self._interval:
            return
        self._interval = interval
        self.intervalChanged.emit(interval)
        self._build()

    def set_fills(self, fills: Iterable[Trade]) -> None:
        """Mark your own fills of the market on show (fills of other markets are ignored)."""
        self._fills = list(fills)
        self._mark_fills()

    def show_unavailable(self) -> None:
        """The trades could not be read: say so in place of the candles."""
        self._pending = 0
        self.canvas.show_message(unavailable_text())

    def show_candles_now(self, pair: str, trades: Sequence[MarketTrade],
                         interval: CandleInterval) -> None:
        """Build and show the candles on this thread (for benchmarks and a few trades)."""
        self._pair, self._trades, self._interval = pair, trades, interval
        self.buttons[interval].setChecked(True)
        self._pending = 0
        self.canvas.show_candles(pair, interval, build_candles(trades, interval))
        self._mark_fills()
        self.candlesChanged.emit()

    # -- inside --------------------------------------------------------------------------------

    def _build(self) -> None:
        if not self._pair:
            return
        builds, pool = _workers()
        self._pending = next(_build_ids)
        if not self.canvas.candles or self.canvas.interval != self._interval:
            self.canvas.show_message(building_text())
        pool.start(_CandleBuild(self._pending, self._trades, self._interval, builds))

    def _on_built(self, build_id: int, result: tuple[CandleInterval, object]) -> None:
        if build_id != self._pending:
            return  # another chart's, or overtaken by a newer build
        self._pending = 0
        interval, candles = result
        if not isinstance(candles, list):
            self.canvas.show_message(unavailable_text())
            return
        self.canvas.show_candles(self._pair, interval, candles)
        self._mark_fills()
        self.candlesChanged.emit()

    def _mark_fills(self) -> None:
        self.canvas.fills = [
            _Fill((fill.timestamp if fill.timestamp.tzinfo else
                   fill.timestamp.replace(tzinfo=UTC)).timestamp(),
                  fill.price, fill.type == "buy")
            for fill in self._fills if fill.pair == self._pair]
        self.canvas.update()

