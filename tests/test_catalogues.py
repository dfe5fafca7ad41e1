"""The catalogues hold every marked string, translated, with its {fields}, and nothing else;
each compiled .mo is the compilation of its .po (``make catalogues`` mends all of these)."""

from __future__ import annotations

import pytest

from cryptex_desktop import catalogues, i18n


@pytest.fixture(scope="module")
def code_messages() -> list[catalogues.Message]:
    return catalogues.extract()


@pytest.mark.parametrize("language", catalogues.translated_languages())
def test_the_catalogue_has_every_string_of_the_code_translated_and_no_other(
        language: str, code_messages: list[catalogues.Message]) -> None:
    catalogue = catalogues.read_po(catalogues.catalogue_path(language))
    assert catalogues.problems(language, code_messages, catalogue) == []


@pytest.mark.parametrize("language", catalogues.translated_languages())
def test_the_compiled_catalogue_is_up_to_date(language: str) -> None:
    catalogue = catalogues.read_po(catalogues.catalogue_path(language))
    compiled = catalogues.compiled_path(language).read_bytes()
    assert compiled == catalogues.compile_messages(catalogue, language), \
        "the .mo is older than its .po: run `make catalogues`"


@pytest.mark.parametrize("language", catalogues.translated_languages())
def test_the_app_loads_the_catalogue(language: str) -> None:
    try:
        assert i18n.install(language) == language
        assert i18n._("Balances") != "Balances"
    finally:
        i18n.install(i18n.SOURCE_LANGUAGE)


def test_a_translation_that_drops_a_field_is_named() -> None:
    messages = [catalogues.Message("Sent {amount}.", places=["x.py:1"])]
    catalogue = [catalogues.Message("Sent {amount}.", translations=["Отправлено."])]
    assert catalogues.problems("ru", messages, catalogue) == [
        "ru: 'Sent {amount}.' -> 'Отправлено.' changes the {fields} (['amount'])"]


def test_an_unused_and_a_missing_string_are_named() -> None:
    messages = [catalogues.Message("New words", places=["x.py:1"])]
    catalogue = [catalogues.Message("Old words", translations=["Старые слова"])]
    found = catalogues.problems("ru", messages, catalogue)
    assert any("not in the catalogue: 'New words'" in line for line in found)
    assert any("no longer used: 'Old words'" in line for line in found)


def test_an_f_string_cannot_be_marked(tmp_path) -> None:
    source = tmp_path / "pkg" / "bad.py"
    source.parent.mkdir()
    source.write_text('from cryptex_desktop.i18n import _\nname = "x"\n'
                      'def f():\n    return _(f"Hello {name}")\n', encoding="utf-8")
    with pytest.raises(catalogues.ExtractionError, match=r"bad\.py:4"):
        catalogues.extract([source], root=source.parent)
