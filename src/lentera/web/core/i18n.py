"""Languages: which one the user reads, picking a bilingual label, compiling the catalogues.

Bahasa Indonesia is the default and English the second language. Text that lives in Django code
goes through gettext; text that lives in data files (law, indicators, labels) carries both
languages side by side (``label_id``/``label_en`` attributes or ``{"id": …, "en": …}`` maps), and
:func:`pick` chooses between them in one place, instead of ``x if lang == "id" else y`` at every
call site.

Compiling (.po → .mo) is pure Python (Babel). Lentera must start on a machine that has Python and nothing else, so GNU
gettext's ``msgfmt`` is not required; ``lentera migrate`` and the test suite
call :func:`compile_messages`, which rewrites a .mo only when its .po is newer.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.utils import translation

from lentera import vocabulary

#: The languages of every label in the data files, default first.
LANGUAGES = vocabulary.LANGS

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


def current_lang() -> str:
    """The two-letter code of the active language: ``"id"`` unless English is active."""
    return "en" if (translation.get_language() or "id").lower().startswith("en") else "id"


def pick(
    obj: Any, field: str = "label", *, lang: str | None = None, fallback: str | None = None
) -> str:
    """The ``lang`` (default :func:`current_lang`) variant of a bilingual ``field`` of ``obj``.

    ``obj`` is a mapping or an object. It is looked up as ``{field}_{lang}`` (``label_id``), then
    as ``obj[field][lang]`` (``{"label": {"id": …, "en": …}}``), then as ``obj[lang]`` when
    ``field`` is empty. A missing variant falls back to the ``fallback`` field in the same
    language, then to the other language, then to ``""`` — so a gap in a data file shows as the
    nearest text, never as an error page.
    """
    return vocabulary.pick(obj, field, lang=lang or current_lang(), fallback=fallback)
