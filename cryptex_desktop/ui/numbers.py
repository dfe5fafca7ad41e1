"""How numbers are written and read back: one rule for every amount and price in the app.

A :class:`NumberConvention` is a decimal mark and a group mark ("." and "," in English,
"," and a no-break space in Russian, "," and "." in German). The app writes numbers with
:func:`format_number` and reads what a person types with :func:`parse_number`, both under the
same convention, so what the app shows it reads back to the same value. This module imports
nothing from Qt; which convention is current is decided in :mod:`cryptex_desktop.ui.formatting`.

Reading rules, in order:

1. Text the convention reads (decimal mark at most once; group marks only between groups of
   three digits, the first group of one to three) is that number. Any kind of space is a group
   mark in every convention: no convention reads a space as a decimal mark, so "1 000" has one
   meaning; so are the convention's own group mark's kin (a space for a no-break space, "'"
   for "’").
2. A "." or "," that the convention does not use at all is read as the decimal mark when it
   appears once and cannot be a group mark ("1234.56" in Russian, from a numeric keypad); when
   it could be either ("1.234": 1,234 or 1 234) the text is refused with both readings.
3. Anything else is refused with a sentence that says how the other conventions read it, so
   the mark the app's own display uses for thousands is never silently taken as the decimal
   point ("65,13" in English is not 65.13).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from cryptex_desktop.i18n import _

#: Spaces people type or paste between groups of digits: plain, no-break, narrow, thin.
SPACES = frozenset(" \u00a0\u202f\u2009")
#: Apostrophes Swiss writing uses between groups: typewriter and typographic.
APOSTROPHES = frozenset("'\u2019")
_MINUS_SIGNS = frozenset("-\u2212")
_DIGITS = frozenset("0123456789")

_HALF_EVEN = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_EVEN)
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(31)}


def _kin(mark: str) -> frozenset[str]:
    """``mark`` and the marks people type for it: every space for a space, both apostrophes."""
    for family in (SPACES, APOSTROPHES):
        if mark in family:
            return family
    return frozenset(mark)


@dataclass(frozen=True)
class NumberConvention:
    """How one language writes numbers: its decimal mark and its thousands (group) mark.

    Immutable and hashable. ``localize`` turns Python's ``format(x, ",.2f")`` text into this
    convention in well under a microsecond, which keeps the 100,000-row tables fast.
    """

    decimal_mark: str
    group_mark: str
    #: How ``localize`` works, chosen once: None (English: nothing to do), False (two
    #: replacements), True (three, through a placeholder: a "." group mark, as German).
    _through_placeholder: bool | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        marks = (self.decimal_mark, self.group_mark)
        if any(len(mark) != 1 or mark in _DIGITS for mark in marks) or \
                self.decimal_mark in _kin(self.group_mark):
            raise ValueError(f"not a number convention: {marks!r}")
        # Replacing "," by a "." group mark first would mix it up with the decimal ".".
        method = None if marks == (".", ",") else self.group_mark == "."
        object.__setattr__(self, "_through_placeholder", method)

    @property
    def group_marks(self) -> frozenset[str]:
        """Every mark read as a group mark: the convention's, its kin, and any space."""
        return _kin(self.group_mark) | SPACES

    def localize(self, text: str) -> str:
        """``"1,234.5"`` (Python's grouped format) written in this convention."""
        # str.replace, not str.translate: translate is five times slower on such short texts.
        method = self._through_placeholder
        if method is None:
            return text
        if method:
            return text.replace(",", "\0").replace(".", self.decimal_mark).replace("\0", ".")
        return text.replace(",", self.group_mark).replace(".", self.decimal_mark)


#: Conventions the tests and the fallback name; the app asks Qt for the current one.
ENGLISH = NumberConvention(".", ",")
RUSSIAN = NumberConvention(",", "\u00a0")
GERMAN = NumberConvention(",", ".")
SWISS = NumberConvention(".", "'")

#: Two ways people elsewhere read a number: point decimals, or comma decimals.
_POINT_DECIMALS = (".", frozenset(",") | SPACES | APOSTROPHES)
_COMMA_DECIMALS = (",", frozenset(".") | SPACES | APOSTROPHES)


def convention_of(decimal_mark: str, group_mark: str) -> NumberConvention:
    """The convention with these marks (as a locale reports them); English if they are unusable."""
    try:
        return NumberConvention(decimal_mark, group_mark)
    except ValueError:
        return ENGLISH


def format_number(amount: Decimal, decimals: int, convention: NumberConvention, *,
                  sign: bool = False, grouping: bool = True,
                  rounding: decimal.Context = _HALF_EVEN) -> str:
    """``amount`` with exactly ``decimals`` places in ``convention``, rounded under ``rounding``.

    ``-0.00`` reads ``0.00``; with ``sign`` a positive amount gets a ``+``. Never an exponent.
    """
    if not isinstance(amount, Decimal):
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError(f"amounts are Decimal, not {type(amount).__name__}")
        amount = Decimal(amount)
    step = _STEPS.get(decimals) or Decimal(1).scaleb(-decimals)
    text = format(amount.quantize(step, context=rounding), "z,f" if grouping else "zf")
    if sign and amount > 0 and text.strip("0.,"):
        text = "+" + text
    return convention.localize(text)


