"""Fixtures for breaking the line to the exchange on purpose, and the tally of faults survived.

``fault_proxy`` puts a :class:`~tests.faults.proxy.FaultProxy` in front of the session's
sandbox; ``proxy_to`` puts one in front of any exchange URL (the GUI tests use it for the
app's embedded demo exchange). Every proxy's fault counts are added up, and at the end of
the run a short table (tests/plugins/trust_figures.py) says how many faults of each kind
were injected and how many of those were in tests that passed (survived).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from tests.faults.proxy import Fault, FaultProxy
from tests.plugins.trust_figures import tally_faults

# Per test: the faults its proxies injected, and whether any phase of it failed.
_COUNTS = pytest.StashKey[Counter[Fault]]()
_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Tally a test's faults once it is over: survived if every phase of it passed."""
    report = yield
    if not report.passed:
        item.stash[_FAILED] = True
    if report.when == "teardown":
        counts = item.stash.get(_COUNTS, Counter())
        tally_faults(Counter({fault.value: n for fault, n in counts.items()}),
                     survived=not item.stash.get(_FAILED, False))
    return report


@pytest.fixture
def proxy_to(request: pytest.FixtureRequest) -> Iterator[Callable[[str], FaultProxy]]:
    """``proxy_to(url)``: a fault proxy in front of ``url``, closed and tallied after the test."""
    proxies: list[FaultProxy] = []

    def make(url: str) -> FaultProxy:
        proxy = FaultProxy(url)
        proxies.append(proxy)
        return proxy

    yield make
    counts: Counter[Fault] = request.node.stash.setdefault(_COUNTS, Counter())
    for proxy in proxies:
        proxy.close()
        counts.update(proxy.injected)


@pytest.fixture
def fault_proxy(sandbox, proxy_to) -> FaultProxy:
    """A fault proxy in front of the session's sandbox exchange."""
    return proxy_to(sandbox.url)
