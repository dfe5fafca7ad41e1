"""A field for an amount of money that says, in a sentence, what is wrong with what was typed.

Text goes to ``Decimal`` through :func:`cryptex_desktop.api.money.to_decimal`; there is no float
anywhere. Accepted: digits with at most one decimal separator, "." or ","; spaces (also thin and
no-break spaces) are ignored, so "1 000,5" is 1000.5. Anything else is refused with a sentence,
because guessing whether "1,000" means one thousand or one is how money goes astray.
"""

from __future__ import annotations

import re
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import decimals_of, money_context, to_decimal, to_wire
from cryptex_desktop.ui.i18n import _

#: Characters people type or paste between groups of digits: space, no-break, thin, narrow.
_IGNORED_SPACES = str.maketrans("", "", " \u00a0\u2009\u202f\t")
_NUMBER = re.compile(r"^(\d*)(?:[.,](\d*))?$")
_DEFAULT_DECIMALS = 8


class AmountEdit(QLineEdit):
    """A right-aligned amount field with a currency's decimals, a minimum and a maximum.

    :meth:`amount` is a ``Decimal`` exactly when :meth:`problem` is ``None``, so a form that
    submits ``amount()`` can never send something this field calls wrong.
    ``amountChanged`` carries :meth:`amount` (``Decimal`` or ``None``) after every edit and
    whenever a limit changes.
    """

    amountChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, currency: str | None = None) -> None:
        super().__init__(parent)
        self._currency: str | None = None
        self._decimals = _DEFAULT_DECIMALS
        self._minimum: Decimal | None = None
        self._maximum: Decimal | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0.00")
        self.setMaxLength(64)  # no real amount is longer; keeps a stray paste harmless
        self.textChanged.connect(self._on_text_changed)
        if currency is not None:
            self.set_currency(currency)

    # --- limits -------------------------------------------------------------------------------

    def set_currency(self, code: str | None) -> None:
        """Take decimals and minimum from the currency; unknown: 8 decimals, no minimum."""
        self._currency = code or None
        currency = CURRENCIES.get(code or "")
        self._decimals = currency.decimals if currency else _DEFAULT_DECIMALS
        self._minimum = currency.minimum if currency else None
        self._limits_changed()

    def currency(self) -> str | None:
        """The currency code the amount is in, if one was set."""
        return self._currency

    def set_decimals(self, decimals: int) -> None:
        """Allow ``decimals`` places instead of the currency's (prices use the pair's)."""
        if decimals < 0:
            raise ValueError("decimals must not be negative")
        self._decimals = decimals
        self._limits_changed()

    def decimals(self) -> int:
        """How many places after the point are allowed."""
        return self._decimals

    def set_minimum(self, minimum: Decimal | None) -> None:
        """The smallest amount allowed (``None``: anything above zero)."""
        self._minimum = None if minimum is None else to_decimal(minimum)
        self._limits_changed()

    def set_maximum(self, maximum: Decimal | None) -> None:
        """The largest amount allowed, e.g. the free balance (``None``: no limit)."""
        self._maximum = None if maximum is None else to_decimal(maximum)
        self._limits_changed()

    # --- value --------------------------------------------------------------------------------

    def set_amount(self, amount: Decimal | None) -> None:
        """Write ``amount`` as plain digits (never an exponent); ``None`` empties the field."""
        self.setText("" if amount is None else to_wire(amount))

    def typed_amount(self) -> Decimal | None:
        """The number as typed, even outside the limits (for live previews); None if not one."""
        number, _problem = self._parse()
        return number

    def amount(self) -> Decimal | None:
        """The amount, or ``None`` when the field is empty or :meth:`problem` has something."""
        return None if self.problem() is not None else self.typed_amount()

    def problem(self) -> str | None:
        """A sentence telling the person what to change, or ``None`` when the amount is fine."""
        number, problem = self._parse()
        if problem is not None or number is None:
            return problem
        return self._problem_with_limits(number)

    # --- inside -------------------------------------------------------------------------------

    def _parse(self) -> tuple[Decimal | None, str | None]:
        text = self.text().translate(_IGNORED_SPACES)
        if not text:
            return None, _("Enter an amount, like 0.5.")
        negative = text[0] in "-−"
        if negative:
            text = text[1:]
            if not text:
                return None, _("Enter a number greater than zero.")
        match = _NUMBER.match(text)
        if not match or not (match.group(1) or match.group(2)):
            if text.count(".") + text.count(",") > 1 and not re.search(r"[^\d.,]", text):
                return None, _(
                    "Use only one decimal separator and no thousands separators, like 1000.5."
                )
            return None, _("Use only digits and one decimal point, like 0.5.")
        whole, fraction = match.group(1) or "0", match.group(2) or ""
        try:
            number = to_decimal(f"{whole}.{fraction}" if fraction else whole)
        except ValueError:
            return None, _("That number is too large or too long; check the amount.")
        if negative and number:
            return None, _("Enter a number greater than zero.")
        return number, None

    def _problem_with_limits(self, number: Decimal) -> str | None:
        unit = f" {self._currency}" if self._currency else ""
        if number <= 0:
            return _("Enter a number greater than zero.")
        if decimals_of(number) > self._decimals:
            return self._too_many_decimals()
        with money_context():
            if self._minimum is not None and number < self._minimum:
                return _("The smallest amount is {minimum}{unit}.").format(
                    minimum=to_wire(self._minimum), unit=unit
                )
            if self._maximum is not None and number > self._maximum:
                return _("You have {maximum}{unit} available; enter that or less.").format(
                    maximum=to_wire(self._maximum), unit=unit
                )
        return None

    def _too_many_decimals(self) -> str:
        if self._decimals == 0:
            return _("Enter a whole number, without decimals.")
        if self._currency:
            if self._decimals == 1:
                return _("Use at most 1 decimal for {currency}.").format(currency=self._currency)
            return _("Use at most {decimals} decimals for {currency}.").format(
                decimals=self._decimals, currency=self._currency
            )
        if self._decimals == 1:
            return _("Use at most 1 decimal.")
        return _("Use at most {decimals} decimals.").format(decimals=self._decimals)

    def _on_text_changed(self, _text: str) -> None:
        self.amountChanged.emit(self.amount())

    def _limits_changed(self) -> None:
        self.amountChanged.emit(self.amount())
