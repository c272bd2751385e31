"""The evidence report as a document: its blocks and their rendering to HTML and PDF.

:mod:`lentera.analytics.report` collects the blocks (every number suppressed or public);
this module renders them: one self-contained HTML file (inline SVG and CSS, no external
asset) or an A4 PDF (reportlab; the same SVGs converted with svglib, loaded only here).
Public names are re-exported from :mod:`lentera.analytics.report`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from lentera.analytics.fonts import pdf_fonts
from lentera.vocabulary import texts

__all__ = ["Block", "Report", "render_html", "render_pdf"]

#: the report's title in both languages (``data/report_text.yaml``)
TITLE: dict[str, str] = texts("lentera.analytics", "data/report_text.yaml")["labels"]["title"]


@dataclass
class Block:
    """One piece of the report."""

    kind: str  # h1 h2 p kpis svg table
    text: str = ""
    svg: str = ""
    rows: Sequence[Sequence[Any]] = field(default_factory=list)
    header: Sequence[str] = field(default_factory=list)


@dataclass
class Report:
    lang: str
    blocks: list[Block]
    suppressed_cells: int


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:920px;margin:0 auto;padding:12px;color:#222;line-height:1.45}
h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:2px;margin-top:1.6em}
.kpis{display:flex;flex-wrap:wrap;gap:8px}.kpi{border:1px solid #ccc;border-radius:6px;padding:8px 12px;min-width:140px}
.kpi b{display:block;font-size:1.5em}figure{margin:12px 0}table{border-collapse:collapse;font-size:.9em;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}td:not(:first-child){text-align:right}
@media print{h2{page-break-after:avoid}figure{page-break-inside:avoid}}
"""


def render_html(report: Report) -> str:
    """One self-contained HTML document (inline CSS and SVG)."""
    out = [
        f'<!DOCTYPE html><html lang="{report.lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(TITLE[report.lang])}</title><style>{CSS}</style></head><body>",
    ]
    for b in report.blocks:
        if b.kind in ("h1", "h2"):
            out.append(f"<{b.kind}>{escape(b.text)}</{b.kind}>")
        elif b.kind == "p":
            out.append(f"<p>{b.text}</p>")
        elif b.kind == "kpis":
            out.append(
                '<div class="kpis">'
                + "".join(
                    f'<div class="kpi">{escape(k)}<b class="v">{escape(v)}</b></div>'
                    for k, v in b.rows
                )
                + "</div>"
            )
        elif b.kind == "svg":
            out.append(f"<figure>{b.svg}</figure>")
        elif b.kind == "table":
            head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                for row in b.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    out.append("</body></html>")
    return "".join(out)


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF (reportlab; SVG figures through svglib)."""
    # heavy optional backend: reportlab and svglib load only when a PDF is asked for
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from svglib.svglib import svg2rlg

    regular, bold = pdf_fonts()
    base = ParagraphStyle("b", fontName=regular, fontSize=9.5, leading=13)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=17, leading=21, spaceAfter=6)
    h2 = ParagraphStyle(
        "h2",
        parent=base,
        fontName=bold,
        fontSize=12.5,
        leading=16,
        spaceBefore=10,
        spaceAfter=4,
        textColor=colors.HexColor("#0b4f80"),
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=TITLE[report.lang],
        author="Lentera",
    )
    story: list[Any] = []
    width = doc.width
    table_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), regular),
            ("FONTNAME", (0, 0), (-1, 0), bold),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1f8")),
        ]
    )
    for b in report.blocks:
        if b.kind == "h1":
            story.append(Paragraph(escape(b.text), h1))
        elif b.kind == "h2":
            story.append(Paragraph(escape(b.text), h2))
        elif b.kind == "p":
            story.append(Paragraph(b.text, base))
            story.append(Spacer(1, 3))
        elif b.kind == "kpis":
            small = ParagraphStyle("k", parent=base, fontSize=7, leading=8.5)
            data = [[Paragraph(escape(k), small) for k, _ in b.rows], [v for _, v in b.rows]]
            tbl = Table(data, colWidths=[width / len(b.rows)] * len(b.rows))
            tbl.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), regular),
                        ("FONTSIZE", (0, 0), (-1, 0), 7),
                        ("FONTNAME", (0, 1), (-1, 1), bold),
                        ("FONTSIZE", (0, 1), (-1, 1), 14),
                        ("LEADING", (0, 1), (-1, 1), 17),
                        ("BOX", (0, 0), (-1, -1), 0.3, colors.grey),
                    ]
                )
            )
            story.append(tbl)
        elif b.kind == "svg":
            drawing = svg2rlg(io.BytesIO(b.svg.encode("utf-8")))
            if drawing is None:
                continue
            scale = min(1.0, width / drawing.width)
            drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
            drawing.scale(scale, scale)
            story.append(drawing)
            story.append(Spacer(1, 6))
        elif b.kind == "table":
            tbl = Table(
                [list(b.header), *[[str(c) for c in row] for row in b.rows]],
                repeatRows=1,
                hAlign="LEFT",
            )
            tbl.setStyle(table_style)
            story.append(tbl)
    doc.build(story)
    return buffer.getvalue()
