"""Before Qt starts: can it open a window here, and if not, does the person learn how to fix it?"""

from __future__ import annotations

import subprocess
import sys

import pytest

from cryptex_desktop.ui import display_check
from cryptex_desktop.ui.display_check import (
    QT_LIBRARIES,
    WAYLAND_LIBRARIES,
    XCB_LIBRARIES,
    missing_packages,
    problem_opening_window,
)

DESKTOP = {"DISPLAY": ":0"}


def loader_missing(*missing: str, needs: dict[str, str] | None = None):
    """A library loader that fails for ``missing`` like the dynamic linker does.

    ``needs`` maps a present library to a missing one it depends on: loading it fails
    with the dependency's name, as ``dlopen`` reports it.
    """
    needs = needs or {}

    def load(name: str) -> object:
        for absent in (name, needs.get(name)):
            if absent in missing:
                raise OSError(f"{absent}: cannot open shared object file: No such file")
        return object()

    return load


def test_a_desktop_with_every_library_can_open_a_window():
    assert problem_opening_window(DESKTOP, system="linux", load_library=loader_missing()) is None


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "offscreen:fontengine=freetype"])
def test_headless_platforms_need_no_screen_and_no_x11_libraries(platform):
    environ = {"QT_QPA_PLATFORM": platform}
    load = loader_missing(*XCB_LIBRARIES)
    assert problem_opening_window(environ, system="linux", load_library=load) is None


def test_without_a_screen_the_paragraph_suggests_the_desktop_or_xvfb_run():
    problem = problem_opening_window({}, system="linux", load_library=loader_missing())

    assert problem is not None
    assert "DISPLAY" in problem and "WAYLAND_DISPLAY" in problem
    assert "xvfb-run cryptex-desktop" in problem
    assert "sudo apt-get install xvfb" in problem
    assert "\n" not in problem, "one paragraph"


def test_without_a_screen_and_with_missing_libraries_both_fixes_are_named():
    load = loader_missing("libxcb-icccm.so.4")
    problem = problem_opening_window({}, system="linux", load_library=load)
    assert "xvfb-run cryptex-desktop" in problem
    assert "sudo apt-get install libxcb-icccm4" in problem


def test_missing_xcb_libraries_are_named_as_debian_packages_to_install():
    load = loader_missing("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0")

    problem = problem_opening_window(DESKTOP, system="linux", load_library=load)

    assert problem is not None
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in problem
    assert "xvfb-run" not in problem, "there is a screen; only the libraries are missing"


def test_missing_graphics_libraries_map_to_their_packages():
    load = loader_missing("libEGL.so.1", "libGL.so.1", "libfontconfig.so.1", "libdbus-1.so.3")
    assert missing_packages("xcb", load) == ["libgl1", "libegl1", "libfontconfig1", "libdbus-1-3"]


def test_a_library_present_but_missing_its_dependency_names_only_the_dependency():
    load = loader_missing("libxcb-util.so.1", needs={"libxcb-image.so.0": "libxcb-util.so.1"})
    assert missing_packages("xcb", load) == ["libxcb-util1"]


def test_one_package_holding_two_missing_libraries_is_named_once():
    load = loader_missing("libglib-2.0.so.0", "libgthread-2.0.so.0")
    assert missing_packages("xcb", load) == ["libglib2.0-0"]


def test_the_library_list_covers_what_qt_s_xcb_plugin_links_against():
    needed_by_libqxcb = {
        "libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-icccm.so.4", "libxcb-image.so.0",
        "libxcb-keysyms.so.1", "libxcb-randr.so.0", "libxcb-render-util.so.0",
        "libxcb-shape.so.0", "libxcb-xkb.so.1", "libEGL.so.1", "libGL.so.1",
        "libfontconfig.so.1", "libdbus-1.so.3",
    }  # fmt: skip
    assert needed_by_libqxcb <= set(QT_LIBRARIES) | set(XCB_LIBRARIES)
    assert all(package for package in {**QT_LIBRARIES, **XCB_LIBRARIES}.values())


def test_a_wayland_session_with_its_libraries_needs_no_x11():
    environ = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    load = loader_missing(*XCB_LIBRARIES)
    assert problem_opening_window(environ, system="linux", load_library=load) is None


def test_a_wayland_session_falls_back_to_xwayland_when_wayland_libraries_are_missing():
    environ = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    load = loader_missing(*WAYLAND_LIBRARIES)
    assert problem_opening_window(environ, system="linux", load_library=load) is None


def test_a_wayland_session_without_xwayland_or_wayland_libraries_names_the_wayland_packages():
    environ = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    load = loader_missing("libwayland-cursor.so.0")
    problem = problem_opening_window(environ, system="linux", load_library=load)
    assert problem is not None and "sudo apt-get install libwayland-cursor0" in problem


def test_asking_for_xcb_without_an_x_display_says_which_variable_is_missing():
    environ = {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}
    problem = problem_opening_window(environ, system="linux", load_library=loader_missing())
    assert problem is not None
    assert "DISPLAY is not set" in problem and "QT_QPA_PLATFORM=wayland" in problem


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_windows_and_macos_always_have_a_screen(system):
    load = loader_missing(*QT_LIBRARIES, *XCB_LIBRARIES)
    assert problem_opening_window({}, system=system, load_library=load) is None


def test_the_check_imports_no_qt():
    code = (
        "import sys; import cryptex_desktop.ui.display_check as d; d.problem_opening_window(); "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_command_line_prints_missing_packages_and_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(display_check, "_load_with_ctypes", loader_missing("libxcb-icccm.so.4"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert display_check.main(["--missing-packages"]) == 1
    assert capsys.readouterr().out == "libxcb-icccm4\n"


def test_the_command_line_prints_nothing_and_exits_0_when_nothing_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(display_check, "_load_with_ctypes", loader_missing())
    monkeypatch.setattr(sys, "platform", "linux")
    assert display_check.main(["--missing-packages"]) == 0
    assert capsys.readouterr().out == ""


def test_the_command_line_without_options_prints_the_paragraph(monkeypatch, capsys):
    monkeypatch.setattr(display_check, "_load_with_ctypes", loader_missing())
    monkeypatch.setattr(sys, "platform", "linux")
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(variable, raising=False)
    assert display_check.main([]) == 1
    assert "xvfb-run cryptex-desktop" in capsys.readouterr().out


def test_the_module_runs_as_a_command():
    result = subprocess.run(
        [sys.executable, "-m", "cryptex_desktop.ui.display_check", "--missing-packages"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode in (0, 1)
    packages = result.stdout.split()
    assert (result.returncode == 1) == bool(packages)
    known = set(QT_LIBRARIES.values()) | set(XCB_LIBRARIES.values())
    assert set(packages) <= known
