"""What a person reads when something fails: a sentence from the error's type, never a traceback."""

from __future__ import annotations

from cryptex_desktop.api.errors import CryptexError
from cryptex_desktop.ui.i18n import _


def describe(error: BaseException) -> str:
    """One or two sentences saying what happened and what to do next."""
    if isinstance(error, CryptexError):
        return str(error)
    return _(
        "Something unexpected went wrong inside the app while doing this. Check your balances "
        "before you try again; if it keeps happening, the details are in the log file "
        "(Help > Open log folder)."
    )
