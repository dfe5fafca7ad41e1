"""Why PySide6 is pinned below 6.12, and the test that says when the pin may be lifted.

PySide6 6.12.0 on Python 3.11 drops one reference to ``True`` each time a signal carrying
``True`` reaches a Python slot. After a few thousand emits the count reaches zero and the
interpreter dies with "Fatal Python error: bool_dealloc: deallocating True or False" (a crash,
not an exception, so no test or user ever sees a traceback). pyproject.toml therefore pins
``PySide6-Essentials<6.12``. This test emits 10,000 signals the ways the app does and checks
that ``sys.getrefcount(True)`` did not fall; when it passes on a newer PySide6, the pin may go.

It runs in a child interpreter so that the crash, if it comes, fails this one test with the
reason instead of killing the whole test run. (From Python 3.12 ``True`` is immortal and its
count never moves; the test still checks every signal arrived.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

EMITS = 10_000

CHILD = r"""
import json
import sys

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

EMITS = int(sys.argv[1])


class Emitter(QObject):
    flag = Signal(bool)
    queued_flag = Signal(bool)
    ping = Signal()


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.direct = 0
        self.queued = 0
        self.pings = 0

    def on_flag(self, value):
        # Count, do not keep: a kept True would add references and hide a leak.
        self.direct += value is True

    def on_queued_flag(self, value):
        self.queued += value is True

    def on_ping(self):
        self.pings += 1
        return True  # a slot that returns True goes through the same conversion


app = QCoreApplication([])
emitter, receiver = Emitter(), Receiver()
emitter.flag.connect(receiver.on_flag)
emitter.queued_flag.connect(receiver.on_queued_flag, Qt.ConnectionType.QueuedConnection)
emitter.ping.connect(receiver.on_ping)
lambda_hits = []
emitter.flag.connect(lambda value: lambda_hits.append(None) if value is True else None)

before = sys.getrefcount(True)
for _ in range(EMITS):
    emitter.flag.emit(True)
    emitter.queued_flag.emit(True)
    emitter.ping.emit()
while receiver.queued < EMITS:
    before_round = receiver.queued
    app.processEvents()
    if receiver.queued == before_round:
        break  # nothing more arrives: report what did
after = sys.getrefcount(True)

print(json.dumps({
    "before": before,
    "after": after,
    "direct": receiver.direct,
    "queued": receiver.queued,
    "pings": receiver.pings,
    "lambda": len(lambda_hits),
}))
"""


def test_ten_thousand_true_signals_leave_the_refcount_of_true_intact():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(EMITS)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, (
        "emitting signals crashed Python (the PySide6 6.12 bool_dealloc bug?); keep the "
        f"PySide6-Essentials<6.12 pin.\nstderr:\n{result.stderr[-2000:]}"
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["direct"] == report["queued"] == report["pings"] == report["lambda"] == EMITS
    assert report["after"] >= report["before"], (
        f"sys.getrefcount(True) fell from {report['before']} to {report['after']} over "
        f"{EMITS} emits: this PySide6 drops references to True; keep the pin."
    )
