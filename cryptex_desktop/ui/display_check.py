"""Can Qt open a window here? If not, one plain paragraph that says how to fix it.

Runs at every start before Qt is imported (so it imports no Qt itself) and must stay fast:
it only reads the environment and tries to load a few system libraries with ``ctypes``.
Without this, a missing library makes Qt abort with "could not load the Qt platform plugin
xcb", which tells a non-programmer nothing.

``python -m cryptex_desktop.ui.display_check --missing-packages`` prints the Debian packages
Qt's X11 (xcb) platform needs that are missing, space-separated, and exits 1 if there are any.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping

from cryptex_desktop.i18n import _

#: Loads a shared library by file name; raises OSError when it cannot (ctypes.CDLL does).
LibraryLoader = Callable[[str], object]

#: System libraries Qt 6.11's own libraries need on Linux whatever the platform plugin
#: (from ``readelf -d`` of libQt6Core, libQt6Gui, libQt6DBus, libQt6Widgets), with the
#: Debian/Ubuntu package that ships each.
QT_LIBRARIES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11.so.6": "libx11-6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

#: What the xcb (X11) platform plugin adds (``readelf -d`` of libqxcb.so and libQt6XcbQpa).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

#: What the wayland platform plugin adds (``readelf -d`` of libqwayland.so).
WAYLAND_LIBRARIES: dict[str, str] = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
}

#: Platforms that draw without a desktop session (headless, framebuffer, remote).
_NO_DESKTOP_PLATFORMS = {
    "offscreen",
    "minimal",
    "minimalegl",
    "vnc",
    "eglfs",
    "linuxfb",
    "vkkhrdisplay",
}


def _load_with_ctypes(name: str) -> object:
    import ctypes  # here, not at the top: only Linux needs it, and only when checking

    return ctypes.CDLL(name)


def _missing_libraries(
    libraries: Mapping[str, str], load_library: LibraryLoader | None
) -> list[str]:
    """The libraries of ``libraries`` that cannot be loaded, in the order given.

    When a library is present but one it needs is not, the loader names the one it needs;
    only that one is reported, so nobody is told to install what they already have.
    """
    load = load_library or _load_with_ctypes
    missing: list[str] = []
    for name in libraries:
        try:
            load(name)
        except OSError as error:
            culprit = str(error).split(":", 1)[0].strip()
            reported = culprit if culprit in libraries else name
            if reported not in missing:
                missing.append(reported)
    return missing


def _packages(libraries: Iterable[str], names: Mapping[str, str]) -> list[str]:
    packages: list[str] = []
    for library in libraries:
        package = names[library]
        if package not in packages:
            packages.append(package)
    return packages


def missing_packages(platform: str = "xcb", load_library: LibraryLoader | None = None) -> list[str]:
    """Debian packages missing for Qt's ``platform`` plugin ("xcb" or "wayland"), if any."""
    libraries = {**QT_LIBRARIES, **_plugin_libraries(platform)}
    return _packages(_missing_libraries(libraries, load_library), libraries)


def _plugin_libraries(platform: str) -> dict[str, str]:
    return WAYLAND_LIBRARIES if platform == "wayland" else XCB_LIBRARIES


def _requested_platforms(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order, as Qt 6 picks them on Linux."""
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        # "wayland;xcb" lists fallbacks; "xcb:option=value" carries options.
        return [p.split(":", 1)[0].strip().lower() for p in requested.split(";") if p.strip()]
    if environ.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def _platform_problem(
    platform: str, environ: Mapping[str, str], load_library: LibraryLoader | None
) -> tuple[str | None, bool]:
    """What stops Qt's ``platform`` plugin here (or ``None``), and whether it has a screen."""
    if platform in _NO_DESKTOP_PLATFORMS or platform not in ("xcb", "wayland"):
        # Headless platforms need no screen; unknown plugins are Qt's to explain.
        return None, True
    screen_variable = "WAYLAND_DISPLAY" if platform == "wayland" else "DISPLAY"
    has_screen = bool(environ.get(screen_variable))
    packages = missing_packages(platform, load_library)
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        if packages:
            return _(
                "Cryptex Desktop found no screen to draw its window on: neither DISPLAY nor "
                "WAYLAND_DISPLAY is set, which happens when it is started over SSH, from a "
                "service or in a container. Start it from your desktop, or run "
                "`xvfb-run cryptex-desktop` for a virtual screen (install that with "
                "`sudo apt-get install xvfb`). It also needs system libraries that are "
                "missing here; install them with `sudo apt-get install {packages}`."
            ).format(packages=" ".join(packages)), False
        return _(
            "Cryptex Desktop found no screen to draw its window on: neither DISPLAY nor "
            "WAYLAND_DISPLAY is set, which happens when it is started over SSH, from a "
            "service or in a container. Start it from your desktop, or run "
            "`xvfb-run cryptex-desktop` for a virtual screen (install that with "
            "`sudo apt-get install xvfb`)."
        ), False
    if not has_screen:
        other = "xcb" if platform == "wayland" else "wayland"
        return _(
            "Cryptex Desktop is set to draw its window with {platform}, but {variable} is not "
            "set, so there is no such screen here. Start it from your desktop, or run "
            "`QT_QPA_PLATFORM={other} cryptex-desktop` to use the screen this session has."
        ).format(platform=platform, variable=screen_variable, other=other), False
    if packages:
        return _(
            "Cryptex Desktop cannot open its window because system libraries that Qt needs "
            "to draw on this screen are missing. On Debian or Ubuntu, install them with "
            "`sudo apt-get install {packages}`, then start Cryptex Desktop again (other "
            "systems name these packages similarly)."
        ).format(packages=" ".join(packages)), True
    return None, True


def problem_opening_window(
    environ: Mapping[str, str] | None = None,
    *,
    system: str | None = None,
    load_library: LibraryLoader | None = None,
) -> str | None:
    """``None`` when Qt can open a window here; otherwise one paragraph with the fix.

    ``environ``, ``system`` (like ``sys.platform``) and ``load_library`` default to this
    process's; tests pass their own.
    """
    environ = os.environ if environ is None else environ
    system = sys.platform if system is None else system
    if not system.startswith("linux"):
        return None  # Windows and macOS always have their one platform plugin and a screen
    results = [
        _platform_problem(platform, environ, load_library)
        for platform in _requested_platforms(environ)
    ]
    if not results or any(problem is None for problem, _has_screen in results):
        return None
    # Qt tries each platform in turn; advise on the first one that has a screen to use.
    for problem, has_screen in results:
        if has_screen:
            return problem
    return results[-1][0]


def main(argv: list[str] | None = None) -> int:
    """The command line: print the problem (or missing packages) and exit 1 if there is one."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--missing-packages"]:
        packages = missing_packages("xcb") if sys.platform.startswith("linux") else []
        if packages:
            print(" ".join(packages))
        return 1 if packages else 0
    if args:
        print(
            "usage: python -m cryptex_desktop.ui.display_check [--missing-packages]",
            file=sys.stderr,
        )
        return 2
    problem = problem_opening_window()
    if problem:
        print(problem)
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())
