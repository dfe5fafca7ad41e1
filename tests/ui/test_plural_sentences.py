"""Sentences about a number of things pick their plural form by that number.

English reads as before; a stand-in for a three-form language (Russian's rule) shows that each
sentence asks for the form of its own count, not a hand-made "1 or many".
"""

from __future__ import annotations

import gettext
from decimal import Decimal

import pytest

from cryptex_desktop import i18n
from cryptex_desktop.api.types import Deposit
from cryptex_desktop.ui.screens.deposit import deposit_sentence, send_only_sentence
from cryptex_desktop.ui.screens.open_orders import orders_heading
from cryptex_desktop.ui.widgets.status_bar import in_flight_words


class ThreeForms(gettext.NullTranslations):
    """Russian's plural rule, the form's name put before the English plural."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        if n % 10 == 1 and n % 100 != 11:
            form = "one"
        elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            form = "few"
        else:
            form = "many"
        return f"[{form}] {msgid2}"


@pytest.fixture
def three_forms(monkeypatch):
    monkeypatch.setattr(i18n, "_active", ThreeForms())


def test_english_says_one_thing_and_many_things():
    assert in_flight_words(1) == "Talking to the exchange…"
    assert in_flight_words(3) == "Talking to the exchange (3 things to fetch)…"
    assert orders_heading(3, ["#1", "#2", "#3"]) == "3 orders:\n#1\n#2\n#3"
    one = Deposit("addr", 0, Decimal("0.25"), 1, "tx")
    assert deposit_sentence(one, "BTC") == (
        "0.25 BTC arrived: 1 of 3 confirmations. It will be credited after 3.")
    assert send_only_sentence("BTC").startswith(
        "Send only Bitcoin (BTC) to this address. It is credited after 3 confirmations ")


@pytest.mark.parametrize(("count", "form"), [(2, "few"), (5, "many"), (21, "one"), (22, "few")])
def test_each_sentence_asks_for_the_form_of_its_own_count(three_forms, count, form):
    assert in_flight_words(count).startswith(f"[{form}] ")
    assert orders_heading(count, ["#1"]).startswith(f"[{form}] ")


def test_a_deposit_sentence_follows_the_confirmations_it_counts(three_forms):
    arrived = Deposit("addr", 0, Decimal("0.25"), 21, "tx")
    # Enough confirmations: the form follows the 21 the sentence counts.
    assert deposit_sentence(arrived, "BTC").startswith("[one] ")
    # Still waiting: "of 3 confirmations" follows the 3 needed.
    waiting = Deposit("addr", 0, Decimal("0.25"), 1, "tx")
    assert deposit_sentence(waiting, "BTC").startswith("[few] ")
