"""Coupons remembered: the lists of coupons made and redeemed, Show code from the keychain,
and File > Export/Import labels, driven in the app on its embedded demo exchange (real HTTP).

A made coupon's code lives only in the (here in-memory) keychain: the tests read every byte
of the data folder for it, restart the app on the same folder, and see Show code bring back
the same code after a confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.journal import (
    Journal,
    LabelImport,
    LabelKind,
    LabelProblem,
    LabelProblemReason,
    Outcome,
)
from cryptex_desktop.ui.context import AppContext
from cryptex_desktop.ui.credential_store import CredentialStore
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import (
    KEPT_IN_KEYCHAIN,
    ONLY_TIME,
    SHOWN_AGAIN,
    CouponCreatedDialog,
)
from cryptex_desktop.ui.label_transfer import import_sentence
from cryptex_desktop.ui.models.coupons import MADE_CODE, MADE_STATUS
from cryptex_desktop.ui.screens.coupons import CouponsScreen
from tests.exchange_helpers import coupon_code
from tests.gui_checks import WAIT_MS, modal_dialog
from tests.plugins.gui import MemoryKeyring
from tests.ui.test_coupons_screen import (
    create_in_the_app,
    open_coupons,
    redeem_in_the_app,
    shown_code,
)


class RefusingKeyring(MemoryKeyring):
    """A keychain that is configured but refuses every write, as a locked one may."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.NoKeyringError("no keychain to write to")


def every_byte_under(folder: Path) -> bytes:
    """Everything written under ``folder`` (a WAL checkpointed away meanwhile held nothing)."""
    found = []
    for path in sorted(folder.rglob("*")):
        try:
            found.append(path.read_bytes() if path.is_file() else b"")
        except FileNotFoundError:
            continue
    return b"".join(found)


def read_journal(qtbot, context: AppContext, fn: Callable[[Journal], object]) -> object:
    """Read (or write) the open journal on its lane, as the app does, and wait for it."""
    found: list[object] = []
    context.journal.read(fn, found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=WAIT_MS)
    return found[0]


def made_cell(screen: CouponsScreen, row: int, column: int) -> str:
    return str(screen.made_list.table.model().index(row, column).data())


def make_coupon(qtbot, screen: CouponsScreen, amount: str, *, kept: bool = True) -> str:
    """Create a coupon in the app, copy its code, close the window; the code.

    ``kept``: the keychain takes the code, and the window then says Coupons can show it again.
    """
    shown = create_in_the_app(qtbot, screen, amount)
    assert not shown.shown_again
    if kept:
        qtbot.waitUntil(lambda: shown.warning_label.text() == KEPT_IN_KEYCHAIN,
                        timeout=WAIT_MS)
    else:
        assert shown.warning_label.text() == ONLY_TIME
    code = shown_code(qtbot, shown)
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)
    return code


def test_a_made_coupon_is_listed_kept_only_in_the_keychain_and_shown_again_after_a_restart(
    qtbot, window, app_context, app_data_dir, memory_keyring, start_again
):
    screen = open_coupons(qtbot, window, "USD")
    assert screen.made_list.state_text() == "Coupons you make are listed here."
    code = make_coupon(qtbot, screen, "25")

    qtbot.waitUntil(lambda: [c.outcome for c in screen.made_coupons()] == [Outcome.DONE],
                    timeout=WAIT_MS)
    made = screen.made_coupons()[0]
    assert (made.amount, made.currency, made.outcome) == (Decimal("25"), "USD", Outcome.DONE)
    qtbot.waitUntil(lambda: screen.made_list.is_showing_table(), timeout=WAIT_MS)
    assert made_cell(screen, 0, MADE_STATUS) == "Issued"
    assert made_cell(screen, 0, MADE_CODE) == "Kept in your keychain"
    assert code in memory_keyring.entries.values()  # the keychain has it...
    app_context.settings.sync()
    assert code.encode() not in every_byte_under(app_data_dir)  # ...and no file does

    window, context = start_again(window, app_context)
    screen = open_coupons(qtbot, window, "USD")
    qtbot.waitUntil(lambda: len(screen.made_coupons()) == 1, timeout=WAIT_MS)
    assert not screen.show_code_button.isEnabled()  # nothing chosen yet
    screen.select_coupon(made.id)
    assert screen.show_code_button.isEnabled()
    qtbot.mouseClick(screen.show_code_button, Qt.MouseButton.LeftButton)

    question = modal_dialog(qtbot, ConfirmDialog)
    assert "Show the code of this 25.00 USD coupon? Anyone who sees it can take the money." in [
        label.text() for label in question.findChildren(QLabel)]
    assert question.value_text("Coupon worth") == "25.00 USD"
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    shown = modal_dialog(qtbot, CouponCreatedDialog)
    assert shown.shown_again
    assert shown.warning_label.text() == SHOWN_AGAIN
    assert shown_code(qtbot, shown) == code
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)  # no question: still kept
    qtbot.waitUntil(lambda: screen.created_dialog is None, timeout=WAIT_MS)
    context.settings.sync()
    assert code.encode() not in every_byte_under(app_data_dir)


