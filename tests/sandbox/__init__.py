"""Tests of the sandbox exchange (cryptex_desktop/sandbox)."""
