"""What a person reads when something fails: a sentence from the error's type, never a traceback."""

from __future__ import annotations

from cryptex_desktop.api.errors import ConnectError, CryptexError, RequestTimeout, TransportError
from cryptex_desktop.i18n import _


def describe(error: BaseException) -> str:
    """One or two sentences saying what happened and what to do next."""
    if isinstance(error, CryptexError):
        return str(error)
    return _(
        "Something unexpected went wrong inside the app while doing this. Check your balances "
        "before you try again; if it keeps happening, the details are in the log file "
        "(Help > Open log folder)."
    )


def describe_action_failure(error: BaseException) -> str:
    """Like :func:`describe`, for something a person asked for: the app will not redo it.

    Background reads are retried by the app, and their sentences say so; an action the
    person asked for is never sent again by itself, so its sentence says what to do instead.
    """
    if isinstance(error, ConnectError):
        return _(
            "Could not reach the exchange at {host}, so nothing was sent. Check your internet "
            "connection, then try again."
        ).format(host=error.host)
    if isinstance(error, RequestTimeout):
        return _(
            "The exchange did not answer in time, so the app could not finish this. It may be "
            "busy; try again in a minute."
        )
    return describe(error)


def describe_check_failure(error: BaseException) -> str:
    """Why the app could not ask the exchange what became of a request whose answer was lost.

    Unlike :func:`describe_action_failure`, it never says "nothing was sent": the request was
    sent, and whether it was carried out is exactly what is not known.
    """
    if isinstance(error, TransportError):
        return _("The exchange could not be reached to ask.")
    return describe(error)