def exact_number(amount: Decimal, convention: NumberConvention) -> str:
    """``amount`` with the places it has (``65.10`` stays ``65.10``), grouped, never rounded."""
    exponent = amount.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(amount, places, convention)


class NumberReading(NamedTuple):
    """What :func:`parse_number` made of a text.

    ``value`` is the number (``None`` when refused), ``problem`` the sentence saying why it
    was refused, and ``worth_showing`` whether a person might read the text otherwise, so the
    field should show how it was read ("Read as 65,130 USD").
    """

    value: Decimal | None
    problem: str | None
    worth_showing: bool = False


def parse_number(text: str, convention: NumberConvention) -> NumberReading:
    """Read ``text`` typed or pasted by a person under ``convention`` (rules in the module doc).

    A leading "-", "−" or "+" is kept in the value; sizes are not checked here.
    """
    body = text.strip()
    example = format_number(Decimal("1234.56"), 2, convention)
    if not body:
        return NumberReading(None, _("Enter an amount, like {example}.").format(
            example=format_number(Decimal("0.5"), 1, convention)))
    negative = body[0] in _MINUS_SIGNS
    if body[0] in _MINUS_SIGNS or body[0] == "+":
        body = body[1:].lstrip()
    own_marks = convention.group_marks | {convention.decimal_mark}
    known = own_marks | {".", ","} | APOSTROPHES
    if not body or any(char not in _DIGITS and char not in known for char in body):
        return NumberReading(None, _digits_only(convention.decimal_mark).format(
            mark=convention.decimal_mark, example=example))

    def signed(value: Decimal) -> Decimal:
        return -value if negative else value

    value = _read(body, convention.decimal_mark, convention.group_marks)
    others = _other_readings(body)
    if value is not None:
        surprising = any(char in convention.group_marks for char in body) or \
            any(other != value for other in others)
        return NumberReading(signed(value), None, surprising)

    # A "." or "," this convention does not use at all: a decimal mark, if it cannot group.
    foreign = [char for char in body if char not in _DIGITS and char not in own_marks]
    if len(foreign) == 1 and foreign[0] in ".," and convention.decimal_mark not in body:
        as_decimal = _read(body, foreign[0], convention.group_marks)
        as_groups = _read(body, None, convention.group_marks | {foreign[0]})
        if as_decimal is not None and as_groups is None:
            return NumberReading(signed(as_decimal), None, True)
        if as_decimal is not None and as_groups is not None:
            others = [as_decimal, as_groups]

    readings = [exact_number(signed(other), convention) for other in dict.fromkeys(others)]
    # Translators: {decimal} and {group} are names of marks ("a point", "a space"), subjects.
    rule = _("Here {decimal} marks decimals and {group} separates thousands, as in {example}.") \
        .format(decimal=_mark_name(convention.decimal_mark),
                group=_mark_name(convention.group_mark), example=example)
    if len(readings) == 1:
        return NumberReading(None, _("Did you mean {number}? {rule}").format(
            number=readings[0], rule=rule))
    if len(readings) > 1:
        return NumberReading(None, _(
            "Did you mean {first} or {second}? Type the one you mean. {rule}"
        ).format(first=readings[0], second=readings[1], rule=rule))
    return NumberReading(None, _("That is not a number as written here. {rule}").format(
        rule=rule))


def _read(body: str, decimal_mark: str | None, group_marks: frozenset[str]) -> Decimal | None:
    """``body`` (no sign) as a number with these marks, or None when it does not fit them."""
    whole, fraction = body, ""
    if decimal_mark is not None and decimal_mark in body:
        whole, _mark, fraction = body.partition(decimal_mark)
        if not fraction.isascii() or (fraction and not fraction.isdigit()):
            return None
    if not whole and not fraction:
        return None
    groups = [whole]
    if any(char in group_marks for char in whole):
        groups = _split(whole, group_marks)
        if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
            return None
    digits = "".join(groups)
    if not digits.isascii() or (digits and not digits.isdigit()):
        return None
    return Decimal(f"{digits or '0'}.{fraction}" if fraction else digits)


def _split(text: str, marks: frozenset[str]) -> list[str]:
    """``text`` cut at every character in ``marks``."""
    parts, start = [], 0
    for index, char in enumerate(text):
        if char in marks:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _other_readings(body: str) -> list[Decimal]:
    """How people who write "1,234.5" and people who write "1.234,5" read ``body``."""
    readings = (_read(body, mark, groups) for mark, groups in (_POINT_DECIMALS, _COMMA_DECIMALS))
    return [reading for reading in readings if reading is not None]


def _digits_only(decimal_mark: str) -> str:
    """The sentence for text with a foreign character; ``{example}`` and ``{mark}`` go in."""
    if decimal_mark == ".":
        return _("Use only digits, with a point for decimals, like {example}.")
    if decimal_mark == ",":
        return _("Use only digits, with a comma for decimals, like {example}.")
    return _("Use only digits, with “{mark}” for decimals, like {example}.")


def _mark_name(mark: str) -> str:
    """A mark as words, the subject of a sentence: "a point", "a comma", "a space"."""
    if mark == ".":
        return _("a point")
    if mark == ",":
        return _("a comma")
    if mark in SPACES:
        return _("a space")
    if mark in APOSTROPHES:
        return _("an apostrophe")
    return f"“{mark}”"
