"""MoneyAction, the one way every money request goes, against a real sandbox over HTTP.

The client talks to the session's sandbox through a fault proxy, so an answer can be lost
after the exchange acted or before it saw the request; the proxy counts what it received,
so every test can say the request was sent exactly once.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from cryptex_desktop.api import Credentials, CryptexClient
from cryptex_desktop.api.reconcile import Finding
from cryptex_desktop.sandbox import Account
from cryptex_desktop.ui.dispatcher import Dispatcher
from cryptex_desktop.ui.money_action import (
    ActionReport,
    ActionWords,
    MoneyAction,
    MoneyRequest,
    Outcome,
)
from cryptex_desktop.ui.order_terms import (
    OrderTerms,
    PlacedTrade,
    TradeNote,
    check_placed,
    note_existing_orders,
    place_and_read_back,
)
from tests.faults.proxy import Fault, FaultProxy
from tests.gui_checks import WAIT_MS

WORDS = ActionWords(
    sending="Sending your order…",
    done=lambda terms, answer: f"Placed order #{answer.placed.order_id}.",
    found=lambda terms, finding: f"Found it: {finding.detail}",
    not_done="Nothing was spent.",
    check_failed="Could not find out: {reason}",
    switched="You switched accounts; look at the old one.",
)

#: A buy far below any seller: it rests on the book and holds 30.00 USD.
RESTING_BUY = OrderTerms("BTC_USD", "buy", Decimal("30000"), Decimal("0.001"))


def credentials(account) -> Credentials:
    return Credentials(account.username, account.key, account.secret)


@pytest.fixture
def proxy(sandbox) -> Iterator[FaultProxy]:
    """A fault proxy in front of the session's sandbox."""
    with FaultProxy(sandbox.url) as made:
        yield made


@pytest.fixture
def account(make_account, make_client) -> Iterator[Account]:
    """A funded account; the orders its test left open are cancelled after it, so that no other
    test on the session's sandbox trades against them."""
    made = make_account(USD="1000", BTC="1")
    yield made
    tidy = make_client(made)
    for order in tidy.active_orders():
        tidy.cancel_order(order.order_id)


@pytest.fixture
def direct(account, make_client) -> CryptexClient:
    """The same account, straight to the sandbox: to look without passing the proxy."""
    return make_client(account)


@pytest.fixture
def dispatcher(qapp, proxy, account, tmp_path: Path) -> Iterator[Dispatcher]:
    """The app's dispatcher with a client for ``account`` that goes through ``proxy``."""
    made = Dispatcher()
    client = CryptexClient(proxy.url, credentials(account), tmp_path / "through-proxy")
    made.set_client(client)
    yield made
    made.shutdown()
    client.close()


@pytest.fixture
def action(dispatcher) -> MoneyAction:
    return MoneyAction(dispatcher, WORDS)


def trade_request(terms: OrderTerms) -> MoneyRequest[TradeNote, PlacedTrade]:
    """Place ``terms`` as the Trade screen does: note, send once and read back, check."""
    sent_at = datetime.now(UTC)

    def note(client: CryptexClient) -> TradeNote:
        return note_existing_orders(client, terms, sent_at)

    def send(client: CryptexClient, noted: TradeNote) -> PlacedTrade:
        return place_and_read_back(client, terms, noted)

    def check(client: CryptexClient, noted: TradeNote) -> Finding:
        return check_placed(client, terms, noted)

    return MoneyRequest(send=send, check=check, note=note)


def run(qtbot, action: MoneyAction, terms: OrderTerms) -> tuple[ActionReport, list[str]]:
    """Start the action and wait for its one report; the progress sentences said on the way."""
    said: list[str] = []
    action.progress.connect(said.append)
    with qtbot.waitSignal(action.finished, timeout=WAIT_MS) as blocker:
        assert action.start(terms, trade_request(terms))
    return blocker.args[0], said


def test_an_answer_that_arrives_is_done_with_its_sentence(qtbot, action, proxy, direct):
    busy: list[bool] = []
    action.busyChanged.connect(busy.append)

    report, said = run(qtbot, action, RESTING_BUY)

    assert report.outcome is Outcome.DONE and report.done
    assert report.sentence == f"Placed order #{report.answer.placed.order_id}."
    assert said == ["Sending your order…"]
    assert busy == [True, False]
    assert not action.is_busy()
    assert [o.order_id for o in direct.active_orders()] == [report.answer.placed.order_id]
    assert proxy.received["Trade"] == 1


def test_a_refusal_says_the_exchanges_sentence_and_changes_nothing(qtbot, action, proxy,
                                                                   direct):
    before = direct.info().balances
    too_much = OrderTerms("BTC_USD", "sell", Decimal("30000"), Decimal("5"))

    report, said = run(qtbot, action, too_much)

    assert report.outcome is Outcome.REFUSED
    assert "enough funds" in report.sentence
    assert "Checking" not in " ".join(said)
    assert direct.info().balances == before
    assert direct.active_orders() == []
    assert proxy.received["Trade"] == 1


