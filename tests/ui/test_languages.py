"""Every screen and dialog in every language: no English left, and nothing cut off.

The pseudo-language (``tests/tools/pseudo_language.py``: every string accented and 40% longer)
finds what Russian or Chinese would show wrongly before their translators finish: a text left
in plain ASCII never went through ``_()``, and a pseudo text that does not fit at the window's
minimum size would not fit in Russian either. The Russian and Chinese walks read the real
catalogues (tests/test_catalogues.py holds them complete).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cryptex_desktop import i18n
from cryptex_desktop.i18n import format_fields
from tests.tools.pseudo_language import (
    CLOSE,
    OPEN,
    pseudo,
    visible_length,
    write_pseudo_catalogue,
)
from tests.ui.language_walk import (
    LanguageWalk,
    SeenText,
    cut_pseudo_text,
    english_left,
    english_numbers,
    english_words,
    likely_sources,
    numbers_left,
)

#: What the walk must have read: every tab, every confirmation, every dialog a person meets.
PLACES = {
    *(f"tab {name}" for name in ("balances", "trade", "open_orders", "history", "deposit",
                                 "withdraw", "coupons", "activity")),
    "confirm buy", "confirm sell", "confirm cancel order", "confirm withdraw",
    "confirm make coupon", "confirm show the code", "coupon created", "coupon shown again",
    "coupon created, no keychain", "question: close without keeping the code",
    "order details", "activity details",
    "settings, demo", "settings, live with advanced", "settings, live, a field missing", "about",
}


@pytest.fixture
def pseudo_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    speak: Callable[[str], str]) -> Iterator[str]:
    """The app in the pseudo-language (as Russian: its plurals, numbers and dates)."""
    write_pseudo_catalogue(tmp_path)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    yield speak("ru")


def walked(request: pytest.FixtureRequest, check_fit: bool) -> LanguageWalk:
    """The walk over every screen, with the window built after the language was chosen."""
    window = request.getfixturevalue("window")
    walk = LanguageWalk(request.getfixturevalue("qtbot"), window,
                        request.getfixturevalue("app_context"), check_fit=check_fit)
    walk.walk()
    return walk


def listed(items: list) -> str:
    return "\n".join(f"  {item}" for item in items)


def listed_with_sources(items: list[SeenText]) -> str:
    """Each text left in English, with where in the code it probably comes from."""
    return "\n".join(f"  {item}  <- {', '.join(likely_sources(item.text)) or '?'}"
                     for item in items)


@pytest.mark.parametrize("english", [
    "&Save", "Sent {amount} to {address:>10}.", "<b>Cryptex Desktop</b> {version}<br>Hi&nbsp;there",
    "Checking your key…", "Fish && chips\nfor two", " seconds",
])
def test_the_pseudo_language_keeps_fields_mnemonics_and_markup_and_runs_longer(english: str):
    made = pseudo(english)
    assert format_fields(made) == format_fields(english)
    assert made.count("&") == english.count("&") and made.count("\n") == english.count("\n")
    assert made.startswith(" ") == english.startswith(" ")
    assert visible_length(made.strip()) >= 1.4 * visible_length(english.strip())
    assert OPEN in made and made.rstrip().endswith(CLOSE) and not cut_pseudo_text(made)
    assert not cut_pseudo_text(made) and cut_pseudo_text(made[: len(made) // 2] + "…")
    shown = re.sub(r"<[^>]+>|&\w+;|\{[^}]*\}|&(.)", r"\1", made)
    assert not english_words(shown), shown


def test_english_words_leave_codes_addresses_and_names_alone():
    assert english_words("Ôk 0,5 BTC (BTC/USD) → bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq "
                         "— Cryptex Desktop, API, CSV; CTX-USD-Ab3d 9piX; Ctrl+E; 5 %") == []
    assert english_words("⟦Šàṽé ·ẋ⟧ Save") == ["Save"]
    assert english_words("01.12.2026 06:24:50 CST, 12:00 GMT+03:00, 9:05 MSK") == []
    assert english_words("Сохранить: 1 234,56 USD") == []


def test_numbers_written_the_english_way_are_found_but_not_dates_versions_or_addresses():
    text = "0.25 BTC, 1,234.50 USD; 30.11.2026 12:00; 0.1.0; 127.0.0.1; 0,5 %"
    assert english_numbers(text, ",") == ["0.25", "1,234.50"]
    assert english_numbers(text, ".") == []


def test_every_screen_in_pseudo_fits(pseudo_language: str, request: pytest.FixtureRequest):
    assert pseudo_language == "ru"
    walk = walked(request, check_fit=True)
    english, numbers = english_left(walk.seen), numbers_left(walk.seen)
    assert set(walk.visited) >= PLACES and len(walk.seen) > 300, PLACES - set(walk.visited)
    assert not english and not numbers and not walk.cramped, (
        f"{len(english)} texts left in English (not marked with _()):\n"
        f"{listed_with_sources(english)}\n"
        f"{len(numbers)} texts with numbers written the English way:\n{listed(numbers)}\n"
        f"{len(walk.cramped)} texts that do not fit:\n{listed(walk.cramped)}")


@pytest.mark.parametrize("language", ["ru", "zh_CN"])
def test_no_english_left(language: str, speak: Callable[[str], str],
                         request: pytest.FixtureRequest):
    assert speak(language) == language
    walk = walked(request, check_fit=False)
    english, numbers = english_left(walk.seen), numbers_left(walk.seen)
    assert not english and not numbers, (
        f"{len(english)} texts left in English:\n{listed_with_sources(english)}\n"
        f"{len(numbers)} texts with numbers written the English way:\n{listed(numbers)}")
