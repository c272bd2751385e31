"""Issue 21 in the browser: a hotline contact becomes a case; an outreach activity appears on
the "where to go next" map; a quarterly donor report is built in the background and downloads
as XLSX and PDF (the PDF rendered to PNG to be looked at). Screenshots at 360 and 1280 px of
the quick-entry form, the map and the report builder."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import run_worker_once

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path(
    os.environ.get("LENTERA_E2E_SHOTS")
    or Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
)


def _click(page: Any, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def test_contact_becomes_a_case(app: Any) -> None:
    page = app.page_as("ylk_caseworker", viewport=PHONE)
    page.goto("/contacts/new/")
    app.shot(page, "i21-contact-quick-entry-360")
    page.check("input[name='channel'][value='whatsapp']")
    page.check("input[name='reporter'][value='family']")
    page.fill("#id_concern", "Ibu melapor anaknya di Malaysia tidak bisa dihubungi sejak Juni.")
    page.select_option("#id_province", "53")
    page.locator("#id_regency option[value='5302']").wait_for(state="attached")
    page.select_option("#id_regency", "5302")
    _click(page, "button", "Simpan kontak")
    assert re.search(r"/contacts/\d+/$", page.url), page.url
    number = page.locator("h1").inner_text().split()[0]
    _click(page, "button", "Buka kasus dari kontak ini")
    assert re.search(r"/cases/\d+/$", page.url), page.url
    body = page.locator("main").inner_text()
    assert number in body and "Malaysia" in body
    desk = app.page_as("ylk_caseworker", viewport=DESKTOP)
    desk.goto("/contacts/new/")
    app.shot(desk, "i21-contact-quick-entry-1280")


def test_outreach_activity_appears_on_the_map(app: Any) -> None:
    page = app.page_as("ylk_caseworker", viewport=DESKTOP)
    page.goto("/outreach/map/")
    fill_before = page.locator("#map-outreach path[data-bps='11']").get_attribute("fill")
    page.goto("/outreach/new/")
    page.select_option("#id_kind", "pre_departure")
    page.fill("#id_date", "2026-10-05")
    page.select_option("#id_province", "11")
    page.fill("#id_village", "Lampeuneurut")
    page.check("input[name='topics'][value='safe_migration']")
    page.fill("#id_female_18_35", "23")
    page.fill("#id_male_18_35", "17")
    _click(page, "button", "Simpan")
    assert page.url.endswith("/outreach/"), page.url
    page.goto("/outreach/map/")
    fill_after = page.locator("#map-outreach path[data-bps='11']").get_attribute("fill")
    assert fill_before == "#ffffff" and fill_after != "#ffffff", (fill_before, fill_after)
    app.shot(page, "i21-outreach-map-1280")
    phone = app.page_as("ylk_caseworker", viewport=PHONE)
    phone.goto("/outreach/map/")
    app.shot(phone, "i21-outreach-map-360")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_quarterly_donor_report_downloads_as_xlsx_and_pdf(
    app: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from openpyxl import load_workbook

    phone = app.page_as("ylk_analyst", viewport=PHONE)
    phone.goto("/reports/")
    app.shot(phone, "i21-report-builder-360")
    page = app.page_as("ylk_analyst", viewport=DESKTOP)
    for fmt in ("xlsx", "pdf"):
        page.goto("/reports/")
        page.select_option("#id_template", "donor")
        page.select_option("#id_period", "2026-Q3")
        page.check("input[name='lang'][value='id']")
        page.check(f"input[name='fmt'][value='{fmt}']")
        _click(page, "button", "Susun laporan")
        assert "/jobs/" in page.url, page.url
        run_worker_once(tmp_path_factory)
    page.goto("/reports/")
    app.shot(page, "i21-report-builder-1280")
    files = {}
    for fmt in ("XLSX", "PDF"):
        with page.expect_download() as info:
            page.get_by_role("link", name=f"{fmt} · ID").first.click()
        files[fmt] = Path(info.value.path()).read_bytes()
    cells = [c.value for ws in load_workbook(io.BytesIO(files["XLSX"])).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]  # fmt: skip
    assert not [
        v
        for v in cells
        if isinstance(v, int | float) and not isinstance(v, bool) and v in (1, 2, 3, 4)
    ]
    assert files["PDF"].startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SHOTS / "i21-donor-2026-Q3.pdf"
    pdf.write_bytes(files["PDF"])
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(SHOTS / "i21-donor-2026-Q3"),
        ],
        check=True,
    )
    assert list(SHOTS.glob("i21-donor-2026-Q3*.png"))
