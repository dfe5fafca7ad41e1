"""The version resource of the Windows executables: what Explorer shows under Properties > Details.

Used by ``cryptex-desktop.spec`` on Windows only: PyInstaller's version-info classes import
``pefile``, which PyInstaller installs on Windows alone.
"""

from __future__ import annotations

import re
from typing import Any


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """``"0.1.0"`` -> ``(0, 1, 0, 0)``: the four numbers Windows keeps (``"1rc2"`` counts as 1)."""
    numbers = [int(re.match(r"\d*", part).group() or 0) for part in version.split(".")[:4]]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_info(version: str, product: str) -> Any:
    """PyInstaller's ``VSVersionInfo`` for the app at ``version``."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = version_numbers(version)
    strings = {
        "CompanyName": "Cryptex",
        "FileDescription": product,
        "FileVersion": version,
        "InternalName": "cryptex-desktop",
        "LegalCopyright": "MIT licence",
        "OriginalFilename": "cryptex-desktop.exe",
        "ProductName": product,
        "ProductVersion": version,
    }
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            # 0409 = US English, 04B0 = Unicode: the language and code page of the strings.
            StringFileInfo([
                StringTable("040904B0", [StringStruct(k, v) for k, v in strings.items()])
            ]),
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
