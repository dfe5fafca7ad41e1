"""API credentials go to the system keychain, or are kept for this session only, said out loud."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.credential_store import DEFAULT_SERVICE, CredentialStore, StorageResult
from tests.plugins.gui import MemoryKeyring

KEY = "K3Y-0123456789abcdef"
SECRET = "S3CRET-fedcba9876543210"
CREDS = Credentials("alice", KEY, SECRET)

SESSION_ONLY = (
    "No system keychain is available, so your API secret is kept for this session only. "
    "You will need to enter it again next time. To keep it, install and unlock a keychain "
    "such as GNOME Keyring."
)


class LockedKeychain(MemoryKeyring):
    """A keychain the person has not unlocked; its error quotes what it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked(f"locked, could not store {password}")


class EmptyChain(chainer.ChainerBackend):
    """keyring's chain of backends when the system offers none."""

    backends = []  # type: ignore[assignment]  # noqa: RUF012 - replaces a class property


@pytest.fixture
def use_keychain() -> Iterator:
    """Install a keyring backend for one test and put the previous one back after."""
    previous = keyring.get_keyring()

    def use(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


@pytest.fixture
def no_files_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point home, config and the working directory at an empty folder; it must stay empty."""
    for variable in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path))
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert list(tmp_path.rglob("*")) == [], "credentials must never be written to a file"


def test_credentials_saved_in_the_keychain_come_back_in_a_later_session(use_keychain):
    keychain = use_keychain(MemoryKeyring())

    result = CredentialStore().save("demo", CREDS)

    assert result == StorageResult(persistent=True, message=None)
    stored = json.loads(keychain.entries[(DEFAULT_SERVICE, "demo")])
    assert stored == {"username": "alice", "key": KEY, "secret": SECRET}
    later_session = CredentialStore()
    assert later_session.load("demo") == CREDS


def test_deleting_a_profile_removes_it_from_the_keychain(use_keychain):
    keychain = use_keychain(MemoryKeyring())
    store = CredentialStore()
    store.save("demo", CREDS)

    store.delete("demo")

    assert keychain.entries == {}
    assert store.load("demo") is None
    assert CredentialStore().load("demo") is None


def test_deleting_a_profile_that_was_never_saved_is_fine(use_keychain):
    use_keychain(MemoryKeyring())
    CredentialStore().delete("nobody")
    use_keychain(fail.Keyring())
    CredentialStore().delete("nobody")


def test_profiles_and_services_are_kept_apart(use_keychain):
    use_keychain(MemoryKeyring())
    bob = Credentials("bob", "bob-key", "bob-secret")
    CredentialStore().save("demo", CREDS)
    CredentialStore().save("live", bob)
    CredentialStore("Cryptex Test").save("demo", bob)

    assert CredentialStore().load("demo") == CREDS
    assert CredentialStore().load("live") == bob
    assert CredentialStore("Cryptex Test").load("demo") == bob


def test_without_a_keychain_the_secret_is_kept_for_this_session_only_and_said_so(
    use_keychain, no_files_written
):
    use_keychain(fail.Keyring())
    store = CredentialStore()

    result = store.save("demo", CREDS)

    assert result.persistent is False
    assert result.message == SESSION_ONLY
    assert store.load("demo") == CREDS
    assert CredentialStore().load("demo") is None, "another session does not see it"
    store.delete("demo")
    assert store.load("demo") is None


@pytest.mark.parametrize(
    "backend", [fail.Keyring, null.Keyring, EmptyChain], ids=["fail", "null", "empty chain"]
)
def test_keyrings_stand_ins_do_not_count_as_a_keychain(use_keychain, backend):
    use_keychain(backend())
    store = CredentialStore()
    assert not store.available()
    assert store.save("demo", CREDS).persistent is False


def test_a_real_keychain_counts_as_available(use_keychain):
    use_keychain(MemoryKeyring())
    assert CredentialStore().available()


def test_a_locked_keychain_falls_back_to_this_session_without_logging_the_secret(
    use_keychain, caplog
):
    use_keychain(LockedKeychain())
    store = CredentialStore()
    with caplog.at_level(logging.DEBUG):
        result = store.save("demo", CREDS)
        loaded = store.load("demo")

    assert result.persistent is False and result.message == SESSION_ONLY
    assert loaded == CREDS
    assert "KeyringLocked" in caplog.text
    assert SECRET not in caplog.text and KEY not in caplog.text


def test_a_keychain_that_silently_stores_nothing_is_not_trusted(use_keychain):
    class ForgetfulKeychain(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            return None

    use_keychain(ForgetfulKeychain())
    store = CredentialStore()

    result = store.save("demo", CREDS)

    assert result.persistent is False and result.message == SESSION_ONLY
    assert store.load("demo") == CREDS


def test_a_damaged_keychain_entry_is_ignored_and_not_logged(use_keychain, caplog):
    keychain = use_keychain(MemoryKeyring())
    keychain.entries[(DEFAULT_SERVICE, "demo")] = f'{{"key": "{KEY}", "secret": "{SECRET}"'
    with caplog.at_level(logging.DEBUG):
        assert CredentialStore().load("demo") is None
    assert SECRET not in caplog.text and KEY not in caplog.text


def test_saving_and_loading_never_logs_or_shows_the_key_or_secret(use_keychain, caplog):
    use_keychain(MemoryKeyring())
    store = CredentialStore()
    with caplog.at_level(logging.DEBUG):
        result = store.save("demo", CREDS)
        loaded = store.load("demo")
        store.delete("demo")

    assert loaded == CREDS
    for text in (caplog.text, repr(store), repr(result), repr(loaded)):
        assert SECRET not in text and KEY not in text


def test_a_keychain_save_replaces_an_earlier_session_only_copy(use_keychain):
    use_keychain(fail.Keyring())
    store = CredentialStore()
    store.save("demo", CREDS)
    keychain = use_keychain(MemoryKeyring())
    newer = Credentials("alice", "new-key", "new-secret")

    assert store.save("demo", newer).persistent
    assert store.load("demo") == newer
    assert (DEFAULT_SERVICE, "demo") in keychain.entries


def test_the_store_never_writes_a_file_even_with_a_keychain(use_keychain, no_files_written):
    use_keychain(MemoryKeyring())
    store = CredentialStore()
    store.save("demo", CREDS)
    assert store.load("demo") == CREDS
    assert os.listdir(no_files_written) == []
