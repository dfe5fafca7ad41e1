"""How much the client costs per call, against one sandbox on loopback.

The sandbox runs as its own process (``cryptex-sandbox serve``, rate limit off), as it
would for a script or a second app, so client and server do not share one interpreter.

Three ways to make the same signed Info call, interleaved in rounds so drift hits all alike:
the seed document's style (a fresh ``requests.post`` per call: a new TCP connection each
time), a bare keep-alive ``requests.Session().post`` with the signature computed inline (the
limit), and ``CryptexClient.info()`` (signing, nonce book, typed Decimal parsing). Then
signed Info calls per second from 4 threads: on one key (requests go one at a time, as the
nonce rule demands) and on 4 keys of one account holder.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from cryptex_desktop.api import Credentials, CryptexClient, sign
from cryptex_desktop.sandbox import Account

CLI = [sys.executable, "-m", "cryptex_desktop.sandbox.cli"]


@contextlib.contextmanager
def served_sandbox(data_dir: Path) -> Iterator[str]:
    """``cryptex-sandbox serve`` in a child process; yields its URL."""
    env = {**os.environ, "CRYPTEX_SANDBOX_RATE_LIMIT": "0"}
    server = subprocess.Popen(
        [*CLI, "serve", "--port", "0", "--data-dir", str(data_dir), "--block-seconds", "0",
         "--no-market-maker"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        yield json.loads(server.stdout.readline())["url"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def add_user(data_dir: Path, name: str) -> Account:
    """A new account through the command line, as an outside script makes one."""
    out = subprocess.run([*CLI, "user", "add", name, "--data-dir", str(data_dir)],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    return Account(data["username"], data["key"], data["secret"])


class _InlineSigner:
    """Signs the seed document's way: a counter, the HMAC, the form body."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.nonces = itertools.count(1)

    def request(self) -> tuple[dict[str, str], dict[str, str]]:
        nonce = next(self.nonces)
        body = {"method": "Info", "nonce": str(nonce)}
        headers = {"Key": self.account.key,
                   "Sign": sign(self.account.secret, nonce, self.account.username,
                                self.account.key)}
        return body, headers


def _per_call(fn, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - started) / calls


def run(calls_per_round: int = 250, rounds: int = 6, threaded_calls: int = 3000) -> dict:
    """Measure and return the figures (seconds per call, ratios, calls per second)."""
    with tempfile.TemporaryDirectory() as tmp, served_sandbox(Path(tmp) / "sandbox") as url:
        sandbox_dir = Path(tmp) / "sandbox"
        seed_signer = _InlineSigner(add_user(sandbox_dir, "bench-seed"))
        bare_signer = _InlineSigner(add_user(sandbox_dir, "bench-bare"))
        mine = add_user(sandbox_dir, "bench-client")
        client = CryptexClient(url, Credentials(mine.username, mine.key, mine.secret),
                               Path(tmp) / "client")
        session = requests.Session()

        def seed_style() -> None:
            body, headers = seed_signer.request()
            answer = requests.post(url, data=body, headers=headers, timeout=10)
            assert answer.json()["status"] == "ok"

        def bare_session() -> None:
            body, headers = bare_signer.request()
            answer = session.post(url, data=body, headers=headers, timeout=10)
            assert answer.json()["status"] == "ok"

        def client_info() -> None:
            client.info()

        for fn in (seed_style, bare_session, client_info):  # warm up connections and caches
            _per_call(fn, 50)
        times: dict[str, list[float]] = {"seed": [], "bare": [], "client": []}
        for _ in range(rounds):
            times["seed"].append(_per_call(seed_style, calls_per_round))
            times["bare"].append(_per_call(bare_session, calls_per_round))
            times["client"].append(_per_call(client_info, calls_per_round))
        best = {name: sorted(values)[len(values) // 2] for name, values in times.items()}

        # One thread, one key: the round trip alone sets the pace.
        started = time.perf_counter()
        for _ in range(threaded_calls // 2):
            client.info()
        one_thread_rate = (threaded_calls // 2) / (time.perf_counter() - started)

        # 4 threads, one key: the client serialises, as nonces must arrive in order.
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: client.info(), range(threaded_calls)))
        one_key_rate = threaded_calls / (time.perf_counter() - started)

        # 4 threads, 4 keys: what one person with four API keys could do.
        clients = []
        for n in range(4):
            account = add_user(sandbox_dir, f"bench-thread-{n}")
            clients.append(CryptexClient(
                url, Credentials(account.username, account.key, account.secret),
                Path(tmp) / f"client{n}"))
        barrier = threading.Barrier(4)

        def worker(c: CryptexClient) -> None:
            barrier.wait()
            for _ in range(threaded_calls // 4):
                c.info()

        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(worker, clients))
        four_key_rate = threaded_calls / (time.perf_counter() - started)
        refusals = client.nonce_refusals + sum(c.nonce_refusals for c in clients)
        for c in [client, *clients]:
            c.close()
        session.close()

    return {
        "seed_style_ms": best["seed"] * 1000,
        "bare_session_ms": best["bare"] * 1000,
        "client_info_ms": best["client"] * 1000,
        "client_vs_seed_ratio": best["client"] / best["seed"],
        "client_vs_bare_ratio": best["client"] / best["bare"],
        "info_per_s_1_thread_one_key": one_thread_rate,
        "info_per_s_4_threads_one_key": one_key_rate,
        "info_per_s_4_threads_four_keys": four_key_rate,
        "nonce_refusals": refusals,
    }


GOALS = {
    "client_vs_seed_ratio": ("<=", 0.8),
    "client_vs_bare_ratio": ("<=", 1.1),
    "info_per_s_4_threads_one_key": (">=", 1000),
    "info_per_s_4_threads_four_keys": (">=", 1000),
}


if __name__ == "__main__":
    from benchmarks.report import print_figures

    print_figures("API client against the sandbox on loopback", run(), GOALS)
