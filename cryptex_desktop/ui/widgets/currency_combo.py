"""Choosers for a currency and for a market, written once for every screen that asks.

Both keep their code as item data, say the full name in the item's tooltip, remember the
last choice through a screen's settings, and offer an optional "all" entry for filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from cryptex_desktop.api.currencies import CURRENCIES, PAIRS
from cryptex_desktop.i18n import _
from cryptex_desktop.ui.formatting import currency_name, pair_description, pair_text


class CodeCombo(QComboBox):
    """A combo box whose items carry a code ("BTC", "BTC_USD"); "" is the "all" entry."""

    def code(self) -> str:
        """The chosen code ("" for the "all" entry)."""
        return str(self.currentData() or "")

    def set_code(self, code: str) -> bool:
        """Choose ``code``; False (and no change) if it is not offered."""
        index = self.findData(code)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True

    def codes(self) -> list[str]:
        """Every code offered, in order ("" for the "all" entry)."""
        return [str(self.itemData(i) or "") for i in range(self.count())]

    def _add(self, text: str, code: str, tooltip: str) -> None:
        self.addItem(text, code)
        self.setItemData(self.count() - 1, tooltip, Qt.ItemDataRole.ToolTipRole)


class CurrencyCombo(CodeCombo):
    """Choose a currency: "Bitcoin (BTC)", or codes only for a narrow filter."""

    def __init__(
        self,
        currencies: Iterable[str] | None = None,
        *,
        all_text: str | None = None,
        codes_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if all_text is not None:
            self._add(all_text, "", _("Show every currency"))
        for code in currencies if currencies is not None else CURRENCIES:
            text = code if codes_only else f"{currency_name(code)} ({code})"
            self._add(text, code, currency_name(code))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setAccessibleName(_("Currency"))


class MarketCombo(CodeCombo):
    """Choose a market: "BTC/USD", described in words in each item's tooltip."""

    def __init__(
        self,
        markets: Iterable[str] | None = None,
        *,
        all_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if all_text is not None:
            self._add(all_text, "", _("Show every market"))
        for code in markets if markets is not None else PAIRS:
            self._add(pair_text(code), code, pair_description(code))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setAccessibleName(_("Market"))
        self.currentIndexChanged.connect(self._describe)

    def _describe(self, _index: int) -> None:
        code = self.code()
        self.setToolTip(pair_description(code) if code else _("Every market"))
