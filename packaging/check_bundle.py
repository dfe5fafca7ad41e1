"""Does the built one-folder bundle find every library it links to here? (Linux, with ldd.)

``python packaging/check_bundle.py dist/cryptex-desktop`` runs ``ldd`` on every ELF file of
the bundle the way the app loads them (its ``_internal`` folder first, as the PyInstaller
bootloader sets it), prints the libraries taken from the system with the Debian package of
each, and exits 1 when any library is not found: what a fresh machine would be missing.

PyInstaller leaves the graphics stack (libGL, libEGL, libxcb, Wayland's client libraries)
and the C library to the system on purpose, since they must match its drivers; every other
library ships in the bundle.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Libraries the bundle takes from the system, with the Debian package that ships each.
SYSTEM_PACKAGES = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "libutil.so.1": "libc6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libxcb.so.1": "libxcb1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


@dataclass(frozen=True)
class Link:
    """One library an ELF file of the bundle needs, and where ldd found it (None: nowhere)."""

    needed_by: str
    name: str
    path: str | None


def parse_ldd(output: str, needed_by: str) -> list[Link]:
    """The ``name => path`` lines of ldd's output (the loader and the vDSO have none)."""
    links = []
    for line in output.splitlines():
        match = _LDD_LINE.match(line)
        if match:
            name, where = match.groups()
            links.append(Link(needed_by, name, None if where == "not found" else where))
    return links


def elf_files(bundle: Path) -> list[Path]:
    """Every ELF executable or library in the bundle (links skipped: their targets count)."""
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def links_of(bundle: Path) -> list[Link]:
    """What ldd says of every ELF file in the bundle."""
    ldd = shutil.which("ldd")
    if ldd is None:
        raise SystemExit("ldd is missing: it comes with the C library (Debian: libc-bin)")
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal if internal.is_dir() else bundle)}
    links = []
    for path in elf_files(bundle):
        # Only the bundle's own files are named, and ldd only traces their loading.
        result = subprocess.run([ldd, str(path)], capture_output=True, text=True,  # noqa: S603
                                env=env, check=False)
        links += parse_ldd(result.stdout, str(path.relative_to(bundle)))
    return links


def main(argv: list[str] | None = None) -> int:
    """Print the system libraries the bundle uses; exit 1 if any library is missing."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python packaging/check_bundle.py dist/cryptex-desktop", file=sys.stderr)
        return 2
    bundle = Path(args[0]).resolve()
    links = links_of(bundle)
    missing = sorted({(link.needed_by, link.name) for link in links if link.path is None})
    from_system = sorted({link.name for link in links
                          if link.path is not None and not Path(link.path).is_relative_to(bundle)})
    packages = sorted({SYSTEM_PACKAGES.get(name, "?") for name in from_system})
    print(f"{bundle.name}: {len(elf_files(bundle))} ELF files; from the system: "
          f"{', '.join(from_system)} (Debian: {' '.join(packages)})")
    for needed_by, name in missing:
        package = SYSTEM_PACKAGES.get(name)
        hint = f"install {package}" if package else "the bundle should carry it"
        print(f"MISSING {name}, needed by {needed_by} ({hint})")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
