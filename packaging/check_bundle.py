"""Will the built one-folder bundle start on the Linux machines we promise? (ldd, objdump.)

``python packaging/check_bundle.py dist/cryptex-desktop`` checks three things and exits 1 when
one fails:

- ``ldd`` on every ELF file of the bundle, the way the app loads them (its ``_internal``
  folder first, as the PyInstaller bootloader sets it): the libraries taken from the system,
  with the Debian package of each, and any that is not found, which a fresh machine lacks.
- the C library versions they need (``objdump -p``, the ``GLIBC_x.y`` names of each file's
  version references): the newest is the oldest glibc the bundle runs on, and it must not
  be above :data:`RELEASE_GLIBC_CEILING`, which README.md's "Download and run" promises.
- the languages: the app's catalogues, and Qt's translations for those languages only.

The downloads are built on ubuntu-22.04 (glibc 2.35), so the libraries PyInstaller copies
from the build machine (libstdc++, libexpat, libpython…) need no newer glibc than that. A
build on a newer system copies that system's libraries, so ``--local-build`` holds it to
the newer of the release ceiling and this machine's own glibc, and names what is above the
release ceiling: such a build runs here, but is no download.

PyInstaller leaves the graphics stack (libGL, libEGL, libxcb, Wayland's client libraries)
and the C library to the system on purpose, since they must match its drivers; every other
library ships in the bundle.
"""

from __future__ import annotations

import argparse
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

#: The newest glibc a download may need: Ubuntu 22.04's. README.md names what this covers.
RELEASE_GLIBC_CEILING = "2.35"

#: The tools' output is parsed, so they must not translate it (objdump does, under ru_RU).
ENGLISH = {"LC_ALL": "C", "LANGUAGE": ""}

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
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal if internal.is_dir() else bundle),
           **ENGLISH}
    links = []
    for path in elf_files(bundle):
        # Only the bundle's own files are named, and ldd only traces their loading.
        result = subprocess.run([ldd, str(path)], capture_output=True, text=True,  # noqa: S603
                                env=env, check=False)
        links += parse_ldd(result.stdout, str(path.relative_to(bundle)))
    return links


_GLIBC_NEEDED = re.compile(r"^\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+\d+\s+GLIBC_(\d+(?:\.\d+)+)\s*$")


def version_key(version: str) -> tuple[int, ...]:
    """``"2.3.4"`` as ``(2, 3, 4)``, which sorts the way glibc versions do."""
    return tuple(int(part) for part in version.split("."))


def parse_version_references(output: str) -> set[str]:
    """The glibc versions named in the "Version References" part of ``objdump -p``'s output.

    Only references count (what the file needs), not the versions a file defines itself;
    GLIBC_PRIVATE and other libraries' versions (GCC_3.0, GLIBCXX_3.4) are not glibc's.
    """
    needed: set[str] = set()
    in_references = False
    for line in output.splitlines():
        if line.startswith("Version References:"):
            in_references = True
        elif in_references and line and not line[0].isspace():
            in_references = False  # the next part of objdump's output
        elif in_references:
            match = _GLIBC_NEEDED.match(line)
            if match:
                needed.add(match.group(1))
    return needed


def glibc_needed(bundle: Path) -> dict[str, str]:
    """The newest glibc version each ELF file of the bundle needs (files needing none left out)."""
    objdump = shutil.which("objdump")
    if objdump is None:
        raise SystemExit("objdump is missing: install binutils (Debian: sudo apt-get install "
                         "binutils)")
    newest = {}
    for path in elf_files(bundle):
        # Only the bundle's own files are named; objdump reads them, runs nothing.
        result = subprocess.run([objdump, "-p", str(path)], capture_output=True,  # noqa: S603
                                text=True, check=True, env={**os.environ, **ENGLISH})
        versions = parse_version_references(result.stdout)
        if versions:
            newest[str(path.relative_to(bundle))] = max(versions, key=version_key)
    return newest


def this_machines_glibc() -> str | None:
    """The version of the C library this Python runs on, or None if it is not glibc."""
    try:
        name, _, version = os.confstr("CS_GNU_LIBC_VERSION").partition(" ")
    except (AttributeError, OSError, ValueError):  # no confstr, or not this name here
        return None
    return version if name == "glibc" else None


def this_machines_libraries() -> frozenset[str]:
    """Names of the files this machine could have given a build: its system's libraries
    (``ldconfig -p``) and its Python's own (less site-packages, which wheels fill)."""
    names: set[str] = set()
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    if Path(ldconfig).is_file():
        # A fixed system tool reading its own cache.
        result = subprocess.run([ldconfig, "-p"], capture_output=True, text=True,  # noqa: S603
                                check=False)
        names |= {line.split()[0] for line in result.stdout.splitlines()[1:] if "=>" in line}
    python_lib = Path(sys.base_prefix) / "lib"
    names |= {path.name for path in python_lib.rglob("*.so*")
              if "site-packages" not in path.parts}
    return frozenset(names)


