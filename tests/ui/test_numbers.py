"""The one rule for writing and reading numbers: what the app shows, it reads back the same.

The table below is the list of tricky inputs a person types or pastes, with what each
language's convention makes of them: a number, or a refusal whose sentence names the readings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.types import Trade
from cryptex_desktop.ui import formatting
from cryptex_desktop.ui.numbers import (
    ENGLISH,
    GERMAN,
    RUSSIAN,
    SWISS,
    NumberConvention,
    convention_of,
    exact_number,
    format_number,
    parse_number,
)
from cryptex_desktop.ui.screens.history import csv_row

NBSP, NARROW = "\u00a0", "\u202f"
EN_RULE = "Here a point marks decimals and a comma separates thousands, as in 1,234.56."
RU_RULE = f"Here a comma marks decimals and a space separates thousands, as in 1{NBSP}234,56."
DE_RULE = "Here a comma marks decimals and a point separates thousands, as in 1.234,56."

# (convention, typed, value or None, the refusal sentence or None, shows how it was read)
TRICKY_INPUTS = [
    # English: a comma only ever separates thousands.
    (ENGLISH, "65,130", "65130", None, True),
    (ENGLISH, "65,13", None, f"Did you mean 65.13? {EN_RULE}", False),
    (ENGLISH, "1,234.5", "1234.5", None, True),
    (ENGLISH, "10,000.00", "10000.00", None, True),  # pasted from Balances
    (ENGLISH, "1.234,56", None, f"Did you mean 1,234.56? {EN_RULE}", False),
    (ENGLISH, "1234,56", None, f"Did you mean 1,234.56? {EN_RULE}", False),
    (ENGLISH, "1,0000", None, f"Did you mean 1.0000? {EN_RULE}", False),
    (ENGLISH, ",5", None, f"Did you mean 0.5? {EN_RULE}", False),
    (ENGLISH, "1,23,456", None, f"That is not a number as written here. {EN_RULE}", False),
    (ENGLISH, "1.234", "1.234", None, True),  # a German would read 1234: say how it was read
    (ENGLISH, "1234.56", "1234.56", None, False),
    (ENGLISH, "0.5", "0.5", None, False),
    (ENGLISH, ".5", "0.5", None, False),
    (ENGLISH, "5.", "5", None, False),
    # No convention reads a space as a decimal mark: spaces between thousands are one meaning.
    (ENGLISH, "1 000", "1000", None, True),
    (ENGLISH, f"1{NARROW}234{NBSP}567.25", "1234567.25", None, True),
    (ENGLISH, "1 000,5", None, f"Did you mean 1,000.5? {EN_RULE}", False),
    (ENGLISH, "1 00", None, f"That is not a number as written here. {EN_RULE}", False),
    (ENGLISH, "-1,000", "-1000", None, True),
    # An apostrophe (Swiss thousands) is never anyone's decimal mark.
    (ENGLISH, "1'234", None, f"Did you mean 1,234? {EN_RULE}", False),
    (ENGLISH, "1'5", None, f"That is not a number as written here. {EN_RULE}", False),
    (RUSSIAN, "1'5", None, f"That is not a number as written here. {RU_RULE}", False),
    (ENGLISH, "+1,234.50", "1234.50", None, True),  # as the transactions table writes it
    # Russian: a comma is the decimal mark, any space separates thousands.
    (RUSSIAN, "1 234,56", "1234.56", None, True),
    (RUSSIAN, f"1{NBSP}234,56", "1234.56", None, True),
    (RUSSIAN, f"1{NARROW}234,56", "1234.56", None, True),
    (RUSSIAN, "65,13", "65.13", None, False),
    (RUSSIAN, "65,130", "65.130", None, True),  # English would read 65130
    (RUSSIAN, "1234.56", "1234.56", None, True),  # a numeric keypad's point: one meaning
    (RUSSIAN, "0.5", "0.5", None, True),
    (RUSSIAN, "1.2345", "1.2345", None, True),
    (RUSSIAN, "1.234", None, f"Did you mean 1,234 or 1{NBSP}234? Type the one you mean. {RU_RULE}",
     False),
    (RUSSIAN, "1.234.567", None, f"Did you mean 1{NBSP}234{NBSP}567? {RU_RULE}", False),
    (RUSSIAN, "1,234.56", None, f"Did you mean 1{NBSP}234,56? {RU_RULE}", False),
    (RUSSIAN, "1.234,56", None, f"Did you mean 1{NBSP}234,56? {RU_RULE}", False),
    (RUSSIAN, "1 234.5", "1234.5", None, True),
    # German: a point separates thousands, never marks decimals.
    (GERMAN, "1.234,56", "1234.56", None, True),
    (GERMAN, "1.234", "1234", None, True),
    (GERMAN, "65,13", "65.13", None, False),
    (GERMAN, "1234.56", None, f"Did you mean 1.234,56? {DE_RULE}", False),
    (GERMAN, "1,234.56", None, f"Did you mean 1.234,56? {DE_RULE}", False),
    (GERMAN, "1 234,5", "1234.5", None, True),
    # Swiss: an apostrophe (either kind) between thousands, a comma is foreign.
    (SWISS, "1'234.5", "1234.5", None, True),
    (SWISS, "1\u2019234.5", "1234.5", None, True),
    (SWISS, "1234,5", "1234.5", None, True),
]


@pytest.mark.parametrize(("convention", "typed", "value", "problem", "shown"), TRICKY_INPUTS)
def test_tricky_inputs_read_as_the_table_says(convention, typed, value, problem, shown):
    reading = parse_number(typed, convention)
    assert reading.value == (None if value is None else Decimal(value))
    assert reading.problem == problem
    assert reading.worth_showing is shown


@pytest.mark.parametrize("convention", [ENGLISH, RUSSIAN, GERMAN, SWISS])
@pytest.mark.parametrize("typed", ["", "  ", "abc", "1e5", "1_000", "0x10", "١٢", "--5", "."])
def test_what_is_not_a_number_is_refused_with_a_sentence(convention, typed):
    reading = parse_number(typed, convention)
    assert reading.value is None
    assert reading.problem and reading.problem[0].isupper() and reading.problem.endswith(".")


def test_an_empty_field_asks_for_an_amount_written_the_local_way():
    assert parse_number("", ENGLISH).problem == "Enter an amount, like 0.5."
    assert parse_number("", RUSSIAN).problem == "Enter an amount, like 0,5."


def test_numbers_are_written_with_the_conventions_marks():
    amount = Decimal("-1234567.125")
    assert format_number(amount, 2, ENGLISH) == "-1,234,567.12"
    assert format_number(amount, 2, RUSSIAN) == f"-1{NBSP}234{NBSP}567,12"
    assert format_number(amount, 2, GERMAN) == "-1.234.567,12"
    assert format_number(Decimal("1234.5"), 2, GERMAN, sign=True) == "+1.234,50"
    assert format_number(Decimal("-0.001"), 2, RUSSIAN) == "0,00"
    assert format_number(Decimal("1234.5"), 1, RUSSIAN, grouping=False) == "1234,5"
    assert exact_number(Decimal("65.10"), RUSSIAN) == "65,10"


def test_marks_a_locale_reports_that_cannot_work_fall_back_to_english():
    assert convention_of(",", "\u202f") == NumberConvention(",", "\u202f")
    assert convention_of(".", ".") is ENGLISH
    assert convention_of("", ",") is ENGLISH
    with pytest.raises(ValueError):
        NumberConvention(",", ",")


currency_codes = st.sampled_from(sorted(CURRENCIES))
conventions = st.sampled_from([ENGLISH, RUSSIAN, GERMAN, SWISS, NumberConvention(",", NARROW)])


@settings(max_examples=400, deadline=None)
@given(code=currency_codes, convention=conventions,
       units=st.integers(min_value=-(10**17), max_value=10**17))
def test_every_amount_the_app_writes_reads_back_to_the_same_value(code, convention, units):
    decimals = CURRENCIES[code].decimals
    amount = Decimal(units).scaleb(-decimals)
    text = format_number(amount, decimals, convention)
    assert parse_number(text, convention).value == amount
    with_sign = format_number(amount, decimals, convention, sign=True)
    assert parse_number(with_sign, convention).value == amount


@settings(max_examples=200, deadline=None)
@given(code=currency_codes, convention=conventions,
       units=st.integers(min_value=0, max_value=10**17))
def test_an_amount_written_without_grouping_reads_back_too(code, convention, units):
    decimals = CURRENCIES[code].decimals
    amount = Decimal(units).scaleb(-decimals)
    text = format_number(amount, decimals, convention, grouping=False)
    assert parse_number(text, convention).value == amount


# --- the current convention -------------------------------------------------------------------


def test_the_default_locale_decides_the_marks_of_everything_displayed(russian_numbers):
    convention = formatting.number_convention()
    assert convention.decimal_mark == ","
    assert convention.group_mark in (NBSP, NARROW, " ")
    group = convention.group_mark
    assert formatting.format_money(Decimal("10000"), "USD") == f"10{group}000,00 USD"
    assert formatting.spendable(Decimal("1.999"), "USD") == "1,99"
    assert formatting.exact_amount(Decimal("1234.5000")) == f"1{group}234,5"
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert formatting.number_text(Decimal("1234.5"), 2) == "1.234,50"


def test_english_is_pinned_for_the_tests_whatever_the_machine_says():
    assert formatting.number_convention() == ENGLISH
    assert formatting.format_money(Decimal("10000"), "USD") == "10,000.00 USD"


def test_csv_export_stays_machine_readable_in_any_language(russian_numbers):
    trade = Trade(7, 1, 2, datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "BTC_USD", "buy",
                  Decimal("65130.50"), Decimal("1.25"), False)
    row = csv_row(trade)
    assert row[3:6] == ("65130.5", "1.25", "81413.125")
