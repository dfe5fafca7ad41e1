#!/usr/bin/env bash
# Run tests/trust/test_secret_service.py against a real GNOME Keyring: a private D-Bus
# session, a throwaway home for the keyring's files, its "login" keyring unlocked with "test".
# Needs dbus-run-session (Debian: dbus) and gnome-keyring-daemon (Debian: gnome-keyring).
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-.venv/bin/python}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config"
mkdir -m 700 "$scratch/runtime"

# The keyring writes under these: never into the real user's keyrings.
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
export XDG_RUNTIME_DIR="$scratch/runtime" CRYPTEX_SECRET_SERVICE=1 QT_QPA_PLATFORM=offscreen

dbus-run-session -- bash -c '
  set -euo pipefail
  echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$0" -m pytest -q -p no:cacheprovider tests/trust/test_secret_service.py
' "$python" 2> >(grep -v "Failed to set fd limit" >&2)
