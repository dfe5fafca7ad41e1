"""A field for an amount of money that says, in a sentence, what is wrong with what was typed.

Text is read with the app's one rule for numbers (:func:`cryptex_desktop.ui.numbers.parse_number`
under :func:`cryptex_desktop.ui.formatting.number_convention`), the marks the app displays
with: in English "1,000" is one thousand, never one, and "65,13" is refused with a sentence
that says how to write 65.13. Then :func:`cryptex_desktop.api.money.to_decimal` checks the size;
there is no float anywhere. While typing, :meth:`AmountEdit.reading` says how a number that
might surprise was read ("Read as 65,130 USD").
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import decimals_of, money_context, to_decimal, to_wire
from cryptex_desktop.i18n import _, _n
from cryptex_desktop.ui.formatting import number_convention, number_text
from cryptex_desktop.ui.numbers import exact_number, parse_number

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
        self.setPlaceholderText(number_text(Decimal(0), 2))
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
        """Write ``amount`` with the current decimal mark and no grouping; ``None`` empties.

        Ungrouped, so deleting a digit of "10000" never leaves a broken group like "1,000"→"1,00".
        """
        if amount is None:
            self.setText("")
            return
        self.setText(to_wire(amount).replace(".", number_convention().decimal_mark))

    def typed_amount(self) -> Decimal | None:
        """The number as typed, even outside the limits (for live previews); None if not one."""
        number, _problem, _surprising = self._parse()
        return number

    def amount(self) -> Decimal | None:
        """The amount, or ``None`` when the field is empty or :meth:`problem` has something."""
        return None if self.problem() is not None else self.typed_amount()

    def problem(self) -> str | None:
        """A sentence telling the person what to change, or ``None`` when the amount is fine."""
        number, problem, _surprising = self._parse()
        if problem is not None or number is None:
            return problem
        return self._problem_with_limits(number)

    def reading(self) -> str | None:
        """How a typed number that could surprise was read, e.g. "Read as 65,130 USD".

        ``None`` when the field is empty or refused, or the text can only mean one thing.
        """
        number, problem, surprising = self._parse()
        if number is None or problem is not None or not surprising:
            return None
        shown = exact_number(number, number_convention())
        if self._currency:
            return _("Read as {number} {currency}").format(number=shown, currency=self._currency)
        return _("Read as {number}").format(number=shown)

    # --- inside -------------------------------------------------------------------------------

    def _parse(self) -> tuple[Decimal | None, str | None, bool]:
        """The number typed, the sentence if refused, and whether the reading could surprise."""
        text = self.text().strip()
        if text in ("-", "\u2212"):
            return None, _("Enter a number greater than zero."), False
        reading = parse_number(text, number_convention())
        if reading.value is None:
            return None, reading.problem, False
        try:
            number = to_decimal(reading.value)
        except ValueError:
            return None, _("That number is too large or too long; check the amount."), False
        if number.is_signed() and number:
            return None, _("Enter a number greater than zero."), False
        return abs(number), None, reading.worth_showing

    def _problem_with_limits(self, number: Decimal) -> str | None:
        currency = self._currency
        if number <= 0:
            return _("Enter a number greater than zero.")
        if decimals_of(number) > self._decimals:
            return self._too_many_decimals()
        with money_context():
            if self._minimum is not None and number < self._minimum:
                text = (_("The smallest amount is {minimum} {currency}.") if currency
                        else _("The smallest amount is {minimum}."))
                return text.format(minimum=_exact_text(self._minimum), currency=currency)
            if self._maximum is not None and number > self._maximum:
                text = (_("You have {maximum} {currency} available; enter that or less.")
                        if currency else _("You have {maximum} available; enter that or less."))
                return text.format(maximum=_exact_text(self._maximum), currency=currency)
        return None

    def _too_many_decimals(self) -> str:
        if self._decimals == 0:
            return _("Enter a whole number, without decimals.")
        count = self._decimals
        if self._currency:
            return _n("Use at most {count} decimal for {currency}.",
                      "Use at most {count} decimals for {currency}.", count).format(
                count=count, currency=self._currency)
        return _n("Use at most {count} decimal.", "Use at most {count} decimals.", count).format(
            count=count)

    def _on_text_changed(self, _text: str) -> None:
        self.amountChanged.emit(self.amount())

    def _limits_changed(self) -> None:
        # The hint shows the places the amount may have: "0.00" for dollars, 8 for bitcoin.
        self.setPlaceholderText(number_text(Decimal(0), self._decimals))
        self.amountChanged.emit(self.amount())


def _exact_text(amount: Decimal) -> str:
    """``amount`` as the app displays it, with the places it has and no trailing zeros."""
    return exact_number(to_decimal(to_wire(amount)), number_convention())
