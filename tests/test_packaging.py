"""The double-click app's pieces: icons the build makes, the menu entry, ``--self-test``, and
the checks the builds go through (libraries, glibc, two builds alike).

The PyInstaller build itself is too slow for the suite; ``.ci/run`` builds it twice, compares
the builds and runs the built binaries' ``--self-test``. Here the self-test runs from source,
as a person would start it, in a child process, and the checks run on small made-up folders
and on this machine's own Python.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.ui.self_test import SelfTest, module_matrix, read_modules

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP_ENTRY = ROOT / "resources" / "cryptex-desktop.desktop"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SELF_TEST_STEPS = ["qt", "icon", "keychain", "window", "exchange", "info", "trade", "deposit",
                   "languages",
                   "quit", "log"]


def load(name: str) -> ModuleType:
    """A script of packaging/ as a module (packaging/ is no package: PyPI has one by that name)."""
    spec = importlib.util.spec_from_file_location(f"cryptex_packaging_{name}",
                                                  PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; fails the test if it is not an RGBA PNG."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6), "8-bit RGBA, so the corners stay transparent"
    return width, height


def largest_channel_difference(first, second) -> int:
    """How far apart two same-sized QImages are, in 0-255 steps of the farthest colour channel.

    Qt's anti-aliasing may round an edge pixel one step apart from one Qt release or CPU to
    the next, so the kept PNGs are compared with the drawn ones within a small tolerance.
    """
    from PySide6.QtGui import QImage

    assert first.size() == second.size()
    ours, theirs = (bytes(image.convertToFormat(QImage.Format.Format_ARGB32).constBits())
                    for image in (first, second))
    return max((abs(a - b) for a, b in zip(ours, theirs, strict=True)), default=0)


@pytest.fixture(scope="module")
def icons(tmp_path_factory) -> Path:
    """The icon script run as the build runs it, into a fresh folder."""
    out = tmp_path_factory.mktemp("icons")
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


# -- icons ----------------------------------------------------------------------------------


def test_the_build_draws_every_png_size_a_linux_desktop_asks_for(icons):
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size((icons / f"cryptex-desktop-{size}x{size}.png").read_bytes()) == (size, size)


def test_resources_keep_the_same_png_sizes_as_the_build_draws(icons, qapp):
    from PySide6.QtGui import QImage

    from tests.gui_checks import assert_images_alike

    kept = Path(__file__).resolve().parents[1] / "resources" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        name = f"cryptex-desktop-{size}x{size}.png"
        assert png_size((kept / name).read_bytes()) == (size, size)
        # Another SVG rasteriser may shade an edge a step differently; an older icon differs more.
        assert_images_alike(QImage(str(kept / name)), QImage(str(icons / name)),
                            f"resources/icons/ and the SVG drawn now at {size} px "
                            "(if the SVG changed, run `make icons`)")


def test_the_pngs_show_the_icon_rather_than_an_empty_square(icons, qapp):
    from PySide6.QtGui import QImage

    for size in (16, 512):
        image = QImage(str(icons / f"cryptex-desktop-{size}x{size}.png"))
        centre = image.pixelColor(size // 2, size // 2)
        assert centre.alpha() == 255  # the tile is drawn...
        assert image.pixelColor(0, 0).alpha() == 0  # ...with rounded, transparent corners


def test_the_windows_ico_holds_a_png_for_each_size_up_to_256(icons):
    data = (icons / "cryptex-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    sizes = []
    for index in range(count):
        width, height, colours, _reserved, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        side = width or 256  # 0 means 256
        assert (height or 256, colours, planes, bits) == (side, 0, 1, 32)
        assert png_size(data[offset:offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icns_holds_pngs_from_16_to_1024_pixels(icons):
    data = (icons / "cryptex-desktop.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    entries, offset = {}, 8
    while offset < len(data):
        kind, length = struct.unpack(">4sI", data[offset:offset + 8])
        entries[kind] = png_size(data[offset + 8:offset + length])[0]
        offset += length
    assert offset == len(data)
    assert entries == {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256,
                       b"ic09": 512, b"ic10": 1024, b"ic11": 32, b"ic12": 64, b"ic13": 256,
                       b"ic14": 512}


def test_qt_reads_the_ico_and_icns_back_image_by_image(icons, qapp):
    from PySide6.QtGui import QImageReader

    for name, count in (("cryptex-desktop.ico", 7), ("cryptex-desktop.icns", 11)):
        reader = QImageReader(str(icons / name))
        assert reader.imageCount() == count
        for index in range(count):
            assert reader.jumpToImage(index)
            assert not reader.read().isNull(), f"{name} image {index}"


def test_an_ico_entry_of_256_pixels_says_0_as_the_format_wants():
    make_icons = load("make_icons")
    png = PNG_SIGNATURE + struct.pack(">I4sIIBBBBB", 13, b"IHDR", 256, 256, 8, 6, 0, 0, 0)
    data = make_icons.ico_bytes({256: png})
    assert data[6:8] == b"\x00\x00"
    with pytest.raises(ValueError, match="512 pixels"):
        make_icons.ico_bytes({512: png})


# -- the menu entry -------------------------------------------------------------------------


def test_the_menu_entry_starts_cryptex_desktop_with_its_icon_and_no_terminal():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive in desktop entries
    entry.read(DESKTOP_ENTRY, encoding="utf-8")
    assert entry.sections() == ["Desktop Entry"]
    fields = entry["Desktop Entry"]
    assert fields["Type"] == "Application"
    assert fields["Name"] == "Cryptex Desktop"
    assert fields["Exec"].split()[0] == "cryptex-desktop"
    assert fields["Icon"] == "cryptex-desktop"  # the name the icons are installed under
    assert fields["Terminal"] == "false"
    assert fields["Categories"].endswith(";") and "Finance" in fields["Categories"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)")
def test_the_menu_entry_passes_desktop_file_validate():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP_ENTRY)],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


# -- what goes into the bundle --------------------------------------------------------------


def test_the_bundle_keeps_the_window_plugins_and_only_the_translations_the_app_speaks():
    keep = load("qt_selection").keep
    for kept in ("PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/plugins/platforms/qwindows.dll",
                 "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/plugins/styles/libqmacstyle.dylib",
                 "PySide6/Qt/lib/libQt6Widgets.so.6",
                 "PySide6/Qt/translations/qtbase_ru.qm",
                 "PySide6/Qt/translations/qtbase_zh_CN.qm",
                 "libssl.so.3"):
        assert keep(kept), kept
    for dropped in ("PySide6/Qt/plugins/platforms/libqeglfs.so",
                    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
                    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
                    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
                    "PySide6/Qt/translations/qtbase_de.qm",
                    "PySide6/translations/qtbase_fr.qm",
                    "PySide6/Qt/translations/qtbase_zh_TW.qm",
                    "PySide6/Qt/translations/qt_ru.qm",
                    "PySide6/Qt/translations/qtdeclarative_ru.qm",
                    "PySide6/opengl32sw.dll"):
        assert not keep(dropped), dropped


def test_the_bundle_check_names_a_library_ldd_cannot_find():
    parse_ldd = load("check_bundle").parse_ldd
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibQt6Core.so.6 => /opt/app/_internal/libQt6Core.so.6 (0x00007f10)\n"
        "\tlibwayland-cursor.so.0 => not found\n"
        "\t/lib64/ld-linux-x86-64.so.2 (0x00007f20)\n"
    )
    links = parse_ldd(output, "libqwayland.so")
    assert [(link.name, link.path) for link in links] == [
        ("libQt6Core.so.6", "/opt/app/_internal/libQt6Core.so.6"),
        ("libwayland-cursor.so.0", None),
    ]


OBJDUMP_OUTPUT = """
Dynamic Section:
  NEEDED               libstdc++.so.6
  NEEDED               libc.so.6

