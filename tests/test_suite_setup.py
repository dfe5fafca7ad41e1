"""The suite sets what its tests rely on, whatever the desktop that runs it has exported."""

from __future__ import annotations

import errno
import os

from PySide6.QtCore import QLocale
from PySide6.QtGui import QPalette


def test_gui_tests_run_headless_at_scale_one_in_the_light_fusion_style(qapp):
    assert qapp.platformName() == os.environ.get("CRYPTEX_TEST_QT_PLATFORM", "offscreen")
    assert qapp.style().name().lower() == "fusion"
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 128
    assert qapp.palette().color(QPalette.ColorRole.WindowText).lightness() < 128
    assert qapp.primaryScreen().devicePixelRatio() == 1


def test_tests_read_english_whatever_the_desktop_speaks():
    assert QLocale().toString(1234.5, "f", 1) == "1,234.5"
    assert os.environ["LANGUAGE"].startswith("en")
    assert os.strerror(errno.ENOENT) == "No such file or directory"
