"""Service-directory import and export: all or nothing, unreadable files, formulas, XLSX."""

from __future__ import annotations

import io
from typing import Any

import pytest
from _referral_kit import add_provider
from django.test import Client
from openpyxl import Workbook, load_workbook

from lentera import reference
from lentera.errors import LenteraError
from lentera.web.referrals import directory, services, starter
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


def test_a_new_organisation_can_refer_after_one_tap_on_the_starter_directory(
    users_b: dict[str, Any], build_case: Any
) -> None:
    """Review [S1]: the first referral was impossible until someone built a directory. The
    starter directory (national institutions and every province's UPTD PPA, names only) is one
    button on the import page, linked from the empty referral form; it never changes an entry the
    organisation already has, and a caseworker cannot load it."""
    sup, worker = users_b["supervisor"], users_b["caseworker"]
    link = build_case(worker).survivors.first()
    caseworker = Client()
    caseworker.force_login(worker)
    page = caseworker.get(f"/referrals/survivors/{link.pk}/new/").content.decode()
    assert "/referrals/directory/import/#starter" in page  # offered where the user is stuck
    assert caseworker.post("/referrals/directory/import/", {"starter": "1"}).status_code == 403
    mine = add_provider(sup, name="UPTD PPA Provinsi Nusa Tenggara Timur", services=["shelter"],
                        phone="0380 123456")  # the organisation's own entry  # fmt: skip
    client = Client()
    client.force_login(sup)
    response = client.post("/referrals/directory/import/", {"starter": "1"})
    assert response.status_code == 302 and response["Location"] == "/referrals/directory/"
    providers = {p.name: p for p in providers_for_user(actor=sup)}
    assert len(providers) == len(starter.NATIONAL) + len(reference.provinces())
    ntt = providers["UPTD PPA Provinsi Nusa Tenggara Timur"]
    assert ntt.pk == mine.pk and ntt.phone == "0380 123456" and ntt.services == ["shelter"]
    assert all(not p.phone and not p.address for n, p in providers.items() if n != ntt.name)
    again = starter.directory_add_starter(actor=sup)
    assert (again.created, again.updated) == (0, 0)
    page = caseworker.get(f"/referrals/survivors/{link.pk}/new/").content.decode()
    assert "UPTD PPA Provinsi Nusa Tenggara Timur" in page or "LPSK" in page
