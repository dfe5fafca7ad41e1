"""The translation marker for user-facing text.

Every sentence a person reads goes through :func:`_`, so a later translation can find it.
This module imports nothing from Qt: code that runs before Qt starts uses it too.
"""

from __future__ import annotations


def _(text: str) -> str:
    """Mark ``text`` for later translation; for now it returns the text unchanged."""
    return text
