"""Fixtures of the journal tests: a journal in a temporary data dir, on a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cryptex_desktop.journal import Journal
from tests.journal.clock import SteppingClock


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def journal(tmp_path: Path, clock: SteppingClock) -> Iterator[Journal]:
    """The demo account's journal in a fresh data dir."""
    opened = Journal.for_account(tmp_path / "data", "", "", is_demo=True, clock=clock)
    yield opened
    opened.close()
