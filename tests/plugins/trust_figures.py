"""The trust tests' figures: calls made, kills survived, fuzz cases tried, faults injected and
survived, printed at the end of the run.

Tests add theirs with :func:`add_figure` and :func:`tally_faults`; the run's summary prints
them for the lead's closing note. Run in parallel (pytest-xdist), each worker hands its
figures to the controlling process, which prints the sum.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest

_figures: dict[str, int] = {}
_figures_lock = threading.Lock()
#: Faults injected over the run, and those in tests that passed, by the fault's name.
INJECTED: Counter[str] = Counter()
SURVIVED: Counter[str] = Counter()


def add_figure(name: str, amount: int = 1) -> None:
    """Count ``amount`` more of ``name`` for the end-of-run summary."""
    with _figures_lock:
        _figures[name] = _figures.get(name, 0) + amount


def tally_faults(injected: Counter[str], survived: bool) -> None:
    """Count the faults one test injected; ``survived`` when every phase of it passed."""
    INJECTED.update(injected)
    if survived:
        SURVIVED.update(injected)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker: hand this worker's figures to the controlling process."""
    output: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["trust_figures"] = dict(_figures)
        output["faults"] = {name: [INJECTED[name], SURVIVED[name]] for name in INJECTED}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """In the controlling process: add up what a finished worker counted."""
    output = getattr(node, "workeroutput", {})
    for name, amount in output.get("trust_figures", {}).items():
        add_figure(name, amount)
    for name, (injected, survived) in output.get("faults", {}).items():
        INJECTED[name] += injected
        SURVIVED[name] += survived


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the trust tests did."""
    if _figures:
        terminalreporter.section("trust figures")
        for name, amount in _figures.items():
            terminalreporter.write_line(f"{name}: {amount:,}")
    if INJECTED:
        from tests.faults.proxy import Fault  # the table keeps the faults' own order

        write = terminalreporter.write_line
        terminalreporter.section("faults injected between the app and the exchange")
        width = max(len(name) for name in INJECTED)
        for fault in Fault:
            if INJECTED[fault.value]:
                write(f"{fault.value:<{width}}  {INJECTED[fault.value]:>5} injected  "
                      f"{SURVIVED[fault.value]:>5} survived")
        total, survived = sum(INJECTED.values()), sum(SURVIVED.values())
        write(f"{'all faults':<{width}}  {total:>5} injected  {survived:>5} survived")
