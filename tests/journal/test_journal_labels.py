"""Labels travel as BIP-329 JSON lines: out, into a fresh journal, and back the same."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.journal import (
    Journal,
    LabelKind,
    LabelProblemReason,
    WithdrawalIntent,
)

CODE = "CTX-USD-AnrNiDs1-YuXvcE31-GfurFFvt-I5f1QnQE"


def test_labels_exported_and_imported_into_a_fresh_journal_are_the_same(
    journal: Journal, tmp_path: Path,
) -> None:
    journal.record_address("BTC", "bc1qsavings", label="Savings ☂ «rainy day»")
    journal.begin_withdrawal(WithdrawalIntent("BTC", Decimal("0.1"), "bc1qmum", label="Mum"))
    journal.set_label(LabelKind.TRANSACTION, "ab" * 32, 'Rent, "March"')
    journal.import_labels(
        '{"type": "addr", "ref": "bc1qcold", "label": "Cold", "origin": "wpkh([d34db33f/84h])"}\n'
        '{"type": "tx", "ref": "' + "cd" * 32 + '", "label": "Fee bump", "spendable": false}\n')
    exported = journal.export_labels()

    fresh = Journal.for_account(tmp_path / "other", "https://x", "y", is_demo=False)
    try:
        report = fresh.import_labels(exported)
        assert (report.imported, report.problems) == (5, ())
        assert fresh.export_labels() == exported
        assert fresh.label(LabelKind.ADDRESS, "bc1qsavings") == "Savings ☂ «rainy day»"
    finally:
        fresh.close()
    lines = [json.loads(line) for line in exported.splitlines()]
    assert {"type": "addr", "ref": "bc1qcold", "label": "Cold",
            "origin": "wpkh([d34db33f/84h])"} in lines
    assert {"type": "tx", "ref": "cd" * 32, "label": "Fee bump", "spendable": False} in lines


def test_an_import_merges_and_reports_each_line_it_could_not_read(journal: Journal) -> None:
    journal.set_label(LabelKind.ADDRESS, "bc1qkept", "Kept as it was")
    journal.set_label(LabelKind.ADDRESS, "bc1qrenamed", "Old name")
    text = "\n".join([
        '{"type": "addr", "ref": "bc1qrenamed", "label": "New name"}',
        "this is not json",
        "",
        '["addr", "bc1q"]',
        '{"type": "xpub", "ref": "xpub661MyMwAqRbcF", "label": "My wallet"}',
        '{"type": "banana", "ref": "x", "label": "y"}',
        '{"type": "tx", "label": "no ref"}',
        '{"type": "tx", "ref": "ef12", "label": 5}',
        '{"type": "addr", "ref": "bc1qgift", "label": "gift ' + CODE + '"}',
        '{"type": "tx", "ref": "ef34", "label": "Good one"}',
    ])
    report = journal.import_labels(text)
    assert report.imported == 2
    assert [(p.line, p.reason) for p in report.problems] == [
        (2, LabelProblemReason.NOT_JSON),
        (4, LabelProblemReason.NOT_AN_OBJECT),
        (5, LabelProblemReason.OTHER_TYPE),
        (6, LabelProblemReason.UNKNOWN_TYPE),
        (7, LabelProblemReason.NO_REF),
        (8, LabelProblemReason.BAD_FIELD),
        (9, LabelProblemReason.LOOKS_LIKE_CODE),
    ]
    assert report.problems[0].sentence.startswith("Line 2: ")
    assert journal.label(LabelKind.ADDRESS, "bc1qkept") == "Kept as it was"
    assert journal.label(LabelKind.ADDRESS, "bc1qrenamed") == "New name"
    assert journal.label(LabelKind.TRANSACTION, "ef34") == "Good one"
    assert CODE not in journal.export_labels()


def test_an_empty_label_removes_the_name(journal: Journal) -> None:
    journal.set_label(LabelKind.ADDRESS, "bc1qx", "Something")
    journal.set_label(LabelKind.ADDRESS, "bc1qx", "")
    assert journal.label(LabelKind.ADDRESS, "bc1qx") == ""
    assert journal.export_labels() == ""


def test_a_label_no_file_could_hold_is_reported_not_raised(journal: Journal) -> None:
    report = journal.import_labels('{"type": "addr", "ref": "bc1qx", "label": "\\ud800"}')
    assert report.imported == 0
    assert [p.reason for p in report.problems] == [LabelProblemReason.BAD_FIELD]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
label_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["addr", "tx", "xpub", "output", ""]) | st.text()},
    optional={"ref": st.text() | json_values, "label": st.text() | json_values,
              "origin": st.text() | json_values, "spendable": st.booleans() | json_values},
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(label_like | json_values, max_size=5))
def test_importing_any_json_lines_never_fails(journal: Journal, values: list[object]) -> None:
    text = "\n".join(json.dumps(value) for value in values)
    report = journal.import_labels(text)
    assert report.imported + len(report.problems) <= len(values)
    assert all(1 <= problem.line <= len(values) for problem in report.problems)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_reading_any_text_as_labels_never_fails(text: str) -> None:
    from cryptex_desktop.journal.labels import read_lines

    labels, problems = read_lines(text)
    assert all(problem.line >= 1 for problem in problems)
    assert len(labels) + len(problems) <= len(text.splitlines())
