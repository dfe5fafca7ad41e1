"""Credentials kept in a real Secret Service (GNOME Keyring), through ``CredentialStore``.

This needs a D-Bus session with an unlocked keyring, so it runs only when
CRYPTEX_SECRET_SERVICE=1 is set: ``tests/trust/run_secret_service_test.sh`` starts a
private D-Bus session and a GNOME Keyring daemon and runs it (``make test`` does that when
both are installed).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator

import keyring
import pytest

from cryptex_desktop.api.signing import Credentials
from cryptex_desktop.ui.credential_store import CredentialStore

pytestmark = pytest.mark.skipif(
    os.environ.get("CRYPTEX_SECRET_SERVICE") != "1",
    reason="needs a real Secret Service: run tests/trust/run_secret_service_test.sh "
    "(a private D-Bus session with GNOME Keyring), or set CRYPTEX_SECRET_SERVICE=1 inside one",
)

LOGIN_PASSWORD = "test"  # the throwaway keyring's password, as the script unlocks it


def login_collection(bus):
    """The keyring's default collection; a "Login" one made (unlocked) first if there is none.

    Creating a collection through the Secret Service API asks for a password in a window,
    which a headless session cannot show; GNOME Keyring's own interface takes it directly.
    """
    import secretstorage
    from secretstorage.defines import SS_PATH
    from secretstorage.util import SERVICE_IFACE, DBusAddressWrapper, format_secret, open_session

    try:
        return secretstorage.get_collection_by_alias(bus, "default")
    except secretstorage.ItemNotFoundException:
        pass
    internal = DBusAddressWrapper(
        SS_PATH, "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", bus)
    password = format_secret(open_session(bus), LOGIN_PASSWORD.encode(), "text/plain")
    (path,) = internal.call("CreateWithMasterPassword", "a{sv}(oayays)",
                            {"org.freedesktop.Secret.Collection.Label": ("s", "Login")}, password)
    DBusAddressWrapper(SS_PATH, SERVICE_IFACE, bus).call("SetAlias", "so", "default", path)
    return secretstorage.Collection(bus, path)


@pytest.fixture
def secret_service() -> Iterator[object]:
    """keyring's SecretService backend, made the one in use, over an unlocked collection."""
    import secretstorage
    from keyring.backends import SecretService

    bus = secretstorage.dbus_init()
    collection = login_collection(bus)
    assert not collection.is_locked(), "the keyring is locked: run this through the script"
    backend = SecretService.Keyring()
    assert backend.priority > 0, "keyring finds no usable Secret Service"
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield collection
    finally:
        keyring.set_keyring(previous)
        bus.close()


def test_credentials_saved_in_gnome_keyring_come_back_in_a_new_session_and_can_be_forgotten(
    secret_service,
):
    service = f"Cryptex Desktop test {uuid.uuid4()}"
    creds = Credentials("carol", "0123456789ABCDEF0123456789ABCDEF", "s3cr3t-" + uuid.uuid4().hex)
    store = CredentialStore(service)
    assert store.available()

    result = store.save("live", creds)
    assert result.persistent and result.message is None

    # A new store (as after a restart) holds nothing in memory: it reads the keyring.
    again = CredentialStore(service)
    assert again.load("live") == creds
    # The keyring holds it under the service and profile, as JSON with the three strings.
    items = list(secret_service.search_items({"service": service, "username": "live"}))
    assert len(items) == 1
    assert json.loads(items[0].get_secret()) == {
        "username": "carol", "key": creds.key, "secret": creds.secret}

    again.delete("live")
    assert CredentialStore(service).load("live") is None
    assert list(secret_service.search_items({"service": service})) == []
