"""Translations: where a sentence becomes the reader's language.

Every sentence a person reads goes through one of these functions:

- ``_("Sent {amount}")`` translates now, into the language :func:`install` chose;
- ``_n("{count} trade", "{count} trades", count)`` picks the plural form the language needs
  (Russian has three, Chinese one) and translates it;
- ``_p("activity kind", "Trade")`` translates a word whose meaning the context decides;
- ``N_("Balances")`` only marks a text, for a module-level name (a title, a column, a CSV
  header) that must be translated when it is shown, not frozen at import: pass it to ``_``
  where it is shown.

The catalogues are GNU gettext files in ``cryptex_desktop/locale/`` (``catalogues.py`` extracts
the strings and compiles them). A translation that loses or adds one of its original's
``{fields}`` is not used: the English sentence is shown rather than a broken one or a
``KeyError``. This module imports nothing from Qt, so ``api/`` and ``journal/`` use it too.
"""

from __future__ import annotations

import gettext
import logging
import os
import string
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

#: The catalogue's name: ``locale/<language>/LC_MESSAGES/cryptex.mo``.
DOMAIN = "cryptex"
#: Where the catalogues live, in a checkout and in a packaged app alike.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The languages the app speaks, by the code Settings stores, in the order Settings lists them.
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "zh_CN": "简体中文"}
#: The language every text is written in.
SOURCE_LANGUAGE = "en"


def _(text: str) -> str:
    """``text`` in the reader's language (itself where there is no translation)."""
    return _active.gettext(text)


def _n(singular: str, plural: str, count: int) -> str:
    """The form of a sentence about ``count`` things the language needs, translated.

    The caller still formats ``{count}`` in: ``_n("{count} trade", "{count} trades", n)``.
    """
    return _active.ngettext(singular, plural, count)


def _p(context: str, text: str) -> str:
    """``text`` translated as meant in ``context``, where one English word has two meanings
    ("Trade" the tab, "Trade" the kind of entry): ``_p("activity kind", "Trade")``."""
    return _active.pgettext(context, text)


def N_(text: str) -> str:
    """Mark ``text`` for translation without translating it (it is shown later, via ``_``)."""
    return text


#: The decimal mark of each language that does not write a point (for the few numbers made
#: without Qt, such as seconds in an error sentence; money is written by the ui's formatting).
DECIMAL_MARKS = {"ru": ","}


def decimal_text(value: float) -> str:
    """A short number (``2.5``) in the language's way (``2,5`` in Russian)."""
    return f"{value:g}".replace(".", DECIMAL_MARKS.get(_language, "."))


def format_fields(text: str) -> frozenset[str]:
    """The ``{fields}`` a sentence formats in (``{amount}``, ``{0}``), without format specs."""
    try:
        return frozenset(name for _literal, name, _spec, _conv in string.Formatter().parse(text)
                         if name is not None)
    except ValueError:  # an unbalanced brace: the text formats nothing
        return frozenset()


class Catalogue(gettext.GNUTranslations):
    """A compiled catalogue that keeps only translations with their original's ``{fields}``."""

    def _parse(self, fp):  # type: ignore[no-untyped-def]  # gettext's own hook, untyped
        super()._parse(fp)
        self.dropped: list[str] = []
        catalog: dict[str | tuple[str, int], str] = self._catalog  # type: ignore[attr-defined]
        for key, translated in list(catalog.items()):
            original = (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]
            if "{" not in original and "{" not in translated:
                continue  # no fields on either side: nothing to compare (most entries)
            if original and format_fields(translated) != format_fields(original):
                del catalog[key]
                self.dropped.append(original)


_active: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_loaded_from: Path | None = None  # the catalogue in use, so asking for it again reads nothing


def install(language: str) -> str:
    """Speak ``language`` (a code from :data:`LANGUAGES`) from now on; returns the one used.

    A language without a catalogue, or whose catalogue cannot be read, is English: the app
    never fails to start over a translation.
    """
    global _active, _language, _loaded_from
    if language not in LANGUAGES or language == SOURCE_LANGUAGE:
        _active, _language, _loaded_from = gettext.NullTranslations(), SOURCE_LANGUAGE, None
        return _language
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if path == _loaded_from:  # start-up installs the desktop's language, then the chosen one
        return _language
    try:
        with path.open("rb") as file:
            catalogue = Catalogue(file)
    except (OSError, ValueError) as exc:  # missing or damaged: English rather than no app
        log.warning("no %s catalogue at %s (%s): using English", language, path, exc)
        _active, _language, _loaded_from = gettext.NullTranslations(), SOURCE_LANGUAGE, None
        return _language
    for original in catalogue.dropped:
        log.warning("%s translation of %r changes its fields: showing English", language,
                    original)
    _active, _language, _loaded_from = catalogue, language, path
    return _language


def language() -> str:
    """The code of the language the app speaks now."""
    return _language


def language_of(tag: str) -> str | None:
    """The app's language for a locale name (``ru_RU.UTF-8``, ``zh-Hans-CN``, ``en``), if any."""
    tag = tag.split(".")[0].split("@")[0].replace("-", "_")
    parts = tag.split("_")
    first = parts[0].lower()
    if first in ("c", "posix", ""):
        return None
    if first == "zh":
        # Simplified Chinese is what the app has: Taiwan's and Hong Kong's traditional script
        # is not it, so those fall through to English rather than a script the reader rejects.
        rest = {part.lower() for part in parts[1:]}
        if rest & {"tw", "hk", "mo", "hant"}:
            return None
        return "zh_CN"
    return first if first in LANGUAGES else None


def desktop_language(environ: Mapping[str, str] | None = None,
                     system_tags: tuple[str, ...] = ()) -> str:
    """The language the desktop asks for, as gettext reads it; English if none the app has.

    ``LANGUAGE`` (a list, first choice first) wins, then ``LC_ALL``, ``LC_MESSAGES`` and
    ``LANG``; then the system's own preference (``system_tags``, from Qt on Windows and macOS,
    where there are no such variables).
    """
    env = os.environ if environ is None else environ
    candidates: list[str] = []
    # gettext ignores LANGUAGE when the locale is C, and so do we: "C" means "no preference".
    chosen_locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG")
                          if env.get(name)), "")
    if env.get("LANGUAGE") and chosen_locale.split(".")[0].upper() not in ("C", "POSIX"):
        candidates.extend(env["LANGUAGE"].split(":"))
    if chosen_locale:
        candidates.append(chosen_locale)
    else:
        candidates.extend(system_tags)
    for tag in candidates:
        found = language_of(tag)
        if found is not None:
            return found
        if tag.split(".")[0].upper() in ("C", "POSIX"):
            return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE
