"""Labels as BIP-329 JSON lines, the file Sparrow and Electrum users trade labels in.

One JSON object a line: ``{"type": "addr", "ref": "bc1q...", "label": "Savings"}``, or
``"type": "tx"`` with a transaction id. ``origin`` and ``spendable`` are optional and kept
as read. Reading never raises: every line it cannot use becomes a :class:`LabelProblem`
with its line number and a sentence, and the rest are read all the same. Other BIP-329
types (``pubkey``, ``input``, ``output``, ``xpub``) name things this app has no use for;
they are skipped and said so.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptex_desktop.api.types import COUPON_CODE
from cryptex_desktop.i18n import N_, _

from .records import LabelKind

# The coupon code's shape without its anchors, to find one inside longer text.
_CODE_ANYWHERE = re.compile(COUPON_CODE.pattern.removeprefix("^").removesuffix("$"))

#: BIP-329 types this app does not keep, but a wallet's export may well contain.
OTHER_BIP329_TYPES = frozenset({"pubkey", "input", "output", "xpub"})


@dataclass(frozen=True)
class Label:
    """One BIP-329 label of an address or a transaction id."""

    kind: LabelKind
    ref: str
    label: str
    origin: str | None = None
    spendable: bool | None = None

    def to_json_line(self) -> str:
        data: dict[str, object] = {"type": self.kind.value, "ref": self.ref, "label": self.label}
        if self.origin is not None:
            data["origin"] = self.origin
        if self.spendable is not None:
            data["spendable"] = self.spendable
        return json.dumps(data, ensure_ascii=False)


class LabelProblemReason(enum.Enum):
    """Why one line of a label file was not read, each with the sentence that says so.

    The sentences are English, marked only: ``_(reason.value)`` where one is shown.
    """

    NOT_JSON = N_("This line is not JSON, so it was skipped.")
    NOT_AN_OBJECT = N_("This line is not a JSON object with a type and a ref, so it was skipped.")
    OTHER_TYPE = N_("Labels of this type are not used by Cryptex Desktop, so it was skipped.")
    UNKNOWN_TYPE = N_("The type is not one BIP-329 knows (addr or tx), so it was skipped.")
    NO_REF = N_("The line names no address or transaction (ref), so it was skipped.")
    BAD_FIELD = N_("The label, origin or spendable value is of the wrong kind, so it was skipped.")
    LOOKS_LIKE_CODE = N_(
        "This line holds what looks like a coupon code, which the app never stores; skipped."
    )


@dataclass(frozen=True)
class LabelProblem:
    """A line that was not read: its number (from 1) and why."""

    line: int
    reason: LabelProblemReason

    @property
    def sentence(self) -> str:
        """``Line 3: ...`` in plain words, in the reader's language."""
        return _("Line {line}: {reason}").format(line=self.line, reason=_(self.reason.value))


@dataclass(frozen=True)
class LabelImport:
    """What an import did: how many labels it kept, and the lines it could not read."""

    imported: int
    problems: tuple[LabelProblem, ...]


def export_lines(labels: Iterable[Label]) -> str:
    """The labels as BIP-329 JSON lines, one per line, with a final newline if any."""
    lines = [label.to_json_line() for label in labels]
    return "".join(line + "\n" for line in lines)


def read_lines(text: str) -> tuple[list[Label], list[LabelProblem]]:
    """Every label ``text`` holds, and a problem for each non-blank line it could not read."""
    labels: list[Label] = []
    problems: list[LabelProblem] = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        result = read_line(line)
        if isinstance(result, Label):
            labels.append(result)
        else:
            problems.append(LabelProblem(number, result))
    return labels, problems


def read_line(line: str) -> Label | LabelProblemReason:
    """One line as a :class:`Label`, or the reason it is not one."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return LabelProblemReason.NOT_JSON
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return LabelProblemReason.NOT_AN_OBJECT
    kind = data["type"]
    if kind in OTHER_BIP329_TYPES:
        return LabelProblemReason.OTHER_TYPE
    if kind not in {k.value for k in LabelKind}:
        return LabelProblemReason.UNKNOWN_TYPE
    ref = data.get("ref")
    if not isinstance(ref, str) or not ref.strip():
        return LabelProblemReason.NO_REF
    label, origin, spendable = data.get("label", ""), data.get("origin"), data.get("spendable")
    if (
        not isinstance(label, str)
        or (origin is not None and not isinstance(origin, str))
        or (spendable is not None and not isinstance(spendable, bool))
    ):
        return LabelProblemReason.BAD_FIELD
    if not all(_is_utf8(text) for text in (ref, label, origin or "")):
        return LabelProblemReason.BAD_FIELD  # a lone surrogate (\ud800) has no UTF-8 form
    if any(looks_like_code(text) for text in (ref, label, origin or "")):
        return LabelProblemReason.LOOKS_LIKE_CODE
    return Label(LabelKind(kind), ref.strip(), label, origin, spendable)


def looks_like_code(text: str) -> bool:
    """Whether ``text`` holds something shaped like a coupon code, anywhere in it."""
    return _CODE_ANYWHERE.search(text) is not None


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
