"""The worker layer: one call at a time per client, actions first, refreshes coalesced,
stale results dropped, and a window that stays responsive while the exchange hangs."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit

from cryptex_desktop.api import CryptexError, ExchangeRefusal
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.dispatcher import Dispatcher, Priority
from tests.gui_checks import WAIT_MS


class GatedClient:
    """A stand-in client whose calls wait for the test to open a gate, and record overlap."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self.order: list[str] = []
        self.lock = threading.Lock()

    def work(self, name: str, result: object = None):
        def call(client: GatedClient) -> object:
            with client.lock:
                client.running += 1
                client.most_at_once = max(client.most_at_once, client.running)
                client.order.append(name)
            client.gate.wait(10)
            with client.lock:
                client.running -= 1
            return result if result is not None else name

        return call


@pytest.fixture
def dispatcher(qapp):
    dispatcher = Dispatcher(max_threads=4)
    yield dispatcher
    dispatcher.shutdown()


def test_calls_on_one_client_run_one_at_a_time_and_actions_go_first(qtbot, dispatcher):
    client = GatedClient()
    dispatcher.set_client(client)
    results: list[object] = []
    dispatcher.submit(client.work("first"), on_result=results.append, priority=Priority.REFRESH)
    dispatcher.submit(client.work("refresh"), on_result=results.append,
                      priority=Priority.REFRESH, key="history")
    dispatcher.submit(client.work("action"), on_result=results.append, priority=Priority.ACTION)
    assert dispatcher.pending == 3
    client.gate.set()
    qtbot.waitUntil(lambda: len(results) == 3, timeout=WAIT_MS)
    assert results == ["first", "action", "refresh"]
    assert client.most_at_once == 1
    assert dispatcher.pending == 0


def test_a_refresh_already_waiting_absorbs_the_same_refresh(qtbot, dispatcher):
    client = GatedClient()
    dispatcher.set_client(client)
    seen: list[object] = []
    dispatcher.submit(client.work("busy"), priority=Priority.ACTION)
    first = dispatcher.submit(client.work("orders"), on_result=seen.append,
                              priority=Priority.REFRESH, key="open_orders")
    second = dispatcher.submit(client.work("orders"), on_result=seen.append,
                               priority=Priority.REFRESH, key="open_orders")
    assert first == second and dispatcher.pending == 2
    client.gate.set()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert client.order == ["busy", "orders"]  # ran once, both callers told


def test_results_for_a_replaced_client_are_dropped(qtbot, dispatcher):
    old, new = GatedClient(), GatedClient()
    dispatcher.set_client(old)
    seen: list[object] = []
    dispatcher.submit(old.work("old"), on_result=seen.append)
    dispatcher.submit(old.work("old-waiting"), on_result=seen.append)
    dispatcher.set_client(new)  # e.g. the person switched from demo to live
    dispatcher.submit(new.work("new"), on_result=seen.append)
    new.gate.set()
    qtbot.waitUntil(lambda: seen == ["new"], timeout=WAIT_MS)  # not held up by the old call
    old.gate.set()
    qtbot.waitUntil(lambda: dispatcher._running == {}, timeout=WAIT_MS)
    assert seen == ["new"]


def test_a_failure_is_reported_as_an_error_and_the_queue_goes_on(qtbot, dispatcher):
    dispatcher.set_client(object())
    errors: list[BaseException] = []
    results: list[object] = []

    def refuse(_client):
        raise ExchangeRefusal("unknown pair: XXX_YYY")

    with qtbot.waitSignal(dispatcher.failed, timeout=WAIT_MS):
        dispatcher.submit(refuse, on_error=errors.append)
        dispatcher.submit(lambda _client: 42, on_result=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=WAIT_MS)
    assert isinstance(errors[0], CryptexError)
    assert "Unknown pair" in str(errors[0])


def test_callbacks_run_on_the_ui_thread(qtbot, dispatcher):
    dispatcher.set_client(object())
    threads: list[threading.Thread] = []
    dispatcher.submit(lambda _c: threading.current_thread(),
                      on_result=lambda worker: threads.extend([worker, threading.current_thread()]))
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=WAIT_MS)
    worker, callback = threads
    assert worker is not threading.main_thread() and callback is threading.main_thread()


def test_the_window_stays_live_while_the_exchange_is_stuck(qtbot, window, app_context, tmp_path):
    """Hold the server on an event; the window keeps taking input; release; data arrives."""
    from cryptex_desktop.sandbox import SandboxServer

    release = threading.Event()
    holding = threading.Event()

    def hold(app):
        def held(environ, start_response):
            holding.set()
            release.wait(30)
            return app(environ, start_response)
        return held

    server = SandboxServer(tmp_path / "stuck", port=0, block_seconds=0, market_maker=False,
                           rate_limit=None, wrap_app=hold).start()
    try:
        account = server.exchange.create_user("patient", {"EUR": Decimal("7")})
        with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
            app_context.connection.connect_live(
                server.url, Credentials(account.username, account.key, account.secret))
        qtbot.waitUntil(holding.is_set, timeout=WAIT_MS)

        # While the request hangs, a person types and timers tick (how fast: benchmarks/ui_bench).
        field = QLineEdit(window)
        field.show()
        qtbot.keyClicks(field, "still responsive")
        assert field.text() == "still responsive"
        ticks: list[int] = []
        timer = QTimer(window)
        timer.timeout.connect(lambda: ticks.append(len(ticks)))
        timer.start(10)
        qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=WAIT_MS)
        timer.stop()
        assert holding.is_set() and not release.is_set()  # all of it while the request hung
        assert app_context.dispatcher.pending >= 1
        assert not app_context.wallet.known

        release.set()
        qtbot.waitUntil(lambda: app_context.wallet.free_balance("EUR") == Decimal("7"),
                        timeout=WAIT_MS)
    finally:
        release.set()
        server.stop()
