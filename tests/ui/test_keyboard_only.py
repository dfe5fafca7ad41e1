"""One person's whole afternoon with only a keyboard: deposit, trade, cancel, withdraw, coupon.

Every action is a key press on the widget that has the focus (``QApplication.focusWidget()``)
or one of the app's shortcuts; the screen is only read, never clicked or called. If a step
cannot be done this way, the app has a keyboard bug.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.ui.dialogs.confirm import ConfirmDialog
from cryptex_desktop.ui.dialogs.coupon_created import CouponCreatedDialog
from tests.gui_checks import WAIT_MS, modal_dialog

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
#: More Tab presses than any screen has controls: past this, the widget is not in the chain.
MAX_TABS = 40


class Keyboard:
    """The person's hands: keys go to whatever has the focus, as on a real keyboard."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot

    def focused(self) -> QWidget:
        """The widget the next key goes to."""
        self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=WAIT_MS)
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
              ) -> None:
        """One key (with Ctrl, Alt...) on the focused widget."""
        self.qtbot.keyClick(self.focused(), key, modifier)

    def type(self, text: str) -> None:
        """Type ``text`` into the focused widget."""
        self.qtbot.keyClicks(self.focused(), text)

    def tab_to(self, widget: QWidget) -> None:
        """Press Tab until ``widget`` has the focus; fail if it never comes."""
        self.qtbot.waitUntil(widget.isEnabled, timeout=WAIT_MS)
        for _ in range(MAX_TABS):
            if self.focused() is widget:
                return
            self.press(Key.Key_Tab)
        pytest.fail(f"{MAX_TABS} Tab presses never reached {widget.accessibleName()!r}; "
                    f"the focus is on {self.focused().accessibleName()!r}")

    def choose_in_combo(self, combo, text: str) -> None:
        """With the combo box focused, arrow keys until it shows ``text``."""
        assert self.focused() is combo
        self.press(Key.Key_Home)
        for _ in range(combo.count()):
            if combo.currentText() == text:
                return
            self.press(Key.Key_Down)
        assert combo.currentText() == text


def dialog_open(kind) -> bool:
    return any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets())


def confirm_with_keys(qtbot, keys: Keyboard, key: Qt.Key = Key.Key_Space) -> ConfirmDialog:
    """In the confirmation, Tab from the safe choice (Cancel) to the confirm button; press it."""
    dialog = modal_dialog(qtbot, ConfirmDialog)
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=WAIT_MS)
    assert keys.focused() is dialog.cancel_button  # the focus starts on the safe choice
    keys.tab_to(dialog.confirm_button)
    keys.press(key)
    qtbot.waitUntil(lambda: not dialog_open(ConfirmDialog), timeout=WAIT_MS)
    return dialog


def available(balances, currency: str) -> str | None:
    """The Available cell of ``currency``'s row on the Balances tab, as shown."""
    model = balances.model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == currency:
            return model.index(row, 1).data()
    return None


