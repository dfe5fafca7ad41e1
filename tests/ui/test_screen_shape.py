"""Every tab reads as one app: the heading in the same spot, the same margins, one base."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from cryptex_desktop.ui.screens.base import Screen


def test_every_screen_has_its_heading_at_the_same_spot_at_small_and_large_sizes(window, qtbot):
    for width, height in ((880, 560), (1920, 1080)):
        window.resize(width, height)
        spots = {}
        for name in window.screens:
            screen = window.show_screen(name)
            qtbot.waitUntil(screen.isVisible)
            heading = screen.page_heading
            spots[name] = (heading.mapTo(window, QPoint(0, 0)), heading.font().pointSizeF())
        assert len(set(spots.values())) == 1, spots


def test_every_tab_is_a_screen_with_a_title_a_tooltip_and_an_intro(window):
    assert len(window.screens) == window.tabs.count() == 8
    for index in range(window.tabs.count()):
        screen = window.tabs.widget(index)
        assert isinstance(screen, Screen)
        assert window.tabs.tabText(index) == screen.title()
        assert window.tabs.tabToolTip(index) == screen.tooltip() != ""
        assert screen.page_intro.text()
