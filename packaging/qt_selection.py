"""Which of Qt's files go into the app: the plugins a desktop needs to show its window, no more.

The spec and the hooks in ``packaging/hooks/`` (which replace PyInstaller's own for QtCore,
QtGui and QtWidgets) ask :func:`keep` about every Qt file. Deciding in the hooks matters:
PyInstaller collects the libraries each collected plugin links to, so a plugin left out
there (GTK's theme, the virtual keyboard) also leaves out what it would drag in.
"""

from __future__ import annotations

from pathlib import PurePath

#: Qt plugins kept, by folder under Qt's ``plugins/``: a file is kept when its name (less
#: ``lib`` and the extension) is listed, or when its folder maps to None (the whole folder).
PLUGINS_KEPT: dict[str, set[str] | None] = {
    # offscreen for --self-test; xcb and wayland on Linux desktops, cocoa and windows elsewhere
    "platforms": {"qoffscreen", "qxcb", "qwayland", "qcocoa", "qwindows"},
    "platforms/darwin": None,
    "xcbglintegrations": None,  # OpenGL on X11, for whatever asks the xcb platform for it
    "wayland-decoration-client": None,  # title bars on compositors that draw none
    "wayland-shell-integration": {"xdg-shell"},  # (widgets draw in shared memory: no EGL plugin)
    "platformthemes": {"qxdgdesktopportal"},  # not gtk3: it would bring a copy of GTK
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",  # dead keys and the compose key
        "ibusplatforminputcontextplugin",  # input methods
    },
    "styles": None,  # the native look on Windows and macOS
    "iconengines": {"qsvgicon"},  # the app icon is an SVG
    "imageformats": {"qsvg"},
}

#: Qt's own translations kept: its words (OK, Cancel, a text field's menu) in the languages
#: the app speaks besides English (cryptex_desktop.i18n.LANGUAGES), and none other.
TRANSLATIONS_KEPT = {"qtbase_ru.qm", "qtbase_zh_CN.qm"}

#: Libraries nothing kept needs (the software OpenGL renderer is for OpenGL, which no
#: widget of the app uses).
LIBRARIES_DROPPED = ("opengl32sw",)


def _plugin_name(file_name: str) -> str:
    """The plugin's name: ``libqxcb.so`` -> ``qxcb``, ``qwindows.dll`` -> ``qwindows``."""
    stem = file_name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep(dest: str) -> bool:
    """Whether the file going to ``dest`` (a path inside the app) belongs in the app."""
    parts = PurePath(dest).parts
    if "PySide6" not in parts:
        return True
    inside = parts[parts.index("PySide6") + 1:]
    if "translations" in inside[:2]:
        return inside[-1] in TRANSLATIONS_KEPT
    if "plugins" in inside[:2]:
        folder = "/".join(inside[inside.index("plugins") + 1:-1])
        if folder not in PLUGINS_KEPT:
            return False
        kept = PLUGINS_KEPT[folder]
        return kept is None or _plugin_name(inside[-1]) in kept
    return not any(library in inside[-1] for library in LIBRARIES_DROPPED)


def keep_collected(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A hook's ``(source file, destination folder)`` list, less the files not kept."""
    return [(src, folder) for src, folder in entries
            if keep(str(PurePath(folder) / PurePath(src).name))]
