"""The language the app speaks on screen: its catalogue, Qt's own words, numbers and dates.

Settings > Language holds ``"system"`` (follow the desktop, the default) or a code of
:data:`cryptex_desktop.i18n.LANGUAGES`. :func:`apply_language` runs once at start-up, before
any window is built: a change in Settings takes effect at the next start, and Settings says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cryptex_desktop import i18n
from cryptex_desktop.i18n import N_

log = logging.getLogger(__name__)

#: Settings' value for "as the desktop speaks".
SYSTEM_LANGUAGE = "system"
#: What Settings offers, in order: the desktop's language, then each language in its own words.
LANGUAGE_CHOICES = (SYSTEM_LANGUAGE, *i18n.LANGUAGES)
SYSTEM_LANGUAGE_WORDS = N_("As my computer (System)")
#: Qt's catalogues with the words it shows itself: standard buttons, a text field's menu.
QT_CATALOGUES = ("qtbase",)
#: The conventions each language writes numbers in, when it is chosen rather than followed.
_LOCALES = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
    "ru": (QLocale.Language.Russian, QLocale.Country.Russia),
    "zh_CN": (QLocale.Language.Chinese, QLocale.Country.China),
}

_translators: list[QTranslator] = []


def choice_words(choice: str) -> str:
    """How Settings lists a choice: each language in its own words, so a reader finds theirs."""
    if choice == SYSTEM_LANGUAGE:
        return i18n._(SYSTEM_LANGUAGE_WORDS)
    return i18n.LANGUAGES[choice]


def resolve(choice: str) -> str:
    """The language code a Settings choice means on this computer."""
    if choice in i18n.LANGUAGES:
        return choice
    return i18n.desktop_language(system_tags=tuple(QLocale.system().uiLanguages()))


def locale_for(code: str, choice: str) -> QLocale:
    """The locale numbers and dates follow: the desktop's when it is followed, else the language's.

    A desktop in a language the app lacks (German, say) keeps its own numbers in English words.
    """
    system = QLocale.system()
    if choice == SYSTEM_LANGUAGE and i18n.language_of(system.name()) == code:
        return system
    if choice == SYSTEM_LANGUAGE and code == i18n.SOURCE_LANGUAGE:
        return system
    language, country = _LOCALES[code]
    return QLocale(language, country)


def apply_language(choice: str) -> str:
    """Speak ``choice`` from now on (texts made after this call); returns the language code."""
    code = i18n.install(resolve(choice))
    QLocale.setDefault(locale_for(code, choice))
    install_qt_translations(code)
    log.info("language %s (setting: %s)", code, choice)
    return code


def qt_translations_folder() -> Path:
    """Where Qt's catalogues are: Qt's own idea, else beside PySide6 (a packaged app keeps
    them in ``PySide6/Qt/translations``, or ``PySide6/translations`` on Windows)."""
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    folders = (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
               package / "Qt" / "translations", package / "translations")
    return next((folder for folder in folders if any(folder.glob("qtbase_*.qm"))), folders[0])


def install_qt_translations(code: str) -> bool:
    """Qt's own words (OK, Cancel, Copy, Paste…) in the language; False if Qt's are missing."""
    app = QCoreApplication.instance()
    for translator in _translators:
        QCoreApplication.removeTranslator(translator)
    _translators.clear()
    if code == i18n.SOURCE_LANGUAGE or app is None:
        return True
    folder = qt_translations_folder()
    loaded = True
    for name in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(f"{name}_{code}", str(folder)):
            QCoreApplication.installTranslator(translator)
            _translators.append(translator)
        else:  # a trimmed build without them: Qt's few words stay English, the app's do not
            log.warning("no Qt translations %s_%s in %s", name, code, folder)
            loaded = False
    return loaded
