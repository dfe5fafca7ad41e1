"""Are two builds of one commit byte-identical? Names every file that differs.

``python packaging/compare_builds.py FIRST SECOND`` compares two folders as ``make package``
leaves ``dist/`` (the one-folder bundle and the one-file executable): each file by its
SHA-256, each link by where it points. It prints one line per difference and exits 1 if
there is any, 0 if the builds are the same. ``.ci/run`` and the package workflow build
twice and run it, so a build that depends on the clock or the hash seed is caught at once.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def fingerprint(path: Path) -> str:
    """What must match in the other build: a link's target, or a file's SHA-256."""
    if path.is_symlink():
        return f"link to {path.readlink()}"
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"sha256 {digest.hexdigest()}"


def fingerprints(root: Path) -> dict[str, str]:
    """Every file and link under ``root``, by its path relative to ``root`` (``/`` separated)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or path.is_file():
            found[path.relative_to(root).as_posix()] = fingerprint(path)
    return found


def differences(first: Path, second: Path) -> tuple[int, list[str]]:
    """How many files the first build holds, and one line per file missing from one build
    or not the same in both."""
    ours, theirs = fingerprints(first), fingerprints(second)
    lines = []
    for name in sorted(ours.keys() | theirs.keys()):
        if name not in theirs:
            lines.append(f"only in {first}: {name}")
        elif name not in ours:
            lines.append(f"only in {second}: {name}")
        elif ours[name] != theirs[name]:
            lines.append(f"differs: {name}")
    return len(ours), lines


def main(argv: list[str] | None = None) -> int:
    """Compare the two folders named; exit 1 on any difference."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not all(Path(arg).is_dir() for arg in args):
        print("usage: python packaging/compare_builds.py FIRST_DIST SECOND_DIST", file=sys.stderr)
        return 2
    first, second = (Path(arg) for arg in args)
    count, found = differences(first, second)
    print("\n".join(found) if found else f"identical: {count} files in {first} and {second}")
    if found:
        print(f"{len(found)} of the files differ between two builds of one commit: the build "
              "is not reproducible")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
