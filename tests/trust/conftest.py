"""Fixtures and figures for the trust tests: nonces, durability, fuzzing, secrets, clipboard.

The GUI fixtures (``window``, ``app_context``, ``demo_exchange``...) are the ones of
``tests/ui/conftest.py``, imported so that these tests drive the same real app. Tests add
their figures (calls made, kills survived, fuzz cases tried) with :func:`add_figure`;
they are printed at the end of the run.
"""

from __future__ import annotations

import threading

import pytest

from tests.ui.conftest import (  # noqa: F401 - fixtures, found by pytest by name
    app_context,
    app_data_dir,
    demo_exchange,
    memory_keyring,
    window,
)

_figures: dict[str, int] = {}
_figures_lock = threading.Lock()


def add_figure(name: str, amount: int = 1) -> None:
    """Count ``amount`` more of ``name`` for the end-of-run summary."""
    with _figures_lock:
        _figures[name] = _figures.get(name, 0) + amount


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the trust tests did, for the lead's closing note."""
    if not _figures:
        return
    terminalreporter.section("trust figures")
    for name, amount in _figures.items():
        terminalreporter.write_line(f"{name}: {amount:,}")
