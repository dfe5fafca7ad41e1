"""Everything that can go wrong talking to the exchange, as types under one base.

Each error's ``str()`` is a sentence a person can act on. None carries a key, a secret,
a signature or a coupon code: messages that come from the exchange are cleaned first.
"""

from __future__ import annotations

import re

from cryptex_desktop.i18n import _, _n, decimal_text

#: Anything shaped like a coupon code is bearer money and is blanked out of messages.
_COUPON_LIKE = re.compile(r"CTX-[A-Za-z]{3,}(-[A-Za-z0-9]{1,})+")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_MAX_MESSAGE = 300


def clean_message(text: object) -> str:
    """A message from the wire made safe to show: no markup, no coupon codes, short."""
    message = _SPACES.sub(" ", _TAGS.sub(" ", str(text))).strip()
    message = _COUPON_LIKE.sub("[coupon code]", message)
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1].rstrip() + "…"
    return message


def _plural_count(value: float) -> int:
    """The count that picks a plural form for ``value``, which may be a fraction.

    A fraction reads as a plural in English ("0.5 seconds") and with the form of 2 in Russian
    ("0,5 секунды"), so it is told as 2.
    """
    return int(value) if value == int(value) else 2


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


class CryptexError(Exception):
    """Base of every error the client raises. ``str()`` is for people."""

    #: Whether the request certainly had no effect on the exchange.
    had_no_effect: bool = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigurationError(CryptexError, ValueError):
    """The client was set up in a way that cannot work or would be unsafe."""


class AuthenticationError(CryptexError):
    """The exchange did not accept the API key or the signature made with the secret."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(_(
            "The exchange did not accept your API key or secret. Check them in Settings; "
            "if you recently made a new key on cryptex.net, enter that one."
        ))
        self.detail = clean_message(detail)


class NonceError(CryptexError):
    """The exchange refused the request's sequence number (nonce); nothing happened.

    ``must_exceed`` is the last nonce the exchange accepted, when its message says so.
    """

    def __init__(
        self, detail: str = "", *, sent: int | None = None, must_exceed: int | None = None
    ) -> None:
        super().__init__(_(
            "The exchange refused the request because another program using the same API key "
            "sent one after it. Nothing was changed; please try again."
        ))
        self.detail = clean_message(detail)
        self.sent = sent
        self.must_exceed = must_exceed


class RateLimitError(CryptexError):
    """Too many requests for this key; the exchange asks to wait ``retry_after`` seconds."""

    def __init__(self, retry_after: float | None = None) -> None:
        if retry_after:
            message = _n(
                "The exchange is receiving too many requests from this app. Nothing was "
                "changed; please wait about {seconds} second and try again.",
                "The exchange is receiving too many requests from this app. Nothing was "
                "changed; please wait about {seconds} seconds and try again.",
                _plural_count(retry_after),
            ).format(seconds=decimal_text(retry_after))
        else:
            message = _("The exchange is receiving too many requests from this app. Nothing "
                        "was changed; please wait a little while and try again.")
        super().__init__(message)
        self.retry_after = retry_after


class ExchangeRefusal(CryptexError):
    """The exchange understood the request and said no; ``reason`` is its own words."""

    def __init__(self, reason: str) -> None:
        # Translators: the reason is the exchange's own words, in English.
        self.reason = clean_message(reason) or _("no reason given")
        super().__init__(_("The exchange refused this: {reason}").format(
            reason=_sentence(self.reason)))


class InsufficientFunds(ExchangeRefusal):
    """The free balance does not cover what the request would take."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.message = _(
            "You do not have enough funds for this ({reason}) "
            "Lower the amount, or cancel an open order to free some."
        ).format(reason=_sentence(self.reason))


class TransportError(CryptexError):
    """The request did not get an answer: no connection, or no reply in time."""


class ConnectError(TransportError):
    """No connection to the exchange could be made; the request was never sent."""

    def __init__(self, host: str) -> None:
        super().__init__(_(
            "Could not reach the exchange at {host}. Check your internet connection; "
            "the app will try again by itself."
        ).format(host=host))
        self.host = host


class RequestTimeout(TransportError):
    """The exchange took too long to answer a request that changes nothing."""

    def __init__(self, seconds: float) -> None:
        super().__init__(_n(
            "The exchange did not answer within {seconds} second. "
            "It may be busy; the app will try again by itself.",
            "The exchange did not answer within {seconds} seconds. "
            "It may be busy; the app will try again by itself.",
            _plural_count(seconds),
        ).format(seconds=decimal_text(seconds)))
        self.seconds = seconds


class BadResponse(CryptexError):
    """The exchange answered with something that is not a valid API reply.

    ``status_code`` is the HTTP status (0 when the HTTP exchange itself broke).
    """

    def __init__(self, what: str, status_code: int = 0) -> None:
        # Translators: {what} is a short technical description, in English.
        super().__init__(_(
            "The exchange sent an answer the app could not read ({what}). "
            "It may be having trouble; please try again in a few minutes."
        ).format(what=what))
        self.what = what
        self.status_code = status_code


class OutcomeUnknown(CryptexError):
    """A request that moves money may have reached the exchange, but its answer was lost.

    It is not sent again: whether it happened must be checked with the exchange.
    ``method`` is the API method; ``cause`` the underlying error.
    """

    had_no_effect = False

    def __init__(self, method: str, cause: CryptexError) -> None:
        super().__init__(_(
            "The exchange did not confirm this request (its answer was lost or unreadable), so "
            "it may or may not have gone through. It has not been sent again; the app is "
            "checking with the exchange what happened."
        ))
        self.method = method
        self.cause = cause


#: Exchange wording -> error type, checked in order against the lower-cased message start.
_AUTH_PREFIXES = ("invalid api key", "invalid key", "invalid signature", "invalid sign",
                  "missing key", "missing sign", "api key", "authentication", "not authorized",
                  "unauthorized")
_NONCE_SANDBOX = re.compile(r"invalid nonce: sent (-?\d+), must be greater than (-?\d+)")
_NONCE_BTCE = re.compile(r"invalid nonce parameter; on key:(-?\d+), you sent:'?(-?\d+)'?"
                         r"(?:, you should send:(-?\d+))?")


def refusal_from_message(message: object) -> CryptexError:
    """Turn an exchange's refusal text into the matching typed error."""
    text = clean_message(message)
    lowered = text.lower()
    match = _NONCE_SANDBOX.search(lowered)
    if match:
        return NonceError(text, sent=int(match.group(1)), must_exceed=int(match.group(2)))
    match = _NONCE_BTCE.search(lowered)
    if match:
        on_key, sent, should_send = match.groups()
        must_exceed = int(should_send) - 1 if should_send is not None else int(on_key)
        return NonceError(text, sent=int(sent), must_exceed=must_exceed)
    if "nonce" in lowered:
        return NonceError(text)
    if lowered.startswith(_AUTH_PREFIXES):
        return AuthenticationError(text)
    if lowered.startswith("too many requests") or "rate limit" in lowered:
        return RateLimitError()
    if "insufficient funds" in lowered or "not enough funds" in lowered:
        return InsufficientFunds(text)
    return ExchangeRefusal(text)
