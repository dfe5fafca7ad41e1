"""Where API credentials live: the system keychain, or this session's memory said out loud.

One entry per profile in the OS keychain (via ``keyring``), holding JSON with the username,
key and secret. When no keychain works, credentials are kept in memory for this process only
and :class:`StorageResult` carries a sentence saying so; they are never written to a file.
Nothing here logs a key or a secret, and keychain errors are logged by type only, since a
backend's message might quote what it was asked to store.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.i18n import _

if TYPE_CHECKING:
    import keyring.backend

log = logging.getLogger(__name__)

#: The service name the entries are filed under in the keychain. A storage key, not the
#: app's shown name: renaming the app must not lose the credentials people saved.
DEFAULT_SERVICE = "Cryptex Desktop"

#: The profile the live account's credentials are filed under.
LIVE_PROFILE = "live"


@dataclass(frozen=True)
class StorageResult:
    """How credentials were kept: ``persistent`` in a keychain, or for this session only.

    ``message`` is a sentence for the person when they were not kept persistently.
    """

    persistent: bool
    message: str | None = None


def _session_only_message() -> str:
    return _(
        "No system keychain is available, so your API secret is kept for this session only. "
        "You will need to enter it again next time. To keep it, install and unlock a keychain "
        "such as GNOME Keyring."
    )


def _keyring() -> ModuleType:
    """The ``keyring`` package, imported at the first use of the keychain, not before the
    window first paints (it takes tens of milliseconds)."""
    import keyring
    import keyring.errors

    return keyring


def _is_working_backend(backend: keyring.backend.KeyringBackend) -> bool:
    """False for keyring's stand-ins that store nothing: fail, null, or an empty chain."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(_is_working_backend(inner) for inner in backend.backends)
    return True


class CredentialStore:
    """Save, load and delete a profile's API credentials, the OS keychain first.

    The in-memory fallback belongs to this object, so it lasts as long as the app's process.
    """

    def __init__(self, service: str = DEFAULT_SERVICE) -> None:
        self._service = service
        self._session: dict[str, Credentials] = {}
        self._told_session_only = False

    def __repr__(self) -> str:
        return f"CredentialStore(service={self._service!r})"

    def available(self) -> bool:
        """True when a real keychain backend is configured (not keyring's fail/null stand-ins)."""
        try:
            return _is_working_backend(_keyring().get_keyring())
        except Exception as error:  # a broken keyring configuration must not stop the app
            log.warning("the keychain could not be set up (%s)", type(error).__name__)
            return False

    def save(self, profile: str, creds: Credentials) -> StorageResult:
        """Keep ``creds`` for ``profile``; the result says whether they outlive this session."""
        if self.available():
            payload = json.dumps(
                {"username": creds.username, "key": creds.key, "secret": creds.secret}
            )
            try:
                _keyring().set_password(self._service, profile, payload)
                # Read back: a chain of backends can "succeed" without storing anything.
                kept = _keyring().get_password(self._service, profile) == payload
            except Exception as error:  # locked keychain, D-Bus errors...: fall back, say so
                log.warning(
                    "the keychain refused the credentials of profile %r (%s); keeping them "
                    "for this session only",
                    profile,
                    type(error).__name__,
                )
                kept = False
            if kept:
                self._session.pop(profile, None)
                log.info("credentials of profile %r saved in the system keychain", profile)
                return StorageResult(persistent=True)
        self._session[profile] = creds
        log.info("credentials of profile %r kept for this session only", profile)
        return StorageResult(persistent=False, message=_session_only_message())

    def is_session_only(self, profile: str) -> bool:
        """Whether ``profile``'s credentials are kept in this session's memory, not a keychain."""
        return profile in self._session

    def first_session_only_notice(self, result: StorageResult) -> str | None:
        """``result``'s "this session only" sentence the first time in this session, else None.

        The person is told once; saving again in the same session says nothing new.
        """
        if result.persistent or not result.message or self._told_session_only:
            return None
        self._told_session_only = True
        return result.message

    def load(self, profile: str) -> Credentials | None:
        """The credentials saved for ``profile`` (this session's first), or ``None``."""
        if profile in self._session:
            return self._session[profile]
        if not self.available():
            return None
        try:
            payload = _keyring().get_password(self._service, profile)
        except Exception as error:  # an unreadable keychain is like an empty one
            log.warning(
                "could not read profile %r from the keychain (%s)", profile, type(error).__name__
            )
            return None
        if payload is None:
            return None
        try:
            data = json.loads(payload)
            return Credentials(data["username"], data["key"], data["secret"])
        except (ValueError, KeyError, TypeError):
            # Never log the payload: it holds the secret.
            log.warning("the keychain entry of profile %r is not readable; ignoring it", profile)
            return None

    def delete(self, profile: str) -> None:
        """Forget ``profile``'s credentials here and in the keychain; no error if none."""
        self._session.pop(profile, None)
        if not self.available():
            return
        try:
            _keyring().delete_password(self._service, profile)
        except _keyring().errors.PasswordDeleteError:
            pass  # nothing was stored for this profile
        except Exception as error:  # the entry may remain; say so without details
            log.warning(
                "could not delete profile %r from the keychain (%s)",
                profile,
                type(error).__name__,
            )

    # -- coupon codes -------------------------------------------------------------------------
    # A made coupon's code is kept only in a real keychain, never in this session's memory:
    # where no keychain works it is shown once and only the person has it.

    def keep_coupon_code(self, name: str, code: str) -> bool:
        """Put a made coupon's ``code`` in the keychain under ``name``; False if not kept."""
        if not self.available():
            return False
        try:
            _keyring().set_password(self._service, name, code)
            # Read back: a chain of backends can "succeed" without storing anything.
            return _keyring().get_password(self._service, name) == code
        except Exception as error:  # locked keychain, D-Bus errors...: the code is shown once
            log.warning("the keychain refused a coupon code (%s)", type(error).__name__)
            return False

    def coupon_code(self, name: str) -> str | None:
        """The coupon code kept under ``name``, or None when the keychain does not have it."""
        if not self.available():
            return None
        try:
            return _keyring().get_password(self._service, name)
        except Exception as error:  # an unreadable keychain is like one without the code
            log.warning("could not read a coupon code from the keychain (%s)",
                        type(error).__name__)
            return None

    def forget_coupon_code(self, name: str) -> None:
        """Remove the coupon code kept under ``name``; no error if there is none."""
        if not self.available():
            return
        try:
            _keyring().delete_password(self._service, name)
        except _keyring().errors.PasswordDeleteError:
            pass  # nothing was kept under this name
        except Exception as error:  # the entry may remain; say so without details
            log.warning("could not delete a coupon code from the keychain (%s)",
                        type(error).__name__)
