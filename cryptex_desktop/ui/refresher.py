"""Keeps open views fresh: a timer for the visible ones, and coalesced refreshes after actions.

Views register a refresh function and a "am I visible" test. The timer refreshes only the
visible ones; hidden views wait until they are shown. After an action (an order placed, a
coupon redeemed) code asks for a refresh by name; requests made close together are
gathered and run once, the way Electrum coalesces its history refreshes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Slot

#: How long requests are gathered before one refresh runs.
COALESCE_MS = 150


@dataclass
class _View:
    refresh: Callable[[], None]
    is_visible: Callable[[], bool]


class Refresher(QObject):
    """Runs registered refreshes on a timer (visible views only) and on request (coalesced)."""

    def __init__(self, interval_seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: dict[str, _View] = {}
        self._requested: set[str] = set()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh_visible)
        self.set_interval(interval_seconds)
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self._run_requested)

    def set_interval(self, seconds: int) -> None:
        """Refresh visible views every ``seconds``."""
        self._timer.setInterval(max(1, seconds) * 1000)

    def start(self) -> None:
        """Begin refreshing on the timer."""
        self._timer.start()

    def stop(self) -> None:
        """Stop all automatic refreshing."""
        self._timer.stop()
        self._coalesce.stop()

    def register(
        self, name: str, refresh: Callable[[], None], is_visible: Callable[[], bool] = lambda: True
    ) -> None:
        """Add a view; ``refresh`` should queue its calls and return at once."""
        self._views[name] = _View(refresh, is_visible)

    def request(self, *names: str) -> None:
        """Refresh these views soon, once, however often this is called meanwhile."""
        self._requested.update(names or self._views.keys())
        if not self._coalesce.isActive():
            self._coalesce.start()

    @Slot()
    def refresh_visible(self) -> None:
        """Refresh every visible view now (the timer, and F5)."""
        for view in self._views.values():
            if view.is_visible():
                view.refresh()

    @Slot()
    def _run_requested(self) -> None:
        names, self._requested = self._requested, set()
        for name in sorted(names):
            view = self._views.get(name)
            if view is not None:
                view.refresh()
