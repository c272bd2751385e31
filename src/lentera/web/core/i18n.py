"""Compile the translation catalogues (.po → .mo) in pure Python (Babel).

Lentera must start on a machine that has Python and nothing else, so GNU
gettext's ``msgfmt`` is not required; ``lentera migrate`` and the test suite
call :func:`compile_messages`, which rewrites a .mo only when its .po is newer.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def compile_messages(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parts[-3])
        tmp = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(mo_path)  # atomic: a concurrent reader never sees a half-written catalogue
        written.append(mo_path)
    return written
