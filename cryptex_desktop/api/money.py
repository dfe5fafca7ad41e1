"""Money as ``Decimal``, from the wire to the screen, under one local context.

Every amount the app reads or writes passes through :func:`to_decimal` (in) and
:func:`to_wire` (out). Floats are refused outright: ``0.1`` is not a price.
"""

from __future__ import annotations

import decimal
from contextlib import AbstractContextManager
from decimal import Decimal

#: The context all money arithmetic runs in: wide enough that price x amount x fee
#: of any pair is exact, and loud about anything that would silently lose value.
MONEY_CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999,
    Emax=999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: Anything with more digits than this after the point is not an amount of money.
MAX_DECIMALS = 30
#: Nor is anything this large (10**18 of any currency).
MAX_INTEGER_DIGITS = 18


def money_context() -> AbstractContextManager[decimal.Context]:
    """``with money_context(): ...`` runs a block under :data:`MONEY_CONTEXT`."""
    return decimal.localcontext(MONEY_CONTEXT)


def to_decimal(value: object) -> Decimal:
    """Read an amount from the wire or from a person: int, str or Decimal, never float.

    Raises ``ValueError`` for anything that is not a finite number of sensible size.
    """
    if isinstance(value, bool | float):
        raise ValueError("amounts must not be floats or booleans")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("_", "x")  # Decimal() would accept 1_000
        try:
            number = Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError("not a number") from None
    else:
        raise ValueError(f"not a number: {type(value).__name__}")
    if not number.is_finite():
        raise ValueError("not a finite number")
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    if -exponent > MAX_DECIMALS or len(digits) + exponent > MAX_INTEGER_DIGITS:
        raise ValueError("number out of range")
    return number


def to_wire(amount: Decimal | int | str) -> str:
    """The plain positional text of an amount, as the exchange wants it (no exponent)."""
    number = to_decimal(amount)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimals_of(amount: Decimal) -> int:
    """How many digits an amount has after the point, ignoring trailing zeros."""
    exponent = amount.normalize(MONEY_CONTEXT).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def quantize_down(amount: Decimal, decimals: int) -> Decimal:
    """Cut an amount to ``decimals`` places, never rounding up (what is spendable)."""
    with money_context():
        return amount.quantize(Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_DOWN)