def test_an_answer_lost_after_the_exchange_acted_is_checked_and_done(qtbot, action, proxy,
                                                                     direct):
    proxy.set_fault(Fault.DROP_AFTER_FORWARD, methods={"Trade"}, times=1)

    report, said = run(qtbot, action, RESTING_BUY)

    assert said == ["Sending your order…", "Checking with the exchange what happened…"]
    assert report.outcome is Outcome.DONE
    assert report.sentence == "Found it: The order was placed and is open."
    assert report.finding is not None and report.finding.found.price == Decimal("30000")
    assert len(direct.active_orders()) == 1
    assert (proxy.received["Trade"], proxy.forwarded["Trade"]) == (1, 1)


def test_an_answer_lost_before_the_exchange_acted_is_refused_with_the_not_done_words(
        qtbot, action, proxy, direct):
    proxy.set_fault(Fault.DROP_BEFORE_FORWARD, methods={"Trade"}, times=1)

    report, said = run(qtbot, action, RESTING_BUY)

    assert said[-1] == "Checking with the exchange what happened…"
    assert report.outcome is Outcome.REFUSED
    assert report.sentence == ("The exchange has no such order: it was not placed. "
                               "Nothing was spent.")
    assert direct.active_orders() == []
    assert (proxy.received["Trade"], proxy.forwarded["Trade"]) == (1, 0)


def test_a_check_that_fails_itself_leaves_the_outcome_unknown(qtbot, action, proxy):
    proxy.set_fault(Fault.DROP_AFTER_FORWARD, methods={"Trade"}, times=1)
    proxy.then(Fault.HTML_PAGE, methods={"ActiveOrders"})

    report, _said = run(qtbot, action, RESTING_BUY)

    assert report.outcome is Outcome.UNKNOWN
    assert report.sentence.startswith("Could not find out: ")
    assert "<html" not in report.sentence
    assert proxy.received["Trade"] == 1


def test_switching_accounts_on_the_way_gives_up_and_ignores_the_late_answer(
        qtbot, action, proxy, dispatcher, make_account, make_client, direct):
    held = threading.Event()
    proxy.set_fault(Fault.LATENCY, methods={"Trade"}, times=1, until=held)
    reports: list[ActionReport] = []
    action.finished.connect(reports.append)
    assert action.start(RESTING_BUY, trade_request(RESTING_BUY))
    assert proxy.wait_for(lambda: proxy.received["Trade"] == 1)

    with qtbot.waitSignal(action.finished, timeout=WAIT_MS):
        dispatcher.set_client(make_client(make_account(USD="5")))
    assert [(r.outcome, r.sentence) for r in reports] == [
        (Outcome.UNKNOWN, "You switched accounts; look at the old one.")
    ]
    assert not action.is_busy()

    # The old account's answer comes late: it is dropped, and nothing more is reported.
    with qtbot.waitSignal(dispatcher.busyChanged, timeout=WAIT_MS):
        held.set()
    assert proxy.wait_for(lambda: proxy.answered["Trade"] == 1)
    assert len(reports) == 1
    assert len(direct.active_orders()) == 1  # the exchange did carry it out
    assert proxy.received["Trade"] == 1


def test_a_second_start_while_busy_is_refused(qtbot, action, proxy):
    held = threading.Event()
    proxy.set_fault(Fault.LATENCY, methods={"Trade"}, times=1, until=held)
    reports: list[ActionReport] = []
    action.finished.connect(reports.append)
    assert action.start(RESTING_BUY, trade_request(RESTING_BUY))
    assert action.is_busy()

    assert not action.start(RESTING_BUY, trade_request(RESTING_BUY))

    held.set()
    qtbot.waitUntil(lambda: bool(reports), timeout=WAIT_MS)
    assert [r.outcome for r in reports] == [Outcome.DONE]
    assert proxy.received["Trade"] == 1


def test_the_worker_changes_nothing_it_was_given(qtbot, action, proxy):
    terms = OrderTerms("BTC_USD", "buy", Decimal("30000"), Decimal("0.002"))
    copy = dataclasses.replace(terms)
    proxy.set_fault(Fault.DROP_AFTER_FORWARD, methods={"Trade"}, times=1)

    report, _said = run(qtbot, action, terms)

    assert report.subject is terms and terms == copy
    with pytest.raises(dataclasses.FrozenInstanceError):
        terms.amount = Decimal(1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        TradeNote(datetime.now(UTC), frozenset()).existing = frozenset({1})  # type: ignore[misc]
    assert proxy.received["Trade"] == 1