def test_cancel_in_the_show_code_question_shows_nothing(qtbot, window, memory_keyring):
    screen = open_coupons(qtbot, window, "USD")
    make_coupon(qtbot, screen, "3")
    qtbot.waitUntil(lambda: len(screen.made_coupons()) == 1
                    and screen.made_coupons()[0].code_kept_in_keychain, timeout=WAIT_MS)
    screen.select_coupon(screen.made_coupons()[0].id)
    qtbot.mouseClick(screen.show_code_button, Qt.MouseButton.LeftButton)
    question = modal_dialog(qtbot, ConfirmDialog)
    qtbot.mouseClick(question.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.show_code_dialog is None, timeout=WAIT_MS)
    assert screen.created_dialog is None


@pytest.mark.parametrize(("backend", "words"), [
    (fail.Keyring, "Code not kept (no keychain)"),  # the store's "no keychain" state
    (RefusingKeyring, "Code not kept"),  # a keychain that raises on every write
])
def test_without_a_working_keychain_the_code_is_shown_once_and_the_list_says_not_kept(
    qtbot, window, app_context, app_data_dir, memory_keyring, backend, words
):
    keyring.set_keyring(backend())  # memory_keyring puts the previous one back afterwards
    screen = open_coupons(qtbot, window, "USD")
    code = make_coupon(qtbot, screen, "7.5", kept=False)  # shown once: "the only time"

    qtbot.waitUntil(lambda: len(screen.made_coupons()) == 1
                    and screen.made_coupons()[0].outcome is Outcome.DONE, timeout=WAIT_MS)
    assert not screen.made_coupons()[0].code_kept_in_keychain
    qtbot.waitUntil(lambda: made_cell(screen, 0, MADE_CODE) == words, timeout=WAIT_MS)
    screen.select_coupon(screen.made_coupons()[0].id)
    assert not screen.show_code_button.isEnabled()
    app_context.settings.sync()
    assert code.encode() not in every_byte_under(app_data_dir)


def test_a_coupon_redeemed_here_is_listed_with_its_amount(qtbot, window, app_context):
    code = coupon_code(qtbot, app_context, "USD", "4.25")
    screen = open_coupons(qtbot, window, "USD")
    assert screen.redeemed_list.state_text() == "Coupons you redeem are listed here."
    redeem_in_the_app(qtbot, screen, code)
    qtbot.waitUntil(lambda: len(screen.redeemed_coupons()) == 1, timeout=WAIT_MS)
    redeemed = screen.redeemed_coupons()[0]
    assert (redeemed.amount, redeemed.currency) == (Decimal("4.25"), "USD")
    qtbot.waitUntil(lambda: screen.redeemed_list.is_showing_table(), timeout=WAIT_MS)
    assert screen.redeemed_list.table.model().index(0, 1).data() == "4.25 USD"


