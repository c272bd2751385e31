"""PDFs print every name a survivor may have, and the data-access PDF is a readable document."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lentera import pdf_fonts

pytestmark = pytest.mark.django_db

NAMES = {
    "latin": "Ni Luh Ayu Sriyani Ñoño Çağlar",
    "javanese": "ꦱꦶꦠꦶ ꦫꦲꦪꦸ",
    "balinese": "ᬦᬶᬮᬸᬳ᭄",
    "arabic": "سيتي رحايو",
    "emoji": "Siti 🌸✨",
}


def test_every_script_has_a_glyph() -> None:
    for script, text in NAMES.items():
        assert pdf_fonts.covered(text) == [], (script, pdf_fonts.covered(text))


def test_markup_puts_each_run_in_a_font_that_has_it() -> None:
    import re

    fonts = {name: points for name, _b, points in pdf_fonts._registered()}
    base = pdf_fonts.font_names()[0]
    for text in NAMES.values():
        marked = pdf_fonts.markup(text)
        spans = re.findall(r'<font face="(\w+)">(.*?)</font>', marked)
        rest = re.sub(r'<font face="\w+">.*?</font>', "", marked)
        for font, chunk in [*spans, (base, rest)]:
            for ch in chunk:
                if not ch.isspace() and ord(ch) not in (0x200C, 0x200D, 0xFE0F):
                    assert ord(ch) in fonts[font], (text, ch, font)


def _pdf_text(tmp_path: Path, content: bytes) -> tuple[str, str]:
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    return text, fonts


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_data_access_pdf_is_a_readable_document_with_every_script(
    worker_a: Any, build_case: Any, tmp_path: Path
) -> None:
    from lentera.web.cases import services

    case = build_case(worker_a)
    link = case.survivors.first()
    services.person_update(
        actor=worker_a,
        person=link.person,
        full_name=f"{NAMES['latin']} {NAMES['javanese']}",
        other_names=f"{NAMES['arabic']} {NAMES['balinese']} {NAMES['emoji']}",
    )
    response = Client()
    response.force_login(worker_a)
    pdf = response.get(f"/cases/persons/{link.person.pk}/export.pdf")
    assert pdf.status_code == 200
    text, fonts = _pdf_text(tmp_path, pdf.content)
    assert "Ñoño" in text and "ꦱ" in text and "س" in text.replace("\u200f", "")
    # the emoji is drawn from Symbola (ReportLab's text layer maps non-BMP code points wrongly,
    # so it is checked through the embedded font, not the extracted text)
    assert "Javanese" in fonts and "Arabic" in fonts and "Symbola" in fonts
    assert "NotoSans-Regular" in fonts  # the text itself, not the built-in Latin-1 Helvetica
    # a document, not a dump: labels and words, no keys, no JSON, no codes
    for raw in ("full_name", "birth_date", "origin_province_code", "female", "{", "in_case"):
        assert raw not in text, raw
    assert "Nusa Tenggara Timur" in text and "Perempuan" in text
    assert "7 Agustus 1999" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_memo_pdf_prints_a_javanese_name(
    users_a: dict[str, Any], build_case: Any, tmp_path: Path
) -> None:
    from lentera.web.cases import services

    worker = users_a["caseworker"]
    case = build_case(worker)
    link = case.survivors.first()
    services.person_update(actor=worker, person=link.person, full_name=NAMES["javanese"])
    client = Client()
    client.force_login(users_a["legal"])
    pdf = client.get(f"/assessments/survivors/{link.pk}/memo.pdf?identify=1")
    text, fonts = _pdf_text(tmp_path, pdf.content)
    assert "ꦱ" in text and "Javanese" in fonts
