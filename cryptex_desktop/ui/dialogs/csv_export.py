"""Where to save a CSV export, asked the same way by every list that exports, and the writing.

The save dialog opens in the folder the person chose last time for that screen, with a dated
file name; a file that cannot be written is told in one sentence that says what to do.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from cryptex_desktop.i18n import N_, _
from cryptex_desktop.ui.settings import AppSettings

_FOLDER = "export_folder"

#: Said after every export: the file does not follow the app's language, on purpose.
MACHINE_READABLE = N_(
    "The file is written the same way in every language (English column names, a point "
    "before decimals, times in UTC), so spreadsheets and scripts read it alike."
)


def ask_where_to_save_csv(
    parent: QWidget,
    *,
    title: str,
    settings: AppSettings,
    view: str,
    stem: str,
    on_chosen: Callable[[str], None],
) -> QFileDialog:
    """Open (not exec) a save dialog for ``stem-YYYY-MM-DD.csv`` in ``view``'s last folder."""
    folder = str(settings.view_state(view, _FOLDER, "") or Path.home())
    name = f"{stem}-{datetime.now().strftime('%Y-%m-%d')}.csv"
    dialog = QFileDialog(parent, title, str(Path(folder) / name))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilters([_("CSV files (*.csv)"), _("All files (*)")])
    dialog.setDefaultSuffix("csv")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: on_chosen(path) if path else None)
    dialog.open()
    return dialog


def write_csv(path: str | os.PathLike[str], header: Sequence[str],
              rows: Iterable[Sequence[str]]) -> int:
    """Write ``header`` then ``rows`` as CSV (UTF-8); returns how many rows.

    Written beside the target and moved into place, so an existing file is never left
    half-written.
    """
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    count = 0
    try:
        with partial.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return count


def remember_export_folder(settings: AppSettings, view: str, path: str) -> None:
    """Start the next export of ``view`` in the folder of ``path``."""
    settings.set_view_state(view, _FOLDER, str(Path(path).parent))


def save_failed_sentence(error: BaseException) -> str:
    """What to say when the chosen file could not be written."""
    reason = (error.strerror or str(error)) if isinstance(error, OSError) else str(error)
    return _("Could not save the file: {reason}. Choose another folder or name.").format(
        reason=reason or _("the system refused"))
