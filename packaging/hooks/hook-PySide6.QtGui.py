"""PySide6.QtGui as PyInstaller's own hook collects it, less what qt_selection leaves out."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_selection import keep_collected  # packaging/, put on sys.path by the spec

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = keep_collected(binaries)
datas = keep_collected(datas)
