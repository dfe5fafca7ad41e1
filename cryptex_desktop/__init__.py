"""Cryptex Desktop: a desktop wallet and trading app for the Cryptex exchange.

The package has three rooms that never lean on each other the wrong way:
``api`` (the exchange client, no Qt), ``sandbox`` (a small local exchange, no Qt)
and ``ui`` (the Qt app).
"""

__version__ = "0.1.0"
