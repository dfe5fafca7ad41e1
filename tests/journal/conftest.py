"""Fixtures of the journal tests: a journal in a temporary data dir, on a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cryptex_desktop.journal import Journal


class SteppingClock:
    """A clock that moves one second each time it is read, so every record has its own time."""

    def __init__(self, start: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def journal(tmp_path: Path, clock: SteppingClock) -> Iterator[Journal]:
    """The demo account's journal in a fresh data dir."""
    opened = Journal.for_account(tmp_path / "data", "", "", is_demo=True, clock=clock)
    yield opened
    opened.close()
