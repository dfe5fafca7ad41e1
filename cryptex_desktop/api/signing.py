"""Credentials and the request signature the Cryptex API asks for.

``Sign = HMAC_SHA256(secret, str(nonce) + username + key)``, hex, upper case.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    """Who signs: username, API key and secret. Key and secret never show in a repr."""

    username: str
    key: str = field(repr=False)
    secret: str = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("username", "key", "secret"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"the {name} is empty")

    def sign(self, nonce: int) -> str:
        """The ``Sign`` header for a request carrying ``nonce``."""
        return sign(self.secret, nonce, self.username, self.key)


def sign(secret: str, nonce: int, username: str, key: str) -> str:
    """HMAC-SHA256 of ``str(nonce) + username + key`` under ``secret``, hex upper case."""
    message = f"{int(nonce)}{username}{key}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().upper()


def signatures_match(expected: str, given: str) -> bool:
    """Compare two signatures in constant time, case-insensitively."""
    return hmac.compare_digest(expected.upper().encode(), given.upper().encode())
