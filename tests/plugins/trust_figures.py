"""The trust tests' figures: calls made, kills survived, fuzz cases tried, printed at the end.

Tests add theirs with :func:`add_figure`; the run's summary prints them for the lead's
closing note.
"""

from __future__ import annotations

import threading

import pytest

_figures: dict[str, int] = {}
_figures_lock = threading.Lock()


def add_figure(name: str, amount: int = 1) -> None:
    """Count ``amount`` more of ``name`` for the end-of-run summary."""
    with _figures_lock:
        _figures[name] = _figures.get(name, 0) + amount


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the trust tests did."""
    if not _figures:
        return
    terminalreporter.section("trust figures")
    for name, amount in _figures.items():
        terminalreporter.write_line(f"{name}: {amount:,}")
