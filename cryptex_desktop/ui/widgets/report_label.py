"""The sentence a money action ends with, in its tone, and when that sentence is out of date.

A :class:`~cryptex_desktop.ui.money_action.MoneyAction` reports one outcome; this label says it
(done in green, refused in red, "look before acting again" in amber) and knows when to stop
saying it: a refusal is about what was typed, so it goes when the person edits the form
(:meth:`ReportLabel.forget_problem`); "could not reach the exchange" goes once the exchange
answers again (:meth:`ReportLabel.exchange_answered`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cryptex_desktop.api.errors import ConnectError, RequestTimeout
from cryptex_desktop.ui.money_action import ActionReport, Outcome
from cryptex_desktop.ui.widgets.labels import ResultLabel, Tone


class ReportLabel(ResultLabel):
    """A :class:`ResultLabel` that shows an :class:`ActionReport` and knows when it is stale."""

    def __init__(self, parent: QWidget | None = None, *, reserve_lines: int = 0) -> None:
        self._only_unreachable = False
        super().__init__(parent, reserve_lines=reserve_lines)

    def show_message(self, text: str, tone: Tone = Tone.PLAIN) -> None:
        """Show ``text`` in the colour of ``tone`` (any new sentence replaces the report)."""
        self._only_unreachable = False
        super().show_message(text, tone)

    def show_report(self, report: ActionReport | None) -> None:
        """Say how the action ended (None says nothing)."""
        if report is None:
            self.clear_message()
        elif report.outcome is Outcome.DONE:
            self.show_success(report.sentence)
        elif report.outcome is Outcome.REFUSED:
            self.show_problem(report.sentence)
            self._only_unreachable = report.finding is None and isinstance(
                report.error, ConnectError | RequestTimeout)
        else:
            self.show_warning(report.sentence)

    def forget_problem(self) -> None:
        """The person edited the form: a refusal of what was typed before no longer holds."""
        if self.is_problem():
            self.show_report(None)

    def exchange_answered(self) -> None:
        """The exchange answered a later request: "could not reach it" no longer holds."""
        if self._only_unreachable and self.is_problem():
            self.show_report(None)
