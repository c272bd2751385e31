"""The PDF font of Lentera's documents: DejaVu Sans when installed (it covers Indonesian and
the typographic characters of the texts), else reportlab's built-in Helvetica."""

from __future__ import annotations

from pathlib import Path

__all__ = ["pdf_fonts"]

DEJAVU = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)


def pdf_fonts() -> tuple[str, str]:
    """Names of the regular and bold fonts, registered with reportlab on first use."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = DEJAVU
    if Path(regular).exists() and Path(bold).exists():
        if "LenteraSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("LenteraSans", regular))
            pdfmetrics.registerFont(TTFont("LenteraSans-Bold", bold))
        return "LenteraSans", "LenteraSans-Bold"
    return "Helvetica", "Helvetica-Bold"
