"""Write a built :class:`~lentera.reports.builder.Report` as XLSX, DOCX or PDF.

The same report in three forms: XLSX (openpyxl; a summary sheet, one sheet per section and
a notes sheet; counts are numbers, suppressed cells the text ``<5`` / ``x``), DOCX
(python-docx) and A4 PDF (reportlab, with the font of the evidence report). Files are written
to a temporary name beside the target and renamed over it, so a failed write leaves nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

from lentera.analytics.fonts import pdf_fonts
from lentera.errors import LenteraError
from lentera.files import write_atomic
from lentera.reports.builder import Figure, Report, SectionOut, T, TableOut, fmt_value

__all__ = ["FORMATS", "render", "write_report"]

FORMATS = (".xlsx", ".docx", ".pdf")


def _period_line(report: Report) -> str:
    word = {"id": "dibanding", "en": "compared with"}[report.lang]
    return f"{T['period'][report.lang]}: {report.period_label} ({word} {report.previous.label(report.lang)})"


def _figure_rows(report: Report, section: SectionOut) -> tuple[list[str], list[list[str]]]:
    lang = report.lang
    compared = any(f.compared for f in section.figures)
    header = [T["indicator"][lang], report.period_label]
    if compared:
        header.append(report.previous.label(lang))
    rows = []
    for f in section.figures:
        row = [f.title, fmt_value(f.current, f.unit, lang)]
        if compared:
            row.append(fmt_value(f.previous, f.unit, lang) if f.compared else "")
        rows.append(row)
    return header, rows


def _table_text(report: Report, table: TableOut) -> list[list[str]]:
    return [
        [str(row[0]), *(fmt_value(v, table.unit, report.lang) for v in row[1:])]
        for row in table.rows
    ]


def _sentences(figures: list[Figure]) -> Iterator[str]:
    for f in figures:
        if f.compared:
            yield f"{f.change} {f.caveat}".strip()


# --- XLSX -------------------------------------------------------------------------------------


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} ({n})", n + 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lang = report.lang
    wb = Workbook()
    bold, big = Font(bold=True), Font(bold=True, size=14)
    head_fill = PatternFill("solid", fgColor="E8F1F8")
    used: set[str] = set()
    number_formats = {
        "count": "#,##0",
        "percent": '0.0" %"',
        "days": "0.0",
        "rupiah": '"Rp "#,##0',
    }

    def put(ws: Any, row: int, values: list[Any], *, header: bool = False, unit: str = "") -> None:
        for col, value in enumerate(values, 1):
            if value is None:
                value = "–"
            cell = ws.cell(row=row, column=col, value=value)
            if header:
                cell.font, cell.fill = bold, head_fill
            elif col > 1:
                cell.alignment = Alignment(horizontal="right")
                if not isinstance(value, str):
                    cell.number_format = number_formats.get(unit, "0.0")

    def widths(ws: Any) -> None:
        ws.column_dimensions["A"].width = 48
        for letter in "BCDEFGHIJKL":
            ws.column_dimensions[letter].width = 18

    ws = wb.active
    ws.title = _sheet_name({"id": "Ringkasan", "en": "Summary"}[lang], used)
    ws.cell(row=1, column=1, value=report.title).font = big
    ws.cell(row=2, column=1, value=report.description)
    ws.cell(row=3, column=1, value=_period_line(report))
    r = 5
    ws.cell(row=r, column=1, value=T["changes"][lang]).font = bold
    for sentence in report.changes:
        r += 1
        ws.cell(row=r, column=1, value=sentence)
    widths(ws)
    for section in report.sections:
        ws = wb.create_sheet(_sheet_name(section.title, used))
        widths(ws)
        ws.cell(row=1, column=1, value=section.title).font = big
        r = 2
        if section.text:
            ws.cell(row=r, column=1, value=section.text)
            r += 1
        if section.not_recorded:
            ws.cell(row=r, column=1, value=f"{T['not_recorded'][lang]}: {section.not_recorded}")
            r += 1
        for line in section.missing:
            ws.cell(row=r, column=1, value=line)
            r += 1
        if section.figures:
            r += 1
            compared = any(f.compared for f in section.figures)
            header = [T["indicator"][lang], report.period_label]
            if compared:
                header += [report.previous.label(lang), T["change"][lang]]
            put(ws, r, header, header=True)
            for f in section.figures:
                r += 1
                values: list[Any] = [f.title, f.current]
                if compared:
                    values += (
                        [f.previous, f"{f.change} {f.caveat}".strip()] if f.compared else ["", ""]
                    )
                put(ws, r, values, unit=f.unit)
                if compared:
                    ws.cell(row=r, column=4).alignment = Alignment(horizontal="left")
        for table in section.tables:
            r += 2
            ws.cell(row=r, column=1, value=table.title).font = bold
            r += 1
            put(ws, r, table.header, header=True)
            for row in table.rows:
                r += 1
                put(ws, r, list(row), unit=table.unit)
            if table.note:
                r += 1
                ws.cell(row=r, column=1, value=table.note)
    ws = wb.create_sheet(_sheet_name({"id": "Catatan", "en": "Notes"}[lang], used))
    widths(ws)
    ws.column_dimensions["A"].width = 120
    r = 1
    for heading, lines in _notes(report):
        ws.cell(row=r, column=1, value=heading).font = bold
        for line in lines:
            r += 1
            ws.cell(row=r, column=1, value=line).alignment = Alignment(wrap_text=True)
        r += 2
    buffer = io.BytesIO()
    wb.properties.title = report.title
    wb.properties.creator = "Lentera"
    wb.save(buffer)
    return buffer.getvalue()


def _notes(report: Report) -> list[tuple[str, list[str]]]:
    lang = report.lang
    out = [(T["methods"][lang], report.methods)]
    if report.sources:
        out.append((T["sources"][lang], report.sources))
    out.append((T["provenance"][lang], [f"{k}: {v}" for k, v in report.provenance]))
    return out


# --- DOCX -------------------------------------------------------------------------------------


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    lang = report.lang
    doc = Document()
    doc.core_properties.title = report.title
    doc.core_properties.author = "Lentera"
    doc.core_properties.language = "id-ID" if lang == "id" else "en-GB"
    doc.styles["Normal"].font.size = Pt(10)

    def table(header: list[str], rows: list[list[str]]) -> None:
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for i, text in enumerate(header):
            cell = t.rows[0].cells[i]
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            cells = t.add_row().cells
            for i, text in enumerate(row):
                cells[i].text = text
                if i:
                    cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.add_paragraph()

    doc.add_heading(report.title, 0)
    if report.description:
        doc.add_paragraph(report.description)
    doc.add_paragraph(_period_line(report))
    if report.changes:
        doc.add_heading(T["changes"][lang], 1)
        for sentence in report.changes:
            doc.add_paragraph(sentence, style="List Bullet")
    for section in report.sections:
        doc.add_heading(section.title, 1)
        if section.text:
            doc.add_paragraph(section.text)
        if section.not_recorded:
            p = doc.add_paragraph()
            p.add_run(f"{T['not_recorded'][lang]}: ").bold = True
            p.add_run(section.not_recorded)
        for line in section.missing:
            doc.add_paragraph(line)
        if section.figures:
            table(*_figure_rows(report, section))
        for t in section.tables:
            doc.add_heading(t.title, 2)
            table(list(t.header), _table_text(report, t))
            if t.note:
                doc.add_paragraph(t.note)
    for heading, lines in _notes(report):
        doc.add_heading(heading, 1)
        for line in lines:
            doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def render_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = pdf_fonts()
    lang = report.lang
    base = ParagraphStyle("b", fontName=regular, fontSize=9.5, leading=13)
    small = ParagraphStyle("s", parent=base, fontSize=8, leading=10)
    small_bold = ParagraphStyle("sb", parent=small, fontName=bold)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=12.5, leading=16,
                        spaceBefore=10, spaceAfter=4, textColor=colors.HexColor("#0b4f80"))  # fmt: skip
    h3 = ParagraphStyle("h3", parent=base, fontName=bold, fontSize=10, leading=13, spaceBefore=6)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
        bottomMargin=14 * mm, title=report.title, author="Lentera",
    )  # fmt: skip
    width = doc.width
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), regular),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1f8")),
        ]
    )

    def table(header: list[str], rows: list[list[str]]) -> Table:
        n = len(header)
        first = width * (0.46 if n <= 3 else 0.3)
        rest = (width - first) / max(n - 1, 1)
        data = [[Paragraph(escape(h), small_bold) for h in header]]
        data += [[Paragraph(escape(row[0]), small), *row[1:]] for row in rows]
        t = Table(data, colWidths=[first] + [rest] * (n - 1), repeatRows=1, hAlign="LEFT")
        t.setStyle(style)
        return t

    story: list[Any] = [
        Paragraph(escape(report.title), h1),
        Paragraph(escape(report.description), base),
        Paragraph(escape(_period_line(report)), base),
    ]
    if report.changes:
        story.append(Paragraph(escape(T["changes"][lang]), h2))
        story += [Paragraph("• " + escape(s), base) for s in report.changes]
    for section in report.sections:
        story.append(Paragraph(escape(section.title), h2))
        if section.text:
            story.append(Paragraph(escape(section.text), base))
        if section.not_recorded:
            story.append(
                Paragraph(
                    f"<b>{escape(T['not_recorded'][lang])}:</b> {escape(section.not_recorded)}",
                    base,
                )
            )
        story += [Paragraph(escape(line), base) for line in section.missing]
        if section.figures:
            story += [Spacer(1, 4), table(*_figure_rows(report, section))]
        for t in section.tables:
            parts: list[Any] = [Paragraph(escape(t.title), h3), Spacer(1, 2)]
            parts.append(table(list(t.header), _table_text(report, t)))
            if t.note:
                parts.append(Paragraph(escape(t.note), small))
            # a short table stays with its title; a long one may break across pages
            if len(t.rows) < 25:
                story.append(KeepTogether(parts))
            else:
                story += parts
    for heading, lines in _notes(report):
        story.append(
            KeepTogether(
                [Paragraph(escape(heading), h2), *(Paragraph(escape(x), small) for x in lines)]
            )
        )
    doc.build(story)
    return buffer.getvalue()


RENDERERS = {".xlsx": render_xlsx, ".docx": render_docx, ".pdf": render_pdf}


def render(report: Report, suffix: str) -> bytes:
    try:
        return RENDERERS[suffix.lower()](report)
    except KeyError:
        raise LenteraError(
            "bad_output", f"report format {suffix!r}: use .xlsx, .docx or .pdf", field="out"
        ) from None


def write_report(report: Report, out: str | Path) -> Path:
    """Write ``report`` to ``out`` (format from the suffix), atomically."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise LenteraError(
            "bad_output", f"report output {path}: use a .xlsx, .docx or .pdf file name", field="out"
        )
    return write_atomic(path, render(report, suffix))