def test_labels_exported_from_the_menu_import_into_another_accounts_journal(
    qtbot, window, app_context, demo_exchange, tmp_path, monkeypatch
):
    address, destination = new_address("BTC"), new_address("BTC")
    read_journal(qtbot, app_context, lambda journal: journal.set_label(
        LabelKind.ADDRESS, address, "Savings"))
    read_journal(qtbot, app_context, lambda journal: journal.set_label(
        LabelKind.ADDRESS, destination, "Cold storage"))
    target = tmp_path / "labels.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))
    window.export_labels_action.trigger()
    saved = f"Saved 2 labels to {target}."
    qtbot.waitUntil(lambda: window.labels.last_sentence == saved, timeout=WAIT_MS)
    assert window.status.news_text() == saved
    assert target.read_text(encoding="utf-8").count("\n") == 2

    # Another account, with a journal of its own that has no labels yet.
    bob = demo_exchange.create_user("bob", {})
    with qtbot.waitSignal(app_context.connection.connected, timeout=WAIT_MS):
        app_context.connection.connect_live(app_context.connection.demo.server.url,
                                            Credentials(bob.username, bob.key, bob.secret))
    assert read_journal(qtbot, app_context, lambda journal: journal.label(
        LabelKind.ADDRESS, address)) == ""
    with target.open("a", encoding="utf-8") as file:
        file.write("this line is not a label\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))
    window.import_labels_action.trigger()
    qtbot.waitUntil(lambda: window.labels.last_sentence.startswith("Imported"), timeout=WAIT_MS)
    assert window.labels.last_sentence == (
        "Imported 2 labels; line 3 could not be read (each line should be one BIP-329 label, "
        "and a label that looks like a coupon code is never kept)."
    )
    assert read_journal(qtbot, app_context, lambda journal: journal.label(
        LabelKind.ADDRESS, address)) == "Savings"
    assert read_journal(qtbot, app_context, lambda journal: journal.label(
        LabelKind.ADDRESS, destination)) == "Cold storage"


def test_a_label_file_that_cannot_be_read_is_said_in_a_sentence(
    qtbot, window, tmp_path, monkeypatch
):
    missing = tmp_path / "nowhere" / "labels.jsonl"
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(missing), "")))
    window.import_labels_action.trigger()
    qtbot.waitUntil(lambda: window.labels.last_sentence.startswith("Could not read"),
                    timeout=WAIT_MS)
    assert window.labels.last_sentence.endswith("Choose another file.")


def test_the_store_keeps_reads_and_forgets_a_coupon_code_only_in_a_working_keychain(
    memory_keyring,
):
    store = CredentialStore("test")
    assert store.keep_coupon_code("coupon code demo #1", "CTX-USD-A")
    assert store.coupon_code("coupon code demo #1") == "CTX-USD-A"
    store.forget_coupon_code("coupon code demo #1")
    store.forget_coupon_code("coupon code demo #1")  # a second time is no error
    assert store.coupon_code("coupon code demo #1") is None
    keyring.set_keyring(RefusingKeyring())
    assert not store.keep_coupon_code("coupon code demo #2", "CTX-USD-B")
    keyring.set_keyring(fail.Keyring())
    assert not store.keep_coupon_code("coupon code demo #3", "CTX-USD-C")
    assert store.coupon_code("coupon code demo #3") is None
    assert not store.is_session_only("coupon code demo #3")  # never kept in memory instead


def test_an_import_sentence_names_the_unreadable_lines_the_first_ten_then_how_many_more():
    problems = tuple(LabelProblem(n, LabelProblemReason.NOT_JSON) for n in range(2, 15))
    assert import_sentence(LabelImport(1, ())) == "Imported 1 label."
    assert import_sentence(LabelImport(0, ())) == (
        "The file holds no labels; nothing was imported.")
    assert import_sentence(LabelImport(0, problems[:2])).startswith(
        "Imported 0 labels; lines 2 and 3 could not be read")
    assert import_sentence(LabelImport(5, problems)).startswith(
        "Imported 5 labels; lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more could not be read")
