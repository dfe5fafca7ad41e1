"""Render the app icon's SVG to the PNG sizes desktops ask for, and pack them as ICO and ICNS.

``python packaging/make_icons.py [OUT_DIR]`` (default ``build/icons``) writes
``cryptex-desktop-NxN.png`` for each of :data:`PNG_SIZES`, ``cryptex-desktop.ico`` (Windows)
and ``cryptex-desktop.icns`` (macOS). Qt draws the SVG (its SVG image plugin, on the offscreen
platform), so no imaging library is needed; ICO and ICNS are simple containers of PNG images
and are written here by hand. The build runs this for the .ico and .icns; the PNG sizes are
also kept in ``resources/icons/`` for Linux menus (``make icons`` draws them again).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "cryptex-desktop.svg"
NAME = "cryptex-desktop"

#: What Linux desktops look up in the hicolor icon theme (and what the other formats need).
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

#: Sizes in the Windows .ico; 256 is the largest an ICO entry can say it is.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

#: The macOS .icns entries: (type code, pixels). The ``@2x`` types reuse the larger renders.
ICNS_ENTRIES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size`` × ``size`` pixels, as PNG file bytes (needs a Qt app)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QImage, QImageReader

    reader = QImageReader(str(svg))
    reader.setScaledSize(QSize(size, size))  # vector: drawn at this size, never scaled up
    image = reader.read()
    if image.isNull():
        raise RuntimeError(f"Qt could not draw {svg}: {reader.errorString()}")
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding each PNG (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, image count
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        if not 1 <= size <= 256:
            raise ValueError(f"an ICO entry cannot be {size} pixels wide")
        side = size % 256  # 0 stands for 256
        # width, height, palette colours, reserved, colour planes, bits per pixel, bytes, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns_bytes(entries: list[tuple[bytes, bytes]]) -> bytes:
    """An ICNS file of (type code, PNG bytes) entries, big-endian lengths as Apple's format has."""
    body = b"".join(code + struct.pack(">I", 8 + len(png)) + png for code, png in entries)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icons(out_dir: Path, svg: Path = SVG) -> list[Path]:
    """Render and write every icon file into ``out_dir``; returns the paths written."""
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # Qt draws only in an app
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _code, size in ICNS_ENTRIES)})
    pngs = {size: render_png(svg, size) for size in sizes}

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in PNG_SIZES:
        path = out_dir / f"{NAME}-{size}x{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    ico = out_dir / f"{NAME}.ico"
    ico.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    icns = out_dir / f"{NAME}.icns"
    icns.write_bytes(icns_bytes([(code, pngs[size]) for code, size in ICNS_ENTRIES]))
    return [*written, ico, icns]


def main(argv: list[str] | None = None) -> int:
    """Write the icons into the folder named on the command line (default build/icons)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python packaging/make_icons.py [OUT_DIR]", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a build machine has no screen
    out_dir = Path(args[0]) if args else ROOT / "build" / "icons"
    for path in write_icons(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
