"""Service-directory import and export: all or nothing, unreadable files, formulas, XLSX."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from lentera.errors import LenteraError
from lentera.web.referrals import directory, services
from lentera.web.referrals.models import (
    ServiceProvider,
)
from lentera.web.referrals.selectors import providers_for_user

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- directory import

HEADER = ",".join(directory.COLUMNS)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = "RPTC Bambu,rptc,shelter;psychosocial,tidak,31,,Jl. X,021000,,,,id,24 jam,,ya"


def test_directory_import_all_or_nothing(setup: dict[str, Any]) -> None:
    sup = setup["a"]["supervisor"]
    before = ServiceProvider.objects.count()
    bad = _csv(GOOD, "Dinsos X,dinas,shelter,tidak,31,,,,,,,,,,ya", "Y,ngo,,tidak,,,,,,,,,,,ya")
    report = directory.directory_import(actor=sup, filename="d.csv", content=bad)
    assert not report.written and ServiceProvider.objects.count() == before
    problems = {(p.row, p.column) for p in report.problems}
    assert (3, "institution_type") in problems and (4, "services") in problems
    report = directory.directory_import(actor=sup, filename="d.csv", content=bad, valid_only=True)
    assert report.written and report.created == 1
    again = directory.directory_import(actor=sup, filename="d.csv", content=_csv(GOOD))
    assert again.updated == 1 and again.created == 0
    with pytest.raises(LenteraError) as exc:
        directory.directory_import(
            actor=setup["a"]["caseworker"], filename="d.csv", content=_csv(GOOD)
        )
    assert exc.value.kind == "forbidden"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"name;x\nA;b\n", "unknown_columns"),
        (b"name,services\nA,shelter\n", "missing_columns"),
        ("nama,jenis_lembaga,layanan\nÉ,ngo,legal\n".encode("latin-1"), "encoding"),
        (b"\x00\x01\x02PK", "binary"),
        (b"\xff\xfe\x00n", "encoding"),
    ],
)
def test_directory_unreadable_files(setup: dict[str, Any], content: bytes, code: str) -> None:
    with pytest.raises(LenteraError) as exc:
        directory.directory_import(
            actor=setup["a"]["supervisor"], filename="d.csv", content=content
        )
    assert exc.value.code == code


def test_directory_formula_injection_refused_and_neutralised(setup: dict[str, Any]) -> None:
    sup = setup["a"]["supervisor"]
    evil = _csv('"=HYPERLINK(""http://x"",""y"")",ngo,legal,ya,,,,,,,,,,,ya')
    report = directory.directory_import(actor=sup, filename="d.csv", content=evil)
    assert not report.written and "formula" in report.problems[0].message
    ok = _csv("LBH +62,legal_aid,legal,ya,,,,+62 812 000,,,,,,,ya")
    assert directory.directory_import(actor=sup, filename="d.csv", content=ok).written
    p = ServiceProvider.objects.get(name="LBH +62")
    p.notes = "=1+1"
    p.save()
    out = directory.directory_csv([p]).decode("utf-8-sig")
    assert "'=1+1" in out and "+62 812 000" in out


def test_directory_xlsx_round_trip_and_indonesian_headers(setup: dict[str, Any]) -> None:
    sup = setup["a"]["supervisor"]
    template = load_workbook(io.BytesIO(directory.template_xlsx()))
    assert [c.value for c in template.worksheets[0][1]] == list(directory.COLUMNS)
    book = Workbook()
    sheet = book.active
    sheet.append(["nama", "jenis_lembaga", "layanan", "provinsi", "kabupaten_kota"])
    sheet.append(
        ["UPTD PPA Kota Kupang", "uptd_ppa", "shelter; legal", "Nusa Tenggara Timur", 5371]
    )
    buf = io.BytesIO()
    book.save(buf)
    report = directory.directory_import(actor=sup, filename="d.xlsx", content=buf.getvalue())
    assert report.written, report.problems
    p = ServiceProvider.objects.get(name="UPTD PPA Kota Kupang")
    assert p.province_codes == ["53"] and p.regency_codes == ["5371"]
    found = services  # noqa: F841

    names = lambda **kw: {x.name for x in providers_for_user(actor=sup, **kw)}  # noqa: E731
    assert "UPTD PPA Kota Kupang" in names(region="5371", service="legal")
    assert "UPTD PPA Kota Kupang" in names(region="53")
    assert "UPTD PPA Kota Kupang" not in names(region="35")
    assert "UPTD PPA Kota Kupang" not in names(service="health")
