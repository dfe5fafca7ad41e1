"""One page layout for every screen: the same margins, the heading at the same spot, forms
that use a wide window sensibly.

A screen calls :func:`page` once with its heading and intro and adds its content to the
layout it gets back. Form screens put their form and its help side by side with
:func:`form_with_aside`, so a wide window widens the help column instead of leaving the
form stranded on the left; :func:`form_layout` gives every form the same label alignment
and spacing.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cryptex_desktop.ui.widgets.labels import heading_label, muted_label

#: Left, top, right, bottom margins of every screen, in device-independent pixels.
PAGE_MARGINS = (24, 18, 24, 14)
#: Room between the blocks of a page (heading, intro, content, buttons).
PAGE_SPACING = 10
#: A form's fields are this wide at most: a price or an address needs no more.
FORM_MAX_WIDTH = 640
#: The help column beside a form starts this wide and grows with the window.
ASIDE_MIN_WIDTH = 260
#: ...up to this width: longer lines of help are hard to read; the rest stays empty on the right.
ASIDE_MAX_WIDTH = 560


def page(screen: QWidget, heading: str, intro: str = "") -> QVBoxLayout:
    """Give ``screen`` the app's page layout with ``heading`` and ``intro`` at the top.

    Returns the layout to add the content to. The heading and intro are named
    ``page_heading`` and ``page_intro`` on ``screen`` so their text can change later.
    """
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(*PAGE_MARGINS)
    layout.setSpacing(PAGE_SPACING)
    title = heading_label(heading)
    title.setObjectName("pageHeading")
    layout.addWidget(title)
    screen.page_heading = title  # type: ignore[attr-defined]
    description = QLabel(intro)
    description.setObjectName("pageIntro")
    description.setWordWrap(True)
    description.setTextFormat(Qt.TextFormat.PlainText)
    description.setVisible(bool(intro))
    layout.addWidget(description)
    screen.page_intro = description  # type: ignore[attr-defined]
    return layout


def form_layout() -> QFormLayout:
    """A form with labels right-aligned beside their fields, the same spacing everywhere."""
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(8)
    return form


def form_with_aside(form: QWidget | QLayout, aside: QWidget | None = None) -> QHBoxLayout:
    """``form`` on the left (at most :data:`FORM_MAX_WIDTH`), ``aside`` taking the rest."""
    row = QHBoxLayout()
    row.setSpacing(24)
    holder = form if isinstance(form, QWidget) else _holder(form)
    holder.setMaximumWidth(FORM_MAX_WIDTH)
    holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    # Five parts to three: in a small window a longer language's field hints still fit.
    row.addWidget(holder, 5, Qt.AlignmentFlag.AlignTop)
    if aside is not None:
        aside.setMinimumWidth(ASIDE_MIN_WIDTH)
        aside.setMaximumWidth(ASIDE_MAX_WIDTH)
        row.addWidget(aside, 3, Qt.AlignmentFlag.AlignTop)
        row.addStretch(0)  # past both maximums, the room is left over on the right
    else:
        row.addStretch(3)
    return row


def help_panel(title: str, *paragraphs: str) -> QFrame:
    """A quiet box of whole sentences explaining why, beside a form."""
    box = QFrame()
    box.setObjectName("helpPanel")
    box.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(8)
    heading = heading_label(title, 1.0)
    layout.addWidget(heading)
    for paragraph in paragraphs:
        label = QLabel(paragraph)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
    box.setAccessibleName(title)
    return box


def button_row(*widgets: QWidget, hint: str = "") -> QHBoxLayout:
    """Buttons side by side from the left, with an optional quiet hint after them."""
    row = QHBoxLayout()
    row.setSpacing(8)
    for widget in widgets:
        row.addWidget(widget)
    if hint:
        row.addSpacing(12)
        row.addWidget(muted_label(hint), 1)
    else:
        row.addStretch(1)
    return row


def buttons_as_laid_out(box: QDialogButtonBox) -> list[QAbstractButton]:
    """``box``'s buttons from left to right, as this desktop's button order places them."""
    layout = box.layout()
    if layout is None:
        return box.buttons()
    items = (layout.itemAt(i) for i in range(layout.count()))
    found = (item.widget() for item in items if item is not None)
    return [widget for widget in found if isinstance(widget, QAbstractButton)]


def list_footer(summary: QWidget, message: QWidget, *buttons: QWidget) -> QHBoxLayout:
    """Under a list: how many rows it shows and its message on the left, its buttons right."""
    footer = QHBoxLayout()
    footer.setSpacing(10)
    texts = QVBoxLayout()
    texts.setSpacing(2)
    texts.addWidget(summary)
    texts.addWidget(message)
    footer.addLayout(texts, 1)
    for button in buttons:
        footer.addWidget(button)
    return footer


def tab_in_order(*widgets: QWidget) -> None:
    """Tab visits ``widgets`` in the order given (the order they are seen)."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def tab_through_buttons(box: QDialogButtonBox) -> None:
    """Tab visits a dialog's buttons left to right, whichever order the desktop puts them in."""
    tab_in_order(*buttons_as_laid_out(box))


def _holder(layout: QLayout) -> QWidget:
    holder = QWidget()
    if isinstance(layout, QBoxLayout | QFormLayout):
        layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