Version definitions:
1 0x01 0x0865f4e6 libfoo.so.1
2 0x00 0x069691c0 GLIBC_2.40

Version References:
  required from libgcc_s.so.1:
    0x0b792650 0x00 09 GCC_3.0
  required from libstdc++.so.6:
    0x08922974 0x00 08 GLIBCXX_3.4
  required from libc.so.6:
    0x0963cf85 0x00 07 GLIBC_PRIVATE
    0x09691972 0x00 06 GLIBC_2.3.2
    0x069691b4 0x00 05 GLIBC_2.34
    0x06969194 0x00 04 GLIBC_2.14
    0x09691a75 0x00 03 GLIBC_2.2.5

"""


def test_the_glibc_check_reads_what_a_file_needs_not_what_it_defines_or_other_libraries():
    check_bundle = load("check_bundle")
    needed = check_bundle.parse_version_references(OBJDUMP_OUTPUT)
    assert needed == {"2.3.2", "2.34", "2.14", "2.2.5"}
    assert max(needed, key=check_bundle.version_key) == "2.34"  # as numbers: 2.34 > 2.3.2 > 2.14


def test_a_download_may_need_no_glibc_above_the_ceiling():
    check_bundle = load("check_bundle")
    assert check_bundle.RELEASE_GLIBC_CEILING == "2.35"  # README.md promises Ubuntu 22.04 on
    needed = {"_internal/libQt6Core.so.6": "2.34", "_internal/libstdc++.so.6": "2.36"}
    passed, lines = check_bundle.glibc_report(needed, "2.35")
    assert not passed
    assert lines[0].startswith("glibc: the bundle needs 2.36 or newer (ceiling 2.35)")
    assert lines[1:] == ["TOO NEW _internal/libstdc++.so.6 needs glibc 2.36, above the ceiling "
                         "2.35"]
    assert check_bundle.glibc_report({"_internal/libQt6Core.so.6": "2.34"}, "2.35")[0]


def test_a_local_build_may_copy_this_machines_newer_libraries_but_not_a_wheels():
    check_bundle = load("check_bundle")
    needed = {"_internal/libstdc++.so.6": "2.36", "_internal/PySide6/Qt/lib/libQt6Gui.so.6": "2.36"}
    machine_libraries = frozenset({"libstdc++.so.6", "libc.so.6"})
    passed, lines = check_bundle.glibc_report(needed, "2.35", "2.36", machine_libraries)
    assert not passed  # the Qt library comes from a wheel: a download would carry it too
    assert lines[1].startswith("TOO NEW _internal/PySide6/Qt/lib/libQt6Gui.so.6 needs glibc "
                               "2.36, above the ceiling 2.35; it came from a wheel")
    assert lines[2].startswith("note    _internal/libstdc++.so.6 needs glibc 2.36: copied from "
                               "this machine")
    del needed["_internal/PySide6/Qt/lib/libQt6Gui.so.6"]
    assert check_bundle.glibc_report(needed, "2.35", "2.36", machine_libraries)[0]
    assert not check_bundle.glibc_report(needed, "2.35", "2.35", machine_libraries)[0]


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("objdump") is None,
                    reason="reads Linux ELF files with objdump (Debian: binutils)")
def test_the_glibc_check_reads_this_pythons_own_needs_within_this_machines_glibc(tmp_path):
    check_bundle = load("check_bundle")
    machine = check_bundle.this_machines_glibc()
    if machine is None:
        pytest.skip("this Linux has no glibc (musl?)")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(Path(sys.executable).resolve(), bundle / "python")
    needed = check_bundle.glibc_needed(bundle)
    assert list(needed) == ["python"]
    assert check_bundle.version_key("2.2.5") <= check_bundle.version_key(needed["python"])
    assert check_bundle.version_key(needed["python"]) <= check_bundle.version_key(machine)


def test_two_builds_alike_compare_as_identical(tmp_path):
    compare_builds = load("compare_builds")
    for build in ("first", "second"):
        (tmp_path / build / "app" / "_internal").mkdir(parents=True)
        (tmp_path / build / "app" / "_internal" / "base_library.zip").write_bytes(b"PK\x03\x04")
        (tmp_path / build / "app-onefile").write_bytes(b"\x7fELF")
        (tmp_path / build / "app" / "libQt.so").symlink_to("_internal/base_library.zip")
    assert compare_builds.differences(tmp_path / "first", tmp_path / "second") == (3, [])
    assert compare_builds.main([str(tmp_path / "first"), str(tmp_path / "second")]) == 0


def test_the_build_comparison_names_each_file_that_differs_or_is_missing(tmp_path, capsys):
    compare_builds = load("compare_builds")
    first, second = tmp_path / "first", tmp_path / "second"
    for build, zip_bytes, target in ((first, b"PK one", "a.so.1"), (second, b"PK two", "a.so.2")):
        (build / "_internal").mkdir(parents=True)
        (build / "_internal" / "base_library.zip").write_bytes(zip_bytes)
        (build / "a.so").symlink_to(target)
    (first / "only-here.txt").write_text("x", encoding="utf-8")
    assert compare_builds.main([str(first), str(second)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "differs: _internal/base_library.zip",
        "differs: a.so",  # a link is compared by where it points
        f"only in {first}: only-here.txt",
        "3 of the files differ between two builds of one commit: the build is not reproducible",
    ]


# -- the self-test --------------------------------------------------------------------------


def test_self_test_from_source_passes_every_step_and_leaves_a_persons_data_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key != "QT_QPA_PLATFORM" and not key.startswith("XDG_")}
    env["HOME"] = str(home)  # where the app would keep a person's data and settings
    result = subprocess.run(
        [sys.executable, "-m", "cryptex_desktop", "--self-test"],
        capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path, check=False,
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split(":")[0].split()[-1] for line in lines] == SELF_TEST_STEPS
    assert all(line.startswith("ok   ") for line in lines), lines
    assert lines[0].endswith("on the offscreen platform")  # it chose offscreen by itself
    assert lines[5] == "ok   info: 5 currencies"
    assert "bought 0.001 BTC" in lines[6] and "filled at once" in lines[6]
    assert "its QR code" in lines[7] and "holds it" in lines[7]
    for person_data in (".local/share/Cryptex", ".config/Cryptex"):
        assert not (home / person_data).exists(), person_data


def test_a_failed_step_prints_fail_with_a_sentence_and_the_steps_needing_it_are_not_tried(
    tmp_path, capsys
):
    def refused() -> str:
        raise CryptexError("The exchange refused the order: not enough USD.")

    class ScriptedSelfTest(SelfTest):
        def steps(self):
            return [
                ("exchange", lambda: "demo exchange at http://127.0.0.1:1/api/v1", ()),
                ("trade", refused, ("exchange",)),
                ("history", lambda: "never asked", ("trade",)),
                ("log", self.check_log, ()),
            ]

    passed = ScriptedSelfTest(["cryptex-desktop"], tmp_path, sys.stdout).run()
    assert not passed
    assert capsys.readouterr().out.splitlines() == [
        "ok   exchange: demo exchange at http://127.0.0.1:1/api/v1",
        "FAIL trade: The exchange refused the order: not enough USD.",
        "FAIL history: not tried, because the trade step failed.",
        "ok   log: no errors logged",
    ]


def test_the_qr_check_reads_the_painted_code_and_tells_another_address_apart(qapp):
    from cryptex_desktop.ui.widgets.qr_code import QUIET_ZONE, QrCodeWidget

    address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    other = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"  # one letter apart, same QR size
    widget = QrCodeWidget(text=address)
    widget.resize(300, 300)
    expected = module_matrix(address)
    painted = read_modules(widget.grab().toImage(), len(expected), QUIET_ZONE)
    assert painted == expected
    assert painted != module_matrix(other)
