"""A test clock for journals: every reading is one second later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SteppingClock:
    """A clock that moves one second each time it is read, so every record has its own time."""

    def __init__(self, start: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now
