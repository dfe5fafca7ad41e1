"""What speaking a language costs: catalogue sizes, loading one, and the start in each language.

Loading is timed in-process (the app's catalogue alone, then everything ``apply_language``
does: catalogue, Qt's own translations, the number locale); the start is timed from outside,
as ``ui_bench`` times it, with ``LANG`` set to each language and a fresh data dir.
"""

from __future__ import annotations

import os
import time

from cryptex_desktop import catalogues, i18n

#: The desktop locale each language's start is timed under.
DESKTOP_LOCALES = {"en": "en_US.UTF-8", "ru": "ru_RU.UTF-8", "zh_CN": "zh_CN.UTF-8"}


def median_ms(action, runs: int = 21) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[runs // 2]


def run() -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.ui_bench import first_paint_seconds
    from cryptex_desktop.ui.language import apply_language

    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt's translators need one
    figures: dict[str, object] = {}
    for code in catalogues.translated_languages():
        messages = catalogues.read_po(catalogues.catalogue_path(code))
        figures[f"{code}_strings"] = len(messages)
        figures[f"{code}_plural_entries"] = sum(message.plural is not None
                                                for message in messages)
        figures[f"{code}_translated"] = sum(message.translated for message in messages)
        figures[f"{code}_mo_kb"] = round(catalogues.compiled_path(code).stat().st_size / 1024, 1)
        # English first each time: asking again for the language in use reads nothing.
        figures[f"{code}_catalogue_load_ms"] = round(
            median_ms(lambda c=code: (i18n.install("en"), i18n.install(c))), 2)
        figures[f"{code}_apply_language_ms"] = round(
            median_ms(lambda c=code: (apply_language("en"), apply_language(c))), 2)
    apply_language(i18n.SOURCE_LANGUAGE)
    saved = {name: os.environ.get(name) for name in ("LANG", "LANGUAGE", "LC_ALL")}
    try:
        os.environ.pop("LANGUAGE", None)
        os.environ.pop("LC_ALL", None)
        for code, desktop in DESKTOP_LOCALES.items():
            os.environ["LANG"] = desktop
            figures[f"start_to_first_paint_s_{code}"] = round(first_paint_seconds(runs=5), 3)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return figures


GOALS = {
    "start_to_first_paint_s_ru": ("<=", 0.6),
    "start_to_first_paint_s_zh_CN": ("<=", 0.6),
}
