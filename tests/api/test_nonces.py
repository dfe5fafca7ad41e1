"""Nonces only go up: across threads, restarts, crashes and resyncs, without a write per call."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from cryptex_desktop.api.nonces import NonceBook, NonceSource


def test_nonces_strictly_increase_across_threads(tmp_path):
    source = NonceBook(tmp_path).source("https://x/api", "key")
    seen: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        mine = [source.next() for _ in range(2000)]
        with lock:
            seen.extend(mine)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == len(seen) == 16000


def test_a_restart_never_reuses_a_nonce_even_after_a_crash(tmp_path):
    path = tmp_path / "n.json"
    first = NonceSource(path, block_size=100)
    used = [first.next() for _ in range(150)]
    # No close, no flush: the process "crashes" here. A new process starts from the file.
    second = NonceSource(path, block_size=100)
    assert second.next() > max(used)


def test_one_disk_write_reserves_a_whole_block(tmp_path, monkeypatch):
    writes: list[str] = []
    import cryptex_desktop.api.nonces as nonces

    real = nonces.write_atomically
    monkeypatch.setattr(nonces, "write_atomically", lambda p, t: (writes.append(t), real(p, t)))
    source = NonceSource(tmp_path / "n.json", block_size=1000)
    for _ in range(2500):
        source.next()
    assert len(writes) == 3
    assert json.loads((tmp_path / "n.json").read_text())["reserved_upto"] >= 2500


def test_advance_past_skips_what_the_exchange_has_seen(tmp_path):
    source = NonceSource(tmp_path / "n.json", block_size=10)
    source.next()
    source.advance_past(5000)
    assert source.next() == 5001
    assert NonceSource(tmp_path / "n.json").next() > 5001


def test_the_key_is_not_written_into_any_file_name(tmp_path):
    NonceBook(tmp_path).source("https://x/api", "my-api-key-123").next()
    names = [p.name for p in Path(tmp_path).rglob("*")]
    assert names and not any("my-api-key-123" in name for name in names)
    assert all("my-api-key-123" not in p.read_text() for p in Path(tmp_path).rglob("*.json"))


def test_a_damaged_counter_file_jumps_ahead_instead_of_reusing(tmp_path):
    path = tmp_path / "n.json"
    path.write_text("{garbage")
    assert NonceSource(path).next() > 10**9


def test_two_processes_on_one_data_dir_never_hand_out_the_same_nonce(tmp_path):
    path = tmp_path / "n.json"
    first, second = NonceSource(path, block_size=10), NonceSource(path, block_size=10)
    taken = []
    for _ in range(35):  # interleaved, as two copies of the app started twice would
        taken.append(first.next())
        taken.append(second.next())
    assert len(set(taken)) == len(taken)
    third = NonceSource(path, block_size=10)
    assert third.next() > max(taken)