def glibc_version(text: str) -> str:
    """``--glibc-ceiling``'s value checked: digits and dots, as glibc numbers its versions."""
    if not re.fullmatch(r"\d+(\.\d+)+", text):
        raise argparse.ArgumentTypeError(f"{text!r} is no glibc version: write it as 2.35")
    return text


def glibc_report(needed: dict[str, str], ceiling: str, machine_glibc: str | None = None,
                 machine_libraries: frozenset[str] = frozenset()) -> tuple[bool, list[str]]:
    """Whether the bundle keeps to the glibc ceiling, and the lines that say so.

    ``needed`` maps each ELF file to the newest glibc it needs. Each may need up to
    ``ceiling``; for a local build (``machine_glibc`` given), a file this machine supplied
    (its name in ``machine_libraries``) may need up to ``machine_glibc``, since the build
    copied it from a system made for that glibc. A file from a wheel may not: the same file
    goes into a download.
    """
    if not needed:
        return True, ["glibc: no ELF file names a glibc version"]
    newest = max(needed.values(), key=version_key)
    lines = [f"glibc: the bundle needs {newest} or newer (ceiling {ceiling}); newest needed by "
             + ", ".join(sorted(name for name, version in needed.items() if version == newest))]
    passed = True
    for name, version in sorted(needed.items()):
        if version_key(version) <= version_key(ceiling):
            continue
        from_machine = Path(name).name in machine_libraries
        if machine_glibc and from_machine and version_key(version) <= version_key(machine_glibc):
            lines.append(f"note    {name} needs glibc {version}: copied from this machine "
                         f"(glibc {machine_glibc}), fine here, too new for a download")
            continue
        passed = False
        why = ""
        if machine_glibc and not from_machine:
            why = "; it came from a wheel, not from this machine, so a download carries it too"
        lines.append(f"TOO NEW {name} needs glibc {version}, above the ceiling {ceiling}{why}")
    return passed, lines


def translations_report(bundle: Path) -> tuple[bool, str]:
    """Whether the bundle carries the app's catalogues and Qt's for its languages, no others."""
    from qt_selection import TRANSLATIONS_KEPT

    qt_files = {path.name for path in bundle.rglob("*.qm")}
    catalogues = sorted(path.relative_to(bundle).parts[-3]
                        for path in bundle.rglob("locale/*/LC_MESSAGES/cryptex.mo"))
    expected = sorted(name.removeprefix("qtbase_").removesuffix(".qm")
                      for name in TRANSLATIONS_KEPT)
    passed = qt_files == TRANSLATIONS_KEPT and catalogues == expected
    line = (f"languages: the app's catalogues {', '.join(catalogues) or 'none'}; Qt's "
            f"translations {', '.join(sorted(qt_files)) or 'none'}"
            + ("" if passed else f" (expected {', '.join(sorted(TRANSLATIONS_KEPT))} and "
                                 f"catalogues {', '.join(expected)})"))
    return passed, line


def main(argv: list[str] | None = None) -> int:
    """Print the system libraries and glibc the bundle needs; exit 1 if it would not start."""
    parser = argparse.ArgumentParser(
        prog="python packaging/check_bundle.py",
        description="Check that a one-folder bundle finds its libraries and names no glibc "
                    "newer than a ceiling.")
    parser.add_argument("bundle", type=Path, help="the one-folder bundle: dist/cryptex-desktop")
    parser.add_argument("--glibc-ceiling", default=RELEASE_GLIBC_CEILING, type=glibc_version,
                        metavar="X.Y", help="the newest glibc a file may need (default "
                                            f"{RELEASE_GLIBC_CEILING}, what a download promises)")
    parser.add_argument("--local-build", action="store_true",
                        help="a build made on this machine: the libraries it copied from this "
                             "machine may need this machine's glibc, the rest is held to the "
                             "ceiling")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not args.bundle.is_dir():
        parser.error(f"{args.bundle} is not a folder: run `make package` first")
    machine_glibc, machine_libraries = None, frozenset()
    if args.local_build:
        machine_glibc, machine_libraries = this_machines_glibc(), this_machines_libraries()
        print(f"glibc: this machine has {machine_glibc}: what the build copied from it may need "
              f"that, the rest (from wheels) no more than {args.glibc_ceiling}")
    bundle = args.bundle.resolve()
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
    glibc_passed, lines = glibc_report(glibc_needed(bundle), args.glibc_ceiling, machine_glibc,
                                       machine_libraries)
    print("\n".join(lines))
    languages_passed, line = translations_report(bundle)
    print(line)
    return 0 if glibc_passed and not missing and languages_passed else 1


if __name__ == "__main__":
    sys.exit(main())