def activate(qtbot, window: QWidget) -> None:
    """What the window manager does when a dialog closes: the window below is active again.

    The offscreen platform of the tests has no window manager, so the test plays its part;
    the focus comes back to the control that had it, as on a desktop.
    """
    if not window.isActiveWindow():
        window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def test_deposit_trade_cancel_withdraw_coupon_and_redeem_with_the_keyboard_only(
        qtbot, window, app_context, demo_exchange):
    keys = Keyboard(qtbot)
    wallet = app_context.wallet
    activate(qtbot, window)
    keys.press(Key.Key_5, CTRL)  # Ctrl+1…7 go to the tabs in order

    # -- Deposit: a new bitcoin address; coins arrive from outside and are credited.
    deposit = window.screens["deposit"]
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is deposit, timeout=WAIT_MS)
    keys.tab_to(deposit.currency_combo)
    keys.choose_in_combo(deposit.currency_combo, "Bitcoin (BTC)")
    keys.tab_to(deposit.new_address_button)
    keys.press(Key.Key_Space)
    qtbot.waitUntil(lambda: deposit.address_message.text() == "Here is your new Bitcoin (BTC) "
                    "address.", timeout=WAIT_MS)
    address = deposit.address_label.text()
    assert address.startswith("bc1")

    demo_exchange.deposit(address, Decimal("0.25"))  # the outside world sends coins...
    demo_exchange.mine(3)  # ...and the network confirms them
    keys.tab_to(deposit.check_button)
    assert deposit.shown_address() == address  # the button checks the address on show
    keys.press(Key.Key_Space)
    qtbot.waitUntil(lambda: deposit.check_message.text() == "0.25 BTC was credited to your "
                    "balance.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wallet.free_balance("BTC") == Decimal("2.25"), timeout=WAIT_MS)
    keys.press(Key.Key_1, CTRL)  # and the Balances tab says so
    balances = window.screens["balances"]
    qtbot.waitUntil(lambda: available(balances, "Bitcoin (BTC)") == "2.25000000", timeout=WAIT_MS)

    # -- Trade: buy bitcoin far below the market; the order waits.
    keys.press(Key.Key_2, CTRL)
    trade = window.screens["trade"]
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is trade, timeout=WAIT_MS)
    keys.tab_to(trade.pair_combo)
    keys.choose_in_combo(trade.pair_combo, trade.pair_combo.itemText(
        trade.pair_combo.findData("BTC_USD")))
    keys.press(Key.Key_B, ALT)  # Alt+B: buy
    assert trade.buy_button.isChecked()
    keys.tab_to(trade.price_edit)
    keys.type("20000")
    keys.tab_to(trade.amount_edit)
    keys.type("0.1")
    assert trade.pay_label.text() == "2,000.00 USD"
    keys.press(Key.Key_Return)  # Enter opens the confirmation; nothing is sent yet
    confirm_with_keys(qtbot, keys)
    activate(qtbot, window)
    qtbot.waitUntil(lambda: "is placed" in trade.result_label.text(), timeout=WAIT_MS)
    order_id = int(trade.result_label.text().split("#")[1].split()[0])
    assert trade.result_label.text() == (
        f"Your order #{order_id} is placed. It waits on the Open orders tab until someone "
        "sells 0.10000000 BTC at 20,000.00 USD or less; 2,000.00 USD is held for it meanwhile."
    )
    qtbot.waitUntil(lambda: wallet.free_balance("USD") == Decimal("8000"), timeout=WAIT_MS)

    # -- Open orders: select the order and cancel it with Delete.
    keys.press(Key.Key_3, CTRL)
    orders = window.screens["open_orders"]
    qtbot.waitUntil(lambda: orders.proxy.rowCount() == 1, timeout=WAIT_MS)
    keys.tab_to(orders.table)
    # Tabbing into the list selects the row with the focus: Delete acts on what is seen.
    qtbot.waitUntil(orders.cancel_button.isEnabled, timeout=WAIT_MS)
    keys.press(Key.Key_Delete)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.value_text("Order") == (
        f"#{order_id}: buy 0.10000000 BTC at 20,000.00 USD each")
    confirm_with_keys(qtbot, keys)
    activate(qtbot, window)
    qtbot.waitUntil(lambda: orders.result_label.text() == (
        f"Order #{order_id} is cancelled. Back in your available balance: 2,000.00 USD."
    ), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: orders.proxy.rowCount() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wallet.free_balance("USD") == Decimal("10000"), timeout=WAIT_MS)

    # -- Withdraw: send some bitcoin to a wallet outside.
    keys.press(Key.Key_6, CTRL)
    withdraw = window.screens["withdraw"]
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is withdraw, timeout=WAIT_MS)
    keys.tab_to(withdraw.currency_combo)
    keys.choose_in_combo(withdraw.currency_combo, "Bitcoin (BTC)")
    recipient = new_address("BTC")
    keys.tab_to(withdraw.address_edit)
    keys.type(recipient)
    keys.tab_to(withdraw.amount_edit)
    keys.type("0.5")
    keys.press(Key.Key_Return)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    assert dialog.value_text("To address") == recipient
    assert dialog.value_text("You send") == "0.50000000 BTC"
    confirm_with_keys(qtbot, keys, Key.Key_Return)  # Enter presses the button with the focus
    activate(qtbot, window)
    qtbot.waitUntil(lambda: withdraw.sent_address() == recipient, timeout=WAIT_MS)
    assert withdraw.result_label.text().startswith("0.5 BTC is on its way to the address below.")
    qtbot.waitUntil(lambda: wallet.free_balance("BTC") == Decimal("1.75"), timeout=WAIT_MS)

    # -- Coupons: a small coupon; copy its code and close its window with keys.
    keys.press(Key.Key_7, CTRL)
    coupons = window.screens["coupons"]
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is coupons, timeout=WAIT_MS)
    keys.tab_to(coupons.currency_combo)
    keys.choose_in_combo(coupons.currency_combo, "US dollar (USD)")
    keys.tab_to(coupons.amount_edit)
    keys.type("5")
    keys.press(Key.Key_Return)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    confirm_with_keys(qtbot, keys)
    created = modal_dialog(qtbot, CouponCreatedDialog)
    qtbot.waitUntil(created.isActiveWindow, timeout=WAIT_MS)
    assert [label.text() for label in created.findChildren(type(created.who_label))
            if label.text().startswith("Your coupon")] == ["Your coupon for 5.00 USD is ready"]
    keys.press(Key.Key_C, CTRL)  # Ctrl+C: Copy code
    # A button's shortcut presses it the way a click does, a moment later.
    qtbot.waitUntil(lambda: created.status_label.text().startswith(
        "The code is on the clipboard."), timeout=WAIT_MS)
    keys.press(Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog_open(CouponCreatedDialog), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wallet.free_balance("USD") == Decimal("9995"), timeout=WAIT_MS)

    # -- Redeem it: paste the code with Ctrl+V, then the Redeem button.
    activate(qtbot, window)
    keys.tab_to(coupons.code_edit)
    keys.press(Key.Key_V, CTRL)
    assert coupons.code_edit.code() is not None
    keys.tab_to(coupons.redeem_button)
    keys.press(Key.Key_Space)
    qtbot.waitUntil(lambda: not coupons.redeem_button.is_busy()
                    and coupons.redeem_result_label.text() != "", timeout=WAIT_MS)
    assert coupons.redeem_result_label.text() == "5.00 USD was added to your balance."
    qtbot.waitUntil(lambda: wallet.free_balance("USD") == Decimal("10000"), timeout=WAIT_MS)


def test_enter_alone_in_a_confirmation_sends_nothing(qtbot, window, app_context):
    """A second Enter pressed by habit lands on Cancel: the order is not placed."""
    keys = Keyboard(qtbot)
    activate(qtbot, window)
    keys.press(Key.Key_2, CTRL)
    trade = window.screens["trade"]
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is trade, timeout=WAIT_MS)
    keys.press(Key.Key_B, ALT)
    keys.tab_to(trade.price_edit)
    keys.type("20000")
    keys.tab_to(trade.amount_edit)
    keys.type("0.1")
    keys.press(Key.Key_Return)
    dialog = modal_dialog(qtbot, ConfirmDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    keys.press(Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog_open(ConfirmDialog), timeout=WAIT_MS)
    activate(qtbot, window)
    assert trade.result_label.text() == ""
    assert trade.amount_edit.text() == "0.1"  # what was typed stays, ready to place again
    assert app_context.wallet.free_balance("USD") == Decimal("10000")
