"""Persona 1 of the UX review on a 360 px phone: a caseworker in Kupang records a 17-year-old
returned from Malaysia (synthetic data), with the review's traps on the way.

Every page of the journey must fit the phone (``scrollWidth <= 360``); the origin regency list
fills on the create form; a rejected submission shows an error summary, focuses the first
invalid field and keeps every yes/no answer; reopening the survivor shows the stored answers;
a re-sent create makes no second record; the screening result and the restitution amounts
fit; the survivor's data-access PDF prints a Javanese name (rendered to PNG and checked).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

PHONE = {"width": 360, "height": 800}
JAVANESE = "ꦩꦫꦶꦪ"  # "Maria" in aksara Jawa


def _fits(page: Any, where: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{where}: the page is {width} px wide on a 360 px phone"


def _go(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    _fits(page, url)


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").last.click()


def test_caseworker_on_a_phone(app: Any, tmp_path: Path) -> None:
    page = app.page_as("ntt_caseworker", viewport=PHONE)
    _go(page, "/")
    _go(page, "/cases/")

    # A new case; the same POST sent twice (a flaky connection) creates one case.
    _go(page, "/cases/new/")
    page.fill("#id_opened_on", "2026-11-30")
    page.fill("#id_offence_date", "2025-01-15")
    page.fill("#id_summary", "Direkrut calo desa, dikirim ke Johor Bahru (data sintetis).")
    replies = page.evaluate(
        """async () => {
            const form = document.querySelector('main form.stack');
            const body = new URLSearchParams(new FormData(form));
            const one = await fetch(location.pathname, {method: 'POST', body});
            const two = await fetch(location.pathname, {method: 'POST', body});
            return [one.url, two.url];
        }"""
    )
    assert replies[0] == replies[1] and re.search(r"/cases/\d+/$", replies[0]), replies
    case_url = replies[0].split(app.base_url)[-1] if app.base_url in replies[0] else replies[0]
    _go(page, case_url)
    app.shot(page, "phone-01-case")

    # The survivor: the regency list fills on the create form; a wrong NIK is reported at the
    # top, the NIK field gets the focus, and the yes answers are kept.
    _go(page, case_url + "survivors/new/")
    page.fill("#id_p-full_name", f"Maria Yuliana Sintetis {JAVANESE}")
    page.fill("#id_p-birth_date", "2007-05-10")
    page.select_option("#id_p-sex", "female")
    page.select_option("#id_p-origin_province_code", "53")
    page.wait_for_function(
        "() => document.querySelectorAll('#id_p-origin_regency_code option').length > 10"
    )
    page.select_option("#id_p-origin_regency_code", label="Kota Kupang")
    page.fill("#id_p-nik", "1234")
    page.check("input[name='s-exploitation_types'][value='forced_labour']")
    page.check("input[name='s-means_of_control'][value='false_promises']")
    for name in ("exploitation_occurred", "is_migrant_worker", "age_falsified"):
        page.select_option(f"#id_s-{name}", "true")
    _submit(page)
    assert page.locator("#top-errors").is_visible()
    assert page.evaluate("() => document.activeElement && document.activeElement.name") == "p-nik"
    assert page.locator("#id_s-is_migrant_worker").input_value() == "true"
    _fits(page, "survivor form with errors")
    app.shot(page, "phone-02-survivor-error")
    page.fill("#id_p-nik", "")
    _submit(page)
    if page.locator("#possible-duplicates").count():
        page.check("input[name='confirm_new']")
        _submit(page)
    assert re.search(r"/cases/\d+/$", page.url), page.url
    _fits(page, "case with survivor")

    # Reopened, every stored yes/no answer shows.
    edit = page.locator("#survivors a[href*='/edit/']").first.get_attribute("href") or ""
    _go(page, edit)
    for name in ("exploitation_occurred", "is_migrant_worker", "age_falsified"):
        assert page.locator(f"#id_s-{name}").input_value() == "true", name
    assert page.locator("#id_p-origin_regency_code").input_value() == "5371"

    # Screening: the result fits the phone.
    _go(page, case_url)
    screen = page.locator("#survivors a[href*='/screening/']").first.get_attribute("href") or ""
    link_id = re.findall(r"\d+", screen)[0]
    _go(page, screen)
    page.locator("input[name=indicator]").nth(3).check()
    with page.expect_navigation():
        page.locator("main form.screening button[type=submit]").click()
    assert "/screenings/" in page.url, page.url
    _fits(page, "screening result")
    app.shot(page, "phone-03-screening-result")

    # Legal analysis with the restitution worksheet: amounts fit.
    legal = app.page_as("ntt_legal", viewport=PHONE)
    _go(legal, f"/assessments/survivors/{link_id}/legal/")
    legal.fill("#id_promised_monthly_wage", "5300000")
    legal.fill("#id_months_worked", "14")
    with legal.expect_navigation():
        legal.locator("#restitution form button[type=submit]").click()
    _fits(legal, "legal page with restitution")
    # every amount on one line: a long label beside it never squeezes it to one character a line
    lines = legal.locator("#restitution dd").evaluate_all(
        """dds => dds.map(dd => { const r = document.createRange(); r.selectNodeContents(dd);
                                 const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                                 return [dd.innerText, tops.size]; })"""
    )
    assert lines and all(n == 1 for _text, n in lines), lines
    legal.locator("#restitution").scroll_into_view_if_needed()
    app.shot(legal, "phone-04-restitution")
    legal.context.close()

    # The survivor's data-access PDF prints the Javanese name (no missing glyph).
    _go(page, case_url)
    person = page.locator("#survivors a[href*='/cases/persons/']").first.get_attribute("href")
    _go(page, person or "")
    pdf = page.request.get(f"{person}export.pdf")
    assert pdf.ok
    path = tmp_path / "person.pdf"
    path.write_bytes(pdf.body())
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert "Javanese" in fonts, fonts
    if shutil.which("pdftoppm"):
        out = app.shot(page, "phone-05-person").parent / "pdf-person-javanese"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path), str(out)],
                       check=True)  # fmt: skip
    assert not app.server_errors, app.server_errors
    page.context.close()


@pytest.mark.parametrize(
    "url",
    ["/cases/new/", "/referrals/directory/new/", "/audit/", "/releases/", "/insights/"],
)
def test_more_pages_fit_a_phone(app: Any, url: str) -> None:
    user = {"/audit/": "ntt_supervisor", "/releases/": "ntt_supervisor",
            "/insights/": "ntt_analyst"}.get(url, "ntt_caseworker")  # fmt: skip
    page = app.page_as(user, viewport=PHONE)
    _go(page, url)
    page.context.close()
