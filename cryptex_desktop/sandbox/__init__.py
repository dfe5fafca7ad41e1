"""The sandbox: a small but real Cryptex exchange that runs on this machine, with fake money.

It serves the Cryptex API v1 over HTTP on loopback (``SandboxServer``), keeps everything
in one SQLite file per data dir, matches orders by price and time, simulates a blockchain
for deposits and withdrawals, and issues coupons. The app's demo mode and every test talk
to it over HTTP; ``Exchange`` is the same thing in process, and ``cryptex-sandbox`` its
command line. This package never imports Qt or the ``ui`` package.
"""

from .accounts import Account
from .exchange import Exchange
from .server import SandboxServer

__all__ = ["Account", "Exchange", "SandboxServer"]
