"""Dialogs: confirmations before money moves, settings, and results worth keeping."""
