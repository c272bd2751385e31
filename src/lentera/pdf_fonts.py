"""Fonts for PDFs: every name a survivor may have, never a ■.

ReportLab's built-in Helvetica covers Latin-1 only: aksara Jawa, aksara Bali, Arabic (Pegon,
Jawi) and emoji all came out as black boxes. Here a chain of embedded TrueType fonts is
registered (Noto Sans, Noto Sans Javanese, Noto Sans Balinese, Noto Naskh Arabic, Symbola for
emoji and symbols, DejaVu Sans as the last resort) and :func:`markup` gives every run of text
the first font of the chain that has its glyphs.

The fonts come from Debian packages (``fonts-noto-core``, ``fonts-symbola``, ``fonts-dejavu``;
``.ci/run`` installs them) or from a directory named by ``LENTERA_FONT_DIR``. All are under the
SIL Open Font License or free (Symbola). Known limit: ReportLab places glyphs without
script shaping, so Arabic letters appear in their isolated forms and Javanese clusters are not
reordered; every character is still printed with a real glyph and copies out as text.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["FALLBACK", "covered", "font_names", "markup"]

#: (regular, bold) file names, in the order they are tried for a character
CHAIN: tuple[tuple[str, str], ...] = (
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("NotoSansJavanese-Regular.ttf", "NotoSansJavanese-Bold.ttf"),
    ("NotoSansBalinese-Regular.ttf", "NotoSansBalinese-Bold.ttf"),
    ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("NotoSansSymbols2-Regular.ttf", "NotoSansSymbols2-Regular.ttf"),
    ("Symbola_hint.ttf", "Symbola_hint.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
FALLBACK = ("Helvetica", "Helvetica-Bold")
_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/ancient-scripts",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/symbola",
)


def _find(name: str) -> Path | None:
    dirs = [os.environ.get("LENTERA_FONT_DIR", ""), *_DIRS]
    for d in dirs:
        if d and (Path(d) / name).is_file():
            return Path(d) / name
    return None


@functools.cache
def _registered() -> tuple[tuple[str, str, frozenset[int]], ...]:
    """(regular name, bold name, code points) of every font of the chain found here."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = []
    for i, (regular, bold) in enumerate(CHAIN):
        reg_path = _find(regular)
        if reg_path is None:
            continue
        bold_path = _find(bold) or reg_path
        name = f"Lentera{i}"
        font = TTFont(name, str(reg_path))
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold_path)))
        for b, it, face in (
            (0, 0, name),
            (1, 0, f"{name}-Bold"),
            (0, 1, name),
            (1, 1, f"{name}-Bold"),
        ):
            addMapping(name, b, it, face)
        fonts.append((name, f"{name}-Bold", frozenset(font.face.charToGlyph)))
    return tuple(fonts)


def font_names() -> tuple[str, str]:
    """(regular, bold) of the base font for paragraph styles."""
    fonts = _registered()
    return (fonts[0][0], fonts[0][1]) if fonts else FALLBACK


def _font_for(ch: str) -> str | None:
    code = ord(ch)
    for name, _bold, points in _registered():
        if code in points:
            return name
    return None


def covered(text: str) -> list[str]:
    """The characters of ``text`` no registered font can draw (empty: all of them print)."""
    return [ch for ch in dict.fromkeys(text) if not ch.isspace() and _font_for(ch) is None]


def _joins(ch: str) -> bool:
    """Characters that belong to whatever run they are in (spaces, joiners, variation selectors)."""
    import unicodedata

    return ch.isspace() or unicodedata.category(ch) in {"Mn", "Me", "Cf"}


def markup(text: Any) -> str:
    """``text`` escaped for a ReportLab paragraph, each run in a font that has its glyphs."""
    text = str(text)
    fonts = _registered()
    if not fonts:
        return escape(text)
    base = fonts[0][0]
    runs: list[tuple[str, list[str]]] = []
    for ch in text:
        font = runs[-1][0] if runs and _joins(ch) else (_font_for(ch) or base)
        if runs and runs[-1][0] == font:
            runs[-1][1].append(ch)
        else:
            runs.append((font, [ch]))
    out = []
    for font, chars in runs:
        chunk = escape("".join(chars))
        out.append(chunk if font == base else f'<font face="{font}">{chunk}</font>')
    return "".join(out)


def pdf_styles() -> Any:
    """ReportLab's sample styles in fonts that print every script (the fonts above)."""
    from reportlab.lib.styles import getSampleStyleSheet

    regular, bold = font_names()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        if hasattr(style, "bulletFontName"):
            style.bulletFontName = regular
        if hasattr(style, "fontName"):
            style.fontName = (
                bold
                if "Bold" in style.fontName or style.name.startswith(("Heading", "Title"))
                else regular
            )
    return styles


def page_number(canvas: Any, doc: Any) -> None:
    """Draw the page number bottom right (ReportLab ``onPage`` callback)."""

    canvas.saveState()
    canvas.setFont(font_names()[0], 8)
    canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 1.2 * 28.35, str(doc.page))
    canvas.restoreState()
