"""Nonces: one strictly increasing counter per (server URL, API key), kept across restarts.

The exchange refuses a nonce that is not greater than the last one it accepted, so a
nonce must never be reused, not even after a crash. Writing the counter to disk before
every request would cost a disk write per call; instead a :class:`NonceSource` reserves a
block of nonces at a time and persists the block's end (atomically, flushed to disk)
before handing out the first nonce of the block. A crash then only skips the rest of a
block, which is harmless.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: one app per user is the norm; a collision heals on refusal
    fcntl = None  # type: ignore[assignment]

#: How many nonces one disk write reserves.
BLOCK_SIZE = 1000


class NonceSource:
    """Hands out strictly increasing nonces for one key on one server; thread-safe."""

    def __init__(self, path: Path, block_size: int = BLOCK_SIZE) -> None:
        self._path = path
        self._block_size = block_size
        self._lock = threading.Lock()
        self._reserved_upto = self._read_reserved()
        # Everything up to the persisted reservation may have been used before a restart.
        self._last = self._reserved_upto

    @property
    def last(self) -> int:
        """The last nonce handed out (or skipped past)."""
        return self._last

    def next(self) -> int:
        """The next nonce; persists a new block first when the current one is used up."""
        with self._lock:
            nonce = self._last + 1
            if nonce > self._reserved_upto:
                nonce = self._reserve_block(nonce)
            self._last = nonce
            return nonce

    def advance_past(self, must_exceed: int) -> None:
        """The exchange says it has seen ``must_exceed``: never hand out that or less again."""
        with self._lock:
            if must_exceed > self._last:
                self._last = must_exceed
                if must_exceed >= self._reserved_upto:
                    self._last = self._reserve_block(must_exceed + 1) - 1

    def _read_reserved(self) -> int:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return max(int(data["reserved_upto"]), 0)
        except FileNotFoundError:
            return 0
        except (ValueError, KeyError, TypeError, OSError):
            # A damaged file: start far enough ahead that no nonce it held is reused.
            return 10**12

    def _reserve_block(self, start: int) -> int:
        """Reserve a block from ``start`` on, persisted first; returns where it begins.

        Another process using the same data dir (the app started twice) may have reserved
        past us: the block then begins after that, so two processes never share a nonce.
        """
        with _cross_process_lock(self._path):
            start = max(start, self._read_reserved() + 1)
            upto = start + self._block_size - 1
            write_atomically(self._path, json.dumps({"reserved_upto": upto}))
        self._reserved_upto = upto
        return start


@contextlib.contextmanager
def _cross_process_lock(path: Path) -> Iterator[None]:
    """Hold an OS file lock beside ``path`` where the platform has one (POSIX flock)."""
    if fcntl is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class NonceBook:
    """The nonce sources of one data directory, one per (server URL, API key).

    Files are named by a hash, so the API key itself is never written to disk.
    """

    def __init__(self, data_dir: Path | str, block_size: int = BLOCK_SIZE) -> None:
        self._dir = Path(data_dir) / "nonces"
        self._block_size = block_size
        self._sources: dict[str, NonceSource] = {}
        self._lock = threading.Lock()

    def source(self, url: str, key: str) -> NonceSource:
        """The one source for ``key`` on the server at ``url``."""
        name = hashlib.sha256(f"{url.rstrip('/')}\n{key}".encode()).hexdigest()[:32]
        with self._lock:
            if name not in self._sources:
                self._dir.mkdir(parents=True, exist_ok=True)
                self._sources[name] = NonceSource(self._dir / f"{name}.json", self._block_size)
            return self._sources[name]


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
