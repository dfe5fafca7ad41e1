"""The packaged app: sizes of the built one-folder bundle and one-file executable, and start-up.

Start-up is timed from outside, as ``ui_bench`` times the app from source: launch the built
binary (offscreen, a fresh data dir each run), wait for the ``first-paint`` line it prints
on its first paint (CRYPTEX_DESKTOP_EXIT_AFTER_FIRST_PAINT=1), take the median of 5 runs
after one discarded run. It measures what ``make package`` left in ``dist/``;
``python -m benchmarks.package_bench --build`` runs ``make package`` first, from scratch, and
reports its time (Linux and macOS, where make is).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
SUFFIX = ".exe" if sys.platform == "win32" else ""

#: The two builds the spec makes, as dist/ holds them.
BUILDS = {
    "onefolder": DIST / "cryptex-desktop" / f"cryptex-desktop{SUFFIX}",
    "onefile": DIST / f"cryptex-desktop-onefile{SUFFIX}",
}

MB = 1_000_000


def size_bytes(path: Path) -> int:
    """A file's size, or a folder's files added up (links counted once, as links)."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() or f.is_symlink())


def first_paint_seconds(binary: Path, runs: int = 5) -> float:
    """Median wall time from launching ``binary`` to its main window's first paint."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "CRYPTEX_DESKTOP_EXIT_AFTER_FIRST_PAINT": "1"}
    times = []
    for _ in range(runs + 1):  # the first run fills the disk cache and is not counted
        with tempfile.TemporaryDirectory() as data_dir:
            started = time.perf_counter()
            child = subprocess.Popen(
                [str(binary), "--data-dir", data_dir], stdout=subprocess.PIPE, text=True, env=env
            )
            line = child.stdout.readline()
            elapsed = time.perf_counter() - started
            child.wait(timeout=60)
            if line.strip() != "first-paint":
                raise RuntimeError(f"{binary.name} did not report its first paint: {line!r}")
            times.append(elapsed)
    return statistics.median(times[1:])


def build_seconds() -> float:
    """Time ``make package`` from scratch (no PyInstaller cache), as .ci/run builds."""
    shutil.rmtree(ROOT / "build" / "pyinstaller", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(["make", "package"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(build: bool = False) -> dict:
    """Measure and return the figures (megabytes, seconds); ``build`` rebuilds dist/ first."""
    figures: dict = {}
    if build:
        figures["build_s"] = build_seconds()
    missing = [str(path) for path in BUILDS.values() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"not built: {', '.join(missing)} (run `make package` first)")
    figures["onefolder_mb"] = size_bytes(BUILDS["onefolder"].parent) / MB
    figures["onefile_mb"] = size_bytes(BUILDS["onefile"]) / MB
    for name, binary in BUILDS.items():
        figures[f"{name}_start_to_window_s"] = first_paint_seconds(binary)
    return figures


GOALS = {
    "onefolder_start_to_window_s": ("<=", 0.5),
    "onefile_start_to_window_s": ("<=", 1.5),
    "onefile_mb": ("<=", 70),
}


if __name__ == "__main__":
    from benchmarks.report import print_figures

    print_figures("The packaged app (dist/)", run(build="--build" in sys.argv[1:]), GOALS)
