"""What every screen is: a tab with a name, a title, one page layout, and one clear state for
when the account cannot be used.

A screen receives the few shared objects it uses in its constructor (never the main window),
builds its content into :attr:`Screen.body`, and answers three calls from the main window:
:meth:`Screen.refresh` (show the latest), :meth:`Screen.account_changed` (another account is
in use: forget what belonged to the old one, messages included) and
:meth:`Screen.set_account_problem` (no key, a refused key, or no exchange: say so in place of
the content, with the one button that helps).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.i18n import _
from cryptex_desktop.ui.widgets.labels import ResultLabel
from cryptex_desktop.ui.widgets.layout import page


class ProblemKind(enum.Enum):
    """Why the account cannot be used: each has its own button."""

    NO_KEY = "no_key"  # no live key entered yet
    KEY_REFUSED = "key_refused"  # the exchange refused the key or its signature
    UNREACHABLE = "unreachable"  # the exchange cannot be reached


@dataclass(frozen=True)
class AccountProblem:
    """What happened, in a sentence, and what the one button does."""

    kind: ProblemKind
    sentence: str

    @property
    def button_text(self) -> str:
        """"Enter your key…" for a key problem, "Try again" for a connection problem."""
        if self.kind is ProblemKind.UNREACHABLE:
            return _("&Try again")
        return _("&Enter your key…")


class AccountProblemView(QWidget):
    """The sentence and the one button a screen shows instead of its content."""

    actionRequested = Signal(object)  # the ProblemKind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem: AccountProblem | None = None
        self.sentence = ResultLabel()
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence.setMaximumWidth(560)
        self.button = QPushButton()
        self.button.setAutoDefault(True)
        self.button.clicked.connect(self._on_clicked)
        # Centred by stretches, not by an alignment flag: an aligned wrapped label gets its
        # one-line width and loses the rest of its sentence.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(self.sentence, 4)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(8)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_problem(self, problem: AccountProblem) -> None:
        """Say what happened and offer the button that helps."""
        self._problem = problem
        self.sentence.show_problem(problem.sentence)
        self.button.setText(problem.button_text)
        self.button.setAccessibleName(problem.button_text.replace("&", ""))

    def problem(self) -> AccountProblem | None:
        """The problem on show."""
        return self._problem

    def _on_clicked(self) -> None:
        if self._problem is not None:
            self.actionRequested.emit(self._problem.kind)


def scrolling_page(content: QWidget) -> QScrollArea:
    """``content`` filling the page, scrolling when the window is too small for all of it.

    A small window (or a language longer than English) then scrolls the page instead of
    squeezing its sentences into each other; when everything fits, nothing changes.
    """
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop of its own for Tab
    area.viewport().setAutoFillBackground(False)  # the window's own background, either theme
    content.setAutoFillBackground(False)
    return area


class Screen(QWidget):
    """A tab of the main window: heading and intro, content, and the account-problem state.

    Subclasses set :attr:`NAME`, give :meth:`title` and :meth:`tooltip` (translated when
    shown) and build their content into :attr:`body`.
    """

    #: The screen's name in settings and code ("trade"); never shown.
    NAME: ClassVar[str] = ""

    #: The person pressed the problem state's button (the ProblemKind).
    accountProblemAction = Signal(object)

    def __init__(self, heading: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = page(self, heading, intro)
        self._stack = QStackedWidget()
        self.content = QWidget()
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(10)
        self.problem_view = AccountProblemView()
        self.problem_view.actionRequested.connect(self.accountProblemAction)
        self._stack.addWidget(self.content)
        self._stack.addWidget(self.problem_view)
        outer.addWidget(scrolling_page(self._stack), 1)

    @classmethod
    def title(cls) -> str:
        """The tab's title, in the current language."""
        raise NotImplementedError

    @classmethod
    def tooltip(cls) -> str:
        """The tab's tooltip, in the current language."""
        return ""

    def refresh(self) -> None:
        """Ask for what the screen shows; the default screen has nothing to ask."""

    def account_changed(self) -> None:
        """Another account is in use: forget what belonged to the old one."""

    def set_account_problem(self, problem: AccountProblem | None) -> None:
        """Show ``problem`` in place of the content, or the content again (None)."""
        if problem is None:
            self._stack.setCurrentWidget(self.content)
        else:
            self.problem_view.show_problem(problem)
            self._stack.setCurrentWidget(self.problem_view)

    def account_problem(self) -> AccountProblem | None:
        """The problem on show instead of the content, if any."""
        if self._stack.currentWidget() is self.problem_view:
            return self.problem_view.problem()
        return None
