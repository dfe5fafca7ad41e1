"""File > Export labels… and Import labels…: the account's labels as BIP-329 JSON lines.

The names a person gave addresses and transactions travel to and from other wallets in the
BIP-329 format (one JSON object per line). The file is chosen in a file dialog; reading or
writing it and asking the journal both happen on the journal's own lane, never on the UI
thread. What happened is said in one sentence (``told``): how many labels, and which lines
of an imported file could not be read, by number.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from cryptex_desktop.i18n import N_, _, _n
from cryptex_desktop.journal import Journal, LabelImport
from cryptex_desktop.ui.journal_keeper import JournalKeeper

#: What the file dialogs offer.
FILE_FILTER = N_("Label files (*.jsonl *.json);;All files (*)")

#: How many unreadable line numbers a sentence names before "and N more".
MAX_LINES_NAMED = 10


def lines_text(numbers: list[int]) -> str:
    """``"3, 7 and 12"``: line numbers for a sentence, the first few when there are many."""
    shown = [str(n) for n in numbers[:MAX_LINES_NAMED]]
    more = len(numbers) - len(shown)
    if more:
        return _("{lines} and {more} more").format(lines=", ".join(shown), more=more)
    if len(shown) == 1:
        return shown[0]
    return _("{lines} and {last}").format(lines=", ".join(shown[:-1]), last=shown[-1])


def import_sentence(result: LabelImport) -> str:
    """What an import did, in one sentence a person can act on."""
    numbers = sorted({problem.line for problem in result.problems})
    if not numbers:
        if result.imported == 0:
            return _("The file holds no labels; nothing was imported.")
        return _n("Imported {count} label.", "Imported {count} labels.",
                  result.imported).format(count=result.imported)
    # Two numbers, one plural: the sentence's form follows the labels imported, and one
    # unreadable line has its own pair of sentences.
    if len(numbers) == 1:
        sentence = _n(
            "Imported {count} label; line {lines} could not be read (each line should be one "
            "BIP-329 label, and a label that looks like a coupon code is never kept).",
            "Imported {count} labels; line {lines} could not be read (each line should be one "
            "BIP-329 label, and a label that looks like a coupon code is never kept).",
            result.imported)
    else:
        sentence = _n(
            "Imported {count} label; lines {lines} could not be read (each line should be one "
            "BIP-329 label, and a label that looks like a coupon code is never kept).",
            "Imported {count} labels; lines {lines} could not be read (each line should be one "
            "BIP-329 label, and a label that looks like a coupon code is never kept).",
            result.imported)
    return sentence.format(count=result.imported, lines=lines_text(numbers))


def write_labels(path: str | os.PathLike[str], journal: Journal) -> int:
    """Write the journal's labels to ``path`` (beside it first, then moved); how many."""
    text = journal.export_labels()
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_text(text, encoding="utf-8", newline="\n")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return len(text.splitlines())


def read_labels(path: str | os.PathLike[str], journal: Journal) -> LabelImport:
    """Merge the labels of the file at ``path`` into the journal."""
    return journal.import_labels(Path(path).read_text(encoding="utf-8"))


def file_problem_sentence(error: BaseException, *, saving: bool) -> str:
    """A file that could not be written or read, in one sentence with what to do."""
    if isinstance(error, UnicodeDecodeError):
        return _("That file is not a text file of labels. Choose a BIP-329 label file "
                 "(JSON lines).")
    reason = (error.strerror if isinstance(error, OSError) and error.strerror
              else _("the system refused"))
    if saving:
        return _("Could not save the labels ({reason}). Choose another folder.").format(
            reason=reason)
    return _("Could not read that file ({reason}). Choose another file.").format(reason=reason)


class LabelTransfer(QObject):
    """Exports and imports the connected account's labels; ``told(str)`` says the outcome."""

    told = Signal(str)

    def __init__(self, keeper: JournalKeeper, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keeper = keeper
        #: The last outcome sentence (for tests and the status bar).
        self.last_sentence = ""

    def _tell(self, sentence: str) -> None:
        self.last_sentence = sentence
        self.told.emit(sentence)

    def _journal_missing(self) -> bool:
        """Say so and return True when there is no journal to export from or import into."""
        if self._keeper.last_problem:
            self._tell(self._keeper.last_problem)
            return True
        if not self._keeper.account_name:
            self._tell(_("Connect to an account first: labels belong to an account."))
            return True
        return False

    def choose_export(self, parent: QWidget | None = None) -> None:
        """Ask where to save, then write every label there."""
        if self._journal_missing():
            return
        path, _filter = QFileDialog.getSaveFileName(
            parent, _("Export labels"), str(Path.home() / "cryptex-labels.jsonl"), _(FILE_FILTER))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write every label to ``path`` as BIP-329 JSON lines (on the journal's lane)."""
        self._keeper.read(
            lambda journal: write_labels(path, journal),
            lambda count: self._tell(_n("Saved {count} label to {path}.",
                                        "Saved {count} labels to {path}.", count).format(
                count=count, path=path)),
            lambda error: self._tell(file_problem_sentence(error, saving=True)),
        )

    def choose_import(self, parent: QWidget | None = None) -> None:
        """Ask for a label file, then merge its labels into this account's."""
        if self._journal_missing():
            return
        path, _filter = QFileDialog.getOpenFileName(
            parent, _("Import labels"), str(Path.home()), _(FILE_FILTER))
        if path:
            self.import_from(path)

    def import_from(self, path: str) -> None:
        """Merge the labels of the file at ``path`` (read and written on the journal's lane)."""
        self._keeper.read(
            lambda journal: read_labels(path, journal),
            self._on_imported,
            lambda error: self._tell(file_problem_sentence(error, saving=False)),
        )

    def _on_imported(self, result: LabelImport) -> None:
        if result.imported:
            # Written through read(): the views that show labels are told here instead.
            self._keeper.changed.emit()
        self._tell(import_sentence(result))
