"""What the whole app costs at rest: CPU with the Trade screen on show and idle, then minimized.

Starts the real app (``cryptex_desktop.ui.app.main``, its embedded demo exchange included) in a
child process on Qt's offscreen platform, with settings that open it on the Trade tab. After
:data:`SETTLE_SECONDS` it reads the child's CPU time (user + system, from ``/proc/PID/stat``:
Linux only) over :data:`MEASURE_SECONDS` with Trade visible, then the child minimizes its own
window (a timer set before the app starts: nothing in the app is changed for this) and the
CPU time is read over another :data:`MEASURE_SECONDS`. Figures are % of one core. The child
also says whether the market feed was polling in each phase, so a figure is not from a
window that was not where it should be.

    python -m benchmarks idle        (about two and a half minutes)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SETTLE_SECONDS = 10.0
MEASURE_SECONDS = 60.0
#: Between the end of the first measurement and the start of the second: the window minimizes.
MINIMIZE_GAP_SECONDS = 3.0

#: The child: a timer that minimizes the main window, then the app as ``cryptex-desktop`` runs.
_CHILD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cryptex_desktop.ui import app as desktop
    from cryptex_desktop.ui.main_window import MainWindow

    minimize_at, report_at = float(sys.argv[1]), float(sys.argv[2])
    qt_app = QApplication([sys.argv[0]])

    def main_window():
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def report(phase):
        window = main_window()
        feed = window.context.market
        print(phase, "tab=" + window.tabs.currentWidget().NAME,
              "minimized=" + str(window.isMinimized()),
              "feed_polling=" + str(feed.is_polling()), flush=True)

    def minimize():
        report("visible")
        main_window().showMinimized()

    QTimer.singleShot(round(minimize_at * 1000), minimize)
    QTimer.singleShot(round(report_at * 1000), lambda: report("minimized"))
    sys.exit(desktop.main(sys.argv[3:]))
""")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def _percent_over(pid: int, seconds: float) -> float:
    cpu_before, wall_before = _cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    cpu_after, wall_after = _cpu_seconds(pid), time.monotonic()
    return 100 * (cpu_after - cpu_before) / (wall_after - wall_before)


def run() -> dict[str, object]:
    """Start the app, measure it visible then minimized, stop it; the figures."""
    if not Path("/proc/self/stat").exists():
        return {"note": "needs Linux's /proc"}
    with tempfile.TemporaryDirectory(prefix="cryptex-idle-") as folder:
        data_dir = Path(folder)
        (data_dir / "settings.ini").write_text("[window]\nlast_tab=trade\n")
        minimize_at = SETTLE_SECONDS + MEASURE_SECONDS
        report_at = minimize_at + MINIMIZE_GAP_SECONDS - 1
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(minimize_at), str(report_at),
             "--data-dir", str(data_dir), "--demo"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started = time.monotonic()
        try:
            time.sleep(SETTLE_SECONDS)
            visible = _percent_over(child.pid, MEASURE_SECONDS)
            time.sleep(max(0.0, started + minimize_at + MINIMIZE_GAP_SECONDS
                           - time.monotonic()))
            minimized = _percent_over(child.pid, MEASURE_SECONDS)
        finally:
            child.terminate()
            try:
                output, _ = child.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                output, _ = child.communicate()
    phases = dict(line.split(" ", 1) for line in output.splitlines() if " " in line)
    return {
        "cpu_percent_trade_visible_idle_60s": visible,
        "cpu_percent_minimized_60s": minimized,
        "while_visible": phases.get("visible", "no report"),
        "while_minimized": phases.get("minimized", "no report"),
    }


GOALS = {
    "cpu_percent_trade_visible_idle_60s": ("<=", 2.0),
    "cpu_percent_minimized_60s": ("<=", 0.5),
}


if __name__ == "__main__":
    from benchmarks.report import print_figures

    print_figures("Cryptex Desktop at rest", run(), GOALS)
