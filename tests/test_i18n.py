"""The translation machinery: plural forms, the {fields} guard, the desktop's language, and
that no text is translated at import time (before the app has chosen its language)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from cryptex_desktop import catalogues, i18n
from cryptex_desktop.catalogues import Message
from cryptex_desktop.i18n import _, _n


@pytest.fixture
def catalogue_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty locale folder the app reads its catalogues from; English again afterwards."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    yield tmp_path
    i18n.install(i18n.SOURCE_LANGUAGE)


def write_catalogue(folder: Path, language: str, messages: list[Message]) -> None:
    path = folder / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(catalogues.compile_messages(messages, language))


TRADES = Message("{count} trade", "{count} trades",
                 translations=["{count} сделка", "{count} сделки", "{count} сделок"])


@pytest.mark.parametrize(("count", "expected"), [
    (1, "1 сделка"), (2, "2 сделки"), (4, "4 сделки"), (5, "5 сделок"), (11, "11 сделок"),
    (12, "12 сделок"), (21, "21 сделка"), (22, "22 сделки"), (25, "25 сделок"),
    (111, "111 сделок"), (0, "0 сделок"),
])
def test_russian_has_three_plural_forms(catalogue_dir: Path, count: int, expected: str) -> None:
    write_catalogue(catalogue_dir, "ru", [TRADES])
    assert i18n.install("ru") == "ru"
    assert _n("{count} trade", "{count} trades", count).format(count=count) == expected


def test_chinese_has_one_plural_form(catalogue_dir: Path) -> None:
    write_catalogue(catalogue_dir, "zh_CN", [Message("{count} trade", "{count} trades",
                                                     translations=["{count} 笔成交"])])
    i18n.install("zh_CN")
    assert [_n("{count} trade", "{count} trades", n).format(count=n) for n in (1, 2, 5)] == \
        ["1 笔成交", "2 笔成交", "5 笔成交"]


def test_english_plural_without_a_catalogue() -> None:
    assert _n("{count} trade", "{count} trades", 1).format(count=1) == "1 trade"
    assert _n("{count} trade", "{count} trades", 3).format(count=3) == "3 trades"


def test_a_translation_that_changes_its_fields_is_not_used(catalogue_dir: Path) -> None:
    write_catalogue(catalogue_dir, "ru", [
        Message("Sent {amount} to {address}.", translations=["Отправлено {сумма} на {address}."]),
        Message("Sent.", translations=["Отправлено."]),
    ])
    i18n.install("ru")
    # The broken one falls back to English, so formatting it still works; the good one is used.
    assert _("Sent {amount} to {address}.").format(amount="1 BTC", address="bc1q") == \
        "Sent 1 BTC to bc1q."
    assert _("Sent.") == "Отправлено."


def test_a_missing_or_damaged_catalogue_is_english(catalogue_dir: Path) -> None:
    assert i18n.install("ru") == "en"
    path = catalogue_dir / "ru" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a catalogue")
    assert i18n.install("ru") == "en"
    assert i18n.install("klingon") == "en"
    assert _("Balances") == "Balances"


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_TW.UTF-8"}, "en"),  # traditional script: not what the app has
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8", "LANGUAGE": "de:ru:en"}, "ru"),  # the first one the app has
    ({"LANG": "C", "LANGUAGE": "ru"}, "en"),  # gettext ignores LANGUAGE under C
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_desktop_language_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert i18n.desktop_language(environ) == expected


def test_desktop_language_from_the_system_where_no_variable_says() -> None:
    assert i18n.desktop_language({}, ("zh-Hans-CN", "en-US")) == "zh_CN"
    assert i18n.desktop_language({}, ("fr-FR", "ru-RU")) == "ru"
    assert i18n.desktop_language({"LANG": "en_US.UTF-8"}, ("ru-RU",)) == "en"


def test_format_fields() -> None:
    assert i18n.format_fields("{amount} of {currency:>5} {0}") == {"amount", "currency", "0"}
    assert i18n.format_fields("no fields, {{braces}}") == frozenset()
    assert i18n.format_fields("broken { brace") == frozenset()


def _import_time_calls(tree: ast.Module) -> Iterator[ast.Call]:
    """``_()``/``_n()`` calls that run when the module is imported (not inside a function)."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue  # runs when called, in the language chosen by then
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("_", "_n"):
            yield node
        pending.extend(ast.iter_child_nodes(node))


def test_no_text_is_translated_at_import_time() -> None:
    """Titles, columns and messages kept in module names are marked with N_ and translated
    where shown: translated at import, they would keep whatever language was active then."""
    found = []
    for path in catalogues.source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(catalogues.PACKAGE.parent)}:{call.lineno}"
                  for call in _import_time_calls(tree)]
    assert found == []


def test_catalogue_files_round_trip(tmp_path: Path) -> None:
    """What the tool writes, it reads back: quotes, newlines, plural forms, flags."""
    messages = [Message('Say "hi"\nthen go', places=["a.py:1"], translations=['Скажи "привет"\n']),
                Message("{count} coupon", "{count} coupons", places=["b.py:2"],
                        translations=["{count} купон", "{count} купона", "{count} купонов"])]
    path = tmp_path / "ru.po"
    catalogues.write_po(path, messages, "ru")
    assert catalogues.read_po(path) == messages


def test_a_context_tells_two_meanings_of_one_word_apart(catalogue_dir: Path,
                                                        tmp_path: Path) -> None:
    messages = [Message("Trade", translations=["Торговля"]),
                Message("Trade", context="activity kind", translations=["Сделка"])]
    path = tmp_path / "ru.po"
    catalogues.write_po(path, messages, "ru")
    assert catalogues.read_po(path) == messages
    write_catalogue(catalogue_dir, "ru", messages)
    i18n.install("ru")
    assert (_("Trade"), i18n._p("activity kind", "Trade")) == ("Торговля", "Сделка")


def test_a_short_number_outside_the_ui_is_written_the_languages_way(catalogue_dir: Path) -> None:
    from cryptex_desktop.api.errors import RequestTimeout

    assert i18n.decimal_text(2.5) == "2.5"
    write_catalogue(catalogue_dir, "ru", [Message(
        "The exchange did not answer within {seconds} second. It may be busy; the app will try "
        "again by itself.",
        "The exchange did not answer within {seconds} seconds. It may be busy; the app will try "
        "again by itself.",
        translations=["Биржа не ответила за {seconds} секунду.", "Биржа не ответила за "
                      "{seconds} секунды.", "Биржа не ответила за {seconds} секунд."])])
    i18n.install("ru")
    assert i18n.decimal_text(2.5) == "2,5"
    assert str(RequestTimeout(2.5)) == "Биржа не ответила за 2,5 секунды."


def test_asking_again_for_the_language_in_use_reads_nothing(catalogue_dir: Path) -> None:
    write_catalogue(catalogue_dir, "ru", [Message("Sent.", translations=["Отправлено."])])
    assert i18n.install("ru") == "ru"
    (catalogue_dir / "ru" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo").unlink()
    assert i18n.install("ru") == "ru" and _("Sent.") == "Отправлено."  # not read again
    i18n.install("en")
    assert i18n.install("ru") == "en"  # read again after English: and now it is gone
