"""The form widgets, driven like a person would: typing, pasting, toggling, reading the sentence."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
import segno
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from cryptex_desktop.api.addresses import InvalidAddress, validate_address
from cryptex_desktop.api.errors import ConnectError, ExchangeRefusal
from cryptex_desktop.ui import theme
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.money_action import ActionReport, Outcome
from cryptex_desktop.ui.theme import ThemeChoice
from cryptex_desktop.ui.widgets.address_edit import AddressEdit
from cryptex_desktop.ui.widgets.amount_edit import AmountEdit
from cryptex_desktop.ui.widgets.busy_button import BusyButton
from cryptex_desktop.ui.widgets.coupon_code_edit import (
    CouponCodeEdit,
    group_coupon_code,
    parse_coupon_code,
)
from cryptex_desktop.ui.widgets.field_message import FieldMessage
from cryptex_desktop.ui.widgets.fonts import monospace_font
from cryptex_desktop.ui.widgets.labels import Tone
from cryptex_desktop.ui.widgets.qr_code import QrCodeWidget, qr_image
from cryptex_desktop.ui.widgets.report_label import ReportLabel
from tests.gui_checks import WAIT_MS, advances, assert_images_alike, is_monospace

BECH32_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
LEGACY_ADDRESS = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
COUPON = "CTX-USD-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB"


def sentence_of(currency: str, text: str) -> str:
    """What the address module says about ``text``: the field must show exactly that."""
    with pytest.raises(InvalidAddress) as refusal:
        validate_address(currency, text)
    return str(refusal.value)


def decoded(image: QImage) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


# --- QR code ------------------------------------------------------------------------------------


def test_deposit_address_qr_code_scans_back_to_exactly_the_address(qtbot):
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_text(BECH32_ADDRESS)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitExposed(widget)

    assert widget.text() == BECH32_ADDRESS
    assert decoded(widget.image()) == [BECH32_ADDRESS]


def test_what_the_qr_widget_draws_is_its_image_centred_in_whole_pixels_per_module(qtbot):
    widget = QrCodeWidget(text=LEGACY_ADDRESS)
    qtbot.addWidget(widget)
    widget.resize(320, 250)
    widget.show()
    qtbot.waitExposed(widget)

    image = widget.image()
    modules = segno.make(LEGACY_ADDRESS, error="m").symbol_size(border=4)[0]
    assert image.width() == image.height() == modules * widget.module_size()
    assert widget.module_size() == 250 // modules
    drawn = widget.grab().toImage()
    left = (drawn.width() - image.width()) // 2
    top = (drawn.height() - image.height()) // 2
    assert abs(left - (320 - image.width()) / 2) <= 1 and abs(top - (250 - image.height()) / 2) <= 1
    shown = drawn.copy(left, top, image.width(), image.height())
    assert_images_alike(shown, image, "the drawn QR code and its image")
    assert decoded(drawn) == [LEGACY_ADDRESS]


def test_qr_image_is_black_modules_on_white_with_a_four_module_quiet_zone():
    scale = 3
    image = qr_image(BECH32_ADDRESS, scale=scale)
    matrix = list(segno.make(BECH32_ADDRESS, error="m").matrix_iter(border=4))
    assert image.width() == image.height() == len(matrix) * scale
    expected = QImage(image.width(), image.height(), QImage.Format.Format_RGB32)
    expected.fill(QColor("white"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    for dx in range(scale):
                        expected.setPixelColor(x * scale + dx, y * scale + dy, QColor("black"))
    assert_images_alike(image, expected, "the QR image and its modules")
    assert all(not dark for row in matrix[:4] + matrix[-4:] for dark in row)
    assert all(not dark for row in matrix for dark in row[:4] + row[-4:])


def test_qr_image_at_scale_one_still_scans():
    assert decoded(qr_image("CTX deposit", scale=1)) == ["CTX deposit"]


def test_empty_qr_code_shows_a_grey_hint_and_no_image(qtbot):
    widget = QrCodeWidget(text=BECH32_ADDRESS)
    qtbot.addWidget(widget)
    widget.set_text("")
    widget.show()
    qtbot.waitExposed(widget)

    assert widget.image().isNull()
    assert widget.hint() == "The QR code appears here."
    drawn = widget.grab().toImage()
    assert decoded(drawn) == []
    background = drawn.pixelColor(0, 0)
    pixels = [drawn.pixelColor(x, y) for x in range(drawn.width()) for y in range(drawn.height())]
    assert any(pixel != background for pixel in pixels), "the hint is drawn"
    assert min(pixel.lightness() for pixel in pixels) > 64, "grey text, nothing black"


def test_text_too_long_for_any_qr_code_shows_a_sentence_instead(qtbot):
    widget = QrCodeWidget(text="x" * 5000)
    qtbot.addWidget(widget)

    assert widget.image().isNull()
    assert widget.hint() == "This text is too long to show as a QR code."


def test_qr_widget_asks_for_at_least_200_pixels_square(qtbot):
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    assert widget.minimumSize().width() >= 200 and widget.minimumSize().height() >= 200


# --- amounts ------------------------------------------------------------------------------------


@pytest.fixture
def amount_form(qtbot):
    """An amount field with its message line underneath, as a form would lay them out."""
    form = QWidget()
    layout = QVBoxLayout(form)
    edit = AmountEdit(form)
    message = FieldMessage(form)
    message.show_hint("How much to send.")
    message.follow(edit)
    layout.addWidget(edit)
    layout.addWidget(message)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    yield edit, message  # a generator keeps the form (and so its children) alive


def test_typing_an_amount_gives_a_decimal_and_a_signal_per_keystroke(qtbot, amount_form):
    edit, message = amount_form
    edit.set_currency("BTC")
    seen: list[object] = []
    edit.amountChanged.connect(seen.append)

    qtbot.keyClicks(edit, "0.5")

    assert edit.amount() == Decimal("0.5") and isinstance(edit.amount(), Decimal)
    assert edit.problem() is None
    # "0" and "0." are not amounts yet (zero), "0.5" is.
    assert seen == [None, None, Decimal("0.5")]
    assert message.text() == "How much to send." and not message.is_problem()


def test_spaces_between_thousands_are_understood_like_a_person_writes_them(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_currency("USD")
    qtbot.keyClicks(edit, "1 000.5")
    assert edit.amount() == Decimal("1000.5")
    edit.setText("1\u2009234\u202f567.25")
    assert edit.amount() == Decimal("1234567.25")


def test_thousands_separators_are_read_as_thousands_and_the_reading_is_shown(qtbot, amount_form):
    edit, message = amount_form
    edit.set_currency("USD")
    qtbot.keyClicks(edit, "1,000.50")
    assert edit.amount() == Decimal("1000.50")
    assert edit.reading() == "Read as 1,000.50 USD"
    assert message.text() == "Read as 1,000.50 USD" and not message.is_problem()


def test_a_comma_for_decimals_is_refused_with_the_reading_it_would_have(qtbot, amount_form):
    edit, message = amount_form
    edit.set_currency("USD")
    qtbot.keyClicks(edit, "65,13")
    assert edit.amount() is None and edit.reading() is None
    assert edit.problem() == (
        "Did you mean 65.13? Here a point marks decimals and a comma separates thousands, "
        "as in 1,234.56."
    )
    assert message.text() == edit.problem() and message.is_problem()


def test_the_reading_is_grey_a_problem_red_and_the_hint_comes_back(qtbot, amount_form):
    edit, message = amount_form
    edit.set_currency("BTC")
    qtbot.keyClicks(edit, "1,000")
    assert message.text() == "Read as 1,000 BTC" and not message.is_problem()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # "1,00": a broken group, never 1.00
    assert message.is_problem() and message.text().startswith("Did you mean 1.00? ")
    edit.setText("2")  # one meaning only: nothing to say
    assert edit.reading() is None
    assert message.text() == "How much to send." and not message.is_problem()


def test_in_russian_an_amount_is_typed_and_written_the_russian_way(qtbot, russian_numbers):
    edit = AmountEdit(currency="USD")
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1 234,56")
    assert edit.amount() == Decimal("1234.56")
    edit.setText("1\u00a0234\u00a0567,5")  # pasted from the app's own Balances
    assert edit.amount() == Decimal("1234567.5")
    assert edit.reading() == "Read as 1\u00a0234\u00a0567,5 USD"
    edit.setText("1.234")
    assert edit.amount() is None and "1,234" in edit.problem()
    edit.set_amount(Decimal("2.5"))
    assert edit.text() == "2,5"
    edit.set_maximum(Decimal("1.25"))
    assert edit.problem() == "You have 1,25 USD available; enter that or less."
    assert AmountEdit().placeholderText() == "0,00"
    assert AmountEdit(currency="BTC").placeholderText() == "0,00000000"


def test_an_amount_fields_hint_shows_the_places_its_currency_has(qtbot):
    edit = AmountEdit(currency="BTC")
    qtbot.addWidget(edit)
    assert edit.placeholderText() == "0.00000000"
    edit.set_currency("USD")
    assert edit.placeholderText() == "0.00"
    edit.set_decimals(3)
    assert edit.placeholderText() == "0.000"


def test_letters_are_refused_with_a_sentence(qtbot, amount_form):
    edit, message = amount_form
    qtbot.keyClicks(edit, "1e5")
    assert edit.amount() is None
    assert edit.problem() == "Use only digits, with a point for decimals, like 1,234.56."
    assert message.text() == edit.problem()


def test_an_empty_amount_asks_for_one_but_the_form_does_not_scold_before_typing(qtbot, amount_form):
    edit, message = amount_form
    assert edit.problem() == "Enter an amount, like 0.5."
    assert edit.amount() is None
    qtbot.keyClicks(edit, "x")
    assert message.is_problem()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == ""
    assert message.text() == "How much to send." and not message.is_problem()


@pytest.mark.parametrize("typed", ["0", "0.00", "-1", "-", "−2"])
def test_zero_or_negative_amounts_ask_for_more_than_zero(qtbot, amount_form, typed):
    edit, _message = amount_form
    if typed.isascii():
        qtbot.keyClicks(edit, typed)
    else:
        edit.setText(typed)  # QTest can only type ASCII; "−" arrives by pasting
    assert edit.problem() == "Enter a number greater than zero."
    assert edit.amount() is None


def test_too_many_decimals_names_the_currency(qtbot, amount_form):
    edit, message = amount_form
    edit.set_currency("BTC")
    qtbot.keyClicks(edit, "0.123456789")
    assert edit.problem() == "Use at most 8 decimals for BTC."
    assert message.text() == "Use at most 8 decimals for BTC."
    edit.clear()
    qtbot.keyClicks(edit, "0.123456780")  # a trailing zero is not a real decimal
    assert edit.amount() == Decimal("0.12345678")


def test_below_the_currency_minimum_says_the_smallest_amount(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_currency("BTC")
    qtbot.keyClicks(edit, "0.00001")
    assert edit.problem() == "The smallest amount is 0.0001 BTC."
    assert edit.amount() is None
    assert edit.typed_amount() == Decimal("0.00001")


def test_more_than_the_free_balance_says_what_is_available(qtbot, amount_form):
    edit, message = amount_form
    edit.set_currency("BTC")
    edit.set_maximum(Decimal("1.25"))
    qtbot.keyClicks(edit, "1.3")
    assert edit.problem() == "You have 1.25 BTC available; enter that or less."
    assert message.text() == "You have 1.25 BTC available; enter that or less."
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, "25")
    assert edit.amount() == Decimal("1.25")
    assert not message.is_problem()


def test_raising_the_maximum_revalidates_and_signals(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_currency("USD")
    edit.set_maximum(Decimal("10"))
    qtbot.keyClicks(edit, "20")
    assert edit.amount() is None
    with qtbot.waitSignal(edit.amountChanged, timeout=WAIT_MS) as blocker:
        edit.set_maximum(Decimal("50"))
    assert blocker.args == [Decimal("20")]


def test_an_unknown_currency_allows_eight_decimals_and_no_minimum(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_currency("XYZ")
    qtbot.keyClicks(edit, "0.00000001")
    assert edit.amount() == Decimal("0.00000001")
    qtbot.keyClicks(edit, "1")
    assert edit.problem() == "Use at most 8 decimals for XYZ."


def test_a_price_field_uses_the_pairs_price_decimals(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_currency("USD")
    edit.set_decimals(4)  # LTC_USD prices have 4 places, USD amounts only 2
    qtbot.keyClicks(edit, "61.1234")
    assert edit.amount() == Decimal("61.1234")
    qtbot.keyClicks(edit, "5")
    assert edit.problem() == "Use at most 4 decimals for USD."


def test_whole_numbers_only_when_no_decimals_are_allowed(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_decimals(0)
    qtbot.keyClicks(edit, "1.5")
    assert edit.problem() == "Enter a whole number, without decimals."


def test_set_amount_writes_plain_digits_never_an_exponent(qtbot, amount_form):
    edit, _message = amount_form
    edit.set_currency("BTC")
    edit.set_amount(Decimal("1E-8"))
    assert edit.text() == "0.00000001"
    edit.set_amount(Decimal("1.5E+3"))
    assert edit.text() == "1500"
    edit.set_amount(None)
    assert edit.text() == ""
    with pytest.raises(ValueError):
        edit.set_amount(0.1)  # type: ignore[arg-type]


def test_amount_field_is_right_aligned_with_a_placeholder(qtbot, amount_form):
    edit, _message = amount_form
    assert edit.alignment() & Qt.AlignmentFlag.AlignRight
    assert edit.placeholderText() == "0.00"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet="0123456789.,-− \u2009e+xE_", max_size=25))
def test_any_typed_text_gives_a_decimal_or_a_sentence_never_a_crash(qtbot, text):
    edit = AmountEdit(currency="BTC")
    edit.set_maximum(Decimal("21000000"))
    edit.setText(text)
    amount, problem = edit.amount(), edit.problem()
    assert (amount is None) != (problem is None)
    if amount is not None:
        assert isinstance(amount, Decimal) and Decimal("0.0001") <= amount <= Decimal("21000000")
    else:
        assert problem.endswith(".") and problem[0].isupper()
    edit.deleteLater()


# --- addresses ----------------------------------------------------------------------------------


@pytest.fixture
def address_form(qtbot):
    form = QWidget()
    layout = QVBoxLayout(form)
    edit = AddressEdit(form, currency="BTC")
    message = FieldMessage(form)
    message.follow(edit)
    layout.addWidget(edit)
    layout.addWidget(message)
    qtbot.addWidget(form)
    yield edit, message  # a generator keeps the form (and so its children) alive


def test_a_typed_valid_address_is_accepted_and_signalled(qtbot, address_form):
    edit, message = address_form
    seen: list[object] = []
    edit.addressChanged.connect(seen.append)

    qtbot.keyClicks(edit, BECH32_ADDRESS)

    assert edit.address() == BECH32_ADDRESS
    assert edit.problem() is None
    assert seen[-1] == BECH32_ADDRESS and all(value is None for value in seen[:-1])
    assert message.text() == "" and not message.is_problem()


def test_an_address_pasted_in_capitals_with_a_newline_is_normalised(qtbot, address_form):
    edit, _message = address_form
    edit.setText(f"  {BECH32_ADDRESS.upper()}\n")
    assert edit.address() == BECH32_ADDRESS


def test_a_mistyped_address_shows_the_checksum_sentence(qtbot, address_form):
    edit, message = address_form
    typo = BECH32_ADDRESS[:-1] + ("p" if BECH32_ADDRESS[-1] != "p" else "q")
    qtbot.keyClicks(edit, typo)
    assert edit.address() is None
    assert edit.problem() == sentence_of("BTC", typo)
    assert message.text() == edit.problem() and message.is_problem()


def test_a_bitcoin_address_in_a_litecoin_field_is_refused(qtbot, address_form):
    edit, _message = address_form
    edit.set_currency("LTC")
    qtbot.keyClicks(edit, LEGACY_ADDRESS)
    assert edit.address() is None
    assert edit.problem() == sentence_of("LTC", LEGACY_ADDRESS)


def test_switching_currency_revalidates_the_address(qtbot, address_form):
    edit, _message = address_form
    qtbot.keyClicks(edit, LEGACY_ADDRESS)
    assert edit.address() == LEGACY_ADDRESS
    with qtbot.waitSignal(edit.addressChanged, timeout=WAIT_MS) as blocker:
        edit.set_currency("LTC")
    assert blocker.args == [None]


def test_an_empty_address_or_no_currency_say_what_to_do(qtbot):
    edit = AddressEdit()
    qtbot.addWidget(edit)
    assert edit.problem() == "Choose a currency first."
    edit.set_currency("BTC")
    assert edit.problem() == (
        "Enter the address to send to; copy and paste it rather than typing it."
    )
    assert edit.address() is None


def test_addresses_are_shown_in_a_monospace_font(qtbot):
    edit = AddressEdit(currency="BTC")
    qtbot.addWidget(edit)
    assert is_monospace(edit.font()), advances(edit.font())
    assert edit.font().family() == monospace_font().family()


# --- the confirmation --------------------------------------------------------------------------


def test_the_safe_button_of_a_confirmation_is_a_plain_default_and_the_other_takes_theme_colours(
    qtbot
):
    dialog = ConfirmDialog(None, title="Confirm", question="Send 1 BTC?",
                           rows=[("To address", "bc1qexample"), ("Market", "BTC/USD")],
                           confirm_text="Send 1 BTC", monospace_rows=["To address"])
    qtbot.addWidget(dialog)
    assert dialog.cancel_button.isDefault() and dialog.cancel_button.text() == "Cancel"
    assert dialog.cancel_button.icon().isNull()  # no red ✗ on the safe choice
    assert dialog.confirm_button.icon().isNull()
    assert dialog.values["To address"].font().family() == monospace_font().family()
    assert dialog.cancel_button.accessibleName() == "Cancel"
    assert dialog.confirm_button.accessibleName() == "Send 1 BTC"
    assert theme.hex_colour(theme.Role.SELL) in dialog.confirm_button.styleSheet()
    assert theme.hex_colour(theme.Role.ON_ACCENT) in dialog.confirm_button.styleSheet()


# --- coupon codes -------------------------------------------------------------------------------


@pytest.fixture
def coupon_form(qtbot):
    form = QWidget()
    layout = QVBoxLayout(form)
    edit = CouponCodeEdit(form)
    message = FieldMessage(form)
    message.follow(edit)
    layout.addWidget(edit)
    layout.addWidget(message)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    yield edit, message  # a generator keeps the form (and so its children) alive


def test_a_pasted_coupon_with_surrounding_whitespace_is_understood(qtbot, coupon_form):
    edit, message = coupon_form
    QApplication.clipboard().setText(f"\n  {COUPON} \r\n")
    edit.setFocus()
    edit.paste()
    assert edit.code() == COUPON
    assert edit.currency() == "USD"
    assert edit.problem() is None and not message.is_problem()


def test_a_coupon_code_is_masked_until_the_person_asks_to_see_it(qtbot, coupon_form):
    edit, _message = coupon_form
    qtbot.keyClicks(edit, COUPON)
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert COUPON not in edit.displayText()
    assert not any(group in edit.displayText() for group in COUPON.split("-"))

    edit.show_action().trigger()
    assert edit.is_code_visible() and edit.displayText() == COUPON

    edit.show_action().trigger()
    assert not edit.is_code_visible() and edit.displayText() != COUPON


def test_the_show_button_is_in_the_field_with_a_tooltip(qtbot, coupon_form):
    edit, _message = coupon_form
    action = edit.show_action()
    assert action in edit.actions() and action.isCheckable()
    assert not action.icon().isNull()
    assert action.toolTip() == "Show the code (Alt+E)"
    edit.set_code_visible(True)
    assert action.isChecked() and action.toolTip() == "Hide the code (Alt+E)"


def test_alt_e_shows_and_hides_the_code_from_the_keyboard(qtbot, coupon_form):
    edit, _message = coupon_form
    qtbot.keyClicks(edit, COUPON)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=3000)
    qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert edit.is_code_visible() and edit.displayText() == COUPON
    qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert not edit.is_code_visible()


def test_a_code_is_shown_in_groups_of_four_and_a_grouped_code_pasted_back_is_understood(
    qtbot, coupon_form
):
    edit, message = coupon_form
    grouped = group_coupon_code(COUPON)
    assert grouped == "CTX-USD-Ab3d Ef7h-1234 5678-zZyY xXwW-00aa 11BB"
    assert "".join(grouped.split()) == COUPON
    QApplication.clipboard().setText(grouped)
    edit.setFocus()
    edit.paste()
    assert edit.code() == COUPON and not message.is_problem()


def test_a_cut_off_coupon_code_says_to_copy_all_of_it(qtbot, coupon_form):
    edit, message = coupon_form
    qtbot.keyClicks(edit, COUPON[:-3])
    assert edit.code() is None and edit.currency() is None
    assert edit.problem() == "This is not a whole coupon code; check that you copied all of it."
    assert message.text() == edit.problem()
    assert COUPON[:-3] not in message.text()


def test_an_empty_coupon_field_asks_for_the_code(qtbot, coupon_form):
    edit, _message = coupon_form
    assert edit.problem() == "Paste the coupon code you were given."
    assert edit.code() is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (COUPON, (COUPON, "USD")),
        (
            "ctx-eur-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB",
            ("CTX-EUR-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB", "EUR"),
        ),
        ("CTX-US-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB", None),
        ("CTX-USD-Ab3dEf7h-12345678-zZyYxXwW", None),
        ("CTX-USD-Ab3dEf7h-12345678-zZyYxXwW-00aa11B!", None),
        ("XYZ-USD-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB", None),
        ("CTX-USD-Ab3dEf7h-12345678-zZyYxXwW-00aa11BB-12345678", None),
    ],
)
def test_coupon_codes_are_recognised_by_their_exact_shape(typed, expected):
    assert parse_coupon_code(typed) == expected


def test_typing_a_coupon_code_never_logs_it(qtbot, coupon_form, caplog):
    edit, _message = coupon_form
    with caplog.at_level(logging.DEBUG):
        qtbot.keyClicks(edit, COUPON)
        edit.set_code_visible(True)
        edit.set_code_visible(False)
    assert edit.code() == COUPON
    assert all(group not in caplog.text for group in COUPON.split("-")[2:])


# --- field message ------------------------------------------------------------------------------


def test_problems_are_red_and_hints_grey(qtbot):
    message = FieldMessage()
    qtbot.addWidget(message)
    message.show_hint("Addresses start with bc1, 1 or 3.")
    grey = theme.colour(theme.Role.MUTED)
    assert message.palette().color(QPalette.ColorRole.WindowText) == grey
    message.show_problem("The address is empty.")
    red = message.palette().color(QPalette.ColorRole.WindowText)
    assert red.red() > 2 * red.green() and red.red() > 2 * red.blue()
    assert message.is_problem() and message.text() == "The address is empty."
    message.show_problem(None)
    assert message.text() == "Addresses start with bc1, 1 or 3." and not message.is_problem()


def test_problems_stay_readable_in_a_dark_theme(qtbot, keeper):
    form = QWidget()
    message = FieldMessage(form)
    qtbot.addWidget(form)
    message.show_problem("Enter a number greater than zero.")
    keeper.apply(ThemeChoice.DARK)
    on_dark = message.palette().color(QPalette.ColorRole.WindowText)
    assert on_dark == theme.DARK.colour(theme.Role.PROBLEM)
    assert on_dark.lightness() > 128 and on_dark.red() > on_dark.green()

    keeper.apply(ThemeChoice.LIGHT)
    on_light = message.palette().color(QPalette.ColorRole.WindowText)
    assert on_light == theme.LIGHT.colour(theme.Role.PROBLEM)
    assert on_light.lightness() < 128 and on_light.red() > on_light.green()


def test_the_message_line_keeps_its_height_when_empty_so_the_form_does_not_jump(qtbot):
    form = QWidget()
    layout = QVBoxLayout(form)
    message = FieldMessage(form)
    layout.addWidget(message)
    layout.addStretch()
    qtbot.addWidget(form)
    form.resize(400, 200)
    form.show()
    qtbot.waitExposed(form)

    message.show_problem("Enter a number greater than zero.")
    qtbot.waitUntil(lambda: message.height() > 0, timeout=WAIT_MS)
    with_text = message.height()
    message.show_problem(None)
    form.layout().activate()
    assert message.text() == ""
    assert message.height() == with_text
    assert message.minimumHeight() >= message.fontMetrics().lineSpacing()


def test_messages_are_plain_text_and_wrap(qtbot):
    message = FieldMessage()
    qtbot.addWidget(message)
    message.show_problem("<b>Not bold</b>")
    assert message.textFormat() == Qt.TextFormat.PlainText
    assert message.wordWrap()


# --- busy button --------------------------------------------------------------------------------


def test_a_busy_button_says_what_it_does_spins_and_cannot_be_pressed_twice(qtbot):
    button = BusyButton("Place order")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    presses: list[str] = []
    button.clicked.connect(lambda: presses.append("pressed"))

    button.set_busy(True, "Placing order…")

    assert button.is_busy() and not button.isEnabled()
    assert button.text() == "Placing order…"
    assert not button.icon().isNull()
    first = button.spinner_frame()
    qtbot.waitUntil(lambda: button.spinner_frame() != first, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert presses == []

    button.set_busy(False)

    assert not button.is_busy() and button.isEnabled()
    assert button.text() == "Place order" and button.icon().isNull()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert presses == ["pressed"]


def test_a_busy_button_without_busy_text_says_working(qtbot):
    button = BusyButton("Save")
    qtbot.addWidget(button)
    button.set_busy(True)
    assert button.text() == "Working…"
    button.set_busy(False)
    assert button.text() == "Save"


def test_a_button_disabled_before_the_job_stays_disabled_after_it(qtbot):
    button = BusyButton("Withdraw")
    qtbot.addWidget(button)
    button.setEnabled(False)
    button.set_busy(True)
    button.set_busy(False)
    assert not button.isEnabled() and button.text() == "Withdraw"


# --- the outcome of a money action -------------------------------------------------------------


def test_a_report_says_its_outcome_in_its_tone_and_goes_when_it_no_longer_holds(qtbot):
    label = ReportLabel()
    qtbot.addWidget(label)
    unreachable = ActionReport(Outcome.REFUSED, "Could not reach the exchange.", None,
                               error=ConnectError("exchange.example"))
    refused = ActionReport(Outcome.REFUSED, "You do not have enough funds.", None,
                           error=ExchangeRefusal("insufficient funds"))
    unknown = ActionReport(Outcome.UNKNOWN, "Look at your balance first.", None)

    label.show_report(ActionReport(Outcome.DONE, "Sent.", None))
    assert label.tone() is Tone.SUCCESS
    label.show_report(unreachable)
    assert label.is_problem()
    label.exchange_answered()  # the exchange is back: the sentence is no longer true
    assert label.text() == ""

    label.show_report(refused)
    label.exchange_answered()  # a refusal still holds when the exchange answers again...
    assert label.text() == "You do not have enough funds."
    label.forget_problem()  # ...until the person edits what was refused
    assert label.text() == ""

    label.show_report(unknown)
    label.forget_problem()
    label.exchange_answered()
    assert label.tone() is Tone.WARNING and label.text() == "Look at your balance first."
